//! VIRTUAL_ASSERT_MUL_NO_OVERFLOW: z = x·y has an all-zero high word:
//! g = Π_{i < C/2} IS_ZERO(z_i), degree C/2.

use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct MulNoOverflow;

impl LookupInstruction for MulNoOverflow {
    fn query(&self) -> QueryForm {
        QueryForm::Product
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        (0..p.chunks / 2).map(|i| (SubtableId::IsZero, i)).collect()
    }
    fn combine<F: Field>(&self, values: &[F], _p: &LookupParams) -> F {
        values.iter().copied().product()
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks / 2
    }
}
