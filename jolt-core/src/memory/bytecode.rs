//! The bytecode as a read-only memory: every step reads the row of the
//! instruction it executes, and offline memory checking with read counts
//! proves each per-step tuple is a row of the preprocessed table.
//!
//! **Rows.** Row 0 is the padding row ([`BytecodeRow::noop`]); then, for
//! every code segment in address order and every word that decodes to an
//! instruction the machine can execute, its row — or, for an instruction
//! with a virtual sequence, one row per step of the sequence, consecutive.
//! Words that do not decode and ECALL/EBREAK (which the tracer rejects) get
//! no row, so no proof can execute them. The table is padded to K = 2^k
//! rows with copies of the padding row.
//!
//! **Fields.** (address = row index, pc, packed flags, rd, rs1, rs2, imm as
//! a 32-bit word, sequence_remaining). Register fields are normalized so the
//! read-write memory can use them as addresses as they are: rs1/rs2 are x0
//! when the instruction does not read them, rd is the sink register
//! ([`SINK_REGISTER`]) when it writes x0 or nothing.
//!
//! **Memory checking.** Tuples (address, fields…, count) with fingerprint
//! Σ_i γ^i·f_i − τ. Read: (a, row, c) with c the read count; write:
//! (a, row, c + 1); Init: (i, row_i, 0); Final: (i, row_i, final_count_i).
//! Init ∪ Writes = Reads ∪ Final holds only if every read tuple is a row
//! of the table. The verifier evaluates Init and the row part of Final
//! itself from the table (O(K)).
//!
//! Transcript, in order: `bytecode statement` (log2 T, log2 K), `bytecode
//! gamma`, `bytecode tau`, the grand products (reads and writes: T leaves;
//! init and final: K leaves), `bytecode evals`.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use instructions::flags::{noop_flags, packed_flags, SequencePosition};
use instructions::virtual_sequences::expand;
use instructions::{Instruction, Opcode};

use super::layout::SINK_REGISTER;
use super::multiset::{
    build_leaves, check_leaf_eval, check_multiset_equality, eq_table, evaluate_small, powers,
    prove_products, verify_products,
};
use super::MemoryColumn;
use crate::codec::ProofVec;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::opening::OpeningClaim;
use crate::poly::IdentityPolynomial;
use crate::subprotocols::GrandProductProof;
use crate::tracer::Program;
use crate::transcript::Transcript;

pub const PROTOCOL: &str = "bytecode memory checking";

/// A committed bytecode column. `FinalCount` has K entries, the others one
/// per step (T).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BytecodeColumn {
    /// The row read (u32).
    Address,
    /// The instruction's address in the ELF (u32; 0 for the padding row).
    Pc,
    /// `instructions::flags::packed_flags` (u64).
    Flags,
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
    /// How many earlier steps read the same row (u32).
    ReadCount,
    /// How many steps read each row (u32, K entries).
    FinalCount,
}

impl BytecodeColumn {
    /// The per-step columns in fingerprint order (γ^0 … γ^8).
    pub const PER_STEP: [BytecodeColumn; 9] = [
        BytecodeColumn::Address,
        BytecodeColumn::Pc,
        BytecodeColumn::Flags,
        BytecodeColumn::Rd,
        BytecodeColumn::Rs1,
        BytecodeColumn::Rs2,
        BytecodeColumn::Imm,
        BytecodeColumn::SequenceRemaining,
        BytecodeColumn::ReadCount,
    ];
}

/// Number of row fields after the address (γ^1 … γ^7); the count is γ^8.
const NUM_ROW_FIELDS: usize = 7;
const COUNT_POWER: usize = NUM_ROW_FIELDS + 1;

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

    /// The fields after the address, in fingerprint order (γ^1 … γ^7).
    pub fn fields(&self) -> [u64; NUM_ROW_FIELDS] {
        [
            self.pc as u64,
            self.flags,
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

    /// Σ_i eq(r, i)·(i + Σ_f γ^f·field_f(row_i)): the row part of every
    /// Init/Final fingerprint at r, in O(K).
    fn rows_fingerprint_eval<F: JoltField>(&self, r: &[F], gammas: &[F]) -> F {
        let eq = eq_table(r);
        let mut fields = [F::zero(); NUM_ROW_FIELDS];
        for (e, row) in eq.iter().zip(&self.rows) {
            for (acc, value) in fields.iter_mut().zip(row.fields()) {
                *acc += e.mul_u64(value);
            }
        }
        IdentityPolynomial::new(r.len()).evaluate(r)
            + fields
                .iter()
                .zip(&gammas[1..])
                .map(|(f, g)| *f * g)
                .sum::<F>()
    }
}

/// The per-step bytecode reads and the counts (all T entries but
/// `final_count`, K entries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BytecodeWitness {
    pub address: Vec<u32>,
    pub pc: Vec<u32>,
    pub flags: Vec<u64>,
    pub rd: Vec<u8>,
    pub rs1: Vec<u8>,
    pub rs2: Vec<u8>,
    pub imm: Vec<u32>,
    pub sequence_remaining: Vec<u16>,
    pub read_count: Vec<u32>,
    pub final_count: Vec<u32>,
}

