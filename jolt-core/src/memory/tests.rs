//! Memory checking end to end on traces of generated programs: completeness
//! (verify accepts and every opening claim is a true evaluation of the
//! witness), and soundness against tampered witnesses, proofs and I/O.
//!
//! A tampered witness is proven by the honest prover; it counts as caught
//! when the verifier rejects or some opening claim is false (the PCS
//! opening would then fail).

use super::bytecode::BytecodeReadEvals;
use super::read_write::StepEvals;
use super::timestamps::{now, range_cell, range_counts};
use super::*;
use crate::memory::io::initial_memory;
use crate::testing::programs::ProgramGenerator;
use crate::trace_length::TraceLength;
use crate::tracer::{trace, MemoryLayout, Trace};
use ark_bn254::Fr;
use ark_ff::One;
use instructions::flags::CircuitFlag;
use instructions::Opcode::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

fn layout() -> MemoryLayout {
    MemoryLayout::new(1 << 15, 1 << 12, 64, 64).unwrap()
}

/// Where the generated programs keep their data.
fn data_address() -> u32 {
    ProgramGenerator::new(0, layout()).data_address()
}

/// A program, its preprocessing, a trace on `inputs` and the witness
/// padded to the next power of two (times `pad`).
struct Case {
    pre: MemoryPreprocessing,
    trace: Trace,
    witness: MemoryWitness,
}

fn case(seed: u64, blocks: usize, panic: bool, pad: usize) -> Case {
    let program = ProgramGenerator::new(seed, layout()).program(1, blocks, panic);
    let inputs: Vec<u8> = (0..11).map(|k| (seed as u8).wrapping_mul(31) ^ k).collect();
    let trace = trace(&program, &inputs, 100_000).expect("generated programs halt");
    let pre = MemoryPreprocessing::new(&program);
    let padded = TraceLength::padded(trace.steps.len()).unwrap();
    let trace_length =
        TraceLength::from_log(padded.log_t() + pad.trailing_zeros() as usize).unwrap();
    let witness = MemoryWitness::new(&pre, &trace, trace_length).expect("witness of a real trace");
    Case {
        pre,
        trace,
        witness,
    }
}

/// The test opening oracle: every claim is the witness column's
/// multilinear extension at the claim's point.
fn claims_hold(witness: &MemoryWitness, claims: &[OpeningClaim<MemoryColumn, Fr>]) -> bool {
    crate::testing::claims_hold(|c| Some(witness.column::<Fr>(c)), claims)
}

type Claims = Vec<OpeningClaim<MemoryColumn, Fr>>;

/// Memory checking alone: no other read-only memory (the zkVM's Lasso
/// chunks) in its layered circuit.
fn prove<F: JoltField>(
    pre: &MemoryPreprocessing,
    witness: &MemoryWitness,
    transcript: &mut Transcript,
) -> (MemoryProof<F>, Vec<OpeningClaim<MemoryColumn, F>>) {
    let (proof, claims, _) = super::prove(pre, witness, Vec::new(), transcript);
    (proof, claims)
}

/// The verifier of [`prove`]'s proofs.
fn verify(
    pre: &MemoryPreprocessing,
    space: &AddressSpace,
    trace_length: TraceLength,
    io: &ProgramIO,
    role: SegmentRole,
    proof: &MemoryProof<Fr>,
    transcript: &mut Transcript,
) -> Result<Claims, VerifyError> {
    super::verify(pre, space, trace_length, io, role, proof, &[], transcript).map(|(c, _)| c)
}

fn prove_and_verify(
    pre: &MemoryPreprocessing,
    witness: &MemoryWitness,
    io: &ProgramIO,
) -> (MemoryProof<Fr>, Claims, Result<Claims, VerifyError>) {
    let (proof, prover_claims) = prove::<Fr>(pre, witness, &mut Transcript::new(b"memory test"));
    let verified = verify(
        pre,
        &witness.space,
        witness.trace_length(),
        io,
        SegmentRole::WHOLE,
        &proof,
        &mut Transcript::new(b"memory test"),
    );
    (proof, prover_claims, verified)
}

/// Whether the honest prover's proof for `witness` passes verification
/// against `io` with every opening claim true.
fn accepts(pre: &MemoryPreprocessing, witness: &MemoryWitness, io: &ProgramIO) -> bool {
    let (_, _, verified) = prove_and_verify(pre, witness, io);
    verified.is_ok_and(|claims| claims_hold(witness, &claims))
}

#[test]
fn random_programs_are_complete() {
    for seed in 0..12 {
        let c = case(seed, 30, seed % 4 == 3, 1 + (seed as usize % 2));
        assert_eq!(c.trace.io.panicked, seed % 4 == 3);
        let (_, prover_claims, verified) = prove_and_verify(&c.pre, &c.witness, &c.trace.io);
        let claims = verified.unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(claims, prover_claims, "seed {seed}");
        assert!(claims_hold(&c.witness, &claims), "seed {seed}");
        // Every committed column is claimed at least once.
        for column in MemoryColumn::all() {
            assert!(claims.iter().any(|c| c.column == column), "{column:?}");
        }
    }
}

