//! The functions `#[jolt::provable]` generates, end to end: argument and
//! return types of every common shape round-trip through a RISC-V guest,
//! several provable functions live in one crate, a panic is reported by
//! `execute_*` and proven by `prove_*`, oversized input is a clear error,
//! and cycle-tracker spans are counted.

use jolt_sdk::host::{verify_claimed, HostError};
use sdk_guest::*;

fn point() -> Point {
    Point {
        x: -3,
        y: 40,
        label: "p".into(),
    }
}

/// Calls `f` with the nine arguments of `transform` from the tuple `args`,
/// after any leading and before any trailing arguments.
macro_rules! with_args {
    ($f:ident($($pre:expr),*; $args:expr $(; $($post:expr),*)?)) => {{
        let a = $args.clone();
        $f($($pre,)* a.0, a.1, a.2, a.3, a.4, a.5, a.6, a.7, a.8 $($(, $post)*)?)
    }};
}

#[test]
fn types_round_trip_through_execute_prove_and_verify() {
    let args = (
        200u8,
        -5i64,
        u128::MAX / 3,
        [1u16, 2, 3, 4],
        vec![1u32, 2, 3],
        String::from("hi"),
        point(),
        (true, 'λ'),
        Some(9u32),
    );
    let expected = with_args!(transform(; args));
    let (out, summary) = with_args!(execute_transform(; args)).unwrap();
    assert_eq!(out, expected);
    assert!(summary.cycles > 0 && summary.steps >= summary.cycles);
    assert!(!summary.instruction_counts.is_empty());

    let keys = preprocess_transform(&compile_transform().unwrap()).unwrap();
    let (proved, proof) = with_args!(prove_transform(&keys; args)).unwrap();
    assert_eq!(proved, expected);
    let vk = keys.verifier_key();
    with_args!(verify_transform(vk; args; proved.clone(), &proof)).unwrap();
    // Another output or another argument is rejected.
    let mut wrong = proved.clone();
    wrong.0 ^= 1;
    assert!(with_args!(verify_transform(vk; args; wrong, &proof)).is_err());
    let mut other = args.clone();
    other.1 += 1;
    assert!(with_args!(verify_transform(vk; other; proved, &proof)).is_err());
    // None round-trips too.
    let none = (
        0u8,
        0i64,
        0u128,
        [0u16; 4],
        vec![],
        String::new(),
        point(),
        (false, 'a'),
        None,
    );
    let (out, _) = with_args!(execute_transform(; none)).unwrap();
    assert_eq!(out.8, None);
}

#[test]
fn a_panic_is_reported_and_proven() {
    assert!(matches!(execute_checked(0), Ok((7, _))));
    assert!(matches!(
        execute_checked(1),
        Err(HostError::Panicked { .. })
    ));
    let keys = preprocess_checked(&compile_checked().unwrap()).unwrap();
    match prove_checked(&keys, 1) {
        Err(HostError::PanickedWithProof(proof)) => {
            assert!(proof.io.panicked);
            verify_claimed(keys.verifier_key(), &proof).unwrap();
            // The same proof does not verify as a normal return.
            assert!(verify_checked(keys.verifier_key(), 1, 0, &proof).is_err());
        }
        other => panic!(
            "expected a proof of the panic, got {:?}",
            other.map(|(o, _)| o)
        ),
    }
}

#[test]
fn oversized_input_is_a_clear_error() {
    // transform's input region is 1 KiB.
    let big = vec![7u32; 2000];
    let err = execute_transform(
        0,
        0,
        0,
        [0; 4],
        big,
        String::new(),
        point(),
        (false, 'a'),
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("input"), "{err}");
}

#[test]
fn cycle_tracker_spans_are_counted() {
    let v: Vec<u32> = (0..500).collect();
    let (out, summary) = execute_tracked(v.clone()).unwrap();
    assert_eq!(out, tracked(v));
    let labels: Vec<&str> = summary
        .cycle_tracker
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(labels, ["sum", "square"]);
    let sum = &summary.cycle_tracker[0];
    // Summing 500 values takes a few instructions each.
    assert!(
        sum.cycles >= 500 && sum.cycles < summary.cycles,
        "{summary:?}"
    );
}

/// A recursion deeper than the stack stops the run with a stack overflow
/// naming the stack's bottom, instead of overwriting the program's data;
/// the same function within its stack runs and proves.
#[test]
fn stack_overflow_is_a_trace_error() {
    use jolt_core::tracer::TraceError;
    let program = compile_descend().unwrap();
    let stack = program
        .stack
        .expect("the guest linker script declares the stack");
    assert_eq!(stack.top - stack.bottom, 4096);
    let keys = preprocess_descend(&program).unwrap();
    let (out, proof) = prove_descend(&keys, 8).unwrap();
    assert_eq!(out, descend(8));
    verify_descend(keys.verifier_key(), 8, out, &proof).unwrap();
    match execute_descend(1000) {
        Err(HostError::Trace(TraceError::StackOverflow { sp, bottom, .. })) => {
            assert_eq!(bottom, stack.bottom);
            assert!(sp < bottom);
        }
        other => panic!("expected a stack overflow, got {other:?}"),
    }
}

/// An ELF whose stack symbols do not describe a range inside RAM is an
/// `ElfError::BadStack` at load time, not a run with a wrong stack check:
/// the descend guest with its stack bottom moved above its top, or below
/// RAM.
#[test]
fn a_declared_stack_outside_ram_is_refused_at_load() {
    use jolt_core::tracer::{ElfError, MemoryLayout, Program, STACK_BOTTOM_SYMBOL};
    let layout = MemoryLayout {
        stack_size: 4096,
        ..MemoryLayout::default()
    };
    let dir = format!("{}/guests/sdk-guest", env!("CARGO_MANIFEST_DIR"));
    let path = jolt_sdk::host::GuestBuilder::new(dir)
        .layout(layout)
        .function("descend")
        .build_elf()
        .unwrap();
    let bytes = std::fs::read(path).unwrap();
    let program = Program::from_elf(&bytes, layout).unwrap();
    let stack = program.stack.unwrap();
    // The file offset of the bottom symbol's st_value (ELF32: name, value).
    let elf = goblin::elf::Elf::parse(&bytes).unwrap();
    let index = elf
        .syms
        .iter()
        .position(|s| elf.strtab.get_at(s.st_name) == Some(STACK_BOTTOM_SYMBOL))
        .unwrap();
    let symtab = elf
        .section_headers
        .iter()
        .find(|h| h.sh_type == goblin::elf::section_header::SHT_SYMTAB)
        .unwrap();
    let at = symtab.sh_offset as usize + 16 * index + 4;
    for bottom in [stack.top + 16, 0x1000] {
        let mut bad = bytes.clone();
        bad[at..at + 4].copy_from_slice(&bottom.to_le_bytes());
        assert_eq!(
            Program::from_elf(&bad, layout),
            Err(ElfError::BadStack {
                bottom: bottom as u64,
                top: stack.top as u64
            })
        );
    }
}
