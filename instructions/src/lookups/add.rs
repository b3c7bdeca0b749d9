//! ADD (also ADDI, LUI, AUIPC, JAL's target, LW/SW's address): z = x + y
//! < 2^(W+1); the result is z mod 2^W, the low C/2 chunks of z.
//! g = Σ_{i ≥ C/2} z_i · 2^(2b·(C−1−i)) with z_i = 2^b·LEFT_ID_i +
//! RIGHT_ID_i, degree 1. The high chunks are read by every step anyway,
//! which range-checks them.

use super::{low_half, pack_query_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Add;

impl LookupInstruction for Add {
    fn query(&self) -> QueryForm {
        QueryForm::Sum
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
