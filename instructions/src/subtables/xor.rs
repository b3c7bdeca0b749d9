//! XOR: T[x ‖ y] = x ^ y. MLE: Σ_k 2^(b−1−k) · (x_k + y_k − 2·x_k·y_k).

use super::{split, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct Xor;

impl Subtable for Xor {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        let (x, y) = split(index, p);
        x ^ y
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        let (x, y) = r.split_at(p.operand_chunk_bits() as usize);
        x.iter().zip(y).fold(F::zero(), |acc, (x, y)| {
            acc.double() + *x + y - (*x * y).double()
        })
    }
}
