//! Execute semantics of RV32IM as pure functions (RISC-V unprivileged spec,
//! chapters 2 and 13).
//!
//! [`execute`] says what one instruction does given its pc and operand
//! values; the tracer supplies the register file and memory around it. The
//! value functions ([`alu`], [`branch_taken`], [`load_extend`],
//! [`store_merge`]) are what later lookup decompositions are tested against.

use crate::opcode::{Instruction, Opcode};

/// What one instruction does, given its pc and the values of rs1 and rs2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Write `value` to rd; next pc is pc + 4.
    WriteRd(u32),
    /// JAL/JALR: write `link` (pc + 4) to rd and continue at `target`.
    Jump { link: u32, target: u32 },
    /// Conditional branch: continue at `target` when `taken`, else pc + 4.
    Branch { taken: bool, target: u32 },
    /// Read `width` bytes at `address`, extend with [`load_extend`], write rd.
    Load { address: u32, width: u32 },
    /// Write the low `width` bytes of `value` at `address`.
    Store {
        address: u32,
        width: u32,
        value: u32,
    },
    /// A sub-word store's place step: read (and keep) the aligned word
    /// holding the `width` bytes at `address`, and write `value` to rd.
    Place {
        address: u32,
        width: u32,
        value: u32,
    },
    /// FENCE: nothing observable on a single hart without devices.
    Nop,
    /// ECALL/EBREAK: a request to the environment, defined by the guest ABI.
    EnvironmentCall,
    /// A virtual assertion; `holds` must be true in an honest run.
    Assert { holds: bool },
    /// VIRTUAL_ADVICE: rd takes a value the prover supplies.
    Advice,
    /// A checked virtual operation: write `value` to rd if `holds` (no
    /// overflow, no borrow); an honest run never fails it.
    CheckedWrite { value: u32, holds: bool },
}

/// The effect of `inst` at `pc` with register operands `rs1` and `rs2`.
pub fn execute(inst: &Instruction, pc: u32, rs1: u32, rs2: u32) -> Effect {
    use Opcode::*;
    let imm = inst.imm as u32;
    let op = inst.opcode;
    match op {
        Lui => Effect::WriteRd(imm),
        Auipc => Effect::WriteRd(pc.wrapping_add(imm)),
        Jal => Effect::Jump {
            link: pc.wrapping_add(4),
            target: pc.wrapping_add(imm),
        },
        // JALR clears bit 0 of the computed target (spec §2.5).
        Jalr => Effect::Jump {
            link: pc.wrapping_add(4),
            target: rs1.wrapping_add(imm) & !1,
        },
        Beq | Bne | Blt | Bge | Bltu | Bgeu => Effect::Branch {
            taken: branch_taken(op, rs1, rs2),
            target: pc.wrapping_add(imm),
        },
        Lb | Lbu => Effect::Load {
            address: rs1.wrapping_add(imm),
            width: 1,
        },
        Lh | Lhu => Effect::Load {
            address: rs1.wrapping_add(imm),
            width: 2,
        },
        Lw => Effect::Load {
            address: rs1.wrapping_add(imm),
            width: 4,
        },
        Sb => Effect::Store {
            address: rs1.wrapping_add(imm),
            width: 1,
            value: rs2 & 0xff,
        },
        Sh => Effect::Store {
            address: rs1.wrapping_add(imm),
            width: 2,
            value: rs2 & 0xffff,
        },
        Sw => Effect::Store {
            address: rs1.wrapping_add(imm),
            width: 4,
            value: rs2,
        },
        // The two steps of SB / SH: rs2's low bytes moved to the byte offset
        // o, then stored from there (the value a store of `width` bytes at
        // o keeps is the placed value shifted back down).
        VirtualPlaceByte | VirtualPlaceHalf => {
            let address = rs1.wrapping_add(imm);
            let width = sub_word_width(op);
            Effect::Place {
                address,
                width,
                value: store_merge(0, address & 3, width, rs2),
            }
        }
        VirtualMergeByte | VirtualMergeHalf => {
            let address = rs1.wrapping_add(imm);
            Effect::Store {
                address,
                width: sub_word_width(op),
                value: rs2 >> (8 * (address & 3)),
            }
        }
        Addi | Slti | Sltiu | Xori | Ori | Andi | Slli | Srli | Srai | VirtualAbs => {
            Effect::WriteRd(alu(op, rs1, imm))
        }
        Add | Sub | Sll | Slt | Sltu | Xor | Srl | Sra | Or | And | Mul | Mulh | Mulhsu | Mulhu
        | Div | Divu | Rem | Remu | VirtualDivZeroSelect | VirtualSll | VirtualSrl | VirtualSra
        | VirtualNegIfNegative | VirtualDivSignCode | VirtualDivApplySign | VirtualMulhBiased
        | VirtualMulhsuBiased => Effect::WriteRd(alu(op, rs1, rs2)),
        VirtualMulChecked | VirtualSubChecked => Effect::CheckedWrite {
            value: alu(op, rs1, rs2),
            holds: check_holds_w(op, rs1 as u64, rs2 as u64, 32),
        },
        Fence => Effect::Nop,
        Ecall | Ebreak => Effect::EnvironmentCall,
        VirtualAdvice => Effect::Advice,
        VirtualAssertEq | VirtualAssertValidUnsignedRemainder => Effect::Assert {
            holds: alu(op, rs1, rs2) == 1,
        },
    }
}