#[test]
fn witness_follows_the_trace() {
    let c = case(100, 20, false, 2);
    let (w, steps) = (&c.witness, &c.trace.steps);
    let rw = &w.read_write;
    assert!(steps.len() < w.trace_length().t());
    for (t, step) in steps.iter().enumerate() {
        if let Some(r) = step.rs1 {
            assert_eq!(
                (w.bytecode.rs1[t], rw.read_value[0][t]),
                (r.register, r.value)
            );
        }
        match step.rd {
            Some(wr) if wr.register != 0 => {
                assert_eq!(
                    (w.bytecode.rd[t], rw.rd_write_value[t]),
                    (wr.register, wr.after)
                )
            }
            _ => assert_eq!(w.bytecode.rd[t], SINK_REGISTER),
        }
        assert_eq!(
            w.bytecode.pc[t], step.pc,
            "the row read is the one at the step's pc"
        );
    }
    // Padding steps: row 0, x0 twice, the termination word, the sink.
    for t in steps.len()..w.trace_length().t() {
        assert_eq!(w.bytecode.address[t], 0);
        assert_eq!((w.bytecode.rs1[t], w.bytecode.rs2[t]), (0, 0));
        assert_eq!(
            rw.ram_address[t] as usize,
            c.witness.space.termination_word()
        );
        assert_eq!(rw.read_value[2][t], 1);
        assert_eq!(w.bytecode.rd[t], SINK_REGISTER);
        assert_eq!(rw.rd_write_value[t], 0);
    }
    // x0 is never written.
    assert!(w.bytecode.rd.iter().all(|&rd| rd != 0));
    assert_eq!(rw.final_value[0], 0);
    // No row of the table writes x0.
    assert!(c.pre.bytecode.rows().iter().all(|r| r.rd != 0));
}

#[test]
fn witness_rejects_a_trace_of_another_program() {
    let a = case(101, 10, false, 1);
    let b = case(102, 10, false, 1);
    assert!(MemoryWitness::new(&a.pre, &b.trace, b.witness.trace_length()).is_err());
    let half = TraceLength::from_log(a.witness.trace_length().log_t() - 1).unwrap();
    assert!(matches!(
        MemoryWitness::new(&a.pre, &a.trace, half),
        Err(WitnessError::Length { .. })
    ));
    let mut bad = a.trace.clone();
    let t = bad.steps.iter().position(|s| s.rs1.is_some()).unwrap();
    bad.steps[t].rs1.as_mut().unwrap().value ^= 1;
    assert!(matches!(
        MemoryWitness::new(&a.pre, &bad, a.witness.trace_length()),
        Err(WitnessError::Inconsistent { .. })
    ));
}

// ---------------------------------------------------------------------------
// Tampering helpers.

/// The address of operation (t, s).
fn op_address(w: &MemoryWitness, t: usize, s: usize) -> usize {
    match s {
        0 => w.bytecode.rs1[t] as usize,
        1 => w.bytecode.rs2[t] as usize,
        2 => w.read_write.ram_address[t] as usize,
        _ => w.bytecode.rd[t] as usize,
    }
}

/// Recomputes a consistent memory history for the (possibly tampered)
/// addresses and written values: read values, read timestamps, final
/// memory and range counts. RAM operations of non-store rows stay reads.
// The step index t addresses several columns at once.
#[allow(clippy::needless_range_loop)]
fn replay(pre: &MemoryPreprocessing, w: &mut MemoryWitness) {
    let n = w.trace_length().t();
    let mut memory = initial_memory(&w.space, &pre.image, &w.io.inputs);
    let mut last = vec![0u32; w.space.size()];
    let mut read_timestamps: [Vec<u32>; 4] = std::array::from_fn(|_| vec![0; n]);
    for t in 0..n {
        for slot in Slot::ALL {
            let s = slot.index();
            let a = op_address(w, t, s);
            let rw = &mut w.read_write;
            rw.read_value[s][t] = memory[a];
            read_timestamps[s][t] = last[a];
            last[a] = now(t, slot) as u32;
            match slot {
                Slot::Ram if CircuitFlag::Store.is_set(w.bytecode.flags[t]) => {
                    memory[a] = rw.ram_write_value[t]
                }
                Slot::Ram => rw.ram_write_value[t] = memory[a],
                Slot::Rd => memory[a] = rw.rd_write_value[t],
                _ => {}
            }
        }
    }
    w.read_write.final_value = memory;
    w.read_write.final_timestamp = last;
    set_read_timestamps(w, &read_timestamps);
}

/// The read timestamps the committed cells and remainders stand for
/// (t_now − 1 − 4q − m; negative only for a cell past the range memory).
fn read_timestamps(w: &MemoryWitness) -> [Vec<i64>; 4] {
    Slot::ALL.map(|slot| {
        (0..w.trace_length().t())
            .map(|t| w.read_write.read_timestamp(slot, t))
            .collect()
    })
}

/// Commits the given read timestamps: the range cells, remainders and
/// counts recomputed from them (a read from the future gets the
/// out-of-range placeholder cell T).
fn set_read_timestamps(w: &mut MemoryWitness, read_timestamps: &[Vec<u32>; 4]) {
    let range = range_counts(read_timestamps);
    let rw = &mut w.read_write;
    rw.range_cell = range.cell;
    rw.range_remainder_low = range
        .remainder
        .clone()
        .map(|m| m.iter().map(|&m| m & 1 == 1).collect());
    rw.range_remainder_high = range
        .remainder
        .map(|m| m.iter().map(|&m| m & 2 == 2).collect());
    rw.range_final_count = range.final_count;
}

