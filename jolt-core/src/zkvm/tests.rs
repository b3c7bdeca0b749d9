//! End to end on a small program touching every kind of step (the CPU
//! tests' program, with 128 KiB of memory so the keys stay small): honest
//! proofs verify; the malicious-prover harness changes one value of every
//! committed column, the claimed I/O, the statement or any proof byte, and
//! the verifier rejects each.

use std::sync::OnceLock;

use ark_bn254::Fr;
use ark_ff::One;
use rayon::prelude::*;

use super::keys::{dev_preprocess, ProverKey, VerifierKey};
use super::proof::{ProofFile, ProofFileError};
use super::registry::WitnessColumn;
use super::{verify, ProofShape, ProveOptions, ProveOutput, TraceLength};
use crate::error::VerifyError;
use crate::memory::MemoryColumn;
use crate::pcs::HyperKzg;
use crate::r1cs::cpu_tests::program_in;
use crate::testing::tamper::{prove_tampered, Tamper};
use crate::tracer::{MemoryLayout, Trace};

type Keys = (ProverKey<HyperKzg>, VerifierKey<HyperKzg>);

fn layout() -> MemoryLayout {
    MemoryLayout::new(128 << 10, 4 << 10, 64, 64).unwrap()
}

fn fixture() -> &'static (Keys, Trace) {
    static F: OnceLock<(Keys, Trace)> = OnceLock::new();
    F.get_or_init(|| {
        let (program, trace) = program_in(layout());
        let max = ProofShape {
            trace_length: TraceLength::from_log(10).unwrap(),
            ..ProofShape::of(program.layout, &trace).unwrap()
        };
        (dev_preprocess(&program, max).unwrap(), trace)
    })
}

fn prove_with(tampers: Vec<Tamper>) -> ProveOutput<HyperKzg> {
    let ((pk, _), trace) = fixture();
    prove_tampered(pk, trace.clone(), &ProveOptions::default(), &tampers).unwrap()
}

fn honest() -> &'static ProveOutput<HyperKzg> {
    static P: OnceLock<ProveOutput<HyperKzg>> = OnceLock::new();
    P.get_or_init(|| prove_with(Vec::new()))
}

#[test]
fn honest_proof_verifies_and_round_trips() {
    let ((_, vk), _) = fixture();
    let out = honest();
    verify(vk, &out.io, &out.proof).unwrap();
    let file = ProofFile {
        digest: vk.digest,
        io: out.io.clone(),
        proofs: vec![out.proof.clone()],
    };
    let bytes = file.to_bytes();
    let back = ProofFile::<HyperKzg>::from_bytes(&bytes).unwrap();
    assert_eq!(back, file);
    verify(vk, &back.io, &back.proofs[0]).unwrap();
}

/// The size table of `docs/benchmarks.md` comes from `Proof::parts`: its
/// parts cover every byte of the proof, once.
#[test]
fn proof_parts_sum_to_the_proof_size() {
    let proof = &honest().proof;
    let parts = proof.parts();
    assert_eq!(parts.iter().map(|(_, b)| b).sum::<usize>(), proof.size());
    assert!(parts
        .iter()
        .any(|(name, _)| name.starts_with("grand products (")));
}

