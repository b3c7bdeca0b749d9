//! SLL (also SLLI): every chunk carries x_i and the shift amount; each
//! SLL_i subtable shifts its chunk's bits in place, and the shifted chunks
//! cover disjoint bits: g = Σ_i SLL_i(x_i ‖ s), degree 1.

use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Sll;

impl LookupInstruction for Sll {
    fn query(&self) -> QueryForm {
        QueryForm::Shift
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        (0..p.chunks).map(|i| (SubtableId::Sll(i), i)).collect()
    }
    fn combine<F: Field>(&self, values: &[F], _p: &LookupParams) -> F {
        values.iter().copied().sum()
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
