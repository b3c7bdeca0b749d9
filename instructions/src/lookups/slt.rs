//! SLT (also SLTI, BLT): as SLTU, but the most significant chunk, which
//! holds the sign bits, is compared as signed b-bit numbers (LTS). Below
//! the top chunk, two's-complement order is unsigned order, so
//! g = LTS_0 + EQ_0·(LTU_1 + EQ_1·(…)), degree C.

use super::sltu::comparison_reads;
use super::{lexicographic_less, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Slt;

impl LookupInstruction for Slt {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        comparison_reads(SubtableId::Lts, p)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let (lt, eq) = values.split_at(p.chunks);
        lexicographic_less(lt, eq)
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks
    }
}
