//! VIRTUAL_MULH_BIASED and VIRTUAL_MULHSU_BIASED: the signed high words
//! of MULH and MULHSU from one product. Their sequences flip the sign bit
//! of each signed operand first (offset binary: the word x stands for
//! x_s = x − 2^(W−1)), so the R1CS can compute the signed product from the
//! words alone, and moves it up by 2^(2W−1) to make it a non-negative
//! query: z = x_s·y_s + 2^(2W−1) (MULH) or z = x_s·y + 2^(2W−1) (MULHSU,
//! y unsigned), both in [0, 2^(2W)). Since 2^(2W−1) is 2^(W−1) words, the
//! high word of z is the signed high word plus 2^(W−1) mod 2^W: MULHU's g
//! with the top bit flipped, g = MULHU(z) + 2^(W−1)·(1 − 2·LEFT_MSB(z_0)).
//! Degree 1.

use super::{mulhu::Mulhu, query_chunk_reads, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::{pow2, SubtableId};
use ark_ff::Field;

fn reads(p: &LookupParams) -> Vec<(SubtableId, usize)> {
    let mut reads = query_chunk_reads(0..p.chunks / 2);
    reads.push((SubtableId::LeftMsb, 0));
    reads
}

fn combine<F: Field>(values: &[F], p: &LookupParams) -> F {
    let (high, msb) = values.split_at(p.chunks);
    Mulhu.combine(high, p) + pow2::<F>(p.word_bits - 1) * (F::one() - msb[0].double())
}

pub struct MulhBiased;

impl LookupInstruction for MulhBiased {
    fn query(&self) -> QueryForm {
        QueryForm::SignedProduct
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        reads(p)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        combine(values, p)
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}

pub struct MulhsuBiased;

impl LookupInstruction for MulhsuBiased {
    fn query(&self) -> QueryForm {
        QueryForm::MixedProduct
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        reads(p)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        combine(values, p)
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
