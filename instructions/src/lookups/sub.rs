//! SUB: z = x + 2^W − y ∈ [1, 2^(W+1)), ≡ x − y (mod 2^W); the result is
//! the low C/2 chunks of z, exactly as for ADD. Degree 1.

use super::{low_half, pack_query_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Sub;

impl LookupInstruction for Sub {
    fn query(&self) -> QueryForm {
        QueryForm::Difference
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