/// Whether Init ∪ Writes = Reads ∪ Final holds for the read-write tuples
/// (address, value, timestamp, tag), computed directly: a tampered history
/// that passes this is caught only by something else. Without `tagged`,
/// the region tag is left out of the tuples.
fn read_write_multisets_balance(
    pre: &MemoryPreprocessing,
    w: &MemoryWitness,
    tagged: bool,
) -> bool {
    multisets_balance_with(pre, w, tagged, &read_timestamps(w))
}

/// [`read_write_multisets_balance`] with the reads' timestamps given.
// The step index t addresses several columns at once.
#[allow(clippy::needless_range_loop)]
fn multisets_balance_with(
    pre: &MemoryPreprocessing,
    w: &MemoryWitness,
    tagged: bool,
    read_ts: &[Vec<i64>; 4],
) -> bool {
    let rw = &w.read_write;
    let init = initial_memory(&w.space, &pre.image, &w.io.inputs);
    let ram = w.space.ram_region();
    let region = |a: usize| tagged && ram.contains(&a);
    let mut count: HashMap<(usize, u32, i64, bool), i64> = HashMap::new();
    for (a, &initial) in init.iter().enumerate() {
        *count.entry((a, initial, 0, region(a))).or_default() += 1;
        *count
            .entry((
                a,
                rw.final_value[a],
                rw.final_timestamp[a] as i64,
                region(a),
            ))
            .or_default() -= 1;
    }
    for t in 0..w.trace_length().t() {
        for slot in Slot::ALL {
            let s = slot.index();
            let a = op_address(w, t, s);
            let tag = tagged && slot == Slot::Ram;
            let written = match slot {
                Slot::Ram => rw.ram_write_value[t],
                Slot::Rd => rw.rd_write_value[t],
                _ => rw.read_value[s][t],
            };
            *count
                .entry((a, written, now(t, slot) as i64, tag))
                .or_default() += 1;
            *count
                .entry((a, rw.read_value[s][t], read_ts[s][t], tag))
                .or_default() -= 1;
        }
    }
    count.values().all(|&c| c == 0)
}

/// The operations (step, slot) at `address`, in time order.
fn accesses(w: &MemoryWitness, address: usize) -> Vec<(usize, Slot)> {
    (0..w.trace_length().t())
        .flat_map(|t| Slot::ALL.map(|s| (t, s)))
        .filter(|&(t, s)| op_address(w, t, s.index()) == address)
        .collect()
}

fn is_read_only(w: &MemoryWitness, t: usize, slot: Slot) -> bool {
    match slot {
        Slot::Rs1 | Slot::Rs2 => true,
        Slot::Ram => !CircuitFlag::Store.is_set(w.bytecode.flags[t]),
        Slot::Rd => false,
    }
}

fn first_step(c: &Case, what: impl Fn(&crate::tracer::Step) -> bool) -> usize {
    c.trace
        .steps
        .iter()
        .position(what)
        .expect("the generated program has such a step")
}

/// `w` over the window of 2^num_vars words: the final memory cut or
/// zero-extended (words beyond the run's are untouched: value 0 at time 0).
fn with_window(w: &MemoryWitness, num_vars: usize) -> MemoryWitness {
    let mut w = w.clone();
    w.space = AddressSpace::window(*w.space.layout(), num_vars, 0).expect("a window of the layout");
    let rw = &mut w.read_write;
    rw.final_value.resize(w.space.size(), 0);
    rw.final_timestamp.resize(w.space.size(), 0);
    // The image and inputs lie in every window the layout allows.
    rw.init_value.resize(w.space.size(), 0);
    w
}

fn assert_rejected(c: &Case, w: &MemoryWitness, what: &str) {
    assert!(
        !accepts(&c.pre, w, &c.trace.io),
        "{what}: the tampered witness was accepted"
    );
}

// ---------------------------------------------------------------------------
// Soundness: tampered witnesses.

#[test]
fn a_wrong_or_stale_read_value_is_rejected() {
    let c = case(200, 30, false, 1);
    assert!(accepts(&c.pre, &c.witness, &c.trace.io));
    for slot in Slot::ALL {
        let t = (0..c.trace.steps.len())
            .find(|&t| op_address(&c.witness, t, slot.index()) != 0)
            .unwrap();
        let mut w = c.witness.clone();
        w.read_write.read_value[slot.index()][t] ^= 4;
        if is_read_only(&w, t, slot) && slot == Slot::Ram {
            w.read_write.ram_write_value[t] ^= 4;
        }
        assert_rejected(&c, &w, &format!("wrong {slot:?} value"));
    }
    // A stale read: a load of a word accessed before takes the value and
    // timestamp the previous access read.
    let honest_ts: [Vec<u32>; 4] =
        read_timestamps(&c.witness).map(|ts| ts.iter().map(|&t| t as u32).collect());
    let t = (0..c.trace.steps.len())
        .find(|&t| c.trace.steps[t].instruction.opcode == Lw && honest_ts[2][t] != 0)
        .expect("a load of a word accessed before");
    let address = c.witness.read_write.ram_address[t] as usize;
    let ops = accesses(&c.witness, address);
    let k = ops.iter().position(|&op| op == (t, Slot::Ram)).unwrap();
    let (pt, ps) = ops[k - 1];
    let mut w = c.witness.clone();
    w.read_write.read_value[2][t] = w.read_write.read_value[ps.index()][pt];
    let mut ts: [Vec<u32>; 4] = honest_ts.clone();
    ts[2][t] = honest_ts[ps.index()][pt];
    set_read_timestamps(&mut w, &ts);
    assert_rejected(&c, &w, "stale read");
}

