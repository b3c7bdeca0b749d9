//! Memory checking on the traces of every example guest: the proof
//! verifies, every opening claim it hands on is a true evaluation of the
//! committed columns, and claiming other outputs, another panic flag or
//! other inputs is rejected.

use ark_bn254::Fr;
use example_tests::build;
use jolt_core::memory::{self, MemoryColumn, MemoryPreprocessing, MemoryWitness};
use jolt_core::opening::OpeningClaim;
use jolt_core::tracer::{trace, ProgramIO, Trace};
use jolt_core::transcript::Transcript;
use jolt_core::zkvm::{padded_trace_length, TraceLength};
use jolt_sdk::host::{serialize_input, DEFAULT_MAX_CYCLES};
use serde::Serialize;

fn claims_hold(witness: &MemoryWitness, claims: &[OpeningClaim<MemoryColumn, Fr>]) -> bool {
    jolt_core::testing::claims_hold(|c| Some(witness.column::<Fr>(c)), claims)
}

fn verify(
    pre: &MemoryPreprocessing,
    witness: &MemoryWitness,
    proof: &memory::MemoryProof<Fr>,
    io: &ProgramIO,
    trace_length: TraceLength,
) -> Result<Vec<OpeningClaim<MemoryColumn, Fr>>, jolt_core::error::VerifyError> {
    memory::verify(
        pre,
        witness.space(),
        trace_length,
        io,
        memory::SegmentRole::WHOLE,
        proof,
        &[],
        &mut Transcript::new(b"memory guest"),
    )
    .map(|(claims, _)| claims)
}

/// Proves memory checking for `example` on `input`, checks completeness and
/// that other claimed I/O is rejected; returns the trace.
fn check_bytes(example: &str, input: &[u8]) -> Trace {
    let program = build(example);
    let t = trace(&program, input, DEFAULT_MAX_CYCLES).unwrap_or_else(|e| panic!("{example}: {e}"));
    let pre = MemoryPreprocessing::new(&program);
    let trace_length = padded_trace_length(t.steps.len()).unwrap();
    let witness =
        MemoryWitness::new(&pre, &t, trace_length).unwrap_or_else(|e| panic!("{example}: {e}"));
    let (proof, prover_claims, _) = memory::prove::<Fr>(
        &pre,
        &witness,
        Vec::new(),
        &mut Transcript::new(b"memory guest"),
    );
    let claims = verify(&pre, &witness, &proof, &t.io, trace_length)
        .unwrap_or_else(|e| panic!("{example}: {e}"));
    assert_eq!(claims, prover_claims, "{example}");
    assert!(
        claims_hold(&witness, &claims),
        "{example}: a false opening claim"
    );

    let mut other = t.io.clone();
    match other.outputs.first_mut() {
        Some(byte) => *byte ^= 1,
        None => other.outputs.push(1),
    }
    assert!(
        verify(&pre, &witness, &proof, &other, trace_length).is_err(),
        "{example}: other outputs"
    );
    let mut other = t.io.clone();
    other.panicked = !other.panicked;
    assert!(
        verify(&pre, &witness, &proof, &other, trace_length).is_err(),
        "{example}: panic flag"
    );
    let mut other = t.io.clone();
    match other.inputs.first_mut() {
        Some(byte) => *byte ^= 1,
        None => other.inputs.push(1),
    }
    assert!(
        verify(&pre, &witness, &proof, &other, trace_length).is_err(),
        "{example}: other inputs"
    );
    t
}

fn check<I: Serialize>(example: &str, input: &I) -> Trace {
    check_bytes(example, &serialize_input(input).unwrap())
}

#[test]
fn fibonacci() {
    assert!(!check("fibonacci", &30u32).io.panicked);
}

#[test]
fn collatz() {
    #[derive(Serialize)]
    enum Query {
        Steps(u64),
    }
    check("collatz", &Query::Steps(27));
}

#[test]
fn sha2() {
    check("sha2", &(0..64u8).collect::<Vec<u8>>());
}

#[test]
fn sha3() {
    check("sha3", &(0..64u8).collect::<Vec<u8>>());
}

#[test]
fn muldiv() {
    check(
        "muldiv",
        &vec![(7u32, 0u32), (0x8000_0000, 0xffff_ffff), (12345, 67)],
    );
}

#[test]
fn sort() {
    check("sort", &(7u32, 50u32));
}

/// A guest that panics (its input does not decode) proves with the panic
/// flag set, and not without it.
#[test]
fn panicking_guest() {
    let t = check_bytes("sha2", &[0x88, 0x27]);
    assert!(t.io.panicked);
}
