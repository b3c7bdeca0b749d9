//! VIRTUAL_ASSERT_LTE: x ≤ y unsigned = [x < y] + [x = y]:
//! g = SLTU's g + Π_i EQ_i, degree C. Values: SLTU's, then EQ_(C−1).

use super::sltu::Sltu;
use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Lte;

impl LookupInstruction for Lte {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads = Sltu.reads(p);
        reads.push((SubtableId::Eq, p.chunks - 1));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let c = p.chunks;
        // SLTU's values are LTU_0..LTU_(C−1), EQ_0..EQ_(C−2); EQ_(C−1) last.
        let all_eq: F = values[c..].iter().copied().product();
        Sltu.combine(&values[..2 * c - 1], p) + all_eq
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks
    }
}