#[test]
fn both_reads_of_an_aliased_step_must_agree() {
    let c = case(201, 40, false, 1);
    let t = first_step(
        &c,
        |s| matches!((s.rs1, s.rs2), (Some(a), Some(b)) if a.register == b.register && a.register != 0),
    );
    let mut w = c.witness.clone();
    w.read_write.read_value[1][t] ^= 1;
    assert_rejected(&c, &w, "rs2 differs from rs1 for rs1 == rs2");
}

/// A read from the future: three consecutive accesses o1 < o2 < o3 to one
/// register, o1 and o2 reads; o1 reads the tuple o2 writes, o2 what o1
/// read, o3 what o1 writes. Values agree, so the read-write multisets
/// balance over those timestamps. But o1's distance t_now − t_read − 1 is
/// negative: no range cell q < T and remainder m give its t_read, so the
/// committed columns cannot state this history with cells of the range
/// memory, and any cell past it is rejected.
#[test]
fn a_read_from_the_future_has_no_range_cell() {
    let c = case(202, 30, false, 1);
    let n = c.witness.trace_length().t();
    let w0 = &c.witness;
    let (o1, o2, o3) = (1..NUM_REGS)
        .flat_map(|a| {
            let ops = accesses(w0, a);
            (0..ops.len().saturating_sub(2))
                .map(|k| (ops[k], ops[k + 1], ops[k + 2]))
                .collect::<Vec<_>>()
        })
        .find(|&((t1, s1), (t2, s2), _)| is_read_only(w0, t1, s1) && is_read_only(w0, t2, s2))
        .expect("a register is read twice in a row");
    let honest = read_timestamps(w0);
    let mut ts = honest.clone();
    ts[o1.1.index()][o1.0] = now(o2.0, o2.1) as i64;
    ts[o2.1.index()][o2.0] = honest[o1.1.index()][o1.0];
    ts[o3.1.index()][o3.0] = now(o1.0, o1.1) as i64;
    assert!(multisets_balance_with(&c.pre, w0, true, &ts));
    let future = ts[o1.1.index()][o1.0] as u32;
    assert_eq!(range_cell(o1.0, o1.1, future, n), None);

    // Committed, o1 gets the placeholder cell T.
    let mut w = c.witness.clone();
    set_read_timestamps(&mut w, &ts.map(|v| v.iter().map(|&t| t as u32).collect()));
    assert_eq!(w.read_write.range_cell[o1.1.index()][o1.0], n as u32);
    assert_rejected(&c, &w, "a read from the future");
    // Any cell past the range memory, on the honest history.
    for q in [n as u32, n as u32 + 1, u32::MAX] {
        let mut w = c.witness.clone();
        w.read_write.range_cell[o1.1.index()][o1.0] = q;
        assert_rejected(&c, &w, &format!("range cell {q}"));
    }
    assert!(read_write_multisets_balance(&c.pre, &c.witness, true));
}

/// Whether verification failed on the range memory's multisets.
fn is_range_mismatch<T>(verified: &Result<T, VerifyError>) -> bool {
    matches!(
        verified,
        Err(VerifyError::LookupMismatch {
            memory: "timestamp range memory",
            ..
        })
    )
}

/// Whether verification failed on the read-write memory's multisets.
fn is_read_write_mismatch<T>(verified: &Result<T, VerifyError>) -> bool {
    matches!(
        verified,
        Err(VerifyError::MultisetMismatch {
            memory: "read-write memory",
            ..
        })
    )
}

/// t_read is derived as t_now − 1 − 4q − m: a wrong remainder bit or cell
/// moves it to a time no write has, so the read-write multisets differ.
#[test]
fn a_wrong_range_cell_or_remainder_is_rejected() {
    let c = case(206, 20, false, 1);
    for slot in Slot::ALL {
        for t in [0, c.trace.steps.len() / 2] {
            let s = slot.index();
            let mut w = c.witness.clone();
            w.read_write.range_remainder_low[s][t] ^= true;
            let (_, _, verified) = prove_and_verify(&c.pre, &w, &c.trace.io);
            assert!(
                is_read_write_mismatch(&verified),
                "low bit, slot {slot:?}, step {t}: {verified:?}"
            );
            let mut w = c.witness.clone();
            w.read_write.range_remainder_high[s][t] ^= true;
            assert_rejected(&c, &w, "a flipped high remainder bit");
            let mut w = c.witness.clone();
            w.read_write.range_cell[s][t] ^= 1;
            let (_, _, verified) = prove_and_verify(&c.pre, &w, &c.trace.io);
            assert!(
                is_read_write_mismatch(&verified),
                "cell, slot {slot:?}, step {t}: {verified:?}"
            );
        }
    }
    // A final count moved from one cell to another.
    let mut w = c.witness.clone();
    let rw = &mut w.read_write;
    let from = rw.range_final_count.iter().position(|&n| n > 0).unwrap();
    rw.range_final_count[from] -= 1;
    rw.range_final_count[from + 1] += 1;
    assert_rejected(&c, &w, "a moved range final count");
}

const NUM_REGS: usize = crate::tracer::NUM_REGISTERS;

