//! The Lasso witness: from one [`LookupRow`] per step, the committed
//! columns — read values E_m, read and final counts per chunk, one-hot
//! flags per kind, and the lookup output — all as small integers in the
//! narrowest type that holds them. The chunk indices dim_i are kept for the
//! prover (leaves, counts) but not committed: dim_i = 2^b·E_LEFT_ID,i +
//! E_RIGHT_ID,i.
//!
//! A row without a lookup (padding, FENCE) has every flag 0, output 0 and
//! every dim_i = 0; it still reads every memory at index 0, so the counts
//! stay consistent.

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use instructions::lookups::{LookupKind, LookupParams};
use instructions::subtables::SubtableId;
use rayon::prelude::*;
use std::collections::BTreeMap;

use super::layout::{entry_bits, LassoLayout};
use super::LassoColumn;
use crate::field::JoltField;
use crate::pcs::{Column, StepIndex, TableRead};
use crate::poly::PAR_THRESHOLD;
use crate::trace_length::TraceLength;

/// One step's lookup, decoupled from the tracer: the zkVM maps a trace step
/// to `kind = lookup_of(opcode)` and `(x, y) = lookup_operands(...)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LookupRow {
    /// `None`: the step performs no lookup (padding, FENCE).
    pub kind: Option<LookupKind>,
    pub x: u64,
    pub y: u64,
}

impl LookupRow {
    pub fn new(kind: LookupKind, x: u64, y: u64) -> Self {
        Self {
            kind: Some(kind),
            x,
            y,
        }
    }

    /// A step without a lookup.
    pub fn none() -> Self {
        Self {
            kind: None,
            x: 0,
            y: 0,
        }
    }
}

/// Why a witness cannot be built from the rows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LassoError {
    #[error(
        "lasso: {0} rows; the number of rows must be a power of two in [2, 2^29] (one per step)"
    )]
    RowCount(usize),
    #[error("lasso: unsupported parameters: {0}")]
    Params(crate::error::VerifyError),
    #[error("lasso: row {row}: {kind:?} has no decomposition at these parameters")]
    UnsupportedKind { row: usize, kind: LookupKind },
    #[error("lasso: row {row}: operand wider than {word_bits} bits")]
    OperandTooWide { row: usize, word_bits: u32 },
    /// A checked lookup (VIRTUAL_MUL_CHECKED, VIRTUAL_SUB_CHECKED) whose
    /// check fails: no honest run has one.
    #[error(
        "lasso: row {row}: {kind:?} returns a value wider than {word_bits} bits (a failed check)"
    )]
    OutputTooWide {
        row: usize,
        kind: LookupKind,
        word_bits: u32,
    },
}

