//! Sign-aware steps of the DIV/REM sequences. Each reads the two
//! operands' signs from chunk 0: s_x = LEFT_MSB, and s_y = s_x − LTS + LTU,
//! since signed and unsigned order of the top chunks differ exactly when
//! the signs do (LTS − LTU = s_x − s_y). Zero tests are products of the
//! per-chunk LEFT_IS_ZERO / RIGHT_IS_ZERO; operands are packed from their
//! LEFT_ID / RIGHT_ID bytes. Every g has degree at most C + 1.

use super::{pack_operand_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::{pow2, SubtableId};
use ark_ff::Field;

/// LEFT_MSB, LTS, LTU on chunk 0, in that order.
fn sign_reads() -> Vec<(SubtableId, usize)> {
    vec![
        (SubtableId::LeftMsb, 0),
        (SubtableId::Lts, 0),
        (SubtableId::Ltu, 0),
    ]
}

/// (s_x, s_y) from the values of [`sign_reads`].
fn signs<F: Field>(values: &[F]) -> (F, F) {
    (values[0], values[0] - values[1] + values[2])
}

fn per_chunk(table: SubtableId, p: &LookupParams) -> Vec<(SubtableId, usize)> {
    (0..p.chunks).map(|i| (table, i)).collect()
}

/// VIRTUAL_NEG_IF_NEGATIVE (a, b): −a mod 2^W if b < 0, else a.
/// g = a + s_b·(2^W − 2a) − 2^W·s_b·[a = 0].
pub struct NegIfNegative;

impl LookupInstruction for NegIfNegative {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads = sign_reads();
        reads.extend(per_chunk(SubtableId::LeftId, p));
        reads.extend(per_chunk(SubtableId::LeftIsZero, p));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let c = p.chunks;
        let (_, s_b) = signs(&values[..3]);
        let a = pack_operand_chunks(&values[3..3 + c], p);
        let a_zero: F = values[3 + c..].iter().copied().product();
        let two_w = pow2::<F>(p.word_bits);
        a + s_b * (two_w - a.double()) - two_w * s_b * a_zero
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks + 1
    }
}

/// VIRTUAL_DIV_SIGN_CODE (x, y): 0 if y = 0, else 1 for equal signs and
/// 2^W − 1 for different ones. With n = 1 − [y = 0] and the sign
/// difference d = s_x·n + s_y − 2·s_x·s_y (s_y = 0 when y = 0, so d is
/// s_x ⊕ s_y where y ≠ 0 and 0 where y = 0): g = n + d·(2^W − 2).
pub struct DivSignCode;

impl LookupInstruction for DivSignCode {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads = sign_reads();
        reads.extend(per_chunk(SubtableId::RightIsZero, p));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let (s_x, s_y) = signs(&values[..3]);
        let y_zero: F = values[3..].iter().copied().product();
        let n = F::one() - y_zero;
        let d = s_x * n + s_y - (s_x * s_y).double();
        n + d * (pow2::<F>(p.word_bits) - F::from(2u64))
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks + 1
    }
}

/// VIRTUAL_DIV_APPLY_SIGN (a, c), c a sign code: 2^W − 1 if c = 0, else
/// −a mod 2^W if c < 0, else a. With z = [c = 0] (then s_c = 0):
/// g = z·(2^W − 1) + (1 − z)·a + s_c·(2^W − 2a) − 2^W·s_c·[a = 0].
pub struct DivApplySign;

impl LookupInstruction for DivApplySign {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads = sign_reads();
        reads.extend(per_chunk(SubtableId::LeftId, p));
        reads.extend(per_chunk(SubtableId::RightIsZero, p));
        reads.extend(per_chunk(SubtableId::LeftIsZero, p));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let c = p.chunks;
        let (_, s_c) = signs(&values[..3]);
        let a = pack_operand_chunks(&values[3..3 + c], p);
        let c_zero: F = values[3 + c..3 + 2 * c].iter().copied().product();
        let a_zero: F = values[3 + 2 * c..].iter().copied().product();
        let two_w = pow2::<F>(p.word_bits);
        c_zero * (two_w - F::one()) + (F::one() - c_zero) * a + s_c * (two_w - a.double())
            - two_w * s_c * a_zero
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks + 1
    }
}
