//! SRL (also SRLI): g = Σ_i SRL_i(x_i ‖ s), the chunks shifted right in
//! place (disjoint bits), degree 1.

use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Srl;

impl LookupInstruction for Srl {
    fn query(&self) -> QueryForm {
        QueryForm::Shift
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        (0..p.chunks).map(|i| (SubtableId::Srl(i), i)).collect()
    }
    fn combine<F: Field>(&self, values: &[F], _p: &LookupParams) -> F {
        values.iter().copied().sum()
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
