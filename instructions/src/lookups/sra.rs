//! SRA (also SRAI): the logical shift, plus the top s bits filled with the
//! sign read from the most significant chunk (bits the logical shift left
//! zero): g = Σ_i SRL_i(x_i ‖ s) + SRA_SIGN(x_0 ‖ s), degree 1.

use super::srl::Srl;
use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

pub struct Sra;

impl LookupInstruction for Sra {
    fn query(&self) -> QueryForm {
        QueryForm::Shift
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads = Srl.reads(p);
        reads.push((SubtableId::SraSign, 0));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], _p: &LookupParams) -> F {
        values.iter().copied().sum()
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
