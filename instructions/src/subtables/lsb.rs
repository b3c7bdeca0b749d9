//! LSB: T[z] = z & 1, the lowest bit of the chunk. MLE: r_(2b−1).

use super::Subtable;
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct Lsb;

impl Subtable for Lsb {
    fn entry(&self, index: u64, _p: &LookupParams) -> u64 {
        index & 1
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], _p: &LookupParams) -> F {
        r[r.len() - 1]
    }
}
