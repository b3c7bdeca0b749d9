//! Spartan for a uniform R1CS: the same constraints at each of T steps.
//!
//! **Outer sumcheck.** With τ ∈ F^(log T) and ρ from the transcript, the
//! prover shows
//!
//!   Σ_t eq(τ, t) · Σ_i ρ^i · (A_i·z_t · B_i·z_t − C_i·z_t) = 0,
//!
//! where z_t is step t's variables (inputs, auxiliaries, the next step's
//! shifted inputs). If any constraint fails at any step, the left side, a
//! nonzero polynomial in (τ, ρ), vanishes only with negligible probability.
//! Every variable is a multilinear column V_j(t), and A_i·z_t is linear in
//! them, so the summand is a degree-3 polynomial in t and the sumcheck ends
//! at a random r with claims V_j(r).
//!
//! **Inner sum.** Because the matrices are uniform, what a matrix-wise
//! Spartan would prove with an inner sumcheck — Σ_j M(i, j)·V_j(r) — is a
//! sum over the few variables of one step. The verifier evaluates it
//! itself from the claimed V_j(r) and its own small A, B, C; the claims go
//! to the batched PCS opening. Nothing of size T·m is ever formed.
//!
//! **Shift sumcheck.** A claim S_j(r) on a shifted input ("the next step's
//! pc") becomes a claim on V_j: S_j(r) − b_j·eq(r, T−1) = Σ_y next(r, y)·V_j(y),
//! batched over the shifted inputs with powers of a challenge, one degree-2
//! sumcheck ending at r' with claims V_j(r').
//!
//! Transcript, in order: `spartan tau`, `spartan rho`, the outer sumcheck,
//! `spartan evals` (all V_j(r)), `spartan shift rho`, the shift sumcheck,
//! `spartan shift evals`.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rayon::prelude::*;

use super::builder::{field_from_i128, LinearCombination, UniformR1cs, Variable};
use super::outer::{mul_i128, Outer};
use super::shift::{last_step_weight, next_mle, next_table};
use super::witness::{column_value, R1csWitness, Value};
use crate::codec::ProofVec;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::opening::OpeningClaim;
use crate::poly::{DensePolynomial, EqPolynomial, PAR_THRESHOLD};
use crate::subprotocols::{DenseSumcheck, SumcheckClaim, SumcheckProof};
use crate::trace_length::TraceLength;
use crate::transcript::Transcript;

const OUTER: &str = "spartan outer";
const SHIFT: &str = "spartan shift";

/// A column the R1CS proof makes claims about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum R1csColumn {
    /// Input column j (committed by whichever subprotocol owns it).
    Input(usize),
    /// Auxiliary column k (committed as part of the R1CS witness).
    Aux(usize),
}

/// A constraint with its variables as column indices and field
/// coefficients: columns are inputs, then auxiliaries, then shifted inputs.
struct ColumnLc<F> {
    terms: Vec<(usize, F)>,
    constant: F,
}

impl<F: JoltField> ColumnLc<F> {
    fn new(lc: &LinearCombination, r1cs: &UniformR1cs) -> Self {
        let column = |v: Variable| match v {
            Variable::Input(j) => j,
            Variable::Aux(k) => r1cs.num_inputs + k,
            Variable::Next(j) => {
                // The builder registers every input it shifts.
                let position = r1cs
                    .shifted
                    .iter()
                    .position(|(i, _)| *i == j)
                    .expect("registered shift");
                r1cs.num_inputs + r1cs.num_aux() + position
            }
        };
        ColumnLc {
            terms: lc
                .terms
                .iter()
                .map(|&(v, c)| (column(v), field_from_i128(c)))
                .collect(),
            constant: field_from_i128(lc.constant),
        }
    }

    fn eval(&self, values: impl Fn(usize) -> F) -> F {
        self.terms
            .iter()
            .fold(self.constant, |acc, &(j, c)| acc + values(j) * c)
    }
}