/// Whether a checked operation's result is exact at width `w`: the
/// product below 2^w (VIRTUAL_MUL_CHECKED), no borrow
/// (VIRTUAL_SUB_CHECKED). Other opcodes hold.
pub fn check_holds_w(op: Opcode, a: u64, b: u64, w: u32) -> bool {
    let mask = word_mask(w);
    let (a, b) = (a & mask, b & mask);
    match op {
        Opcode::VirtualMulChecked => (a as u128 * b as u128) >> w == 0,
        Opcode::VirtualSubChecked => b <= a,
        _ => true,
    }
}

/// All ones in the low `w` bits.
pub fn word_mask(w: u32) -> u64 {
    if w >= 64 {
        u64::MAX
    } else {
        (1u64 << w) - 1
    }
}

/// `v`'s low `w` bits read as a two's-complement number.
pub fn to_signed(v: u64, w: u32) -> i64 {
    ((v << (64 - w)) as i64) >> (64 - w)
}

/// The value v − 2^(w−1) a `w`-bit word stands for in offset binary: a
/// signed word with its sign bit flipped.
pub fn unbias(v: u64, w: u32) -> i128 {
    v as i128 - (1i128 << (w - 1))
}

/// The 32-bit result of an ALU operation, a virtual operation, or (1 or 0)
/// a virtual assertion, on `a` (rs1) and `b` (rs2, or the sign-extended
/// immediate as u32). Other opcodes give 0; [`execute`] never asks for them.
pub fn alu(op: Opcode, a: u32, b: u32) -> u32 {
    alu_w(op, a as u64, b as u64, 32) as u32
}

/// [`alu`] at word width `w` (a power of two, 8 to 32): operands and
/// result are `w`-bit values. The lookup decompositions are tested against
/// this at reduced widths, and the machine runs it at `w = 32`.
pub fn alu_w(op: Opcode, a: u64, b: u64, w: u32) -> u64 {
    use Opcode::*;
    let mask = word_mask(w);
    let (a, b) = (a & mask, b & mask);
    let (sa, sb) = (to_signed(a, w), to_signed(b, w));
    // Shift amounts are the low log2(w) bits of rs2 or of the immediate.
    let shamt = b & (w as u64 - 1);
    let value = match op {
        Add | Addi => a.wrapping_add(b),
        Sub => a.wrapping_sub(b),
        Sll | Slli | VirtualSll => a << shamt,
        Srl | Srli | VirtualSrl => a >> shamt,
        Sra | Srai | VirtualSra => (sa >> shamt) as u64,
        Slt | Slti => (sa < sb) as u64,
        Sltu | Sltiu => (a < b) as u64,
        Xor | Xori => a ^ b,
        Or | Ori => a | b,
        And | Andi => a & b,
        Mul => a.wrapping_mul(b),
        Mulh => ((sa as i128 * sb as i128) >> w) as u64,
        Mulhsu => ((sa as i128 * b as i128) >> w) as u64,
        Mulhu => ((a as u128 * b as u128) >> w) as u64,
        // Division by zero gives all ones; the one signed overflow case
        // (−2^(w−1) / −1) gives the dividend (spec §13.2, table 13.1).
        Div => match sb {
            0 => mask,
            -1 => sa.wrapping_neg() as u64,
            _ => (sa / sb) as u64,
        },
        Divu => a.checked_div(b).unwrap_or(mask),
        // Remainder by zero gives the dividend; −2^(w−1) rem −1 gives 0.
        Rem => match sb {
            0 => a,
            -1 => 0,
            _ => (sa % sb) as u64,
        },
        Remu => a.checked_rem(b).unwrap_or(a),
        VirtualAbs => sa.unsigned_abs(),
        VirtualMulChecked => a.wrapping_mul(b),
        VirtualSubChecked => a.wrapping_sub(b),
        VirtualNegIfNegative if sb < 0 => a.wrapping_neg(),
        VirtualNegIfNegative => a,
        VirtualDivSignCode if b == 0 => 0,
        VirtualDivSignCode if (sa < 0) == (sb < 0) => 1,
        VirtualDivSignCode => mask,
        VirtualDivApplySign if b == 0 => mask,
        VirtualDivApplySign if sb < 0 => a.wrapping_neg(),
        VirtualDivApplySign => a,
        // Offset binary: the word a stands for a − 2^(w−1).
        VirtualMulhBiased => ((unbias(a, w) * unbias(b, w)) >> w) as u64,
        VirtualMulhsuBiased => ((unbias(a, w) * b as i128) >> w) as u64,
        VirtualDivZeroSelect => {
            if a == 0 {
                mask
            } else {
                b
            }
        }
        VirtualAssertEq => (a == b) as u64,
        VirtualAssertValidUnsignedRemainder => (b == 0 || a < b) as u64,
        _ => 0,
    };
    value & mask
}

