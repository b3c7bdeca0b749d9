//! Segmented proofs end to end: an honest chain verifies, a run that fits
//! one segment gives the whole-run proof, and every tamper of the chain or
//! of one segment's statement is rejected with the check that catches it.

use std::sync::OnceLock;

use super::keys::{dev_preprocess, ProverKey, VerifierKey};
use super::proof::{Proof, SegmentStatement};
use super::prover::{prove_trace, prove_witness, ProveOptions};
use super::registry::WitnessColumn;
use super::segments::{
    memory_state, prove_segment_with, prove_segments, verify_segments, SegmentPlan,
};
use super::verifier::{verify, verify_segment};
use super::witness::Witness;
use super::ProofShape;
use crate::error::VerifyError;
use crate::memory::{MemoryColumn, SegmentRole, SegmentRun};
use crate::pcs::HyperKzg;
use crate::testing::programs::ProgramGenerator;
use crate::testing::tamper::{Tamper, Tampers};
use crate::tracer::segments::{RunSegment, SegmentStream};
use crate::tracer::{trace, MemoryLayout, Program};

type Keys = (ProverKey<HyperKzg>, VerifierKey<HyperKzg>);

const INPUTS: [u8; 8] = [7, 0, 0, 0, 9, 0, 0, 0];
const OTHER_INPUTS: [u8; 8] = [8, 0, 0, 0, 9, 0, 0, 0];
/// Segments of 2^6 steps: the generated run makes several.
const LOG_STEPS: u32 = 6;

fn program() -> Program {
    let layout = MemoryLayout::new(128 << 10, 4 << 10, 64, 64).unwrap();
    ProgramGenerator::new(5, layout).program(1, 12, false)
}

struct Fixture {
    keys: Keys,
    program: Program,
    plan: SegmentPlan,
    segments: Vec<RunSegment>,
    proofs: Vec<Proof<HyperKzg>>,
}

fn segments_of(program: &Program, inputs: &[u8]) -> Vec<RunSegment> {
    let mut stream = SegmentStream::new(program, inputs, LOG_STEPS, 1 << 20).unwrap();
    let mut out = Vec::new();
    while let Some(s) = stream.next_segment().unwrap() {
        out.push(s);
    }
    out
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let program = program();
        let whole = trace(&program, &INPUTS, 1 << 20).unwrap();
        let max = ProofShape::of(program.layout, &whole).unwrap();
        let keys = dev_preprocess(&program, max).unwrap();
        let plan = SegmentPlan::new(&keys.1.memory, &program, &INPUTS, LOG_STEPS, 1 << 20).unwrap();
        let out = prove_segments(&keys.0, &INPUTS, LOG_STEPS, &ProveOptions::default()).unwrap();
        Fixture {
            segments: segments_of(&program, &INPUTS),
            keys,
            program,
            plan,
            proofs: out.proofs,
        }
    })
}

fn io() -> &'static crate::tracer::ProgramIO {
    &fixture().plan.io
}

fn chain_error(proofs: &[Proof<HyperKzg>]) -> VerifyError {
    verify_segments(&fixture().keys.1, io(), proofs).expect_err("a tampered chain was accepted")
}

/// Segment `index` proven with `statement` instead of its own, from a
/// witness whose role and exit pc follow the statement (built as the honest
/// `SegmentRun` then relabelled, so that the prover's own checks do not
/// stop it): a malicious prover's segment.
fn prove_as(segment: &RunSegment, statement: SegmentStatement<HyperKzg>) -> Proof<HyperKzg> {
    let f = fixture();
    let pk = &f.keys.0;
    let honest = SegmentRole::of(segment.index, f.plan.count());
    let run = SegmentRun {
        steps: &segment.steps,
        role: honest,
        entry: (!honest.first).then(|| memory_state(&segment.entry)),
        exit: None,
        io: &f.plan.io,
    };
    let trace_length = super::shape::padded_trace_length(segment.steps.len()).unwrap();
    let mut witness = Witness::of_segment(
        &pk.vk,
        &f.plan.space,
        &run,
        trace_length,
        statement.exit_pc,
        false,
    )
    .unwrap();
    witness.memory.role = statement.role();
    let (_, proof, _) = prove_witness(
        pk,
        witness,
        f.plan.io.clone(),
        statement,
        &ProveOptions::default(),
        std::time::Instant::now(),
        &(),
    )
    .unwrap();
    proof
}

