//! Typed RV32IM instructions: one flat [`Opcode`] plus the operand fields.
//!
//! The flat form (opcode, rd, rs1, rs2, imm) is deliberately the same shape
//! as a row of the bytecode table the proof reads later, so decoding, the
//! tracer and the bytecode preprocessing share one representation.

/// Every RV32I base and M-extension instruction the machine executes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Opcode {
    Lui,
    Auipc,
    Jal,
    Jalr,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Lb,
    Lh,
    Lw,
    Lbu,
    Lhu,
    Sb,
    Sh,
    Sw,
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Fence,
    Ecall,
    Ebreak,
    // Virtual instructions: never decoded from a program, only produced by
    // `virtual_sequences::expand`, and they operate on virtual registers too.
    /// rd ← a value the prover supplies (checked by later assertions).
    VirtualAdvice,
    /// rd ← |rs1| as a signed word (|−2^31| = 2^31).
    VirtualAbs,
    /// Asserts rs1 = rs2.
    VirtualAssertEq,
    /// Asserts rs2 = 0 or rs1 < rs2 (unsigned): rs1 is a valid remainder for divisor rs2.
    VirtualAssertValidUnsignedRemainder,
    /// rd ← all ones if rs1 = 0, else rs2 (the quotient of a division by rs1).
    VirtualDivZeroSelect,
    /// rd ← rs1 · rs2, which must be below 2^32 (unsigned): the run stops
    /// otherwise, and the proof's lookup gives a value no later step accepts.
    VirtualMulChecked,
    /// rd ← rs1 − rs2, which must not borrow (rs2 ≤ rs1, unsigned), checked
    /// as for VirtualMulChecked.
    VirtualSubChecked,
    /// rd ← −rs1 if rs2 is negative, else rs1 (mod 2^32).
    VirtualNegIfNegative,
    /// rd ← 0 if rs2 = 0, else 1 if rs1 and rs2 have the same sign, else all
    /// ones: the sign of a quotient, or its absence.
    VirtualDivSignCode,
    /// rd ← all ones if rs2 = 0, else −rs1 if rs2 is negative, else rs1:
    /// a quotient's magnitude with the sign code of VirtualDivSignCode.
    VirtualDivApplySign,
    /// rd ← the high word of (rs1 − 2^31)·(rs2 − 2^31): MULH of two words
    /// given in offset binary (sign bit flipped, so rs1 − 2^31 is the
    /// signed value).
    VirtualMulhBiased,
    /// rd ← the high word of (rs1 − 2^31)·rs2: MULHSU with rs1 in offset
    /// binary and rs2 unsigned.
    VirtualMulhsuBiased,
    /// rd ← rs1 shifted by rs2, where rs2 < 32 (register shifts mask their
    /// amount into a virtual register first, so the shift lookup sees a
    /// byte-sized amount the R1CS can check).
    VirtualSll,
    VirtualSrl,
    VirtualSra,
    /// First step of SB / SH: reads the aligned word holding rs1 + imm (the
    /// access pins the byte offset o) and sets rd ← the low byte / halfword
    /// of rs2 shifted to o, i.e. to where the store puts it.
    VirtualPlaceByte,
    VirtualPlaceHalf,
    /// Second step of SB / SH: rewrites the aligned word holding rs1 + imm
    /// as the word with its byte / halfword at o cleared, plus rs2 (the
    /// placed value of the first step).
    VirtualMergeByte,
    VirtualMergeHalf,
}

/// The encoding format, which says which operand fields are meaningful.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// rd, rs1, rs2
    R,
    /// rd, rs1, imm[11:0]
    I,
    /// rs1, rs2, imm[11:0]
    S,
    /// rs1, rs2, imm[12:1]
    B,
    /// rd, imm[31:12]
    U,
    /// rd, imm[20:1]
    J,
}

