//! VIRTUAL_ABS: |x| of x as a signed word. Query (x, 0); with x packed from
//! its LEFT_ID bytes and s = LEFT_MSB(x_0 ‖ 0) the sign: g = x + s·(2^W −
//! 2x), degree 2 (|−2^(W−1)| = 2^(W−1) is a word).

use super::{pack_operand_chunks, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::{pow2, SubtableId};
use ark_ff::Field;

pub struct Abs;

impl LookupInstruction for Abs {
    fn query(&self) -> QueryForm {
        QueryForm::Interleaved
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        let mut reads = vec![(SubtableId::LeftMsb, 0)];
        reads.extend((0..p.chunks).map(|i| (SubtableId::LeftId, i)));
        reads
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let x = pack_operand_chunks(&values[1..], p);
        x + values[0] * (pow2::<F>(p.word_bits) - x.double())
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        2
    }
}
