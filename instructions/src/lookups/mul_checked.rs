//! VIRTUAL_MUL_CHECKED: the product z = x·y when it fits a word, and a
//! value of 2^W or more when it does not: g = low word of z +
//! 2^W·(1 − Π_{i < C/2} IS_ZERO(z_i)), degree C/2 (the low word from the
//! LEFT_ID/RIGHT_ID halves of the low chunks). An honest run never
//! overflows (the tracer stops); a proof that did would write rd a value
//! no later step can pack into four bytes, and the only reader of rd, the
//! division core's VIRTUAL_SUB_CHECKED, passes it on the same way.

use super::{low_half, pack_query_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::{pow2, SubtableId};
use ark_ff::Field;

pub struct MulChecked;

impl LookupInstruction for MulChecked {
    fn query(&self) -> QueryForm {
        QueryForm::Product
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads = low_half(p);
        reads.extend((0..p.chunks / 2).map(|i| (SubtableId::IsZero, i)));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let (low, high_zero) = values.split_at(p.chunks);
        let fits: F = high_zero.iter().copied().product();
        pack_query_chunks(low, p.chunks / 2..p.chunks, p)
            + (F::one() - fits) * pow2::<F>(p.word_bits)
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks / 2
    }
}
