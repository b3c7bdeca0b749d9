//! Read-write memory checking over `[registers | I/O | RAM]` with four
//! operations per step, the timestamp range check, and the output check.
//!
//! **Tuples.** Operation (step t, slot s) at address a reads (a, v, t_read)
//! and writes (a, v', t_now), t_now = 4t + s + 1. Slots: 0 reads rs1, 1
//! reads rs2 (v' = v for both), 2 is the RAM access (a read has v' = v; a
//! store writes v'), 3 writes rd (reads the old value, writes the new). The
//! register addresses are the bytecode's per-step Rs1, Rs2 and Rd columns;
//! the RAM address is committed. Init is (a, init_a, 0) and Final
//! (a, final_a, final_timestamp_a) for every a < M.
//!
//! **Tag.** A fourth tuple field separates what the RAM slot may touch:
//! RAM-slot tuples carry 1, register-slot tuples 0, and Init/Final at a
//! carry [a ∈ I/O ∪ RAM]. An operation whose tag differs from its address's
//! can never be matched, so the RAM slot cannot reach a register or the
//! padding above RAM, whatever byte address the step computed.
//!
//! **Fingerprint.** a + γ·v + γ²·t + γ³·tag − τ. The reads and writes of
//! all 4T operations are one vector each, slot-major (index s·T + t), so
//! their leaf point is (r_s, r_t) and every per-step column is opened at
//! r_t. The range memory's vectors (see [`super::timestamps`]) have the
//! same length and share the batch.
//!
//! Transcript, in order: `memory statement` (log2 T, log2 M, the layout,
//! the I/O), `memory gamma`, `memory tau`, the grand products (4T leaves:
//! reads, writes, range reads, range writes, range init, range final; M
//! leaves: init, final — one batch if 4T = M), `memory evals`, then the
//! output check ([`super::io`]).

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

use super::bytecode::BytecodeColumn;
use super::io::{
    check_io_shape, init_eval, initial_memory, prove_outputs, verify_outputs, OutputProof,
};
use super::layout::interval_mle;
use super::multiset::{
    build_leaves, check_leaf_eval, check_multiset_equality, eq_table, evaluate_column,
    evaluate_small, prove_products, verify_products,
};
use super::timestamps::SLOTS;
use super::{MemoryColumn, MemoryPreprocessing, MemoryWitness, Slot};
use crate::codec::ProofVec;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::opening::OpeningClaim;
use crate::poly::IdentityPolynomial;
use crate::subprotocols::GrandProductProof;
use crate::tracer::ProgramIO;
use crate::transcript::Transcript;

pub const PROTOCOL: &str = "read-write memory checking";

/// The committed read-write columns (the register addresses are the
/// bytecode's). Per step (T entries) unless noted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadWriteWitness {
    /// The RAM slot's address in the remapped space (u32).
    pub ram_address: Vec<u32>,
    /// The value each slot reads (u32), by [`Slot`].
    pub read_value: [Vec<u32>; SLOTS],
    /// The value the RAM slot leaves (= its read value unless a store).
    pub ram_write_value: Vec<u32>,
    /// The value written to rd (to the sink for rows that write no
    /// register).
    pub rd_write_value: Vec<u32>,
    /// t_read per slot (u32).
    pub read_timestamp: [Vec<u32>; SLOTS],
    /// Range-memory read counts per slot (u32).
    pub range_read_count: [Vec<u32>; SLOTS],
    /// Range-memory final counts (4T entries).
    pub range_final_count: Vec<u32>,
    /// Final memory values (M entries).
    pub final_value: Vec<u32>,
    /// Final timestamps: when each address was last accessed (M entries).
    pub final_timestamp: Vec<u32>,
}

