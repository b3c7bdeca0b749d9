//! BEQ and VIRTUAL_ASSERT_EQ: x = y iff every chunk pair is equal:
//! g = Π_i EQ(x_i ‖ y_i), degree C.

use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Eq;

impl LookupInstruction for Eq {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        (0..p.chunks).map(|i| (SubtableId::Eq, i)).collect()
    }
    fn combine<F: Field>(&self, values: &[F], _p: &LookupParams) -> F {
        values.iter().copied().product()
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks
    }
}
