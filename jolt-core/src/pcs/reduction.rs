//! Reducing opening claims P_i(z_i) = v_i at several points, for
//! polynomials of any numbers of variables, to one opening of one
//! polynomial at one point. Works for any homomorphic [`CommitmentScheme`].
//!
//! **Choice: one sumcheck, not one opening per point.** Grouping by point
//! would cost the prover a full opening per distinct point (for HyperKZG
//! about two MSMs of the polynomial size each, seconds at 2^20), and the
//! proof a few KB per point. A sumcheck over the distinct points costs
//! n rounds of a degree-2 sumcheck (about a tenth of one such MSM per
//! point) and two field elements per round, whatever the number of claims.
//!
//! **Protocol.** Let n = max_i n_i. A claim on n_i < n variables is lifted
//! to n variables by prefixing n − n_i zeros to its point: the lifted
//! polynomial P' has P's table followed by zeros, so P'(0…0, z) = P(z) and,
//! for commitments that pad with zeros (HyperKZG), the commitment is
//! unchanged.
//! 1. Group claims by lifted point z_j (verifier-side data, in order of first
//!    appearance). Absorb each z_j once and every claim's (commitment, j,
//!    n_i, value); draw ρ; coefficients ρ^i. G_j = Σ_{i∈j} ρ^i·P'_i has
//!    G_j(z_j) = Σ_{i∈j} ρ^i·v_i.
//! 3. One group: open G_1 at z_1 (the one-point batch, no sumcheck).
//!    Several groups: sumcheck Σ_x Σ_j eq(z_j, x)·G_j(x) = Σ_i ρ^i·v_i,
//!    ending at a random s with the claim g(s) = Σ_j eq(z_j, s)·G_j(s).
//!    That is P*(s) for P* = Σ_i eq(z_{j(i)}, s)·ρ^i·P'_i, whose commitment
//!    the verifier forms from the C_i, so one opening of P* at s finishes.

use super::error::{check_len, PcsError};
use super::{Column, CommitmentScheme};
use crate::field::{JoltField, ProductSum};
use crate::poly::{DensePolynomial, EqPolynomial, SplitEqPolynomial, PAR_THRESHOLD};
use crate::subprotocols::{SumcheckClaim, SumcheckInstance, SumcheckProof};
use crate::transcript::Transcript;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rayon::prelude::*;

const PROTOCOL: &str = "pcs opening reduction";

/// A claim the prover opens: `poly` (committed in `commitment`) has value
/// `eval` at `point` (`point.len() == poly.num_vars()`). The table is the
/// committed column itself, at its own width: the prover never needs the
/// columns as field elements except in the random combinations it opens.
pub struct ProverOpening<'a, P: CommitmentScheme> {
    pub poly: Column<'a, P::Field>,
    pub commitment: &'a P::Commitment,
    pub point: &'a [P::Field],
    pub eval: P::Field,
}

/// The verifier's view of a claim: everything but the polynomial.
pub struct VerifierOpening<'a, P: CommitmentScheme> {
    pub commitment: &'a P::Commitment,
    pub point: &'a [P::Field],
    pub eval: P::Field,
}

/// The reduction sumcheck (no rounds when all claims share one point) and
/// the final opening.
#[derive(Clone, Debug, PartialEq, CanonicalSerialize, CanonicalDeserialize)]
pub struct OpeningsProof<P: CommitmentScheme> {
    pub sumcheck: SumcheckProof<P::Field>,
    pub opening: P::Proof,
}

