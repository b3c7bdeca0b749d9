//! Continuations (docs/segments.md): a run proven as a chain of segment
//! proofs, each of at most 2^k steps, in memory bounded by one segment.
//!
//! **Prover.** [`SegmentPlan::new`] runs the program once to learn what
//! every segment's statement needs before any is proven: the number of
//! segments, each one's entry pc (the previous one's exit pc) and the
//! memory window the whole run needs (every segment uses it, so that one
//! segment's final memory and the next one's initial memory are vectors of
//! the same length). [`prove_segments`] then runs the program again
//! through a [`SegmentStream`] and proves each segment as it comes, holding
//! one segment's steps and witness at a time.
//!
//! **Statement.** Each proof carries a [`SegmentStatement`]: index, whether
//! it is the last, first step and real steps, entry and exit pc, and for a
//! segment after the first the commitment to its initial memory. A segment
//! proof is checked on its own by [`verify_segment`]; [`verify_segments`]
//! checks every proof and every link between consecutive ones:
//! - indices 0, 1, …, n − 1 and only the last one marked last;
//! - the same memory window throughout;
//! - entry pc of segment j + 1 = exit pc of segment j, and segment 0 starts
//!   at the program's entry (its initial memory is the verifier's image);
//! - first step of segment j + 1 = first step + steps of segment j;
//! - the initial-memory commitment of segment j + 1 = the `FinalValue`
//!   commitment of segment j: HyperKZG commitments are deterministic and
//!   binding, so the two states are equal.
//!
//! Verification time grows linearly with the number of segments.

use std::time::Instant;

use super::keys::ProverKey;
use super::proof::{Proof, SegmentStatement};
use super::prover::{prove_witness, Phases, ProveOptions, WitnessHook};
use super::registry::WitnessColumn;
use super::shape::{padded_trace_length, ProofShape};
use super::verifier::verify_segment;
use super::witness::Witness;
use super::{VerifierKey, ZkvmError};
use crate::error::VerifyError;
use crate::memory::{
    AddressSpace, MemoryColumn, MemoryPreprocessing, MemoryState, SegmentRole, SegmentRun,
};
use crate::pcs::{CommitmentScheme, HyperKzg};
use crate::trace_length::TraceLength;
use crate::tracer::segments::{MachineState, RunEnd, RunSegment, SegmentStream};
use crate::tracer::{Program, ProgramIO};

/// What the first pass over a run learns: enough to state every segment
/// before proving any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentPlan {
    /// Segments hold at most 2^log_steps steps.
    pub log_steps: u32,
    /// Each segment's entry pc, in order (segment j's exit pc is entry
    /// j + 1's).
    pub entry_pcs: Vec<u32>,
    /// Each segment's real steps.
    pub steps: Vec<u64>,
    /// The pc after the halting store (the last segment's exit pc).
    pub final_pc: u32,
    /// The memory window every segment proves over.
    pub space: AddressSpace,
    /// The run's I/O.
    pub io: ProgramIO,
    /// Real instructions the run executed.
    pub cycles: u64,
}

impl SegmentPlan {
    /// Runs `program` on `inputs` cut into segments of at most
    /// 2^`log_steps` steps, keeping only the statements' data (`pre` is the
    /// program's, e.g. a verifier key's `memory`, from which the window is
    /// sized). Needs no key, so the keys can be made for the plan's
    /// [`SegmentPlan::shape`].
    pub fn new(
        pre: &MemoryPreprocessing,
        program: &Program,
        inputs: &[u8],
        log_steps: u32,
        max_cycles: u64,
    ) -> Result<Self, ZkvmError> {
        let mut stream = SegmentStream::new(program, inputs, log_steps, max_cycles)?;
        let mut planner = SegmentPlanner::new(log_steps);
        while let Some(segment) = stream.next_segment()? {
            planner.add(&segment);
        }
        planner.finish(pre)
    }

    /// Number of segments.
    pub fn count(&self) -> usize {
        self.entry_pcs.len()
    }

