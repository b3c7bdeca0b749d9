//! The sizes a proof is made at: T steps and a memory window of
//! M = 2^m words. Both are chosen by the prover from the run, stated in
//! the proof and absorbed with the statement; the verifier checks T
//! against [`TraceLength`]'s bounds and m against the layout
//! ([`crate::memory::MemoryPreprocessing::window`]). A prover key is made
//! for a shape and proves every run whose shape it covers.

use std::fmt;

use super::ZkvmError;
use crate::memory::AddressSpace;
use crate::trace_length::TraceLength;
use crate::tracer::{MemoryLayout, Trace};

/// T and log2 M of one proof (or the largest a prover key fits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProofShape {
    pub trace_length: TraceLength,
    /// log2 of the memory window's words.
    pub memory_vars: usize,
}

impl ProofShape {
    /// The shape a run of the program with `layout` is proven at: its
    /// steps padded to a power of two, and the smallest window holding
    /// every word it (or its image) reached, at least T words
    /// ([`AddressSpace::for_run`]).
    pub fn of(layout: MemoryLayout, trace: &Trace) -> Result<Self, ZkvmError> {
        let trace_length = padded_trace_length(trace.steps.len())?;
        let words = trace.final_memory.len();
        Ok(ProofShape {
            trace_length,
            memory_vars: AddressSpace::for_run(layout, words, trace_length).num_vars(),
        })
    }

    /// Whether a key made for `self` can prove a run of shape `run`.
    pub fn covers(&self, run: &ProofShape) -> bool {
        self.trace_length >= run.trace_length && self.memory_vars >= run.memory_vars
    }

    /// The smallest shape covering both.
    pub fn max(self, other: ProofShape) -> ProofShape {
        ProofShape {
            trace_length: self.trace_length.max(other.trace_length),
            memory_vars: self.memory_vars.max(other.memory_vars),
        }
    }
}

impl fmt::Display for ProofShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "T = {}, memory window 2^{} words",
            self.trace_length, self.memory_vars
        )
    }
}

/// The trace length a run of `steps` steps is proven at: padded with no-op
/// steps to a power of two (at least 2).
pub fn padded_trace_length(steps: usize) -> Result<TraceLength, ZkvmError> {
    TraceLength::padded(steps).ok_or(ZkvmError::TraceTooLong {
        steps,
        max: TraceLength::MAX,
    })
}