struct Compiled<F> {
    rows: Vec<[ColumnLc<F>; 3]>,
}

impl<F: JoltField> Compiled<F> {
    fn new(r1cs: &UniformR1cs) -> Self {
        let rows = r1cs
            .constraints
            .iter()
            .map(|c| {
                [
                    ColumnLc::new(&c.a, r1cs),
                    ColumnLc::new(&c.b, r1cs),
                    ColumnLc::new(&c.c, r1cs),
                ]
            })
            .collect();
        Compiled { rows }
    }

    /// Σ_i ρ^i (A_i·z · B_i·z − C_i·z) for one step's values.
    fn combined(&self, rho_powers: &[F], values: impl Fn(usize) -> F + Copy) -> F {
        self.rows
            .iter()
            .zip(rho_powers)
            .map(|([a, b, c], rho)| *rho * (a.eval(values) * b.eval(values) - c.eval(values)))
            .sum()
    }
}

/// The proof of a uniform R1CS.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct SpartanProof<F: JoltField> {
    pub outer: SumcheckProof<F>,
    /// V_j(r) for inputs, then auxiliaries, then shifted inputs.
    pub evals: ProofVec<F>,
    pub shift: SumcheckProof<F>,
    /// V_j(r') for each shifted input.
    pub shift_evals: ProofVec<F>,
}

/// The claims a proof hands to the PCS: every input and auxiliary column
/// at r, and every shifted input at r'.
fn claims<F: JoltField>(
    r1cs: &UniformR1cs,
    r: &[F],
    evals: &[F],
    r_shift: &[F],
    shift_evals: &[F],
) -> Vec<OpeningClaim<R1csColumn, F>> {
    let (n_in, n_aux) = (r1cs.num_inputs, r1cs.num_aux());
    let mut out: Vec<_> = (0..n_in)
        .map(|j| OpeningClaim::new(R1csColumn::Input(j), r.to_vec(), evals[j]))
        .collect();
    out.extend(
        (0..n_aux).map(|k| OpeningClaim::new(R1csColumn::Aux(k), r.to_vec(), evals[n_in + k])),
    );
    out.extend(
        r1cs.shifted
            .iter()
            .zip(shift_evals)
            .map(|(&(j, _), v)| OpeningClaim::new(R1csColumn::Input(j), r_shift.to_vec(), *v)),
    );
    out
}

/// Proves that every step of `witness` satisfies `r1cs`.
pub fn prove<F: JoltField>(
    r1cs: &UniformR1cs,
    witness: &R1csWitness<'_, F>,
    transcript: &mut Transcript,
) -> (SpartanProof<F>, Vec<OpeningClaim<R1csColumn, F>>) {
    let trace_length = witness.trace_length();
    let (t, log_t) = (trace_length.t(), trace_length.log_t());
    let tau: Vec<F> = transcript.challenge_vector(b"spartan tau", log_t);
    let rho_powers: Vec<F> = transcript.challenge_powers(b"spartan rho", r1cs.constraints.len());

    let (outer_proof, r, evals) = {
        let _span = tracing::info_span!("spartan outer sumcheck").entered();
        let mut outer = Outer::new(r1cs, witness, &tau, &rho_powers);
        let (proof, r) = SumcheckProof::prove(&mut outer, transcript);
        (proof, r, outer.final_evals())
    };
    transcript.append_scalars(b"spartan evals", &evals);

    // Shift: Σ_y next(r, y)·W(y) with W = Σ_j ρ'^j V_j over shifted inputs.
    let shift_rho: Vec<F> = transcript.challenge_powers(b"spartan shift rho", r1cs.shifted.len());
    let _span = tracing::info_span!("spartan shift sumcheck").entered();
    let combined: Vec<F> = (0..t)
        .into_par_iter()
        .with_min_len(PAR_THRESHOLD)
        .map(|s| {
            r1cs.shifted
                .iter()
                .zip(&shift_rho)
                .map(|(&(j, _), rho)| match column_value(&witness.inputs[j], s) {
                    Value::Small(v) => mul_i128(*rho, v),
                    Value::Field(v) => *rho * v,
                })
                .sum()
        })
        .collect();
    let polys = vec![
        DensePolynomial::new(next_table(&r)),
        DensePolynomial::new(combined),
    ];
    let mut shift = DenseSumcheck::new(polys, 2, |v: &[F]| v[0] * v[1]);
    let (shift_proof, r_shift) = SumcheckProof::prove(&mut shift, transcript);
    let eq_shift = EqPolynomial::new(r_shift.clone()).evals();
    let shift_evals: Vec<F> = r1cs
        .shifted
        .iter()
        .map(|&(j, _)| witness.inputs[j].evaluate_with_eq(&eq_shift))
        .collect();
    transcript.append_scalars(b"spartan shift evals", &shift_evals);

    let claims = claims(r1cs, &r, &evals, &r_shift, &shift_evals);
    let proof = SpartanProof {
        outer: outer_proof,
        evals: evals.into(),
        shift: shift_proof,
        shift_evals: shift_evals.into(),
    };
    (proof, claims)
}