impl BytecodeWitness {
    pub fn num_steps(&self) -> usize {
        self.address.len()
    }

    /// The per-step values of `column` at the point of `eq`.
    fn evaluate<F: JoltField>(&self, column: BytecodeColumn, eq: &[F]) -> F {
        match column {
            BytecodeColumn::Address => evaluate_small(eq, &self.address),
            BytecodeColumn::Pc => evaluate_small(eq, &self.pc),
            BytecodeColumn::Flags => evaluate_small(eq, &self.flags),
            BytecodeColumn::Rd => evaluate_small(eq, &self.rd),
            BytecodeColumn::Rs1 => evaluate_small(eq, &self.rs1),
            BytecodeColumn::Rs2 => evaluate_small(eq, &self.rs2),
            BytecodeColumn::Imm => evaluate_small(eq, &self.imm),
            BytecodeColumn::SequenceRemaining => evaluate_small(eq, &self.sequence_remaining),
            BytecodeColumn::ReadCount => evaluate_small(eq, &self.read_count),
            BytecodeColumn::FinalCount => evaluate_small(eq, &self.final_count),
        }
    }

    /// Step t's read tuple after the address, in fingerprint order.
    fn step_fields(&self, t: usize) -> [u64; NUM_ROW_FIELDS] {
        [
            self.pc[t] as u64,
            self.flags[t],
            self.rd[t] as u64,
            self.rs1[t] as u64,
            self.rs2[t] as u64,
            self.imm[t] as u64,
            self.sequence_remaining[t] as u64,
        ]
    }

    fn has_shape(&self, num_steps: usize, table_len: usize) -> bool {
        let t = num_steps;
        [
            self.address.len(),
            self.pc.len(),
            self.flags.len(),
            self.rd.len(),
            self.rs1.len(),
            self.rs2.len(),
            self.imm.len(),
            self.sequence_remaining.len(),
            self.read_count.len(),
        ]
        .iter()
        .all(|&l| l == t)
            && self.final_count.len() == table_len
    }
}

/// The bytecode part of the memory proof.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct BytecodeProof<F: JoltField> {
    /// Batches: reads and writes (T leaves), init and final (K leaves); one
    /// batch when T = K.
    pub products: ProofVec<GrandProductProof<F>>,
    /// The per-step columns at the read point, in
    /// [`BytecodeColumn::PER_STEP`] order.
    pub read_evals: ProofVec<F>,
    /// `FinalCount` at the init/final point.
    pub final_count_eval: F,
}

fn absorb_statement(transcript: &mut Transcript, num_steps: usize, table: &BytecodeTable) {
    let mut bytes = Vec::with_capacity(16);
    bytes.extend_from_slice(&(num_steps.trailing_zeros() as u64).to_le_bytes());
    bytes.extend_from_slice(&(table.num_vars() as u64).to_le_bytes());
    transcript.append_bytes(b"bytecode statement", &bytes);
}

/// Proves that every step's bytecode tuple is a row of `table`. The caller
/// has committed the witness columns and absorbed the commitments.
///
/// # Panics
/// If the witness does not have T = 2^n entries per step column and K
/// final counts (a prover-side invariant).
pub fn prove<F: JoltField>(
    table: &BytecodeTable,
    witness: &BytecodeWitness,
    transcript: &mut Transcript,
) -> (BytecodeProof<F>, Vec<OpeningClaim<MemoryColumn, F>>) {
    let num_steps = witness.num_steps();
    assert!(
        num_steps.is_power_of_two() && witness.has_shape(num_steps, table.rows.len()),
        "malformed bytecode witness"
    );
    let _span = tracing::info_span!("bytecode prove", steps = num_steps).entered();
    absorb_statement(transcript, num_steps, table);
    let gamma: F = transcript.challenge_scalar(b"bytecode gamma");
    let tau: F = transcript.challenge_scalar(b"bytecode tau");
    let g = powers(gamma, COUNT_POWER + 1);

    let fingerprint = |address: u64, fields: [u64; NUM_ROW_FIELDS]| -> F {
        let mut acc = F::from_u64(address) - tau;
        for (f, gi) in fields.iter().zip(&g[1..]) {
            acc += gi.mul_u64(*f);
        }
        acc
    };
    let reads = build_leaves(num_steps, |t| {
        fingerprint(witness.address[t] as u64, witness.step_fields(t))
            + g[COUNT_POWER].mul_u64(witness.read_count[t] as u64)
    });
    let writes: Vec<F> = build_leaves(num_steps, |t| reads[t] + g[COUNT_POWER]);
    let rows: Vec<F> = build_leaves(table.rows.len(), |i| {
        fingerprint(i as u64, table.rows[i].fields())
    });
    let finals = build_leaves(table.rows.len(), |i| {
        rows[i] + g[COUNT_POWER].mul_u64(witness.final_count[i] as u64)
    });
    let (products, claims) = prove_products(vec![reads, writes, rows, finals], transcript);

    let eq_steps = eq_table(&claims[0].point);
    let read_evals: Vec<F> = BytecodeColumn::PER_STEP
        .iter()
        .map(|&c| witness.evaluate(c, &eq_steps))
        .collect();
    let eq_rows = eq_table(&claims[2].point);
    let final_count_eval = witness.evaluate(BytecodeColumn::FinalCount, &eq_rows);
    absorb_evals(transcript, &read_evals, final_count_eval);

    let opening_claims = opening_claims(
        &claims[0].point,
        &read_evals,
        &claims[2].point,
        final_count_eval,
    );
    let proof = BytecodeProof {
        products: products.into(),
        read_evals: read_evals.into(),
        final_count_eval,
    };
    (proof, opening_claims)
}

