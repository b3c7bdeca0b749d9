//! VIRTUAL_MOVSIGN: all ones when x is negative. Query (x, 0); the sign is
//! the top bit of chunk 0: g = LEFT_MSB(x_0 ‖ 0) · (2^W − 1), degree 1.

use super::{LookupInstruction, LookupParams, QueryForm};
use crate::semantics::word_mask;
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Movsign;

impl LookupInstruction for Movsign {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, _p: &LookupParams) -> Vec<(SubtableId, usize)> {
        vec![(SubtableId::LeftMsb, 0)]
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        values[0] * F::from(word_mask(p.word_bits))
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
