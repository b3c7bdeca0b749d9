//! The sumcheck protocol, single and batched.
//!
//! Proves Σ_{x ∈ {0,1}^n} g(x) = claim for a polynomial g of degree ≤ d in
//! each variable and hands on the claim "g(r) = expected" at a random point
//! r, which the caller checks against its own opening claims.
//!
//! Round j (top variable first): the prover sends
//! s_j(X) = Σ_{x'} g(r_1, …, r_{j−1}, X, x') in compressed form
//! ([`CompressedUniPoly`]); the verifier recovers the linear coefficient
//! from s_j(0) + s_j(1) = claim_{j−1}, absorbs s_j, draws r_j and sets
//! claim_j = s_j(r_j).
//!
//! **Batching.** Instances i = 1..k with n_i ≤ n = max n_i variables share
//! one run. Their claims are absorbed, then coefficients 1, ρ, ρ², … are
//! drawn (no draw for k = 1). Instance i enters with claim_i·2^(n − n_i):
//! in its first n − n_i "dummy" rounds it contributes the constant
//! polynomial claim_i·2^(remaining − 1), which halves its running claim
//! each round; after them it runs its own rounds on the last n_i challenges.
//! The batched message is Σ_i ρ^i·s_{i,j}, and the final claim is
//! Σ_i ρ^i·g_i(r[n − n_i..]).
//!
//! Transcript labels, in order: `sumcheck claims` (all input claims),
//! `sumcheck batching` (k > 1 only), then per round `sumcheck poly`
//! and `sumcheck r`.

use crate::codec::ProofVec;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::poly::{CompressedUniPoly, UniPoly};
use crate::transcript::Transcript;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

/// A sumcheck prover for one instance Σ_x g(x) = claim.
///
/// Implementations specialise the message computation (Spartan's
/// eq·(Az·Bz − Cz), Surge's eq·Σ flag·g(E), grand-product layers); the
/// generic one is [`super::DenseSumcheck`].
pub trait SumcheckInstance<F: JoltField>: Send + Sync {
    /// Degree bound d of every round polynomial.
    fn degree(&self) -> usize;

    /// Number of variables n.
    fn num_rounds(&self) -> usize;

    /// The claimed sum Σ_x g(x).
    fn input_claim(&self) -> F;

    /// Evaluations s(0), s(1), …, s(d) of this round's polynomial, with the
    /// top remaining variable free. `previous_claim` = s(0) + s(1), so an
    /// implementation may derive s(1) instead of computing it.
    fn compute_message(&mut self, round: usize, previous_claim: F) -> Vec<F>;

    /// Fixes the top remaining variable to `r_j`.
    fn bind(&mut self, r_j: F, round: usize);
}

/// What the verifier knows about one instance before reading the proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SumcheckClaim<F> {
    pub claim: F,
    pub num_rounds: usize,
    pub degree: usize,
}

/// The claim a sumcheck reduces to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SumcheckOutput<F> {
    /// All n challenges, top variable first.
    pub r: Vec<F>,
    /// The value Σ_i coeffs[i]·g_i(point(i)) must take.
    pub expected: F,
    /// Batching coefficients (`[1]` for a single instance).
    pub coeffs: Vec<F>,
    num_rounds: Vec<usize>,
}

impl<F: JoltField> SumcheckOutput<F> {
    /// The point instance i is evaluated at: the last n_i challenges.
    pub fn point(&self, i: usize) -> &[F] {
        &self.r[self.r.len() - self.num_rounds[i]..]
    }

    /// Checks Σ_i coeffs[i]·final_claims[i] = expected, where
    /// `final_claims[i]` is the caller's g_i(point(i)) computed from opening
    /// claims.
    pub fn check(&self, protocol: &'static str, final_claims: &[F]) -> Result<(), VerifyError> {
        check_shape(
            protocol,
            "final claims",
            self.coeffs.len(),
            final_claims.len(),
        )?;
        let combined: F = self
            .coeffs
            .iter()
            .zip(final_claims)
            .map(|(c, v)| *c * v)
            .sum();
        if combined == self.expected {
            Ok(())
        } else {
            Err(VerifyError::FinalClaimMismatch { protocol })
        }
    }
}

