//! The bytecode as a read-only memory: every step reads the row of the
//! instruction it executes, and a logUp check proves each per-step tuple
//! is a row of the preprocessed table.
//!
//! **Rows.** Row 0 is the padding row ([`BytecodeRow::noop`]); then, for
//! every code segment in address order and every word that decodes to an
//! instruction the machine can execute, its row — or, for an instruction
//! with a virtual sequence, one row per step of the sequence, consecutive.
//! Words that do not decode and ECALL/EBREAK (which the tracer rejects) get
//! no row, so no proof can execute them. The table is padded to K = 2^k
//! rows with copies of the padding row.
//!
//! **Fields.** (address = row index, pc, rd, rs1, rs2, imm as a 32-bit
//! word, sequence_remaining, then every flag as a field of its own: the 15
//! circuit flags and the 36 lookup flags, the bits of
//! `instructions::flags::packed_flags`). Because each flag column a step
//! reads must equal its row's bit, the flags are bits and the lookup flags
//! one-hot (or all zero) without any constraint of the R1CS. Register
//! fields are normalized so the read-write memory can use them as
//! addresses as they are: rs1/rs2 are x0
//! when the instruction does not read them, rd is the sink register
//! ([`SINK_REGISTER`]) when it writes x0 or nothing.
//!
//! **Memory checking (logUp).** Tuples (address, the 56 fields) with the
//! shared fingerprint ([`crate::subprotocols::multiset`]), h = a +
//! Σ_j γ^j·f_j − τ, and final_count_i the number of steps that read row i:
//!   Σ_t 1/h(read_t) = Σ_i final_count_i/h(i, row_i)
//! holds (as rational functions in τ, T < p) only if every read tuple is
//! a row of the table, so for τ drawn after the commitments only then,
//! except with negligible probability. The two sums are fraction sums of
//! the layered circuit, the reads' numerators all 1; no per-step read
//! count is committed. The verifier evaluates the rows' fingerprints
//! itself from the table (O(K)); the table's numerator claim is the
//! opening claim on `FinalCount`.
//!
//! Transcript, in order: `bytecode statement` (log2 T, log2 K), `bytecode
//! gamma`, `bytecode tau`; the read-write memory's statement and
//! fingerprints; the memories' one layered circuit ([`super::prove`]; the
//! bytecode's fraction sums there: the table, K leaves; the reads, T
//! leaves); `bytecode evals`.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use instructions::flags::{
    noop_flags, packed_flags, CircuitFlag, SequencePosition, NUM_CIRCUIT_FLAGS,
};
use instructions::lookups::LookupKind;
use instructions::virtual_sequences::expand;
use instructions::{Instruction, Opcode};

use super::layout::SINK_REGISTER;
use super::MemoryColumn;
use crate::error::VerifyError;
use crate::field::JoltField;
use crate::field::ProductSum;
use crate::opening::OpeningClaim;
use crate::pcs::{Column, StepIndex, TableRead};
use crate::poly::{EqPolynomial, IdentityPolynomial, PAR_THRESHOLD};
use crate::subprotocols::multiset::FractionClaim;
use crate::subprotocols::multiset::{
    build_leaves, Fingerprint, LookupLeaves, LookupShape, Lookups,
};
use crate::trace_length::TraceLength;
use crate::tracer::Program;
use crate::transcript::Transcript;
use rayon::prelude::*;

pub const PROTOCOL: &str = "bytecode memory checking";

/// A bytecode column. `FinalCount` has K entries, the others one per step
/// (T). The lookup flags are Lasso's columns: bytecode checking reads them
/// as fields of the row but does not commit them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BytecodeColumn {
    /// The row read (u32).
    Address,
    /// The instruction's address in the ELF (u32; 0 for the padding row).
    Pc,
    /// Normalized rd (u8): the register the step writes, or the sink.
    Rd,
    /// Normalized rs1 (u8).
    Rs1,
    /// Normalized rs2 (u8).
    Rs2,
    /// The immediate as a 32-bit two's-complement word (u32).
    Imm,
    /// Steps after this one in its virtual sequence; 0 otherwise (u16).
    SequenceRemaining,
    /// One circuit flag of the row (bits).
    CircuitFlag(CircuitFlag),
    /// The row's flag for `LookupKind::ALL[k]` (bits; committed by Lasso).
    LookupFlag(usize),
    /// How many steps read each row (u32, K entries): the multiplicities
    /// of the logUp check.
    FinalCount,
}

