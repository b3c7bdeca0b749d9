//! JALR's target: (x + y) mod 2^W with bit 0 cleared. The ADD result
//! minus its lowest bit: g = ADD's g − LSB(z_(C−1)), degree 1.

use super::add::Add;
use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct JalrTarget;

impl LookupInstruction for JalrTarget {
    fn query(&self) -> QueryForm {
        QueryForm::Sum
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads = Add.reads(p);
        reads.push((SubtableId::Lsb, p.chunks - 1));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let (sum, lsb) = values.split_at(values.len() - 1);
        Add.combine(sum, p) - lsb[0]
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