    /// The largest proof among the segments: what a prover key must cover.
    pub fn shape(&self) -> Result<ProofShape, ZkvmError> {
        let longest = self.steps.iter().copied().max().unwrap_or(0) as usize;
        Ok(ProofShape {
            trace_length: padded_trace_length(longest)?,
            memory_vars: self.space.num_vars(),
        })
    }

    /// Whether `statement` is what this plan says segment `index` proves
    /// (every field but the initial-memory commitment, which only the
    /// previous segment's proof fixes): for a caller that gets segment
    /// proofs from elsewhere (the cluster coordinator) and checks each
    /// before the chain is complete.
    pub fn states<P: CommitmentScheme>(
        &self,
        index: usize,
        statement: &SegmentStatement<P>,
    ) -> bool {
        let (Some(&entry_pc), Some(&steps)) = (self.entry_pcs.get(index), self.steps.get(index))
        else {
            return false;
        };
        // A plan read from elsewhere may hold any counts: no overflow.
        let Some(first_step) = self.steps[..index]
            .iter()
            .try_fold(0u64, |sum, &s| sum.checked_add(s))
        else {
            return false;
        };
        let last = index + 1 == self.count();
        let exit_pc = self
            .entry_pcs
            .get(index + 1)
            .copied()
            .unwrap_or(self.final_pc);
        statement.index as usize == index
            && statement.last == last
            && statement.first_step == first_step
            && statement.steps == steps
            && statement.entry_pc == entry_pc
            && statement.exit_pc == exit_pc
            && statement.init.is_some() == (index > 0)
    }

    /// The statement of segment `segment` of this run (without the
    /// initial-memory commitment, which the prover computes).
    fn statement<P: CommitmentScheme>(
        &self,
        segment: &RunSegment,
    ) -> Result<SegmentStatement<P>, ZkvmError> {
        let index = segment.index;
        let count = self.count();
        let planned = self.entry_pcs.get(index).copied();
        if planned != Some(segment.entry.pc)
            || self.steps.get(index) != Some(&(segment.steps.len() as u64))
            || segment.is_last() != (index + 1 == count)
        {
            return Err(ZkvmError::SegmentPlanMismatch { index });
        }
        Ok(SegmentStatement {
            // At most 2^32 segments: the run is below 2^64 steps and a
            // segment holds at least 2^4 − 7.
            index: u32::try_from(index).map_err(|_| ZkvmError::SegmentPlanMismatch { index })?,
            last: segment.is_last(),
            first_step: segment.first_step,
            steps: segment.steps.len() as u64,
            entry_pc: segment.entry.pc,
            exit_pc: self
                .entry_pcs
                .get(index + 1)
                .copied()
                .unwrap_or(self.final_pc),
            init: None,
        })
    }
}

/// Builds a [`SegmentPlan`] from a run's segments as a pass over the run
/// hands them out, for a caller that does more with each segment than
/// plan it (the cluster coordinator stores each entry state).
#[derive(Clone, Debug)]
pub struct SegmentPlanner {
    log_steps: u32,
    entry_pcs: Vec<u32>,
    steps: Vec<u64>,
    end: Option<RunEnd>,
}

impl SegmentPlanner {
    pub fn new(log_steps: u32) -> Self {
        SegmentPlanner {
            log_steps,
            entry_pcs: Vec::new(),
            steps: Vec::new(),
            end: None,
        }
    }

    /// The next segment of the run, in order.
    pub fn add(&mut self, segment: &RunSegment) {
        self.entry_pcs.push(segment.entry.pc);
        self.steps.push(segment.steps.len() as u64);
        self.end = segment.end.clone();
    }

