//! Columns that read a public table at per-step indices, as a hint to the
//! commitment kernel.
//!
//! Many witness columns are a table read: Lasso's read value E_m\[t] is
//! subtable m's entry at the step's chunk index, and every bytecode field
//! of step t is that field of the bytecode row the step reads. For such a
//! column,
//!
//!   Σ_t table\[index\[t]]·G_t = Σ_a table\[a]·B_a,  B_a = Σ_{t: index\[t] = a} G_t,
//!
//! so one pass over the steps (the bucket sums B_a, shared by every column
//! read at the same index) leaves one small MSM over the rows read per
//! column, instead of one MSM over all T steps per column.
//!
//! A hint never changes what is committed: the kernel checks that the
//! column equals the table read at every step ([`TableRead::holds_for`])
//! and commits the column directly when it does not (a tampered witness
//! in the tests), so the commitment is always the column's own. Nothing
//! here is part of the protocol; the verifier never sees a hint.

use super::Column;
use crate::field::JoltField;
use crate::poly::PAR_THRESHOLD;
use rayon::prelude::*;

/// The table row each step reads.
#[derive(Clone, Copy, Debug)]
pub enum StepIndex<'a> {
    U16(&'a [u16]),
    U32(&'a [u32]),
}

impl StepIndex<'_> {
    pub fn len(&self) -> usize {
        match self {
            StepIndex::U16(v) => v.len(),
            StepIndex::U32(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get(&self, t: usize) -> usize {
        match self {
            StepIndex::U16(v) => v[t] as usize,
            StepIndex::U32(v) => v[t] as usize,
        }
    }

    /// Identifies the index slice, so that columns read at the same index
    /// share its bucket sums.
    pub(crate) fn key(&self) -> (u8, usize, usize) {
        match self {
            StepIndex::U16(v) => (16, v.as_ptr() as usize, v.len()),
            StepIndex::U32(v) => (32, v.as_ptr() as usize, v.len()),
        }
    }
}

/// "column\[t] = table\[index\[t]] for every step t" (a claim of the
/// witness builder, checked before it is used).
#[derive(Clone, Copy, Debug)]
pub struct TableRead<'a, F> {
    pub index: StepIndex<'a>,
    pub table: Column<'a, F>,
}

impl<F: JoltField> TableRead<'_, F> {
    /// Whether `column` is this table read at every step: same length as
    /// the index, every index inside the table, every value equal.
    pub fn holds_for(&self, column: &Column<'_, F>) -> bool {
        if column.len() != self.index.len() {
            return false;
        }
        // Columns and their tables are built at the same width: compare
        // those as plain slices, one loop per type.
        macro_rules! same_width {
            ($($variant:ident),*) => {
                match (column, &self.table) {
                    $((Column::$variant(c), Column::$variant(table)) => {
                        return match self.index {
                            StepIndex::U16(index) => reads_match(c, table, index),
                            StepIndex::U32(index) => reads_match(c, table, index),
                        };
                    })*
                    _ => {}
                }
            };
        }
        same_width!(Bits, U8, U16, U32, U64, I64, Field);
        let table_len = self.table.len();
        let matches = |t: usize| {
            let a = self.index.get(t);
            a < table_len && same_entry(column, t, &self.table, a)
        };
        (0..column.len())
            .into_par_iter()
            .with_min_len(PAR_THRESHOLD)
            .all(matches)
    }
}

/// column\[t] = table\[index\[t]] for every t (equal lengths of column and
/// index checked by the caller).
fn reads_match<T, I>(column: &[T], table: &[T], index: &[I]) -> bool
where
    T: PartialEq + Sync,
    I: Copy + Into<u64> + Sync,
{
    column
        .par_iter()
        .zip(index.par_iter())
        .with_min_len(PAR_THRESHOLD)
        .all(|(v, &a)| table.get(a.into() as usize) == Some(v))
}

/// Whether entry i of `x` and entry j of `y` are the same value, compared
/// as integers where both are small (no field conversion per entry).
#[inline]
fn same_entry<F: JoltField>(x: &Column<'_, F>, i: usize, y: &Column<'_, F>, j: usize) -> bool {
    match (small_entry(x, i), small_entry(y, j)) {
        (Some(a), Some(b)) => a == b,
        _ => x.value(i) == y.value(j),
    }
}

#[inline]
fn small_entry<F>(column: &Column<'_, F>, i: usize) -> Option<i128> {
    Some(match column {
        Column::Bits(v) => v[i] as i128,
        Column::U8(v) => v[i] as i128,
        Column::U16(v) => v[i] as i128,
        Column::U32(v) => v[i] as i128,
        Column::U64(v) => v[i] as i128,
        Column::I64(v) => v[i] as i128,
        Column::Field(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;

    #[test]
    fn holds_only_for_the_exact_table_read() {
        let table: Vec<u8> = vec![5, 0, 7, 9];
        let index: Vec<u16> = vec![2, 2, 0, 3, 1];
        let read = TableRead::<Fr> {
            index: StepIndex::U16(&index),
            table: Column::U8(&table),
        };
        let column: Vec<u32> = index.iter().map(|&a| table[a as usize] as u32).collect();
        assert!(read.holds_for(&Column::U32(&column)));
        // Other widths and field columns of the same values agree.
        let field: Vec<Fr> = column.iter().map(|&v| Fr::from(v)).collect();
        assert!(read.holds_for(&Column::Field(&field)));

        let mut changed = column.clone();
        changed[3] += 1;
        assert!(!read.holds_for(&Column::U32(&changed)));
        assert!(!read.holds_for(&Column::U32(&column[..4])));
        // The same width as the table: the plain-slice comparison.
        let mut same: Vec<u8> = index.iter().map(|&a| table[a as usize]).collect();
        assert!(read.holds_for(&Column::U8(&same)));
        same[0] ^= 1;
        assert!(!read.holds_for(&Column::U8(&same)));
        // An index past the table's end is no read of it.
        let past = vec![4u16; 5];
        let zeros = vec![0u32; 5];
        let outside = TableRead::<Fr> {
            index: StepIndex::U16(&past),
            table: Column::U8(&table),
        };
        assert!(!outside.holds_for(&Column::U32(&zeros)));
        assert!(!outside.holds_for(&Column::U8(&[0u8; 5])));
    }
}