#[test]
fn an_honest_chain_verifies() {
    let f = fixture();
    let (pk, vk) = &f.keys;
    assert!(f.proofs.len() >= 3, "{} segments", f.proofs.len());
    verify_segments(vk, io(), &f.proofs).unwrap();
    let whole = trace(&f.program, &INPUTS, 1 << 20).unwrap();
    assert_eq!(f.plan.io, whole.io);
    assert_eq!(f.plan.steps.iter().sum::<u64>(), whole.steps.len() as u64);
    assert_eq!(f.plan.cycles, whole.cycles);
    for (j, proof) in f.proofs.iter().enumerate() {
        verify_segment(vk, io(), proof).unwrap();
        let s = &proof.segment;
        assert_eq!(s.index as usize, j);
        assert_eq!(s.init.is_some(), j > 0);
        // Segments other than the last are full, but for a cut sequence.
        if !s.last {
            assert_eq!(proof.trace_length, 1 << LOG_STEPS);
            assert!(s.steps + 7 >= 1 << LOG_STEPS);
        }
    }
    // Only a whole run passes the whole-run verifier.
    assert!(matches!(
        verify(vk, io(), &f.proofs[0]),
        Err(VerifyError::Segment { index: 0, .. })
    ));
    assert!(pk.max_shape.memory_vars >= f.plan.space.num_vars());
}

/// A run that fits one segment is proven as the whole run is, to the byte.
#[test]
fn one_segment_is_the_whole_run_proof() {
    let f = fixture();
    let (pk, vk) = &f.keys;
    let options = ProveOptions::default();
    let whole = prove_trace(pk, trace(&f.program, &INPUTS, 1 << 20).unwrap(), &options).unwrap();
    let one = prove_segments(pk, &INPUTS, 20, &options).unwrap();
    assert_eq!(one.proofs.len(), 1);
    assert_eq!(one.proofs[0], whole.proof);
    verify(vk, &one.io, &one.proofs[0]).unwrap();
    verify_segments(vk, &one.io, &one.proofs).unwrap();
}

#[test]
fn dropped_swapped_repeated_and_missing_segments_are_rejected() {
    let proofs = &fixture().proofs;
    let n = proofs.len();
    let out_of_place = |e: VerifyError, at: usize| {
        assert!(
            matches!(e, VerifyError::Segment { index, .. } if index == at),
            "{e}"
        );
    };
    let mut dropped = proofs.clone();
    dropped.remove(1);
    out_of_place(chain_error(&dropped), 1);
    let mut swapped = proofs.clone();
    swapped.swap(1, 2);
    out_of_place(chain_error(&swapped), 1);
    let mut repeated = proofs.clone();
    repeated.insert(2, proofs[1].clone());
    out_of_place(chain_error(&repeated), 2);
    // The run without its last segment: the new last one does not end it.
    out_of_place(chain_error(&proofs[..n - 1]), n - 2);
    out_of_place(chain_error(&proofs[1..]), 0);
    assert!(matches!(chain_error(&[]), VerifyError::Shape { .. }));
}

/// A segment with the right place but from another run (other inputs,
/// same program) breaks a link; the chain under another program's key is
/// rejected by the first segment.
#[test]
fn a_segment_of_another_run_or_program_is_rejected() {
    let f = fixture();
    let other = prove_segments(
        &f.keys.0,
        &OTHER_INPUTS,
        LOG_STEPS,
        &ProveOptions::default(),
    )
    .unwrap();
    verify_segments(&f.keys.1, &other.io, &other.proofs).unwrap();
    assert_ne!(other.io, f.plan.io);
    for j in [0, 2] {
        let mut mixed = f.proofs.clone();
        mixed[j] = other.proofs[j].clone();
        assert!(
            verify_segments(&f.keys.1, io(), &mixed).is_err(),
            "segment {j}"
        );
    }
    // Under the run's own I/O, the other run's middle segment fails its
    // own transcript even where its links happen to hold.
    assert!(verify_segment(&f.keys.1, io(), &other.proofs[2]).is_err());

    let layout = f.program.layout;
    let another = ProgramGenerator::new(6, layout).program(1, 12, false);
    let whole = trace(&another, &INPUTS, 1 << 20).unwrap();
    let (_, vk) = dev_preprocess(&another, ProofShape::of(layout, &whole).unwrap()).unwrap();
    assert!(verify_segments(&vk, io(), &f.proofs).is_err());
}

