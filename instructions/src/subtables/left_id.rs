//! LEFT_ID: T[x ‖ y] = x. With RIGHT_ID it hands the R1CS the operand
//! bytes of an interleaved chunk, proven to be the chunk's halves (so the
//! R1CS can pack them into the operands without range checks of its own),
//! and gives the one-operand lookups each chunk's value 2^b·x + y.
//! MLE: Σ_k 2^(b−1−k) · x_k.

use super::{pack, split, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct LeftId;

impl Subtable for LeftId {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        split(index, p).0
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        pack(&r[..p.operand_chunk_bits() as usize])
    }
}
