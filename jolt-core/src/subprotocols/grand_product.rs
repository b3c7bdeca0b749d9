//! Batched grand products as a layered binary multiplication circuit (GKR).
//!
//! Proves that k leaf vectors of 2^n entries each have the claimed products
//! (`outputs`), and hands on the claims "leaf polynomial V_k evaluates to
//! `evals[k]` at `r`" ([`LeafClaims`]) for the caller to open with the PCS.
//!
//! **Layers.** Layer n holds the leaves; layer m < n has 2^m entries
//! V_m(x) = V_{m+1}(0, x)·V_{m+1}(1, x), the product of the two halves of
//! layer m + 1 (the new variable is the top one); layer 0 is the product.
//!
//! **One layer.** Given claims V_{m,k}(r_m) = c_k at a common point r_m,
//! draw γ (if k > 1) and run one degree-3 sumcheck over m variables for
//!   Σ_k γ^k·c_k = Σ_x eq(r_m, x)·Σ_k γ^k·L_k(x)·R_k(x),
//! with L_k = V_{m+1,k}(0, ·), R_k = V_{m+1,k}(1, ·). The prover sends
//! left_k = L_k(r'), right_k = R_k(r'); the verifier checks the sumcheck's
//! final value equals eq(r_m, r')·Σ_k γ^k·left_k·right_k, absorbs them,
//! draws ρ and continues with r_{m+1} = (ρ, r') and
//! c_k = V_{m+1,k}(ρ, r') = left_k + ρ·(right_k − left_k): the two claims
//! become one because ρ is exactly the top variable of layer m + 1.
//!
//! Transcript labels, in order: `grand product outputs`; per layer
//! `grand product gamma` (k > 1), the layer sumcheck's labels,
//! `grand product left`, `grand product right`, `grand product rho`.
//!
//! All products in one batch must have the same number of leaves (pad with
//! ones to batch different sizes).

use super::sumcheck::{SumcheckClaim, SumcheckInstance, SumcheckProof};
use crate::codec::ProofVec;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::poly::{par_chunk_len, DensePolynomial, EqPolynomial, SplitEqPolynomial, PAR_THRESHOLD};
use crate::transcript::Transcript;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rayon::prelude::*;

/// The claims a grand product hands on: every leaf polynomial V_k
/// evaluates to `evals[k]` at `r` (`r[0]` the top variable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafClaims<F> {
    pub r: Vec<F>,
    pub evals: Vec<F>,
}

/// One layer: the batched sumcheck and the evaluations of both halves.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct GrandProductLayerProof<F: JoltField> {
    pub sumcheck: SumcheckProof<F>,
    pub left: ProofVec<F>,
    pub right: ProofVec<F>,
}

/// Layers are ordered from the output (layer 0, no sumcheck rounds) to the
/// leaves (n − 1 rounds).
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct GrandProductProof<F: JoltField> {
    pub outputs: ProofVec<F>,
    pub layers: ProofVec<GrandProductLayerProof<F>>,
}

impl<F: JoltField> GrandProductProof<F> {
    /// Proves the products of all `leaves` vectors at once.
    ///
    /// # Panics
    /// If `leaves` is empty, or its vectors differ in length or are not a
    /// power of two long (prover-side invariants).
    pub fn prove(leaves: Vec<Vec<F>>, transcript: &mut Transcript) -> (Self, LeafClaims<F>) {
        assert!(!leaves.is_empty(), "grand product of an empty batch");
        let len = leaves[0].len();
        assert!(
            len.is_power_of_two(),
            "leaf count {len} is not a power of two"
        );
        assert!(
            leaves.iter().all(|l| l.len() == len),
            "batched leaves differ in length"
        );
        let num_vars = len.trailing_zeros() as usize;

        // layers[m][k] = layer m of product k.
        let mut layers: Vec<Vec<Vec<F>>> = Vec::with_capacity(num_vars + 1);
        layers.push(leaves);
        for _ in 0..num_vars {
            // Invariant: layers is non-empty (the leaves were pushed first).
            let below = layers.last().unwrap();
            layers.push(below.par_iter().map(|v| multiply_halves(v)).collect());
        }
        layers.reverse();

        let outputs: Vec<F> = layers[0].iter().map(|v| v[0]).collect();
        transcript.append_scalars(b"grand product outputs", &outputs);

        let batch = outputs.len();
        let mut claims = outputs.clone();
        let mut r: Vec<F> = Vec::new();
        let mut layer_proofs = Vec::with_capacity(num_vars);
        // Layer m's sumcheck consumes layer m + 1, which is no longer needed.
        for (m, below) in layers.into_iter().skip(1).enumerate() {
            let gammas = layer_gammas(batch, transcript);
            let claim: F = gammas.iter().zip(&claims).map(|(g, c)| *g * c).sum();
            let mut instance = LayerSumcheck::new(below, &r, gammas, claim);
            debug_assert_eq!(instance.num_rounds(), m);
            let (sumcheck, r_prime) = SumcheckProof::prove(&mut instance, transcript);
            let (left, right) = instance.final_evals();

            transcript.append_scalars(b"grand product left", &left);
            transcript.append_scalars(b"grand product right", &right);
            let rho: F = transcript.challenge_scalar(b"grand product rho");
            claims = left
                .iter()
                .zip(&right)
                .map(|(l, rt)| *l + rho * (*rt - l))
                .collect();
            r = std::iter::once(rho).chain(r_prime).collect();
            layer_proofs.push(GrandProductLayerProof {
                sumcheck,
                left: left.into(),
                right: right.into(),
            });
        }

        let proof = Self {
            outputs: outputs.into(),
            layers: (layer_proofs).into(),
        };
        (proof, LeafClaims { r, evals: claims })
    }