/// Entry `index` of every committed column, changed after tracing: the
/// index is a real step in the middle of the run for per-step columns
/// (and the first padding step), entry 1 of the others (and the last
/// entry of the columns committed in pieces, the final counts and the
/// window's, in their last piece).
#[test]
fn every_committed_column_change_is_rejected() {
    let ((_, vk), trace) = fixture();
    let trace_length = TraceLength::from_proof("test", honest().proof.trace_length).unwrap();
    let t = trace_length.t();
    let steps = trace.steps.len();
    assert!(steps < t, "the fixture has padding steps");
    let mut changes = Vec::new();
    for &column in vk.registry.columns() {
        let len = match column {
            WitnessColumn::Memory(c) => c.len(
                trace_length,
                vk.memory.bytecode.rows().len(),
                1 << honest().proof.memory_vars,
            ),
            WitnessColumn::Lasso(crate::lasso::LassoColumn::FinalCount(_)) => {
                vk.params.subtable_size()
            }
            _ => t,
        };
        let indices = if len == t {
            vec![steps / 2, steps]
        } else if matches!(
            column,
            WitnessColumn::Lasso(crate::lasso::LassoColumn::FinalCount(_))
                | WitnessColumn::Memory(MemoryColumn::FinalValue | MemoryColumn::FinalTimestamp)
        ) {
            // The first and the last piece of a split column.
            vec![1, len - 1]
        } else {
            vec![1]
        };
        changes.extend(indices.into_iter().map(|index| (column, index)));
    }
    // The changes are independent; checked two at a time (this is the
    // suite's longest test), and every accepted one is reported.
    let accepted: Vec<_> = changes
        .into_par_iter()
        .with_max_len(1)
        .filter(|&(column, index)| {
            let out = prove_with(vec![Tamper::Witness { column, index }]);
            verify(vk, &out.io, &out.proof).is_ok()
        })
        .collect();
    assert!(accepted.is_empty(), "accepted after a change: {accepted:?}");
}

/// The commitment's table-read hints hold for an honest witness, so the
/// fast kernel is the one that runs: every Lasso read value, every Lasso
/// flag and every bytecode field but the counts is a read of its table.
#[test]
fn table_read_hints_hold_for_an_honest_witness() {
    use super::witness::Witness;
    use crate::lasso::LassoColumn;
    use crate::memory::BytecodeColumn;
    let ((_, vk), trace) = fixture();
    let trace_length = TraceLength::from_proof("test", honest().proof.trace_length).unwrap();
    let witness = Witness::<Fr>::owned_columns(vk, trace, trace_length).unwrap();
    let mut hinted = 0;
    for &column in vk.registry.columns() {
        let expected = match column {
            WitnessColumn::Lasso(LassoColumn::ReadValue(_) | LassoColumn::Flag(_)) => true,
            WitnessColumn::Memory(MemoryColumn::Bytecode(c)) => {
                !matches!(c, BytecodeColumn::FinalCount)
            }
            _ => false,
        };
        let read = witness.table_read(column);
        assert_eq!(read.is_some(), expected, "{column:?}");
        if let Some(read) = read {
            assert!(read.holds_for(&witness.column(column)), "{column:?}");
            hinted += 1;
        }
    }
    assert!(hinted > 50, "{hinted} hinted columns");
}

/// The proof's I/O must be the run's: other outputs, panic flag or inputs
/// are rejected, whether the honest proof is checked against them or the
/// prover claims them from the start.
#[test]
fn other_io_is_rejected() {
    let ((_, vk), _) = fixture();
    let out = honest();
    let mut others = Vec::new();
    let mut io = out.io.clone();
    io.outputs = vec![1];
    others.push(io);
    let mut io = out.io.clone();
    io.panicked = !io.panicked;
    others.push(io);
    let mut io = out.io.clone();
    io.inputs = vec![7, 0, 0, 1];
    others.push(io);
    let mut io = out.io.clone();
    io.outputs = vec![0, 0, 0, 0, 5];
    others.push(io);
    // Outputs with a trailing zero byte denote the same region but are not
    // the canonical statement.
    let mut io = out.io.clone();
    io.outputs.push(0);
    assert!(verify(vk, &io, &out.proof).is_err());
    // I/O larger than its regions: an error, not a panic.
    let mut io = out.io.clone();
    io.inputs = vec![1; 1 << 20];
    assert!(verify(vk, &io, &out.proof).is_err());
    let mut io = out.io.clone();
    io.outputs = vec![1; 1 << 20];
    assert!(verify(vk, &io, &out.proof).is_err());
    for io in others {
        assert!(verify(vk, &io, &out.proof).is_err(), "{io:?}");
        let forged = prove_with(vec![Tamper::Io(io.clone())]);
        assert!(verify(vk, &io, &forged.proof).is_err(), "claimed {io:?}");
    }
}

