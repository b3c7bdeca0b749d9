//! SLL for chunk i: T[x ‖ y] = (x · 2^o ≪ s) mod 2^W, where o = b·(C−1−i)
//! is the chunk's offset in the word and s = y mod W the shift amount.
//! Chunks cover disjoint bits of x, so after the same shift their results
//! cover disjoint bits too and the lookup is the plain sum over chunks.
//!
//! MLE: Σ_s eq(y_low, s) · Σ_k [o + s + (b−1−k) < W] · 2^(o+s+b−1−k) · x_k,
//! with y_low the low log2(W) bits of y: O(W·b) field operations.

use super::{eq_integer, pow2, split, Subtable};
use crate::lookups::LookupParams;
use crate::semantics::word_mask;
use ark_ff::Field;

pub struct Sll {
    pub chunk: usize,
}

impl Subtable for Sll {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        let (x, y) = split(index, p);
        let s = y % p.word_bits as u64;
        ((x << p.chunk_offset(self.chunk)) << s) & word_mask(p.word_bits)
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        let b = p.operand_chunk_bits() as usize;
        let (x, y) = r.split_at(b);
        let y_low = &y[b - p.shift_bits() as usize..];
        let o = p.chunk_offset(self.chunk);
        (0..p.word_bits)
            .map(|s| {
                let shifted: F = x
                    .iter()
                    .enumerate()
                    .filter_map(|(k, x_k)| {
                        let position = o + s + (b - 1 - k) as u32;
                        (position < p.word_bits).then(|| pow2::<F>(position) * x_k)
                    })
                    .sum();
                eq_integer(y_low, s as u64) * shifted
            })
            .sum()
    }
}