/// Flags per row: the circuit flags, then one per lookup kind (the bits of
/// `instructions::flags::packed_flags`).
pub const NUM_FLAGS: usize = NUM_CIRCUIT_FLAGS + NUM_LOOKUP_KINDS;
const NUM_LOOKUP_KINDS: usize = LookupKind::ALL.len();

/// Row fields after the address that are not flags: pc, rd, rs1, rs2, imm,
/// sequence_remaining (γ^1 … γ^6); then the flags (γ^7 …); the count last.
const NUM_WORD_FIELDS: usize = 6;
const NUM_ROW_FIELDS: usize = NUM_WORD_FIELDS + NUM_FLAGS;

impl BytecodeColumn {
    /// The flag of bit `b` of a packed flags word.
    pub fn flag(b: usize) -> BytecodeColumn {
        if b < NUM_CIRCUIT_FLAGS {
            BytecodeColumn::CircuitFlag(CircuitFlag::ALL[b])
        } else {
            BytecodeColumn::LookupFlag(b - NUM_CIRCUIT_FLAGS)
        }
    }

    /// The per-step columns in fingerprint order: address, the word
    /// fields, the flags (by bit).
    pub fn per_step() -> Vec<BytecodeColumn> {
        let mut all = vec![BytecodeColumn::Address];
        all.extend(WORD_COLUMNS);
        all.extend((0..NUM_FLAGS).map(BytecodeColumn::flag));
        all
    }

    /// Whether bytecode checking commits this column (the lookup flags are
    /// Lasso's).
    pub fn is_committed(&self) -> bool {
        !matches!(self, BytecodeColumn::LookupFlag(_))
    }
}

/// One row of the bytecode table (its address is its index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BytecodeRow {
    pub pc: u32,
    pub flags: u64,
    pub rd: u8,
    pub rs1: u8,
    pub rs2: u8,
    pub imm: u32,
    pub sequence_remaining: u16,
}

impl BytecodeRow {
    /// The padding row: the `NoOp` flag alone, reads x0 twice, writes the
    /// sink. Padding steps read it.
    pub fn noop() -> Self {
        BytecodeRow {
            pc: 0,
            flags: noop_flags(),
            rd: SINK_REGISTER,
            rs1: 0,
            rs2: 0,
            imm: 0,
            sequence_remaining: 0,
        }
    }

    /// The row of (real or virtual) instruction `inst` at `pc`.
    pub fn new(inst: &Instruction, pc: u32, position: Option<SequencePosition>) -> Self {
        let op = inst.opcode;
        BytecodeRow {
            pc,
            flags: packed_flags(inst, position),
            rd: if op.writes_rd() && inst.rd != 0 {
                inst.rd
            } else {
                SINK_REGISTER
            },
            rs1: if op.reads_rs1() { inst.rs1 } else { 0 },
            rs2: if op.reads_rs2() { inst.rs2 } else { 0 },
            imm: inst.imm as u32,
            sequence_remaining: position.map_or(0, |p| p.remaining),
        }
    }

    /// The fields after the address that are words, in fingerprint order
    /// (γ^1 … γ^6); the flags follow as the bits of `flags`.
    pub fn word_fields(&self) -> [u64; NUM_WORD_FIELDS] {
        [
            self.pc as u64,
            self.rd as u64,
            self.rs1 as u64,
            self.rs2 as u64,
            self.imm as u64,
            self.sequence_remaining as u64,
        ]
    }
}

/// Where a code word's rows start, and its sequence length (0: a single
/// row, no sequence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WordRows {
    first: u32,
    sequence_len: u16,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct SegmentRows {
    start: u32,
    words: Vec<Option<WordRows>>,
}

/// The preprocessed bytecode table: part of the verifier key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BytecodeTable {
    /// K rows (padded with [`BytecodeRow::noop`]).
    rows: Vec<BytecodeRow>,
    segments: Vec<SegmentRows>,
}

