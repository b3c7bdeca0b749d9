//! Decoding 32-bit RV32IM words into [`Instruction`]s.
//!
//! Anything outside RV32IM (compressed, A, F/D, CSR, FENCE.I, reserved
//! encodings) is a [`DecodeError`] carrying the pc and the word, so a guest
//! built for the wrong target fails at the instruction, not later.

use crate::opcode::{Instruction, Opcode};

/// Why a word is not an RV32IM instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// Low two bits are not `11`: a 16-bit compressed (C extension) instruction.
    Compressed,
    /// A major opcode of an extension this machine does not implement.
    Extension(&'static str),
    /// A CSR instruction (Zicsr) or other SYSTEM encoding besides ECALL/EBREAK.
    System,
    /// A valid major opcode with a funct3/funct7 combination RV32IM reserves.
    Reserved,
}

impl core::fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DecodeErrorKind::Compressed => write!(f, "compressed (RVC) instruction"),
            DecodeErrorKind::Extension(ext) => write!(f, "{ext} instruction"),
            DecodeErrorKind::System => write!(f, "CSR or privileged SYSTEM instruction"),
            DecodeErrorKind::Reserved => write!(f, "reserved or unknown encoding"),
        }
    }
}

/// A word that is not an RV32IM instruction, and where it was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unsupported instruction {word:#010x} at pc {pc:#010x}: {kind}")]
pub struct DecodeError {
    pub pc: u32,
    pub word: u32,
    pub kind: DecodeErrorKind,
}

fn rd(w: u32) -> u8 {
    ((w >> 7) & 0x1f) as u8
}
fn rs1(w: u32) -> u8 {
    ((w >> 15) & 0x1f) as u8
}
fn rs2(w: u32) -> u8 {
    ((w >> 20) & 0x1f) as u8
}
fn funct3(w: u32) -> u32 {
    (w >> 12) & 0x7
}
fn funct7(w: u32) -> u32 {
    w >> 25
}
fn imm_i(w: u32) -> i32 {
    (w as i32) >> 20
}
fn imm_s(w: u32) -> i32 {
    (((w as i32) >> 25) << 5) | ((w >> 7) & 0x1f) as i32
}
fn imm_b(w: u32) -> i32 {
    // imm[12|10:5] = w[31|30:25], imm[4:1|11] = w[11:8|7]
    (((w as i32) >> 31) << 12)
        | (((w >> 7) & 1) << 11) as i32
        | (((w >> 25) & 0x3f) << 5) as i32
        | (((w >> 8) & 0xf) << 1) as i32
}
fn imm_u(w: u32) -> i32 {
    (w & 0xffff_f000) as i32
}
fn imm_j(w: u32) -> i32 {
    // imm[20|10:1|11|19:12] = w[31|30:21|20|19:12]
    (((w as i32) >> 31) << 20)
        | (w & 0x000f_f000) as i32
        | (((w >> 20) & 1) << 11) as i32
        | (((w >> 21) & 0x3ff) << 1) as i32
}

