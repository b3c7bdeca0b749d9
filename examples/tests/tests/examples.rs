//! Every example guest, built for RV32IM by the guest builder, computes the
//! right answer on the tracer and agrees with qemu-riscv32 step by step.
//!
//! Inputs are kept small here (QEMU logs the register file after every
//! instruction); the example binaries run the full-size inputs.

use example_tests::build;
use jolt_core::testing::qemu::compare_with_qemu;
use jolt_sdk::host::{execute_guest, serialize_input, DEFAULT_MAX_CYCLES};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// Runs `example` on `input` on the tracer (returning its output) and under
/// QEMU, which must agree with the tracer after every instruction.
fn run<I: Serialize, O: DeserializeOwned>(example: &str, input: &I) -> O {
    let program = build(example);
    let (output, execution) = execute_guest::<I, O>(&program, input, DEFAULT_MAX_CYCLES)
        .unwrap_or_else(|e| panic!("{example}: {e}"));
    let bytes = serialize_input(input).unwrap();
    let agreement = compare_with_qemu(&program, &bytes, 10_000_000)
        .unwrap_or_else(|e| panic!("{example} differs from qemu-riscv32: {e}"));
    // The tracer's halting store is the last compared step.
    assert_eq!(
        agreement.steps as u64, execution.cycles,
        "{example}: compared every cycle"
    );
    output
}

#[test]
fn fibonacci() {
    let out: u128 = run("fibonacci", &200u32);
    let (mut a, mut b) = (0u128, 1u128);
    for _ in 0..200 {
        (a, b) = (b, a.wrapping_add(b));
    }
    assert_eq!(out, a);
}

#[derive(Serialize)]
enum Query {
    Steps(u64),
    LongestInRange { start: u64, end: u64 },
}

#[derive(Deserialize, Debug, PartialEq)]
struct Answer {
    n: u64,
    steps: u32,
}

#[test]
fn collatz() {
    let one: Answer = run("collatz", &Query::Steps(27));
    assert_eq!(one, Answer { n: 27, steps: 111 });
    let best: Answer = run("collatz", &Query::LongestInRange { start: 1, end: 30 });
    assert_eq!(best, Answer { n: 27, steps: 111 });
}

#[test]
fn sha2() {
    use sha2::Digest;
    let message: Vec<u8> = (0..200u32).map(|i| (i * 7) as u8).collect();
    let digest: [u8; 32] = run("sha2", &message);
    assert_eq!(digest, <[u8; 32]>::from(sha2::Sha256::digest(&message)));
}

#[test]
fn sha3() {
    use sha3::Digest;
    let message: Vec<u8> = (0..200u32).map(|i| (i * 7) as u8).collect();
    let digest: [u8; 32] = run("sha3", &message);
    assert_eq!(digest, <[u8; 32]>::from(sha3::Keccak256::digest(&message)));
}

#[test]
fn muldiv() {
    use instructions::semantics::alu;
    use instructions::Opcode::*;
    let edges = [0u32, 1, 3, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff];
    let pairs: Vec<(u32, u32)> = edges
        .iter()
        .flat_map(|&a| edges.iter().map(move |&b| (a, b)))
        .collect();
    let results: Vec<[u32; 8]> = run("muldiv", &pairs);
    // QEMU has checked every register write above; here the outputs must be
    // the spec's values too.
    for (&(a, b), r) in pairs.iter().zip(&results) {
        let expected = [Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu].map(|op| alu(op, a, b));
        assert_eq!(*r, expected, "a = {a:#x}, b = {b:#x}");
    }
    assert_eq!(results[4 * 6 + 5][4], 0x8000_0000, "div(-2^31, -1)");
    assert_eq!(results[2 * 6][4], u32::MAX, "div(3, 0)");
    assert_eq!(results[2 * 6][6], 3, "rem(3, 0)");
}

#[test]
fn sort() {
    let (count, _checksum, sorted): (u32, u64, bool) = run("sort", &(12345u32, 300u32));
    assert_eq!((count, sorted), (300, true));
}

