//! BNE: g = 1 − Π_i EQ(x_i ‖ y_i), degree C.

use super::eq::Eq;
use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Ne;

impl LookupInstruction for Ne {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        Eq.reads(p)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        F::one() - Eq.combine(values, p)
    }
    fn degree(&self, p: &LookupParams) -> usize {
        p.chunks
    }
}
