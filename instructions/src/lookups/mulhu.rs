//! MULHU: z = x·y < 2^(2W); the result is the high word, chunks 0..C/2,
//! each moved down by W bits: g = Σ_{i < C/2} ID(z_i) · 2^(2b·(C/2−1−i)).
//! Degree 1: MULHU is one lookup, and MULH/MULHSU build on it.

use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::{pow2, SubtableId};
use ark_ff::Field;

pub struct Mulhu;

impl LookupInstruction for Mulhu {
    fn query(&self) -> QueryForm {
        QueryForm::Product
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        (0..p.chunks / 2)
            .map(|i| (SubtableId::Identity, i))
            .collect()
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let high = p.chunks / 2;
        values
            .iter()
            .enumerate()
            .map(|(i, v)| *v * pow2::<F>(p.log_m() as u32 * (high - 1 - i) as u32))
            .sum()
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
