//! Instructions as lookups (Lasso/Surge): each instruction's result is one
//! lookup into a table too big to write down (2^(2W) entries for two W-bit
//! operands), decomposed into C chunk lookups into 2^(2b)-entry subtables
//! (b = W/C) and a combining function g of low degree.
//!
//! **Query forms.** Two-operand bitwise, comparison and shift lookups use
//! *interleaved* chunks: chunk i is `x_i ‖ y_i`, the i-th b-bit pieces of
//! both operands (chunk 0 most significant), so each chunk answers a
//! question about the same bit positions of x and y and g only has to
//! combine position-local answers. Arithmetic lookups (add, sub, mul, and
//! values the R1CS computes) use a *one-operand* query z — x+y, x+2^W−y,
//! x·y, a signed product of offset-binary words moved up by 2^(2W−1), or
//! an advice value — split into C chunks of 2b bits; g reads the
//! chunks holding the bits it needs. Shifts put the same low bits of y (the
//! shift amount) in every chunk, and sub-word accesses (*select*) the byte
//! offset and selection. The R1CS ties the chunks to the operands.
//!
//! Every chunk is read by at least one subtable in every step, so every
//! chunk is range-checked to 2b bits by the subtable memory checking, which
//! makes the chunk decomposition of z unique.

mod abs;
mod add;
mod advice;
mod and;
mod div_zero_select;
mod eq;
mod jalr;
mod mul;
mod mul_checked;
mod mulh_biased;
mod mulhu;
mod ne;
mod or;
mod select;
mod sge;
mod sgeu;
mod signed;
mod sll;
mod slt;
mod sltu;
mod sra;
mod srl;
mod sub;
mod sub_checked;
mod valid_remainder;
mod xor;

use ark_ff::Field;

pub use select::Selection;

use crate::opcode::{Instruction, Opcode};
use crate::subtables::SubtableId;

/// Word size and chunking: W-bit operands, C chunks, b = W/C bits of each
/// operand per chunk, subtables of 2^(2b) entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LookupParams {
    pub word_bits: u32,
    pub chunks: usize,
}

impl LookupParams {
    /// RV32: 32-bit words, 4 chunks, 2^16-entry subtables.
    pub const RV32: LookupParams = LookupParams {
        word_bits: 32,
        chunks: 4,
    };

    pub const fn new(word_bits: u32, chunks: usize) -> Self {
        LookupParams { word_bits, chunks }
    }

    /// b: bits of each operand in one chunk.
    pub fn operand_chunk_bits(&self) -> u32 {
        self.word_bits / self.chunks as u32
    }

    /// log2 of a subtable's size: 2b.
    pub fn log_m(&self) -> usize {
        2 * self.operand_chunk_bits() as usize
    }

    pub fn subtable_size(&self) -> usize {
        1 << self.log_m()
    }

    /// Bit offset of chunk i's operand bits in the word: b·(C−1−i).
    pub fn chunk_offset(&self, chunk: usize) -> u32 {
        self.operand_chunk_bits() * (self.chunks - 1 - chunk) as u32
    }

    /// log2(W): bits of a shift amount.
    pub fn shift_bits(&self) -> u32 {
        self.word_bits.trailing_zeros()
    }

    /// Select lookups (sub-word loads and stores) need byte chunks of a
    /// 32-bit word: the byte offset and the selection fit one chunk.
    pub fn supports_select(&self) -> bool {
        self.word_bits == 32 && self.chunks == 4
    }

    /// Shift lookups need the shift amount inside one operand chunk.
    pub fn supports_shifts(&self) -> bool {
        self.shift_bits() <= self.operand_chunk_bits()
    }

    /// Weight of chunk i of a one-operand query: 2^(2b·(C−1−i)).
    fn query_chunk_weight<F: Field>(&self, chunk: usize) -> F {
        crate::subtables::pow2(2 * self.chunk_offset(chunk))
    }
}