impl BytecodeTable {
    pub fn new(program: &Program) -> Self {
        let mut rows = vec![BytecodeRow::noop()];
        let mut segments = Vec::with_capacity(program.code.len());
        for code in &program.code {
            let mut words = Vec::with_capacity(code.instructions.len());
            for (i, decoded) in code.instructions.iter().enumerate() {
                let pc = code.start + 4 * i as u32;
                let inst = match decoded {
                    Ok(inst) if !matches!(inst.opcode, Opcode::Ecall | Opcode::Ebreak) => inst,
                    _ => {
                        words.push(None);
                        continue;
                    }
                };
                let first = rows.len() as u32;
                match expand(inst) {
                    None => {
                        rows.push(BytecodeRow::new(inst, pc, None));
                        words.push(Some(WordRows {
                            first,
                            sequence_len: 0,
                        }));
                    }
                    Some(sequence) => {
                        let len = sequence.len() as u16;
                        for (k, step) in sequence.iter().enumerate() {
                            let position = SequencePosition {
                                index: k as u16,
                                remaining: len - 1 - k as u16,
                            };
                            rows.push(BytecodeRow::new(step, pc, Some(position)));
                        }
                        words.push(Some(WordRows {
                            first,
                            sequence_len: len,
                        }));
                    }
                }
            }
            segments.push(SegmentRows {
                start: code.start,
                words,
            });
        }
        rows.resize(rows.len().next_power_of_two(), BytecodeRow::noop());
        BytecodeTable { rows, segments }
    }

    /// All K rows.
    pub fn rows(&self) -> &[BytecodeRow] {
        &self.rows
    }

    /// log2 K.
    pub fn num_vars(&self) -> usize {
        self.rows.len().trailing_zeros() as usize
    }

    /// The row an instruction at `pc` starts at (the first row of its
    /// virtual sequence if it has one): where a run or a segment entering
    /// at `pc` must begin.
    pub fn entry_row(&self, pc: u32) -> Option<usize> {
        self.row_of(pc, None).map(|(row, _)| row).or_else(|| {
            let (row, position) = self.row_of(pc, Some(0))?;
            // `remaining` 0 is the last row; the first is `index` rows up.
            Some(row - position.map_or(0, |p| p.index as usize))
        })
    }

    /// The row a step at `pc` with `virtual_sequence_remaining` executes,
    /// and its position in the sequence.
    pub fn row_of(
        &self,
        pc: u32,
        sequence_remaining: Option<u16>,
    ) -> Option<(usize, Option<SequencePosition>)> {
        let segment = self.segments.iter().find(|s| {
            pc >= s.start && pc.is_multiple_of(4) && (((pc - s.start) / 4) as usize) < s.words.len()
        })?;
        let word = segment.words[((pc - segment.start) / 4) as usize]?;
        match (sequence_remaining, word.sequence_len) {
            (None, 0) => Some((word.first as usize, None)),
            (Some(remaining), len) if remaining < len => {
                let index = len - 1 - remaining;
                Some((
                    (word.first + index as u32) as usize,
                    Some(SequencePosition { index, remaining }),
                ))
            }
            _ => None,
        }
    }

    /// Σ_i eq(r, i)·h(i, row_i, 0): the Init fingerprint polynomial at r,
    /// in O(K) (the verifier evaluates it itself). Word fields are summed
    /// unreduced (`ProductSum`, one reduction per field), flags cost
    /// additions, and large tables split across threads.
    fn rows_fingerprint_eval<F: JoltField>(&self, r: &[F], fp: &Fingerprint<F>) -> F {
        let eq = EqPolynomial::new(r.to_vec()).evals();
        let sums = |(eq, rows): (&[F], &[BytecodeRow])| {
            let mut words = [F::ProductSum::default(); NUM_WORD_FIELDS];
            let mut fields = [F::zero(); NUM_ROW_FIELDS];
            for (e, row) in eq.iter().zip(rows) {
                for (acc, value) in words.iter_mut().zip(row.word_fields()) {
                    acc.add_product(e, value);
                }
                let mut bits = row.flags;
                while bits != 0 {
                    fields[NUM_WORD_FIELDS + bits.trailing_zeros() as usize] += e;
                    bits &= bits - 1;
                }
            }
            for (field, word) in fields.iter_mut().zip(&words) {
                *field = word.reduce();
            }
            fields
        };
        let rows = &self.rows[..self.rows.len().min(eq.len())];
        let eq = &eq[..rows.len()];
        let fields = if rows.len() < PAR_THRESHOLD {
            sums((eq, rows))
        } else {
            eq.par_chunks(PAR_THRESHOLD)
                .zip(rows.par_chunks(PAR_THRESHOLD))
                .map(sums)
                .reduce(
                    || [F::zero(); NUM_ROW_FIELDS],
                    |mut a, b| {
                        a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                        a
                    },
                )
        };
        // Σ_i eq(r, i) = 1, so the −τ of every row sums to −τ.
        fp.hash(
            IdentityPolynomial::new(r.len()).evaluate(r),
            &fields,
            F::zero(),
        )
    }
}