#[test]
fn a_wrong_ram_address_is_rejected() {
    let c = case(203, 30, false, 1);
    let t = first_step(&c, |s| s.instruction.opcode == Lw && s.rd.is_some());
    // Another address with the value left as it was.
    let mut w = c.witness.clone();
    w.read_write.ram_address[t] += 1;
    assert_rejected(&c, &w, "RAM address changed");

    // The RAM slot aimed at a register, or above RAM (in the widest
    // window, which pads the layout to a power of two), with a consistent
    // history: only the region tag tells them apart.
    let full = c.pre.full_space();
    let wide = with_window(&c.witness, full.num_vars());
    assert!(accepts(&c.pre, &wide, &c.trace.io));
    assert!(full.ram_region().end < full.size());
    for address in [5usize, 0, full.ram_region().end] {
        let mut w = wide.clone();
        w.read_write.ram_address[t] = address as u32;
        replay(&c.pre, &mut w);
        assert!(read_write_multisets_balance(&c.pre, &w, false));
        assert!(!read_write_multisets_balance(&c.pre, &w, true));
        assert_rejected(&c, &w, &format!("RAM slot at {address}"));
    }
}

/// A run that stores to and loads from a word far above its image: its
/// honest window must reach that word.
fn high_access_case() -> Case {
    use crate::testing::elf::{build_elf, ElfSegment};
    use crate::testing::programs::{halt, i, li};
    let layout = layout();
    let high = crate::tracer::RAM_BASE + layout.memory_size - 64;
    let mut code = li(5, high).to_vec();
    code.extend(li(6, 0x1234_5678));
    code.push(i(Sw, 0, 5, 6, 0));
    code.push(i(Lw, 7, 5, 0, 0));
    code.extend(halt(&layout, 28));
    let elf = build_elf(
        crate::tracer::RAM_BASE,
        &[ElfSegment::code(crate::tracer::RAM_BASE, &code)],
    );
    let program = crate::tracer::Program::from_elf(&elf, layout).unwrap();
    let trace = trace(&program, &[], 1000).unwrap();
    let pre = MemoryPreprocessing::new(&program);
    let trace_length = TraceLength::padded(trace.steps.len()).unwrap();
    let witness = MemoryWitness::new(&pre, &trace, trace_length).unwrap();
    Case {
        pre,
        trace,
        witness,
    }
}

/// The window is the prover's choice, checked by the verifier only
/// against the layout: every window from the run's own up to the whole
/// layout proves the run, and any smaller one leaves the far word's
/// accesses without Init and Final tuples, so the multisets cannot
/// balance; windows the layout rules out are refused by shape.
#[test]
fn a_window_smaller_than_the_run_cannot_balance() {
    let c = high_access_case();
    let needed = c.witness.space.num_vars();
    let full = c.pre.full_space().num_vars();
    assert!(c.pre.min_window_vars + 3 < needed && needed <= full);
    for k in needed..=full {
        assert!(
            accepts(&c.pre, &with_window(&c.witness, k), &c.trace.io),
            "window 2^{k}"
        );
    }
    for k in [c.pre.min_window_vars, needed - 1] {
        let w = with_window(&c.witness, k);
        let far = w
            .read_write
            .ram_address
            .iter()
            .any(|&a| a as usize >= w.space.size());
        assert!(far, "the run reaches beyond 2^{k} words");
        let (_, _, verified) = prove_and_verify(&c.pre, &w, &c.trace.io);
        assert!(
            matches!(verified, Err(VerifyError::MultisetMismatch { .. })),
            "window 2^{k}: {verified:?}"
        );
    }
    assert_eq!(c.pre.window(c.pre.min_window_vars - 1), None);
    assert_eq!(c.pre.window(full + 1), None);
}

/// Memory checking proves the history is consistent at the addresses the
/// columns name; that a load's address is rs1 + imm is the R1CS's
/// constraint (docs/memory.md). A consistent history at another RAM word
/// passes here, and is rejected there.
#[test]
fn a_consistent_history_at_another_ram_word_is_left_to_the_r1cs() {
    let c = case(204, 30, false, 1);
    let t = first_step(&c, |s| s.instruction.opcode == Lw && s.rd.is_some());
    let mut w = c.witness.clone();
    w.read_write.ram_address[t] += 1;
    replay(&c.pre, &mut w);
    assert!(accepts(&c.pre, &w, &c.trace.io));
}

#[test]
fn a_changed_final_value_or_timestamp_is_rejected() {
    let c = case(205, 20, false, 1);
    let data = c.witness.space.word(data_address()).unwrap();
    for address in [
        0,
        7,
        SINK_REGISTER as usize,
        c.witness.space.output_start(),
        data,
    ] {
        let mut w = c.witness.clone();
        w.read_write.final_value[address] ^= 1;
        assert_rejected(&c, &w, &format!("final value at {address}"));
        let mut w = c.witness.clone();
        w.read_write.final_timestamp[address] += 1;
        assert_rejected(&c, &w, &format!("final timestamp at {address}"));
    }
}

#[test]
fn a_final_memory_that_drops_or_duplicates_an_address_is_rejected() {
    let c = case(206, 20, false, 1);
    let written = (c.witness.space.ram_region())
        .find(|&a| c.witness.read_write.final_timestamp[a] != 0)
        .unwrap();
    // Drop: the address's final tuple is replaced by a copy of its
    // neighbour's (which then appears twice).
    for (from, to) in [(written, written + 1), (written + 1, written)] {
        let mut w = c.witness.clone();
        let rw = &mut w.read_write;
        rw.final_value[to] = rw.final_value[from];
        rw.final_timestamp[to] = rw.final_timestamp[from];
        assert_rejected(&c, &w, "duplicated final tuple");
    }
    // Swap two addresses' final tuples.
    let mut w = c.witness.clone();
    w.read_write.final_value.swap(written, 7);
    w.read_write.final_timestamp.swap(written, 7);
    assert_rejected(&c, &w, "swapped final tuples");
}