/// How a lookup's operands become its query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryForm {
    /// Chunk i = x_i ‖ y_i.
    Interleaved,
    /// Chunk i = x_i ‖ (y mod 2^b): the shift amount in every chunk.
    Shift,
    /// Chunk i = x_i ‖ y with y = o + 4·v below 2^b: the byte offset of
    /// a sub-word access and its [`Selection`] in every chunk.
    Select,
    /// z = x + y.
    Sum,
    /// z = x + 2^W − y (non-negative, and ≡ x − y mod 2^W).
    Difference,
    /// z = x · y.
    Product,
    /// z = (x − 2^(W−1))·(y − 2^(W−1)) + 2^(2W−1): two offset-binary words'
    /// signed product, moved up to be non-negative.
    SignedProduct,
    /// z = (x − 2^(W−1))·y + 2^(2W−1): an offset-binary word times an
    /// unsigned one, moved up to be non-negative.
    MixedProduct,
    /// z = x.
    Identity,
}

impl QueryForm {
    /// The one-operand query z, for the arithmetic forms.
    pub fn query_value(self, x: u64, y: u64, p: &LookupParams) -> Option<u128> {
        let (x, y) = (x as u128, y as u128);
        match self {
            QueryForm::Sum => Some(x + y),
            QueryForm::Difference => Some(x + (1u128 << p.word_bits) - y),
            QueryForm::Product => Some(x * y),
            QueryForm::SignedProduct | QueryForm::MixedProduct => {
                let half = 1i128 << (p.word_bits - 1);
                let y_s = if self == QueryForm::SignedProduct {
                    y as i128 - half
                } else {
                    y as i128
                };
                // Non-negative: |x_s·y_s| < 2^(2W−1) (docs/lookups.md).
                Some(((x as i128 - half) * y_s + (half << p.word_bits)) as u128)
            }
            QueryForm::Identity => Some(x),
            QueryForm::Interleaved | QueryForm::Shift | QueryForm::Select => None,
        }
    }

    /// The C chunk indices (chunk 0 most significant) for operands x, y.
    pub fn chunks(self, x: u64, y: u64, p: &LookupParams) -> Vec<u64> {
        let b = p.operand_chunk_bits();
        let operand_mask = (1u64 << b) - 1;
        let chunk_mask = (1u128 << (2 * b)) - 1;
        (0..p.chunks)
            .map(|i| {
                let o = p.chunk_offset(i);
                match self.query_value(x, y, p) {
                    Some(z) => ((z >> (2 * o)) & chunk_mask) as u64,
                    None => {
                        let x_i = (x >> o) & operand_mask;
                        let y_i = match self {
                            QueryForm::Shift | QueryForm::Select => y & operand_mask,
                            _ => (y >> o) & operand_mask,
                        };
                        (x_i << b) | y_i
                    }
                }
            })
            .collect()
    }
}

/// An instruction's lookup: the query form, the subtable reads, and g.
pub trait LookupInstruction {
    fn query(&self) -> QueryForm;

    /// The (subtable, chunk) reads, in the order [`Self::combine`] takes
    /// their values.
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)>;

    /// g: the lookup's result from the subtable values.
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F;

    /// Total degree of g in the subtable values.
    fn degree(&self, p: &LookupParams) -> usize;
}

macro_rules! lookup_kinds {
    ($($kind:ident => $module:ident),* $(,)?) => {
        /// Every lookup an RV32IM instruction (real or virtual) performs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum LookupKind {
            $($kind,)*
        }

        impl LookupKind {
            pub const ALL: &'static [LookupKind] = &[$(LookupKind::$kind,)*];

            pub fn query(self) -> QueryForm {
                match self {
                    $(LookupKind::$kind => $module::$kind.query(),)*
                }
            }

            pub fn reads(self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
                match self {
                    $(LookupKind::$kind => $module::$kind.reads(p),)*
                }
            }

            pub fn combine<F: Field>(self, values: &[F], p: &LookupParams) -> F {
                match self {
                    $(LookupKind::$kind => $module::$kind.combine(values, p),)*
                }
            }

            pub fn degree(self, p: &LookupParams) -> usize {
                match self {
                    $(LookupKind::$kind => $module::$kind.degree(p),)*
                }
            }
        }
    };
}

lookup_kinds! {
    Add => add,
    Sub => sub,
    Mul => mul,
    Mulhu => mulhu,
    And => and,
    Or => or,
    Xor => xor,
    Slt => slt,
    Sltu => sltu,
    Sge => sge,
    Sgeu => sgeu,
    Eq => eq,
    Ne => ne,
    Sll => sll,
    Srl => srl,
    Sra => sra,
    JalrTarget => jalr,
    Abs => abs,
    Advice => advice,
    ValidRemainder => valid_remainder,
    MulChecked => mul_checked,
    SubChecked => sub_checked,
    NegIfNegative => signed,
    DivSignCode => signed,
    DivApplySign => signed,
    MulhBiased => mulh_biased,
    MulhsuBiased => mulh_biased,
    DivZeroSelect => div_zero_select,
    LoadByteU => select,
    LoadHalfU => select,
    LoadByte => select,
    LoadHalf => select,
    ClearByte => select,
    ClearHalf => select,
    PlaceByte => select,
    PlaceHalf => select,
}

