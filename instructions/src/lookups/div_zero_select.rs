//! VIRTUAL_DIV_ZERO_SELECT on (y, q): all ones when the divisor y is 0,
//! else q. With Z = Π_i LEFT_IS_ZERO(y_i ‖ q_i) and Q = Σ_i RIGHT_ID(y_i ‖
//! q_i)·2^(b·(C−1−i)): g = Q + Z·(2^W − 1 − Q), degree C + 1.

use super::{pack_operand_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::semantics::word_mask;
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct DivZeroSelect;

impl LookupInstruction for DivZeroSelect {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads: Vec<_> = (0..p.chunks).map(|i| (SubtableId::LeftIsZero, i)).collect();
        reads.extend((0..p.chunks).map(|i| (SubtableId::RightId, i)));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let (zero, quotient) = values.split_at(p.chunks);
        let z: F = zero.iter().copied().product();
        let q = pack_operand_chunks(quotient, p);
        q + z * (F::from(word_mask(p.word_bits)) - q)
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks + 1
    }
}
