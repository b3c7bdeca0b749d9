//! VIRTUAL_ADVICE: the query is the advice value z itself; the result is
//! its low word. Reading the chunks range-checks them, so the value written
//! to rd is a W-bit word whatever the prover supplied. Degree 1.

use super::{low_half, pack_query_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Advice;

impl LookupInstruction for Advice {
    fn query(&self) -> QueryForm {
        QueryForm::Identity
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        low_half(p)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        pack_query_chunks(values, p.chunks / 2..p.chunks, p)
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