/// Bug class 1 (docs/architecture.md): shape fields that disagree with the key are
/// rejected before anything is sized by them.
#[test]
fn shape_fields_are_checked_first() {
    let ((_, vk), _) = fixture();
    let out = honest();
    for t in [0u64, 3, 1 << 30, 1 << 62, u64::MAX] {
        let mut proof = out.proof.clone();
        proof.trace_length = t;
        assert!(matches!(
            verify(vk, &out.io, &proof),
            Err(VerifyError::Shape { .. })
        ));
    }
    // A trace length that is valid but not the proof's: rounds disagree.
    let mut proof = out.proof.clone();
    proof.trace_length *= 2;
    assert!(verify(vk, &out.io, &proof).is_err());
    // Memory windows the layout rules out: smaller than the registers, I/O
    // and image, larger than the layout.
    let full = vk.memory.full_space().num_vars();
    for m in [0, vk.memory.min_window_vars - 1, full + 1, u8::MAX as usize] {
        let mut proof = out.proof.clone();
        proof.memory_vars = m as u8;
        assert!(
            matches!(verify(vk, &out.io, &proof), Err(VerifyError::Shape { .. })),
            "window 2^{m}"
        );
    }
    // Windows the layout allows but the proof was not made for.
    let honest_m = out.proof.memory_vars as usize;
    assert!(honest_m < full);
    for m in [honest_m - 1, honest_m + 1, full] {
        if vk.memory.window(m).is_none() {
            continue;
        }
        let mut proof = out.proof.clone();
        proof.memory_vars = m as u8;
        assert!(verify(vk, &out.io, &proof).is_err(), "window 2^{m}");
    }
    let mut proof = out.proof.clone();
    proof.commitments.pop();
    assert!(matches!(
        verify(vk, &out.io, &proof),
        Err(VerifyError::Shape { .. })
    ));
    let mut proof = out.proof.clone();
    proof.r1cs.evals.push(Fr::one());
    assert!(matches!(
        verify(vk, &out.io, &proof),
        Err(VerifyError::Shape { .. })
    ));
    let mut proof = out.proof.clone();
    proof.lasso.flag_evals.pop();
    assert!(matches!(
        verify(vk, &out.io, &proof),
        Err(VerifyError::Shape { .. })
    ));
}

/// Bug class 2: a replay with one absorbed item changed (the key digest,
/// a commitment, the order of two commitments) is rejected.
#[test]
fn changed_transcript_items_are_rejected() {
    let ((pk, _), _) = fixture();
    let out = honest();
    let mut vk = super::keys::verifier_key(
        &pk.program,
        &crate::pcs::Srs::insecure_dev_setup(0, super::DEV_SRS_SEED),
    )
    .unwrap();
    verify(&vk, &out.io, &out.proof).unwrap();
    vk.digest[0] ^= 1;
    assert!(verify(&vk, &out.io, &out.proof).is_err());
    vk.digest[0] ^= 1;
    let mut proof = out.proof.clone();
    proof.commitments.swap(0, 1);
    assert!(verify(&vk, &out.io, &proof).is_err());
}

