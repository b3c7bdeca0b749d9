//! OR (also ORI): bitwise, so chunk by chunk:
//! g = Σ_i OR(x_i ‖ y_i) · 2^(b·(C−1−i)), degree 1.

use super::{pack_operand_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Or;

impl LookupInstruction for Or {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        (0..p.chunks).map(|i| (SubtableId::Or, i)).collect()
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        pack_operand_chunks(values, p)
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