#[test]
fn a_write_to_x0_is_rejected() {
    let c = case(207, 20, false, 1);
    let t = first_step(&c, |s| s.rd.is_some_and(|w| w.register != 0));
    let mut w = c.witness.clone();
    w.bytecode.rd[t] = 0;
    w.read_write.rd_write_value[t] = 5;
    replay(&c.pre, &mut w);
    assert!(w.read_write.final_value[0] == 5 || w.read_write.read_value[0].contains(&5));
    assert_rejected(&c, &w, "write to x0");
    // Even if x0 were restored to 0 by a later write, the rows never name
    // x0 as rd.
    let mut w = c.witness.clone();
    w.bytecode.rd[t] = 0;
    w.read_write.rd_write_value[t] = 0;
    replay(&c.pre, &mut w);
    assert_rejected(&c, &w, "write of 0 to x0");
}

#[test]
fn a_step_reading_another_row_than_its_own_is_rejected() {
    let c = case(208, 20, false, 1);
    let t = first_step(&c, |s| {
        s.instruction.opcode == Addi && s.instruction.imm != 0
    });
    type Tamper = fn(&mut BytecodeWitness, usize);
    let tampers: [(&str, Tamper); 8] = [
        ("address", |b, t| b.address[t] += 1),
        ("pc", |b, t| b.pc[t] += 4),
        ("flags", |b, t| {
            b.flags[t] ^= 1 << CircuitFlag::Jump as u32;
            b.flag_bits = BytecodeWitness::unpack(&b.flags);
        }),
        ("rd", |b, t| b.rd[t] = b.rd[t] % 31 + 1),
        ("rs1", |b, t| b.rs1[t] ^= 1),
        ("rs2", |b, t| b.rs2[t] ^= 1),
        ("imm", |b, t| b.imm[t] = b.imm[t].wrapping_add(1)),
        ("sequence_remaining", |b, t| b.sequence_remaining[t] += 1),
    ];
    for (what, tamper) in tampers {
        let mut w = c.witness.clone();
        tamper(&mut w.bytecode, t);
        // Keep the register history consistent with the new fields.
        replay(&c.pre, &mut w);
        assert_rejected(&c, &w, &format!("bytecode {what}"));
    }
    // A padding step that reads a real row's address with the NOOP fields.
    let mut w = c.witness.clone();
    let last = w.trace_length().t() - 1;
    w.bytecode.address[last] = 1;
    assert_rejected(&c, &w, "padding step at row 1");
    // Counts: one final count off, or one read moved to another row.
    let mut w = c.witness.clone();
    w.bytecode.final_count[0] += 1;
    assert_rejected(&c, &w, "bytecode final count");
    let mut w = c.witness.clone();
    let row = w.bytecode.address[t] as usize;
    w.bytecode.final_count[row] -= 1;
    let rows = w.bytecode.final_count.len();
    w.bytecode.final_count[(row + 1) % rows] += 1;
    assert_rejected(&c, &w, "bytecode final count moved to the next row");
}

/// The fraction sums' table numerators are the committed multiplicities:
/// the verifier's claims include each multiplicity column at the sum's
/// numerator leaf claim, so a committed column other than the one the sums
/// used fails the opening (without those claims the prover could pick the
/// numerators after τ).
#[test]
fn the_multiplicities_the_sums_use_are_opened() {
    let c = case(209, 20, false, 1);
    let (_, _, verified) = prove_and_verify(&c.pre, &c.witness, &c.trace.io);
    let claims = verified.unwrap();
    assert!(claims_hold(&c.witness, &claims));
    let mut committed = c.witness.clone();
    committed.bytecode.final_count[0] += 1;
    assert!(!claims_hold(&committed, &claims), "bytecode");
    let mut committed = c.witness.clone();
    committed.read_write.range_final_count[0] += 1;
    assert!(!claims_hold(&committed, &claims), "range memory");
}

#[test]
fn a_range_count_off_by_one_is_rejected() {
    let c = case(209, 20, false, 1);
    for delta in [1i64, -1] {
        let mut w = c.witness.clone();
        let count = &mut w.read_write.range_final_count[0];
        *count = (*count as i64 + delta) as u32;
        let (_, _, verified) = prove_and_verify(&c.pre, &w, &c.trace.io);
        assert!(is_range_mismatch(&verified), "{delta}: {verified:?}");
    }
}

// ---------------------------------------------------------------------------
// Soundness: the claimed I/O.