/// The fixture's proofs (T = 2^10, a window of a few thousand words)
/// commit the 2^16-cell final counts and the window's two columns in
/// pieces of 2^10 entries, so the opening runs at T. A changed, swapped,
/// missing or extra piece value, and two piece commitments swapped, are
/// rejected. (A forged set of values that still sums to the claim fails
/// the opening: `pcs::pieces`' tests.)
#[test]
fn long_columns_are_committed_in_pieces_and_every_piece_is_checked() {
    use crate::lasso::LassoColumn;
    use crate::memory::SegmentRole;
    let ((_, vk), _) = fixture();
    let out = honest();
    let trace_length = TraceLength::from_proof("test", out.proof.trace_length).unwrap();
    let layout = vk.commitment_layout(
        ProofShape {
            trace_length,
            memory_vars: out.proof.memory_vars as usize,
        },
        SegmentRole::WHOLE,
    );
    assert_eq!(layout.piece_vars, trace_length.log_t(), "{layout:?}");
    let position = |c| vk.registry.position(c).unwrap();
    let final_count = position(WitnessColumn::Lasso(LassoColumn::FinalCount(0)));
    let final_value = position(WitnessColumn::Memory(MemoryColumn::FinalValue));
    let final_timestamp = position(WitnessColumn::Memory(MemoryColumn::FinalTimestamp));
    let window_pieces = layout.pieces_of(final_value);
    assert!(window_pieces > 1, "{layout:?}");
    assert_eq!(layout.pieces_of(final_timestamp), window_pieces);
    let count_pieces = layout.pieces_of(final_count);
    assert!(count_pieces > 1, "{layout:?}");
    assert_eq!(out.proof.commitments.len(), layout.len());
    // The window's claims (final value and timestamp at the M point, the
    // final value at the outputs) come first, then the final counts'.
    let chunks = vk.lasso.num_chunks();
    let window_evals = 3 * window_pieces;
    assert_eq!(
        out.proof.piece_evals.len(),
        window_evals + chunks * count_pieces
    );
    let n = out.proof.piece_evals.len();
    for j in [0, 1, window_pieces, window_evals - 1, window_evals, n - 1] {
        let mut proof = out.proof.clone();
        proof.piece_evals[j] += Fr::one();
        assert!(
            matches!(
                verify(vk, &out.io, &proof),
                Err(VerifyError::Opening { .. })
            ),
            "piece value {j}"
        );
    }
    for j in [0, window_evals] {
        let mut proof = out.proof.clone();
        proof.piece_evals.swap(j, j + 1);
        assert!(verify(vk, &out.io, &proof).is_err(), "swapped {j}");
    }
    let mut proof = out.proof.clone();
    proof.piece_evals.pop();
    assert!(matches!(
        verify(vk, &out.io, &proof),
        Err(VerifyError::Shape { .. })
    ));
    let mut proof = out.proof.clone();
    proof.piece_evals.push(Fr::one());
    assert!(matches!(
        verify(vk, &out.io, &proof),
        Err(VerifyError::Shape { .. })
    ));
    for column in [final_count, final_value, final_timestamp] {
        let pieces = layout.commitments_of(column);
        let mut proof = out.proof.clone();
        proof.commitments.swap(pieces.start, pieces.start + 1);
        assert!(verify(vk, &out.io, &proof).is_err(), "column {column}");
    }
}

/// How a proof commits its long columns: in pieces of the opening's size,
/// consecutive, in registry order; the window's columns only in a proof of
/// a whole run (a segment's final memory is one commitment, which the next
/// segment states as its initial memory).
#[test]
fn the_commitment_layout_splits_only_the_long_columns() {
    use crate::lasso::LassoColumn;
    let ((_, vk), _) = fixture();
    let registry = &vk.registry;
    let position = |c| registry.position(c).unwrap();
    let final_value = position(WitnessColumn::Memory(MemoryColumn::FinalValue));
    let final_timestamp = position(WitnessColumn::Memory(MemoryColumn::FinalTimestamp));
    let chunks = vk.lasso.num_chunks();
    for (split_window, window_pieces) in [(true, 4), (false, 1)] {
        let layout = registry.commitment_layout(10, 12, split_window);
        let mut next = 0;
        for (i, &column) in registry.columns().iter().enumerate() {
            let expected = match column {
                WitnessColumn::Lasso(LassoColumn::FinalCount(_)) => 64,
                _ if i == final_value || i == final_timestamp => window_pieces,
                _ => 1,
            };
            assert_eq!(layout.pieces_of(i), expected, "{column:?}");
            assert_eq!(layout.is_split(i), expected > 1, "{column:?}");
            assert_eq!(
                layout.commitments_of(i),
                next..next + expected,
                "{column:?}"
            );
            next += expected;
        }
        assert_eq!(layout.len(), next);
        assert_eq!(
            layout.len(),
            registry.len() - chunks - 2 + chunks * 64 + 2 * window_pieces
        );
    }
    // A window no longer than the opening is committed whole.
    let layout = registry.commitment_layout(12, 12, true);
    assert_eq!(layout.pieces_of(final_value), 1);
}