impl LookupKind {
    /// The selection of a select lookup (docs/lookups.md).
    pub fn selection(self) -> Option<Selection> {
        use LookupKind::*;
        Some(match self {
            LoadByteU => Selection::LoadByteU,
            LoadHalfU => Selection::LoadHalfU,
            LoadByte => Selection::LoadByte,
            LoadHalf => Selection::LoadHalf,
            ClearByte => Selection::ClearByte,
            ClearHalf => Selection::ClearHalf,
            PlaceByte => Selection::PlaceByte,
            PlaceHalf => Selection::PlaceHalf,
            _ => return None,
        })
    }

    /// The lookup's value on operands x, y, through chunks, subtable
    /// entries and g, computed in the field `F`.
    pub fn evaluate<F: Field>(self, x: u64, y: u64, p: &LookupParams) -> F {
        let chunks = self.query().chunks(x, y, p);
        let values: Vec<F> = self
            .reads(p)
            .iter()
            .map(|&(table, chunk)| F::from(table.entry(chunks[chunk], p)))
            .collect();
        self.combine(&values, p)
    }
}

/// The lookup an instruction performs, if any. Instructions that run as
/// virtual sequences (MULH, MULHSU, DIV*, REM*, sub-word loads and stores),
/// FENCE and the environment calls perform none themselves.
pub fn lookup_of(op: Opcode) -> Option<LookupKind> {
    use Opcode::*;
    let kind = match op {
        // LUI, AUIPC and JAL add: rd = 0 + imm, rd = pc + imm, target = pc + imm;
        // LW and SW add rs1 + imm into the effective address.
        Add | Addi | Lui | Auipc | Jal | Lw | Sw => LookupKind::Add,
        Sub => LookupKind::Sub,
        Mul => LookupKind::Mul,
        Mulhu => LookupKind::Mulhu,
        And | Andi => LookupKind::And,
        Or | Ori => LookupKind::Or,
        Xor | Xori => LookupKind::Xor,
        Slt | Slti | Blt => LookupKind::Slt,
        Sltu | Sltiu | Bltu => LookupKind::Sltu,
        Bge => LookupKind::Sge,
        Bgeu => LookupKind::Sgeu,
        Beq | VirtualAssertEq => LookupKind::Eq,
        Bne => LookupKind::Ne,
        Slli | VirtualSll => LookupKind::Sll,
        Srli | VirtualSrl => LookupKind::Srl,
        Srai | VirtualSra => LookupKind::Sra,
        Jalr => LookupKind::JalrTarget,
        VirtualAbs => LookupKind::Abs,
        VirtualAdvice => LookupKind::Advice,
        VirtualAssertValidUnsignedRemainder => LookupKind::ValidRemainder,
        VirtualMulChecked => LookupKind::MulChecked,
        VirtualSubChecked => LookupKind::SubChecked,
        VirtualNegIfNegative => LookupKind::NegIfNegative,
        VirtualDivSignCode => LookupKind::DivSignCode,
        VirtualDivApplySign => LookupKind::DivApplySign,
        VirtualMulhBiased => LookupKind::MulhBiased,
        VirtualMulhsuBiased => LookupKind::MulhsuBiased,
        VirtualDivZeroSelect => LookupKind::DivZeroSelect,
        Lbu => LookupKind::LoadByteU,
        Lhu => LookupKind::LoadHalfU,
        Lb => LookupKind::LoadByte,
        Lh => LookupKind::LoadHalf,
        VirtualMergeByte => LookupKind::ClearByte,
        VirtualMergeHalf => LookupKind::ClearHalf,
        VirtualPlaceByte => LookupKind::PlaceByte,
        VirtualPlaceHalf => LookupKind::PlaceHalf,
        Mulh | Mulhsu | Div | Divu | Rem | Remu | Sb | Sh | Sll | Srl | Sra | Fence | Ecall
        | Ebreak => return None,
    };
    Some(kind)
}