/// Whether a conditional branch is taken. Non-branch opcodes give false.
pub fn branch_taken(op: Opcode, a: u32, b: u32) -> bool {
    branch_taken_w(op, a as u64, b as u64, 32)
}

/// [`branch_taken`] at word width `w`.
pub fn branch_taken_w(op: Opcode, a: u64, b: u64, w: u32) -> bool {
    use Opcode::*;
    let mask = word_mask(w);
    let (a, b) = (a & mask, b & mask);
    let (sa, sb) = (to_signed(a, w), to_signed(b, w));
    match op {
        Beq => a == b,
        Bne => a != b,
        Blt => sa < sb,
        Bge => sa >= sb,
        Bltu => a < b,
        Bgeu => a >= b,
        _ => false,
    }
}

/// The value a load writes to rd, from the aligned memory `word` containing
/// the accessed bytes and the access's byte offset within it (0..=3).
/// LB/LH sign-extend, LBU/LHU zero-extend; LW takes the word.
pub fn load_extend(op: Opcode, word: u32, byte_offset: u32) -> u32 {
    let shifted = word >> (8 * (byte_offset & 3));
    match op {
        Opcode::Lb => shifted as u8 as i8 as i32 as u32,
        Opcode::Lbu => shifted as u8 as u32,
        Opcode::Lh => shifted as u16 as i16 as i32 as u32,
        Opcode::Lhu => shifted as u16 as u32,
        _ => word,
    }
}

/// Bytes a sub-word place or merge step moves.
fn sub_word_width(op: Opcode) -> u32 {
    match op {
        Opcode::VirtualPlaceHalf | Opcode::VirtualMergeHalf => 2,
        _ => 1,
    }
}

