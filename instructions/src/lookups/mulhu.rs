//! MULHU: z = x·y < 2^(2W); the result is the high word, chunks 0..C/2,
//! each moved down by W bits: g = Σ_{i < C/2} z_i · 2^(2b·(C/2−1−i)), each
//! chunk z_i = 2^b·LEFT_ID_i + RIGHT_ID_i from its two halves.
//! Degree 1: MULHU is one lookup, and MULH/MULHSU build on it.

use super::{query_chunk_reads, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::{pow2, SubtableId};
use ark_ff::Field;

pub struct Mulhu;

impl LookupInstruction for Mulhu {
    fn query(&self) -> QueryForm {
        QueryForm::Product
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        query_chunk_reads(0..p.chunks / 2)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let high = p.chunks / 2;
        let half = pow2::<F>(p.operand_chunk_bits());
        values
            .chunks_exact(2)
            .enumerate()
            .map(|(i, pair)| {
                (pair[0] * half + pair[1]) * pow2::<F>(p.log_m() as u32 * (high - 1 - i) as u32)
            })
            .sum()
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
