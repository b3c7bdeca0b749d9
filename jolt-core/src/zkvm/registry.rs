//! The witness registry (docs/architecture.md): every polynomial a proof commits,
//! in registry order, and which committed column each R1CS input is; and
//! how one proof lays out their commitments ([`CommitmentLayout`]: the
//! final counts and the memory window's columns may be committed in
//! pieces).
//!
//! | column | length | values | produced by | claims consumed by |
//! |---|---|---|---|---|
//! | `Memory(Bytecode(..))` | T (final count: K) | bits–u32 | bytecode checking | bytecode, R1CS (address, pc, circuit flags, imm) |
//! | `Memory(..)` slots, timestamps, range counts and remainder bits | T (range final count: T cells; final memory and timestamps: M, maybe in pieces) | bits–u32 | read-write checking | read-write, R1CS (values, RAM address, remainder bits) |
//! | `Lasso(ReadValue / Flag / Output)` | T | bits–u32 | Lasso | Lasso, bytecode (lookup flags), R1CS (operand bytes, lookup flags, output) |
//! | `Aux(k)` | T | u64, i64 or field | the R1CS's auxiliary rules | R1CS |
//! | `Lasso(FinalCount)` | 2^16, maybe in pieces | u32 | Lasso | Lasso |
//!
//! Subprotocols name columns with their own enums; [`WitnessColumn`] wraps
//! them, and R1CS input j is [`input_owner`] of `CpuR1cs::inputs[j]`, so an
//! input is one committed polynomial whichever subprotocol claims it.

use std::collections::HashMap;

use instructions::subtables::SubtableId;

use crate::lasso::{LassoColumn, LassoLayout};
use crate::memory::bytecode::BytecodeColumn;
use crate::memory::{MemoryColumn, Slot};
use crate::r1cs::constraints::{CpuInput, CpuR1cs};

/// A committed polynomial of the zkVM proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WitnessColumn {
    /// Bytecode and read-write memory checking.
    Memory(MemoryColumn),
    /// Instruction lookups.
    Lasso(LassoColumn),
    /// An auxiliary variable of the CPU R1CS.
    Aux(usize),
}

/// Every committed column in registry order, with an index for lookups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    columns: Vec<WitnessColumn>,
    position: HashMap<WitnessColumn, usize>,
    /// log2 of a final count's length (the subtables' cells).
    final_count_vars: usize,
}

impl Registry {
    /// Memory columns (the circuit flags among the bytecode's), then
    /// Lasso's (read values, flags, output), then R1CS
    /// auxiliaries, then Lasso's final counts.
    pub fn new(lasso: &LassoLayout, cpu: &CpuR1cs) -> Self {
        let c = lasso.num_chunks();
        let mut columns: Vec<WitnessColumn> = MemoryColumn::all()
            .into_iter()
            .map(WitnessColumn::Memory)
            .collect();
        let lasso_columns = (0..lasso.memories.len())
            .map(LassoColumn::ReadValue)
            .chain(lasso.kind_indices.iter().map(|&k| LassoColumn::Flag(k)))
            .chain([LassoColumn::Output]);
        columns.extend(lasso_columns.map(WitnessColumn::Lasso));
        columns.extend((0..cpu.r1cs.num_aux()).map(WitnessColumn::Aux));
        columns.extend((0..c).map(|i| WitnessColumn::Lasso(LassoColumn::FinalCount(i))));
        let position = columns.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        Registry {
            columns,
            position,
            final_count_vars: lasso.params.log_m(),
        }
    }

    /// The columns in registry order.
    pub fn columns(&self) -> &[WitnessColumn] {
        &self.columns
    }

