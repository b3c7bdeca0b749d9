//! VIRTUAL_ASSERT_VALID_UNSIGNED_REMAINDER on (r, y): y = 0 or r < y.
//! The two cases exclude each other (nothing is below 0), so
//! g = SLTU's g + Π_i RIGHT_IS_ZERO(r_i ‖ y_i), degree C.

use super::sltu::Sltu;
use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct ValidRemainder;

impl LookupInstruction for ValidRemainder {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads = Sltu.reads(p);
        reads.extend((0..p.chunks).map(|i| (SubtableId::RightIsZero, i)));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let (less, zero) = values.split_at(2 * p.chunks - 1);
        Sltu.combine(less, p) + zero.iter().copied().product::<F>()
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks
    }
}
