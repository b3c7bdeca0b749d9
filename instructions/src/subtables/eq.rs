//! EQ: T[x ‖ y] = [x = y]. MLE: Π_k (x_k·y_k + (1 − x_k)(1 − y_k)).

use super::{split, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct Eq;

/// x·y + (1 − x)(1 − y) = 1 − x − y + 2xy: the bits agree.
pub(crate) fn bit_eq<F: Field>(x: F, y: F) -> F {
    F::one() - x - y + (x * y).double()
}

impl Subtable for Eq {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        let (x, y) = split(index, p);
        (x == y) as u64
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        let (x, y) = r.split_at(p.operand_chunk_bits() as usize);
        x.iter().zip(y).map(|(x, y)| bit_eq(*x, *y)).product()
    }
}