/// Proves all `claims`; see the module doc.
pub fn prove_openings<P: CommitmentScheme>(
    pk: &P::ProverKey,
    claims: &[ProverOpening<'_, P>],
    transcript: &mut Transcript,
) -> Result<OpeningsProof<P>, PcsError> {
    for claim in claims {
        check_len(
            "point coordinates (polynomial variables)",
            claim.poly.num_vars(),
            claim.point.len(),
        )?;
    }
    let views: Vec<VerifierOpening<'_, P>> = claims
        .iter()
        .map(|c| VerifierOpening {
            commitment: c.commitment,
            point: c.point,
            eval: c.eval,
        })
        .collect();
    let setup = Reduction::new(&views, transcript)?;
    let polys: Vec<Column<'_, P::Field>> = claims.iter().map(|c| c.poly).collect();

    let (sumcheck, point, coeffs, combined) = if setup.groups.len() == 1 {
        let point = setup.groups[0].0.clone();
        (
            SumcheckProof {
                round_polys: Default::default(),
            },
            point,
            setup.rho.clone(),
            None,
        )
    } else {
        // Each G_j at its members' own size: the lifted table is zero
        // beyond it, and the sumcheck never reads those zeros.
        let groups: Vec<Vec<P::Field>> = setup
            .groups
            .par_iter()
            .map(|(_, members)| {
                let member_polys: Vec<_> = members.iter().map(|&i| polys[i]).collect();
                let member_coeffs: Vec<_> = members.iter().map(|&i| setup.rho[i]).collect();
                let vars = member_polys.iter().map(|p| p.num_vars()).max().unwrap_or(0);
                linear_combination_of_columns(&member_polys, &member_coeffs, vars)
                    .evals()
                    .to_vec()
            })
            .collect();
        let mut instance = GroupSumcheck {
            eqs: setup
                .groups
                .iter()
                .map(|(z, _)| SplitEqPolynomial::new(z))
                .collect(),
            unbound: &groups,
            bound: Vec::new(),
            claim: setup.claim,
            num_rounds: setup.num_vars,
        };
        let (sumcheck, s) = SumcheckProof::prove(&mut instance, transcript);
        drop(instance);
        // P* = Σ_j eq(z_j, s)·G_j: the groups already hold Σ_{i∈j} ρ^i·P'_i.
        let eq_at_s = setup.eq_at(&s);
        let combined = weighted_sum(&groups, &eq_at_s, setup.num_vars);
        let coeffs = setup.final_coeffs(&s);
        (sumcheck, s, coeffs, Some(combined))
    };

    let combined = match combined {
        Some(c) => DensePolynomial::new(c),
        None => linear_combination_of_columns(&polys, &coeffs, setup.num_vars),
    };
    let commitments: Vec<&P::Commitment> = claims.iter().map(|c| c.commitment).collect();
    let commitment = P::combine_commitments(&commitments, &coeffs)?;
    let opening = P::prove(pk, &combined, &commitment, &point, transcript)?;
    Ok(OpeningsProof { sumcheck, opening })
}

/// Verifies [`prove_openings`] against the verifier's own claims.
pub fn verify_openings<P: CommitmentScheme>(
    vk: &P::VerifierKey,
    claims: &[VerifierOpening<'_, P>],
    proof: &OpeningsProof<P>,
    transcript: &mut Transcript,
) -> Result<(), PcsError> {
    let setup = Reduction::new(claims, transcript)?;
    let (point, coeffs, eval) = if setup.groups.len() == 1 {
        check_len(
            "reduction sumcheck rounds",
            0,
            proof.sumcheck.round_polys.len(),
        )?;
        (setup.groups[0].0.clone(), setup.rho.clone(), setup.claim)
    } else {
        let claim = SumcheckClaim {
            claim: setup.claim,
            num_rounds: setup.num_vars,
            degree: 2,
        };
        let (s, expected) = proof.sumcheck.verify(PROTOCOL, claim, transcript)?;
        let coeffs = setup.final_coeffs(&s);
        (s, coeffs, expected)
    };
    let commitments: Vec<&P::Commitment> = claims.iter().map(|c| c.commitment).collect();
    let commitment = P::combine_commitments(&commitments, &coeffs)?;
    P::verify(vk, &commitment, &point, eval, &proof.opening, transcript)
}

/// The reduction sumcheck Σ_x Σ_j eq(z_j, x)·G_j(x), each group's eq
/// factored out of its round polynomial: per round and pair, two products
/// for each group's q_j(0), q_j(1) and one to bind G_j; no eq table is
/// ever bound. The first round reads the groups unbound and binds into new
/// half-size tables, so the caller keeps the G_j for the final opening.
///
/// A group smaller than the largest (2^{n_j} < 2^n entries) is stored at
/// its own size: its lifted table is zero wherever a top variable is 1, so
/// while the rounds bind those variables its q_j(1) is 0, q_j(0) reads only
/// its 2^{n_j} entries, and binding scales them by 1 − r. Small programs,
/// whose columns are shorter than the 2^16-cell lookup tables, skip most
/// of the work; the messages are the same.
struct GroupSumcheck<'a, F> {
    eqs: Vec<SplitEqPolynomial<F>>,
    unbound: &'a [Vec<F>],
    bound: Vec<Vec<F>>,
    claim: F,
    num_rounds: usize,
}

impl<F: JoltField> GroupSumcheck<'_, F> {
    fn tables(&self) -> &[Vec<F>] {
        if self.bound.is_empty() {
            self.unbound
        } else {
            &self.bound
        }
    }
}