impl Opcode {
    /// All opcodes, in declaration order (for exhaustive tests and tables).
    pub const ALL: [Opcode; 67] = [
        Opcode::Lui,
        Opcode::Auipc,
        Opcode::Jal,
        Opcode::Jalr,
        Opcode::Beq,
        Opcode::Bne,
        Opcode::Blt,
        Opcode::Bge,
        Opcode::Bltu,
        Opcode::Bgeu,
        Opcode::Lb,
        Opcode::Lh,
        Opcode::Lw,
        Opcode::Lbu,
        Opcode::Lhu,
        Opcode::Sb,
        Opcode::Sh,
        Opcode::Sw,
        Opcode::Addi,
        Opcode::Slti,
        Opcode::Sltiu,
        Opcode::Xori,
        Opcode::Ori,
        Opcode::Andi,
        Opcode::Slli,
        Opcode::Srli,
        Opcode::Srai,
        Opcode::Add,
        Opcode::Sub,
        Opcode::Sll,
        Opcode::Slt,
        Opcode::Sltu,
        Opcode::Xor,
        Opcode::Srl,
        Opcode::Sra,
        Opcode::Or,
        Opcode::And,
        Opcode::Mul,
        Opcode::Mulh,
        Opcode::Mulhsu,
        Opcode::Mulhu,
        Opcode::Div,
        Opcode::Divu,
        Opcode::Rem,
        Opcode::Remu,
        Opcode::Fence,
        Opcode::Ecall,
        Opcode::Ebreak,
        Opcode::VirtualAdvice,
        Opcode::VirtualAbs,
        Opcode::VirtualAssertEq,
        Opcode::VirtualAssertValidUnsignedRemainder,
        Opcode::VirtualDivZeroSelect,
        Opcode::VirtualMulChecked,
        Opcode::VirtualSubChecked,
        Opcode::VirtualNegIfNegative,
        Opcode::VirtualDivSignCode,
        Opcode::VirtualDivApplySign,
        Opcode::VirtualMulhBiased,
        Opcode::VirtualMulhsuBiased,
        Opcode::VirtualSll,
        Opcode::VirtualSrl,
        Opcode::VirtualSra,
        Opcode::VirtualPlaceByte,
        Opcode::VirtualPlaceHalf,
        Opcode::VirtualMergeByte,
        Opcode::VirtualMergeHalf,
    ];

    /// Lower-case assembler mnemonic.
    pub fn mnemonic(self) -> &'static str {
        use Opcode::*;
        match self {
            Lui => "lui",
            Auipc => "auipc",
            Jal => "jal",
            Jalr => "jalr",
            Beq => "beq",
            Bne => "bne",
            Blt => "blt",
            Bge => "bge",
            Bltu => "bltu",
            Bgeu => "bgeu",
            Lb => "lb",
            Lh => "lh",
            Lw => "lw",
            Lbu => "lbu",
            Lhu => "lhu",
            Sb => "sb",
            Sh => "sh",
            Sw => "sw",
            Addi => "addi",
            Slti => "slti",
            Sltiu => "sltiu",
            Xori => "xori",
            Ori => "ori",
            Andi => "andi",
            Slli => "slli",
            Srli => "srli",
            Srai => "srai",
            Add => "add",
            Sub => "sub",
            Sll => "sll",
            Slt => "slt",
            Sltu => "sltu",
            Xor => "xor",
            Srl => "srl",
            Sra => "sra",
            Or => "or",
            And => "and",
            Mul => "mul",
            Mulh => "mulh",
            Mulhsu => "mulhsu",
            Mulhu => "mulhu",
            Div => "div",
            Divu => "divu",
            Rem => "rem",
            Remu => "remu",
            Fence => "fence",
            Ecall => "ecall",
            Ebreak => "ebreak",
            VirtualAdvice => "virtual.advice",
            VirtualAbs => "virtual.abs",
            VirtualAssertEq => "virtual.assert_eq",
            VirtualAssertValidUnsignedRemainder => "virtual.assert_valid_unsigned_remainder",
            VirtualDivZeroSelect => "virtual.div_zero_select",
            VirtualMulChecked => "virtual.mul_checked",
            VirtualSubChecked => "virtual.sub_checked",
            VirtualNegIfNegative => "virtual.neg_if_negative",
            VirtualDivSignCode => "virtual.div_sign_code",
            VirtualDivApplySign => "virtual.div_apply_sign",
            VirtualMulhBiased => "virtual.mulh_biased",
            VirtualMulhsuBiased => "virtual.mulhsu_biased",
            VirtualSll => "virtual.sll",
            VirtualSrl => "virtual.srl",
            VirtualSra => "virtual.sra",
            VirtualPlaceByte => "virtual.place_byte",
            VirtualPlaceHalf => "virtual.place_half",
            VirtualMergeByte => "virtual.merge_byte",
            VirtualMergeHalf => "virtual.merge_half",
        }
    }

    /// The encoding format of this opcode.
    pub fn format(self) -> Format {
        use Opcode::*;
        match self {
            Lui | Auipc => Format::U,
            Jal => Format::J,
            Beq | Bne | Blt | Bge | Bltu | Bgeu => Format::B,
            Sb | Sh | Sw => Format::S,
            Jalr | Lb | Lh | Lw | Lbu | Lhu | Addi | Slti | Sltiu | Xori | Ori | Andi | Slli
            | Srli | Srai | Fence | Ecall | Ebreak => Format::I,
            Add | Sub | Sll | Slt | Sltu | Xor | Srl | Sra | Or | And | Mul | Mulh | Mulhsu
            | Mulhu | Div | Divu | Rem | Remu => Format::R,
            VirtualAbs => Format::I,
            // Both read rs1 + imm and rs2; the place steps also write rd
            // (see `writes_rd`).
            VirtualPlaceByte | VirtualPlaceHalf | VirtualMergeByte | VirtualMergeHalf => Format::S,
            VirtualAdvice => Format::U,
            VirtualAssertEq
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
            | VirtualSra => Format::R,
        }
    }

    /// Virtual instructions exist only inside virtual sequences.
    pub fn is_virtual(self) -> bool {
        self >= Opcode::VirtualAdvice
    }

    /// Virtual assertions: their lookup must return 1, and they write nothing.
    pub fn is_assert(self) -> bool {
        use Opcode::*;
        matches!(self, VirtualAssertEq | VirtualAssertValidUnsignedRemainder)
    }

    /// Register-register ALU operations (OP opcode, including M).
    pub fn is_alu_reg(self) -> bool {
        self.format() == Format::R && !self.is_virtual()
    }

    /// Register-immediate ALU operations (OP-IMM opcode).
    pub fn is_alu_imm(self) -> bool {
        use Opcode::*;
        matches!(
            self,
            Addi | Slti | Sltiu | Xori | Ori | Andi | Slli | Srli | Srai
        )
    }

    pub fn is_branch(self) -> bool {
        self.format() == Format::B
    }

    pub fn is_load(self) -> bool {
        use Opcode::*;
        matches!(self, Lb | Lh | Lw | Lbu | Lhu)
    }

    /// Whether the instruction writes RAM (the real stores and the merge
    /// steps of sub-word stores).
    pub fn is_store(self) -> bool {
        use Opcode::*;
        matches!(self, Sb | Sh | Sw | VirtualMergeByte | VirtualMergeHalf)
    }

    /// The place steps of sub-word stores: they read RAM and write rd.
    pub fn is_place(self) -> bool {
        matches!(self, Opcode::VirtualPlaceByte | Opcode::VirtualPlaceHalf)
    }

    /// Whether the instruction writes its `rd` field.
    pub fn writes_rd(self) -> bool {
        !self.is_assert()
            && (matches!(self.format(), Format::R | Format::U | Format::J)
                || self.is_alu_imm()
                || self.is_load()
                || self.is_place()
                || matches!(self, Opcode::Jalr | Opcode::VirtualAbs))
    }

    /// Whether the instruction reads `rs1`.
    pub fn reads_rs1(self) -> bool {
        matches!(self.format(), Format::R | Format::S | Format::B)
            || self.is_alu_imm()
            || self.is_load()
            || matches!(self, Opcode::Jalr | Opcode::VirtualAbs)
    }

    /// Whether the instruction reads `rs2`.
    pub fn reads_rs2(self) -> bool {
        matches!(self.format(), Format::R | Format::S | Format::B)
    }
}