/// A column of small values, stored at its committed width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmallColumn {
    Bits(Vec<bool>),
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl SmallColumn {
    /// A column of `len` values for entries of at most `bits` bits.
    fn with_width(bits: u32, values: impl IndexedParallelIterator<Item = u32>) -> Self {
        match bits {
            0 | 1 => SmallColumn::Bits(values.map(|v| v != 0).collect()),
            2..=8 => SmallColumn::U8(values.map(|v| v as u8).collect()),
            9..=16 => SmallColumn::U16(values.map(|v| v as u16).collect()),
            _ => SmallColumn::U32(values.collect()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            SmallColumn::Bits(v) => v.len(),
            SmallColumn::U8(v) => v.len(),
            SmallColumn::U16(v) => v.len(),
            SmallColumn::U32(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        match self {
            SmallColumn::Bits(v) => v[i] as u32,
            SmallColumn::U8(v) => v[i] as u32,
            SmallColumn::U16(v) => v[i] as u32,
            SmallColumn::U32(v) => v[i],
        }
    }

    /// Entry i as a field element, through the cheapest conversion.
    #[inline]
    pub fn field<F: JoltField>(&self, i: usize) -> F {
        match self {
            SmallColumn::Bits(v) => F::from_bool(v[i]),
            SmallColumn::U8(v) => F::from_u8(v[i]),
            SmallColumn::U16(v) => F::from_u16(v[i]),
            SmallColumn::U32(v) => F::from_u32(v[i]),
        }
    }

    /// Sets entry i; a value too wide for the column is truncated (for
    /// tests that tamper with the witness).
    pub fn set(&mut self, i: usize, value: u32) {
        match self {
            SmallColumn::Bits(v) => v[i] = value & 1 == 1,
            SmallColumn::U8(v) => v[i] = value as u8,
            SmallColumn::U16(v) => v[i] = value as u16,
            SmallColumn::U32(v) => v[i] = value,
        }
    }

    pub fn as_column<F: JoltField>(&self) -> Column<'_, F> {
        match self {
            SmallColumn::Bits(v) => Column::Bits(v),
            SmallColumn::U8(v) => Column::U8(v),
            SmallColumn::U16(v) => Column::U16(v),
            SmallColumn::U32(v) => Column::U32(v),
        }
    }
}

/// Every committed Lasso column for T steps. Fields are crate-visible so
/// that the malicious-prover harness ([`crate::testing::tamper`]) can
/// change single values; [`super::prove`] only requires the shapes
/// (lengths, numbers of columns) to stay as built.
#[derive(Clone, Debug)]
pub struct LassoWitness {
    pub(crate) layout: LassoLayout,
    /// dim_i[t]: chunk i's subtable index at step t.
    pub(crate) dims: Vec<Vec<u16>>,
    /// E_m[t] = T_m(dim_chunk(m)[t]), per memory.
    pub(crate) read_values: Vec<SmallColumn>,
    /// final_cts_i[a]: how often chunk i's memory was read at a, over all
    /// steps (M entries).
    pub(crate) final_cts: Vec<Vec<u32>>,
    /// flags[k][t] = [step t's lookup is `layout.kinds[k]`].
    pub(crate) flags: Vec<Vec<bool>>,
    /// The lookup output g(E) of each step (0 without a lookup).
    pub(crate) outputs: Vec<u32>,
    /// Every subtable some memory reads, materialized at its entries' width
    /// (public data, not committed: the prover's table fingerprints use
    /// it, and the read values' table-read hints).
    tables: BTreeMap<SubtableId, SmallColumn>,
}

impl LassoWitness {
    /// Builds the witness for `rows` (T = rows.len(), a power of two; the
    /// caller pads with [`LookupRow::none`]).
    pub fn new(rows: &[LookupRow], params: LookupParams) -> Result<Self, LassoError> {
        Self::build(rows, params, FailedCheck::Error)
    }

    /// The columns of `rows` as [`Self::new`] builds them, except that a
    /// checked lookup whose check fails gets the low word of its g as its
    /// output instead of an error: the witness a malicious prover would
    /// commit for a run that breaks a check (the harness's forger; the
    /// verifier must reject its proof).
    pub(crate) fn new_wrapping(
        rows: &[LookupRow],
        params: LookupParams,
    ) -> Result<Self, LassoError> {
        Self::build(rows, params, FailedCheck::Wrap)
    }

    fn build(
        rows: &[LookupRow],
        params: LookupParams,
        failed: FailedCheck,
    ) -> Result<Self, LassoError> {
        let t = rows.len();
        if !t.is_power_of_two() || TraceLength::padded(t).is_none_or(|l| l.t() != t) {
            return Err(LassoError::RowCount(t));
        }
        let layout = LassoLayout::new(params).map_err(LassoError::Params)?;
        let p = &layout.params;
        let word_limit = 1u64 << p.word_bits;
        // Position in `layout.kinds` of each row's kind.
        let positions: Vec<Option<usize>> = rows
            .iter()
            .enumerate()
            .map(|(row, r)| {
                if r.x >= word_limit || r.y >= word_limit {
                    return Err(LassoError::OperandTooWide {
                        row,
                        word_bits: p.word_bits,
                    });
                }
                r.kind
                    .map(|kind| {
                        layout
                            .kind_position(kind)
                            .ok_or(LassoError::UnsupportedKind { row, kind })
                    })
                    .transpose()
            })
            .collect::<Result<_, _>>()?;

        let dims = compute_dims(rows, p);
        let tables = materialize(&layout);
        let read_values: Vec<SmallColumn> = layout
            .memories
            .par_iter()
            .map(|&(table, chunk)| {
                let entries = &tables[&table];
                let dim = &dims[chunk];
                SmallColumn::with_width(
                    entry_bits(table, p),
                    dim.par_iter()
                        .with_min_len(PAR_THRESHOLD)
                        .map(|&d| entries[d as usize]),
                )
            })
            .collect();
        let final_cts: Vec<Vec<u32>> = dims
            .par_iter()
            .map(|dim| counts(dim, p.subtable_size()))
            .collect();
        let flags: Vec<Vec<bool>> = (0..layout.kinds.len())
            .into_par_iter()
            .map(|k| positions.iter().map(|&pos| pos == Some(k)).collect())
            .collect();
        let outputs = compute_outputs(&layout, &positions, &read_values, failed)?;
        let tables = tables
            .into_par_iter()
            .map(|(id, entries)| {
                let column = SmallColumn::with_width(entry_bits(id, p), entries.into_par_iter());
                (id, column)
            })
            .collect();
        Ok(Self {
            layout,
            dims,
            read_values,
            final_cts,
            flags,
            outputs,
            tables,
        })
    }

    /// Whether every column has the number and length [`Self::new`] gives
    /// it (values may differ: a tampered witness is still provable).
    pub fn has_consistent_shape(&self) -> bool {
        let (t, l) = (self.outputs.len(), &self.layout);
        let c = l.num_chunks();
        let m = l.params.subtable_size();
        t.is_power_of_two()
            && self.dims.len() == c
            && self.dims.iter().all(|d| d.len() == t)
            && self.read_values.len() == l.memories.len()
            && self.read_values.iter().all(|e| e.len() == t)
            && self.final_cts.len() == c
            && self.final_cts.iter().all(|f| f.len() == m)
            && self.flags.len() == l.kinds.len()
            && self.flags.iter().all(|f| f.len() == t)
    }

    /// The lookup layout the witness was built for.
    pub fn layout(&self) -> &LassoLayout {
        &self.layout
    }

    /// The entries of memory m's subtable.
    pub fn table(&self, m: usize) -> &SmallColumn {
        &self.tables[&self.layout.memories[m].0]
    }

    /// T (one lookup row per step).
    pub fn trace_length(&self) -> TraceLength {
        // Invariant: `new` accepts only valid trace lengths, and shapes
        // never change after it.
        TraceLength::from_log(self.outputs.len().trailing_zeros() as usize)
            .expect("built for a valid trace length")
    }

    /// Every committed column with its values at their narrowest width, in
    /// a fixed order: read values, final counts, flags,
    /// output. The operand reads, flags and output are shared with the
    /// R1CS; the chunk indices are not committed (the operand reads give
    /// them, see [`super::LassoLayout::operand_memories`]).
    pub fn columns<F: JoltField>(&self) -> Vec<(LassoColumn, Column<'_, F>)> {
        let mut columns = Vec::new();
        for (m, e) in self.read_values.iter().enumerate() {
            columns.push((LassoColumn::ReadValue(m), e.as_column()));
        }
        for (i, c) in self.final_cts.iter().enumerate() {
            columns.push((LassoColumn::FinalCount(i), Column::U32(c)));
        }
        for (k, f) in self.flags.iter().enumerate() {
            let column = LassoColumn::Flag(self.layout.kind_indices[k]);
            columns.push((column, Column::Bits(f)));
        }
        columns.push((LassoColumn::Output, Column::U32(&self.outputs)));
        columns
    }

    /// E_m as the read of memory m's subtable at its chunk's index (a
    /// commitment hint, [`crate::pcs::table_read`]); `None` for the other
    /// columns.
    pub fn table_read<F: JoltField>(&self, column: LassoColumn) -> Option<TableRead<'_, F>> {
        match column {
            LassoColumn::ReadValue(m) => {
                let &(_, chunk) = self.layout.memories.get(m)?;
                Some(TableRead {
                    index: StepIndex::U16(&self.dims[chunk]),
                    table: self.table(m).as_column(),
                })
            }
            _ => None,
        }
    }

    /// The column's values (for tests and for the caller's PCS prover).
    pub fn column<F: JoltField>(&self, column: LassoColumn) -> Option<Column<'_, F>> {
        match column {
            LassoColumn::ReadValue(m) => self.read_values.get(m).map(|e| e.as_column()),
            LassoColumn::FinalCount(i) => self.final_cts.get(i).map(|c| Column::U32(c)),
            LassoColumn::Flag(index) => {
                let k = self.layout.kind_indices.iter().position(|&x| x == index)?;
                Some(Column::Bits(&self.flags[k]))
            }
            LassoColumn::Output => Some(Column::U32(&self.outputs)),
        }
    }
}