    /// The plan, once the halting segment was added; `pre` is the
    /// program's (the window is sized from it).
    pub fn finish(self, pre: &MemoryPreprocessing) -> Result<SegmentPlan, ZkvmError> {
        let Some(end) = self.end else {
            return Err(ZkvmError::UnfinishedRun {
                segments: self.steps.len(),
            });
        };
        let words = end.state.memory.len();
        if words > pre.layout.num_words() {
            return Err(crate::memory::WitnessError::FinalState {
                what: "memory size",
            }
            .into());
        }
        let longest = self.steps.iter().copied().max().unwrap_or(0) as usize;
        let space = pre.window_for_run(words, padded_trace_length(longest)?);
        Ok(SegmentPlan {
            log_steps: self.log_steps,
            entry_pcs: self.entry_pcs,
            steps: self.steps,
            space,
            final_pc: end.state.pc,
            io: end.io,
            cycles: end.cycles,
        })
    }
}

/// A run proven in segments.
#[derive(Clone, Debug)]
pub struct SegmentedOutput<P: CommitmentScheme> {
    pub io: ProgramIO,
    /// One proof per segment, in order.
    pub proofs: Vec<Proof<P>>,
    /// Real instructions executed.
    pub cycles: u64,
    /// Trace steps (virtual sequences expanded), before padding.
    pub steps: u64,
    /// Time of each prover phase, summed over the segments.
    pub phases: Phases,
}

/// Runs `inputs` through the key's program and proves the run in segments
/// of at most 2^`log_steps` steps (one segment if it fits).
pub fn prove_segments(
    pk: &ProverKey<HyperKzg>,
    inputs: &[u8],
    log_steps: u32,
    options: &ProveOptions,
) -> Result<SegmentedOutput<HyperKzg>, ZkvmError> {
    let plan = SegmentPlan::new(
        &pk.vk.memory,
        &pk.program,
        inputs,
        log_steps,
        options.max_cycles,
    )?;
    prove_planned(pk, &plan, inputs, options)
}

/// Proves the run `plan` describes (of the key's program on `inputs`),
/// one segment at a time as a second pass over the run hands them out.
pub fn prove_planned(
    pk: &ProverKey<HyperKzg>,
    plan: &SegmentPlan,
    inputs: &[u8],
    options: &ProveOptions,
) -> Result<SegmentedOutput<HyperKzg>, ZkvmError> {
    let needed = plan.shape()?;
    if !pk.max_shape.covers(&needed) {
        return Err(ZkvmError::KeyTooSmall {
            needed,
            key: pk.max_shape,
        });
    }
    let mut stream = SegmentStream::new(&pk.program, inputs, plan.log_steps, options.max_cycles)?;
    let mut proofs = Vec::with_capacity(plan.count());
    let mut phases = Phases::default();
    while let Some(segment) = stream.next_segment()? {
        let (proof, segment_phases) = prove_segment_with(pk, plan, &segment, options, &())?;
        drop(segment);
        phases.add(&segment_phases);
        proofs.push(proof);
    }
    if proofs.len() != plan.count() {
        return Err(ZkvmError::SegmentPlanMismatch {
            index: proofs.len(),
        });
    }
    Ok(SegmentedOutput {
        io: plan.io.clone(),
        proofs,
        cycles: plan.cycles,
        steps: plan.steps.iter().sum(),
        phases,
    })
}

/// Proves one segment of the run `plan` describes.
pub fn prove_segment(
    pk: &ProverKey<HyperKzg>,
    plan: &SegmentPlan,
    segment: &RunSegment,
    options: &ProveOptions,
) -> Result<(Proof<HyperKzg>, Phases), ZkvmError> {
    prove_segment_with(pk, plan, segment, options, &())
}