    /// The claimed products; meaningful once [`Self::verify`] succeeded.
    pub fn outputs(&self) -> &[F] {
        &self.outputs
    }

    /// Verifies a batch of `batch` products of 2^`num_vars` leaves each and
    /// returns the leaf claims to open. The caller then checks
    /// [`Self::outputs`] against whatever the products must satisfy.
    pub fn verify(
        &self,
        protocol: &'static str,
        batch: usize,
        num_vars: usize,
        transcript: &mut Transcript,
    ) -> Result<LeafClaims<F>, VerifyError> {
        check_shape(protocol, "grand product outputs", batch, self.outputs.len())?;
        check_shape(
            protocol,
            "grand product layers",
            num_vars,
            self.layers.len(),
        )?;
        for layer in &self.layers {
            check_shape(protocol, "left claims per layer", batch, layer.left.len())?;
            check_shape(protocol, "right claims per layer", batch, layer.right.len())?;
        }

        transcript.append_scalars(b"grand product outputs", &self.outputs);
        let mut claims: Vec<F> = self.outputs.to_vec();
        let mut r: Vec<F> = Vec::new();
        for (m, layer) in self.layers.iter().enumerate() {
            let gammas: Vec<F> = layer_gammas(batch, transcript);
            let claim: F = gammas.iter().zip(&claims).map(|(g, c)| *g * c).sum();
            let sumcheck_claim = SumcheckClaim {
                claim,
                num_rounds: m,
                degree: 3,
            };
            let (r_prime, expected) =
                layer
                    .sumcheck
                    .verify(protocol, sumcheck_claim, transcript)?;

            let products: F = gammas
                .iter()
                .zip(layer.left.iter().zip(&layer.right))
                .map(|(g, (l, rt))| *g * l * rt)
                .sum();
            if EqPolynomial::new(r).evaluate(&r_prime) * products != expected {
                return Err(VerifyError::LayerClaimMismatch { protocol, layer: m });
            }

            transcript.append_scalars(b"grand product left", &layer.left);
            transcript.append_scalars(b"grand product right", &layer.right);
            let rho: F = transcript.challenge_scalar(b"grand product rho");
            claims = layer
                .left
                .iter()
                .zip(&layer.right)
                .map(|(l, rt)| *l + rho * (*rt - l))
                .collect();
            r = std::iter::once(rho).chain(r_prime).collect();
        }
        Ok(LeafClaims { r, evals: claims })
    }
}

/// 1, γ, γ², … for a batch; a single product needs no combination.
fn layer_gammas<F: JoltField>(batch: usize, transcript: &mut Transcript) -> Vec<F> {
    if batch == 1 {
        vec![F::one()]
    } else {
        transcript.challenge_powers(b"grand product gamma", batch)
    }
}

/// V(x) = W(0, x)·W(1, x) for the layer W below.
fn multiply_halves<F: JoltField>(below: &[F]) -> Vec<F> {
    let half = below.len() / 2;
    let (lo, hi) = below.split_at(half);
    if half < PAR_THRESHOLD {
        lo.iter().zip(hi).map(|(a, b)| *a * b).collect()
    } else {
        lo.par_iter()
            .zip(hi.par_iter())
            .with_min_len(par_chunk_len(half))
            .map(|(a, b)| *a * b)
            .collect()
    }
}

