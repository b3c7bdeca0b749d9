//! Per-instruction flags the proof reads from the bytecode: *circuit
//! flags*, which tell the per-step R1CS how to wire the step (where the
//! lookup operands come from, what rd receives, how the pc moves), and the
//! one-hot *lookup flag* naming the step's lookup.
//!
//! A bytecode row stores them packed in one word ([`packed_flags`]): bits
//! 0..NUM_CIRCUIT_FLAGS are the circuit flags, then one bit per
//! [`LookupKind`] in `LookupKind::ALL` order.

use crate::lookups::{lookup_of, LookupKind};
use crate::opcode::{Instruction, Opcode};

/// How the R1CS wires a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CircuitFlag {
    /// The lookup's left operand is the pc (AUIPC, JAL), not rs1.
    LeftOperandIsPc,
    /// The lookup's right operand is the immediate, not rs2.
    RightOperandIsImm,
    /// The RAM slot reads the word holding the address (loads, and the
    /// place step of a sub-word store).
    Load,
    /// The RAM slot writes the word holding the address (SW, and the merge
    /// step of a sub-word store).
    Store,
    /// The pc jumps to the lookup output (JAL, JALR).
    Jump,
    /// The pc moves by the immediate when the lookup output is 1.
    Branch,
    /// rd ← the lookup output (rd ≠ x0).
    WriteLookupOutputToRd,
    /// rd ← pc + 4 (jumps, rd ≠ x0).
    WritePcPlus4ToRd,
    /// rd ← the word read from RAM (LW, rd ≠ x0).
    WriteRamToRd,
    /// The lookup output must be 1.
    Assert,
    /// The lookup's left operand is the value written to rd (advice).
    Advice,
    /// The pc stays put: a sequence step other than the last.
    DoNotUpdatePc,
    /// A sequence step other than the first: it may only follow the step
    /// before it in the same sequence, never start an instruction.
    Continuation,
    /// The immediate is negative (the row stores it as a 32-bit word).
    ImmNegative,
    /// The padding row: the step does nothing.
    NoOp,
}

impl CircuitFlag {
    pub const ALL: [CircuitFlag; 15] = [
        CircuitFlag::LeftOperandIsPc,
        CircuitFlag::RightOperandIsImm,
        CircuitFlag::Load,
        CircuitFlag::Store,
        CircuitFlag::Jump,
        CircuitFlag::Branch,
        CircuitFlag::WriteLookupOutputToRd,
        CircuitFlag::WritePcPlus4ToRd,
        CircuitFlag::WriteRamToRd,
        CircuitFlag::Assert,
        CircuitFlag::Advice,
        CircuitFlag::DoNotUpdatePc,
        CircuitFlag::Continuation,
        CircuitFlag::ImmNegative,
        CircuitFlag::NoOp,
    ];

    /// Whether `flag` is set in a packed flags word.
    pub fn is_set(self, packed: u64) -> bool {
        packed >> (self as u32) & 1 == 1
    }
}

/// Number of circuit flags; lookup flags start at this bit.
pub const NUM_CIRCUIT_FLAGS: usize = CircuitFlag::ALL.len();

/// Where a bytecode row sits in its instruction's virtual sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SequencePosition {
    /// 0 for the first step.
    pub index: u16,
    /// Steps after this one (0 for the last step).
    pub remaining: u16,
}

/// The circuit flags of `inst` as a bitmask (bit i = `CircuitFlag::ALL[i]`).
/// `position` is `Some` for a step of a virtual sequence, `None` for an
/// ordinary instruction.
pub fn circuit_flags(inst: &Instruction, position: Option<SequencePosition>) -> u64 {
    use Opcode::*;
    let op = inst.opcode;
    let writes = op.writes_rd() && inst.rd != 0;
    let lookup_to_rd = lookup_of(op).is_some() && !matches!(op, Lw | Sw | Jal | Jalr);
    let set = |flag: CircuitFlag, on: bool| (on as u64) << (flag as u32);
    set(CircuitFlag::LeftOperandIsPc, matches!(op, Auipc | Jal))
        | set(
            CircuitFlag::RightOperandIsImm,
            op.is_alu_imm() || matches!(op, Lui | Auipc | Jal | Jalr | Lw | Sw),
        )
        | set(CircuitFlag::Load, op.is_load() || op.is_place())
        | set(CircuitFlag::Store, op.is_store())
        | set(CircuitFlag::Jump, matches!(op, Jal | Jalr))
        | set(CircuitFlag::Branch, op.is_branch())
        | set(CircuitFlag::WriteLookupOutputToRd, writes && lookup_to_rd)
        | set(
            CircuitFlag::WritePcPlus4ToRd,
            writes && matches!(op, Jal | Jalr),
        )
        | set(CircuitFlag::WriteRamToRd, writes && op == Lw)
        | set(CircuitFlag::Assert, op.is_assert())
        | set(CircuitFlag::Advice, op == VirtualAdvice)
        | set(
            CircuitFlag::DoNotUpdatePc,
            position.is_some_and(|p| p.remaining > 0),
        )
        | set(
            CircuitFlag::Continuation,
            position.is_some_and(|p| p.index > 0),
        )
        | set(CircuitFlag::ImmNegative, inst.imm < 0)
}