/// Which proofs split the window's columns: only a proof of a whole run
/// (a segment's final memory is linked to the next segment's initial
/// memory as one commitment), and in at most 2^MAX_WINDOW_PIECES_LOG
/// pieces, the opening growing instead.
#[test]
fn only_a_whole_run_splits_the_window_and_in_boundedly_many_pieces() {
    use super::keys::MAX_WINDOW_PIECES_LOG;
    use crate::lasso::LassoColumn;
    use crate::memory::SegmentRole;
    let ((_, vk), _) = fixture();
    let position = |c| vk.registry.position(c).unwrap();
    let final_value = position(WitnessColumn::Memory(MemoryColumn::FinalValue));
    let final_count = position(WitnessColumn::Lasso(LassoColumn::FinalCount(0)));
    let shape = |memory_vars| ProofShape {
        trace_length: TraceLength::from_log(10).unwrap(),
        memory_vars,
    };
    let whole = vk.commitment_layout(shape(12), SegmentRole::WHOLE);
    assert_eq!(whole.piece_vars, 10);
    assert_eq!(whole.pieces_of(final_value), 4);
    assert_eq!(whole.pieces_of(final_count), 64);
    for (first, last) in [(true, false), (false, true), (false, false)] {
        let layout = vk.commitment_layout(shape(12), SegmentRole { first, last });
        assert_eq!(layout.piece_vars, 12, "first {first}, last {last}");
        assert_eq!(
            layout.pieces_of(final_value),
            1,
            "first {first}, last {last}"
        );
        assert_eq!(
            layout.pieces_of(final_count),
            16,
            "first {first}, last {last}"
        );
    }
    let far = vk.commitment_layout(shape(20), SegmentRole::WHOLE);
    assert_eq!(far.piece_vars, 20 - MAX_WINDOW_PIECES_LOG);
    assert_eq!(far.pieces_of(final_value), 1 << MAX_WINDOW_PIECES_LOG);
    assert_eq!(far.pieces_of(final_count), 2);
}

/// A proof of a whole run restated as a segment of a longer run has
/// another commitment layout (and transcript): rejected.
#[test]
fn a_whole_run_restated_as_a_segment_is_rejected() {
    use super::verify_segment;
    let ((_, vk), _) = fixture();
    let out = honest();
    verify_segment(vk, &out.io, &out.proof).unwrap();
    let mut proof = out.proof.clone();
    proof.segment.last = false;
    assert!(verify_segment(vk, &out.io, &proof).is_err());
}