    pub fn len(&self) -> usize {
        self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Where `column` is in the registry, if it has it.
    pub fn position(&self, column: WitnessColumn) -> Option<usize> {
        self.position.get(&column).copied()
    }

    /// How a proof commits the registry: a column longer than
    /// 2^`opening_vars` entries is committed in pieces of that size, so
    /// that the batched opening runs at the size of the proof's other
    /// columns. The columns that may be that long are Lasso's final counts
    /// (2^16 cells) and, when `split_window` is set, the memory window's
    /// two (2^`memory_vars` words: `FinalValue`, `FinalTimestamp`).
    ///
    /// # Panics
    /// If a split column has `usize::BITS` or more variables more than
    /// `opening_vars` (a caller's invariant: the verifier key's layout
    /// bounds the window's pieces by `MAX_WINDOW_PIECES_LOG`, and a final
    /// count has 16 variables).
    pub fn commitment_layout(
        &self,
        opening_vars: usize,
        memory_vars: usize,
        split_window: bool,
    ) -> CommitmentLayout {
        let mut starts = Vec::with_capacity(self.columns.len());
        let mut pieces = Vec::with_capacity(self.columns.len());
        let mut next = 0;
        for column in &self.columns {
            let vars =
                match column {
                    WitnessColumn::Lasso(LassoColumn::FinalCount(_)) => Some(self.final_count_vars),
                    WitnessColumn::Memory(
                        MemoryColumn::FinalValue | MemoryColumn::FinalTimestamp,
                    ) if split_window => Some(memory_vars),
                    _ => None,
                };
            let count = vars.map_or(1, |v| 1 << v.saturating_sub(opening_vars));
            starts.push(next);
            pieces.push(count);
            next += count;
        }
        CommitmentLayout {
            starts,
            pieces,
            piece_vars: opening_vars,
        }
    }
}

/// The commitments of one proof, in registry order: each column as one
/// polynomial, or, if it is longer than the proof's other columns, in
/// pieces of 2^`piece_vars` entries (docs/pcs.md, "Columns committed in
/// pieces"), consecutive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentLayout {
    /// Per registry column, the index of its first commitment.
    starts: Vec<usize>,
    /// Per registry column, its number of commitments (a power of two, 1
    /// if it is committed whole).
    pieces: Vec<usize>,
    /// Variables of one piece.
    pub piece_vars: usize,
}

impl CommitmentLayout {
    /// Commitments in the proof.
    pub fn len(&self) -> usize {
        self.starts
            .last()
            .map_or(0, |s| s + self.pieces[self.pieces.len() - 1])
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the column at registry index `i` is committed in pieces.
    ///
    /// # Panics
    /// If `i` is not a registry index (a caller's invariant).
    pub fn is_split(&self, i: usize) -> bool {
        self.pieces[i] > 1
    }

    /// The number of pieces of the column at registry index `i` (1 if it
    /// is committed whole).
    ///
    /// # Panics
    /// If `i` is not a registry index (a caller's invariant).
    pub fn pieces_of(&self, i: usize) -> usize {
        self.pieces[i]
    }

    /// The commitments of the column at registry index `i`, in piece order.
    ///
    /// # Panics
    /// If `i` is not a registry index (a caller's invariant).
    pub fn commitments_of(&self, i: usize) -> std::ops::Range<usize> {
        self.starts[i]..self.starts[i] + self.pieces[i]
    }
}

/// The committed column that is R1CS input `input`: the R1CS commits none
/// of its inputs itself. `None` for the public exit pc, and if the Lasso
/// layout lacks a memory or kind the CPU reads (parameters without it).
pub fn input_owner(input: CpuInput, lasso: &LassoLayout) -> Option<WitnessColumn> {
    use WitnessColumn::{Lasso, Memory};
    Some(match input {
        CpuInput::BytecodeAddress => Memory(MemoryColumn::Bytecode(BytecodeColumn::Address)),
        CpuInput::Pc => Memory(MemoryColumn::Bytecode(BytecodeColumn::Pc)),
        CpuInput::Imm => Memory(MemoryColumn::Bytecode(BytecodeColumn::Imm)),
        CpuInput::CircuitFlag(f) => Memory(MemoryColumn::Bytecode(BytecodeColumn::CircuitFlag(f))),
        CpuInput::LookupFlag(k) => {
            lasso.kind_indices.contains(&k).then_some(())?;
            Lasso(LassoColumn::Flag(k))
        }
        CpuInput::Rs1Value => Memory(MemoryColumn::ReadValue(Slot::Rs1)),
        CpuInput::Rs2Value => Memory(MemoryColumn::ReadValue(Slot::Rs2)),
        CpuInput::RdWrite => Memory(MemoryColumn::RdWriteValue),
        CpuInput::RamAddress => Memory(MemoryColumn::RamAddress),
        CpuInput::RamRead => Memory(MemoryColumn::ReadValue(Slot::Ram)),
        CpuInput::RamWrite => Memory(MemoryColumn::RamWriteValue),
        CpuInput::LeftId(i) => Lasso(LassoColumn::ReadValue(
            lasso.memory_index(SubtableId::LeftId, i)?,
        )),
        CpuInput::RightId(i) => Lasso(LassoColumn::ReadValue(
            lasso.memory_index(SubtableId::RightId, i)?,
        )),
        CpuInput::LookupOutput => Lasso(LassoColumn::Output),
        CpuInput::RangeRemainderBit(k) => {
            let slot = *Slot::ALL.get(k / 2)?;
            Memory(if k % 2 == 0 {
                MemoryColumn::RangeRemainderLow(slot)
            } else {
                MemoryColumn::RangeRemainderHigh(slot)
            })
        }
        CpuInput::ExitPc => return None,
    })
}
