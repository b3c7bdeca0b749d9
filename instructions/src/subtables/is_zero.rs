//! IS_ZERO: T[z] = [z = 0]. MLE: Π_k (1 − r_k).

use super::Subtable;
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct IsZero;

impl Subtable for IsZero {
    fn entry(&self, index: u64, _p: &LookupParams) -> u64 {
        (index == 0) as u64
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], _p: &LookupParams) -> F {
        r.iter().map(|r_k| F::one() - r_k).product()
    }
}
