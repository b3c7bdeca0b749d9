//! Every example guest proves and verifies end to end (small inputs; the
//! example binaries and the benchmark harness run the large ones), and a
//! proof for one program or input does not verify for another.

use example_tests::build;
use jolt_core::zkvm::{self, ProveOptions};
use jolt_sdk::host::{prove_and_verify, serialize_input, DEFAULT_MAX_CYCLES};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

fn proves<I: Serialize + ?Sized, O: DeserializeOwned>(example: &str, input: &I) -> O {
    let (output, run) = prove_and_verify::<I, O>(&build(example), input, DEFAULT_MAX_CYCLES)
        .unwrap_or_else(|e| panic!("{example}: {e}"));
    eprintln!("{example}: {}", run.report().replace('\n', "; "));
    output
}

#[derive(Serialize)]
enum Query {
    Steps(u64),
}

#[derive(Deserialize, Debug, PartialEq)]
struct Answer {
    n: u64,
    steps: u32,
}

#[test]
fn every_example_proves_and_verifies() {
    assert_eq!(proves::<u32, u128>("fibonacci", &30), 832_040);
    assert_eq!(
        proves::<Query, Answer>("collatz", &Query::Steps(27)),
        Answer { n: 27, steps: 111 }
    );
    let message: Vec<u8> = (0..64u8).collect();
    let digest: [u8; 32] = proves("sha2", &message);
    use sha2::Digest;
    assert_eq!(digest, <[u8; 32]>::from(sha2::Sha256::digest(&message)));
    let digest: [u8; 32] = proves("sha3", &message);
    assert_eq!(digest, <[u8; 32]>::from(sha3::Keccak256::digest(&message)));
    let pairs = vec![(7u32, 0u32), (0x8000_0000, 0xffff_ffff), (12345, 67)];
    let results: Vec<[u32; 8]> = proves("muldiv", &pairs);
    assert_eq!(results.len(), pairs.len());
    let (sorted_count, _, ok): (u32, u64, bool) = proves("sort", &(5u32, 40u32));
    assert_eq!((sorted_count, ok), (40, true));
    let top: Vec<(String, u32)> = proves("std-words", &("a b a c a b".to_string(), 2u32));
    assert_eq!(top, [("a".to_string(), 3), ("b".to_string(), 2)]);
}

/// A proof of fib(20) verifies for fib(20) only: not against fib(21)'s
/// inputs, not with other outputs, not under another program's key.
#[test]
fn a_proof_is_for_one_program_and_input() {
    let fib = build("fibonacci");
    let input = serialize_input(&20u32).unwrap();
    let trace = jolt_core::tracer::trace(&fib, &input, DEFAULT_MAX_CYCLES).unwrap();
    let shape = zkvm::ProofShape::of(fib.layout, &trace).unwrap();
    let (pk, vk) = zkvm::dev_preprocess(&fib, shape).unwrap();
    let out = zkvm::prove_trace(&pk, trace, &ProveOptions::default()).unwrap();
    zkvm::verify(&vk, &out.io, &out.proof).unwrap();

    let mut other_input = out.io.clone();
    other_input.inputs = serialize_input(&21u32).unwrap();
    assert!(zkvm::verify(&vk, &other_input, &out.proof).is_err());
    let mut other_output = out.io.clone();
    other_output.outputs[0] ^= 1;
    assert!(zkvm::verify(&vk, &other_output, &out.proof).is_err());
    let collatz_vk = zkvm::dev_verifier_key(&build("collatz")).unwrap();
    assert_ne!(collatz_vk.digest, vk.digest);
    assert!(zkvm::verify(&collatz_vk, &out.io, &out.proof).is_err());
}