/// The zkVM's side of the pieces: `claims_to_open` hands a claim on a
/// split final count on as one claim per piece commitment, at the point's
/// low coordinates, only if the piece values sum to it. (Without that
/// check, committed counts other than those Lasso's claim is about would
/// pass: each piece's own value opens correctly.)
#[test]
fn piece_values_must_sum_to_the_claim_they_replace() {
    use super::protocol::{claims_to_open, ClaimTarget, OpeningTarget};
    use crate::lasso::LassoColumn;
    use crate::opening::OpeningClaim;
    use crate::poly::EqPolynomial;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    let ((_, vk), _) = fixture();
    let layout = vk.registry.commitment_layout(10, 12, true);
    let column = WitnessColumn::Lasso(LassoColumn::FinalCount(1));
    let i = vk.registry.position(column).unwrap();
    assert_eq!(layout.pieces_of(i), 64);
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
    let point: Vec<Fr> = (0..16).map(|_| Fr::rand(&mut rng)).collect();
    let evals: Vec<Fr> = (0..64).map(|_| Fr::rand(&mut rng)).collect();
    let eq_top = EqPolynomial::new(point[..6].to_vec()).evals();
    let value: Fr = eq_top.iter().zip(&evals).map(|(e, v)| *e * v).sum();
    let claims = |value| {
        vec![(
            ClaimTarget::Column(i),
            OpeningClaim::new(column, point.clone(), value),
        )]
    };
    let honest = claims(value);
    let open = claims_to_open(&layout, &honest, &evals).unwrap();
    assert_eq!(open.len(), 64);
    for (claim, (k, v)) in open.iter().zip(layout.commitments_of(i).zip(&evals)) {
        assert_eq!(claim.target, OpeningTarget::Commitment(k));
        assert_eq!(claim.point, &point[6..]);
        assert_eq!(claim.value, *v);
    }
    let wrong = claims(value + Fr::one());
    assert!(matches!(
        claims_to_open(&layout, &wrong, &evals),
        Err(VerifyError::Opening { .. })
    ));
    assert!(matches!(
        claims_to_open(&layout, &honest, &evals[1..]),
        Err(VerifyError::Shape { .. })
    ));
}

/// Any single flipped bit of the proof file is rejected: by decoding or by
/// the verifier (a sweep over every 29th byte and every bit of the header).
#[test]
fn flipped_proof_bytes_are_rejected() {
    let ((_, vk), _) = fixture();
    let out = honest();
    let file = ProofFile {
        digest: vk.digest,
        io: out.io.clone(),
        proofs: vec![out.proof.clone()],
    };
    let bytes = file.to_bytes();
    let header = 8 + 4 + 32;
    let offsets: Vec<usize> = (0..header)
        .chain((header..bytes.len()).step_by(29))
        .collect();
    // Verification is mostly serial, so the flips are checked two at a time.
    let accepted: Vec<(usize, u8)> = offsets
        .into_par_iter()
        .flat_map_iter(|offset| [0u8, 5].map(|bit| (offset, bit)))
        .filter(|&(offset, bit)| {
            let mut b = bytes.clone();
            b[offset] ^= 1 << bit;
            match ProofFile::<HyperKzg>::from_bytes(&b) {
                Err(_) => false,
                Ok(f) => {
                    f.digest == vk.digest && super::verify_segments(vk, &f.io, &f.proofs).is_ok()
                }
            }
        })
        .collect();
    assert!(
        accepted.is_empty(),
        "(byte, bit) flipped and accepted: {accepted:?}"
    );
    for cut in [0, 7, 12, header, bytes.len() / 2, bytes.len() - 1] {
        assert!(ProofFile::<HyperKzg>::from_bytes(&bytes[..cut]).is_err());
    }
    // A file of the previous format version is refused by name.
    let mut old_version = bytes.clone();
    old_version[8..12].copy_from_slice(&11u32.to_le_bytes());
    let err = ProofFile::<HyperKzg>::from_bytes(&old_version).unwrap_err();
    assert!(matches!(
        err,
        ProofFileError::UnsupportedVersion {
            found: 11,
            supported: 12
        }
    ));
    assert_eq!(
        err.to_string(),
        "proof file version 11; this build reads version 12"
    );
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(matches!(
        ProofFile::<HyperKzg>::from_bytes(&trailing),
        Err(ProofFileError::TrailingBytes(1))
    ));
}

/// Bug class 4: a run cut before its termination store has no valid
/// witness (the prover refuses), and forging the termination word in the
/// final memory is one of the column changes the verifier rejects.
#[test]
fn truncated_run_is_rejected() {
    let ((pk, vk), trace) = fixture();
    let mut cut = trace.clone();
    cut.steps.truncate(trace.steps.len() - 1);
    assert!(super::prove_trace(pk, cut, &ProveOptions::default()).is_err());
    let term = vk.memory.full_space().termination_word();
    let out = prove_with(vec![Tamper::Witness {
        column: WitnessColumn::Memory(MemoryColumn::FinalValue),
        index: term,
    }]);
    assert!(verify(vk, &out.io, &out.proof).is_err());
}

