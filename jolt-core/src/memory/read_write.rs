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
//! **Fingerprint.** The shared one ([`crate::subprotocols::multiset`]) of
//! the tuple (a, (v, tag), t): a + γ·v + γ²·tag + γ³·t − τ. The reads and
//! writes of all 4T operations are one vector each, slot-major (index
//! s·T + t), so their leaf point is (r_s, r_t) and every per-step column
//! is opened at r_t. The range memory's reads (see [`super::timestamps`];
//! a logUp check, so a sum of fractions with numerators 1) have the same
//! length, hence the point; its T cells with their multiplicities share
//! the T-long vectors' point (with the bytecode's reads and, in the zkVM,
//! Lasso's).
//!
//! Transcript, in order: `memory statement` (log2 T, log2 M, the layout,
//! the I/O), `memory gamma`, `memory tau`; the memories' one layered
//! circuit ([`super::prove`]: the read-write memory's init and final over
//! M cells and reads and writes over 4T operations, the range memory's
//! fraction sums over its 4T reads and T cells, with the other memories'
//! vectors); `bytecode evals`; `memory evals`; then the
//! output check ([`super::io`]).

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

use super::bytecode::BytecodeColumn;
use super::io::{check_io_shape, init_eval, prove_outputs, verify_outputs, OutputProof};
use super::layout::{interval_mle, AddressSpace};
use super::timestamps::{now, read_timestamp, SLOTS};
use super::{MemoryColumn, MemoryPreprocessing, MemoryWitness, SegmentRole, Slot};
use crate::error::VerifyError;
use crate::field::JoltField;
use crate::opening::OpeningClaim;
use crate::pcs::Column;
use crate::poly::{EqPolynomial, IdentityPolynomial};
use crate::subprotocols::multiset::FractionClaim;
use crate::subprotocols::multiset::{
    build_leaves, Fingerprint, LookupLeaves, LookupShape, Lookups, MemoryShape, Multisets,
    ProductClaim,
};
use crate::trace_length::TraceLength;
use crate::tracer::ProgramIO;
use crate::transcript::Transcript;

pub const PROTOCOL: &str = "read-write memory checking";
const RANGE_PROTOCOL: &str = "timestamp range check";

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
    /// The range memory cell q of each read, per slot (u32): the read's
    /// distance t_now − t_read − 1 is 4q + m.
    pub range_cell: [Vec<u32>; SLOTS],
    /// The remainder m = d mod 4 of each read's range check, bit 0 and
    /// bit 1, per slot.
    pub range_remainder_low: [Vec<bool>; SLOTS],
    pub range_remainder_high: [Vec<bool>; SLOTS],
    /// How often each range-memory cell is read (T entries).
    pub range_final_count: Vec<u32>,
    /// Final memory values (M entries).
    pub final_value: Vec<u32>,
    /// Final timestamps: when each address was last accessed (M entries).
    pub final_timestamp: Vec<u32>,
    /// Initial memory values (M entries): the image with the inputs for a
    /// run's first segment, the entry state for a later one (committed
    /// then).
    pub init_value: Vec<u32>,
}

impl ReadWriteWitness {
    /// The remainder m of `slot`'s read at `step`, from its two bits.
    pub fn range_remainder(&self, slot: Slot, step: usize) -> u8 {
        let s = slot.index();
        self.range_remainder_low[s][step] as u8 + 2 * self.range_remainder_high[s][step] as u8
    }

    /// The read timestamp the committed cell and remainder stand for,
    /// t_now − 1 − 4q − m (negative only for a cell past the range memory).
    pub fn read_timestamp(&self, slot: Slot, step: usize) -> i64 {
        read_timestamp(
            step,
            slot,
            self.range_cell[slot.index()][step],
            self.range_remainder(slot, step),
        )
    }
}

/// The address column of each slot: the bytecode's register fields, the
/// committed RAM address.
pub fn address_column(slot: Slot) -> MemoryColumn {
    match slot {
        Slot::Rs1 => MemoryColumn::Bytecode(BytecodeColumn::Rs1),
        Slot::Rs2 => MemoryColumn::Bytecode(BytecodeColumn::Rs2),
        Slot::Ram => MemoryColumn::RamAddress,
        Slot::Rd => MemoryColumn::Bytecode(BytecodeColumn::Rd),
    }
}

/// The per-step columns at the step point r_t, by what they are (arrays by
/// [`Slot::index`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct StepEvals<F: JoltField> {
    /// The address each slot accesses ([`address_column`]).
    pub address: [F; SLOTS],
    pub read_value: [F; SLOTS],
    pub ram_write_value: F,
    pub rd_write_value: F,
    pub range_cell: [F; SLOTS],
    pub range_remainder_low: [F; SLOTS],
    pub range_remainder_high: [F; SLOTS],
}