/// dim_i[t] for every chunk: the query chunks of the row's kind, or 0.
fn compute_dims(rows: &[LookupRow], p: &LookupParams) -> Vec<Vec<u16>> {
    let per_row: Vec<Vec<u64>> = rows
        .par_iter()
        .with_min_len(PAR_THRESHOLD)
        .map(|r| match r.kind {
            Some(kind) => kind.query().chunks(r.x, r.y, p),
            None => vec![0; p.chunks],
        })
        .collect();
    (0..p.chunks)
        .into_par_iter()
        // Chunks are below 2^log_m ≤ 2^16 (checked by the layout).
        .map(|i| per_row.iter().map(|c| c[i] as u16).collect())
        .collect()
}

/// Each subtable read by some memory, materialized once (entries fit u32:
/// word size ≤ 32, checked by the layout).
fn materialize(layout: &LassoLayout) -> BTreeMap<SubtableId, Vec<u32>> {
    let mut ids: Vec<SubtableId> = layout.memories.iter().map(|&(t, _)| t).collect();
    ids.sort();
    ids.dedup();
    ids.into_par_iter()
        .map(|id| {
            let entries = id.materialize(&layout.params);
            (id, entries.into_iter().map(|v| v as u32).collect())
        })
        .collect()
}

/// How often each of the m cells of one chunk memory is read.
fn counts(dim: &[u16], m: usize) -> Vec<u32> {
    let mut final_cts = vec![0u32; m];
    for &d in dim {
        final_cts[d as usize] += 1;
    }
    final_cts
}