/// The per-step bytecode reads (T entries) and the rows' read counts
/// (`final_count`, K entries). `flags` is the row's packed flags word (not
/// committed); `flag_bits` its bits, one column per flag. The same struct
/// also holds the table itself ([`BytecodeWitness::of_rows`]: K entries
/// per field, no counts), which is never proven and only serves as the
/// tables of the commitment's table-read hints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BytecodeWitness {
    pub address: Vec<u32>,
    pub pc: Vec<u32>,
    pub flags: Vec<u64>,
    pub flag_bits: Vec<Vec<bool>>,
    pub rd: Vec<u8>,
    pub rs1: Vec<u8>,
    pub rs2: Vec<u8>,
    pub imm: Vec<u32>,
    pub sequence_remaining: Vec<u16>,
    pub final_count: Vec<u32>,
}

impl BytecodeWitness {
    /// T.
    pub fn trace_length(&self) -> TraceLength {
        // Invariant: witnesses are built for a TraceLength (has_shape
        // checks the columns still have it).
        TraceLength::from_log(self.address.len().trailing_zeros() as usize)
            .expect("a witness of a valid trace length")
    }

    /// One committed column at its width.
    pub fn column<F>(&self, column: BytecodeColumn) -> Column<'_, F> {
        match column {
            BytecodeColumn::Address => Column::U32(&self.address),
            BytecodeColumn::Pc => Column::U32(&self.pc),
            BytecodeColumn::CircuitFlag(f) => Column::Bits(&self.flag_bits[f as usize]),
            BytecodeColumn::LookupFlag(k) => Column::Bits(&self.flag_bits[NUM_CIRCUIT_FLAGS + k]),
            BytecodeColumn::Rd => Column::U8(&self.rd),
            BytecodeColumn::Rs1 => Column::U8(&self.rs1),
            BytecodeColumn::Rs2 => Column::U8(&self.rs2),
            BytecodeColumn::Imm => Column::U32(&self.imm),
            BytecodeColumn::SequenceRemaining => Column::U16(&self.sequence_remaining),
            BytecodeColumn::FinalCount => Column::U32(&self.final_count),
        }
    }

    /// The table itself in column form, as if step a read row a: the
    /// tables that the per-step bytecode columns read (the commitment's
    /// table-read hints, [`crate::pcs::table_read`]). No read counts.
    pub fn of_rows(rows: &[BytecodeRow]) -> Self {
        let field = |f: fn(&BytecodeRow) -> u32| rows.iter().map(f).collect::<Vec<u32>>();
        let flags: Vec<u64> = rows.iter().map(|r| r.flags).collect();
        BytecodeWitness {
            address: (0..rows.len() as u32).collect(),
            pc: field(|r| r.pc),
            flag_bits: Self::unpack(&flags),
            flags,
            rd: rows.iter().map(|r| r.rd).collect(),
            rs1: rows.iter().map(|r| r.rs1).collect(),
            rs2: rows.iter().map(|r| r.rs2).collect(),
            imm: field(|r| r.imm),
            sequence_remaining: rows.iter().map(|r| r.sequence_remaining).collect(),
            final_count: Vec::new(),
        }
    }

    /// Column `column` as a read of `rows` (built by [`Self::of_rows`]) at
    /// the step's row, for every column that is a field of the row.
    pub fn table_read<'a, F>(
        &'a self,
        rows: &'a BytecodeWitness,
        column: BytecodeColumn,
    ) -> Option<TableRead<'a, F>> {
        match column {
            BytecodeColumn::FinalCount => None,
            _ => Some(TableRead {
                index: StepIndex::U32(&self.address),
                table: rows.column(column),
            }),
        }
    }

    /// Step t's read tuple's word fields (the flags follow as bits).
    fn step_word_fields(&self, t: usize) -> [u64; NUM_WORD_FIELDS] {
        [
            self.pc[t] as u64,
            self.rd[t] as u64,
            self.rs1[t] as u64,
            self.rs2[t] as u64,
            self.imm[t] as u64,
            self.sequence_remaining[t] as u64,
        ]
    }

    /// The packed flags of step t, from the committed flag columns (so a
    /// changed flag column changes the fingerprint).
    fn step_flags(&self, t: usize) -> u64 {
        self.flag_bits
            .iter()
            .enumerate()
            .fold(0, |acc, (b, bits)| acc | (bits[t] as u64) << b)
    }

    /// Unpacks `flags` into one column per flag.
    pub fn unpack(flags: &[u64]) -> Vec<Vec<bool>> {
        (0..NUM_FLAGS)
            .map(|b| flags.iter().map(|&w| w >> b & 1 == 1).collect())
            .collect()
    }

    fn has_shape(&self, trace_length: TraceLength, table_len: usize) -> bool {
        let t = trace_length.t();
        [
            self.address.len(),
            self.pc.len(),
            self.rd.len(),
            self.rs1.len(),
            self.rs2.len(),
            self.imm.len(),
            self.sequence_remaining.len(),
        ]
        .iter()
        .all(|&l| l == t)
            && self.flag_bits.len() == NUM_FLAGS
            && self.flag_bits.iter().all(|b| b.len() == t)
            && self.final_count.len() == table_len
    }
}

