//! VIRTUAL_SUB_CHECKED: x − y when y ≤ x, and a value of 2^W or more when
//! y > x. The query z = x + 2^W − y lies in [0, 2^(W+1)) and its bit W is
//! [y ≤ x]: the chunk C/2 − 1 (bits W..W + 2b) is that bit. g = low word of
//! z + 2^W·(1 − z_(C/2−1)), degree 1. As for VIRTUAL_MUL_CHECKED, an honest
//! run never borrows, and the only reader of rd (the remainder assertion)
//! cannot take a value of 2^W or more as a word.

use super::{pack_query_chunks, query_chunk_reads, LookupInstruction, LookupParams, QueryForm};
use crate::subtables::{pow2, SubtableId};
use ark_ff::Field;

pub struct SubChecked;

impl LookupInstruction for SubChecked {
    fn query(&self) -> QueryForm {
        QueryForm::Difference
    }
    fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
        // The chunk holding bit W, then the low word's chunks.
        query_chunk_reads(p.chunks / 2 - 1..p.chunks)
    }
    fn combine<F: Field>(&self, values: &[F], p: &LookupParams) -> F {
        let (borrow_chunk, low) = values.split_at(2);
        let no_borrow = borrow_chunk[0] * pow2::<F>(p.operand_chunk_bits()) + borrow_chunk[1];
        pack_query_chunks(low, p.chunks / 2..p.chunks, p)
            + (F::one() - no_borrow) * pow2::<F>(p.word_bits)
    }
    fn degree(&self, _p: &LookupParams) -> usize {
        1
    }
}
