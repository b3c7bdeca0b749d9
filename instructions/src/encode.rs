//! Encoding [`Instruction`]s back into 32-bit words.
//!
//! The inverse of [`crate::decode`]: tests round-trip through it, and the
//! random-program generators and benchmark programs are assembled with it.
//! Immediates are truncated to their field width; callers keep them in range.

use crate::opcode::{Format, Instruction, Opcode};

fn major_and_functs(op: Opcode) -> (u32, u32, u32) {
    use Opcode::*;
    // (major opcode, funct3, funct7)
    match op {
        Lui => (0x37, 0, 0),
        Auipc => (0x17, 0, 0),
        Jal => (0x6f, 0, 0),
        Jalr => (0x67, 0, 0),
        Beq => (0x63, 0, 0),
        Bne => (0x63, 1, 0),
        Blt => (0x63, 4, 0),
        Bge => (0x63, 5, 0),
        Bltu => (0x63, 6, 0),
        Bgeu => (0x63, 7, 0),
        Lb => (0x03, 0, 0),
        Lh => (0x03, 1, 0),
        Lw => (0x03, 2, 0),
        Lbu => (0x03, 4, 0),
        Lhu => (0x03, 5, 0),
        Sb => (0x23, 0, 0),
        Sh => (0x23, 1, 0),
        Sw => (0x23, 2, 0),
        Addi => (0x13, 0, 0),
        Slti => (0x13, 2, 0),
        Sltiu => (0x13, 3, 0),
        Xori => (0x13, 4, 0),
        Ori => (0x13, 6, 0),
        Andi => (0x13, 7, 0),
        Slli => (0x13, 1, 0x00),
        Srli => (0x13, 5, 0x00),
        Srai => (0x13, 5, 0x20),
        Add => (0x33, 0, 0x00),
        Sub => (0x33, 0, 0x20),
        Sll => (0x33, 1, 0x00),
        Slt => (0x33, 2, 0x00),
        Sltu => (0x33, 3, 0x00),
        Xor => (0x33, 4, 0x00),
        Srl => (0x33, 5, 0x00),
        Sra => (0x33, 5, 0x20),
        Or => (0x33, 6, 0x00),
        And => (0x33, 7, 0x00),
        Mul => (0x33, 0, 0x01),
        Mulh => (0x33, 1, 0x01),
        Mulhsu => (0x33, 2, 0x01),
        Mulhu => (0x33, 3, 0x01),
        Div => (0x33, 4, 0x01),
        Divu => (0x33, 5, 0x01),
        Rem => (0x33, 6, 0x01),
        Remu => (0x33, 7, 0x01),
        Fence => (0x0f, 0, 0),
        Ecall => (0x73, 0, 0),
        Ebreak => (0x73, 0, 0),
        VirtualAdvice
        | VirtualAbs
        | VirtualAssertEq
        | VirtualAssertValidUnsignedRemainder
        | VirtualDivZeroSelect
        | VirtualMulChecked
        | VirtualSubChecked
        | VirtualNegIfNegative
        | VirtualDivSignCode
        | VirtualDivApplySign
        | VirtualMulhBiased
        | VirtualMulhsuBiased
        | VirtualSll
        | VirtualSrl
        | VirtualSra
        | VirtualPlaceByte
        | VirtualPlaceHalf
        | VirtualMergeByte
        | VirtualMergeHalf => (0, 0, 0),
    }
}

