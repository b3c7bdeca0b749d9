//! LTU: T[x ‖ y] = [x < y] (unsigned). The first differing bit decides:
//! MLE = Σ_k (1 − x_k)·y_k · Π_{j<k} eq(x_j, y_j).

use super::eq::bit_eq;
use super::{split, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct Ltu;

/// The unsigned-less-than MLE over bit vectors (MSB first).
pub(crate) fn ltu_bits<F: Field>(x: &[F], y: &[F]) -> F {
    let mut prefix_eq = F::one();
    let mut lt = F::zero();
    for (x, y) in x.iter().zip(y) {
        lt += prefix_eq * (F::one() - x) * y;
        prefix_eq *= bit_eq(*x, *y);
    }
    lt
}

impl Subtable for Ltu {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        let (x, y) = split(index, p);
        (x < y) as u64
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        let (x, y) = r.split_at(p.operand_chunk_bits() as usize);
        ltu_bits(x, y)
    }
}