/// The columns evaluated at the step point r_t, in the order of
/// [`ReadWriteProof::step_evals`]: addresses per slot, read values per
/// slot, RAM and rd write values, read timestamps, range read counts.
pub const STEP_COLUMNS: [MemoryColumn; 18] = [
    MemoryColumn::Bytecode(BytecodeColumn::Rs1),
    MemoryColumn::Bytecode(BytecodeColumn::Rs2),
    MemoryColumn::RamAddress,
    MemoryColumn::Bytecode(BytecodeColumn::Rd),
    MemoryColumn::ReadValue(Slot::Rs1),
    MemoryColumn::ReadValue(Slot::Rs2),
    MemoryColumn::ReadValue(Slot::Ram),
    MemoryColumn::ReadValue(Slot::Rd),
    MemoryColumn::RamWriteValue,
    MemoryColumn::RdWriteValue,
    MemoryColumn::ReadTimestamp(Slot::Rs1),
    MemoryColumn::ReadTimestamp(Slot::Rs2),
    MemoryColumn::ReadTimestamp(Slot::Ram),
    MemoryColumn::ReadTimestamp(Slot::Rd),
    MemoryColumn::RangeReadCount(Slot::Rs1),
    MemoryColumn::RangeReadCount(Slot::Rs2),
    MemoryColumn::RangeReadCount(Slot::Ram),
    MemoryColumn::RangeReadCount(Slot::Rd),
];

/// Evaluations at the M point, in order.
pub const FINAL_COLUMNS: [MemoryColumn; 2] =
    [MemoryColumn::FinalValue, MemoryColumn::FinalTimestamp];

/// The read-write part of the memory proof.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct ReadWriteProof<F: JoltField> {
    /// Batches by length (4T, M; one if equal).
    pub products: ProofVec<GrandProductProof<F>>,
    /// [`STEP_COLUMNS`] at r_t.
    pub step_evals: ProofVec<F>,
    /// `RangeFinalCount` at the 4T point.
    pub range_final_count_eval: F,
    /// [`FINAL_COLUMNS`] at the M point.
    pub final_evals: ProofVec<F>,
    pub output: OutputProof<F>,
}