/// A decoded instruction in flat form. Fields an opcode does not use are 0;
/// FENCE keeps its raw 12-bit fm/pred/succ field in `imm`.
///
/// Register indices are `u8` rather than 5-bit values so the virtual
/// registers of virtual sequences (x32 and up) fit the same type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instruction {
    pub opcode: Opcode,
    pub rd: u8,
    pub rs1: u8,
    pub rs2: u8,
    /// Sign-extended immediate; for U-type the value already shifted left by 12,
    /// for shifts-by-immediate the shift amount.
    pub imm: i32,
}

impl Instruction {
    pub const fn new(opcode: Opcode, rd: u8, rs1: u8, rs2: u8, imm: i32) -> Self {
        Instruction {
            opcode,
            rd,
            rs1,
            rs2,
            imm,
        }
    }
}

impl core::fmt::Display for Instruction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let m = self.opcode.mnemonic();
        let (rd, rs1, rs2, imm) = (self.rd, self.rs1, self.rs2, self.imm);
        match self.opcode.format() {
            _ if matches!(self.opcode, Opcode::Fence | Opcode::Ecall | Opcode::Ebreak) => {
                write!(f, "{m}")
            }
            _ if self.opcode == Opcode::VirtualAdvice => write!(f, "{m} x{rd}"),
            _ if self.opcode.is_assert() && self.opcode.format() == Format::R => {
                write!(f, "{m} x{rs1}, x{rs2}")
            }
            _ if self.opcode.is_place() => write!(f, "{m} x{rd}, x{rs2}, {imm}(x{rs1})"),
            Format::R => write!(f, "{m} x{rd}, x{rs1}, x{rs2}"),
            Format::I if self.opcode.is_load() || self.opcode == Opcode::Jalr => {
                write!(f, "{m} x{rd}, {imm}(x{rs1})")
            }
            Format::I => write!(f, "{m} x{rd}, x{rs1}, {imm}"),
            Format::S => write!(f, "{m} x{rs2}, {imm}(x{rs1})"),
            Format::B => write!(f, "{m} x{rs1}, x{rs2}, {imm}"),
            Format::U => write!(f, "{m} x{rd}, {:#x}", (imm as u32) >> 12),
            Format::J => write!(f, "{m} x{rd}, {imm}"),
        }
    }
}
