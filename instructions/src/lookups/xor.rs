//! XOR (also XORI): bitwise, so chunk by chunk:
//! g = Σ_i XOR(x_i ‖ y_i) · 2^(b·(C−1−i)), degree 1.

use super::{pack_operand_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Xor;

impl LookupInstruction for Xor {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        (0..p.chunks).map(|i| (SubtableId::Xor, i)).collect()
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        pack_operand_chunks(values, p)
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