fn absorb_statement(
    transcript: &mut Transcript,
    num_steps: usize,
    pre: &MemoryPreprocessing,
    io: &ProgramIO,
) {
    let layout = pre.space.layout();
    let mut bytes = Vec::new();
    for x in [
        num_steps.trailing_zeros() as u64,
        pre.space.num_vars() as u64,
        layout.memory_size as u64,
        layout.stack_size as u64,
        layout.max_input_size as u64,
        layout.max_output_size as u64,
        io.panicked as u64,
        io.inputs.len() as u64,
    ] {
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    bytes.extend_from_slice(&io.inputs);
    bytes.extend_from_slice(&(io.outputs.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&io.outputs);
    transcript.append_bytes(b"memory statement", &bytes);
}

/// The vectors whose products the argument compares, in this order.
const RW_READS: usize = 0;
const RW_WRITES: usize = 1;
const RANGE_READS: usize = 2;
const RANGE_WRITES: usize = 3;
const RANGE_INIT: usize = 4;
const RANGE_FINAL: usize = 5;
const RW_INIT: usize = 6;
const RW_FINAL: usize = 7;

/// γ³ for the RAM slot, 0 for register slots.
fn slot_tag<F: JoltField>(slot: usize, gamma3: F) -> F {
    if slot == Slot::Ram.index() {
        gamma3
    } else {
        F::zero()
    }
}

/// Proves the read-write memory of `witness`; the caller has committed the
/// witness columns and absorbed the commitments. Returns the proof and the
/// opening claims (the per-step columns at r_t — including the bytecode's
/// Rs1, Rs2, Rd —, RangeFinalCount at the 4T point, FinalValue and
/// FinalTimestamp at the M point, FinalValue at the output check's point).
///
/// # Panics
/// If the witness columns do not have the lengths [`MemoryWitness::new`]
/// gives them (a prover-side invariant).
pub fn prove<F: JoltField>(
    pre: &MemoryPreprocessing,
    witness: &MemoryWitness,
    transcript: &mut Transcript,
) -> (ReadWriteProof<F>, Vec<OpeningClaim<MemoryColumn, F>>) {
    let num_steps = witness.num_steps();
    assert!(witness.has_shape::<F>(pre), "malformed memory witness");
    let _span = tracing::info_span!("read-write memory prove", steps = num_steps).entered();
    let (rw, bc) = (&witness.read_write, &witness.bytecode);
    absorb_statement(transcript, num_steps, pre, &witness.io);
    let gamma: F = transcript.challenge_scalar(b"memory gamma");
    let tau: F = transcript.challenge_scalar(b"memory tau");
    let (gamma2, gamma3) = (gamma * gamma, gamma * gamma * gamma);

    let n = num_steps;
    let address = |s: usize, t: usize| -> u64 {
        match s {
            0 => bc.rs1[t] as u64,
            1 => bc.rs2[t] as u64,
            2 => rw.ram_address[t] as u64,
            _ => bc.rd[t] as u64,
        }
    };
    let write_value = |s: usize, t: usize| -> u64 {
        match s {
            2 => rw.ram_write_value[t] as u64,
            3 => rw.rd_write_value[t] as u64,
            _ => rw.read_value[s][t] as u64,
        }
    };
    // Slot-major: operation i is slot i / T of step i % T.
    let reads = build_leaves(SLOTS * n, |i| {
        let (s, t) = (i / n, i % n);
        F::from_u64(address(s, t)) + gamma.mul_u64(rw.read_value[s][t] as u64) - tau
            + gamma2.mul_u64(rw.read_timestamp[s][t] as u64)
            + slot_tag(s, gamma3)
    });
    let writes = build_leaves(SLOTS * n, |i| {
        let (s, t) = (i / n, i % n);
        F::from_u64(address(s, t)) + gamma.mul_u64(write_value(s, t)) - tau
            + gamma2.mul_u64((SLOTS * t + s + 1) as u64)
            + slot_tag(s, gamma3)
    });
    // d = t_now − t_read − 1 in the field, so a tampered t_read > t_now
    // gives a cell no Init tuple matches.
    let range_reads = build_leaves(SLOTS * n, |i| {
        let (s, t) = (i / n, i % n);
        F::from_u64((SLOTS * t + s) as u64) - F::from_u32(rw.read_timestamp[s][t])
            + gamma.mul_u64(rw.range_read_count[s][t] as u64)
            - tau
    });
    let range_writes = build_leaves(SLOTS * n, |i| range_reads[i] + gamma);
    let range_init = build_leaves(SLOTS * n, |i| F::from_u64(i as u64) - tau);
    let range_final = build_leaves(SLOTS * n, |i| {
        range_init[i] + gamma.mul_u64(rw.range_final_count[i] as u64)
    });
    let init_memory = initial_memory(&pre.space, &pre.image, &witness.io.inputs);
    let ram = pre.space.ram_region();
    let init = build_leaves(pre.space.size(), |a| {
        let tag = if ram.contains(&a) { gamma3 } else { F::zero() };
        F::from_u64(a as u64) + gamma.mul_u64(init_memory[a] as u64) - tau + tag
    });
    let finals = build_leaves(pre.space.size(), |a| {
        let tag = if ram.contains(&a) { gamma3 } else { F::zero() };
        F::from_u64(a as u64) + gamma.mul_u64(rw.final_value[a] as u64) - tau
            + gamma2.mul_u64(rw.final_timestamp[a] as u64)
            + tag
    });
    drop(init_memory);
    let (products, claims) = prove_products(
        vec![
            reads,
            writes,
            range_reads,
            range_writes,
            range_init,
            range_final,
            init,
            finals,
        ],
        transcript,
    );

    let ops_point = claims[RW_READS].point.clone();
    let eq_t = eq_table(&ops_point[2..]);
    let step_evals: Vec<F> = STEP_COLUMNS
        .iter()
        .map(|&c| evaluate_column(&eq_t, &witness.column(c)))
        .collect();
    drop(eq_t);
    let range_final_count_eval = evaluate_small(&eq_table(&ops_point), &rw.range_final_count);
    let memory_point = claims[RW_INIT].point.clone();
    let eq_m = eq_table(&memory_point);
    let final_evals = vec![
        evaluate_small(&eq_m, &rw.final_value),
        evaluate_small(&eq_m, &rw.final_timestamp),
    ];
    drop(eq_m);
    absorb_evals(
        transcript,
        &step_evals,
        range_final_count_eval,
        &final_evals,
    );

    let (output, output_claim) =
        prove_outputs(&pre.space, &rw.final_value, &witness.io, transcript);
    let opening_claims = opening_claims(
        &ops_point,
        &step_evals,
        range_final_count_eval,
        &memory_point,
        &final_evals,
        output_claim,
    );
    let proof = ReadWriteProof {
        products: products.into(),
        step_evals: step_evals.into(),
        range_final_count_eval,
        final_evals: final_evals.into(),
        output,
    };
    (proof, opening_claims)
}

fn absorb_evals<F: JoltField>(
    transcript: &mut Transcript,
    step_evals: &[F],
    range_final_count: F,
    final_evals: &[F],
) {
    let mut all = step_evals.to_vec();
    all.push(range_final_count);
    all.extend_from_slice(final_evals);
    transcript.append_scalars(b"memory evals", &all);
}

fn opening_claims<F: JoltField>(
    ops_point: &[F],
    step_evals: &[F],
    range_final_count: F,
    memory_point: &[F],
    final_evals: &[F],
    output_claim: (Vec<F>, F),
) -> Vec<OpeningClaim<MemoryColumn, F>> {
    let step_point = &ops_point[2..];
    let mut claims: Vec<_> = STEP_COLUMNS
        .iter()
        .zip(step_evals)
        .map(|(&c, &v)| OpeningClaim::new(c, step_point.to_vec(), v))
        .collect();
    claims.push(OpeningClaim::new(
        MemoryColumn::RangeFinalCount,
        ops_point.to_vec(),
        range_final_count,
    ));
    claims.extend(
        FINAL_COLUMNS
            .iter()
            .zip(final_evals)
            .map(|(&c, &v)| OpeningClaim::new(c, memory_point.to_vec(), v)),
    );
    claims.push(OpeningClaim::new(
        MemoryColumn::FinalValue,
        output_claim.0,
        output_claim.1,
    ));
    claims
}

/// Verifies the read-write memory of a T-step run of the program in `pre`
/// with the verifier's claimed `io`; returns the opening claims.
pub fn verify<F: JoltField>(
    proof: &ReadWriteProof<F>,
    pre: &MemoryPreprocessing,
    io: &ProgramIO,
    num_steps: usize,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<MemoryColumn, F>>, VerifyError> {
    super::check_num_steps(PROTOCOL, num_steps)?;
    check_io_shape(PROTOCOL, &pre.space, io)?;
    check_shape(
        PROTOCOL,
        "per-step evaluations",
        STEP_COLUMNS.len(),
        proof.step_evals.len(),
    )?;
    check_shape(
        PROTOCOL,
        "final evaluations",
        FINAL_COLUMNS.len(),
        proof.final_evals.len(),
    )?;
    absorb_statement(transcript, num_steps, pre, io);
    let gamma: F = transcript.challenge_scalar(b"memory gamma");
    let tau: F = transcript.challenge_scalar(b"memory tau");
    let (gamma2, gamma3) = (gamma * gamma, gamma * gamma * gamma);

    let log_ops = num_steps.trailing_zeros() as usize + 2;
    let log_m = pre.space.num_vars();
    let mut num_vars = vec![log_ops; 6];
    num_vars.extend([log_m, log_m]);
    let claims = verify_products(PROTOCOL, &proof.products, &num_vars, transcript)?;
    let product = |i: usize| claims[i].product;
    check_multiset_equality(
        PROTOCOL,
        "Init·Writes = Reads·Final",
        &[product(RW_INIT), product(RW_WRITES)],
        &[product(RW_READS), product(RW_FINAL)],
    )?;
    check_multiset_equality(
        PROTOCOL,
        "timestamp range check: Init·Writes = Reads·Final of the range memory",
        &[product(RANGE_INIT), product(RANGE_WRITES)],
        &[product(RANGE_READS), product(RANGE_FINAL)],
    )?;

    // The 4T vectors share one point (r_s0, r_s1, r_t); slot s = 2·s0 + s1.
    let ops_point = &claims[RW_READS].point;
    let (r0, r1) = (ops_point[0], ops_point[1]);
    let r_t = &ops_point[2..];
    let one = F::one();
    let eq_slot = [
        (one - r0) * (one - r1),
        (one - r0) * r1,
        r0 * (one - r1),
        r0 * r1,
    ];
    let e = &proof.step_evals;
    let weighted = |offset: usize| -> F { (0..SLOTS).map(|s| eq_slot[s] * e[offset + s]).sum() };
    let (addresses, read_values, read_ts, range_counts) =
        (weighted(0), weighted(4), weighted(10), weighted(14));
    let write_values =
        eq_slot[0] * e[4] + eq_slot[1] * e[5] + eq_slot[2] * e[8] + eq_slot[3] * e[9];
    // Σ_s eq_s·(4·I(r_t) + s + 1) = 4·I(r_t) + 1 + (2·r_s0 + r_s1).
    let now =
        IdentityPolynomial::new(r_t.len()).evaluate(r_t) * F::from_u64(4) + one + r0.double() + r1;
    let ram_tag = gamma3 * eq_slot[Slot::Ram.index()];

    let rw_read = addresses + gamma * read_values + gamma2 * read_ts + ram_tag - tau;
    let rw_write = addresses + gamma * write_values + gamma2 * now + ram_tag - tau;
    let range_read = now - one - read_ts + gamma * range_counts - tau;
    let ops_identity = IdentityPolynomial::new(ops_point.len()).evaluate(ops_point);
    check_leaf_eval(PROTOCOL, "read fingerprints", &claims[RW_READS], rw_read)?;
    check_leaf_eval(PROTOCOL, "write fingerprints", &claims[RW_WRITES], rw_write)?;
    check_leaf_eval(
        PROTOCOL,
        "range read fingerprints",
        &claims[RANGE_READS],
        range_read,
    )?;
    check_leaf_eval(
        PROTOCOL,
        "range write fingerprints",
        &claims[RANGE_WRITES],
        range_read + gamma,
    )?;
    check_leaf_eval(
        PROTOCOL,
        "range init fingerprints",
        &claims[RANGE_INIT],
        ops_identity - tau,
    )?;
    check_leaf_eval(
        PROTOCOL,
        "range final fingerprints",
        &claims[RANGE_FINAL],
        ops_identity + gamma * proof.range_final_count_eval - tau,
    )?;

    let memory_point = &claims[RW_INIT].point;
    let memory_identity = IdentityPolynomial::new(log_m).evaluate(memory_point);
    let tag = gamma3 * interval_mle(memory_point, pre.space.ram_region());
    let init = init_eval(&pre.space, &pre.image, &io.inputs, memory_point);
    check_leaf_eval(
        PROTOCOL,
        "init fingerprints",
        &claims[RW_INIT],
        memory_identity + gamma * init + tag - tau,
    )?;
    let (final_value, final_ts) = (proof.final_evals[0], proof.final_evals[1]);
    check_leaf_eval(
        PROTOCOL,
        "final fingerprints",
        &claims[RW_FINAL],
        memory_identity + gamma * final_value + gamma2 * final_ts + tag - tau,
    )?;
    absorb_evals(
        transcript,
        &proof.step_evals,
        proof.range_final_count_eval,
        &proof.final_evals,
    );

    let output_claim = verify_outputs(&proof.output, &pre.space, io, transcript)?;
    Ok(opening_claims(
        ops_point,
        &proof.step_evals,
        proof.range_final_count_eval,
        memory_point,
        &proof.final_evals,
        output_claim,
    ))
}


