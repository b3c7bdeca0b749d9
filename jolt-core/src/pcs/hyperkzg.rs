//! HyperKZG over BN254: a multilinear evaluation proof reduced to univariate
//! KZG openings of the successive folds (Gemini, Bootle–Chiesa–Hu–Orrù
//! 2022; the HyperKZG variant of Nova/Jolt that opens every fold at the same
//! three points).
//!
//! **Commitment.** The table f_0 = (P(0…0), …, P(1…1)) of P is read as the
//! coefficients of a univariate polynomial, C = Σ_i f_0\[i]·\[τ^i]_1.
//! Commitments are homomorphic, and a shorter table is the same commitment
//! as the table padded with zeros.
//!
//! **Folding.** Index bit 0 of the table is the last variable x_n, so fold
//! j binds u_j = point\[n − 1 − j]:
//! f_{j+1}\[i] = f_j\[2i] + u_j·(f_j\[2i+1] − f_j\[2i]), and f_n = P(point).
//! As univariate polynomials, with f_j(X) = E_j(X²) + X·O_j(X²),
//!
//!   f_{j+1}(X²) = (1 − u_j)·E_j(X²) + u_j·O_j(X²),
//!   E_j(r²) = (f_j(r) + f_j(−r))/2,   O_j(r²) = (f_j(r) − f_j(−r))/(2r).
//!
//! **Protocol** (transcript labels in quotes, in order).
//! 1. Absorb C ("hyperkzg commitment"), the point and the claimed value v.
//! 2. P commits f_1, …, f_{n−1} ("hyperkzg folds"); V draws r
//!    ("hyperkzg r"), rejecting r ∈ {0, 1, −1} where r, −r, r² collide.
//! 3. P sends f_j(r), f_j(−r) for j < n and f_0(r²) ("hyperkzg evals"). V
//!    derives f_{j+1}(r²) from the fold identity for each j and requires
//!    the derived f_n(r²) to equal v. (Sending only f_0(r²) and deriving the
//!    rest saves n − 1 field elements over sending all three vectors.)
//! 4. V draws q ("hyperkzg q"); B = Σ_j q^j·f_j with C_B = Σ_j q^j·C_j.
//!    P proves B(r), B(−r), B(r²) with one quotient W ([`super::kzg`],
//!    "hyperkzg quotient"). V checks one two-pairing equation.
//!
//! Proof: n − 1 + 1 G1 points and 2n + 1 field elements (2^20 evaluations:
//! 20 points + 41 scalars = 1,952 bytes compressed, plus length prefixes).
//! Verifier: one G1 MSM of n + 3 points, one G2 MSM of 4, two pairings.
//!
//! A 0-variable polynomial is a constant v with C = v·\[1]_1; its proof has
//! no folds or evaluations, f_0(r²) = v and W = the identity.

use super::error::{check_len, PcsError};
use super::kzg;
use super::msm;
use super::srs::{self, Srs};
use super::{Column, CommitmentScheme, StepIndex, TableRead};
use crate::codec::ProofVec;
use crate::poly::DensePolynomial;
use crate::transcript::Transcript;
use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{AdditiveGroup, Field, One, Zero};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rayon::prelude::*;

/// HyperKZG over BN254 (see the module doc).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HyperKzg;

/// C = Σ_i f\[i]·\[τ^i]_1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct HyperKzgCommitment(pub G1Affine);

/// \[τ^i]_1 for i < 2^max_num_vars (at least 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HyperKzgProverKey {
    g1_powers: Vec<G1Affine>,
}

impl HyperKzgProverKey {
    /// Largest number of variables a committed polynomial may have.
    pub fn max_num_vars(&self) -> usize {
        self.g1_powers.len().ilog2() as usize
    }

    pub fn g1_powers(&self) -> &[G1Affine] {
        &self.g1_powers
    }
}

/// What the verifier needs from the SRS: \[1]_1, \[τ]_1, \[τ²]_1, \[τ^0..3]_2.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct HyperKzgVerifierKey {
    pub max_num_vars: u64,
    pub g1: G1Affine,
    pub tau_g1: G1Affine,
    pub tau2_g1: G1Affine,
    pub g2_powers: [G2Affine; 4],
}

/// An evaluation proof for a polynomial of n variables.
#[derive(Clone, Debug, Default, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct HyperKzgProof {
    /// Commitments to f_1, …, f_{n−1} (n − 1 points; none for n ≤ 1).
    pub fold_commitments: ProofVec<G1Affine>,
    /// f_j(r) for j < n.
    pub evals_pos: ProofVec<Fr>,
    /// f_j(−r) for j < n.
    pub evals_neg: ProofVec<Fr>,
    /// f_0(r²).
    pub eval_sq: Fr,
    /// W = \[(B − I)/Z_S (τ)]_1.
    pub quotient: G1Affine,
}