impl<F: JoltField> SumcheckInstance<F> for GroupSumcheck<'_, F> {
    fn degree(&self) -> usize {
        2
    }

    fn num_rounds(&self) -> usize {
        self.num_rounds
    }

    fn input_claim(&self) -> F {
        self.claim
    }

    fn compute_message(&mut self, _round: usize, _previous_claim: F) -> Vec<F> {
        self.eqs
            .par_iter()
            .zip(self.tables().par_iter())
            .map(|(eq, g)| {
                let table = eq.current_table();
                let half = table.len();
                // Tables are powers of two: g is the whole pair of halves,
                // or fits in the low one (the high half is zero).
                let (lo, hi) = if g.len() > half {
                    g.split_at(half)
                } else {
                    (&g[..], &g[..0])
                };
                let dot = |values: &[F]| -> F {
                    table[..values.len()]
                        .par_iter()
                        .with_min_len(PAR_THRESHOLD)
                        .zip(values.par_iter())
                        .map(|(e, v)| *e * v)
                        .sum()
                };
                eq.round_evals_full(&[dot(lo), dot(hi)])
            })
            .reduce(
                || vec![F::zero(); 3],
                |a, b| a.iter().zip(&b).map(|(x, y)| *x + y).collect(),
            )
    }

    fn bind(&mut self, r_j: F, _round: usize) {
        let bind = |g: &[F], half: usize| -> Vec<F> {
            if g.len() <= half {
                // The bound variable is one of the group's zero top ones.
                let keep = F::one() - r_j;
                return g
                    .par_iter()
                    .with_min_len(PAR_THRESHOLD)
                    .map(|v| keep * v)
                    .collect();
            }
            let (lo, hi) = g.split_at(half);
            lo.par_iter()
                .with_min_len(PAR_THRESHOLD)
                .zip(hi.par_iter())
                .map(|(l, h)| *l + r_j * (*h - *l))
                .collect()
        };
        self.bound = self
            .tables()
            .par_iter()
            .zip(self.eqs.par_iter())
            .map(|(g, eq)| bind(g, eq.current_table().len()))
            .collect();
        self.eqs.par_iter_mut().for_each(|eq| eq.bind(r_j));
    }
}

/// Σ_j weights\[j]·tables\[j] over 2^num_vars entries, each table zero
/// padded.
fn weighted_sum<F: JoltField>(tables: &[Vec<F>], weights: &[F], num_vars: usize) -> Vec<F> {
    let mut out = vec![F::zero(); 1 << num_vars];
    out.par_chunks_mut(1 << 12)
        .enumerate()
        .for_each(|(k, out)| {
            let start = k * (1 << 12);
            for (t, w) in tables.iter().zip(weights) {
                if let Some(values) = t.get(start..) {
                    for (o, v) in out.iter_mut().zip(values) {
                        *o += *w * v;
                    }
                }
            }
        });
    out
}