/// Σ_x eq(r_m, x)·Σ_k γ^k·L_k(x)·R_k(x), with L_k, R_k the halves of layer
/// m + 1 of product k. The eq factor is split off ([`SplitEqPolynomial`]):
/// per pair of entries and product, two products for q(0), q(2) and two
/// binds, instead of three products, three eq multiplications and an eq
/// bind.
struct LayerSumcheck<F: JoltField> {
    eq: SplitEqPolynomial<F>,
    left: Vec<DensePolynomial<F>>,
    right: Vec<DensePolynomial<F>>,
    gammas: Vec<F>,
    claim: F,
}

impl<F: JoltField> LayerSumcheck<F> {
    fn new(below: Vec<Vec<F>>, r: &[F], gammas: Vec<F>, claim: F) -> Self {
        let (left, right) = below
            .into_iter()
            .map(|mut v| {
                // Split without copying: the front half stays in place.
                let right = v.split_off(v.len() / 2);
                (DensePolynomial::new(v), DensePolynomial::new(right))
            })
            .unzip();
        let eq = SplitEqPolynomial::new(r);
        Self {
            eq,
            left,
            right,
            gammas,
            claim,
        }
    }

    fn final_evals(&self) -> (Vec<F>, Vec<F>) {
        (
            self.left.iter().map(|p| p.final_eval()).collect(),
            self.right.iter().map(|p| p.final_eval()).collect(),
        )
    }

    /// q(X) = Σ_{x'} eq(τ_{j+1..}, x')·Σ_k γ^k·L_k(X, x')·R_k(X, x') at
    /// X = 0, 1 (only if `WITH_Q1`), 2, over pairs in [start, end).
    fn q_range<const WITH_Q1: bool>(&self, start: usize, end: usize, half: usize) -> [F; 3] {
        let (w, gammas) = (self.eq.current_table(), &self.gammas);
        let mut q = [F::zero(); 3];
        for i in start..end {
            let mut acc = [F::zero(); 3];
            for (k, (l, rt)) in self.left.iter().zip(&self.right).enumerate() {
                let (l0, l1, r0, r1) = (l[i], l[i + half], rt[i], rt[i + half]);
                let l2 = l1 + l1 - l0;
                let r2 = r1 + r1 - r0;
                let p = [l0 * r0, if WITH_Q1 { l1 * r1 } else { F::zero() }, l2 * r2];
                if k == 0 {
                    // γ^0 = 1.
                    acc.iter_mut().zip(&p).for_each(|(a, x)| *a += x);
                } else {
                    acc.iter_mut()
                        .zip(&p)
                        .for_each(|(a, x)| *a += gammas[k] * x);
                }
            }
            q[0] += w[i] * acc[0];
            if WITH_Q1 {
                q[1] += w[i] * acc[1];
            }
            q[2] += w[i] * acc[2];
        }
        q
    }

    fn q_evals<const WITH_Q1: bool>(&self) -> [F; 3] {
        let half = self.eq.current_table().len();
        if half < PAR_THRESHOLD {
            self.q_range::<WITH_Q1>(0, half, half)
        } else {
            let chunk = par_chunk_len(half);
            (0..half.div_ceil(chunk))
                .into_par_iter()
                .map(|c| self.q_range::<WITH_Q1>(c * chunk, ((c + 1) * chunk).min(half), half))
                .reduce(
                    || [F::zero(); 3],
                    |mut a, b| {
                        a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                        a
                    },
                )
        }
    }
}

impl<F: JoltField> SumcheckInstance<F> for LayerSumcheck<F> {
    fn degree(&self) -> usize {
        3
    }

    fn num_rounds(&self) -> usize {
        self.eq.num_rounds()
    }

    fn input_claim(&self) -> F {
        self.claim
    }

    fn compute_message(&mut self, _round: usize, previous_claim: F) -> Vec<F> {
        match self
            .eq
            .round_evals(&self.q_evals::<false>(), previous_claim)
        {
            Some(evals) => evals,
            None => self.eq.round_evals_full(&self.q_evals::<true>()),
        }
    }

