//! The core of offline memory checking, shared by every memory the proof
//! checks (the bytecode, the read-write memory, the timestamp range memory
//! and Lasso's subtables): one fingerprint for memory tuples, and the
//! multiset equality Init ∪ Writes = Reads ∪ Final by grand products.
//!
//! **Fingerprint.** A tuple (a, v_1, …, v_k, t) — an address, the k values
//! stored there and a timestamp or read count — becomes
//!
//!   h(a, v⃗, t) = a + Σ_j γ^j·v_j + γ^(k+1)·t − τ.
//!
//! A multiset becomes the product of its fingerprints. For γ, τ drawn after
//! the tuples are committed, two multisets with equal products are equal
//! except with probability about (size·(k + 1))/|F| (Schwartz–Zippel). h is
//! affine in the tuple, so a leaf vector's multilinear extension at a point
//! is h of the columns' extensions there: that is how each verifier checks
//! the leaf claims from opening claims.
//!
//! **Memories.** A memory hands over its four multisets as leaf vectors
//! ([`Multisets`]): Init and Final over its cells, Reads and Writes over its
//! operations (each a power of two long). [`verify_memories`] checks
//! Π Init · Π Writes = Π Reads · Π Final for every memory and returns the
//! leaf claims; the caller checks each leaf claim against the fingerprint of
//! its evaluation claims ([`Multisets::check_leaves`]).
//!
//! **Batching.** The grand product batches vectors of one length: every
//! vector goes into the batch of its length, batches in increasing length,
//! within a batch memory by memory in the order given, each as init, reads,
//! writes, final. Both sides derive the grouping from the shapes alone, and
//! vectors of one batch share their leaf point.

use super::grand_product::GrandProductProof;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::poly::PAR_THRESHOLD;
use crate::transcript::Transcript;
use rayon::prelude::*;

/// h(a, v⃗, t) for tuples with a fixed number of values (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint<F> {
    /// γ^0, …, γ^(k+1).
    powers: Vec<F>,
    tau: F,
}

impl<F: JoltField> Fingerprint<F> {
    pub fn new(gamma: F, tau: F, num_values: usize) -> Self {
        let mut powers = Vec::with_capacity(num_values + 2);
        let mut p = F::one();
        for _ in 0..num_values + 2 {
            powers.push(p);
            p *= gamma;
        }
        Fingerprint { powers, tau }
    }

    /// Number of values per tuple (k).
    pub fn num_values(&self) -> usize {
        self.powers.len() - 2
    }

    /// γ^(j+1), the coefficient of value j (from 0).
    pub fn value_coeff(&self, j: usize) -> F {
        self.powers[j + 1]
    }

    /// γ^(k+1), the coefficient of the timestamp or count.
    pub fn time_coeff(&self) -> F {
        self.powers[self.powers.len() - 1]
    }

    pub fn tau(&self) -> F {
        self.tau
    }

    /// h(a, v⃗, t) of field values (the verifier's side, or a tuple the
    /// prover holds as field elements).
    ///
    /// # Panics
    /// If `values` has other than k entries (a caller's invariant).
    pub fn hash(&self, a: F, values: &[F], t: F) -> F {
        assert_eq!(values.len(), self.num_values(), "fingerprint arity");
        let v: F = values
            .iter()
            .zip(&self.powers[1..])
            .map(|(v, p)| *v * p)
            .sum();
        a + v + self.time_coeff() * t - self.tau
    }

    /// h(a, v⃗, t) of small values (the prover's side: one small-scalar
    /// product per field).
    ///
    /// # Panics
    /// If `values` has other than k entries (a caller's invariant).
    pub fn hash_u64(&self, a: u64, values: &[u64], t: u64) -> F {
        assert_eq!(values.len(), self.num_values(), "fingerprint arity");
        let v: F = values
            .iter()
            .zip(&self.powers[1..])
            .map(|(v, p)| p.mul_u64(*v))
            .sum();
        F::from_u64(a) + v + self.time_coeff().mul_u64(t) - self.tau
    }
}

/// The four multisets of one memory, as whatever stands for them: leaf
/// vectors, product claims, expected leaf evaluations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Multisets<T> {
    pub init: T,
    pub reads: T,
    pub writes: T,
    pub finals: T,
}