impl Instruction {
    /// The 32-bit encoding of this instruction.
    ///
    /// Virtual instructions have no encoding and give 0, the word RISC-V
    /// defines as illegal: they can never be placed in a program's code.
    pub fn encode(&self) -> u32 {
        if self.opcode.is_virtual() {
            return 0;
        }
        let (major, f3, f7) = major_and_functs(self.opcode);
        let rd = (self.rd as u32 & 0x1f) << 7;
        let rs1 = (self.rs1 as u32 & 0x1f) << 15;
        let rs2 = (self.rs2 as u32 & 0x1f) << 20;
        let imm = self.imm as u32;
        let f3 = f3 << 12;
        match self.opcode {
            Opcode::Ecall => return 0x0000_0073,
            Opcode::Ebreak => return 0x0010_0073,
            Opcode::Slli | Opcode::Srli | Opcode::Srai => {
                return (f7 << 25) | ((imm & 0x1f) << 20) | rs1 | f3 | rd | major
            }
            _ => {}
        }
        match self.opcode.format() {
            Format::R => (f7 << 25) | rs2 | rs1 | f3 | rd | major,
            Format::I => ((imm & 0xfff) << 20) | rs1 | f3 | rd | major,
            Format::S => (((imm >> 5) & 0x7f) << 25) | rs2 | rs1 | f3 | ((imm & 0x1f) << 7) | major,
            Format::B => {
                (((imm >> 12) & 1) << 31)
                    | (((imm >> 5) & 0x3f) << 25)
                    | rs2
                    | rs1
                    | f3
                    | (((imm >> 1) & 0xf) << 8)
                    | (((imm >> 11) & 1) << 7)
                    | major
            }
            Format::U => (imm & 0xffff_f000) | rd | major,
            Format::J => {
                (((imm >> 20) & 1) << 31)
                    | (((imm >> 1) & 0x3ff) << 21)
                    | (((imm >> 11) & 1) << 20)
                    | (imm & 0x000f_f000)
                    | rd
                    | major
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::decode::decode;
    use rand::{Rng, SeedableRng};

    /// Every word that decodes must encode back to itself: decode and encode
    /// agree on every field position and immediate scrambling.
    #[test]
    fn decode_encode_round_trip_on_random_words() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut decoded = 0;
        for _ in 0..2_000_000 {
            let word: u32 = rng.gen();
            if let Ok(inst) = decode(word, 0) {
                decoded += 1;
                // FENCE's reserved rd and rs1 fields decode as x0.
                let expected = if inst.opcode == crate::Opcode::Fence {
                    word & !0x000f_8f80
                } else {
                    word
                };
                assert_eq!(inst.encode(), expected, "{inst} from {word:#010x}");
            }
        }
        assert!(decoded > 50_000, "too few valid words sampled: {decoded}");
    }

    #[test]
    fn every_opcode_round_trips_with_extreme_immediates() {
        use crate::opcode::{Format, Instruction, Opcode};
        for op in Opcode::ALL.into_iter().filter(|op| !op.is_virtual()) {
            let imms: &[i32] = match op.format() {
                _ if matches!(op, Opcode::Ecall | Opcode::Ebreak) => &[0],
                _ if matches!(op, Opcode::Slli | Opcode::Srli | Opcode::Srai) => &[0, 1, 31],
                // FENCE keeps its fm/pred/succ field raw and unsigned.
                _ if op == Opcode::Fence => &[0, 0x0ff, 0x8ff, 0xfff],
                Format::R => &[0],
                Format::I | Format::S => &[-2048, -1, 0, 1, 2047],
                Format::B => &[-4096, -2, 0, 2, 4094],
                Format::U => &[i32::MIN, -4096, 0, 4096, 0x7fff_f000],
                Format::J => &[-(1 << 20), -2, 0, 2, (1 << 20) - 2],
            };
            for &imm in imms {
                let (rd, rs1, rs2) = match op.format() {
                    Format::R => (31, 1, 17),
                    Format::I if op == Opcode::Fence => (0, 0, 0),
                    Format::I => (5, 30, 0),
                    Format::S | Format::B => (0, 3, 29),
                    Format::U | Format::J => (9, 0, 0),
                };
                let (rd, rs1) = if matches!(op, Opcode::Ecall | Opcode::Ebreak) {
                    (0, 0)
                } else {
                    (rd, rs1)
                };
                let inst = Instruction::new(op, rd, rs1, rs2, imm);
                assert_eq!(decode(inst.encode(), 0), Ok(inst), "{inst}");
            }
        }
    }
}