impl HyperKzg {
    /// **INSECURE** keys from [`Srs::insecure_dev_setup`], for tests and
    /// benchmarks.
    pub fn insecure_dev_setup(
        max_num_vars: usize,
        seed: u64,
    ) -> (HyperKzgProverKey, HyperKzgVerifierKey) {
        let srs = Srs::insecure_dev_setup(max_num_vars, seed);
        // Invariant: the SRS was made for exactly this size.
        Self::setup(&srs, max_num_vars).expect("dev SRS has the requested size")
    }

    /// Commits with ark-ec's generic MSM (the baseline for benchmarks).
    pub fn commit_with_ark_msm(
        pk: &HyperKzgProverKey,
        evals: &[Fr],
    ) -> Result<HyperKzgCommitment, PcsError> {
        check_commit_len(pk, evals.len())?;
        Ok(HyperKzgCommitment(
            msm::msm_ark(&pk.g1_powers, evals).into_affine(),
        ))
    }
}

fn check_commit_len(pk: &HyperKzgProverKey, len: usize) -> Result<(), PcsError> {
    if len > pk.g1_powers.len() {
        return Err(PcsError::SrsTooSmall {
            what: "G1 powers (polynomial length)",
            needed: len,
            have: pk.g1_powers.len(),
        });
    }
    Ok(())
}

impl CommitmentScheme for HyperKzg {
    type Field = Fr;
    type Srs = Srs;
    type ProverKey = HyperKzgProverKey;
    type VerifierKey = HyperKzgVerifierKey;
    type Commitment = HyperKzgCommitment;
    type Proof = HyperKzgProof;

    fn setup(
        srs: &Srs,
        max_num_vars: usize,
    ) -> Result<(HyperKzgProverKey, HyperKzgVerifierKey), PcsError> {
        let needed = Srs::g1_powers_for(max_num_vars);
        let g1 = srs.g1_powers();
        if g1.len() < needed {
            return Err(PcsError::SrsTooSmall {
                what: "G1 powers",
                needed,
                have: g1.len(),
            });
        }
        let vk = Self::verifier_setup(srs, max_num_vars)?;
        let pk = HyperKzgProverKey {
            g1_powers: g1[..needed].to_vec(),
        };
        Ok((pk, vk))
    }

    fn verifier_setup(srs: &Srs, max_num_vars: usize) -> Result<HyperKzgVerifierKey, PcsError> {
        let (g1, g2) = (srs.g1_powers(), srs.g2_powers());
        // Invariant: an Srs has at least MIN_G1_POWERS G1 powers and exactly
        // NUM_G2_POWERS G2 powers.
        let g2_powers: [G2Affine; 4] = g2.try_into().expect("Srs keeps 4 G2 powers");
        Ok(HyperKzgVerifierKey {
            max_num_vars: max_num_vars as u64,
            g1: g1[0],
            tau_g1: g1[1],
            tau2_g1: g1[2],
            g2_powers,
        })
    }

    fn commit(
        pk: &HyperKzgProverKey,
        column: Column<'_, Fr>,
    ) -> Result<HyperKzgCommitment, PcsError> {
        check_commit_len(pk, column.len())?;
        Ok(HyperKzgCommitment(
            msm::msm_column(&pk.g1_powers, column).into_affine(),
        ))
    }