fn absorb_evals<F: JoltField>(transcript: &mut Transcript, read_evals: &[F], final_count: F) {
    let mut all = read_evals.to_vec();
    all.push(final_count);
    transcript.append_scalars(b"bytecode evals", &all);
}

fn opening_claims<F: JoltField>(
    read_point: &[F],
    read_evals: &[F],
    final_point: &[F],
    final_count: F,
) -> Vec<OpeningClaim<MemoryColumn, F>> {
    let mut claims: Vec<_> = BytecodeColumn::PER_STEP
        .iter()
        .zip(read_evals)
        .map(|(&c, &v)| OpeningClaim::new(MemoryColumn::Bytecode(c), read_point.to_vec(), v))
        .collect();
    claims.push(OpeningClaim::new(
        MemoryColumn::Bytecode(BytecodeColumn::FinalCount),
        final_point.to_vec(),
        final_count,
    ));
    claims
}

/// Verifies the bytecode reads of a T-step trace against the verifier's
/// own `table`; returns the opening claims on the bytecode columns.
pub fn verify<F: JoltField>(
    proof: &BytecodeProof<F>,
    table: &BytecodeTable,
    num_steps: usize,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<MemoryColumn, F>>, VerifyError> {
    super::check_num_steps(PROTOCOL, num_steps)?;
    check_shape(
        PROTOCOL,
        "per-step evaluations",
        BytecodeColumn::PER_STEP.len(),
        proof.read_evals.len(),
    )?;
    absorb_statement(transcript, num_steps, table);
    let gamma: F = transcript.challenge_scalar(b"bytecode gamma");
    let tau: F = transcript.challenge_scalar(b"bytecode tau");
    let g = powers(gamma, COUNT_POWER + 1);

    let log_t = num_steps.trailing_zeros() as usize;
    let log_k = table.num_vars();
    let claims = verify_products(
        PROTOCOL,
        &proof.products,
        &[log_t, log_t, log_k, log_k],
        transcript,
    )?;
    // Invariant: verify_products returns one claim per vector, four here.
    let (reads, writes, init, finals) = (&claims[0], &claims[1], &claims[2], &claims[3]);
    check_multiset_equality(
        PROTOCOL,
        "Init·Writes = Reads·Final",
        &[init.product, writes.product],
        &[reads.product, finals.product],
    )?;

    // Reads and writes share their point (same batch); so do Init and Final.
    let read_leaf: F = proof
        .read_evals
        .iter()
        .zip(&g)
        .map(|(e, gi)| *e * gi)
        .sum::<F>()
        - tau;
    check_leaf_eval(PROTOCOL, "read fingerprints", reads, read_leaf)?;
    check_leaf_eval(
        PROTOCOL,
        "write fingerprints",
        writes,
        read_leaf + g[COUNT_POWER],
    )?;
    let rows = table.rows_fingerprint_eval(&init.point, &g) - tau;
    check_leaf_eval(PROTOCOL, "init fingerprints", init, rows)?;
    check_leaf_eval(
        PROTOCOL,
        "final fingerprints",
        finals,
        rows + g[COUNT_POWER] * proof.final_count_eval,
    )?;
    absorb_evals(transcript, &proof.read_evals, proof.final_count_eval);
    Ok(opening_claims(
        &reads.point,
        &proof.read_evals,
        &init.point,
        proof.final_count_eval,
    ))
}


