//! MUL: z = x·y < 2^(2W); the result is the low word, the low C/2 chunks.
//! Degree 1.

use super::{low_half, pack_query_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Mul;

impl LookupInstruction for Mul {
    fn query(&self) -> QueryForm {
        QueryForm::Product
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