/// One compressed round polynomial per round of the longest instance.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct SumcheckProof<F: JoltField> {
    pub round_polys: ProofVec<CompressedUniPoly<F>>,
}

impl<F: JoltField> SumcheckProof<F> {
    /// Proves one instance; returns the proof and the challenges r.
    pub fn prove(
        instance: &mut dyn SumcheckInstance<F>,
        transcript: &mut Transcript,
    ) -> (Self, Vec<F>) {
        Self::prove_batched(&mut [instance], transcript)
    }

    /// Proves several instances in one run; see the module doc. After it,
    /// each instance is bound at [`SumcheckOutput::point`]`(i)`, i.e. the
    /// last n_i entries of the returned r.
    pub fn prove_batched(
        instances: &mut [&mut dyn SumcheckInstance<F>],
        transcript: &mut Transcript,
    ) -> (Self, Vec<F>) {
        let claims: Vec<F> = instances.iter().map(|inst| inst.input_claim()).collect();
        let num_rounds = instances
            .iter()
            .map(|inst| inst.num_rounds())
            .max()
            .unwrap_or(0);
        let degree = instances
            .iter()
            .map(|inst| inst.degree())
            .max()
            .unwrap_or(1)
            .max(1);
        let coeffs = batching_coeffs(&claims, transcript);

        let mut running: Vec<F> = instances
            .iter()
            .zip(&claims)
            .map(|(inst, claim)| scale_by_pow2(*claim, num_rounds - inst.num_rounds()))
            .collect();
        let inv_two = F::from_u64(2)
            .inverse()
            .expect("2 is invertible in an odd-characteristic field");
        let mut round_polys = Vec::with_capacity(num_rounds);
        let mut r = Vec::with_capacity(num_rounds);

        for round in 0..num_rounds {
            let mut batched = vec![F::zero(); degree + 1];
            let mut messages = Vec::with_capacity(instances.len());
            for (i, inst) in instances.iter_mut().enumerate() {
                let offset = num_rounds - inst.num_rounds();
                let evals = if round < offset {
                    vec![running[i] * inv_two; degree + 1]
                } else {
                    let mut evals = inst.compute_message(round - offset, running[i]);
                    debug_assert_eq!(
                        evals.len(),
                        inst.degree() + 1,
                        "message length != degree + 1"
                    );
                    debug_assert_eq!(
                        evals[0] + evals[1],
                        running[i],
                        "instance {i}: s(0) + s(1) != claim"
                    );
                    extend_evals(&mut evals, degree);
                    evals
                };
                for (b, e) in batched.iter_mut().zip(&evals) {
                    *b += coeffs[i] * e;
                }
                messages.push(evals);
            }

            let poly = UniPoly::from_evals(&batched);
            let compressed = poly.compress();
            transcript.append_scalars(b"sumcheck poly", &compressed.coeffs_except_linear_term);
            let r_j: F = transcript.challenge_scalar(b"sumcheck r");

            for (i, inst) in instances.iter_mut().enumerate() {
                let offset = num_rounds - inst.num_rounds();
                running[i] = UniPoly::from_evals(&messages[i]).evaluate(&r_j);
                if round >= offset {
                    inst.bind(r_j, round - offset);
                }
            }
            round_polys.push(compressed);
            r.push(r_j);
        }
        (
            Self {
                round_polys: round_polys.into(),
            },
            r,
        )
    }

    /// Verifies a single-instance proof; returns (r, expected g(r)).
    pub fn verify(
        &self,
        protocol: &'static str,
        claim: SumcheckClaim<F>,
        transcript: &mut Transcript,
    ) -> Result<(Vec<F>, F), VerifyError> {
        let out = self.verify_batched(protocol, &[claim], transcript)?;
        Ok((out.r, out.expected))
    }

