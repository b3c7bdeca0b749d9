//! The witness registry (docs/architecture.md): every polynomial a proof commits,
//! in registry order, and which committed column each R1CS input is; and
//! how one proof lays out their commitments ([`CommitmentLayout`]: the
//! final counts, last in the registry, may be committed in pieces).
//!
//! | column | length | values | produced by | claims consumed by |
//! |---|---|---|---|---|
//! | `Memory(Bytecode(..))` | T (final count: K) | bits–u32 | bytecode checking | bytecode, R1CS (address, pc, circuit flags, imm) |
//! | `Memory(..)` slots, timestamps, range counts and remainder bits | T (range final count: T cells; final memory: M) | bits–u32 | read-write checking | read-write, R1CS (values, RAM address, remainder bits) |
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
    /// Columns before the Lasso final counts, which come last.
    whole: usize,
    /// log2 of a final count's length (the subtables' cells).
    final_count_vars: usize,
}

impl Registry {
    /// Memory columns (the circuit flags among the bytecode's), then
    /// Lasso's (read values, flags, output), then R1CS
    /// auxiliaries, then Lasso's final counts: the only columns a proof
    /// may commit in pieces ([`CommitmentLayout`]), last so that every
    /// other column's commitment sits at its registry index.
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
        let whole = columns.len();
        columns.extend((0..c).map(|i| WitnessColumn::Lasso(LassoColumn::FinalCount(i))));
        let position = columns.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        Registry {
            columns,
            position,
            whole,
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

    /// How a proof whose other columns have at most `opening_vars`
    /// variables commits the registry.
    pub fn commitment_layout(&self, opening_vars: usize) -> CommitmentLayout {
        let piece_vars = self.final_count_vars.min(opening_vars);
        CommitmentLayout {
            whole: self.whole,
            split: self.columns.len() - self.whole,
            piece_vars,
            pieces: 1 << (self.final_count_vars - piece_vars),
        }
    }
}

/// The commitments of one proof, in order: each registry column but the
/// final counts as one polynomial, at its registry index; then each final
/// count in `pieces` pieces of 2^`piece_vars` cells (docs/pcs.md,
/// "Columns committed in pieces"). A final count (2^16 cells) is split
/// when the proof's other columns are all shorter, so that the batched
/// opening runs at their size; otherwise `pieces` is 1 and it is
/// committed whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommitmentLayout {
    whole: usize,
    split: usize,
    /// Variables of one piece.
    pub piece_vars: usize,
    /// Pieces per final count (a power of two, 1 if not split).
    pub pieces: usize,
}

impl CommitmentLayout {
    /// Commitments in the proof.
    pub fn len(&self) -> usize {
        self.whole + self.split * self.pieces
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the column at registry index `i` is committed in pieces.
    pub fn is_split(&self, i: usize) -> bool {
        self.pieces > 1 && i >= self.whole
    }

    /// The commitments of the column at registry index `i`, in piece order.
    pub fn commitments_of(&self, i: usize) -> std::ops::Range<usize> {
        if i < self.whole {
            i..i + 1
        } else {
            let start = self.whole + (i - self.whole) * self.pieces;
            start..start + self.pieces
        }
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
