//! SRA_SIGN, on the most significant chunk: the bits an arithmetic right
//! shift by s = y mod W fills with the sign: T[x ‖ y] = sign(x) ·
//! (2^W − 2^(W−s)). Added to the SRL chunks it gives SRA.
//!
//! MLE: x_0 · Σ_s eq(y_low, s) · (2^W − 2^(W−s)).

use super::{eq_integer, split, Subtable};
use crate::lookups::LookupParams;
use crate::semantics::word_mask;
use ark_ff::Field;

pub struct SraSign;

fn fill(s: u64, w: u32) -> u64 {
    word_mask(w) & !(word_mask(w) >> s)
}

impl Subtable for SraSign {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        let (x, y) = split(index, p);
        let sign = x >> (p.operand_chunk_bits() - 1);
        sign * fill(y % p.word_bits as u64, p.word_bits)
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        let b = p.operand_chunk_bits() as usize;
        let y_low = &r[2 * b - p.shift_bits() as usize..];
        let filled: F = (0..p.word_bits as u64)
            .map(|s| eq_integer(y_low, s) * F::from(fill(s, p.word_bits)))
            .sum();
        r[0] * filled
    }
}