/// The circuit flags of the padding row.
pub fn noop_flags() -> u64 {
    1 << (CircuitFlag::NoOp as u32)
}

/// Bit of `kind`'s one-hot lookup flag in [`packed_flags`].
pub fn lookup_flag_bit(kind: LookupKind) -> usize {
    // LookupKind::ALL lists every variant once, so the search succeeds.
    NUM_CIRCUIT_FLAGS
        + LookupKind::ALL
            .iter()
            .position(|&k| k == kind)
            .expect("listed kind")
}

/// Circuit flags and the one-hot lookup flag of a bytecode row, in one word.
pub fn packed_flags(inst: &Instruction, position: Option<SequencePosition>) -> u64 {
    let lookup = lookup_of(inst.opcode).map_or(0, |kind| 1u64 << lookup_flag_bit(kind));
    circuit_flags(inst, position) | lookup
}

#[cfg(test)]
mod tests {
    use super::*;
    use Opcode::*;

    fn has(inst: Opcode, flag: CircuitFlag) -> bool {
        flag.is_set(circuit_flags(&Instruction::new(inst, 1, 2, 3, 4), None))
    }

    #[test]
    fn flags_fit_one_word_and_lookups_are_one_hot() {
        assert!(NUM_CIRCUIT_FLAGS + LookupKind::ALL.len() <= 64);
        for op in Opcode::ALL {
            let packed = packed_flags(&Instruction::new(op, 1, 2, 3, 4), None);
            let lookup_bits = (packed >> NUM_CIRCUIT_FLAGS).count_ones();
            assert_eq!(lookup_bits, lookup_of(op).is_some() as u32, "{op:?}");
        }
    }

    /// The R1CS writes rd by one conditional equality per source, which
    /// needs at most one write flag per row.
    #[test]
    fn at_most_one_rd_source() {
        for op in Opcode::ALL {
            let f = circuit_flags(&Instruction::new(op, 1, 2, 3, 4), None);
            let sources = [
                CircuitFlag::WriteLookupOutputToRd,
                CircuitFlag::WriteRamToRd,
                CircuitFlag::WritePcPlus4ToRd,
            ];
            let set = sources.iter().filter(|s| s.is_set(f)).count();
            assert!(set <= 1, "{op:?} sets {set} rd sources");
        }
    }

    #[test]
    fn wiring_flags() {
        assert!(
            has(Auipc, CircuitFlag::LeftOperandIsPc) && has(Auipc, CircuitFlag::RightOperandIsImm)
        );
        assert!(
            has(Addi, CircuitFlag::RightOperandIsImm) && !has(Add, CircuitFlag::RightOperandIsImm)
        );
        assert!(has(Lw, CircuitFlag::Load) && has(Lw, CircuitFlag::WriteRamToRd));
        assert!(!has(Lw, CircuitFlag::WriteLookupOutputToRd));
        assert!(has(Sw, CircuitFlag::Store) && has(Sw, CircuitFlag::RightOperandIsImm));
        assert!(has(Jalr, CircuitFlag::Jump) && has(Jalr, CircuitFlag::WritePcPlus4ToRd));
        assert!(!has(Jalr, CircuitFlag::WriteLookupOutputToRd));
        assert!(has(Bne, CircuitFlag::Branch) && !has(Bne, CircuitFlag::RightOperandIsImm));
        assert!(has(Lui, CircuitFlag::WriteLookupOutputToRd));
        assert!(has(VirtualAssertEq, CircuitFlag::Assert));
        assert!(
            has(VirtualAdvice, CircuitFlag::Advice)
                && has(VirtualAdvice, CircuitFlag::WriteLookupOutputToRd)
        );
        assert_eq!(circuit_flags(&Instruction::new(Fence, 0, 0, 0, 0), None), 0);
        // Writes to x0 write nothing.
        let to_x0 = |op| circuit_flags(&Instruction::new(op, 0, 2, 3, 4), None);
        for op in [Add, Lw, Jal, Jalr] {
            let f = to_x0(op);
            assert!(
                !CircuitFlag::WriteLookupOutputToRd.is_set(f)
                    && !CircuitFlag::WriteRamToRd.is_set(f)
                    && !CircuitFlag::WritePcPlus4ToRd.is_set(f),
                "{op:?}"
            );
        }
        assert!(CircuitFlag::ImmNegative
            .is_set(circuit_flags(&Instruction::new(Addi, 1, 2, 0, -1), None)));
        let seq = |index, remaining| {
            circuit_flags(
                &Instruction::new(Add, 1, 2, 3, 0),
                Some(SequencePosition { index, remaining }),
            )
        };
        assert!(
            CircuitFlag::DoNotUpdatePc.is_set(seq(0, 2))
                && !CircuitFlag::Continuation.is_set(seq(0, 2))
        );
        assert!(
            !CircuitFlag::DoNotUpdatePc.is_set(seq(2, 0))
                && CircuitFlag::Continuation.is_set(seq(2, 0))
        );
        assert_eq!(noop_flags().count_ones(), 1);
    }
}
