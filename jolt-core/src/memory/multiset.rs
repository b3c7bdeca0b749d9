//! Multiset equality by fingerprint grand products, shared by every memory
//! here.
//!
//! A tuple (f_0, f_1, …) becomes the fingerprint Σ_i γ^i·f_i − τ; a multiset
//! becomes the product of its fingerprints. For γ, τ drawn after the tuples
//! are committed, two multisets with equal products are equal except with
//! probability about (size·arity)/|F| (Schwartz–Zippel). Offline memory
//! checking shows Init ∪ Writes = Reads ∪ Final this way.
//!
//! The core's grand product batches vectors of one length; here every
//! vector to multiply goes into the batch of its length, batches in
//! increasing length, vectors of one batch in the order given. Both sides
//! derive the grouping from the lengths alone.

use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::pcs::Column;
use crate::poly::{par_chunk_len, EqPolynomial, PAR_THRESHOLD};
use crate::subprotocols::GrandProductProof;
use crate::transcript::Transcript;
use rayon::prelude::*;

/// What the grand products say about one vector V: its product, and
/// "V's multilinear extension is `leaf_eval` at `point`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductClaim<F> {
    pub product: F,
    pub point: Vec<F>,
    pub leaf_eval: F,
}

/// The batches: for each distinct number of variables (increasing), the
/// indices of the vectors with it.
fn groups(num_vars: &[usize]) -> Vec<(usize, Vec<usize>)> {
    let mut sizes: Vec<usize> = num_vars.to_vec();
    sizes.sort_unstable();
    sizes.dedup();
    sizes
        .into_iter()
        .map(|n| {
            let members = (0..num_vars.len()).filter(|&i| num_vars[i] == n).collect();
            (n, members)
        })
        .collect()
}

/// Proves the products of `vectors` (each of power-of-two length).
pub fn prove_products<F: JoltField>(
    vectors: Vec<Vec<F>>,
    transcript: &mut Transcript,
) -> (Vec<GrandProductProof<F>>, Vec<ProductClaim<F>>) {
    let num_vars: Vec<usize> = vectors
        .iter()
        .map(|v| v.len().trailing_zeros() as usize)
        .collect();
    let mut slots: Vec<Option<Vec<F>>> = vectors.into_iter().map(Some).collect();
    let mut claims: Vec<Option<ProductClaim<F>>> = vec![None; slots.len()];
    let mut proofs = Vec::new();
    for (_, members) in groups(&num_vars) {
        // Invariant: each index belongs to exactly one group.
        let leaves: Vec<Vec<F>> = members.iter().map(|&i| slots[i].take().unwrap()).collect();
        let (proof, leaf_claims) = GrandProductProof::prove(leaves, transcript);
        for (k, &i) in members.iter().enumerate() {
            claims[i] = Some(ProductClaim {
                product: proof.outputs()[k],
                point: leaf_claims.r.clone(),
                leaf_eval: leaf_claims.evals[k],
            });
        }
        proofs.push(proof);
    }
    // Invariant: every index was in a group.
    (proofs, claims.into_iter().map(|c| c.unwrap()).collect())
}

/// Verifies the products of vectors with `num_vars[i]` variables each.
pub fn verify_products<F: JoltField>(
    protocol: &'static str,
    proofs: &[GrandProductProof<F>],
    num_vars: &[usize],
    transcript: &mut Transcript,
) -> Result<Vec<ProductClaim<F>>, VerifyError> {
    let groups = groups(num_vars);
    check_shape(
        protocol,
        "grand product batches",
        groups.len(),
        proofs.len(),
    )?;
    let mut claims: Vec<Option<ProductClaim<F>>> = vec![None; num_vars.len()];
    for ((n, members), proof) in groups.into_iter().zip(proofs) {
        let leaf_claims = proof.verify(protocol, members.len(), n, transcript)?;
        for (k, &i) in members.iter().enumerate() {
            claims[i] = Some(ProductClaim {
                product: proof.outputs()[k],
                point: leaf_claims.r.clone(),
                leaf_eval: leaf_claims.evals[k],
            });
        }
    }
    // Invariant: every index was in a group, and a verified batch has one
    // output and one leaf claim per member.
    Ok(claims.into_iter().map(|c| c.unwrap()).collect())
}