/// One segment's initial memory (and its final memory, so that the segment
/// balances on its own) changed at a word the run never touches: the
/// segment proof verifies alone, and the link to the segment before it
/// rejects the chain.
#[test]
fn a_boundary_state_changed_in_one_segment_is_rejected() {
    let f = fixture();
    let j = 1;
    // A word of the register block no register maps to: never accessed.
    let untouched = 50;
    let tampers = [MemoryColumn::InitValue, MemoryColumn::FinalValue].map(|c| Tamper::Witness {
        column: WitnessColumn::Memory(c),
        index: untouched,
    });
    let (proof, _) = prove_segment_with(
        &f.keys.0,
        &f.plan,
        &f.segments[j],
        &ProveOptions::default(),
        &Tampers(&tampers),
    )
    .unwrap();
    verify_segment(&f.keys.1, io(), &proof).unwrap();
    let mut chain = f.proofs.clone();
    chain[j] = proof;
    assert_eq!(
        chain_error(&chain),
        VerifyError::Segment {
            index: j,
            what: "its initial memory is not the previous segment's final memory"
        }
    );
}

/// A middle segment that starts and ends with x0 = 1 (its initial and
/// final memory changed alike at x0's word) is rejected on its own. The
/// segment reads x0 (as `li` and `mv` do), and those reads saw 0, so
/// read-write checking catches it before the output check's x0 = 0 claim;
/// that claim alone is not isolated here.
#[test]
fn a_middle_segment_with_x0_nonzero_is_rejected() {
    let f = fixture();
    let tampers = [MemoryColumn::InitValue, MemoryColumn::FinalValue].map(|c| Tamper::Witness {
        column: WitnessColumn::Memory(c),
        index: 0,
    });
    let (proof, _) = prove_segment_with(
        &f.keys.0,
        &f.plan,
        &f.segments[1],
        &ProveOptions::default(),
        &Tampers(&tampers),
    )
    .unwrap();
    assert!(matches!(
        verify_segment(&f.keys.1, io(), &proof),
        Err(VerifyError::MultisetMismatch {
            memory: "read-write memory",
            ..
        })
    ));
}

/// The segment that halts, stated as a middle segment (its exit pc the
/// next entry a longer run would have): its termination word is claimed 0
/// and is 1.
#[test]
fn a_middle_segment_that_halts_is_rejected() {
    let f = fixture();
    let last = f.segments.last().unwrap();
    let honest = &f.proofs.last().unwrap().segment;
    let statement = SegmentStatement {
        last: false,
        ..honest.clone()
    };
    let proof = prove_as(last, statement);
    assert!(matches!(
        verify_segment(&f.keys.1, io(), &proof),
        Err(VerifyError::FinalClaimMismatch {
            protocol: "memory output check"
        })
    ));
}

/// A segment that does not halt, stated as the last: the output check
/// claims termination 1 and the outputs, and the final memory has 0.
#[test]
fn a_last_segment_that_does_not_halt_is_rejected() {
    let f = fixture();
    let j = f.segments.len() - 2;
    let statement = SegmentStatement {
        last: true,
        ..f.proofs[j].segment.clone()
    };
    let proof = prove_as(&f.segments[j], statement);
    assert!(matches!(
        verify_segment(&f.keys.1, io(), &proof),
        Err(VerifyError::FinalClaimMismatch {
            protocol: "memory output check"
        })
    ));
}