/// The per-step bytecode columns at the read point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct BytecodeReadEvals<F: JoltField> {
    pub address: F,
    /// pc, rd, rs1, rs2, imm, sequence_remaining.
    pub words: [F; NUM_WORD_FIELDS],
    /// By bit of the packed flags word ([`BytecodeColumn::flag`]).
    pub flags: [F; NUM_FLAGS],
}

/// The word fields after the address, in fingerprint order (γ^1 … γ^6).
const WORD_COLUMNS: [BytecodeColumn; NUM_WORD_FIELDS] = [
    BytecodeColumn::Pc,
    BytecodeColumn::Rd,
    BytecodeColumn::Rs1,
    BytecodeColumn::Rs2,
    BytecodeColumn::Imm,
    BytecodeColumn::SequenceRemaining,
];

impl<F: JoltField> BytecodeReadEvals<F> {
    /// Each per-step column's value from `eval`.
    pub(crate) fn from_fn(eval: impl Fn(BytecodeColumn) -> F) -> Self {
        BytecodeReadEvals {
            address: eval(BytecodeColumn::Address),
            words: WORD_COLUMNS.map(&eval),
            flags: std::array::from_fn(|b| eval(BytecodeColumn::flag(b))),
        }
    }

    /// Every per-step column with its value, in
    /// [`BytecodeColumn::per_step`] order.
    pub fn pairs(&self) -> Vec<(BytecodeColumn, F)> {
        let mut out = vec![(BytecodeColumn::Address, self.address)];
        out.extend(WORD_COLUMNS.iter().copied().zip(self.words));
        out.extend((0..NUM_FLAGS).map(|b| (BytecodeColumn::flag(b), self.flags[b])));
        out
    }

    /// The value of `column`.
    ///
    /// # Panics
    /// If `column` is `FinalCount` (not a per-step column).
    pub fn get(&self, column: BytecodeColumn) -> F {
        self.pairs()
            .into_iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v)
            .expect("a per-step bytecode column")
    }

    /// The row fields in fingerprint order: the words, then the flags.
    fn row_fields(&self) -> [F; NUM_ROW_FIELDS] {
        std::array::from_fn(|j| {
            if j < NUM_WORD_FIELDS {
                self.words[j]
            } else {
                self.flags[j - NUM_WORD_FIELDS]
            }
        })
    }
}

/// The bytecode part of the memory proof.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct BytecodeProof<F: JoltField> {
    pub read_evals: BytecodeReadEvals<F>,
}

fn absorb_statement(transcript: &mut Transcript, trace_length: TraceLength, table: &BytecodeTable) {
    let mut bytes = Vec::with_capacity(16);
    bytes.extend_from_slice(&(trace_length.log_t() as u64).to_le_bytes());
    bytes.extend_from_slice(&(table.num_vars() as u64).to_le_bytes());
    transcript.append_bytes(b"bytecode statement", &bytes);
}

