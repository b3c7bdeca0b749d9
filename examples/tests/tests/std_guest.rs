//! Std guests (`jolt-sdk` feature `guest-std`), end to end: printed output
//! reaches the host and is not part of what a proof states; stdin reads the
//! input, arguments and environment are empty; a panic is a proven panic
//! with its message; asking for randomness and running out of heap fail
//! with messages that say why. A no_std guest linked with std instead
//! computes the same thing (and the test prints what std costs it).

use example_tests::builder;
use jolt_sdk::host::{execute_guest, serialize_input, verify_claimed, HostError};
use std_guest::*;

/// The message of an `execute_*` call that must panic.
fn panic_message<T: std::fmt::Debug>(result: Result<T, HostError>) -> String {
    match result {
        Err(HostError::Panicked { message }) => message,
        other => panic!("expected a panic, got {other:?}"),
    }
}

#[test]
fn printed_output_reaches_the_host_and_not_the_proof() {
    let word = String::from("zk");
    let (out, summary) = execute_console(word.clone()).unwrap();
    assert_eq!(summary.stdout, "to stdout: zk\n");
    assert_eq!(summary.stderr, "to stderr: 2\n");
    // stdin is the input region: the serialized arguments.
    assert_eq!(out.0, serialize_input(&(word.clone(),)).unwrap());
    assert_eq!((out.1, out.2, out.3.as_str()), (0, false, "ZK"));
    // Inputs ending inside a word, at a word's end, and past the first.
    for word in ["abc", "abcdefg", "abcdefgh"] {
        let (out, _) = execute_console(word.to_string()).unwrap();
        assert_eq!(out.0, serialize_input(&(word,)).unwrap(), "{word}");
    }

    let keys = preprocess_console(&compile_console().unwrap()).unwrap();
    let (proved, proof) = prove_console(&keys, word.clone()).unwrap();
    assert_eq!(proved, out);
    assert_eq!(
        (proof.stdout.as_str(), proof.stderr.as_str()),
        ("to stdout: zk\n", "to stderr: 2\n")
    );
    // The statement is the arguments and the return value only.
    verify_console(keys.verifier_key(), word.clone(), proved.clone(), &proof).unwrap();
    let mut wrong = proved;
    wrong.1 = 1;
    assert!(verify_console(keys.verifier_key(), word, wrong, &proof).is_err());
}

#[test]
fn a_panic_is_reported_with_its_message_and_proven() {
    assert_eq!(execute_half(10).unwrap().0, 5);
    let message = panic_message(execute_half(7));
    assert!(message.contains("7 is odd"), "{message}");
    assert!(message.contains("src/lib.rs"), "{message}");
    let keys = preprocess_half(&compile_half().unwrap()).unwrap();
    match prove_half(&keys, 7) {
        Err(HostError::PanickedWithProof(proof)) => {
            assert!(proof.io.panicked);
            assert!(proof.stderr.contains("7 is odd"), "{}", proof.stderr);
            verify_claimed(keys.verifier_key(), &proof).unwrap();
            assert!(verify_half(keys.verifier_key(), 7, 3, &proof).is_err());
        }
        other => panic!(
            "expected a proof of the panic, got {:?}",
            other.map(|(o, _)| o)
        ),
    }
}

#[test]
fn randomness_is_refused_with_the_reason_and_the_way_out() {
    let message = panic_message(execute_random_map(10));
    for needle in ["sys_rand", "HashMap::new()", "BuildHasherDefault"] {
        assert!(message.contains(needle), "{needle} missing from: {message}");
    }
}

#[test]
fn running_out_of_heap_is_a_panic() {
    assert_eq!(execute_allocate(16).unwrap().0, 16 * 1024);
    let message = panic_message(execute_allocate(4096));
    assert!(
        message.contains("memory allocation of 4194304 bytes failed"),
        "{message}"
    );
    // Filled up by small blocks: the end is still a proven panic.
    let message = panic_message(execute_exhaust(1000));
    assert!(message.contains("memory allocation of"), "{message}");
    let keys = preprocess_exhaust(&compile_exhaust().unwrap()).unwrap();
    match prove_exhaust(&keys, 1000) {
        Err(HostError::PanickedWithProof(proof)) => {
            verify_claimed(keys.verifier_key(), &proof).unwrap();
        }
        other => panic!("expected a proven panic, got {:?}", other.map(|(o, _)| o)),
    }
}

/// The sha2 example's no_std library, linked once as today and once with
/// std (its entry built for the std target): the same digest, and what
/// std costs in cycles and code (`--nocapture` prints it; docs/sdk.md
/// records it).
#[test]
fn a_no_std_guest_linked_with_std_agrees() {
    let message: Vec<u8> = (0..=255u8).collect();
    let plain = builder("sha2").build().unwrap();
    let dir = format!("{}/../sha2/guest/target/std", env!("CARGO_MANIFEST_DIR"));
    let with_std = builder("sha2").std(true).target_dir(dir).build().unwrap();
    let (digest, plain_run) = execute_guest::<_, [u8; 32]>(&plain, &message, 1_000_000).unwrap();
    let (std_digest, std_run) =
        execute_guest::<_, [u8; 32]>(&with_std, &message, 1_000_000).unwrap();
    assert_eq!(digest, std_digest);
    eprintln!(
        "sha2 of 256 bytes: no_std {} cycles, {} code words; std {} cycles, {} code words",
        plain_run.cycles,
        plain.code_len(),
        std_run.cycles,
        with_std.code_len()
    );
    assert!(std_run.cycles >= plain_run.cycles);
}