#[test]
fn claimed_io_must_be_what_the_program_read_and_wrote() {
    let c = case(210, 20, false, 1);
    let io = &c.trace.io;
    assert!(!io.outputs.is_empty());
    let (proof, _, verified) = prove_and_verify(&c.pre, &c.witness, io);
    assert!(verified.is_ok());
    let rejects = |bad: &ProgramIO| {
        verify(
            &c.pre,
            &c.witness.space,
            c.witness.trace_length(),
            bad,
            SegmentRole::WHOLE,
            &proof,
            &mut Transcript::new(b"memory test"),
        )
        .is_err()
    };
    let mut bad = io.clone();
    bad.outputs[0] ^= 1;
    assert!(rejects(&bad), "changed output byte");
    let mut bad = io.clone();
    bad.outputs.push(1);
    assert!(rejects(&bad), "longer output");
    let mut bad = io.clone();
    bad.outputs.pop();
    assert!(rejects(&bad), "shorter output");
    let mut bad = io.clone();
    bad.panicked = true;
    assert!(rejects(&bad), "panic flag");
    let mut bad = io.clone();
    bad.inputs[3] ^= 1;
    assert!(rejects(&bad), "changed input");
    let mut bad = io.clone();
    bad.inputs.push(0);
    assert!(rejects(&bad), "input with a trailing zero");
    let mut bad = io.clone();
    bad.inputs = vec![0; 65];
    assert!(rejects(&bad), "input larger than its region");

    // The honest prover on a witness whose final output word was changed
    // (consistently, as if the program had written it) is caught by the
    // output check.
    let out = c.witness.space.output_start();
    let mut w = c.witness.clone();
    w.read_write.final_value[out] ^= 1;
    assert!(!accepts(&c.pre, &w, io));

    // A panicking program must claim it.
    let p = case(211, 10, true, 1);
    assert!(p.trace.io.panicked);
    assert!(accepts(&p.pre, &p.witness, &p.trace.io));
    let mut bad = p.trace.io.clone();
    bad.panicked = false;
    assert!(!accepts(&p.pre, &p.witness, &bad));
}

/// A truncated run — the trace cut before its termination store, with the
/// rest padded — cannot be proven with any output: its termination word
/// is 0.
#[test]
fn a_truncated_trace_cannot_be_proven() {
    let c = case(212, 20, false, 1);
    let mut w = c.witness.clone();
    let cut = c.trace.steps.len() - 1;
    for t in cut..w.trace_length().t() {
        let noop = BytecodeRow::noop();
        let b = &mut w.bytecode;
        b.address[t] = 0;
        b.pc[t] = 0;
        b.flags[t] = noop.flags;
        b.rd[t] = noop.rd;
        b.rs1[t] = 0;
        b.rs2[t] = 0;
        b.imm[t] = 0;
        b.sequence_remaining[t] = 0;
        w.read_write.ram_address[t] = c.witness.space.termination_word() as u32;
        w.read_write.rd_write_value[t] = 0;
    }
    let mut counts = vec![0u32; c.pre.bytecode.rows().len()];
    for t in 0..w.trace_length().t() {
        counts[w.bytecode.address[t] as usize] += 1;
    }
    w.bytecode.final_count = counts;
    replay(&c.pre, &mut w);
    assert_eq!(
        w.read_write.final_value[c.witness.space.termination_word()],
        0
    );
    assert!(read_write_multisets_balance(&c.pre, &w, true));
    assert!(!accepts(&c.pre, &w, &c.trace.io));
}

// ---------------------------------------------------------------------------
// Soundness: tampered proofs and statements.

#[test]
fn tampered_proofs_are_rejected() {
    let c = case(213, 20, false, 1);
    let io = &c.trace.io;
    let (proof, _, verified) = prove_and_verify(&c.pre, &c.witness, io);
    assert!(verified.is_ok());
    let n = c.witness.trace_length();
    let check = |bad: &MemoryProof<Fr>, what: &str| {
        let result = verify(
            &c.pre,
            &c.witness.space,
            n,
            io,
            SegmentRole::WHOLE,
            bad,
            &mut Transcript::new(b"memory test"),
        );
        assert!(result.is_err(), "{what} was accepted");
    };
    let one = Fr::one();
    let mut bad = proof.clone();
    bad.products.outputs[0] += one;
    check(&bad, "grand product output");
    // The deepest layer (only the longest vectors) and a middle one (every
    // vector longer than 2^m).
    let layers = proof.products.layers.len();
    for m in [layers / 2, layers - 1] {
        let mut bad = proof.clone();
        *bad.products.layers[m].left.last_mut().unwrap() += one;
        check(&bad, "grand product layer value");
        let mut bad = proof.clone();
        bad.products.layers[m].right[0] += one;
        check(&bad, "grand product layer value");
    }
    let mut bad = proof.clone();
    bad.products.layers[3].sumcheck.round_polys[1].coeffs_except_linear_term[0] += one;
    check(&bad, "grand product sumcheck message");
    let mut bad = proof.clone();
    bad.read_write.output.sumcheck.round_polys[0].coeffs_except_linear_term[1] += one;
    check(&bad, "output sumcheck message");
    let mut bad = proof.clone();
    bad.read_write.output.final_value_eval += one;
    check(&bad, "output final value");
    for (column, _) in proof.read_write.step_evals.pairs() {
        let mut bad = proof.clone();
        bad.read_write.step_evals = StepEvals::from_fn(|c| {
            let v = proof.read_write.step_evals.get(c);
            if c == column {
                v + one
            } else {
                v
            }
        });
        check(&bad, &format!("per-step evaluation {column:?}"));
    }
    let mut bad = proof.clone();
    bad.read_write.final_value_eval += one;
    check(&bad, "final value evaluation");
    let mut bad = proof.clone();
    bad.read_write.final_timestamp_eval += one;
    check(&bad, "final timestamp evaluation");
    // The fraction sums of the range memory and the bytecode: their P, and
    // the numerator halves of every layer that sends them (the tables'
    // multiplicities at their own leaf layer).
    let g = &proof.products;
    let sums = g.numerator_outputs.len();
    for k in 0..sums {
        let mut bad = proof.clone();
        bad.products.numerator_outputs[k] += one;
        check(&bad, &format!("P of fraction sum {k}"));
    }
    for m in 0..g.layers.len() {
        if !g.layers[m].left_num.is_empty() {
            let mut bad = proof.clone();
            bad.products.layers[m].left_num[0] += one;
            check(&bad, &format!("layer {m}: left numerator"));
            let mut bad = proof.clone();
            *bad.products.layers[m].right_num.last_mut().unwrap() += one;
            check(&bad, &format!("layer {m}: right numerator"));
        }
    }
    // Reads and table of the bytecode and of the range memory.
    assert_eq!(sums, 4);
    for (column, _) in proof.bytecode.read_evals.pairs() {
        let mut bad = proof.clone();
        bad.bytecode.read_evals = BytecodeReadEvals::from_fn(|c| {
            let v = proof.bytecode.read_evals.get(c);
            if c == column {
                v + one
            } else {
                v
            }
        });
        check(&bad, &format!("bytecode evaluation {column:?}"));
    }
    for k in 0..proof.products.outputs.len() {
        let mut bad = proof.clone();
        bad.products.outputs[k] += one;
        check(&bad, &format!("product or Q {k}"));
    }

    // Shapes.
    let mut bad = proof.clone();
    bad.products.layers.pop();
    assert!(matches!(
        verify(
            &c.pre,
            &c.witness.space,
            n,
            io,
            SegmentRole::WHOLE,
            &bad,
            &mut Transcript::new(b"memory test")
        ),
        Err(VerifyError::Shape { .. })
    ));
    for log_t in [n.log_t() - 1, n.log_t() + 1] {
        let other = TraceLength::from_log(log_t).unwrap();
        assert!(verify(
            &c.pre,
            &c.witness.space,
            other,
            io,
            SegmentRole::WHOLE,
            &proof,
            &mut Transcript::new(b"memory test")
        )
        .is_err());
    }
    // Another program's preprocessing.
    let other = case(214, 20, false, 1);
    assert!(verify(
        &other.pre,
        &other.witness.space,
        n,
        io,
        SegmentRole::WHOLE,
        &proof,
        &mut Transcript::new(b"memory test")
    )
    .is_err());
    // Another transcript.
    assert!(verify(
        &c.pre,
        &c.witness.space,
        n,
        io,
        SegmentRole::WHOLE,
        &proof,
        &mut Transcript::new(b"other")
    )
    .is_err());
}

