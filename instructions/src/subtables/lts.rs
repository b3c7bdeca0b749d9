//! LTS: T[x ‖ y] = [x < y] with x, y read as b-bit two's-complement
//! numbers. Used on the most significant chunk, where the sign bits sit.
//! A negative x beats a non-negative y; equal signs compare the rest
//! unsigned: MLE = x_0·(1 − y_0) + eq(x_0, y_0)·LTU(x_1.., y_1..).

use super::eq::bit_eq;
use super::ltu::ltu_bits;
use super::{split, Subtable};
use crate::lookups::LookupParams;
use crate::semantics::to_signed;
use ark_ff::Field;

pub struct Lts;

impl Subtable for Lts {
    fn entry(&self, index: u64, p: &LookupParams) -> u64 {
        let (x, y) = split(index, p);
        let b = p.operand_chunk_bits();
        (to_signed(x, b) < to_signed(y, b)) as u64
    }

    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F {
        let (x, y) = r.split_at(p.operand_chunk_bits() as usize);
        x[0] * (F::one() - y[0]) + bit_eq(x[0], y[0]) * ltu_bits(&x[1..], &y[1..])
    }
}