/// The step index of the first step of `trace` matching `pred`.
fn step_where(trace: &Trace, pred: impl Fn(&crate::tracer::Step) -> bool) -> usize {
    trace
        .steps
        .iter()
        .position(pred)
        .expect("the fixture has such a step")
}

/// Bytecode checking reads the lookup flags Lasso commits (the claims on
/// them open Lasso's columns): a padding step given the ADD flag keeps
/// Lasso and the R1CS satisfied (0 + 0 = 0) and is caught only by that
/// tie. The honest prover's own sumcheck self-check trips first in debug
/// builds; a release build makes a proof the verifier rejects.
#[test]
fn lookup_flags_are_the_bytecode_rows() {
    let ((_, vk), trace) = fixture();
    let add = crate::lasso::layout::flag_index(instructions::lookups::LookupKind::Add);
    let tamper = vec![Tamper::LassoFlagOnly {
        kind: add,
        index: trace.steps.len(),
    }];
    match std::panic::catch_unwind(|| prove_with(tamper)) {
        Ok(out) => assert!(verify(vk, &out.io, &out.proof).is_err()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .unwrap_or("");
            assert!(message.contains("s(0) + s(1) != claim"), "{message}");
        }
    }
}

fn rejected(tampers: Vec<Tamper>) -> bool {
    let ((_, vk), _) = fixture();
    let out = prove_with(tampers);
    verify(vk, &out.io, &out.proof).is_err()
}

fn change(column: MemoryColumn, index: usize) -> Tamper {
    Tamper::Witness {
        column: WitnessColumn::Memory(column),
        index,
    }
}

/// Bug classes 3, 5, 6 and 7 (docs/architecture.md), each at the step it is about.
#[test]
fn regression_bug_classes() {
    use crate::memory::Slot;
    use instructions::flags::CircuitFlag;
    use instructions::Opcode;
    let ((_, _), trace) = fixture();
    let steps = trace.steps.len();
    // A write to x0 that is not zero.
    let x0 = step_where(trace, |s| {
        s.instruction.opcode == Opcode::Add && s.instruction.rd == 0
    });
    assert!(rejected(vec![change(MemoryColumn::RdWriteValue, x0)]));
    // rs1 == rs2: the two reads must agree with the one register.
    let same = step_where(trace, |s| {
        s.instruction.opcode == Opcode::Add && s.instruction.rs1 == s.instruction.rs2
    });
    assert!(rejected(vec![change(
        MemoryColumn::ReadValue(Slot::Rs2),
        same
    )]));
    // DIV: wrong advice (quotient) for i32 operands with a negative divisor.
    let advice = step_where(trace, |s| s.instruction.opcode == Opcode::VirtualAdvice);
    assert!(rejected(vec![change(MemoryColumn::RdWriteValue, advice)]));
    // A taken branch's next pc, and its flags.
    let branch = step_where(trace, |s| s.instruction.opcode == Opcode::Bne);
    assert!(rejected(vec![change(
        MemoryColumn::Bytecode(crate::memory::bytecode::BytecodeColumn::Pc),
        branch + 1
    )]));
    assert!(rejected(vec![Tamper::Witness {
        column: WitnessColumn::Memory(MemoryColumn::Bytecode(
            crate::memory::bytecode::BytecodeColumn::CircuitFlag(CircuitFlag::Branch),
        )),
        index: branch,
    }]));
    // Padding that does something: writes a register, stores, is not a no-op.
    assert!(rejected(vec![change(MemoryColumn::RdWriteValue, steps)]));
    assert!(rejected(vec![change(
        MemoryColumn::RamWriteValue,
        steps + 1
    )]));
    assert!(rejected(vec![Tamper::Witness {
        column: WitnessColumn::Memory(MemoryColumn::Bytecode(
            crate::memory::bytecode::BytecodeColumn::CircuitFlag(CircuitFlag::NoOp),
        )),
        index: steps,
    }]));
}

