//! Offline memory checking (docs/memory.md): every value the CPU read is the
//! value last written there, the program run is the preprocessed bytecode,
//! the inputs are the verifier's and the outputs and panic flag are what the
//! program wrote.
//!
//! - [`layout`]: the remapped address space `[registers | I/O | RAM]`.
//! - [`bytecode`]: the bytecode table as a read-only memory (logUp).
//! - [`read_write`]: registers, I/O and RAM as one read-write memory, four
//!   operations per step, with the timestamp range check ([`timestamps`])
//!   and the output check ([`io`]).
//! - [`witness`]: trace → committed columns ([`MemoryWitness::columns`]).
//!
//! Every memory runs the shared multiset core
//! ([`crate::subprotocols::multiset`]): one fingerprint convention, the
//! Init ∪ Writes = Reads ∪ Final check for the read-write memory, logUp
//! for the read-only ones (the bytecode, the range memory, and the caller's
//! `lookups`: the zkVM's Lasso chunks), all in one layered circuit whose
//! vectors of equal length share their leaf point.
//!
//! Nothing is opened here: [`prove`] and [`verify`] return
//! [`OpeningClaim`]s for the batched PCS opening. The caller commits
//! [`MemoryWitness::columns`] and absorbs the commitments before calling
//! either. Transcript: [`bytecode`]'s statement and fingerprint, then
//! [`read_write`]'s, the layered circuit, then [`bytecode`]'s evaluations
//! and [`read_write`]'s (with the output check).

pub mod bytecode;
pub mod io;
pub mod layout;
pub mod read_write;
pub mod timestamps;
pub mod witness;

#[cfg(test)]
mod tests;

pub use bytecode::{BytecodeColumn, BytecodeProof, BytecodeRow, BytecodeTable, BytecodeWitness};
pub use layout::{AddressSpace, REGISTER_BLOCK, SINK_REGISTER};
pub use read_write::{ReadWriteProof, ReadWriteWitness};
pub use witness::{MemoryState, MemoryWitness, SegmentRun, WitnessError};

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

use crate::error::VerifyError;
use crate::field::JoltField;
use crate::opening::OpeningClaim;
use crate::subprotocols::multiset::{
    prove_memories, verify_memories, FractionClaim, LookupLeaves, LookupShape, Lookups,
};
use crate::subprotocols::GrandProductProof;
use crate::trace_length::TraceLength;
use crate::tracer::{MemoryLayout, Program, ProgramIO};
use crate::transcript::Transcript;

/// The four memory operations of a step, in time order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    /// Reads the register in the row's rs1 field.
    Rs1,
    /// Reads the register in the row's rs2 field.
    Rs2,
    /// The RAM access: a load's read, a store's write, or a no-op read of
    /// the termination word.
    Ram,
    /// Writes rd (reading its old value first).
    Rd,
}

impl Slot {
    pub const ALL: [Slot; 4] = [Slot::Rs1, Slot::Rs2, Slot::Ram, Slot::Rd];

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Every column memory checking commits, with its length and width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemoryColumn {
    /// The bytecode read of each step and the bytecode counts.
    Bytecode(BytecodeColumn),
    /// The RAM slot's address in the remapped space (T, u32).
    RamAddress,
    /// The value a slot reads (T, u32).
    ReadValue(Slot),
    /// The value the RAM slot leaves (T, u32).
    RamWriteValue,
    /// The value written to rd or the sink (T, u32).
    RdWriteValue,
    /// The range memory cell q of a read's distance
    /// t_now − t_read − 1 = 4q + m (T, u32); t_read is derived from it.
    RangeCell(Slot),
    /// Bit 0 of the range check's remainder m = d mod 4 (T, bits).
    RangeRemainderLow(Slot),
    /// Bit 1 of the range check's remainder (T, bits).
    RangeRemainderHigh(Slot),
    /// How often each range-memory cell is read (T, u32): the
    /// multiplicities of its logUp check.
    RangeFinalCount,
    /// Final memory (M, u32).
    FinalValue,
    /// Last access time per address (M, u32).
    FinalTimestamp,
    /// Initial memory of a segment that does not start the run (M, u32):
    /// committed beside the registry's columns, its commitment stated by
    /// the segment and equal to the previous segment's `FinalValue`'s.
    InitValue,
}

impl MemoryColumn {
    /// Every column memory checking commits, bytecode first (the lookup
    /// flags it reads are Lasso's and not among them).
    pub fn all() -> Vec<MemoryColumn> {
        let mut all: Vec<MemoryColumn> = bytecode::BytecodeColumn::per_step()
            .into_iter()
            .chain([BytecodeColumn::FinalCount])
            .filter(BytecodeColumn::is_committed)
            .map(MemoryColumn::Bytecode)
            .collect();
        all.push(MemoryColumn::RamAddress);
        all.extend(Slot::ALL.map(MemoryColumn::ReadValue));
        all.push(MemoryColumn::RamWriteValue);
        all.push(MemoryColumn::RdWriteValue);
        all.extend(Slot::ALL.map(MemoryColumn::RangeCell));
        all.extend(Slot::ALL.map(MemoryColumn::RangeRemainderLow));
        all.extend(Slot::ALL.map(MemoryColumn::RangeRemainderHigh));
        all.push(MemoryColumn::RangeFinalCount);
        all.push(MemoryColumn::FinalValue);
        all.push(MemoryColumn::FinalTimestamp);
        all
    }

