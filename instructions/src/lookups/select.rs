//! Sub-word loads (LB, LBU, LH, LHU) and the two steps of sub-word stores
//! (place, merge) as one lookup each: chunk i is W_i ‖ s, the i-th byte of
//! a word W and s = o + 4·v, the byte offset o of the access and the
//! [`Selection`] v; g = Σ_i SELECT_i, degree 1. W is the RAM word the step
//! reads (rs2 for a place step), and the R1CS pins o as the low two bits of
//! rs1 + imm and v from the step's lookup flag (docs/lookups.md).

use super::{LookupInstruction, LookupParams, QueryForm};
use crate::subtables::SubtableId;
use ark_ff::Field;

/// What a select lookup makes of the word W at byte offset o.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selection {
    /// LBU: byte o, zero-extended.
    LoadByteU = 0,
    /// LHU: halfword o, zero-extended.
    LoadHalfU = 1,
    /// LB: byte o, sign-extended.
    LoadByte = 2,
    /// LH: halfword o, sign-extended.
    LoadHalf = 3,
    /// W with byte o cleared (SB's merge step).
    ClearByte = 4,
    /// W with halfword o cleared (SH's merge step).
    ClearHalf = 5,
    /// The low byte of W moved to byte o (SB's place step).
    PlaceByte = 6,
    /// The low halfword of W moved to byte o (SH's place step).
    PlaceHalf = 7,
}

impl Selection {
    pub const ALL: [Selection; 8] = [
        Selection::LoadByteU,
        Selection::LoadHalfU,
        Selection::LoadByte,
        Selection::LoadHalf,
        Selection::ClearByte,
        Selection::ClearHalf,
        Selection::PlaceByte,
        Selection::PlaceHalf,
    ];

    /// Bytes the access moves.
    pub fn width(self) -> u32 {
        1 + (self as u32 & 1)
    }

    /// The selection a chunk's right byte s names: bits 2..5.
    pub fn of_code(s: u64) -> Selection {
        Selection::ALL[((s >> 2) & 7) as usize]
    }

    /// The right byte of every chunk: o + 4·v.
    pub fn code(self, byte_offset: u32) -> u64 {
        (byte_offset % 4) as u64 + 4 * self as u64
    }
}

macro_rules! select_kinds {
    ($($kind:ident),*) => {$(
        pub struct $kind;

        impl LookupInstruction for $kind {
            fn query(&self) -> QueryForm {
                QueryForm::Select
            }
            fn reads(&self, p: &LookupParams) -> Vec<(SubtableId, usize)> {
                (0..p.chunks).map(|i| (SubtableId::Select(i), i)).collect()
            }
            fn combine<F: Field>(&self, values: &[F], _p: &LookupParams) -> F {
                values.iter().copied().sum()
            }
            fn degree(&self, _p: &LookupParams) -> usize {
                1
            }
        }
    )*};
}

select_kinds!(LoadByteU, LoadHalfU, LoadByte, LoadHalf, ClearByte, ClearHalf, PlaceByte, PlaceHalf);