impl<T> Multisets<T> {
    /// In batch order: init, reads, writes, final.
    fn into_array(self) -> [T; 4] {
        [self.init, self.reads, self.writes, self.finals]
    }

    fn from_array([init, reads, writes, finals]: [T; 4]) -> Self {
        Multisets {
            init,
            reads,
            writes,
            finals,
        }
    }
}

/// Sizes of one memory: 2^log_cells cells (Init, Final) and 2^log_ops
/// operations (Reads, Writes); its name appears in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryShape {
    pub name: &'static str,
    pub log_cells: usize,
    pub log_ops: usize,
}

impl MemoryShape {
    fn num_vars(&self) -> [usize; 4] {
        [self.log_cells, self.log_ops, self.log_ops, self.log_cells]
    }
}

/// What the grand products say about one leaf vector V: its product, and
/// "V's multilinear extension is `leaf_eval` at `point`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductClaim<F> {
    pub product: F,
    pub point: Vec<F>,
    pub leaf_eval: F,
}

impl<F: JoltField> Multisets<ProductClaim<F>> {
    /// Checks every leaf claim against the fingerprint the caller computed
    /// from evaluation claims at that leaf's point.
    pub fn check_leaves(
        &self,
        protocol: &'static str,
        expected: Multisets<F>,
    ) -> Result<(), VerifyError> {
        let checks = [
            (&self.init, expected.init, "init fingerprints"),
            (&self.reads, expected.reads, "read fingerprints"),
            (&self.writes, expected.writes, "write fingerprints"),
            (&self.finals, expected.finals, "final fingerprints"),
        ];
        for (claim, computed, what) in checks {
            if claim.leaf_eval != computed {
                return Err(VerifyError::OutputMismatch { protocol, what });
            }
        }
        Ok(())
    }
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

/// Regroups a flat list of four-per-memory items into [`Multisets`].
fn per_memory<T>(flat: Vec<T>) -> Vec<Multisets<T>> {
    let mut items = flat.into_iter();
    let mut out = Vec::with_capacity(items.len() / 4);
    // Invariant: callers pass four items per memory.
    while let (Some(a), Some(b), Some(c), Some(d)) =
        (items.next(), items.next(), items.next(), items.next())
    {
        out.push(Multisets::from_array([a, b, c, d]));
    }
    out
}

/// Proves the products of every memory's four multisets (each leaf vector
/// a power of two long); the caller has absorbed what the leaves depend on
/// and drawn γ, τ.
pub fn prove_memories<F: JoltField>(
    memories: Vec<Multisets<Vec<F>>>,
    transcript: &mut Transcript,
) -> (Vec<GrandProductProof<F>>, Vec<Multisets<ProductClaim<F>>>) {
    let vectors: Vec<Vec<F>> = memories
        .into_iter()
        .flat_map(Multisets::into_array)
        .collect();
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
    let claims = claims.into_iter().map(|c| c.unwrap()).collect();
    (proofs, per_memory(claims))
}

/// Verifies the grand products of memories of the given shapes and checks
/// Init·Writes = Reads·Final for each; returns every leaf claim for the
/// caller's [`Multisets::check_leaves`].
pub fn verify_memories<F: JoltField>(
    protocol: &'static str,
    proofs: &[GrandProductProof<F>],
    shapes: &[MemoryShape],
    transcript: &mut Transcript,
) -> Result<Vec<Multisets<ProductClaim<F>>>, VerifyError> {
    let num_vars: Vec<usize> = shapes.iter().flat_map(MemoryShape::num_vars).collect();
    let groups = groups(&num_vars);
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
    let claims = per_memory(claims.into_iter().map(|c| c.unwrap()).collect());
    for (memory, shape) in claims.iter().zip(shapes) {
        if memory.init.product * memory.writes.product
            != memory.reads.product * memory.finals.product
        {
            return Err(VerifyError::MultisetMismatch {
                protocol,
                memory: shape.name,
            });
        }
    }
    Ok(claims)
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
    use crate::poly::DensePolynomial;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn random(n: usize, rng: &mut ChaCha20Rng) -> Vec<Fr> {
        (0..1 << n).map(|_| Fr::rand(rng)).collect()
    }

    /// A memory whose multisets balance: Final is a permutation of
    /// Init·Writes / Reads (here Reads = Init, Final = Writes).
    fn balanced(log_cells: usize, log_ops: usize, rng: &mut ChaCha20Rng) -> Multisets<Vec<Fr>> {
        assert_eq!(log_cells, log_ops);
        let init = random(log_cells, rng);
        let writes = random(log_ops, rng);
        let mut finals = writes.clone();
        finals.reverse();
        Multisets {
            reads: init.iter().rev().copied().collect(),
            init,
            writes,
            finals,
        }
    }

    #[test]
    fn fingerprint_is_the_documented_form() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let (gamma, tau) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let fp = Fingerprint::new(gamma, tau, 2);
        let h = fp.hash_u64(5, &[7, 11], 13);
        let expected = Fr::from(5u64)
            + gamma * Fr::from(7u64)
            + gamma * gamma * Fr::from(11u64)
            + gamma * gamma * gamma * Fr::from(13u64)
            - tau;
        assert_eq!(h, expected);
        let field = |x: u64| Fr::from(x);
        assert_eq!(fp.hash(field(5), &[field(7), field(11)], field(13)), h);
        assert_eq!(fp.time_coeff(), gamma * gamma * gamma);
        assert_eq!(fp.value_coeff(1), gamma * gamma);
    }

