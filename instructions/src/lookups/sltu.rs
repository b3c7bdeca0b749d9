//! SLTU (also SLTIU, BLTU): lexicographic comparison, most significant
//! chunk first: g = LTU_0 + EQ_0·(LTU_1 + EQ_1·(… + EQ_(C−2)·LTU_(C−1))),
//! degree C. Values: LTU_0..LTU_(C−1), then EQ_0..EQ_(C−2).

use super::{lexicographic_less, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Sltu;

/// Reads for a lexicographic comparison whose most significant chunk is
/// compared with `first` (LTU or LTS).
pub(super) fn comparison_reads(first: SubtableId, p: &LookupParams) -> Vec<(SubtableId, usize)> {
    let mut reads = vec![(first, 0)];
    reads.extend((1..p.chunks).map(|i| (SubtableId::Ltu, i)));
    reads.extend((0..p.chunks - 1).map(|i| (SubtableId::Eq, i)));
    reads
}

impl LookupInstruction for Sltu {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        comparison_reads(SubtableId::Ltu, p)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let (lt, eq) = values.split_at(p.chunks);
        lexicographic_less(lt, eq)
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks
    }
}