/// The column counts docs/zkvm.md states.
#[test]
fn registry_counts() {
    let ((_, vk), _) = fixture();
    let count =
        |f: fn(&WitnessColumn) -> bool| vk.registry.columns().iter().filter(|c| f(c)).count();
    let counts = [
        count(|c| matches!(c, WitnessColumn::Memory(_))),
        count(|c| matches!(c, WitnessColumn::Lasso(_))),
        count(|c| matches!(c, WitnessColumn::Aux(_))),
    ];
    assert_eq!(counts, [45, 95, 17]);
    assert_eq!(vk.registry.len(), 157);
}

/// A forger's DIVU 7 / 2: quotient advice 2^31 + 3, whose product with 2
/// wraps to 6, so the difference and the remainder assertion hold exactly
/// as for the honest 3 and only the checked product fails (2^32 + 6). The
/// forger commits the wrapped product as the lookup's output, writes it to
/// rd and carries the forged quotient through the trace consistently; the
/// verifier rejects the proof. The same forger on the honest trace is
/// accepted, so the rejection is the failed check's, not the harness's.
#[test]
fn a_division_with_a_wrapping_quotient_is_rejected() {
    use crate::testing::elf::{build_elf, ElfSegment};
    use crate::testing::programs::{halt, i, li};
    use crate::tracer::{trace, Program, RAM_BASE};
    use instructions::Opcode::{Divu, VirtualAdvice, VirtualDivZeroSelect};

    let layout = layout();
    let mut code = Vec::new();
    code.extend(li(11, 7));
    code.extend(li(12, 2));
    code.push(i(Divu, 13, 11, 12, 0));
    code.extend(halt(&layout, 5));
    let elf = build_elf(RAM_BASE, &[ElfSegment::code(RAM_BASE, &code)]);
    let program = Program::from_elf(&elf, layout).unwrap();
    let honest_trace = trace(&program, &[], 1_000).unwrap();
    let (pk, vk) =
        dev_preprocess(&program, ProofShape::of(layout, &honest_trace).unwrap()).unwrap();

    // The forgery: v0 (the advice register) and rd hold 2^31 + 3 from the
    // advice step on; every later read and the final registers agree.
    let forged_q = 0x8000_0003u32;
    let mut forged = honest_trace.clone();
    let advice = forged
        .steps
        .iter()
        .position(|s| s.instruction.opcode == VirtualAdvice)
        .expect("the DIVU sequence's advice step");
    let v0 = forged.steps[advice].instruction.rd;
    assert_eq!(forged.steps[advice].rd.unwrap().after, 3);
    for step in &mut forged.steps[advice..] {
        for read in [&mut step.rs1, &mut step.rs2].into_iter().flatten() {
            if read.register == v0 {
                read.value = forged_q;
            }
        }
        let select = step.instruction.opcode == VirtualDivZeroSelect;
        if let Some(write) = &mut step.rd {
            if write.register == v0 || (select && write.register == 13) {
                write.after = forged_q;
            }
        }
        if select {
            break;
        }
    }
    forged.final_registers[v0 as usize] = forged_q;
    forged.final_registers[13] = forged_q;

    let prove = |t: &Trace| {
        prove_tampered(
            &pk,
            t.clone(),
            &ProveOptions::default(),
            &[Tamper::WrapFailedChecks],
        )
        .unwrap()
    };
    let control = prove(&honest_trace);
    verify(&vk, &control.io, &control.proof).unwrap();
    // Without the wrapping the forged trace has no witness at all.
    assert!(prove_tampered(&pk, forged.clone(), &ProveOptions::default(), &[]).is_err());
    let out = prove(&forged);
    // The committed output (the wrapped product) is not g of the reads.
    let err = verify(&vk, &out.io, &out.proof).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::FinalClaimMismatch {
                protocol: "lasso primary sumcheck"
            }
        ),
        "{err:?}"
    );
}
