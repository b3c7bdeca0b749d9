//! LEFT_MSB: T[x ‖ y] = the top bit of x (on the most significant chunk:
//! the sign of the word). MLE: r_0.

use super::{split, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct LeftMsb;

impl Subtable for LeftMsb {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        let (x, _) = split(index, p);
        x >> (p.operand_chunk_bits() - 1)
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], _p: &LookupParams) -> F {
        r[0]
    }
}