impl<F: JoltField> StepEvals<F> {
    /// Each column's value from `eval`.
    pub(crate) fn from_fn(eval: impl Fn(MemoryColumn) -> F) -> Self {
        StepEvals {
            address: Slot::ALL.map(|s| eval(address_column(s))),
            read_value: Slot::ALL.map(|s| eval(MemoryColumn::ReadValue(s))),
            ram_write_value: eval(MemoryColumn::RamWriteValue),
            rd_write_value: eval(MemoryColumn::RdWriteValue),
            range_cell: Slot::ALL.map(|s| eval(MemoryColumn::RangeCell(s))),
            range_remainder_low: Slot::ALL.map(|s| eval(MemoryColumn::RangeRemainderLow(s))),
            range_remainder_high: Slot::ALL.map(|s| eval(MemoryColumn::RangeRemainderHigh(s))),
        }
    }

    /// Every column with its value (the opening claims at r_t).
    pub fn pairs(&self) -> Vec<(MemoryColumn, F)> {
        let mut out = Vec::with_capacity(26);
        for s in Slot::ALL {
            out.push((address_column(s), self.address[s.index()]));
        }
        for s in Slot::ALL {
            out.push((MemoryColumn::ReadValue(s), self.read_value[s.index()]));
        }
        out.push((MemoryColumn::RamWriteValue, self.ram_write_value));
        out.push((MemoryColumn::RdWriteValue, self.rd_write_value));
        for s in Slot::ALL {
            out.push((MemoryColumn::RangeCell(s), self.range_cell[s.index()]));
        }
        for s in Slot::ALL {
            out.push((
                MemoryColumn::RangeRemainderLow(s),
                self.range_remainder_low[s.index()],
            ));
        }
        for s in Slot::ALL {
            out.push((
                MemoryColumn::RangeRemainderHigh(s),
                self.range_remainder_high[s.index()],
            ));
        }
        out
    }

    /// The value of `column`.
    ///
    /// # Panics
    /// If `column` is not a per-step column evaluated here.
    pub fn get(&self, column: MemoryColumn) -> F {
        self.pairs()
            .into_iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v)
            .expect("a per-step column of the read-write proof")
    }

    /// The value slot `slot` leaves: register reads leave what they read.
    fn write_value(&self, slot: Slot) -> F {
        match slot {
            Slot::Rs1 | Slot::Rs2 => self.read_value[slot.index()],
            Slot::Ram => self.ram_write_value,
            Slot::Rd => self.rd_write_value,
        }
    }
}

/// The read-write part of the memory proof.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct ReadWriteProof<F: JoltField> {
    pub step_evals: StepEvals<F>,
    /// `FinalValue` at the M point.
    pub final_value_eval: F,
    /// `FinalTimestamp` at the M point.
    pub final_timestamp_eval: F,
    /// `InitValue` at the M point: present exactly for a segment that does
    /// not start the run (the verifier evaluates the image otherwise).
    pub init_value_eval: Option<F>,
    pub output: OutputProof<F>,
}