    #[test]
    fn memories_of_mixed_sizes_prove_and_verify_in_groups() {
        let mut rng = ChaCha20Rng::seed_from_u64(72);
        // Two memories with cells and operations of different sizes, one
        // with both equal: batches of 2, 3 and 5 variables.
        let shapes = [
            MemoryShape {
                name: "a",
                log_cells: 5,
                log_ops: 3,
            },
            MemoryShape {
                name: "b",
                log_cells: 2,
                log_ops: 2,
            },
        ];
        let mut a = balanced(3, 3, &mut rng);
        // Pad a's cells to 2^5 with ones on both sides: products unchanged.
        for v in [&mut a.init, &mut a.finals] {
            v.resize(1 << 5, Fr::from(1u64));
        }
        let b = balanced(2, 2, &mut rng);
        let memories = vec![a, b];
        let (proofs, claims) = prove_memories(memories.clone(), &mut Transcript::new(b"ms"));
        assert_eq!(proofs.len(), 3);
        let verified =
            verify_memories("test", &proofs, &shapes, &mut Transcript::new(b"ms")).unwrap();
        assert_eq!(verified, claims);
        for (m, c) in memories.iter().zip(&claims) {
            for (v, claim) in m.clone().into_array().iter().zip(c.clone().into_array()) {
                assert_eq!(claim.product, v.iter().product::<Fr>());
                assert_eq!(
                    DensePolynomial::new(v.clone()).evaluate(&claim.point),
                    claim.leaf_eval
                );
            }
        }
        // Too few batches: a shape error before anything is read.
        assert!(matches!(
            verify_memories("test", &proofs[1..], &shapes, &mut Transcript::new(b"ms")),
            Err(VerifyError::Shape { .. })
        ));
        // Leaf checks name the multiset.
        let c = &verified[1];
        let mut expected = Multisets {
            init: c.init.leaf_eval,
            reads: c.reads.leaf_eval,
            writes: c.writes.leaf_eval,
            finals: c.finals.leaf_eval,
        };
        assert!(c.check_leaves("test", expected).is_ok());
        expected.writes += Fr::from(1u64);
        assert_eq!(
            c.check_leaves("test", expected),
            Err(VerifyError::OutputMismatch {
                protocol: "test",
                what: "write fingerprints"
            })
        );
    }

    #[test]
    fn unbalanced_memory_is_rejected_by_name() {
        let mut rng = ChaCha20Rng::seed_from_u64(73);
        let mut m = balanced(3, 3, &mut rng);
        m.finals[2] += Fr::from(1u64);
        let shapes = [MemoryShape {
            name: "the memory",
            log_cells: 3,
            log_ops: 3,
        }];
        let (proofs, _) = prove_memories(vec![m], &mut Transcript::new(b"ms"));
        assert_eq!(
            verify_memories::<Fr>("test", &proofs, &shapes, &mut Transcript::new(b"ms")),
            Err(VerifyError::MultisetMismatch {
                protocol: "test",
                memory: "the memory"
            })
        );
    }
}
