//! RIGHT_IS_ZERO: T[x ‖ y] = [y = 0]. MLE: Π_k (1 − y_k).

use super::{split, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct RightIsZero;

impl Subtable for RightIsZero {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        (split(index, p).1 == 0) as u64
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        r[p.operand_chunk_bits() as usize..]
            .iter()
            .map(|y| F::one() - y)
            .product()
    }
}