fn absorb_statement(
    transcript: &mut Transcript,
    trace_length: TraceLength,
    space: &AddressSpace,
    io: &ProgramIO,
    role: SegmentRole,
) {
    let layout = space.layout();
    let mut bytes = Vec::new();
    for x in [
        role.first as u64,
        role.last as u64,
        trace_length.log_t() as u64,
        space.num_vars() as u64,
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

/// The two fingerprints: the read-write memory's (values v and tag) and
/// the range memory's (no values: the cell q alone).
fn draw_fingerprints<F: JoltField>(
    transcript: &mut Transcript,
) -> (Fingerprint<F>, Fingerprint<F>) {
    let gamma: F = transcript.challenge_scalar(b"memory gamma");
    let tau: F = transcript.challenge_scalar(b"memory tau");
    (
        Fingerprint::new(gamma, tau, 2),
        Fingerprint::new(gamma, tau, 0),
    )
}

/// The read-write memory and the range memory.
fn shapes(trace_length: TraceLength, space: &AddressSpace) -> (MemoryShape, LookupShape) {
    let log_ops = trace_length.log_t() + 2;
    (
        MemoryShape {
            name: "read-write memory",
            log_cells: space.num_vars(),
            log_ops,
        },
        LookupShape {
            name: "timestamp range memory",
            log_cells: trace_length.log_t(),
            log_reads: log_ops,
        },
    )
}

/// The tag of a slot's tuples: 1 for the RAM slot, 0 for register slots.
fn slot_tag(slot: Slot) -> u64 {
    (slot == Slot::Ram) as u64
}

/// Proves the read-write memory of `witness`; the caller has committed the
/// witness columns and absorbed the commitments. Returns the proof and the
/// opening claims (the per-step columns at r_t — including the bytecode's
/// Rs1, Rs2, Rd —, RangeFinalCount at the range cells' point, FinalValue and
/// FinalTimestamp at the M point, FinalValue at the output check's point).
///
/// # Panics
/// If the witness columns do not have the lengths [`MemoryWitness::new`]
/// gives them (a prover-side invariant).
pub(super) fn prove_leaves<F: JoltField>(
    pre: &MemoryPreprocessing,
    witness: &MemoryWitness,
    transcript: &mut Transcript,
) -> (Multisets<Vec<F>>, LookupLeaves<F>) {
    let trace_length = witness.trace_length();
    assert!(witness.has_shape::<F>(pre), "malformed memory witness");
    let _span = tracing::info_span!("read-write memory prove", steps = trace_length.t()).entered();
    let (rw, bc) = (&witness.read_write, &witness.bytecode);
    let space = &witness.space;
    let role = witness.role;
    absorb_statement(transcript, trace_length, space, &witness.io, role);
    let (fp, range_fp) = draw_fingerprints::<F>(transcript);

    let n = trace_length.t();
    let address = |s: Slot, t: usize| -> u64 {
        match s {
            Slot::Rs1 => bc.rs1[t] as u64,
            Slot::Rs2 => bc.rs2[t] as u64,
            Slot::Ram => rw.ram_address[t] as u64,
            Slot::Rd => bc.rd[t] as u64,
        }
    };
    let write_value = |s: Slot, t: usize| -> u64 {
        match s {
            Slot::Ram => rw.ram_write_value[t] as u64,
            Slot::Rd => rw.rd_write_value[t] as u64,
            _ => rw.read_value[s.index()][t] as u64,
        }
    };
    // Slot-major: operation i is slot i / T of step i % T.
    let op = |i: usize| (Slot::ALL[i / n], i % n);
    // t_read = t_now − 1 − 4q − m, as the verifier derives it: negative
    // (a field element no write has) only for a cell past the range memory.
    let reads = build_leaves(SLOTS * n, |i| {
        let (s, t) = op(i);
        let v = rw.read_value[s.index()][t] as u64;
        let read_ts = rw.read_timestamp(s, t);
        if read_ts >= 0 {
            fp.hash_u64(address(s, t), &[v, slot_tag(s)], read_ts as u64)
        } else {
            fp.hash_u64(address(s, t), &[v, slot_tag(s)], 0)
                + fp.time_coeff() * F::from_i64(read_ts)
        }
    });
    let writes = build_leaves(SLOTS * n, |i| {
        let (s, t) = op(i);
        fp.hash_u64(address(s, t), &[write_value(s, t), slot_tag(s)], now(t, s))
    });
    let range = LookupLeaves {
        reads: build_leaves(SLOTS * n, |i| {
            let (s, t) = op(i);
            range_fp.hash_u64(rw.range_cell[s.index()][t] as u64, &[], 0)
        }),
        table: build_leaves(n, |i| range_fp.hash_u64(i as u64, &[], 0)),
        multiplicities: build_leaves(n, |i| F::from_u64(rw.range_final_count[i] as u64)),
    };
    let init_memory = &rw.init_value;
    let ram = space.ram_region();
    let tag = |a: usize| ram.contains(&a) as u64;
    let init = build_leaves(space.size(), |a| {
        fp.hash_u64(a as u64, &[init_memory[a] as u64, tag(a)], 0)
    });
    let finals = build_leaves(space.size(), |a| {
        fp.hash_u64(
            a as u64,
            &[rw.final_value[a] as u64, tag(a)],
            rw.final_timestamp[a] as u64,
        )
    });
    (
        Multisets {
            init,
            reads,
            writes,
            finals,
        },
        range,
    )
}

/// The prover's second half, after the products and fraction sums: the
/// evaluations at their points, absorbed, and the output check; returns
/// the proof and the opening claims.
pub(super) fn prove_evals<F: JoltField>(
    witness: &MemoryWitness,
    rw_claims: &Multisets<ProductClaim<F>>,
    range_claims: &Lookups<FractionClaim<F>>,
    transcript: &mut Transcript,
) -> (ReadWriteProof<F>, Vec<OpeningClaim<MemoryColumn, F>>) {
    let rw = &witness.read_write;
    let (space, role) = (&witness.space, witness.role);
    let ops_point = rw_claims.reads.point.clone();
    let eq_t = EqPolynomial::new(ops_point[2..].to_vec()).evals();
    let step_evals = StepEvals::from_fn(|c| witness.column(c).evaluate_with_eq(&eq_t));
    drop(eq_t);
    let memory_point = rw_claims.init.point.clone();
    let eq_m = EqPolynomial::new(memory_point.clone()).evals();
    let final_value_eval = Column::U32(&rw.final_value).evaluate_with_eq(&eq_m);
    let final_timestamp_eval = Column::U32(&rw.final_timestamp).evaluate_with_eq(&eq_m);
    let init_value_eval =
        (!role.first).then(|| Column::U32(&rw.init_value).evaluate_with_eq(&eq_m));
    drop(eq_m);

    absorb_evals(
        transcript,
        &step_evals,
        [final_value_eval, final_timestamp_eval],
        init_value_eval,
    );
    let (output, output_claim) =
        prove_outputs(space, &rw.final_value, &witness.io, role.last, transcript);
    let proof = ReadWriteProof {
        step_evals,
        final_value_eval,
        final_timestamp_eval,
        init_value_eval,
        output,
    };
    let opening_claims = opening_claims(
        &proof,
        &ops_point,
        range_claims,
        &memory_point,
        output_claim,
    );
    (proof, opening_claims)
}

/// The step evaluations, then FinalValue, FinalTimestamp and InitValue if
/// committed.
fn absorb_evals<F: JoltField>(
    transcript: &mut Transcript,
    step: &StepEvals<F>,
    finals: [F; 2],
    init: Option<F>,
) {
    let mut all: Vec<F> = step.pairs().iter().map(|(_, v)| *v).collect();
    all.extend(finals);
    all.extend(init);
    transcript.append_scalars(b"memory evals", &all);
}

fn opening_claims<F: JoltField>(
    proof: &ReadWriteProof<F>,
    ops_point: &[F],
    range: &Lookups<FractionClaim<F>>,
    memory_point: &[F],
    output_claim: (Vec<F>, F),
) -> Vec<OpeningClaim<MemoryColumn, F>> {
    let step_point = &ops_point[2..];
    let mut claims: Vec<_> = proof
        .step_evals
        .pairs()
        .into_iter()
        .map(|(c, v)| OpeningClaim::new(c, step_point.to_vec(), v))
        .collect();
    claims.push(OpeningClaim::new(
        MemoryColumn::RangeFinalCount,
        range.table.point.clone(),
        range.table.numerator_eval,
    ));
    claims.push(OpeningClaim::new(
        MemoryColumn::FinalValue,
        memory_point.to_vec(),
        proof.final_value_eval,
    ));
    claims.push(OpeningClaim::new(
        MemoryColumn::FinalTimestamp,
        memory_point.to_vec(),
        proof.final_timestamp_eval,
    ));
    if let Some(init) = proof.init_value_eval {
        claims.push(OpeningClaim::new(
            MemoryColumn::InitValue,
            memory_point.to_vec(),
            init,
        ));
    }
    claims.push(OpeningClaim::new(
        MemoryColumn::FinalValue,
        output_claim.0,
        output_claim.1,
    ));
    claims
}

/// The verifier's first half of verifying the read-write memory of a run
/// of `trace_length` steps over the memory window `space` (one of
/// [`MemoryPreprocessing::window`]) with the verifier's claimed `io`:
/// checks the I/O's and the proof's shape, absorbs the statement and draws
/// the fingerprints.
pub(super) fn verify_start<F: JoltField>(
    space: &AddressSpace,
    trace_length: TraceLength,
    io: &ProgramIO,
    role: SegmentRole,
    proof: &ReadWriteProof<F>,
    transcript: &mut Transcript,
) -> Result<ReadWriteStart<F>, VerifyError> {
    check_io_shape(PROTOCOL, space, io)?;
    // A later segment's Init is committed and opened; the first's is the
    // verifier's own image, and an evaluation sent for it is malformed.
    if proof.init_value_eval.is_some() == role.first {
        return Err(VerifyError::Shape {
            protocol: PROTOCOL,
            what: "initial-memory evaluations (one for a segment that does not start the run)",
            expected: (!role.first) as usize,
            got: proof.init_value_eval.is_some() as usize,
        });
    }
    absorb_statement(transcript, trace_length, space, io, role);
    let (fp, range_fp) = draw_fingerprints::<F>(transcript);
    let (memory, range) = shapes(trace_length, space);
    Ok(ReadWriteStart {
        fp,
        range_fp,
        memory,
        range,
    })
}

/// What the verifier's first half hands to its second: the fingerprints
/// and the shapes of the read-write memory and the range memory.
pub(super) struct ReadWriteStart<F> {
    fp: Fingerprint<F>,
    range_fp: Fingerprint<F>,
    pub(super) memory: MemoryShape,
    pub(super) range: LookupShape,
}

/// The verifier's second half: checks the leaf claims of both memories
/// against the fingerprints of the claimed evaluations, then the output
/// check; returns the opening claims.
#[allow(clippy::too_many_arguments)]
pub(super) fn verify_claims<F: JoltField>(
    pre: &MemoryPreprocessing,
    space: &AddressSpace,
    io: &ProgramIO,
    role: SegmentRole,
    proof: &ReadWriteProof<F>,
    start: &ReadWriteStart<F>,
    rw_claims: &Multisets<ProductClaim<F>>,
    range_claims: &Lookups<FractionClaim<F>>,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<MemoryColumn, F>>, VerifyError> {
    let (fp, range_fp) = (&start.fp, &start.range_fp);
    // Every 4T vector has the point (r_s0, r_s1, r_t); slot s = 2·s0 + s1.
    let ops_point = &rw_claims.reads.point;
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
    let over_slots = |value: &dyn Fn(Slot) -> F| -> F {
        Slot::ALL
            .iter()
            .map(|&s| eq_slot[s.index()] * value(s))
            .sum()
    };
    let addresses = over_slots(&|s| e.address[s.index()]);
    let read_values = over_slots(&|s| e.read_value[s.index()]);
    let write_values = over_slots(&|s| e.write_value(s));
    let cells = over_slots(&|s| e.range_cell[s.index()]);
    let remainders = over_slots(&|s| {
        e.range_remainder_low[s.index()] + e.range_remainder_high[s.index()].double()
    });
    // Σ_s eq_s·(4·I(r_t) + s + 1) = 4·I(r_t) + 1 + (2·r_s0 + r_s1).
    let now =
        IdentityPolynomial::new(r_t.len()).evaluate(r_t) * F::from_u64(4) + one + r0.double() + r1;
    // t_read is derived, never committed: t_now − 1 − (4q + m) is linear in
    // the columns, so it is the same combination of their evaluations.
    let read_ts = now - one - cells * F::from_u64(4) - remainders;
    let ram_tag = eq_slot[Slot::Ram.index()];
    let memory_point = &rw_claims.init.point;
    let memory_identity = IdentityPolynomial::new(memory_point.len()).evaluate(memory_point);
    let tag = interval_mle(memory_point, space.ram_region());
    let init = match proof.init_value_eval {
        Some(committed) => committed,
        None => init_eval(space, &pre.image, &io.inputs, memory_point),
    };
    rw_claims.check_leaves(
        PROTOCOL,
        Multisets {
            init: fp.hash(memory_identity, &[init, tag], F::zero()),
            reads: fp.hash(addresses, &[read_values, ram_tag], read_ts),
            writes: fp.hash(addresses, &[write_values, ram_tag], now),
            finals: fp.hash(
                memory_identity,
                &[proof.final_value_eval, tag],
                proof.final_timestamp_eval,
            ),
        },
    )?;

    // Its reads are 4T long too (same point); its cells are T long, at
    // the T-long vectors' point.
    let cells_point = &range_claims.table.point;
    let cell_identity = IdentityPolynomial::new(cells_point.len()).evaluate(cells_point);
    range_claims.check_leaves(
        RANGE_PROTOCOL,
        Lookups {
            reads: range_fp.hash(cells, &[], F::zero()),
            table: range_fp.hash(cell_identity, &[], F::zero()),
        },
    )?;
    absorb_evals(
        transcript,
        &proof.step_evals,
        [proof.final_value_eval, proof.final_timestamp_eval],
        proof.init_value_eval,
    );

    let output_claim = verify_outputs(&proof.output, space, io, role.last, transcript)?;
    Ok(opening_claims(
        proof,
        ops_point,
        range_claims,
        memory_point,
        output_claim,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;

    /// `from_fn` and `pairs` name the same column for every field.
    #[test]
    fn step_evals_map_each_column_to_its_field() {
        let all = MemoryColumn::all();
        let index = |c: MemoryColumn| Fr::from(all.iter().position(|&x| x == c).unwrap() as u64);
        let evals = StepEvals::from_fn(index);
        let pairs = evals.pairs();
        assert_eq!(pairs.len(), 22);
        for (c, v) in pairs {
            assert_eq!(v, index(c), "{c:?}");
        }
    }
}
