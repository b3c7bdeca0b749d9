//! SELECT for chunk i: the part of a sub-word load or store that byte
//! j = C−1−i of a word contributes. The chunk is x ‖ s with x the byte
//! and s = o + 4·v: o = s mod 4 the access's byte offset, v = (s ≫ 2) mod 8
//! which [`Selection`] the step makes (the bits above are ignored). Each
//! entry is α·x + β·msb(x) with α, β depending on (v, o, j) only, so the
//! chunks of a word add up to the selection (the lookups in
//! `lookups::select`). Halfword selections give 0 at odd offsets, which
//! the R1CS never lets a step use.
//!
//! MLE: Σ_{v,o} eq(s_v, v)·eq(s_o, o)·(α_{v,o,j}·Σ_k 2^(7−k)·x_k + β_{v,o,j}·x_0).

use super::{eq_integer, pack, split, Subtable};
use crate::lookups::{LookupParams, Selection};
use ark_ff::Field;

pub struct Select {
    pub chunk: usize,
}

/// (α, β) of byte `j` for selection `v` at offset `o`.
fn coefficients(v: Selection, o: u32, j: u32) -> (u64, u64) {
    let width = v.width();
    if width == 2 && o % 2 == 1 {
        return (0, 0);
    }
    // The byte's position inside the accessed value, if it is inside.
    let inside = (o..o + width).contains(&j).then(|| j - o);
    match v {
        Selection::LoadByteU | Selection::LoadHalfU => match inside {
            Some(k) => (1 << (8 * k), 0),
            None => (0, 0),
        },
        Selection::LoadByte | Selection::LoadHalf => match inside {
            // The top byte of the value carries the sign into bits 8·width..32.
            Some(k) if k == width - 1 => (1 << (8 * k), (1 << 32) - (1 << (8 * width))),
            Some(k) => (1 << (8 * k), 0),
            None => (0, 0),
        },
        Selection::ClearByte | Selection::ClearHalf => match inside {
            Some(_) => (0, 0),
            None => (1 << (8 * j), 0),
        },
        Selection::PlaceByte | Selection::PlaceHalf => {
            if j < width {
                (1 << (8 * (o + j)), 0)
            } else {
                (0, 0)
            }
        }
    }
}

impl Select {
    fn byte(&self, p: &LookupParams) -> u32 {
        (p.chunks - 1 - self.chunk) as u32
    }
}

impl Subtable for Select {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        let (x, s) = split(index, p);
        let (alpha, beta) = coefficients(Selection::of_code(s), (s % 4) as u32, self.byte(p));
        alpha * x + beta * (x >> 7)
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        let b = p.operand_chunk_bits() as usize;
        let (x, s) = r.split_at(b);
        let (s_v, s_o) = (&s[b - 5..b - 2], &s[b - 2..]);
        let (value, sign) = (pack::<F>(x), x[0]);
        let j = self.byte(p);
        Selection::ALL
            .iter()
            .map(|&v| {
                let at_offsets: F = (0..4u32)
                    .map(|o| {
                        let (alpha, beta) = coefficients(v, o, j);
                        if alpha == 0 && beta == 0 {
                            return F::zero();
                        }
                        eq_integer(s_o, o as u64) * (value * F::from(alpha) + sign * F::from(beta))
                    })
                    .sum();
                eq_integer(s_v, v as u64) * at_offsets
            })
            .sum()
    }
}