fn draw_fingerprint<F: JoltField>(transcript: &mut Transcript) -> Fingerprint<F> {
    let gamma = transcript.challenge_scalar(b"bytecode gamma");
    let tau = transcript.challenge_scalar(b"bytecode tau");
    Fingerprint::new(gamma, tau, NUM_ROW_FIELDS)
}

fn shape(trace_length: TraceLength, table: &BytecodeTable) -> LookupShape {
    LookupShape {
        name: "bytecode",
        log_cells: table.num_vars(),
        log_reads: trace_length.log_t(),
    }
}

/// The prover's first half of proving that every step's bytecode tuple is
/// a row of `table` (the caller has committed the witness columns and
/// absorbed the commitments): absorbs the statement, draws the
/// fingerprint and returns the fraction sums' leaves, which
/// [`super::prove`] proves with the read-write memory's.
///
/// # Panics
/// If the witness does not have T = 2^n entries per step column and K
/// final counts (a prover-side invariant).
pub(super) fn prove_leaves<F: JoltField>(
    table: &BytecodeTable,
    witness: &BytecodeWitness,
    transcript: &mut Transcript,
) -> LookupLeaves<F> {
    let trace_length = witness.trace_length();
    assert!(
        witness.has_shape(trace_length, table.rows.len()),
        "malformed bytecode witness"
    );
    let _span = tracing::info_span!("bytecode prove", steps = trace_length.t()).entered();
    absorb_statement(transcript, trace_length, table);
    let fp = draw_fingerprint::<F>(transcript);

    // h(row, fields) per read and per row; the flags cost one addition
    // per set bit.
    let flag_coeffs: Vec<F> = (0..NUM_FLAGS)
        .map(|b| fp.value_coeff(NUM_WORD_FIELDS + b))
        .collect();
    let leaf = |address: u64, words: [u64; NUM_WORD_FIELDS], mut flags: u64| {
        let mut h = F::from_u64(address) - fp.tau();
        for (j, w) in words.iter().enumerate() {
            h += fp.value_coeff(j).mul_u64(*w);
        }
        while flags != 0 {
            h += flag_coeffs[flags.trailing_zeros() as usize];
            flags &= flags - 1;
        }
        h
    };
    let reads = build_leaves(trace_length.t(), |t| {
        leaf(
            witness.address[t] as u64,
            witness.step_word_fields(t),
            witness.step_flags(t),
        )
    });
    let rows = build_leaves(table.rows.len(), |i| {
        let row = &table.rows[i];
        leaf(i as u64, row.word_fields(), row.flags)
    });
    let multiplicities = build_leaves(table.rows.len(), |i| {
        F::from_u64(witness.final_count[i] as u64)
    });
    LookupLeaves {
        reads,
        table: rows,
        multiplicities,
    }
}

/// The prover's second half, after the fraction sums: the per-step
/// columns at the reads' point, absorbed; returns the proof and the
/// opening claims.
pub(super) fn prove_evals<F: JoltField>(
    witness: &BytecodeWitness,
    claims: &Lookups<FractionClaim<F>>,
    transcript: &mut Transcript,
) -> (BytecodeProof<F>, Vec<OpeningClaim<MemoryColumn, F>>) {
    let eq_steps = EqPolynomial::new(claims.reads.point.clone()).evals();
    let read_evals = BytecodeReadEvals::from_fn(|c| witness.column(c).evaluate_with_eq(&eq_steps));
    drop(eq_steps);
    let proof = BytecodeProof { read_evals };
    absorb_evals(transcript, &proof);
    let opening_claims = opening_claims(&proof, claims);
    (proof, opening_claims)
}

fn absorb_evals<F: JoltField>(transcript: &mut Transcript, proof: &BytecodeProof<F>) {
    let all: Vec<F> = proof.read_evals.pairs().iter().map(|(_, v)| *v).collect();
    transcript.append_scalars(b"bytecode evals", &all);
}

/// The per-step columns at the reads' point; `FinalCount` (the table's
/// numerators) at the table's.
fn opening_claims<F: JoltField>(
    proof: &BytecodeProof<F>,
    lookup: &Lookups<FractionClaim<F>>,
) -> Vec<OpeningClaim<MemoryColumn, F>> {
    let mut claims: Vec<_> = proof
        .read_evals
        .pairs()
        .into_iter()
        .map(|(c, v)| OpeningClaim::new(MemoryColumn::Bytecode(c), lookup.reads.point.clone(), v))
        .collect();
    claims.push(OpeningClaim::new(
        MemoryColumn::Bytecode(BytecodeColumn::FinalCount),
        lookup.table.point.clone(),
        lookup.table.numerator_eval,
    ));
    claims
}

