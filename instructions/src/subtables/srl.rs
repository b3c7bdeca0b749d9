//! SRL for chunk i: T[x ‖ y] = (x · 2^o) ≫ s, where o = b·(C−1−i) is the
//! chunk's offset in the word and s = y mod W. As for SLL, chunks land on
//! disjoint bits, so the lookup is the sum over chunks.
//!
//! MLE: Σ_s eq(y_low, s) · Σ_k [o + (b−1−k) ≥ s] · 2^(o+b−1−k−s) · x_k.

use super::{eq_integer, pow2, split, Subtable};
use crate::lookups::LookupParams;
use ark_ff::Field;

pub struct Srl {
    pub chunk: usize,
}

impl Subtable for Srl {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        let (x, y) = split(index, p);
        let s = y % p.word_bits as u64;
        (x << p.chunk_offset(self.chunk)) >> s
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
                        let position = o + (b - 1 - k) as u32;
                        (position >= s).then(|| pow2::<F>(position - s) * x_k)
                    })
                    .sum();
                eq_integer(y_low, s as u64) * shifted
            })
            .sum()
    }
}