    fn bind(&mut self, r_j: F, _round: usize) {
        self.eq.bind(r_j);
        self.left
            .par_iter_mut()
            .chain(self.right.par_iter_mut())
            .for_each(|p| p.bind_top(r_j));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    const P: &str = "test grand product";

    fn random_leaves(batch: usize, n: usize, rng: &mut ChaCha20Rng) -> Vec<Vec<Fr>> {
        (0..batch)
            .map(|_| (0..1 << n).map(|_| Fr::rand(rng)).collect())
            .collect()
    }

    fn prove(leaves: &[Vec<Fr>]) -> (GrandProductProof<Fr>, LeafClaims<Fr>) {
        GrandProductProof::prove(leaves.to_vec(), &mut Transcript::new(b"gp"))
    }

    fn verify(
        proof: &GrandProductProof<Fr>,
        batch: usize,
        n: usize,
    ) -> Result<LeafClaims<Fr>, VerifyError> {
        proof.verify(P, batch, n, &mut Transcript::new(b"gp"))
    }

    /// The leaf claims a verifier returns are true evaluations of the leaves.
    fn check_leaf_claims(leaves: &[Vec<Fr>], claims: &LeafClaims<Fr>) {
        for (l, v) in leaves.iter().zip(&claims.evals) {
            assert_eq!(DensePolynomial::new(l.clone()).evaluate(&claims.r), *v);
        }
    }

    #[test]
    fn products_match_direct_products_on_random_sizes() {
        let mut rng = ChaCha20Rng::seed_from_u64(60);
        for n in 0..=16 {
            let batch = 1 + (rng.next_u32() % 3) as usize;
            let leaves = random_leaves(batch, n, &mut rng);
            let (proof, prover_claims) = prove(&leaves);
            for (l, out) in leaves.iter().zip(proof.outputs()) {
                assert_eq!(l.iter().product::<Fr>(), *out, "n = {n}");
            }
            let claims = verify(&proof, batch, n).unwrap();
            assert_eq!(claims, prover_claims);
            assert_eq!(claims.r.len(), n);
            check_leaf_claims(&leaves, &claims);
        }
    }

    /// Prover and verifier transcripts end in the same state.
    #[test]
    fn prover_and_verifier_transcripts_stay_in_sync() {
        let mut rng = ChaCha20Rng::seed_from_u64(67);
        let leaves = random_leaves(3, 5, &mut rng);
        let mut tp = Transcript::new(b"gp");
        let (proof, _) = GrandProductProof::prove(leaves, &mut tp);
        let mut tv = Transcript::new(b"gp");
        proof.verify(P, 3, 5, &mut tv).unwrap();
        assert_eq!(tp.log(), tv.log());
        assert_eq!(
            tp.challenge_scalar::<Fr>(b"end"),
            tv.challenge_scalar::<Fr>(b"end")
        );
    }

    #[test]
    fn larger_batches() {
        let mut rng = ChaCha20Rng::seed_from_u64(61);
        let leaves = random_leaves(7, 6, &mut rng);
        let (proof, _) = prove(&leaves);
        check_leaf_claims(&leaves, &verify(&proof, 7, 6).unwrap());
    }

    /// A prover who lies about a product must lie about some layer; every
    /// changed value is caught at that layer or at the leaf opening.
    #[test]
    fn tampered_values_are_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(62);
        let n = 4;
        let leaves = random_leaves(2, n, &mut rng);
        let (proof, _) = prove(&leaves);
        let one = Fr::from(1u64);

        for k in 0..2 {
            let mut bad = proof.clone();
            bad.outputs[k] += one;
            assert!(matches!(
                verify(&bad, 2, n),
                Err(VerifyError::LayerClaimMismatch { layer: 0, .. })
            ));
        }
        for m in 0..n {
            for k in 0..2 {
                for side in 0..2 {
                    let mut bad = proof.clone();
                    let values = if side == 0 {
                        &mut bad.layers[m].left
                    } else {
                        &mut bad.layers[m].right
                    };
                    values[k] += one;
                    assert!(
                        matches!(verify(&bad, 2, n), Err(VerifyError::LayerClaimMismatch { layer, .. }) if layer == m),
                        "layer {m}, product {k}, side {side}"
                    );
                }
            }
            for round in 0..m {
                for c in 0..3 {
                    let mut bad = proof.clone();
                    bad.layers[m].sumcheck.round_polys[round].coeffs_except_linear_term[c] += one;
                    assert!(
                        matches!(verify(&bad, 2, n), Err(VerifyError::LayerClaimMismatch { layer, .. }) if layer == m)
                    );
                }
            }
        }
    }