/// Checks Π lhs = Π rhs over the given products (`what` names the
/// multisets, e.g. Init·Writes = Reads·Final).
pub fn check_multiset_equality<F: JoltField>(
    protocol: &'static str,
    what: &'static str,
    lhs: &[F],
    rhs: &[F],
) -> Result<(), VerifyError> {
    if lhs.iter().product::<F>() == rhs.iter().product::<F>() {
        Ok(())
    } else {
        Err(VerifyError::OutputMismatch { protocol, what })
    }
}

/// Checks that the leaf polynomial of a product evaluates, at its point, to
/// what the caller computed from opening claims.
pub fn check_leaf_eval<F: JoltField>(
    protocol: &'static str,
    what: &'static str,
    claim: &ProductClaim<F>,
    computed: F,
) -> Result<(), VerifyError> {
    if claim.leaf_eval == computed {
        Ok(())
    } else {
        Err(VerifyError::OutputMismatch { protocol, what })
    }
}

/// 1, γ, γ², …, γ^(n−1).
pub fn powers<F: JoltField>(gamma: F, n: usize) -> Vec<F> {
    let mut out = Vec::with_capacity(n);
    let mut p = F::one();
    for _ in 0..n {
        out.push(p);
        p *= gamma;
    }
    out
}

/// eq(r, ·) as a table, for evaluating many small-value columns at r.
pub fn eq_table<F: JoltField>(r: &[F]) -> Vec<F> {
    EqPolynomial::evals_scaled(r, F::one())
}

/// Σ_x eq[x]·values[x]: a column of small values evaluated at the point of
/// `eq` (one small-scalar product per entry).
pub fn evaluate_small<F: JoltField, T: Copy + Into<u64> + Sync>(eq: &[F], values: &[T]) -> F {
    debug_assert_eq!(eq.len(), values.len());
    let range = |start: usize, end: usize| -> F {
        (start..end).map(|i| eq[i].mul_u64(values[i].into())).sum()
    };
    let len = values.len();
    if len < PAR_THRESHOLD {
        range(0, len)
    } else {
        let chunk = par_chunk_len(len);
        (0..len.div_ceil(chunk))
            .into_par_iter()
            .map(|c| range(c * chunk, ((c + 1) * chunk).min(len)))
            .sum()
    }
}

/// A committed column at the point of `eq`.
pub fn evaluate_column<F: JoltField>(eq: &[F], column: &Column<'_, F>) -> F {
    match column {
        Column::Bits(v) => eq
            .iter()
            .zip(v.iter())
            .filter(|(_, b)| **b)
            .map(|(e, _)| *e)
            .sum(),
        Column::U8(v) => evaluate_small(eq, v),
        Column::U16(v) => evaluate_small(eq, v),
        Column::U32(v) => evaluate_small(eq, v),
        Column::U64(v) => evaluate_small(eq, v),
        Column::I64(v) => eq.iter().zip(v.iter()).map(|(e, x)| e.mul_i64(*x)).sum(),
        Column::Field(v) => eq.iter().zip(v.iter()).map(|(e, x)| *e * x).sum(),
    }
}

/// Builds a vector of `len` field elements in parallel chunks.
pub fn build_leaves<F: JoltField>(len: usize, leaf: impl Fn(usize) -> F + Sync + Send) -> Vec<F> {
    if len < PAR_THRESHOLD {
        (0..len).map(leaf).collect()
    } else {
        (0..len)
            .into_par_iter()
            .with_min_len(PAR_THRESHOLD)
            .map(leaf)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn mixed_lengths_prove_and_verify_in_groups() {
        let mut rng = ChaCha20Rng::seed_from_u64(72);
        let sizes = [3usize, 1, 3, 0, 5, 1];
        let vectors: Vec<Vec<Fr>> = sizes
            .iter()
            .map(|&n| (0..1 << n).map(|_| Fr::rand(&mut rng)).collect())
            .collect();
        let (proofs, claims) = prove_products(vectors.clone(), &mut Transcript::new(b"ms"));
        assert_eq!(proofs.len(), 4);
        let verified =
            verify_products("test", &proofs, &sizes, &mut Transcript::new(b"ms")).unwrap();
        assert_eq!(verified, claims);
        for (v, c) in vectors.iter().zip(&claims) {
            assert_eq!(c.product, v.iter().product::<Fr>());
            assert_eq!(
                crate::poly::DensePolynomial::new(v.clone()).evaluate(&c.point),
                c.leaf_eval
            );
        }
        assert!(matches!(
            verify_products("test", &proofs[1..], &sizes, &mut Transcript::new(b"ms")),
            Err(VerifyError::Shape { .. })
        ));
    }
}