/// A std guest (HashMap, String, format!, println!) agrees with QEMU too.
#[test]
fn std_words() {
    let top: Vec<(String, u32)> = run("std-words", &("Ab ab, cd! ab cd e".to_string(), 3u32));
    let words = |w: &[(&str, u32)]| {
        w.iter()
            .map(|&(s, n)| (s.to_string(), n))
            .collect::<Vec<_>>()
    };
    assert_eq!(top, words(&[("ab", 3), ("cd", 2), ("e", 1)]));
}

/// A guest whose input does not deserialize panics: the run ends normally
/// with the panic flag set, and QEMU agrees on every step up to there.
#[test]
fn malformed_input_sets_the_panic_flag() {
    let program = build("sha2");
    // A length prefix of 5,000 bytes: more than the 4,096-byte input region.
    let input = [0x88, 0x27];
    let execution = jolt_sdk::host::execute(&program, &input, DEFAULT_MAX_CYCLES).unwrap();
    assert!(execution.io.panicked);
    assert!(execution.io.outputs.is_empty());
    compare_with_qemu(&program, &input, 1_000_000).unwrap();
}

/// On real traces, every step's lookup — computed from its operands
/// through chunks, subtables and g — gives what the tracer did: the value
/// written to rd, the branch decision, the jump target, the memory address,
/// and 1 for every assertion.
#[test]
fn lookups_agree_with_the_traced_steps() {
    use ark_bn254::Fr;
    use instructions::lookups::{lookup_of, lookup_operands, LookupParams, QueryForm};
    use instructions::Opcode::*;
    use jolt_core::tracer::{trace, RamAccess};

    let p = LookupParams::RV32;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "sha2",
            serialize_input(&(0..100u8).collect::<Vec<u8>>()).unwrap(),
        ),
        (
            "muldiv",
            serialize_input(&vec![(7u32, 0u32), (0x8000_0000, 0xffff_ffff), (12345, 67)]).unwrap(),
        ),
        ("sort", serialize_input(&(7u32, 50u32)).unwrap()),
    ];
    for (example, input) in cases {
        let program = build(example);
        let t = trace(&program, &input, DEFAULT_MAX_CYCLES).unwrap();
        let mut checked = 0;
        for step in &t.steps {
            let inst = step.instruction;
            let Some(kind) = lookup_of(inst.opcode) else {
                continue;
            };
            let values = step.lookup_values();
            let (x, y) = lookup_operands(&inst, &values);
            let rd = values.rd;
            let value: Fr = kind.evaluate(x, y, &p);
            // The R1CS checks a shift amount against one byte of the chunks.
            if kind.query() == QueryForm::Shift {
                assert!(y < 32, "{example}: {inst} shifts by {y}");
            }
            let expected = match inst.opcode {
                // A branch to pc + 4 looks the same taken or not: skip it.
                Beq | Bne | Blt | Bge | Bltu | Bgeu if inst.imm == 4 => continue,
                Beq | Bne | Blt | Bge | Bltu | Bgeu => {
                    (step.next_pc != step.pc.wrapping_add(4)) as u64
                }
                Jal | Jalr => step.next_pc as u64,
                Lw | Sw => match step.ram {
                    RamAccess::Read { address, .. } | RamAccess::Write { address, .. } => {
                        address as u64
                    }
                    RamAccess::None => panic!("{example}: {inst} without a RAM access"),
                },
                // A merge looks up the word with the stored bytes cleared;
                // the placed value (rs2) fills them.
                VirtualMergeByte | VirtualMergeHalf => match step.ram {
                    RamAccess::Write { after, .. } => (after - values.rs2) as u64,
                    _ => panic!("{example}: {inst} without a RAM write"),
                },
                op if op.is_assert() => 1,
                _ if step.rd.is_some_and(|r| r.register != 0) => rd as u64,
                _ => continue,
            };
            assert_eq!(
                value,
                Fr::from(expected),
                "{example}: {inst} at {:#x} (x = {x:#x}, y = {y:#x})",
                step.pc
            );
            checked += 1;
        }
        assert!(checked > 1000, "{example}: only {checked} steps checked");
    }
}