/// The aligned memory word after a store of `width` bytes of `value` at
/// `byte_offset` into `old_word` (little-endian).
pub fn store_merge(old_word: u32, byte_offset: u32, width: u32, value: u32) -> u32 {
    let mask: u32 = match width {
        1 => 0xff,
        2 => 0xffff,
        _ => return value,
    };
    let shift = 8 * (byte_offset & 3);
    (old_word & !(mask << shift)) | ((value & mask) << shift)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opcode::Opcode::*;

    const MIN: u32 = i32::MIN as u32;
    const NEG1: u32 = u32::MAX;

    #[test]
    fn arithmetic_wraps() {
        assert_eq!(alu(Add, u32::MAX, 1), 0);
        assert_eq!(alu(Addi, 5, (-7i32) as u32), (-2i32) as u32);
        assert_eq!(alu(Sub, 0, 1), NEG1);
        assert_eq!(alu(Sub, MIN, 1), 0x7fff_ffff);
    }

    #[test]
    fn comparisons_signed_and_unsigned() {
        assert_eq!(alu(Slt, NEG1, 0), 1);
        assert_eq!(alu(Sltu, NEG1, 0), 0);
        assert_eq!(alu(Slt, 0, NEG1), 0);
        assert_eq!(alu(Sltu, 0, NEG1), 1);
        assert_eq!(alu(Slt, MIN, 0x7fff_ffff), 1);
        assert_eq!(alu(Slti, 3, 3), 0);
        // SLTIU compares against the sign-extended immediate as unsigned:
        // `sltiu rd, rs1, 1` is "rs1 == 0", `sltiu rd, rs1, -1` is "rs1 != 2^32-1".
        assert_eq!(alu(Sltiu, 0, 1), 1);
        assert_eq!(alu(Sltiu, 1, 1), 0);
        assert_eq!(alu(Sltiu, 0xffff_fffe, NEG1), 1);
    }

    #[test]
    fn shifts_mask_amount_to_five_bits() {
        assert_eq!(alu(Sll, 1, 32), 1);
        assert_eq!(alu(Sll, 1, 33), 2);
        assert_eq!(alu(Sll, 1, 31), MIN);
        assert_eq!(alu(Srl, MIN, 31), 1);
        assert_eq!(alu(Srl, MIN, 0xffff_ffe0), MIN);
        assert_eq!(alu(Sra, MIN, 31), NEG1);
        assert_eq!(alu(Sra, MIN, 0), MIN);
        assert_eq!(alu(Sra, 0x4000_0000, 30), 1);
        assert_eq!(alu(Srai, 0x8000_0010, 4), 0xf800_0001);
        assert_eq!(alu(Slli, 0xffff_ffff, 0), 0xffff_ffff);
    }

    #[test]
    fn bitwise() {
        assert_eq!(alu(Xor, 0xf0f0_f0f0, 0xff00_ff00), 0x0ff0_0ff0);
        assert_eq!(alu(Or, 0xf0f0_f0f0, 0x0f00_0000), 0xfff0_f0f0);
        assert_eq!(alu(And, 0xf0f0_f0f0, 0xff00_ff00), 0xf000_f000);
        assert_eq!(alu(Andi, 0x1234_5678, NEG1), 0x1234_5678);
        assert_eq!(alu(Xori, 0x1234_5678, NEG1), !0x1234_5678);
    }

    #[test]
    fn multiplication_high_words() {
        assert_eq!(
            alu(Mul, 0x1234_5678, 0x9abc_def0),
            0x1234_5678u32.wrapping_mul(0x9abc_def0)
        );
        assert_eq!(alu(Mulhu, NEG1, NEG1), 0xffff_fffe);
        assert_eq!(alu(Mulh, NEG1, NEG1), 0); // (−1)(−1) = 1
        assert_eq!(alu(Mulh, MIN, MIN), 0x4000_0000); // 2^62
        assert_eq!(alu(Mulh, MIN, 1), NEG1);
        assert_eq!(alu(Mulhsu, NEG1, NEG1), NEG1); // −1 · (2^32 − 1) = −2^32 + 1
        assert_eq!(alu(Mulhsu, MIN, NEG1), 0x8000_0000); // −2^31 · (2^32 − 1)
        assert_eq!(alu(Mulhsu, 1, NEG1), 0);
        assert_eq!(alu(Mulhu, 0x8000_0000, 2), 1);
    }

    #[test]
    fn division_corner_cases_from_table_13_1() {
        // Division by zero.
        assert_eq!(alu(Div, 7, 0), NEG1);
        assert_eq!(alu(Divu, 7, 0), NEG1);
        assert_eq!(alu(Rem, 7, 0), 7);
        assert_eq!(alu(Remu, 7, 0), 7);
        assert_eq!(alu(Rem, MIN, 0), MIN);
        // Signed overflow.
        assert_eq!(alu(Div, MIN, NEG1), MIN);
        assert_eq!(alu(Rem, MIN, NEG1), 0);
        // Rounding towards zero; remainder takes the dividend's sign.
        assert_eq!(alu(Div, (-7i32) as u32, 2), (-3i32) as u32);
        assert_eq!(alu(Rem, (-7i32) as u32, 2), NEG1);
        assert_eq!(alu(Div, 7, (-2i32) as u32), (-3i32) as u32);
        assert_eq!(alu(Rem, 7, (-2i32) as u32), 1);
        assert_eq!(alu(Divu, NEG1, 2), 0x7fff_ffff);
        assert_eq!(alu(Remu, NEG1, 2), 1);
    }

    #[test]
    fn branches() {
        assert!(branch_taken(Beq, 5, 5));
        assert!(!branch_taken(Bne, 5, 5));
        assert!(branch_taken(Blt, NEG1, 0));
        assert!(!branch_taken(Bltu, NEG1, 0));
        assert!(branch_taken(Bge, 0, NEG1));
        assert!(branch_taken(Bge, 3, 3));
        assert!(branch_taken(Bgeu, NEG1, 0));
        assert!(branch_taken(Bgeu, 3, 3));
        let back = Instruction::new(Bne, 0, 1, 2, -8);
        assert_eq!(
            execute(&back, 0x8000_0010, 1, 2),
            Effect::Branch {
                taken: true,
                target: 0x8000_0008
            }
        );
    }

    #[test]
    fn jumps_link_and_jalr_clears_bit_zero() {
        let jalr = Instruction::new(Jalr, 1, 5, 0, 3);
        assert_eq!(
            execute(&jalr, 0x100, 0x200, 0),
            Effect::Jump {
                link: 0x104,
                target: 0x202
            }
        );
        let jal = Instruction::new(Jal, 1, 0, 0, -0x100);
        assert_eq!(
            execute(&jal, 0x100, 0, 0),
            Effect::Jump {
                link: 0x104,
                target: 0
            }
        );
    }

    #[test]
    fn upper_immediates() {
        let lui = Instruction::new(Lui, 1, 0, 0, 0xdead_b000u32 as i32);
        assert_eq!(execute(&lui, 0x100, 0, 0), Effect::WriteRd(0xdead_b000));
        let auipc = Instruction::new(Auipc, 1, 0, 0, 0xffff_f000u32 as i32);
        assert_eq!(
            execute(&auipc, 0x8000_1000, 0, 0),
            Effect::WriteRd(0x8000_0000)
        );
    }

    #[test]
    fn loads_extend_by_width_and_sign() {
        let w = 0x80ff_7f01;
        assert_eq!(load_extend(Lb, w, 0), 1);
        assert_eq!(load_extend(Lb, w, 1), 0x7f);
        assert_eq!(load_extend(Lb, w, 2), NEG1);
        assert_eq!(load_extend(Lbu, w, 2), 0xff);
        assert_eq!(load_extend(Lb, w, 3), 0xffff_ff80);
        assert_eq!(load_extend(Lbu, w, 3), 0x80);
        assert_eq!(load_extend(Lh, w, 0), 0x7f01);
        assert_eq!(load_extend(Lh, w, 2), 0xffff_80ff);
        assert_eq!(load_extend(Lhu, w, 2), 0x80ff);
        assert_eq!(load_extend(Lw, w, 0), w);
    }

    #[test]
    fn stores_merge_into_the_word() {
        assert_eq!(store_merge(0x1122_3344, 0, 1, 0xaabb_ccdd), 0x1122_33dd);
        assert_eq!(store_merge(0x1122_3344, 3, 1, 0xdd), 0xdd22_3344);
        assert_eq!(store_merge(0x1122_3344, 2, 2, 0xccdd), 0xccdd_3344);
        assert_eq!(store_merge(0x1122_3344, 0, 4, 0xccdd_eeff), 0xccdd_eeff);
        let sb = Instruction::new(Sb, 0, 1, 2, -1);
        assert_eq!(
            execute(&sb, 0, 0x101, 0x1234),
            Effect::Store {
                address: 0x100,
                width: 1,
                value: 0x34
            }
        );
    }

    #[test]
    fn virtual_operations() {
        assert_eq!(alu(VirtualAbs, MIN, 0), MIN);
        assert_eq!(alu(VirtualAbs, NEG1, 0), 1);
        assert_eq!(alu(VirtualAbs, 7, 0), 7);
        assert_eq!(alu(VirtualNegIfNegative, 5, NEG1), (-5i32) as u32);
        assert_eq!(alu(VirtualNegIfNegative, 5, 1), 5);
        assert_eq!(alu(VirtualDivSignCode, 5, 0), 0);
        assert_eq!(alu(VirtualDivSignCode, MIN, NEG1), 1);
        assert_eq!(alu(VirtualDivSignCode, 5, NEG1), NEG1);
        assert_eq!(alu(VirtualDivApplySign, 5, 0), NEG1);
        assert_eq!(alu(VirtualDivApplySign, 5, NEG1), (-5i32) as u32);
        assert_eq!(alu(VirtualDivApplySign, 5, 1), 5);
        // Offset binary: MIN ^ v stands for v.
        assert_eq!(alu(VirtualMulhBiased, MIN ^ 5, MIN ^ (-3i32) as u32), NEG1);
        assert_eq!(alu(VirtualMulhBiased, 0, 0), 1 << 30);
        assert_eq!(alu(VirtualMulhsuBiased, MIN ^ NEG1, 2), NEG1);
        assert_eq!(alu(VirtualMulhsuBiased, MIN ^ 7, NEG1), 6);
        assert_eq!(alu(VirtualDivZeroSelect, 0, 5), NEG1);
        assert_eq!(alu(VirtualDivZeroSelect, 3, 5), 5);
        assert_eq!(alu(VirtualAssertEq, 3, 3), 1);
        assert_eq!(alu(VirtualAssertValidUnsignedRemainder, 9, 0), 1);
        assert_eq!(alu(VirtualAssertValidUnsignedRemainder, 9, 9), 0);
        assert!(check_holds_w(VirtualMulChecked, 0x1_0000, 0xffff, 32));
        assert!(!check_holds_w(VirtualMulChecked, 0x1_0000, 0x1_0000, 32));
        assert!(check_holds_w(VirtualSubChecked, 4, 4, 32));
        assert!(!check_holds_w(VirtualSubChecked, 3, 4, 32));
    }

    /// The width-generic semantics at 8 bits behave like i8/u8 arithmetic.
    #[test]
    fn reduced_width_matches_native_8_bit() {
        for a in 0..=255u64 {
            for b in 0..=255u64 {
                let (ua, ub, sa, sb) = (a as u8, b as u8, a as u8 as i8, b as u8 as i8);
                assert_eq!(alu_w(Add, a, b, 8), ua.wrapping_add(ub) as u64);
                assert_eq!(alu_w(Sra, a, b, 8), (sa >> (ub % 8)) as u8 as u64);
                assert_eq!(alu_w(Slt, a, b, 8), (sa < sb) as u64);
                assert_eq!(
                    alu_w(Mulh, a, b, 8),
                    ((sa as i16 * sb as i16) >> 8) as u8 as u64
                );
                let div = if ub == 0 {
                    0xff
                } else {
                    sa.wrapping_div(sb) as u8
                };
                let rem = if ub == 0 {
                    ua
                } else {
                    sa.wrapping_rem(sb) as u8
                };
                assert_eq!(alu_w(Div, a, b, 8), div as u64);
                assert_eq!(alu_w(Rem, a, b, 8), rem as u64);
                assert_eq!(branch_taken_w(Bge, a, b, 8), sa >= sb);
            }
        }
    }

    #[test]
    fn system_instructions() {
        assert_eq!(
            execute(&Instruction::new(Fence, 0, 0, 0, 0x0ff), 0, 0, 0),
            Effect::Nop
        );
        assert_eq!(
            execute(&Instruction::new(Ecall, 0, 0, 0, 0), 0, 0, 0),
            Effect::EnvironmentCall
        );
    }

    /// Random operands against 64/128-bit reference arithmetic.
    #[test]
    fn m_extension_matches_wide_reference() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let edge = [0u32, 1, 2, NEG1, MIN, 0x7fff_ffff, 0xffff_fffe];
        for i in 0..200_000 {
            let a: u32 = if i % 5 == 0 {
                edge[i % edge.len()]
            } else {
                rng.gen()
            };
            let b: u32 = if i % 7 == 0 {
                edge[(i / 7) % edge.len()]
            } else {
                rng.gen()
            };
            let (sa, sb) = (a as i32 as i128, b as i32 as i128);
            let (ua, ub) = (a as i128, b as i128);
            assert_eq!(alu(Mul, a, b), (ua * ub) as u32);
            assert_eq!(alu(Mulh, a, b), ((sa * sb) >> 32) as u32);
            assert_eq!(alu(Mulhsu, a, b), ((sa * ub) >> 32) as u32);
            assert_eq!(alu(Mulhu, a, b), ((ua * ub) >> 32) as u32);
            if b != 0 {
                assert_eq!(alu(Divu, a, b), a / b);
                assert_eq!(alu(Remu, a, b), a % b);
                // Reference: truncating division in i128 (no overflow there).
                let q = sa / sb;
                let r = sa - q * sb;
                assert_eq!(alu(Div, a, b), q as u32, "{a:#x} / {b:#x}");
                assert_eq!(alu(Rem, a, b), r as u32, "{a:#x} % {b:#x}");
            }
        }
    }
}