/// What a step's lookup operands are made of: the pc, the register values
/// (rd: the value written, the operand of advice) and the word the RAM
/// slot read (the operand of sub-word loads and merges).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepValues {
    pub pc: u32,
    pub rs1: u32,
    pub rs2: u32,
    pub rd: u32,
    pub ram_read: u32,
}

/// The lookup operands (x, y) of an instruction with the step's values.
pub fn lookup_operands(inst: &Instruction, values: &StepValues) -> (u64, u64) {
    use Opcode::*;
    let StepValues {
        pc,
        rs1,
        rs2,
        rd,
        ram_read,
    } = *values;
    let imm = inst.imm as u32;
    if let Some(selection) = lookup_of(inst.opcode).and_then(LookupKind::selection) {
        let word = if inst.opcode.is_place() {
            rs2
        } else {
            ram_read
        };
        let offset = rs1.wrapping_add(imm) % 4;
        return (word as u64, selection.code(offset));
    }
    let (x, y) = match inst.opcode {
        Lui => (0, imm),
        Auipc | Jal => (pc, imm),
        VirtualAdvice => (rd, 0),
        VirtualAbs => (rs1, 0),
        op if op.is_alu_imm() || matches!(op, Jalr | Lw | Sw) => (rs1, imm),
        _ => (rs1, rs2),
    };
    (x as u64, y as u64)
}

/// Reads every step makes whatever its lookup, so the R1CS can take the
/// operand bytes x_i and y_i of an interleaved (or shift) query: the table
/// proves they are the halves of dim_i, which makes the chunking of the
/// operands unique without range checks in the R1CS.
pub fn operand_reads(p: &LookupParams) -> Vec<(SubtableId, usize)> {
    let left = (0..p.chunks).map(|i| (SubtableId::LeftId, i));
    left.chain((0..p.chunks).map(|i| (SubtableId::RightId, i)))
        .collect()
}

/// Reads of one-operand query chunks: LEFT_ID_i and RIGHT_ID_i of each,
/// the two b-bit halves of the 2b-bit chunk z_i = 2^b·LEFT_ID_i +
/// RIGHT_ID_i. Every step reads them anyway (`operand_reads`), so a chunk's
/// value costs no memory of its own.
fn query_chunk_reads(chunks: std::ops::Range<usize>) -> Vec<(SubtableId, usize)> {
    chunks
        .flat_map(|i| [(SubtableId::LeftId, i), (SubtableId::RightId, i)])
        .collect()
}

/// Reads of the low half of a one-operand query: the chunks C/2..C.
fn low_half(p: &LookupParams) -> Vec<(SubtableId, usize)> {
    query_chunk_reads(p.chunks / 2..p.chunks)
}

/// Σ_j z_{i_j} · 2^(2b·(C−1−i_j)) over the given one-operand chunks, each
/// z_i from its (LEFT_ID_i, RIGHT_ID_i) pair of `values` (the order
/// [`query_chunk_reads`] gives): the bits of z those chunks hold, in place.
fn pack_query_chunks<F: Field>(
    values: &[F],
    chunks: impl Iterator<Item = usize>,
    p: &LookupParams,
) -> F {
    let half = crate::subtables::pow2::<F>(p.operand_chunk_bits());
    values
        .chunks_exact(2)
        .zip(chunks)
        .map(|(pair, i)| (pair[0] * half + pair[1]) * p.query_chunk_weight::<F>(i))
        .sum()
}

/// Σ_i v_i · 2^(b·(C−1−i)): per-chunk b-bit results of an interleaved query, in place.
fn pack_operand_chunks<F: Field>(values: &[F], p: &LookupParams) -> F {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| *v * crate::subtables::pow2::<F>(p.chunk_offset(i)))
        .sum()
}

/// Unsigned x < y from per-chunk answers, most significant chunk first:
/// LT_0 + EQ_0·(LT_1 + EQ_1·(…)). `lt` has C values, `eq` C − 1.
fn lexicographic_less<F: Field>(lt: &[F], eq: &[F]) -> F {
    lt.iter()
        .rev()
        .skip(1)
        .zip(eq.iter().rev())
        .fold(lt[lt.len() - 1], |acc, (lt_i, eq_i)| *lt_i + *eq_i * acc)
}

#[cfg(test)]
mod tests;
