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
    /// The RAM slot reads the word at the lookup output (LW).
    Load,
    /// The RAM slot writes rs2 to the word at the lookup output (SW).
    Store,
    /// rd ← pc + 4 and the pc jumps to the lookup output (JAL, JALR).
    Jump,
    /// The pc moves by the immediate when the lookup output is 1.
    Branch,
    /// rd ← the lookup output.
    WriteLookupOutputToRd,
    /// The lookup output must be 1.
    Assert,
    /// The lookup's left operand is the value written to rd (advice).
    Advice,
    /// The step belongs to a virtual sequence.
    InSequence,
    /// The pc stays put: a sequence step other than the last.
    DoNotUpdatePc,
}

impl CircuitFlag {
    pub const ALL: [CircuitFlag; 11] = [
        CircuitFlag::LeftOperandIsPc,
        CircuitFlag::RightOperandIsImm,
        CircuitFlag::Load,
        CircuitFlag::Store,
        CircuitFlag::Jump,
        CircuitFlag::Branch,
        CircuitFlag::WriteLookupOutputToRd,
        CircuitFlag::Assert,
        CircuitFlag::Advice,
        CircuitFlag::InSequence,
        CircuitFlag::DoNotUpdatePc,
    ];
}

/// Number of circuit flags; lookup flags start at this bit.
pub const NUM_CIRCUIT_FLAGS: usize = CircuitFlag::ALL.len();

/// The circuit flags of `inst` as a bitmask (bit i = `CircuitFlag::ALL[i]`).
/// `sequence_remaining` is `Some(k)` for a step of a virtual sequence with k
/// steps after it, `None` for an ordinary instruction.
pub fn circuit_flags(inst: &Instruction, sequence_remaining: Option<u16>) -> u64 {
    use Opcode::*;
    let op = inst.opcode;
    let set = |flag: CircuitFlag, on: bool| (on as u64) << (flag as u32);
    set(CircuitFlag::LeftOperandIsPc, matches!(op, Auipc | Jal))
        | set(
            CircuitFlag::RightOperandIsImm,
            op.is_alu_imm()
                || matches!(op, Lui | Auipc | Jal | Jalr | Lw | Sw | VirtualAssertHalfwordAligned),
        )
        | set(CircuitFlag::Load, op == Lw)
        | set(CircuitFlag::Store, op == Sw)
        | set(CircuitFlag::Jump, matches!(op, Jal | Jalr))
        | set(CircuitFlag::Branch, op.is_branch())
        | set(
            CircuitFlag::WriteLookupOutputToRd,
            lookup_of(op).is_some() && op.writes_rd() && !matches!(op, Lw | Jal | Jalr),
        )
        | set(CircuitFlag::Assert, op.is_assert())
        | set(CircuitFlag::Advice, op == VirtualAdvice)
        | set(CircuitFlag::InSequence, sequence_remaining.is_some())
        | set(CircuitFlag::DoNotUpdatePc, sequence_remaining.is_some_and(|k| k > 0))
}

/// Bit of `kind`'s one-hot lookup flag in [`packed_flags`].
pub fn lookup_flag_bit(kind: LookupKind) -> usize {
    // LookupKind::ALL lists every variant once, so the search succeeds.
    NUM_CIRCUIT_FLAGS + LookupKind::ALL.iter().position(|&k| k == kind).expect("listed kind")
}

/// Circuit flags and the one-hot lookup flag of a bytecode row, in one word.
pub fn packed_flags(inst: &Instruction, sequence_remaining: Option<u16>) -> u64 {
    let lookup = lookup_of(inst.opcode).map_or(0, |kind| 1u64 << lookup_flag_bit(kind));
    circuit_flags(inst, sequence_remaining) | lookup
}

#[cfg(test)]
mod tests {
    use super::*;
    use Opcode::*;

    fn has(inst: Opcode, flag: CircuitFlag) -> bool {
        circuit_flags(&Instruction::new(inst, 1, 2, 3, 4), None) >> (flag as u32) & 1 == 1
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

    #[test]
    fn wiring_flags() {
        assert!(has(Auipc, CircuitFlag::LeftOperandIsPc) && has(Auipc, CircuitFlag::RightOperandIsImm));
        assert!(has(Addi, CircuitFlag::RightOperandIsImm) && !has(Add, CircuitFlag::RightOperandIsImm));
        assert!(has(Lw, CircuitFlag::Load) && !has(Lw, CircuitFlag::WriteLookupOutputToRd));
        assert!(has(Sw, CircuitFlag::Store) && has(Sw, CircuitFlag::RightOperandIsImm));
        assert!(has(Jalr, CircuitFlag::Jump) && !has(Jalr, CircuitFlag::WriteLookupOutputToRd));
        assert!(has(Bne, CircuitFlag::Branch) && !has(Bne, CircuitFlag::RightOperandIsImm));
        assert!(has(Lui, CircuitFlag::WriteLookupOutputToRd));
        assert!(has(VirtualAssertEq, CircuitFlag::Assert));
        assert!(has(VirtualAdvice, CircuitFlag::Advice) && has(VirtualAdvice, CircuitFlag::WriteLookupOutputToRd));
        assert_eq!(circuit_flags(&Instruction::new(Fence, 0, 0, 0, 0), None), 0);
        let seq = |k| circuit_flags(&Instruction::new(Add, 1, 2, 3, 0), Some(k));
        assert_eq!(seq(2) >> CircuitFlag::DoNotUpdatePc as u32 & 1, 1);
        assert_eq!(seq(0) >> CircuitFlag::DoNotUpdatePc as u32 & 1, 0);
        assert_eq!(seq(0) >> CircuitFlag::InSequence as u32 & 1, 1);
    }
}