    /// Number of entries for T steps, K bytecode rows and M words.
    pub fn len(
        &self,
        trace_length: TraceLength,
        bytecode_rows: usize,
        memory_size: usize,
    ) -> usize {
        match self {
            MemoryColumn::Bytecode(BytecodeColumn::FinalCount) => bytecode_rows,
            MemoryColumn::FinalValue | MemoryColumn::FinalTimestamp | MemoryColumn::InitValue => {
                memory_size
            }
            _ => trace_length.t(),
        }
    }
}

/// What memory checking knows about a program before any run: the layout,
/// the bytecode table and the image. Part of the verifier key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryPreprocessing {
    pub layout: MemoryLayout,
    pub bytecode: BytecodeTable,
    /// The image's nonzero words as (index in the address space, word), in
    /// increasing index order.
    pub image: Vec<(usize, u32)>,
    /// log2 of the smallest memory window a proof may state: it holds the
    /// registers, the I/O words and every image word.
    pub min_window_vars: usize,
}

impl MemoryPreprocessing {
    pub fn new(program: &Program) -> Self {
        let space = AddressSpace::full(program.layout);
        let image: Vec<(usize, u32)> = program
            .image_words()
            .into_iter()
            .map(|(address, word)| {
                // Program loading checked that every segment lies in RAM,
                // and image words are aligned.
                let index = space.word(address).expect("image words lie in RAM");
                (index, word)
            })
            .collect();
        let image_end = image.last().map_or(0, |&(index, _)| index + 1);
        MemoryPreprocessing {
            layout: program.layout,
            bytecode: BytecodeTable::new(program),
            min_window_vars: AddressSpace::min_num_vars(program.layout, image_end),
            image,
        }
    }

    /// The window of 2^num_vars words a proof states, if the verifier
    /// accepts it: at least [`Self::min_window_vars`], at most the layout.
    pub fn window(&self, num_vars: usize) -> Option<AddressSpace> {
        AddressSpace::window(self.layout, num_vars, self.min_window_vars)
    }

    /// The window a run of `trace_length` steps proves over, whose tracer
    /// memory (`Trace::final_memory`) has `words` words
    /// ([`AddressSpace::for_run`]).
    pub fn window_for_run(&self, words: usize, trace_length: TraceLength) -> AddressSpace {
        let run = AddressSpace::for_run(self.layout, words, trace_length).num_vars();
        // Both the run's window and the minimum lie within the layout.
        self.window(run.max(self.min_window_vars))
            .expect("a window between the minimum and the whole layout")
    }

    /// The whole layout: the largest window.
    pub fn full_space(&self) -> AddressSpace {
        AddressSpace::full(self.layout)
    }
}

/// Where a proof's memory starts and how it ends: a whole run, or one
/// segment of a run (docs/segments.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SegmentRole {
    /// Starts the run: Init is the image with the inputs, which the
    /// verifier evaluates itself. Otherwise Init is the committed
    /// [`MemoryColumn::InitValue`].
    pub first: bool,
    /// Ends the run: the output check claims the outputs, the panic flag
    /// and termination word 1. Otherwise it claims termination word 0.
    pub last: bool,
}

impl SegmentRole {
    /// A proof of a whole run.
    pub const WHOLE: SegmentRole = SegmentRole {
        first: true,
        last: true,
    };

    /// Segment `index` of a run of `count` segments.
    pub fn of(index: usize, count: usize) -> Self {
        SegmentRole {
            first: index == 0,
            last: index + 1 == count,
        }
    }
}