/// Decodes one instruction word fetched from `pc`.
pub fn decode(word: u32, pc: u32) -> Result<Instruction, DecodeError> {
    use Opcode::*;
    let err = |kind| DecodeError { pc, word, kind };
    if word & 0b11 != 0b11 {
        return Err(err(DecodeErrorKind::Compressed));
    }
    let (f3, f7) = (funct3(word), funct7(word));
    let r = |op| Ok(Instruction::new(op, rd(word), rs1(word), rs2(word), 0));
    let i = |op| Ok(Instruction::new(op, rd(word), rs1(word), 0, imm_i(word)));
    let s = |op| Ok(Instruction::new(op, 0, rs1(word), rs2(word), imm_s(word)));
    let b = |op| Ok(Instruction::new(op, 0, rs1(word), rs2(word), imm_b(word)));
    let shift = |op| {
        Ok(Instruction::new(
            op,
            rd(word),
            rs1(word),
            0,
            rs2(word) as i32,
        ))
    };
    match word & 0x7f {
        0x37 => Ok(Instruction::new(Lui, rd(word), 0, 0, imm_u(word))),
        0x17 => Ok(Instruction::new(Auipc, rd(word), 0, 0, imm_u(word))),
        0x6f => Ok(Instruction::new(Jal, rd(word), 0, 0, imm_j(word))),
        0x67 if f3 == 0 => i(Jalr),
        0x63 => match f3 {
            0 => b(Beq),
            1 => b(Bne),
            4 => b(Blt),
            5 => b(Bge),
            6 => b(Bltu),
            7 => b(Bgeu),
            _ => Err(err(DecodeErrorKind::Reserved)),
        },
        0x03 => match f3 {
            0 => i(Lb),
            1 => i(Lh),
            2 => i(Lw),
            4 => i(Lbu),
            5 => i(Lhu),
            _ => Err(err(DecodeErrorKind::Reserved)),
        },
        0x23 => match f3 {
            0 => s(Sb),
            1 => s(Sh),
            2 => s(Sw),
            _ => Err(err(DecodeErrorKind::Reserved)),
        },
        0x13 => match (f3, f7) {
            (0, _) => i(Addi),
            (2, _) => i(Slti),
            (3, _) => i(Sltiu),
            (4, _) => i(Xori),
            (6, _) => i(Ori),
            (7, _) => i(Andi),
            (1, 0x00) => shift(Slli),
            (5, 0x00) => shift(Srli),
            (5, 0x20) => shift(Srai),
            _ => Err(err(DecodeErrorKind::Reserved)),
        },
        0x33 => match (f7, f3) {
            (0x00, 0) => r(Add),
            (0x20, 0) => r(Sub),
            (0x00, 1) => r(Sll),
            (0x00, 2) => r(Slt),
            (0x00, 3) => r(Sltu),
            (0x00, 4) => r(Xor),
            (0x00, 5) => r(Srl),
            (0x20, 5) => r(Sra),
            (0x00, 6) => r(Or),
            (0x00, 7) => r(And),
            (0x01, 0) => r(Mul),
            (0x01, 1) => r(Mulh),
            (0x01, 2) => r(Mulhsu),
            (0x01, 3) => r(Mulhu),
            (0x01, 4) => r(Div),
            (0x01, 5) => r(Divu),
            (0x01, 6) => r(Rem),
            (0x01, 7) => r(Remu),
            _ => Err(err(DecodeErrorKind::Reserved)),
        },
        // FENCE orders memory for other harts and devices; a single hart with
        // no devices executes it as a no-op. Its rd and rs1 fields are
        // reserved (and ignored): they decode as x0 so a FENCE never names a
        // register. FENCE.I (funct3 = 1) is Zifencei.
        0x0f if f3 == 0 => Ok(Instruction::new(Fence, 0, 0, 0, (word >> 20) as i32)),
        0x0f => Err(err(DecodeErrorKind::Extension("Zifencei"))),
        0x73 => match word {
            0x0000_0073 => Ok(Instruction::new(Ecall, 0, 0, 0, 0)),
            0x0010_0073 => Ok(Instruction::new(Ebreak, 0, 0, 0, 0)),
            _ => Err(err(DecodeErrorKind::System)),
        },
        0x2f => Err(err(DecodeErrorKind::Extension("A (atomic)"))),
        0x07 | 0x27 | 0x43 | 0x47 | 0x4b | 0x4f | 0x53 => {
            Err(err(DecodeErrorKind::Extension("F/D (floating point)")))
        }
        0x57 => Err(err(DecodeErrorKind::Extension("V (vector)"))),
        _ => Err(err(DecodeErrorKind::Reserved)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(word: u32) -> DecodeErrorKind {
        let e = decode(word, 0x8000_0040).unwrap_err();
        assert_eq!((e.pc, e.word), (0x8000_0040, word));
        e.kind
    }

    #[test]
    fn non_rv32im_words_are_errors_naming_pc_and_word() {
        assert_eq!(kind(0x0000_4501), DecodeErrorKind::Compressed); // c.li a0, 0
        assert_eq!(kind(0x0000_0000), DecodeErrorKind::Compressed); // defined illegal
        assert_eq!(kind(0x1005_202f), DecodeErrorKind::Extension("A (atomic)")); // lr.w
        assert_eq!(
            kind(0x0005_2007),
            DecodeErrorKind::Extension("F/D (floating point)")
        ); // flw
        assert_eq!(kind(0x0000_100f), DecodeErrorKind::Extension("Zifencei")); // fence.i
        assert_eq!(kind(0xc000_2573), DecodeErrorKind::System); // csrr a0, cycle
        assert_eq!(kind(0x1050_0073), DecodeErrorKind::System); // wfi
        assert_eq!(kind(0x3020_0073), DecodeErrorKind::System); // mret
        assert!(decode(0x0200_4033, 0).is_ok()); // div is M, supported
        assert_eq!(kind(0x4000_1033), DecodeErrorKind::Reserved); // sll with funct7 0x20
        assert_eq!(kind(0x4000_1013), DecodeErrorKind::Reserved); // slli with funct7 0x20
        assert_eq!(kind(0x0000_3003), DecodeErrorKind::Reserved); // ld (RV64)
        assert_eq!(kind(0x0000_3023), DecodeErrorKind::Reserved); // sd (RV64)
        assert_eq!(kind(0x0000_201b), DecodeErrorKind::Reserved); // OP-IMM-32 (RV64)
        assert_eq!(kind(0x0000_2063), DecodeErrorKind::Reserved); // branch funct3 2
        assert_eq!(kind(0x0000_1067), DecodeErrorKind::Reserved); // jalr funct3 1
        let msg = decode(0x0000_4501, 0x8000_0040).unwrap_err().to_string();
        assert_eq!(
            msg,
            "unsupported instruction 0x00004501 at pc 0x80000040: compressed (RVC) instruction"
        );
    }

    #[test]
    fn immediates_are_reassembled_and_sign_extended() {
        // jal ra, -4 : 0xffdff0ef
        assert_eq!(
            decode(0xffdf_f0ef, 0).unwrap(),
            Instruction::new(Opcode::Jal, 1, 0, 0, -4)
        );
        // beq x0, x0, -2048 : imm[12]=1, imm[11]=1 → 0x80000063 | bit 7
        assert_eq!(
            decode(0x8000_0063 | (1 << 7), 0).unwrap(),
            Instruction::new(Opcode::Beq, 0, 0, 0, -2048)
        );
        // sw a1, -1(a0): 0xfeb52fa3
        assert_eq!(
            decode(0xfeb5_2fa3, 0).unwrap(),
            Instruction::new(Opcode::Sw, 0, 10, 11, -1)
        );
        // srai a0, a0, 31: 0x41f55513
        assert_eq!(
            decode(0x41f5_5513, 0).unwrap(),
            Instruction::new(Opcode::Srai, 10, 10, 0, 31)
        );
        // lui a0, 0xfffff
        assert_eq!(
            decode(0xffff_f537, 0).unwrap(),
            Instruction::new(Opcode::Lui, 10, 0, 0, 0xffff_f000u32 as i32)
        );
    }
}