/// Verifies a proof for `trace_length` steps; returns the opening claims
/// the PCS must confirm.
pub fn verify<F: JoltField>(
    r1cs: &UniformR1cs,
    trace_length: TraceLength,
    proof: &SpartanProof<F>,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<R1csColumn, F>>, VerifyError> {
    let log_t = trace_length.log_t();
    let (n_in, n_aux, n_shift) = (r1cs.num_inputs, r1cs.num_aux(), r1cs.shifted.len());
    check_shape(
        OUTER,
        "evaluations",
        n_in + n_aux + n_shift,
        proof.evals.len(),
    )?;
    check_shape(SHIFT, "evaluations", n_shift, proof.shift_evals.len())?;

    let tau: Vec<F> = transcript.challenge_vector(b"spartan tau", log_t);
    let rho_powers: Vec<F> = transcript.challenge_powers(b"spartan rho", r1cs.constraints.len());
    let claim = SumcheckClaim {
        claim: F::zero(),
        num_rounds: log_t,
        degree: 3,
    };
    let (r, expected) = proof.outer.verify(OUTER, claim, transcript)?;
    transcript.append_scalars(b"spartan evals", &proof.evals);
    let compiled = Compiled::new(r1cs);
    let at_r =
        EqPolynomial::new(tau).evaluate(&r) * compiled.combined(&rho_powers, |j| proof.evals[j]);
    if at_r != expected {
        return Err(VerifyError::FinalClaimMismatch { protocol: OUTER });
    }

    let shift_rho: Vec<F> = transcript.challenge_powers(b"spartan shift rho", n_shift);
    let last = last_step_weight(&r);
    let shift_claim: F = r1cs
        .shifted
        .iter()
        .enumerate()
        .zip(&shift_rho)
        .map(|((s, &(_, boundary)), rho)| {
            *rho * (proof.evals[n_in + n_aux + s] - last * field_from_i128::<F>(boundary))
        })
        .sum();
    let claim = SumcheckClaim {
        claim: shift_claim,
        num_rounds: log_t,
        degree: 2,
    };
    let (r_shift, expected) = proof.shift.verify(SHIFT, claim, transcript)?;
    transcript.append_scalars(b"spartan shift evals", &proof.shift_evals);
    let combined: F = shift_rho
        .iter()
        .zip(&proof.shift_evals)
        .map(|(rho, v)| *rho * v)
        .sum();
    if next_mle(&r, &r_shift) * combined != expected {
        return Err(VerifyError::FinalClaimMismatch { protocol: SHIFT });
    }
    Ok(claims(r1cs, &r, &proof.evals, &r_shift, &proof.shift_evals))
}
