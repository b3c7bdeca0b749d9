//! LEFT_IS_ZERO: T[x ‖ y] = [x = 0]. MLE: Π_k (1 − x_k).

use super::{split, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct LeftIsZero;

impl Subtable for LeftIsZero {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        (split(index, p).0 == 0) as u64
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        r[..p.operand_chunk_bits() as usize]
            .iter()
            .map(|x| F::one() - x)
            .product()
    }
}