/// What prover and verifier derive identically from the claims.
struct Reduction<F> {
    num_vars: usize,
    rho: Vec<F>,
    /// Σ_i ρ^i·v_i.
    claim: F,
    /// (lifted point, indices of its claims).
    groups: Vec<(Vec<F>, Vec<usize>)>,
    /// Group of each claim.
    group_of: Vec<usize>,
}

impl<F: JoltField> Reduction<F> {
    fn new<P: CommitmentScheme<Field = F>>(
        claims: &[VerifierOpening<'_, P>],
        transcript: &mut Transcript,
    ) -> Result<Self, PcsError> {
        if claims.is_empty() {
            return Err(PcsError::Shape {
                what: "opening claims (at least)",
                expected: 1,
                got: 0,
            });
        }
        let num_vars = claims.iter().map(|c| c.point.len()).max().unwrap_or(0);
        let mut groups: Vec<(Vec<F>, Vec<usize>)> = Vec::new();
        let mut group_of = Vec::with_capacity(claims.len());
        for (i, c) in claims.iter().enumerate() {
            let mut lifted = vec![F::zero(); num_vars - c.point.len()];
            lifted.extend_from_slice(c.point);
            match groups.iter().position(|(z, _)| *z == lifted) {
                Some(j) => {
                    groups[j].1.push(i);
                    group_of.push(j);
                }
                None => {
                    group_of.push(groups.len());
                    groups.push((lifted, vec![i]));
                }
            }
        }

        // Each distinct point once, then every claim as (commitment, its
        // point's index, its number of variables, value) in one message:
        // the same binding as absorbing every claim's point, for a tenth
        // of the bytes (a proof has a few points and hundreds of claims).
        transcript.append_u64(b"pcs openings", claims.len() as u64);
        transcript.append_u64(b"pcs opening points", groups.len() as u64);
        for (z, _) in &groups {
            transcript.append_scalars(b"pcs opening point", z);
        }
        let mut buf = Vec::new();
        for (c, &j) in claims.iter().zip(&group_of) {
            c.commitment
                .serialize_compressed(&mut buf)
                // Invariant: writing into a Vec cannot fail.
                .expect("serializing into a Vec is infallible");
            buf.extend_from_slice(&(j as u64).to_le_bytes());
            buf.extend_from_slice(&(c.point.len() as u64).to_le_bytes());
            c.eval
                .serialize_uncompressed(&mut buf)
                .expect("serializing into a Vec is infallible");
        }
        transcript.append_bytes(b"pcs opening claims", &buf);
        let rho: Vec<F> = transcript.challenge_powers(b"pcs openings rho", claims.len());

        let claim = rho.iter().zip(claims).map(|(r, c)| *r * c.eval).sum();
        Ok(Self {
            num_vars,
            rho,
            claim,
            groups,
            group_of,
        })
    }

    /// eq(z_j, s) for each group j.
    fn eq_at(&self, s: &[F]) -> Vec<F> {
        self.groups
            .iter()
            .map(|(z, _)| EqPolynomial::new(z.clone()).evaluate(s))
            .collect()
    }

    /// ρ^i·eq(z_{j(i)}, s): the coefficients of P* after the sumcheck.
    fn final_coeffs(&self, s: &[F]) -> Vec<F> {
        let eq_at_s = self.eq_at(s);
        self.rho
            .iter()
            .zip(&self.group_of)
            .map(|(r, &j)| *r * eq_at_s[j])
            .collect()
    }
}

/// Σ_i coeffs\[i]·P_i as a table of 2^num_vars entries (each P_i zero padded).
pub fn linear_combination<F: JoltField>(
    polys: &[&DensePolynomial<F>],
    coeffs: &[F],
    num_vars: usize,
) -> DensePolynomial<F> {
    let columns: Vec<Column<'_, F>> = polys.iter().map(|p| Column::Field(p.evals())).collect();
    linear_combination_of_columns(&columns, coeffs, num_vars)
}

/// Σ_i coeffs\[i]·column_i as a table of 2^num_vars entries (each column
/// zero padded). Small values are multiplied into an unreduced sum per
/// entry ([`ProductSum`]) that is reduced once, after every column; bits
/// add their coefficient; zeros are skipped.
pub fn linear_combination_of_columns<F: JoltField>(
    columns: &[Column<'_, F>],
    coeffs: &[F],
    num_vars: usize,
) -> DensePolynomial<F> {
    fn add_small<F: JoltField, T: Copy + Into<u64>>(
        sums: &mut [F::ProductSum],
        c: &F,
        values: &[T],
    ) {
        for (sum, &v) in sums.iter_mut().zip(values) {
            let v: u64 = v.into();
            if v != 0 {
                sum.add_product(c, v);
            }
        }
    }
    let mut out = vec![F::zero(); 1 << num_vars];
    let chunk = 1 << 12;
    // The unreduced sums (96 bytes an entry at BN254) are allocated once
    // per rayon job, not once per chunk.
    let new_sums = || vec![F::ProductSum::default(); chunk];
    out.par_chunks_mut(chunk)
        .enumerate()
        .for_each_init(new_sums, |sums, (k, out)| {
            let start = k * chunk;
            let sums = &mut sums[..out.len()];
            sums.fill(F::ProductSum::default());
            let mut any_small = false;
            for (column, c) in columns.iter().zip(coeffs) {
                if start >= column.len() {
                    continue;
                }
                let end = (start + out.len()).min(column.len());
                match column {
                    Column::Bits(v) => {
                        for (o, &b) in out.iter_mut().zip(&v[start..end]) {
                            if b {
                                *o += *c;
                            }
                        }
                    }
                    Column::Field(v) => {
                        for (o, x) in out.iter_mut().zip(&v[start..end]) {
                            *o += *c * x;
                        }
                    }
                    Column::U8(v) => add_small(sums, c, &v[start..end]),
                    Column::U16(v) => add_small(sums, c, &v[start..end]),
                    Column::U32(v) => add_small(sums, c, &v[start..end]),
                    Column::U64(v) => add_small(sums, c, &v[start..end]),
                    Column::I64(v) => {
                        for (sum, &x) in sums.iter_mut().zip(&v[start..end]) {
                            if x != 0 {
                                sum.add_signed_product(c, x);
                            }
                        }
                    }
                }
                any_small |= !matches!(column, Column::Bits(_) | Column::Field(_));
            }
            if any_small {
                for (o, sum) in out.iter_mut().zip(sums.iter()) {
                    *o += sum.reduce();
                }
            }
        });
    DensePolynomial::new(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pcs::{HyperKzg, HyperKzgCommitment};
    use ark_bn254::Fr;
    use ark_ff::{One, UniformRand, Zero};
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    /// Every column width, at lengths below, at and across the 4096-entry
    /// chunks, with extreme values: the unreduced per-entry sums agree
    /// with the combination computed entry by entry in the field.
    #[test]
    fn linear_combination_of_every_width_matches_the_field() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let values = crate::pcs::tests::EveryWidth::random(5000, &mut rng);
        // Shorter columns are zero padded; the u64 column appears twice.
        let mut columns = values.columns([5000, 5000, 3000, 5000, 5000, 5000, 100]);
        columns.push(Column::U64(&values.u64s));
        let mut coeffs: Vec<Fr> = (0..columns.len()).map(|_| Fr::rand(&mut rng)).collect();
        coeffs[4] = -Fr::one();
        let num_vars = 13;
        let combined = linear_combination_of_columns(&columns, &coeffs, num_vars);
        for i in 0..1 << num_vars {
            let expected: Fr = columns
                .iter()
                .zip(&coeffs)
                .map(|(column, c)| *c * column.value(i))
                .sum();
            assert_eq!(combined.evals()[i], expected, "entry {i}");
        }
    }

    struct Fixture {
        polys: Vec<DensePolynomial<Fr>>,
        commitments: Vec<HyperKzgCommitment>,
        points: Vec<Vec<Fr>>,
        evals: Vec<Fr>,
    }

    /// Claims on polynomials of the given sizes; claims with the same
    /// `point_id` and size share a point.
    fn fixture(shape: &[(usize, usize)], rng: &mut ChaCha20Rng) -> Fixture {
        let (pk, _) = keys();
        let mut shared: Vec<Vec<Fr>> = Vec::new();
        let mut f = Fixture {
            polys: vec![],
            commitments: vec![],
            points: vec![],
            evals: vec![],
        };
        for &(n, point_id) in shape {
            while shared.len() <= point_id {
                shared.push((0..12).map(|_| Fr::rand(rng)).collect());
            }
            let poly = DensePolynomial::new((0..1 << n).map(|_| Fr::rand(rng)).collect());
            let point = shared[point_id][..n].to_vec();
            f.evals.push(poly.evaluate(&point));
            f.commitments
                .push(HyperKzg::commit(pk, (&poly).into()).unwrap());
            f.polys.push(poly);
            f.points.push(point);
        }
        f
    }

    fn keys() -> &'static (
        crate::pcs::HyperKzgProverKey,
        crate::pcs::HyperKzgVerifierKey,
    ) {
        static KEYS: std::sync::OnceLock<(
            crate::pcs::HyperKzgProverKey,
            crate::pcs::HyperKzgVerifierKey,
        )> = std::sync::OnceLock::new();
        KEYS.get_or_init(|| HyperKzg::insecure_dev_setup(12, 11))
    }

    fn prove(f: &Fixture) -> OpeningsProof<HyperKzg> {
        let claims: Vec<ProverOpening<'_, HyperKzg>> = (0..f.polys.len())
            .map(|i| ProverOpening {
                poly: (&f.polys[i]).into(),
                commitment: &f.commitments[i],
                point: &f.points[i],
                eval: f.evals[i],
            })
            .collect();
        HyperKzg::prove_openings(&keys().0, &claims, &mut Transcript::new(b"r")).unwrap()
    }

    fn verify(
        commitments: &[HyperKzgCommitment],
        points: &[Vec<Fr>],
        evals: &[Fr],
        proof: &OpeningsProof<HyperKzg>,
    ) -> Result<(), PcsError> {
        let claims: Vec<VerifierOpening<'_, HyperKzg>> = (0..commitments.len())
            .map(|i| VerifierOpening {
                commitment: &commitments[i],
                point: &points[i],
                eval: evals[i],
            })
            .collect();
        HyperKzg::verify_openings(&keys().1, &claims, proof, &mut Transcript::new(b"r"))
    }

    const SHAPES: &[&[(usize, usize)]] = &[
        // One claim; several claims at one point; several points; mixed
        // sizes (lifted); constants among them.
        &[(5, 0)],
        &[(6, 0), (6, 0), (6, 0)],
        &[(6, 0), (6, 1), (6, 0), (6, 2)],
        &[(8, 0), (4, 0), (8, 1), (0, 0), (3, 2)],
        &[(0, 0), (0, 1)],
    ];

    #[test]
    fn claims_at_several_points_and_sizes() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        for shape in SHAPES {
            let f = fixture(shape, &mut rng);
            let proof = prove(&f);
            verify(&f.commitments, &f.points, &f.evals, &proof).unwrap();

            let mut bytes = Vec::new();
            proof.serialize_compressed(&mut bytes).unwrap();
            let back = OpeningsProof::<HyperKzg>::deserialize_compressed(&bytes[..]).unwrap();
            assert_eq!(back, proof);
            for cut in [0, bytes.len() / 2, bytes.len() - 1] {
                assert!(OpeningsProof::<HyperKzg>::deserialize_compressed(&bytes[..cut]).is_err());
            }
        }
    }

