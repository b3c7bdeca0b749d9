//! Lasso/Surge: proves that every step's lookup output equals g of its
//! kind applied to subtable reads at the step's chunk indices, and that
//! those reads are the subtables' entries (docs/lasso.md).
//!
//! - [`witness`]: rows → committed columns (read values E, counts, flags,
//!   output), at their narrowest widths; the chunk indices are derived
//!   from the operand reads, not committed.
//! - [`primary`]: the sumcheck Output(r) = Σ_x eq(r, x)·Σ_f flag_f(x)·g_f(E(x)).
//! - [`memory_checking`]: read-only offline memory checking of the
//!   subtables, one tuple-valued memory per chunk, on the shared multiset
//!   core ([`crate::subprotocols::multiset`]).
//!
//! Nothing is opened here: [`prove`] and [`verify`] return
//! [`OpeningClaim`]s for the batched PCS opening. The caller commits
//! [`LassoWitness::columns`] and absorbs the commitments before calling
//! either.
//!
//! Transcript, in order: first, before this module's [`prove`] and
//! [`verify`], `lasso gamma`, `lasso tau`
//! ([`memory_checking::prove_leaves`], [`memory_checking::verify_start`])
//! and the chunks' fraction sums, which the caller proves (the zkVM: in the
//! memories' layered circuit, after the bytecode's and the read-write
//! memory's statements and fingerprints). Then `lasso statement` (log2 T,
//! W, C); `lasso r` (log2 T challenges); the primary sumcheck (`sumcheck
//! claims` = Output(r), rounds); `lasso flag evals`, `lasso primary read
//! value evals`; `lasso read value evals`.

pub mod layout;
pub mod memory_checking;
pub mod primary;
pub mod witness;

#[cfg(test)]
mod tests;

pub use layout::{entry_bits, LassoLayout};
pub use memory_checking::MemoryCheckingProof;
pub use witness::{LassoError, LassoWitness, LookupRow, SmallColumn};

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use instructions::lookups::LookupParams;

use crate::codec::ProofVec;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::opening::OpeningClaim;
use crate::pcs::Column;
use crate::poly::EqPolynomial;
use crate::subprotocols::multiset::{FractionClaim, Lookups};
use crate::subprotocols::{SumcheckClaim, SumcheckProof};
use crate::trace_length::TraceLength;
use crate::transcript::Transcript;
use layout::PROTOCOL;
use primary::PrimarySumcheck;

const PRIMARY: &str = "lasso primary sumcheck";

/// A committed Lasso column. Lengths: T for all but `FinalCount` (M).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LassoColumn {
    /// E_m: the value memory m (index into [`LassoLayout::memories`]) returns
    /// per step (bits, u8, u16 or u32 by [`entry_bits`]).
    ReadValue(usize),
    /// final_cts_i: how often each cell of chunk i is read over the run
    /// (u32, M entries): the multiplicities of its logUp check.
    FinalCount(usize),
    /// flag_f: the step's lookup is `LookupKind::ALL[f]` (bits).
    Flag(usize),
    /// The lookup output per step (u32).
    Output,
}

impl LassoColumn {
    /// Number of variables of the column's multilinear polynomial.
    pub fn num_vars(&self, log_t: usize, params: &LookupParams) -> usize {
        match self {
            LassoColumn::FinalCount(_) => params.log_m(),
            _ => log_t,
        }
    }
}

/// A Lasso proof: the primary sumcheck with its claimed evaluations, and
/// the memory checking.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct LassoProof<F: JoltField> {
    /// Output(r).
    pub output_claim: F,
    pub primary: SumcheckProof<F>,
    /// flag_f(r') per kind of [`LassoLayout::kinds`].
    pub flag_evals: ProofVec<F>,
    /// E_m(r') per memory of [`LassoLayout::primary_memories`].
    pub read_value_evals: ProofVec<F>,
    pub memory: MemoryCheckingProof<F>,
}

/// Absorbs what the instance is about (the caller's statement should hold
/// it too: the fingerprints and the chunks' sums come before this).
fn absorb_statement(transcript: &mut Transcript, trace_length: TraceLength, params: &LookupParams) {
    let mut bytes = Vec::with_capacity(24);
    bytes.extend_from_slice(&(trace_length.log_t() as u64).to_le_bytes());
    bytes.extend_from_slice(&(params.word_bits as u64).to_le_bytes());
    bytes.extend_from_slice(&(params.chunks as u64).to_le_bytes());
    transcript.append_bytes(b"lasso statement", &bytes);
}

