//! RIGHT_ID: T[x ‖ y] = y: the low half of a chunk (see LEFT_ID).
//! MLE: Σ_k 2^(b−1−k) · y_k.

use super::{pack, split, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct RightId;

impl Subtable for RightId {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        split(index, p).1
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        pack(&r[p.operand_chunk_bits() as usize..])
    }
}
