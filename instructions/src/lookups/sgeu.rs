//! BGEU: x ≥ y unsigned, g = 1 − SLTU's g. Degree C.

use super::sltu::Sltu;
use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Sgeu;

impl LookupInstruction for Sgeu {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        Sltu.reads(p)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        F::one() - Sltu.combine(values, p)
    }
    fn degree(&self, p: &LookupParams) -> usize {
        Sltu.degree(p)
    }
}
