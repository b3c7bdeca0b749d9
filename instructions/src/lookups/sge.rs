//! BGE: x ≥ y signed, g = 1 − SLT's g. Degree C.

use super::slt::Slt;
use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Sge;

impl LookupInstruction for Sge {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        Slt.reads(p)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        F::one() - Slt.combine(values, p)
    }
    fn degree(&self, p: &LookupParams) -> usize {
        Slt.degree(p)
    }
}