pub(crate) fn prove_segment_with<P: CommitmentScheme, H: WitnessHook<P::Field>>(
    pk: &ProverKey<P>,
    plan: &SegmentPlan,
    segment: &RunSegment,
    options: &ProveOptions,
    hook: &H,
) -> Result<(Proof<P>, Phases), ZkvmError> {
    let start = Instant::now();
    let statement = plan.statement::<P>(segment)?;
    let role = SegmentRole::of(segment.index, plan.count());
    let trace_length = padded_trace_length(segment.steps.len())?;
    let run = SegmentRun {
        steps: &segment.steps,
        role,
        // Segment 0 starts from the image with the inputs, which the
        // verifier evaluates itself.
        entry: (!role.first).then(|| memory_state(&segment.entry)),
        exit: segment.end.as_ref().map(|end| memory_state(&end.state)),
        io: &plan.io,
    };
    let witness = Witness::of_segment(
        &pk.vk,
        &plan.space,
        &run,
        trace_length,
        statement.exit_pc,
        hook.wraps_failed_checks(),
    )?;
    let (_, proof, phases) = prove_witness(
        pk,
        witness,
        plan.io.clone(),
        statement,
        options,
        start,
        hook,
    )?;
    Ok((proof, phases))
}

/// The registers and memory words of a machine state, as the memory
/// witness reads them.
pub(crate) fn memory_state(s: &MachineState) -> MemoryState<'_> {
    MemoryState {
        registers: &s.registers,
        memory: &s.memory,
    }
}

/// The commitment to `proof`'s final memory, the one the next segment
/// states as its initial memory: `None` if the proof's trace length is
/// invalid or its layout commits the final memory in pieces (a proof of a
/// whole run, which has no next segment; `VerifierKey::commitment_layout`)
/// or it lacks the commitment.
pub fn final_memory_commitment<'p>(
    vk: &VerifierKey<HyperKzg>,
    proof: &'p Proof<HyperKzg>,
) -> Option<&'p <HyperKzg as CommitmentScheme>::Commitment> {
    // The registry always has the final memory.
    let final_value = vk
        .registry
        .position(WitnessColumn::Memory(MemoryColumn::FinalValue))
        .expect("FinalValue is registered");
    let shape = ProofShape {
        trace_length: TraceLength::from_proof("segments", proof.trace_length).ok()?,
        memory_vars: proof.memory_vars as usize,
    };
    let commitments = vk
        .commitment_layout(shape, proof.segment.role())
        .commitments_of(final_value);
    (commitments.len() == 1)
        .then(|| proof.commitments.get(commitments.start))
        .flatten()
}

/// Accepts only if `proofs` are the segments, in order, of a run of the
/// key's program on `io.inputs` that ends with `io.outputs` and
/// `io.panicked`: each segment's proof and every link between consecutive
/// segments (see the module documentation).
pub fn verify_segments(
    vk: &VerifierKey<HyperKzg>,
    io: &ProgramIO,
    proofs: &[Proof<HyperKzg>],
) -> Result<(), VerifyError> {
    if proofs.is_empty() {
        return Err(VerifyError::Shape {
            protocol: "segments",
            what: "segments (at least)",
            expected: 1,
            got: 0,
        });
    }
    let count = proofs.len();
    for (index, proof) in proofs.iter().enumerate() {
        let s = &proof.segment;
        let fail = |what| Err(VerifyError::Segment { index, what });
        if s.index as usize != index {
            return fail(
                "states another position in the run (a segment dropped, repeated or out of order)",
            );
        }
        if s.last != (index + 1 == count) {
            return fail("only the run's final segment may end it, and it must");
        }
        if proof.memory_vars != proofs[0].memory_vars {
            return fail("covers another memory window than segment 0");
        }
        if let Some(previous) = index.checked_sub(1).map(|i| &proofs[i]) {
            let p = &previous.segment;
            if s.entry_pc != p.exit_pc {
                return fail("its entry pc is not the previous segment's exit pc");
            }
            if Some(s.first_step) != p.first_step.checked_add(p.steps) {
                return fail("its first step does not follow the previous segment's steps");
            }
            // The previous proof was verified one iteration ago.
            if s.init.is_none() || s.init.as_ref() != final_memory_commitment(vk, previous) {
                return fail("its initial memory is not the previous segment's final memory");
            }
        }
        verify_segment(vk, io, proof)?;
    }
    Ok(())
}
