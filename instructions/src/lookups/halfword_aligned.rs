//! VIRTUAL_ASSERT_HALFWORD_ALIGNED: the address z = x + imm is even:
//! g = 1 − LSB(z_(C−1)), degree 1. (A carry out of the word does not touch
//! bit 0, so z's parity is the wrapped address's parity.)

use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct HalfwordAligned;

impl LookupInstruction for HalfwordAligned {
    fn query(&self) -> QueryForm {
        QueryForm::Sum
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        vec![(SubtableId::Lsb, p.chunks - 1)]
    }
    fn combine<F: Field>(&self, values: &[F], _p: &LookupParams) -> F {
        F::one() - values[0]
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
