//! The witness registry (docs/architecture.md): every polynomial a proof commits,
//! in commitment order, and which committed column each R1CS input is.
//!
//! | column | length | values | produced by | claims consumed by |
//! |---|---|---|---|---|
//! | `Memory(Bytecode(..))` | T (final count: K) | bits–u32 | bytecode checking | bytecode, R1CS (address, pc, circuit flags, imm) |
//! | `Memory(..)` slots, timestamps, range counts and remainder bits | T (range final count: T cells; final memory: M) | bits–u32 | read-write checking | read-write, R1CS (values, RAM address, remainder bits) |
//! | `Lasso(ReadValue / Flag / Output)` | T | bits–u32 | Lasso | Lasso, bytecode (lookup flags), R1CS (operand bytes, lookup flags, output) |
//! | `Lasso(ReadCount / FinalCount)` | T, 2^16 | u32 | Lasso | Lasso |
//! | `Aux(k)` | T | u64, i64 or field | the R1CS's auxiliary rules | R1CS |
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

/// Every committed column in commitment order, with an index for lookups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    columns: Vec<WitnessColumn>,
    position: HashMap<WitnessColumn, usize>,
}

impl Registry {
    /// Memory columns (the circuit flags among the bytecode's), then
    /// Lasso's (read values, read counts, final counts, flags, output),
    /// then R1CS auxiliaries.
    pub fn new(lasso: &LassoLayout, cpu: &CpuR1cs) -> Self {
        let c = lasso.num_chunks();
        let mut columns: Vec<WitnessColumn> = MemoryColumn::all()
            .into_iter()
            .map(WitnessColumn::Memory)
            .collect();
        let lasso_columns = (0..lasso.memories.len())
            .map(LassoColumn::ReadValue)
            .chain((0..c).map(LassoColumn::ReadCount))
            .chain((0..c).map(LassoColumn::FinalCount))
            .chain(lasso.kind_indices.iter().map(|&k| LassoColumn::Flag(k)))
            .chain([LassoColumn::Output]);
        columns.extend(lasso_columns.map(WitnessColumn::Lasso));
        columns.extend((0..cpu.r1cs.num_aux()).map(WitnessColumn::Aux));
        let position = columns.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        Registry { columns, position }
    }

    /// The columns in commitment order.
    pub fn columns(&self) -> &[WitnessColumn] {
        &self.columns
    }

    pub fn len(&self) -> usize {
        self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Where `column` is committed, if the registry has it.
    pub fn position(&self, column: WitnessColumn) -> Option<usize> {
        self.position.get(&column).copied()
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