    /// The last layer's values are only checked against the leaves by the
    /// caller's opening: a changed final claim must not verify as true.
    #[test]
    fn wrong_leaf_claims_fail_the_opening() {
        let mut rng = ChaCha20Rng::seed_from_u64(63);
        let leaves = random_leaves(1, 5, &mut rng);
        let (proof, _) = prove(&leaves);
        let claims = verify(&proof, 1, 5).unwrap();
        // Different leaves with the same product give different leaf claims.
        let mut other = leaves.clone();
        other[0].swap(0, 1);
        let (proof2, _) = prove(&other);
        let claims2 = verify(&proof2, 1, 5).unwrap();
        assert_eq!(proof.outputs, proof2.outputs);
        assert_ne!(
            DensePolynomial::new(leaves[0].clone()).evaluate(&claims2.r),
            claims2.evals[0]
        );
        check_leaf_claims(&leaves, &claims);
    }

    /// The layer sumcheck falls back to computing q(1) when it cannot be
    /// derived (a zero coordinate in the layer's point).
    #[test]
    fn layer_sumcheck_with_degenerate_point() {
        let mut rng = ChaCha20Rng::seed_from_u64(66);
        let m = 5;
        let below = random_leaves(2, m + 1, &mut rng);
        let mut r: Vec<Fr> = (0..m).map(|_| Fr::rand(&mut rng)).collect();
        r[2] = Fr::from(0u64);
        let gammas = vec![Fr::from(1u64), Fr::rand(&mut rng)];
        let eq = EqPolynomial::new(r.clone()).evals();
        let half = 1 << m;
        let claim: Fr = (0..half)
            .map(|x| {
                eq[x]
                    * (0..2)
                        .map(|k| gammas[k] * below[k][x] * below[k][x + half])
                        .sum::<Fr>()
            })
            .sum();
        let mut instance = LayerSumcheck::new(below, &r, gammas.clone(), claim);
        let (proof, _) = SumcheckProof::prove(&mut instance, &mut Transcript::new(b"layer"));
        let (left, right) = instance.final_evals();
        let sc = SumcheckClaim {
            claim,
            num_rounds: m,
            degree: 3,
        };
        let (r_prime, expected) = proof.verify(P, sc, &mut Transcript::new(b"layer")).unwrap();
        let products: Fr = (0..2).map(|k| gammas[k] * left[k] * right[k]).sum();
        assert_eq!(EqPolynomial::new(r).evaluate(&r_prime) * products, expected);
    }

    #[test]
    fn wrong_shape_is_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(64);
        let leaves = random_leaves(2, 3, &mut rng);
        let (proof, _) = prove(&leaves);
        assert!(matches!(
            verify(&proof, 3, 3),
            Err(VerifyError::Shape { .. })
        ));
        assert!(matches!(
            verify(&proof, 2, 4),
            Err(VerifyError::Shape { .. })
        ));
        assert!(matches!(
            verify(&proof, 2, 2),
            Err(VerifyError::Shape { .. })
        ));
        let mut bad = proof.clone();
        bad.layers[1].left.pop();
        assert!(matches!(verify(&bad, 2, 3), Err(VerifyError::Shape { .. })));
        let mut bad = proof.clone();
        bad.layers[2].sumcheck.round_polys.pop();
        assert!(matches!(verify(&bad, 2, 3), Err(VerifyError::Shape { .. })));
        let mut bad = proof.clone();
        bad.layers[2].sumcheck.round_polys[0]
            .coeffs_except_linear_term
            .push(Fr::from(0u64));
        assert!(matches!(
            verify(&bad, 2, 3),
            Err(VerifyError::DegreeTooHigh { .. })
        ));
    }

    #[test]
    fn serialization_round_trip_and_truncation() {
        let mut rng = ChaCha20Rng::seed_from_u64(65);
        let leaves = random_leaves(2, 4, &mut rng);
        let (proof, _) = prove(&leaves);
        let mut bytes = Vec::new();
        proof.serialize_compressed(&mut bytes).unwrap();
        let back = GrandProductProof::<Fr>::deserialize_compressed(&bytes[..]).unwrap();
        assert_eq!(back, proof);
        verify(&back, 2, 4).unwrap();
        for cut in 0..bytes.len() {
            assert!(GrandProductProof::<Fr>::deserialize_compressed(&bytes[..cut]).is_err());
        }
        for _ in 0..200 {
            let mut garbage = vec![0u8; (rng.next_u32() % 2000) as usize];
            rng.fill_bytes(&mut garbage);
            if let Ok(p) = GrandProductProof::<Fr>::deserialize_compressed(&garbage[..]) {
                assert!(verify(&p, 2, 4).is_err());
            }
        }
    }
}