    /// Columns whose hint holds are committed through the bucket sums of
    /// their index ([`msm::index_buckets`], once per distinct index), the
    /// rest as in [`CommitmentScheme::batch_commit`].
    fn batch_commit_with_reads(
        pk: &HyperKzgProverKey,
        columns: &[Column<'_, Fr>],
        reads: &[Option<TableRead<'_, Fr>>],
    ) -> Result<Vec<HyperKzgCommitment>, PcsError> {
        check_len("table-read hints", columns.len(), reads.len())?;
        for column in columns {
            check_commit_len(pk, column.len())?;
        }
        let held: Vec<Option<&TableRead<'_, Fr>>> = columns
            .par_iter()
            .zip(reads)
            .map(|(column, read)| read.as_ref().filter(|r| r.holds_for(column)))
            .collect();
        let mut keys: Vec<(u8, usize, usize)> =
            held.iter().flatten().map(|r| r.index.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        let indices: Vec<StepIndex<'_>> = keys
            .iter()
            .map(|key| {
                // Invariant: every key came from a held read.
                let read = held
                    .iter()
                    .flatten()
                    .find(|r| r.index.key() == *key)
                    .unwrap();
                read.index
            })
            .collect();
        let buckets = msm::index_buckets(&pk.g1_powers, &indices);
        Ok(columns
            .par_iter()
            .zip(&held)
            .map(|(column, read)| {
                let point = match read {
                    Some(read) => {
                        // Invariant: the key is in `keys` (collected above).
                        let k = keys.binary_search(&read.index.key()).unwrap();
                        msm::msm_table_read(&buckets[k], read.table)
                    }
                    None => msm::msm_column(&pk.g1_powers, *column),
                };
                HyperKzgCommitment(point.into_affine())
            })
            .collect())
    }

    fn combine_commitments(
        commitments: &[&HyperKzgCommitment],
        coeffs: &[Fr],
    ) -> Result<HyperKzgCommitment, PcsError> {
        check_len("combination coefficients", commitments.len(), coeffs.len())?;
        let points: Vec<G1Affine> = commitments.iter().map(|c| c.0).collect();
        Ok(HyperKzgCommitment(
            msm::msm_field(&points, coeffs).into_affine(),
        ))
    }

    fn prove(
        pk: &HyperKzgProverKey,
        poly: &DensePolynomial<Fr>,
        commitment: &HyperKzgCommitment,
        point: &[Fr],
        transcript: &mut Transcript,
    ) -> Result<HyperKzgProof, PcsError> {
        let n = point.len();
        check_len(
            "point coordinates (polynomial variables)",
            poly.num_vars(),
            n,
        )?;
        check_commit_len(pk, poly.len())?;

        let folds = fold_all(poly.evals(), point);
        let eval = match folds.last() {
            Some(last) => last[0],
            None => poly.evals()[0],
        };
        absorb_statement(transcript, commitment, point, eval);

        // f_1, …, f_{n−1}: the last fold f_n is the value itself.
        // In parallel: the small folds' MSMs alone leave a thread idle.
        let fold_commitments: Vec<G1Projective> = folds
            .par_iter()
            .take(n.saturating_sub(1))
            .map(|f| msm::msm_field(&pk.g1_powers, f))
            .collect();
        let fold_commitments = G1Projective::normalize_batch(&fold_commitments);
        transcript.append_points(b"hyperkzg folds", &fold_commitments);
        let r: Fr = transcript.challenge_scalar(b"hyperkzg r");

        if n == 0 {
            let proof = HyperKzgProof {
                eval_sq: eval,
                quotient: G1Affine::identity(),
                ..Default::default()
            };
            absorb_evals(transcript, &proof);
            let _: Fr = transcript.challenge_scalar(b"hyperkzg q");
            transcript.append_point(b"hyperkzg quotient", &proof.quotient);
            return Ok(proof);
        }
        let points = opening_points(r)?;

        // f_0 = the table itself, then the folds f_1..f_{n−1}.
        let polys: Vec<&[Fr]> = std::iter::once(poly.evals())
            .chain(folds.iter().take(n - 1).map(|f| f.as_slice()))
            .collect();
        let (evals_pos, evals_neg): (Vec<Fr>, Vec<Fr>) = polys
            .par_iter()
            .map(|f| kzg::evaluate_pos_neg(f, r))
            .unzip();
        let eval_sq = kzg::evaluate(poly.evals(), points[2]);
        let mut proof = HyperKzgProof {
            fold_commitments: fold_commitments.into(),
            evals_pos: evals_pos.into(),
            evals_neg: evals_neg.into(),
            eval_sq,
            quotient: G1Affine::identity(),
        };
        absorb_evals(transcript, &proof);
        let q: Fr = transcript.challenge_scalar(b"hyperkzg q");

        let squares = derived_squares(&proof, point, r)?;
        let q_powers = powers(q, n);
        let values = batched_values(&proof, &squares, &q_powers);
        let interpolant = kzg::interpolate_quadratic(points, values)?;
        let b = batch_polys(&polys, &q_powers);
        let quotient = kzg::quotient_by_cubic(b, interpolant, kzg::vanishing_cubic(points));
        proof.quotient = msm::msm_field(&pk.g1_powers, &quotient).into_affine();
        transcript.append_point(b"hyperkzg quotient", &proof.quotient);
        Ok(proof)
    }

    fn verify(
        vk: &HyperKzgVerifierKey,
        commitment: &HyperKzgCommitment,
        point: &[Fr],
        eval: Fr,
        proof: &HyperKzgProof,
        transcript: &mut Transcript,
    ) -> Result<(), PcsError> {
        let n = point.len();
        if n as u64 > vk.max_num_vars {
            return Err(PcsError::SrsTooSmall {
                what: "variables",
                needed: n,
                have: vk.max_num_vars as usize,
            });
        }
        check_len(
            "fold commitments",
            n.saturating_sub(1),
            proof.fold_commitments.len(),
        )?;
        check_len("evaluations at r", n, proof.evals_pos.len())?;
        check_len("evaluations at -r", n, proof.evals_neg.len())?;

        absorb_statement(transcript, commitment, point, eval);
        transcript.append_points(b"hyperkzg folds", &proof.fold_commitments);
        let r: Fr = transcript.challenge_scalar(b"hyperkzg r");
        absorb_evals(transcript, proof);
        let q: Fr = transcript.challenge_scalar(b"hyperkzg q");
        transcript.append_point(b"hyperkzg quotient", &proof.quotient);

        if n == 0 {
            if proof.eval_sq != eval {
                return Err(PcsError::FoldMismatch { round: 0 });
            }
            if !proof.quotient.is_zero() {
                return Err(PcsError::PairingCheck {
                    check: "0-variable opening has a non-identity quotient",
                });
            }
            if commitment.0 != (vk.g1 * eval).into_affine() {
                return Err(PcsError::PairingCheck {
                    check: "0-variable opening: C = v·[1]_1",
                });
            }
            return Ok(());
        }
        let points = opening_points(r)?;

        let squares = derived_squares(proof, point, r)?;
        if squares[n] != eval {
            return Err(PcsError::FoldMismatch { round: n });
        }
        let q_powers = powers(q, n);
        let values = batched_values(proof, &squares, &q_powers);
        let interpolant = kzg::interpolate_quadratic(points, values)?;

        // C_B − [I(τ)]_1 in one MSM over C, C_1, …, C_{n−1}, [1]_1, [τ]_1, [τ²]_1.
        let mut bases = Vec::with_capacity(n + 3);
        bases.push(commitment.0);
        bases.extend_from_slice(&proof.fold_commitments);
        bases.extend_from_slice(&[vk.g1, vk.tau_g1, vk.tau2_g1]);
        let mut scalars = q_powers;
        scalars.extend(interpolant.iter().map(|i| -*i));
        let lhs = G1Projective::msm(&bases, &scalars).map_err(|_| PcsError::Shape {
            what: "MSM bases",
            expected: scalars.len(),
            got: bases.len(),
        })?;
        let z = kzg::vanishing_cubic(points);
        let z_tau = G2Projective::msm(&vk.g2_powers, &z).map_err(|_| PcsError::Shape {
            what: "G2 powers",
            expected: 4,
            got: vk.g2_powers.len(),
        })?;
        if srs::pairings_equal(
            lhs,
            vk.g2_powers[0],
            proof.quotient.into_group(),
            z_tau.into_affine(),
        ) {
            Ok(())
        } else {
            Err(PcsError::PairingCheck {
                check: "hyperkzg: e(C_B - [I(tau)]_1, [1]_2) = e(W, [Z(tau)]_2)",
            })
        }
    }
}

fn absorb_statement(
    transcript: &mut Transcript,
    commitment: &HyperKzgCommitment,
    point: &[Fr],
    eval: Fr,
) {
    transcript.append_point(b"hyperkzg commitment", &commitment.0);
    transcript.append_scalars(b"hyperkzg point", point);
    transcript.append_scalar(b"hyperkzg eval", &eval);
}

fn absorb_evals(transcript: &mut Transcript, proof: &HyperKzgProof) {
    let mut evals = Vec::with_capacity(2 * proof.evals_pos.len() + 1);
    evals.extend_from_slice(&proof.evals_pos);
    evals.extend_from_slice(&proof.evals_neg);
    evals.push(proof.eval_sq);
    transcript.append_scalars(b"hyperkzg evals", &evals);
}

/// S = {r, −r, r²}, distinct unless r ∈ {0, 1, −1}.
fn opening_points(r: Fr) -> Result<[Fr; 3], PcsError> {
    if r.is_zero() || r.is_one() || (-r).is_one() {
        return Err(PcsError::DegenerateChallenge {
            what: "hyperkzg r in {0, 1, -1}",
        });
    }
    Ok([r, -r, r.square()])
}

/// f_1, …, f_n, each half the length of the one before (f_n has length 1).
fn fold_all(table: &[Fr], point: &[Fr]) -> Vec<Vec<Fr>> {
    let mut folds: Vec<Vec<Fr>> = Vec::with_capacity(point.len());
    for u in point.iter().rev() {
        let prev = folds.last().map_or(table, |f| f.as_slice());
        let fold = |pair: &[Fr]| pair[0] + *u * (pair[1] - pair[0]);
        let next: Vec<Fr> = if prev.len() >= 1 << 13 {
            prev.par_chunks_exact(2)
                .with_min_len(1 << 11)
                .map(fold)
                .collect()
        } else {
            prev.chunks_exact(2).map(fold).collect()
        };
        folds.push(next);
    }
    folds
}

/// f_j(r²) for j = 0..=n: f_0(r²) as sent, the rest from the fold
/// identity f_{j+1}(r²) = E_j + u_j·(O_j − E_j). The verifier requires
/// entry n to be the claimed value.
fn derived_squares(proof: &HyperKzgProof, point: &[Fr], r: Fr) -> Result<Vec<Fr>, PcsError> {
    let n = point.len();
    let inv_two = Fr::from(2u64)
        .inverse()
        .ok_or(PcsError::DegenerateChallenge {
            what: "2 has no inverse",
        })?;
    let inv_two_r = (r.double())
        .inverse()
        .ok_or(PcsError::DegenerateChallenge {
            what: "hyperkzg r = 0",
        })?;
    let mut squares = Vec::with_capacity(n + 1);
    squares.push(proof.eval_sq);
    for j in 0..n {
        let (pos, neg) = (proof.evals_pos[j], proof.evals_neg[j]);
        let even = (pos + neg) * inv_two;
        let odd = (pos - neg) * inv_two_r;
        let u = point[n - 1 - j];
        squares.push(even + u * (odd - even));
    }
    Ok(squares)
}

/// (B(r), B(−r), B(r²)) = Σ_j q^j·(f_j(r), f_j(−r), f_j(r²)).
fn batched_values(proof: &HyperKzgProof, squares: &[Fr], q_powers: &[Fr]) -> [Fr; 3] {
    let dot = |v: &[Fr]| q_powers.iter().zip(v).map(|(a, b)| *a * b).sum::<Fr>();
    [dot(&proof.evals_pos), dot(&proof.evals_neg), dot(squares)]
}

fn powers(x: Fr, n: usize) -> Vec<Fr> {
    std::iter::successors(Some(Fr::one()), |p| Some(*p * x))
        .take(n)
        .collect()
}

/// B = Σ_j q^j·f_j (f_j shorter than f_0 are zero padded).
fn batch_polys(polys: &[&[Fr]], q_powers: &[Fr]) -> Vec<Fr> {
    let mut b = polys[0].to_vec();
    let chunk = 1 << 12;
    b.par_chunks_mut(chunk).enumerate().for_each(|(k, out)| {
        let start = k * chunk;
        for (f, q) in polys.iter().zip(q_powers).skip(1) {
            if start >= f.len() {
                break;
            }
            let end = (start + out.len()).min(f.len());
            for (o, v) in out.iter_mut().zip(&f[start..end]) {
                *o += *q * v;
            }
        }
    });
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use rand::Rng;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    const MAX_VARS: usize = 16;

    fn keys() -> &'static (HyperKzgProverKey, HyperKzgVerifierKey) {
        static KEYS: std::sync::OnceLock<(HyperKzgProverKey, HyperKzgVerifierKey)> =
            std::sync::OnceLock::new();
        KEYS.get_or_init(|| HyperKzg::insecure_dev_setup(MAX_VARS, 42))
    }

    fn random_poly(n: usize, rng: &mut ChaCha20Rng) -> DensePolynomial<Fr> {
        DensePolynomial::new((0..1 << n).map(|_| Fr::rand(rng)).collect())
    }

    fn random_point(n: usize, rng: &mut ChaCha20Rng) -> Vec<Fr> {
        (0..n).map(|_| Fr::rand(rng)).collect()
    }

    /// Commits, proves at a random point, returns everything a verifier
    /// test needs.
    fn prove_random(
        n: usize,
        rng: &mut ChaCha20Rng,
    ) -> (HyperKzgCommitment, Vec<Fr>, Fr, HyperKzgProof) {
        let (pk, _) = keys();
        let poly = random_poly(n, rng);
        let point = random_point(n, rng);
        let c = HyperKzg::commit(pk, (&poly).into()).unwrap();
        let proof = HyperKzg::prove(pk, &poly, &c, &point, &mut Transcript::new(b"test")).unwrap();
        (c, point.clone(), poly.evaluate(&point), proof)
    }

    fn verify(
        c: &HyperKzgCommitment,
        point: &[Fr],
        eval: Fr,
        proof: &HyperKzgProof,
    ) -> Result<(), PcsError> {
        HyperKzg::verify(
            &keys().1,
            c,
            point,
            eval,
            proof,
            &mut Transcript::new(b"test"),
        )
    }

    #[test]
    fn completeness_for_0_to_16_variables() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        for n in 0..=MAX_VARS {
            let (c, point, eval, proof) = prove_random(n, &mut rng);
            assert_eq!(proof.fold_commitments.len(), n.saturating_sub(1));
            verify(&c, &point, eval, &proof).unwrap_or_else(|e| panic!("n = {n}: {e}"));
        }
    }

    /// Fiat–Shamir order: every prover message is absorbed before the
    /// challenge that depends on it, identically on both sides.
    #[cfg(debug_assertions)]
    #[test]
    fn transcript_order_is_the_documented_one() {
        use crate::transcript::TranscriptEvent::{Absorb, Challenge};
        let mut rng = ChaCha20Rng::seed_from_u64(10);
        let (pk, vk) = keys();
        let poly = random_poly(4, &mut rng);
        let point = random_point(4, &mut rng);
        let c = HyperKzg::commit(pk, (&poly).into()).unwrap();
        let mut tp = Transcript::new(b"t");
        let proof = HyperKzg::prove(pk, &poly, &c, &point, &mut tp).unwrap();
        let mut tv = Transcript::new(b"t");
        HyperKzg::verify(vk, &c, &point, poly.evaluate(&point), &proof, &mut tv).unwrap();
        let expected = [
            Absorb(b"hyperkzg commitment"),
            Absorb(b"hyperkzg point"),
            Absorb(b"hyperkzg eval"),
            Absorb(b"hyperkzg folds"),
            Challenge(b"hyperkzg r"),
            Absorb(b"hyperkzg evals"),
            Challenge(b"hyperkzg q"),
            Absorb(b"hyperkzg quotient"),
        ];
        assert_eq!(tp.log(), expected);
        assert_eq!(tv.log(), expected);
    }

    #[test]
    fn point_convention_matches_dense_polynomial() {
        // P = x_1 (the top variable, index bit n−1): P(r) = r[0].
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let n = 4;
        let poly = DensePolynomial::new((0..1u64 << n).map(|i| Fr::from(i >> (n - 1))).collect());
        let point = random_point(n, &mut rng);
        assert_eq!(poly.evaluate(&point), point[0]);
        let (pk, vk) = keys();
        let c = HyperKzg::commit(pk, (&poly).into()).unwrap();
        let proof = HyperKzg::prove(pk, &poly, &c, &point, &mut Transcript::new(b"t")).unwrap();
        HyperKzg::verify(vk, &c, &point, point[0], &proof, &mut Transcript::new(b"t")).unwrap();
        let mut reversed = point.clone();
        reversed.reverse();
        assert!(HyperKzg::verify(
            vk,
            &c,
            &reversed,
            point[0],
            &proof,
            &mut Transcript::new(b"t")
        )
        .is_err());
    }

    #[test]
    fn small_value_columns_commit_like_field_columns() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let (pk, _) = keys();
        let n = 1000;
        let bits: Vec<bool> = (0..n).map(|_| rng.gen()).collect();
        let u8s: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
        let u16s: Vec<u16> = (0..n).map(|_| rng.gen()).collect();
        let u32s: Vec<u32> = (0..n).map(|_| rng.gen()).collect();
        let u64s: Vec<u64> = (0..n).map(|_| rng.gen()).collect();
        let i64s: Vec<i64> = (0..n).map(|_| rng.gen()).collect();
        let columns: Vec<Column<'_, Fr>> = vec![
            bits.as_slice().into(),
            u8s.as_slice().into(),
            u16s.as_slice().into(),
            u32s.as_slice().into(),
            u64s.as_slice().into(),
            i64s.as_slice().into(),
        ];
        let batch = HyperKzg::batch_commit(pk, &columns).unwrap();
        for (column, c) in columns.iter().zip(&batch) {
            let field = column.to_field();
            assert_eq!(*c, HyperKzg::commit(pk, Column::Field(&field)).unwrap());
            assert_eq!(*c, HyperKzg::commit_with_ark_msm(pk, &field).unwrap());
            // Committing the padded table gives the same commitment.
            let padded = DensePolynomial::new_padded(field);
            assert_eq!(*c, HyperKzg::commit(pk, (&padded).into()).unwrap());
        }
    }

    #[test]
    fn table_reads_commit_like_their_columns() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let (pk, _) = keys();
        let n = 1 << 10;
        // Rows 0..300 of which some are never read; one index of each width.
        let index16: Vec<u16> = (0..n).map(|_| rng.gen_range(0..300u16)).collect();
        let index32: Vec<u32> = (0..n).map(|_| rng.gen_range(0..7u32)).collect();
        let bits: Vec<bool> = (0..300).map(|_| rng.gen()).collect();
        let u16s: Vec<u16> = (0..300).map(|_| rng.gen()).collect();
        let i64s: Vec<i64> = (0..7).map(|_| rng.gen()).collect();
        let field: Vec<Fr> = (0..7).map(|_| Fr::rand(&mut rng)).collect();
        let read = |index: StepIndex<'_>, table: &[Fr]| -> Vec<Fr> {
            (0..n).map(|t| table[index.get(t)]).collect()
        };
        let tables: Vec<(StepIndex<'_>, Column<'_, Fr>)> = vec![
            (StepIndex::U16(&index16), Column::Bits(&bits)),
            (StepIndex::U16(&index16), Column::U16(&u16s)),
            (StepIndex::U32(&index32), Column::I64(&i64s)),
            (StepIndex::U32(&index32), Column::Field(&field)),
        ];
        let mut values: Vec<Vec<Fr>> = tables
            .iter()
            .map(|(index, table)| read(*index, &table.to_field()))
            .collect();
        // A column that is not the read it is hinted as (a tampered
        // witness) is committed as itself.
        values.push(values[1].clone());
        values[4][17] += Fr::from(1u64);
        let mut reads: Vec<Option<TableRead<'_, Fr>>> = tables
            .iter()
            .map(|&(index, table)| Some(TableRead { index, table }))
            .collect();
        reads.push(reads[1]);
        values.push((0..n).map(|_| Fr::rand(&mut rng)).collect());
        reads.push(None);

        let columns: Vec<Column<'_, Fr>> = values.iter().map(|v| Column::Field(v)).collect();
        let hinted = HyperKzg::batch_commit_with_reads(pk, &columns, &reads).unwrap();
        assert_eq!(hinted, HyperKzg::batch_commit(pk, &columns).unwrap());
        assert!(HyperKzg::batch_commit_with_reads(pk, &columns, &reads[1..]).is_err());
    }

    #[test]
    fn commitments_are_homomorphic() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let (pk, _) = keys();
        let (a, b) = (random_poly(6, &mut rng), random_poly(6, &mut rng));
        let (x, y) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let sum: Vec<Fr> = a
            .evals()
            .iter()
            .zip(b.evals())
            .map(|(p, q)| x * p + y * q)
            .collect();
        let ca = HyperKzg::commit(pk, (&a).into()).unwrap();
        let cb = HyperKzg::commit(pk, (&b).into()).unwrap();
        assert_eq!(
            HyperKzg::combine_commitments(&[&ca, &cb], &[x, y]).unwrap(),
            HyperKzg::commit(pk, Column::Field(&sum)).unwrap()
        );
        assert!(HyperKzg::combine_commitments(&[&ca, &cb], &[x]).is_err());
    }

    #[test]
    fn wrong_statements_are_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        for n in [0usize, 1, 2, 5, 10] {
            let (c, point, eval, proof) = prove_random(n, &mut rng);
            verify(&c, &point, eval, &proof).unwrap();
            // Wrong value.
            assert!(
                verify(&c, &point, eval + Fr::one(), &proof).is_err(),
                "n={n}"
            );
            // Wrong point (each coordinate).
            for i in 0..n {
                let mut p = point.clone();
                p[i] += Fr::one();
                assert!(verify(&c, &p, eval, &proof).is_err(), "n={n} coord {i}");
            }
            // Another polynomial's commitment.
            let (other, _, _, _) = prove_random(n, &mut rng);
            assert!(verify(&other, &point, eval, &proof).is_err(), "n={n}");
            // A point of the wrong dimension.
            let mut longer = point.clone();
            longer.push(Fr::one());
            assert!(matches!(
                verify(&c, &longer, eval, &proof),
                Err(PcsError::Shape { .. })
            ));
            if n > 0 {
                assert!(verify(&c, &point[1..], eval, &proof).is_err());
            }
            // Another transcript state (a 0-variable opening draws no
            // challenge it depends on).
            if n > 0 {
                let mut t = Transcript::new(b"other");
                assert!(HyperKzg::verify(&keys().1, &c, &point, eval, &proof, &mut t).is_err());
            }
        }
        // More variables than the key supports.
        let point = vec![Fr::one(); MAX_VARS + 1];
        assert!(matches!(
            verify(
                &HyperKzgCommitment::default(),
                &point,
                Fr::zero(),
                &HyperKzgProof::default()
            ),
            Err(PcsError::SrsTooSmall { .. })
        ));
    }

    #[test]
    fn every_tampered_proof_element_is_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(6);
        let g = G1Affine::generator();
        for n in [0usize, 1, 2, 3, 8] {
            let (c, point, eval, proof) = prove_random(n, &mut rng);
            let mut tampered = Vec::new();
            for j in 0..proof.fold_commitments.len() {
                let mut p = proof.clone();
                p.fold_commitments[j] = (p.fold_commitments[j] + g).into_affine();
                tampered.push(("fold commitment", p));
            }
            for j in 0..n {
                let mut p = proof.clone();
                p.evals_pos[j] += Fr::one();
                tampered.push(("eval at r", p));
                let mut p = proof.clone();
                p.evals_neg[j] += Fr::one();
                tampered.push(("eval at -r", p));
            }
            let mut p = proof.clone();
            p.eval_sq += Fr::one();
            tampered.push(("eval at r^2", p));
            let mut p = proof.clone();
            p.quotient = (p.quotient + g).into_affine();
            tampered.push(("quotient", p));
            // Wrong shapes: one fold commitment or evaluation too many / few.
            let mut p = proof.clone();
            p.fold_commitments.push(g);
            tampered.push(("extra fold commitment", p));
            let mut p = proof.clone();
            p.evals_pos.push(Fr::one());
            tampered.push(("extra eval at r", p));
            let mut p = proof.clone();
            p.evals_neg.push(Fr::one());
            tampered.push(("extra eval at -r", p));
            if n > 0 {
                let mut p = proof.clone();
                p.evals_neg.pop();
                tampered.push(("missing eval at -r", p));
            }
            if n > 1 {
                let mut p = proof.clone();
                p.fold_commitments.pop();
                tampered.push(("missing fold commitment", p));
            }
            for (what, p) in tampered {
                assert!(
                    verify(&c, &point, eval, &p).is_err(),
                    "n={n}: {what} accepted"
                );
            }
        }
    }

    #[test]
    fn proof_serialization_round_trip_and_bad_bytes() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let (c, point, eval, proof) = prove_random(9, &mut rng);
        let mut bytes = Vec::new();
        proof.serialize_compressed(&mut bytes).unwrap();
        assert_eq!(bytes.len(), proof.compressed_size());
        let back = HyperKzgProof::deserialize_compressed(&bytes[..]).unwrap();
        assert_eq!(back, proof);
        verify(&c, &point, eval, &back).unwrap();
        for cut in 0..bytes.len() {
            assert!(HyperKzgProof::deserialize_compressed(&bytes[..cut]).is_err());
        }
        // Random bytes either fail to decode or fail to verify; never panic.
        for _ in 0..200 {
            let mut garbage = bytes.clone();
            let i = rng.gen_range(0..garbage.len());
            garbage[i] ^= 1 << rng.gen_range(0..8);
            if let Ok(p) = HyperKzgProof::deserialize_compressed(&garbage[..]) {
                assert!(p == proof || verify(&c, &point, eval, &p).is_err());
            }
            let random: Vec<u8> = (0..bytes.len()).map(|_| rng.gen()).collect();
            if let Ok(p) = HyperKzgProof::deserialize_compressed(&random[..]) {
                assert!(verify(&c, &point, eval, &p).is_err());
            }
        }
        // A forged length prefix of 2^62 fold commitments.
        let mut forged = (1u64 << 62).to_le_bytes().to_vec();
        forged.extend_from_slice(&bytes[8..]);
        assert!(HyperKzgProof::deserialize_compressed(&forged[..]).is_err());

        // Commitments and verifier keys round trip too (prover keys are
        // made from an SRS file, never decoded).
        let mut cb = Vec::new();
        c.serialize_compressed(&mut cb).unwrap();
        assert_eq!(
            HyperKzgCommitment::deserialize_compressed(&cb[..]).unwrap(),
            c
        );
        assert!(HyperKzgCommitment::deserialize_compressed(&cb[..31]).is_err());
        let (_, vk) = HyperKzg::insecure_dev_setup(5, 1);
        let mut vb = Vec::new();
        vk.serialize_compressed(&mut vb).unwrap();
        assert_eq!(
            HyperKzgVerifierKey::deserialize_compressed(&vb[..]).unwrap(),
            vk
        );
        assert!(HyperKzgVerifierKey::deserialize_compressed(&vb[..vb.len() - 1]).is_err());
    }

    #[test]
    fn prover_errors_instead_of_panicking() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let (small_pk, _) = HyperKzg::insecure_dev_setup(3, 1);
        let poly = random_poly(4, &mut rng);
        assert!(matches!(
            HyperKzg::commit(&small_pk, (&poly).into()),
            Err(PcsError::SrsTooSmall { .. })
        ));
        let c = HyperKzgCommitment::default();
        let point = random_point(4, &mut rng);
        assert!(HyperKzg::prove(&small_pk, &poly, &c, &point, &mut Transcript::new(b"t")).is_err());
        assert!(HyperKzg::prove(
            &keys().0,
            &poly,
            &c,
            &point[1..],
            &mut Transcript::new(b"t")
        )
        .is_err());
        let srs = Srs::insecure_dev_setup(3, 1);
        assert!(matches!(
            HyperKzg::setup(&srs, 4),
            Err(PcsError::SrsTooSmall { .. })
        ));
    }

    #[test]
    fn batch_opening_at_one_point() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let (pk, vk) = keys();
        for (k, n) in [(1usize, 0usize), (3, 1), (5, 7)] {
            let polys: Vec<DensePolynomial<Fr>> =
                (0..k).map(|_| random_poly(n, &mut rng)).collect();
            let point = random_point(n, &mut rng);
            let evals: Vec<Fr> = polys.iter().map(|p| p.evaluate(&point)).collect();
            let comms: Vec<HyperKzgCommitment> = polys
                .iter()
                .map(|p| HyperKzg::commit(pk, p.into()).unwrap())
                .collect();
            let poly_refs: Vec<&DensePolynomial<Fr>> = polys.iter().collect();
            let comm_refs: Vec<&HyperKzgCommitment> = comms.iter().collect();
            let proof = HyperKzg::batch_prove(
                pk,
                &poly_refs,
                &comm_refs,
                &point,
                &evals,
                &mut Transcript::new(b"b"),
            )
            .unwrap();
            let check = |comms: &[&HyperKzgCommitment], point: &[Fr], evals: &[Fr]| {
                HyperKzg::batch_verify(vk, comms, point, evals, &proof, &mut Transcript::new(b"b"))
            };
            check(&comm_refs, &point, &evals).unwrap();
            for i in 0..k {
                let mut bad = evals.clone();
                bad[i] += Fr::one();
                assert!(check(&comm_refs, &point, &bad).is_err());
                let mut swapped = comm_refs.clone();
                swapped[i] = &comms[(i + 1) % k];
                if k > 1 {
                    assert!(check(&swapped, &point, &evals).is_err());
                }
            }
            assert!(check(&comm_refs[1..], &point, &evals).is_err());
            assert!(check(&comm_refs, &point, &evals[1..]).is_err());
            if n > 0 {
                let mut p = point.clone();
                p[0] += Fr::one();
                assert!(check(&comm_refs, &p, &evals).is_err());
            }
        }
        assert!(HyperKzg::batch_verify(
            vk,
            &[],
            &[],
            &[],
            &HyperKzgProof::default(),
            &mut Transcript::new(b"b")
        )
        .is_err());
    }
}