/// Segment 0 must start at the program's entry from the image: a stated
/// entry elsewhere is refused, and segment 1's steps stated as segment 0
/// (entry pc and image as the statement demands) fail the entry-row claim
/// and the memory check.
#[test]
fn a_first_segment_not_at_the_entry_is_rejected() {
    let f = fixture();
    let vk = &f.keys.1;
    let mut moved = f.proofs[0].clone();
    moved.segment.entry_pc = f.proofs[1].segment.entry_pc;
    assert!(matches!(
        verify_segment(vk, io(), &moved),
        Err(VerifyError::Segment { index: 0, .. })
    ));
    let statement = SegmentStatement {
        index: 0,
        first_step: 0,
        entry_pc: f.proofs[0].segment.entry_pc,
        init: None,
        ..f.proofs[1].segment.clone()
    };
    let proof = prove_as(&f.segments[1], statement);
    assert!(verify_segment(vk, io(), &proof).is_err());
}

/// A segment whose stated exit pc (and the R1CS's public column with it)
/// is not where its last step goes: the exit rule fails in the R1CS.
#[test]
fn a_wrong_exit_pc_is_rejected() {
    let f = fixture();
    let honest = &f.proofs[1].segment;
    let statement = SegmentStatement {
        exit_pc: honest.exit_pc + 4,
        ..honest.clone()
    };
    let proof = prove_as(&f.segments[1], statement);
    assert!(matches!(
        verify_segment(&f.keys.1, io(), &proof),
        Err(VerifyError::FinalClaimMismatch {
            protocol: "spartan outer"
        })
    ));
    // Changing the statement of an honest proof changes its transcript.
    let mut relabelled = f.proofs[1].clone();
    relabelled.segment.exit_pc += 4;
    assert!(verify_segment(&f.keys.1, io(), &relabelled).is_err());
}

/// A statement's step count is what the padding says: one more or one
/// fewer step stated is rejected by the opening, and a count beyond T by
/// the shape check.
#[test]
fn a_wrong_step_count_is_rejected() {
    let f = fixture();
    let vk = &f.keys.1;
    let honest = &f.proofs[1].segment;
    let t = f.proofs[1].trace_length;
    let stated = [honest.steps - 1, honest.steps + 1]
        .into_iter()
        .filter(|&s| s <= t);
    for steps in stated {
        let statement = SegmentStatement {
            steps,
            ..honest.clone()
        };
        let proof = prove_as(&f.segments[1], statement);
        assert!(
            matches!(
                verify_segment(vk, io(), &proof),
                Err(VerifyError::Opening { .. })
            ),
            "{steps} steps"
        );
    }
    let mut beyond = f.proofs[1].clone();
    beyond.segment.steps = beyond.trace_length + 1;
    assert!(matches!(
        verify_segment(vk, io(), &beyond),
        Err(VerifyError::Segment { index: 1, .. })
    ));
}

/// The proof file of a segmented run: it round-trips, and a file whose
/// count says one segment more or less, or whose last proof is cut, is
/// refused by the decoder or the chain.
#[test]
fn a_segmented_file_round_trips_and_its_count_is_checked() {
    use super::proof::{ProofFile, ProofFileError};
    let f = fixture();
    let file = ProofFile {
        digest: f.keys.1.digest,
        io: io().clone(),
        proofs: f.proofs.clone(),
    };
    let bytes = file.to_bytes();
    let back = ProofFile::<HyperKzg>::from_bytes(&bytes).unwrap();
    assert_eq!(back, file);
    verify_segments(&f.keys.1, &back.io, &back.proofs).unwrap();
    // The count sits after magic, version, digest and the I/O.
    let at = 8 + 4 + 32 + 8 + io().inputs.len() + 8 + io().outputs.len() + 1;
    let count = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!(count as usize, f.proofs.len());
    for wrong in [0, count - 1, count + 1, u32::MAX] {
        let mut b = bytes.clone();
        b[at..at + 4].copy_from_slice(&wrong.to_le_bytes());
        let accepted = ProofFile::<HyperKzg>::from_bytes(&b)
            .is_ok_and(|f| verify_segments(&fixture().keys.1, &f.io, &f.proofs).is_ok());
        assert!(!accepted, "count {wrong}");
    }
    assert!(matches!(
        ProofFile::<HyperKzg>::from_bytes(&bytes[..bytes.len() - 1]),
        Err(ProofFileError::Body(_))
    ));
}