/// The verifier's first half: absorbs the statement and draws the
/// fingerprint; returns it and the fraction sums' shape.
pub(super) fn verify_start<F: JoltField>(
    table: &BytecodeTable,
    trace_length: TraceLength,
    transcript: &mut Transcript,
) -> (Fingerprint<F>, LookupShape) {
    absorb_statement(transcript, trace_length, table);
    (draw_fingerprint(transcript), shape(trace_length, table))
}

/// The verifier's second half: checks the fraction sums' leaf claims
/// against the fingerprints of the claimed per-step evaluations and of the
/// verifier's own table; returns the opening claims on the bytecode
/// columns.
pub(super) fn verify_claims<F: JoltField>(
    table: &BytecodeTable,
    fp: &Fingerprint<F>,
    proof: &BytecodeProof<F>,
    claims: &Lookups<FractionClaim<F>>,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<MemoryColumn, F>>, VerifyError> {
    let e = &proof.read_evals;
    claims.check_leaves(
        PROTOCOL,
        Lookups {
            reads: fp.hash(e.address, &e.row_fields(), F::zero()),
            table: table.rows_fingerprint_eval(&claims.table.point, fp),
        },
    )?;
    absorb_evals(transcript, proof);
    Ok(opening_claims(proof, claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::programs::ProgramGenerator;
    use crate::tracer::MemoryLayout;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;

    /// The verifier's evaluation of the Init fingerprints (unreduced word
    /// sums, split across threads for a table this large) against
    /// Σ_i eq(r, i)·h(i, row_i, 0) term by term.
    #[test]
    fn rows_fingerprint_eval_matches_the_direct_sum() {
        let layout = MemoryLayout::new(1 << 15, 1 << 12, 64, 64).unwrap();
        let mut generator = ProgramGenerator::new(3, layout);
        let num_vars = 13;
        let mut rows = vec![BytecodeRow::noop()];
        while rows.len() < (1 << num_vars) - 5 {
            let pc = 4 * rows.len() as u32;
            rows.push(BytecodeRow::new(&generator.straight(), pc, None));
        }
        let table = BytecodeTable {
            rows,
            segments: Vec::new(),
        };
        let rng = generator.rng();
        let fp = Fingerprint::new(Fr::rand(rng), Fr::rand(rng), NUM_ROW_FIELDS);
        let r: Vec<Fr> = (0..num_vars).map(|_| Fr::rand(rng)).collect();
        let eq = EqPolynomial::new(r.clone()).evals();
        // Rows past the table are 0 in every field, at address i.
        let direct: Fr = eq
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut fields = vec![Fr::from(0u64); NUM_ROW_FIELDS];
                if let Some(row) = table.rows.get(i) {
                    for (f, v) in fields.iter_mut().zip(row.word_fields()) {
                        *f = Fr::from(v);
                    }
                    for (k, f) in fields[NUM_WORD_FIELDS..].iter_mut().enumerate() {
                        *f = Fr::from((row.flags >> k) & 1);
                    }
                }
                *e * fp.hash(Fr::from(i as u64), &fields, Fr::from(0u64))
            })
            .sum();
        assert_eq!(table.rows_fingerprint_eval(&r, &fp), direct);
    }

    /// `from_fn`, `pairs` and `row_fields` agree on which field is which.
    #[test]
    fn read_evals_map_each_column_to_its_field() {
        let per_step = BytecodeColumn::per_step();
        let index =
            |c: BytecodeColumn| Fr::from(per_step.iter().position(|&x| x == c).unwrap() as u64);
        let evals = BytecodeReadEvals::from_fn(index);
        for (c, v) in evals.pairs() {
            assert_eq!(v, index(c), "{c:?}");
        }
        // The row fields are the per-step columns after the address, in
        // per_step order.
        let fields: Vec<Fr> = per_step[1..].iter().map(|&c| index(c)).collect();
        assert_eq!(evals.row_fields().to_vec(), fields);
    }
}
