//! IDENTITY: T[z] = z for a 2b-bit chunk of a one-operand query (a sum,
//! difference, product or advice). Reading it also range-checks the chunk.
//! MLE: Σ_k 2^(2b−1−k) · r_k.

use super::{pack, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct Identity;

impl Subtable for Identity {
    fn entry(&self, index: u64, _p: &LookupParams) -> u64 {
        index
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], _p: &LookupParams) -> F {
        pack(r)
    }
}