/// What an output of 2^W or more (a checked lookup whose check failed)
/// becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FailedCheck {
    Error,
    Wrap,
}

/// g of each row's kind on its read values, as an integer: with the
/// integer affine form where there is one, else evaluated in the field
/// (g's definition) and converted back, since its value is a word.
fn compute_outputs(
    layout: &LassoLayout,
    positions: &[Option<usize>],
    read_values: &[SmallColumn],
    failed: FailedCheck,
) -> Result<Vec<u32>, LassoError> {
    positions
        .par_iter()
        .with_min_len(PAR_THRESHOLD)
        .enumerate()
        .map(|(t, pos)| {
            let Some(k) = *pos else { return Ok(0) };
            let reads = &layout.kind_reads[k];
            let out: u64 = match &layout.affine_g[k] {
                Some(affine) => {
                    let v = affine.evaluate(reads.iter().map(|&m| read_values[m].get(t) as u64));
                    // Out-of-range values are caught by the check below.
                    u64::try_from(v).unwrap_or(u64::MAX)
                }
                None => {
                    let values: Vec<Fr> = reads
                        .iter()
                        .map(|&m| Fr::from(read_values[m].get(t) as u64))
                        .collect();
                    let big = layout.kinds[k]
                        .combine(&values, &layout.params)
                        .into_bigint();
                    if big.num_bits() <= 64 {
                        big.as_ref()[0]
                    } else {
                        u64::MAX
                    }
                }
            };
            // Every g returns a word on honest operands (the instructions
            // crate tests this exhaustively); the checked lookups return
            // more exactly when their check fails.
            if out >= 1 << layout.params.word_bits {
                if failed == FailedCheck::Wrap {
                    return Ok((out & ((1u64 << layout.params.word_bits) - 1)) as u32);
                }
                return Err(LassoError::OutputTooWide {
                    row: t,
                    kind: layout.kinds[k],
                    word_bits: layout.params.word_bits,
                });
            }
            Ok(out as u32)
        })
        .collect()
}