    #[test]
    fn every_wrong_claim_or_tampered_proof_is_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        for shape in SHAPES {
            let f = fixture(shape, &mut rng);
            let proof = prove(&f);
            let k = f.polys.len();
            for i in 0..k {
                let mut evals = f.evals.clone();
                evals[i] += Fr::one();
                assert!(verify(&f.commitments, &f.points, &evals, &proof).is_err());
                if !f.points[i].is_empty() {
                    let mut points = f.points.clone();
                    points[i][0] += Fr::one();
                    assert!(verify(&f.commitments, &points, &f.evals, &proof).is_err());
                }
                // Moved to another claim's point: only its point index
                // changes in the transcript.
                if let Some(j) = (0..k)
                    .find(|&j| f.points[j].len() == f.points[i].len() && f.points[j] != f.points[i])
                {
                    let mut points = f.points.clone();
                    points[i] = f.points[j].clone();
                    assert!(verify(&f.commitments, &points, &f.evals, &proof).is_err());
                }
                let mut commitments = f.commitments.clone();
                commitments[i] =
                    HyperKzg::commit(&keys().0, (&f.polys[(i + 1) % k]).into()).unwrap();
                if commitments != f.commitments {
                    assert!(verify(&commitments, &f.points, &f.evals, &proof).is_err());
                }
            }
            // Dropping a claim.
            if k > 1 {
                assert!(
                    verify(&f.commitments[1..], &f.points[1..], &f.evals[1..], &proof).is_err()
                );
            }
            // Tampering with the sumcheck.
            for round in 0..proof.sumcheck.round_polys.len() {
                let mut p = proof.clone();
                p.sumcheck.round_polys[round].coeffs_except_linear_term[0] += Fr::one();
                assert!(verify(&f.commitments, &f.points, &f.evals, &p).is_err());
            }
            let mut p = proof.clone();
            p.opening.eval_sq += Fr::one();
            assert!(verify(&f.commitments, &f.points, &f.evals, &p).is_err());
        }
        let empty: &[HyperKzgCommitment] = &[];
        let f = fixture(SHAPES[0], &mut rng);
        assert!(verify(empty, &[], &[], &prove(&f)).is_err());
    }

    /// ρ for claims whose commitments and values are fixed.
    fn rho_of(points: &[Vec<Fr>]) -> Fr {
        let commitment = HyperKzgCommitment::default();
        let claims: Vec<VerifierOpening<'_, HyperKzg>> = points
            .iter()
            .map(|p| VerifierOpening {
                commitment: &commitment,
                point: p,
                eval: Fr::one(),
            })
            .collect();
        let setup = Reduction::new(&claims, &mut Transcript::new(b"r")).unwrap();
        setup.rho[1]
    }

    /// The transcript binds each claim to its point although it absorbs
    /// each point once: claims that differ only in which absorbed point
    /// they refer to, or only in their number of variables (the same
    /// lifted point), draw another ρ.
    #[test]
    fn each_claims_point_index_and_size_are_absorbed() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let p: Vec<Fr> = (0..3).map(|_| Fr::rand(&mut rng)).collect();
        let q: Vec<Fr> = (0..3).map(|_| Fr::rand(&mut rng)).collect();
        let base = rho_of(&[p.clone(), q.clone(), p.clone()]);
        assert_eq!(base, rho_of(&[p.clone(), q.clone(), p.clone()]));
        assert_ne!(base, rho_of(&[p.clone(), q.clone(), q.clone()]));
        let mut lifted = vec![Fr::zero()];
        lifted.extend_from_slice(&p[1..]);
        let short = p[1..].to_vec();
        assert_ne!(rho_of(&[p.clone(), lifted]), rho_of(&[p.clone(), short]));
    }

    #[test]
    fn one_point_proof_with_sumcheck_rounds_is_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let several = fixture(SHAPES[2], &mut rng);
        let one = fixture(SHAPES[1], &mut rng);
        let mut proof = prove(&one);
        proof.sumcheck = prove(&several).sumcheck;
        assert!(matches!(
            verify(&one.commitments, &one.points, &one.evals, &proof),
            Err(PcsError::Shape { .. })
        ));
    }
}