    /// Verifies a batched proof: checks the number of rounds and each
    /// round's degree before reading it, replays the transcript, and returns
    /// the final point and expected value for the caller to check (e.g. with
    /// [`SumcheckOutput::check`]).
    pub fn verify_batched(
        &self,
        protocol: &'static str,
        claims: &[SumcheckClaim<F>],
        transcript: &mut Transcript,
    ) -> Result<SumcheckOutput<F>, VerifyError> {
        let num_rounds = claims.iter().map(|c| c.num_rounds).max().unwrap_or(0);
        let degree = claims.iter().map(|c| c.degree).max().unwrap_or(1).max(1);
        check_shape(
            protocol,
            "sumcheck rounds",
            num_rounds,
            self.round_polys.len(),
        )?;

        let input_claims: Vec<F> = claims.iter().map(|c| c.claim).collect();
        let coeffs = batching_coeffs(&input_claims, transcript);
        let mut claim: F = claims
            .iter()
            .zip(&coeffs)
            .map(|(c, coeff)| *coeff * scale_by_pow2(c.claim, num_rounds - c.num_rounds))
            .sum();

        let mut r = Vec::with_capacity(num_rounds);
        for (round, poly) in self.round_polys.iter().enumerate() {
            let got = poly.coeffs_except_linear_term.len();
            if got > degree {
                return Err(VerifyError::DegreeTooHigh {
                    protocol,
                    round,
                    max: degree,
                    got,
                });
            }
            check_shape(protocol, "round polynomial coefficients", degree, got)?;
            transcript.append_scalars(b"sumcheck poly", &poly.coeffs_except_linear_term);
            let r_j: F = transcript.challenge_scalar(b"sumcheck r");
            claim = poly.decompress(&claim).evaluate(&r_j);
            r.push(r_j);
        }
        Ok(SumcheckOutput {
            r,
            expected: claim,
            coeffs,
            num_rounds: claims.iter().map(|c| c.num_rounds).collect(),
        })
    }
}

/// Absorbs the input claims and draws the batching coefficients.
fn batching_coeffs<F: JoltField>(claims: &[F], transcript: &mut Transcript) -> Vec<F> {
    transcript.append_scalars(b"sumcheck claims", claims);
    if claims.len() == 1 {
        vec![F::one()]
    } else {
        transcript.challenge_powers(b"sumcheck batching", claims.len())
    }
}

fn scale_by_pow2<F: JoltField>(x: F, k: usize) -> F {
    x * F::from_u64(2).pow([k as u64])
}