/// Proves the lookups of `witness` (built for `layout`); the caller has
/// committed `witness.columns()`, absorbed the commitments, and proven the
/// chunks' fraction sums from [`memory_checking::prove_leaves`] with the
/// other memories', whose claims are `memory`. Returns the proof and the
/// opening claims for the batched PCS opening (order: Output at r; flags
/// and read values at r'; then [`memory_checking`]'s claims).
///
/// # Panics
/// If the witness was built for another layout or its columns do not have
/// the shape [`LassoWitness::new`] gives them (a malicious-prover harness
/// may change values, not shapes).
pub fn prove<F: JoltField>(
    layout: &LassoLayout,
    witness: &LassoWitness,
    memory: &[Lookups<FractionClaim<F>>],
    transcript: &mut Transcript,
) -> (LassoProof<F>, Vec<OpeningClaim<LassoColumn, F>>) {
    assert!(
        witness.layout == *layout && witness.has_consistent_shape(),
        "malformed Lasso witness"
    );
    let trace_length = witness.trace_length();
    let _span = tracing::info_span!("lasso prove", steps = trace_length.t()).entered();
    absorb_statement(transcript, trace_length, &layout.params);
    let r: Vec<F> = transcript.challenge_vector(b"lasso r", trace_length.log_t());

    let output_claim = {
        let eq = EqPolynomial::new(r.clone()).evals();
        Column::U32(&witness.outputs).evaluate_with_eq(&eq)
    };
    let (primary, r_prime, flag_evals, read_value_evals) = {
        let _span = tracing::info_span!("lasso primary sumcheck").entered();
        let mut instance = PrimarySumcheck::new(witness, &r, output_claim);
        let (proof, r_prime) = SumcheckProof::prove(&mut instance, transcript);
        let (flags, e) = instance.final_evals();
        (proof, r_prime, flags, e)
    };
    transcript.append_scalars(b"lasso flag evals", &flag_evals);
    transcript.append_scalars(b"lasso primary read value evals", &read_value_evals);

    let (memory, memory_claims) = {
        let _span = tracing::info_span!("lasso memory checking").entered();
        memory_checking::prove_evals(witness, memory, transcript)
    };
    let proof = LassoProof {
        output_claim,
        primary,
        flag_evals: flag_evals.into(),
        read_value_evals: read_value_evals.into(),
        memory,
    };
    let mut claims = primary_claims(&proof, layout, &r, &r_prime);
    claims.extend(memory_claims);
    (proof, claims)
}

/// Verifies a proof of `trace_length` lookups under `layout` and returns
/// the opening claims the PCS must confirm (the same list [`prove`]
/// returns). `memory` are the verified fraction sums of the chunks, of
/// the shapes in `start` ([`memory_checking::verify_start`]). Every shape
/// is checked before the proof is read.
pub fn verify<F: JoltField>(
    layout: &LassoLayout,
    trace_length: TraceLength,
    proof: &LassoProof<F>,
    start: &memory_checking::MemoryCheckingStart<F>,
    memory: &[Lookups<FractionClaim<F>>],
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<LassoColumn, F>>, VerifyError> {
    check_shape(
        PROTOCOL,
        "flag evaluations",
        layout.kinds.len(),
        proof.flag_evals.len(),
    )?;
    check_shape(
        PROTOCOL,
        "read value evaluations (primary)",
        layout.primary_memories.len(),
        proof.read_value_evals.len(),
    )?;
    memory_checking::check_proof_shape(layout, &proof.memory)?;

    absorb_statement(transcript, trace_length, &layout.params);
    let r: Vec<F> = transcript.challenge_vector(b"lasso r", trace_length.log_t());
    let claim = SumcheckClaim {
        claim: proof.output_claim,
        num_rounds: trace_length.log_t(),
        degree: layout.primary_degree(),
    };
    let (r_prime, expected) = proof.primary.verify(PRIMARY, claim, transcript)?;
    let summand = EqPolynomial::new(r.clone()).evaluate(&r_prime)
        * primary::flags_times_g(layout, &proof.flag_evals, &proof.read_value_evals);
    if summand != expected {
        return Err(VerifyError::FinalClaimMismatch { protocol: PRIMARY });
    }
    transcript.append_scalars(b"lasso flag evals", &proof.flag_evals);
    transcript.append_scalars(b"lasso primary read value evals", &proof.read_value_evals);

    let memory_claims = memory_checking::verify(layout, start, memory, &proof.memory, transcript)?;
    let mut claims = primary_claims(proof, layout, &r, &r_prime);
    claims.extend(memory_claims);
    Ok(claims)
}

/// Output at r; every flag and every read value some g reads at r'.
fn primary_claims<F: JoltField>(
    proof: &LassoProof<F>,
    layout: &LassoLayout,
    r: &[F],
    r_prime: &[F],
) -> Vec<OpeningClaim<LassoColumn, F>> {
    let mut claims = vec![OpeningClaim::new(
        LassoColumn::Output,
        r.to_vec(),
        proof.output_claim,
    )];
    claims.extend(
        layout
            .kind_indices
            .iter()
            .zip(&proof.flag_evals)
            .map(|(&f, v)| OpeningClaim::new(LassoColumn::Flag(f), r_prime.to_vec(), *v)),
    );
    claims.extend(
        layout
            .primary_memories
            .iter()
            .zip(&proof.read_value_evals)
            .map(|(&m, v)| OpeningClaim::new(LassoColumn::ReadValue(m), r_prime.to_vec(), *v)),
    );
    claims
}