#[test]
fn prover_and_verifier_transcripts_agree() {
    let c = case(215, 10, false, 1);
    let mut pt = Transcript::new(b"memory test");
    let (proof, _) = prove::<Fr>(&c.pre, &c.witness, &mut pt);
    let mut vt = Transcript::new(b"memory test");
    verify(
        &c.pre,
        &c.witness.space,
        c.witness.trace_length(),
        &c.trace.io,
        SegmentRole::WHOLE,
        &proof,
        &mut vt,
    )
    .unwrap();
    assert_eq!(pt.log(), vt.log());
    let (a, b): (Fr, Fr) = (pt.challenge_scalar(b"next"), vt.challenge_scalar(b"next"));
    assert_eq!(a, b);
}

#[test]
fn proofs_serialize_and_bad_bytes_fail() {
    use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
    let c = case(216, 5, false, 1);
    let (proof, _, _) = prove_and_verify(&c.pre, &c.witness, &c.trace.io);
    let mut bytes = Vec::new();
    proof.serialize_compressed(&mut bytes).unwrap();
    let back = MemoryProof::<Fr>::deserialize_compressed(&bytes[..]).unwrap();
    assert_eq!(back, proof);
    for cut in (0..bytes.len()).step_by(97) {
        assert!(MemoryProof::<Fr>::deserialize_compressed(&bytes[..cut]).is_err());
    }
    let mut rng = ChaCha8Rng::seed_from_u64(217);
    for _ in 0..100 {
        let mut garbage = bytes.clone();
        let k = rng.gen_range(0..garbage.len());
        garbage[k] ^= 1 << rng.gen_range(0..8);
        if let Ok(p) = MemoryProof::<Fr>::deserialize_compressed(&garbage[..]) {
            if p != proof {
                assert!(verify(
                    &c.pre,
                    &c.witness.space,
                    c.witness.trace_length(),
                    &c.trace.io,
                    SegmentRole::WHOLE,
                    &p,
                    &mut Transcript::new(b"memory test")
                )
                .is_err());
            }
        }
    }
}

/// The vectors have four lengths (T: the bytecode's reads and the range
/// cells; 4T: the operations and the range reads; M: the memory cells; K:
/// the bytecode rows), equal or not; the circuit has as many layers as
/// the longest has variables, whichever it is.
#[test]
fn the_longest_vector_sets_the_layers() {
    let c = case(218, 10, false, 1);
    let m = c.witness.space.size();
    let k = c.pre.bytecode.rows().len();
    for t in [m / 4, m, k] {
        if t < c.trace.steps.len() {
            continue;
        }
        let trace_length = TraceLength::from_log(t.trailing_zeros() as usize).unwrap();
        let w = MemoryWitness::new(&c.pre, &c.trace, trace_length).unwrap();
        let (proof, _, verified) = prove_and_verify(&c.pre, &w, &c.trace.io);
        assert!(verified.is_ok_and(|claims| claims_hold(&w, &claims)));
        let longest = [t, 4 * t, m, k].into_iter().max().unwrap();
        assert_eq!(
            proof.products.layers.len(),
            longest.trailing_zeros() as usize,
            "T = {t}"
        );
    }
}
