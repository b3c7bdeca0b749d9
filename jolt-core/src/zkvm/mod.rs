//! The zkVM: one proof that a program ran on given inputs to the claimed
//! outputs, joining the tracer, memory checking (bytecode and read-write),
//! Lasso and Spartan under one transcript and one batched PCS opening.
//!
//! - [`keys`]: preprocessing of a program into prover and verifier keys.
//! - [`registry`]: every committed column and which column each R1CS input is.
//! - [`witness`]: trace → committed columns.
//! - [`prover`] / [`verifier`]: the proof order below.
//! - [`proof`]: the proof and its versioned file format.
//! - [`shape`]: the sizes a proof is made at (T, the memory window).
//!
//! Transcript, in order (prover and verifier share [`protocol`]'s
//! absorption and claim collection):
//! 1. `protocol` ([`PROTOCOL_ID`]), `verifier key digest`, `inputs`,
//!    `outputs`, `panicked`, `trace length`, `memory window` (log2 M,
//!    [`shape`]), the segment statement (index, last, first step, steps,
//!    entry pc, exit pc, and the initial-memory commitment of a later
//!    segment);
//! 2. `commitments` (their number), then each `commitment` in registry order
//!    (the long columns maybe in pieces: [`registry::CommitmentLayout`]);
//! 3. memory checking (bytecode, then read-write with the timestamp range
//!    check and the I/O check), Lasso, Spartan — each absorbing its own
//!    messages before its next challenge;
//! 4. the batched opening of every claim (the PCS reduction absorbs each
//!    claim's commitment, point and value).
//!
//! Claims the verifier adds itself: step 0 reads the entry instruction's
//! bytecode row (bytecode address at the all-zero point), and the NoOp
//! flag sums to the padding the statement implies (at (½, …, ½)).
//!
//! A proof states its place in the run ([`proof::SegmentStatement`]): a
//! whole run is segment 0 of 1; [`segments`] proves and chains longer
//! runs in segments.
//!
//! The entry points (`preprocess`, `verifier_key`, `prove`, `prove_trace`,
//! `prove_segment(s)`, `prove_planned`, `verify`, `verify_segment(s)`)
//! are for [`HyperKzg`](crate::pcs::HyperKzg), the PCS this crate ships;
//! the protocol code under them stays generic over
//! [`CommitmentScheme`](crate::pcs::CommitmentScheme). They are not
//! generic because at opt-level 3 rustc does not share generic instances
//! across crates: every crate calling a generic entry point compiled the
//! whole prover again (about a minute each in a cold build).

pub mod budget;
pub mod keys;
pub mod progress;
pub mod proof;
pub mod protocol;
pub mod prover;
pub mod registry;
pub mod segments;
pub mod shape;
pub mod verifier;
pub mod witness;

#[cfg(test)]
mod segment_tests;
#[cfg(test)]
mod tests;

pub use crate::trace_length::TraceLength;
pub use keys::{
    dev_preprocess, dev_verifier_key, preprocess, srs_num_vars, verifier_key, ProverKey,
    VerifierKey, DEV_SRS_SEED,
};
pub use progress::{Progress, ProgressEvent, PROVE_PHASES};
pub use proof::{Proof, ProofFile, ProofFileError, SegmentStatement};
pub use protocol::PROTOCOL_ID;
pub use prover::{prove, prove_trace, Phases, ProveOptions, ProveOutput};
pub use registry::{Registry, WitnessColumn};
pub use segments::{
    final_memory_commitment, prove_planned, prove_segment, prove_segments, verify_segments,
    SegmentPlan, SegmentPlanner, SegmentedOutput,
};
pub use shape::{padded_trace_length, ProofShape};
pub use verifier::{verify, verify_segment};

use crate::lasso::LassoError;
use crate::memory::WitnessError;
use crate::pcs::PcsError;
use crate::tracer::TraceError;

/// Why preprocessing or proving failed.
#[derive(Debug, thiserror::Error)]
pub enum ZkvmError {
    #[error("tracing: {0}")]
    Trace(#[from] TraceError),
    #[error("the run has {steps} steps; this prover key fits at most {max}")]
    TraceTooLong { steps: usize, max: TraceLength },
    #[error("the run needs a proof of {needed}; this prover key fits {key} (make a key for the run's ProofShape)")]
    KeyTooSmall { needed: ProofShape, key: ProofShape },
    #[error("memory witness: {0}")]
    Memory(#[from] WitnessError),
    #[error("lookup witness: {0}")]
    Lasso(#[from] LassoError),
    #[error("polynomial commitment: {0}")]
    Pcs(#[from] PcsError),
    #[error(
        "the entry point {entry:#010x} has no bytecode row (not an instruction the zkVM proves)"
    )]
    NoEntryRow { entry: u32 },
    #[error("lookup parameters: {0}")]
    Parameters(crate::error::VerifyError),
    #[error("R1CS input {0} has no committed column under these lookup parameters")]
    UnownedInput(String),
    #[error("segments: {0}")]
    Segments(#[from] crate::tracer::segments::SegmentError),
    #[error("segment {index} differs from the run's plan (a run that is not deterministic, or a wrong entry state)")]
    SegmentPlanMismatch { index: usize },
    #[error(
        "a plan needs the run's halting segment; the {segments} segment(s) given end before it"
    )]
    UnfinishedRun { segments: usize },
    #[error(
        "segments of 2^{log_steps} steps need about {:.1} GB to prove; this machine has {:.1} GB available (choose a smaller size)",
        *needed as f64 / 1e9,
        *available as f64 / 1e9
    )]
    SegmentTooLarge {
        log_steps: u32,
        needed: u64,
        available: u64,
    },
}