/// Extends evaluations at 0..=d_i to 0..=degree through their interpolant.
fn extend_evals<F: JoltField>(evals: &mut Vec<F>, degree: usize) {
    if evals.len() < degree + 1 {
        let poly = UniPoly::from_evals(evals);
        for t in evals.len()..=degree {
            evals.push(poly.evaluate(&F::from_u64(t as u64)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{DensePolynomial, EqPolynomial};
    use crate::subprotocols::DenseSumcheck;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use ark_serialize::{Compress, Validate};
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    const P: &str = "test sumcheck";

    fn random_polys(k: usize, n: usize, rng: &mut ChaCha20Rng) -> Vec<DensePolynomial<Fr>> {
        (0..k)
            .map(|_| DensePolynomial::new((0..1 << n).map(|_| Fr::rand(rng)).collect()))
            .collect()
    }

    fn product(v: &[Fr]) -> Fr {
        v.iter().product()
    }

    /// Proves Σ_x Π_i P_i(x) and checks the claim against a brute-force sum;
    /// returns everything a verifier test needs.
    fn prove_product(
        k: usize,
        n: usize,
        rng: &mut ChaCha20Rng,
    ) -> (
        SumcheckProof<Fr>,
        SumcheckClaim<Fr>,
        Vec<DensePolynomial<Fr>>,
    ) {
        let polys = random_polys(k, n, rng);
        let brute: Fr = (0..1 << n)
            .map(|x| polys.iter().map(|p| p[x]).product::<Fr>())
            .sum();
        let mut instance = DenseSumcheck::new(polys.clone(), k, product);
        assert_eq!(instance.input_claim(), brute);
        let (proof, r) = SumcheckProof::prove(&mut instance, &mut Transcript::new(b"t"));
        assert_eq!(r.len(), n);
        // Binding by sumcheck = evaluating at r.
        let evals: Vec<Fr> = polys.iter().map(|p| p.evaluate(&r)).collect();
        assert_eq!(instance.final_evals(), evals);
        (
            proof,
            SumcheckClaim {
                claim: brute,
                num_rounds: n,
                degree: k,
            },
            polys,
        )
    }

    /// Verifier side: run the sumcheck verifier, then check the final value
    /// against the polynomials opened at the verifier's point.
    fn verify_product(
        proof: &SumcheckProof<Fr>,
        claim: SumcheckClaim<Fr>,
        polys: &[DensePolynomial<Fr>],
    ) -> Result<(), VerifyError> {
        let out = proof.verify_batched(P, &[claim], &mut Transcript::new(b"t"))?;
        let opened: Vec<Fr> = polys.iter().map(|p| p.evaluate(out.point(0))).collect();
        out.check(P, &[product(&opened)])
    }

    #[test]
    fn products_of_degree_1_to_4_on_random_sizes() {
        let mut rng = ChaCha20Rng::seed_from_u64(50);
        for n in 0..=16 {
            let k = 1 + (rng.next_u32() % 4) as usize;
            let (proof, claim, polys) = prove_product(k, n, &mut rng);
            verify_product(&proof, claim, &polys).unwrap();
        }
        // Every degree through the fixed-size paths (1..=4) and the generic one.
        for k in 1..=6 {
            let (proof, claim, polys) = prove_product(k, 9, &mut rng);
            verify_product(&proof, claim, &polys).unwrap();
        }
        // Above the parallel threshold with an odd thread count.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        pool.install(|| {
            let (proof, claim, polys) = prove_product(3, 15, &mut rng);
            verify_product(&proof, claim, &polys).unwrap();
        });
    }

    #[test]
    fn eq_times_ab_minus_c() {
        let mut rng = ChaCha20Rng::seed_from_u64(51);
        let n = 10;
        let tau: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let mut polys = random_polys(3, n, &mut rng);
        // C = A∘B on the hypercube, so the sum is zero (Spartan's outer form).
        let c: Vec<Fr> = (0..1 << n).map(|x| polys[0][x] * polys[1][x]).collect();
        polys[2] = DensePolynomial::new(c);
        let eq = DensePolynomial::new(EqPolynomial::new(tau.clone()).evals());
        let all = vec![eq, polys[0].clone(), polys[1].clone(), polys[2].clone()];
        let combine = |v: &[Fr]| v[0] * (v[1] * v[2] - v[3]);
        let mut instance = DenseSumcheck::new(all, 3, combine);
        assert_eq!(instance.input_claim(), Fr::from(0u64));
        let (proof, _) = SumcheckProof::prove(&mut instance, &mut Transcript::new(b"t"));
        let claim = SumcheckClaim {
            claim: Fr::from(0u64),
            num_rounds: n,
            degree: 3,
        };
        let (r, expected) = proof.verify(P, claim, &mut Transcript::new(b"t")).unwrap();
        let eq_r = EqPolynomial::new(tau).evaluate(&r);
        let [a, b, c] = [0, 1, 2].map(|i| polys[i].evaluate(&r));
        assert_eq!(expected, eq_r * (a * b - c));
    }

    #[test]
    fn batched_instances_of_different_sizes_and_degrees() {
        let mut rng = ChaCha20Rng::seed_from_u64(52);
        for shape in [
            vec![(3, 2)],
            vec![(0, 1), (5, 2)],
            vec![(4, 3), (7, 1), (2, 2), (7, 4)],
        ] {
            let polys: Vec<_> = shape
                .iter()
                .map(|&(n, k)| random_polys(k, n, &mut rng))
                .collect();
            let mut instances: Vec<_> = polys
                .iter()
                .zip(&shape)
                .map(|(p, &(_, k))| DenseSumcheck::new(p.clone(), k, product))
                .collect();
            let claims: Vec<SumcheckClaim<Fr>> = instances
                .iter()
                .map(|inst| SumcheckClaim {
                    claim: inst.input_claim(),
                    num_rounds: inst.num_rounds(),
                    degree: inst.degree(),
                })
                .collect();
            let mut refs: Vec<&mut dyn SumcheckInstance<Fr>> = instances
                .iter_mut()
                .map(|i| i as &mut dyn SumcheckInstance<Fr>)
                .collect();
            let (proof, r) = SumcheckProof::prove_batched(&mut refs, &mut Transcript::new(b"t"));

            let out = proof
                .verify_batched(P, &claims, &mut Transcript::new(b"t"))
                .unwrap();
            assert_eq!(out.r, r);
            let finals: Vec<Fr> = polys
                .iter()
                .enumerate()
                .map(|(i, ps)| {
                    let opened: Vec<Fr> = ps.iter().map(|p| p.evaluate(out.point(i))).collect();
                    assert_eq!(instances[i].final_evals(), opened);
                    product(&opened)
                })
                .collect();
            out.check(P, &finals).unwrap();

            // Any single wrong final claim is caught.
            let mut wrong = finals.clone();
            wrong[0] += Fr::from(1u64);
            assert_eq!(
                out.check(P, &wrong),
                Err(VerifyError::FinalClaimMismatch { protocol: P })
            );
            // A wrong input claim for any instance is caught.
            for i in 0..claims.len() {
                let mut bad = claims.clone();
                bad[i].claim += Fr::from(1u64);
                let out = proof
                    .verify_batched(P, &bad, &mut Transcript::new(b"t"))
                    .unwrap();
                let finals: Vec<Fr> = polys
                    .iter()
                    .enumerate()
                    .map(|(j, ps)| {
                        product(
                            &ps.iter()
                                .map(|p| p.evaluate(out.point(j)))
                                .collect::<Vec<_>>(),
                        )
                    })
                    .collect();
                assert!(out.check(P, &finals).is_err());
            }
        }
    }

    #[test]
    fn tampered_coefficients_are_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(53);
        for k in 1..=4 {
            let (proof, claim, polys) = prove_product(k, 5, &mut rng);
            for round in 0..proof.round_polys.len() {
                for c in 0..proof.round_polys[round].coeffs_except_linear_term.len() {
                    let mut bad = proof.clone();
                    bad.round_polys[round].coeffs_except_linear_term[c] += Fr::from(1u64);
                    assert_eq!(
                        verify_product(&bad, claim, &polys),
                        Err(VerifyError::FinalClaimMismatch { protocol: P }),
                        "k = {k}, round {round}, coefficient {c}"
                    );
                }
            }
        }
    }

    /// Prover and verifier absorb the same labels and bytes in the same
    /// order: their transcripts end in the same state.
    #[test]
    fn prover_and_verifier_transcripts_stay_in_sync() {
        let mut rng = ChaCha20Rng::seed_from_u64(58);
        let polys: Vec<_> = [(3, 2), (5, 3)]
            .map(|(n, k)| random_polys(k, n, &mut rng))
            .to_vec();
        let mut instances: Vec<_> = polys
            .iter()
            .map(|p| DenseSumcheck::new(p.clone(), p.len(), product))
            .collect();
        let claims: Vec<SumcheckClaim<Fr>> = instances
            .iter()
            .map(|i| SumcheckClaim {
                claim: i.input_claim(),
                num_rounds: i.num_rounds(),
                degree: i.degree(),
            })
            .collect();
        let mut refs: Vec<&mut dyn SumcheckInstance<Fr>> = instances
            .iter_mut()
            .map(|i| i as &mut dyn SumcheckInstance<Fr>)
            .collect();
        let mut tp = Transcript::new(b"t");
        let (proof, _) = SumcheckProof::prove_batched(&mut refs, &mut tp);
        let mut tv = Transcript::new(b"t");
        proof.verify_batched(P, &claims, &mut tv).unwrap();
        assert_eq!(tp.log(), tv.log());
        assert_eq!(
            tp.challenge_scalar::<Fr>(b"end"),
            tv.challenge_scalar::<Fr>(b"end")
        );
    }

    #[test]
    fn different_transcript_state_is_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(57);
        let (proof, claim, polys) = prove_product(2, 6, &mut rng);
        let mut t = Transcript::new(b"t");
        t.append_u64(b"something the prover did not absorb", 1);
        let out = proof.verify_batched(P, &[claim], &mut t).unwrap();
        let opened: Vec<Fr> = polys.iter().map(|p| p.evaluate(out.point(0))).collect();
        assert!(out.check(P, &[product(&opened)]).is_err());
    }

    #[test]
    fn tampered_claim_is_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(54);
        for n in [0, 1, 6] {
            let (proof, mut claim, polys) = prove_product(2, n, &mut rng);
            claim.claim += Fr::from(1u64);
            assert_eq!(
                verify_product(&proof, claim, &polys),
                Err(VerifyError::FinalClaimMismatch { protocol: P })
            );
        }
    }

    #[test]
    fn wrong_shape_is_rejected_before_use() {
        let mut rng = ChaCha20Rng::seed_from_u64(55);
        let (proof, claim, polys) = prove_product(2, 4, &mut rng);

        let mut short = proof.clone();
        short.round_polys.pop();
        assert_eq!(
            verify_product(&short, claim, &polys),
            Err(VerifyError::Shape {
                protocol: P,
                what: "sumcheck rounds",
                expected: 4,
                got: 3
            })
        );

        let mut long = proof.clone();
        long.round_polys.push(proof.round_polys[0].clone());
        assert!(matches!(
            verify_product(&long, claim, &polys),
            Err(VerifyError::Shape { .. })
        ));

        let mut high = proof.clone();
        high.round_polys[2]
            .coeffs_except_linear_term
            .push(Fr::from(0u64));
        assert_eq!(
            verify_product(&high, claim, &polys),
            Err(VerifyError::DegreeTooHigh {
                protocol: P,
                round: 2,
                max: 2,
                got: 3
            })
        );

        let mut empty = proof.clone();
        empty.round_polys[1].coeffs_except_linear_term.clear();
        assert!(matches!(
            verify_product(&empty, claim, &polys),
            Err(VerifyError::Shape { .. })
        ));
    }

    #[test]
    fn serialization_round_trip_and_truncation() {
        let mut rng = ChaCha20Rng::seed_from_u64(56);
        let (proof, claim, polys) = prove_product(3, 6, &mut rng);
        for compress in [Compress::Yes, Compress::No] {
            let mut bytes = Vec::new();
            proof.serialize_with_mode(&mut bytes, compress).unwrap();
            assert_eq!(bytes.len(), proof.serialized_size(compress));
            let back =
                SumcheckProof::<Fr>::deserialize_with_mode(&bytes[..], compress, Validate::Yes)
                    .unwrap();
            assert_eq!(back, proof);
            verify_product(&back, claim, &polys).unwrap();
            for cut in 0..bytes.len() {
                assert!(SumcheckProof::<Fr>::deserialize_with_mode(
                    &bytes[..cut],
                    compress,
                    Validate::Yes
                )
                .is_err());
            }
        }
        // Random bytes decode to an error or to a proof the verifier rejects.
        for _ in 0..200 {
            let mut bytes = vec![0u8; (rng.next_u32() % 600) as usize];
            rng.fill_bytes(&mut bytes);
            if let Ok(p) = SumcheckProof::<Fr>::deserialize_compressed(&bytes[..]) {
                assert!(verify_product(&p, claim, &polys).is_err());
            }
        }
    }
}