/// The name in errors of the layered circuit all memories share.
pub const PROTOCOL: &str = "memory checking";

/// The memory-checking proof: the shared layered circuit, then the
/// bytecode's and the read-write memory's evaluations.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct MemoryProof<F: JoltField> {
    /// The products of the read-write memory and the fraction sums of the
    /// bytecode, the range memory and the caller's other read-only
    /// memories (the zkVM's Lasso chunks), in one layered circuit (vectors
    /// of equal length share their leaf point whichever memory they are).
    pub products: GrandProductProof<F>,
    pub bytecode: BytecodeProof<F>,
    pub read_write: ReadWriteProof<F>,
}

/// Proves memory checking for `witness`; the caller has committed
/// [`MemoryWitness::columns`] and absorbed the commitments. The bytecode's
/// and the read-write memory's statements and fingerprints come first,
/// then one batched layered circuit for all their products and sums and
/// for the caller's other read-only memories' `lookups` (whose
/// fingerprints it drew before), then each part's evaluations. Returns the
/// proof, the opening claims and the claims of `lookups`.
///
/// # Panics
/// If the witness does not have the shape of `pre` (a prover-side
/// invariant).
#[allow(clippy::type_complexity)]
pub fn prove<F: JoltField>(
    pre: &MemoryPreprocessing,
    witness: &MemoryWitness,
    lookups: Vec<LookupLeaves<F>>,
    transcript: &mut Transcript,
) -> (
    MemoryProof<F>,
    Vec<OpeningClaim<MemoryColumn, F>>,
    Vec<Lookups<FractionClaim<F>>>,
) {
    let bytecode_leaves = bytecode::prove_leaves(&pre.bytecode, &witness.bytecode, transcript);
    let (rw_leaves, range_leaves) = read_write::prove_leaves(pre, witness, transcript);
    let (products, rw_claims, mut lookup_claims) = prove_memories(
        vec![rw_leaves],
        [bytecode_leaves, range_leaves]
            .into_iter()
            .chain(lookups)
            .collect(),
        transcript,
    );
    let others = lookup_claims.split_off(2);
    let (bytecode, mut claims) =
        bytecode::prove_evals(&witness.bytecode, &lookup_claims[0], transcript);
    let (read_write, rw_opening) =
        read_write::prove_evals(witness, &rw_claims[0], &lookup_claims[1], transcript);
    claims.extend(rw_opening);
    (
        MemoryProof {
            products,
            bytecode,
            read_write,
        },
        claims,
        others,
    )
}

/// Verifies memory checking of a run (or segment, `role`) of
/// `trace_length` steps of the program in `pre` over the memory window
/// `space` with public I/O `io`, and the fraction sums of the caller's
/// other read-only memories of shapes `lookups`; returns the opening
/// claims and the claims of `lookups` for the caller to check.
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
pub fn verify<F: JoltField>(
    pre: &MemoryPreprocessing,
    space: &AddressSpace,
    trace_length: TraceLength,
    io: &ProgramIO,
    role: SegmentRole,
    proof: &MemoryProof<F>,
    lookups: &[LookupShape],
    transcript: &mut Transcript,
) -> Result<
    (
        Vec<OpeningClaim<MemoryColumn, F>>,
        Vec<Lookups<FractionClaim<F>>>,
    ),
    VerifyError,
> {
    let (bytecode_fp, bytecode_shape) =
        bytecode::verify_start(&pre.bytecode, trace_length, transcript);
    let rw =
        read_write::verify_start(space, trace_length, io, role, &proof.read_write, transcript)?;
    let shapes: Vec<LookupShape> = [bytecode_shape, rw.range]
        .into_iter()
        .chain(lookups.iter().copied())
        .collect();
    let (rw_claims, mut lookup_claims) =
        verify_memories(PROTOCOL, &proof.products, &[rw.memory], &shapes, transcript)?;
    let others = lookup_claims.split_off(2);
    let mut claims = bytecode::verify_claims(
        &pre.bytecode,
        &bytecode_fp,
        &proof.bytecode,
        &lookup_claims[0],
        transcript,
    )?;
    claims.extend(read_write::verify_claims(
        pre,
        space,
        io,
        role,
        &proof.read_write,
        &rw,
        &rw_claims[0],
        &lookup_claims[1],
        transcript,
    )?);
    Ok((claims, others))
}
