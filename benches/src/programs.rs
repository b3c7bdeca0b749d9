//! The cases: one generated program per RV32IM instruction class, and the
//! example guests at two or three sizes.

use instructions::{Instruction, Opcode, Opcode::*};
use jolt_core::testing::elf::{build_elf, ElfSegment};
use jolt_core::testing::programs::{i, li};
use jolt_core::tracer::{MemoryLayout, Program, RAM_BASE};

/// Memory of the generated programs: small, so the committed final memory
/// does not dominate.
pub fn class_layout() -> MemoryLayout {
    // Sizes are multiples of 4 that fit the address space.
    MemoryLayout::new(64 << 10, 4 << 10, 256, 256).expect("valid layout")
}

const DATA: u32 = RAM_BASE + 0x8000;
/// Instructions of the class per loop iteration (the loop adds two).
const BODY: usize = 48;

/// An instruction class and the instructions its body cycles through.
pub struct Class {
    pub name: &'static str,
    body: fn(k: usize) -> Vec<Instruction>,
}

/// rd cycles over x16..x31, sources over x5..x15 (never the loop counter
/// x4 or the data pointer x3).
fn rd(k: usize) -> u8 {
    16 + (k % 16) as u8
}
fn rs(k: usize) -> u8 {
    5 + (k % 11) as u8
}
fn rs2(k: usize) -> u8 {
    5 + ((k + 3) % 11) as u8
}

fn pick(ops: &[Opcode], k: usize) -> Opcode {
    ops[k % ops.len()]
}

pub const CLASSES: &[Class] = &[
    Class {
        name: "alu-reg",
        body: |k| {
            vec![i(
                pick(&[Add, Sub, Xor, Or, And], k),
                rd(k),
                rs(k),
                rs2(k),
                0,
            )]
        },
    },
    Class {
        name: "alu-imm",
        body: |k| {
            vec![i(
                pick(&[Addi, Xori, Ori, Andi], k),
                rd(k),
                rs(k),
                0,
                (k as i32 * 37) % 2048 - 1024,
            )]
        },
    },
    Class {
        name: "shifts",
        body: |k| match k % 2 {
            0 => vec![i(
                pick(&[Slli, Srli, Srai], k / 2),
                rd(k),
                rs(k),
                0,
                (k % 32) as i32,
            )],
            _ => vec![i(pick(&[Sll, Srl, Sra], k / 2), rd(k), rs(k), rs2(k), 0)],
        },
    },
    Class {
        name: "comparisons",
        body: |k| match k % 2 {
            0 => vec![i(pick(&[Slt, Sltu], k / 2), rd(k), rs(k), rs2(k), 0)],
            _ => vec![i(
                pick(&[Slti, Sltiu], k / 2),
                rd(k),
                rs(k),
                0,
                (k as i32 * 91) % 2048 - 1024,
            )],
        },
    },
    // Offset 4: taken or not, the next instruction is the next one.
    Class {
        name: "branches",
        body: |k| {
            vec![i(
                pick(&[Beq, Bne, Blt, Bge, Bltu, Bgeu], k),
                0,
                rs(k),
                rs2(k),
                4,
            )]
        },
    },
    Class {
        name: "jumps",
        body: |k| match k % 3 {
            0 | 1 => vec![i(Jal, rd(k), 0, 0, 4)],
            // auipc then jalr past itself: two instructions, one of them a jump.
            _ => vec![i(Auipc, 2, 0, 0, 0), i(Jalr, rd(k), 2, 0, 8)],
        },
    },
    Class {
        name: "lui-auipc",
        body: |k| {
            vec![i(
                pick(&[Lui, Auipc], k),
                rd(k),
                0,
                0,
                ((k as i32 * 7919) % 0x7ffff) << 12,
            )]
        },
    },
    Class {
        name: "loads-word",
        body: |k| vec![i(Lw, rd(k), 3, 0, 4 * (k % 64) as i32)],
    },
    Class {
        name: "loads-byte-half",
        body: |k| {
            vec![i(
                pick(&[Lb, Lbu, Lh, Lhu], k),
                rd(k),
                3,
                0,
                2 * (k % 128) as i32,
            )]
        },
    },
    Class {
        name: "stores-word",
        body: |k| vec![i(Sw, 0, 3, rs(k), 4 * (k % 64) as i32)],
    },
    Class {
        name: "stores-byte-half",
        body: |k| vec![i(pick(&[Sb, Sh], k), 0, 3, rs(k), 2 * (k % 128) as i32)],
    },
    Class {
        name: "mul",
        body: |k| vec![i(Mul, rd(k), rs(k), rs2(k), 0)],
    },
    Class {
        name: "mulh",
        body: |k| vec![i(pick(&[Mulh, Mulhsu, Mulhu], k), rd(k), rs(k), rs2(k), 0)],
    },
    Class {
        name: "div-rem",
        body: |k| vec![i(pick(&[Div, Divu, Rem, Remu], k), rd(k), rs(k), rs2(k), 0)],
    },
];

impl Class {
    /// A program running about `cycles` instructions, nearly all of this
    /// class: set registers, loop over the body, halt.
    pub fn program(&self, cycles: u64) -> Program {
        let layout = class_layout();
        let mut code = Vec::new();
        for r in 5..16u8 {
            code.extend(li(r, 0x9e37_79b9u32.wrapping_mul(r as u32 * 2 + 1)));
        }
        code.extend(li(3, DATA));
        let body: Vec<Instruction> = (0..BODY).flat_map(|k| (self.body)(k)).collect();
        let per_iteration = body.len() as u64 + 2;
        // Setup, the counter's two instructions and the halting three count
        // too, so a 2^k budget stays within T = 2^k for one-step classes.
        let fixed = code.len() as u64 + 2 + 3;
        let iterations = (cycles.saturating_sub(fixed) / per_iteration).max(1);
        code.extend(li(4, iterations as u32));
        let loop_start = code.len();
        code.extend(&body);
        code.push(i(Addi, 4, 4, 0, -1));
        let back = -(4 * (code.len() - loop_start) as i32);
        code.push(i(Bne, 0, 4, 0, back));
        code.extend(li(5, layout.termination_address()));
        code.push(i(Addi, 6, 0, 0, 1));
        code.push(i(Sw, 0, 5, 6, 0));
        let elf = build_elf(
            RAM_BASE,
            &[
                ElfSegment::code(RAM_BASE, &code),
                ElfSegment::data(DATA, (0..1024u32).map(|b| (b * 73 + 11) as u8).collect()),
            ],
        );
        // A program built here from valid instructions always loads.
        Program::from_elf(&elf, layout).expect("generated program loads")
    }
}

/// The example guests: (name, sizes, quick size). The size is fib's n,
/// the message bytes of sha2/sha3, the iterations of sha2-chain (about
/// 3,000 cycles each; runs longer than the default segment size are
/// proven in segments), collatz's range end, sort's count,
/// muldiv's number of operand pairs and the KiB of heap heap touches.
pub const EXAMPLES: &[(&str, &[u64], u64)] = &[
    ("fibonacci", &[2_000, 10_000], 50),
    ("sha2", &[512, 2_048], 32),
    ("sha2-chain", &[32, 128], 4),
    ("sha3", &[256, 1_024], 32),
    ("collatz", &[30, 100], 10),
    ("sort", &[500, 2_000], 20),
    ("muldiv", &[16, 128], 4),
    ("heap", &[1_024, 8_192], 64),
];

/// A case name: the example, and the `memory_size` to build it for
/// (`NAME@BYTES`; without it, the example's own layout).
pub fn parse_case_name(name: &str) -> Option<(&str, Option<u64>)> {
    let (example, memory) = match name.split_once('@') {
        Some((example, memory)) => (example, Some(parse_bytes(memory)?)),
        None => (name, None),
    };
    EXAMPLES
        .iter()
        .any(|(n, _, _)| *n == example)
        .then_some((example, memory))
}

/// Bytes written plainly or with a K or M suffix (KiB, MiB).
pub fn parse_bytes(text: &str) -> Option<u64> {
    let (digits, unit) = match text.strip_suffix(['K', 'k']) {
        Some(d) => (d, 1 << 10),
        None => match text.strip_suffix(['M', 'm']) {
            Some(d) => (d, 1 << 20),
            None => (text, 1),
        },
    };
    digits.parse::<u64>().ok()?.checked_mul(unit)
}

/// The guest of `example` (its provable function is `function`): built by
/// its generated `compile` for the attribute's layout, or for
/// `memory_size` bytes of RAM with the other sizes left at their defaults.
fn guest(
    example: &str,
    function: &str,
    memory_size: Option<u64>,
    compile: impl FnOnce() -> Result<Program, jolt::host::HostError>,
) -> Result<Program, String> {
    let Some(memory_size) = memory_size else {
        return compile().map_err(|e| e.to_string());
    };
    let d = MemoryLayout::default();
    let layout = MemoryLayout::new(
        memory_size,
        d.stack_size as u64,
        d.max_input_size as u64,
        d.max_output_size as u64,
    )
    .map_err(|e| e.to_string())?;
    let dir = format!("{}/../examples/{example}/guest", env!("CARGO_MANIFEST_DIR"));
    jolt::host::GuestBuilder::new(dir)
        .layout(layout)
        .function(function)
        .build()
        .map_err(|e| e.to_string())
}

/// The keys with the segment size the harness was given
/// (`--segment-log-steps`, passed to each case as `JOLT_SEGMENT_LOG_STEPS`);
/// without it, the SDK's default from the machine's memory.
/// With `REDIS_ENV` set (`benches cluster`), the run is proven by the
/// cluster's workers through that Redis.
fn segmented(keys: jolt::host::Keys) -> Result<jolt::host::Keys, String> {
    let keys = match std::env::var(SEGMENT_ENV) {
        Ok(k) => {
            let k = k.parse().map_err(|e| format!("{SEGMENT_ENV}: {e}"))?;
            keys.with_segment_log_steps(k).map_err(|e| e.to_string())?
        }
        Err(_) => keys,
    };
    Ok(match std::env::var(REDIS_ENV) {
        Ok(url) => keys.with_redis(url),
        Err(_) => keys,
    })
}

/// How `benches` hands its `--verify-runs` to a case's process.
pub const VERIFY_RUNS_ENV: &str = "JOLT_BENCH_VERIFY_RUNS";

/// Runs `verify` as often as the harness was told (`--verify-runs`, 1 by
/// default) and returns whether every run accepted and the median time:
/// verification takes milliseconds, so a single run is at the mercy of
/// the machine's noise.
pub fn verify_timed(
    mut verify: impl FnMut() -> bool,
) -> Result<(bool, std::time::Duration), String> {
    let runs: usize = match std::env::var(VERIFY_RUNS_ENV) {
        Ok(n) => n.parse().map_err(|e| format!("{VERIFY_RUNS_ENV}: {e}"))?,
        Err(_) => 1,
    };
    let mut ok = true;
    let mut times: Vec<std::time::Duration> = (0..runs.max(1))
        .map(|_| {
            let (accepted, t) = jolt::host::timed(&mut verify);
            ok &= accepted;
            t
        })
        .collect();
    times.sort();
    Ok((ok, times[times.len() / 2]))
}

/// How `benches cluster` hands a case the Redis its workers read.
pub const REDIS_ENV: &str = "JOLT_REDIS";

/// How `benches` hands its `--segment-log-steps` to a case's process.
pub const SEGMENT_ENV: &str = "JOLT_SEGMENT_LOG_STEPS";

/// Proves and verifies one example at `size` with its generated functions;
/// `name` is a case name ([`parse_case_name`]).
pub fn run_example(name: &str, size: u64) -> Result<crate::report::Row, String> {
    use jolt::host::Proof;
    let (example, memory) = parse_case_name(name).ok_or(format!("no example {name}"))?;
    let err = |e: jolt::host::HostError| e.to_string();
    let (proof, verified, verify_time): (Proof, bool, _) = match example {
        "fibonacci" => {
            use fibonacci_guest::*;
            let keys = segmented(
                preprocess_fib(&guest(example, "fib", memory, compile_fib)?).map_err(err)?,
            )?;
            let n = size as u32;
            let (out, proof) = prove_fib(&keys, n).map_err(err)?;
            let (ok, t) = verify_timed(|| verify_fib(keys.verifier_key(), n, out, &proof).is_ok())?;
            (proof, ok, t)
        }
        "sha2" | "sha3" => {
            let message: Vec<u8> = (0..size).map(|i| (i * 31 + 7) as u8).collect();
            if example == "sha2" {
                use sha2_guest::*;
                let program = guest(example, "digest", memory, compile_digest)?;
                let keys = segmented(preprocess_digest(&program).map_err(err)?)?;
                let (out, proof) = prove_digest(&keys, message.clone()).map_err(err)?;
                let (ok, t) = verify_timed(|| {
                    verify_digest(keys.verifier_key(), message.clone(), out, &proof).is_ok()
                })?;
                (proof, ok, t)
            } else {
                use sha3_guest::*;
                let program = guest(example, "digest", memory, compile_digest)?;
                let keys = segmented(preprocess_digest(&program).map_err(err)?)?;
                let (out, proof) = prove_digest(&keys, message.clone()).map_err(err)?;
                let (ok, t) = verify_timed(|| {
                    verify_digest(keys.verifier_key(), message.clone(), out, &proof).is_ok()
                })?;
                (proof, ok, t)
            }
        }
        "sha2-chain" => {
            use sha2_guest::*;
            let program = guest("sha2", "chain", memory, compile_chain)?;
            let keys = segmented(preprocess_chain(&program).map_err(err)?)?;
            let (seed, iterations) = ([7u8; 32], size as u32);
            let (out, proof) = prove_chain(&keys, seed, iterations).map_err(err)?;
            let (ok, t) = verify_timed(|| {
                verify_chain(keys.verifier_key(), seed, iterations, out, &proof).is_ok()
            })?;
            (proof, ok, t)
        }
        "collatz" => {
            use collatz_guest::*;
            let program = guest(example, "collatz", memory, compile_collatz)?;
            let keys = segmented(preprocess_collatz(&program).map_err(err)?)?;
            let query = Query::LongestInRange {
                start: 1,
                end: size,
            };
            let (out, proof) = prove_collatz(&keys, query.clone()).map_err(err)?;
            let (ok, t) = verify_timed(|| {
                verify_collatz(keys.verifier_key(), query.clone(), out.clone(), &proof).is_ok()
            })?;
            (proof, ok, t)
        }
        "sort" => {
            use sort_guest::*;
            let keys = segmented(
                preprocess_sort(&guest(example, "sort", memory, compile_sort)?).map_err(err)?,
            )?;
            let (seed, count) = (0x9e37_79b9, size as u32);
            let (out, proof) = prove_sort(&keys, seed, count).map_err(err)?;
            let (ok, t) = verify_timed(|| {
                verify_sort(keys.verifier_key(), seed, count, out, &proof).is_ok()
            })?;
            (proof, ok, t)
        }
        "muldiv" => {
            use muldiv_guest::*;
            let program = guest(example, "muldiv", memory, compile_muldiv)?;
            let keys = segmented(preprocess_muldiv(&program).map_err(err)?)?;
            let mut x = 0x1234_5678u32;
            let pairs: Vec<(u32, u32)> = (0..size)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    (x, x.rotate_left(7) >> (x % 32))
                })
                .collect();
            let (out, proof) = prove_muldiv(&keys, pairs.clone()).map_err(err)?;
            let (ok, t) = verify_timed(|| {
                verify_muldiv(keys.verifier_key(), pairs.clone(), out.clone(), &proof).is_ok()
            })?;
            (proof, ok, t)
        }
        "heap" => {
            use heap_guest::*;
            let keys = segmented(
                preprocess_touch(&guest(example, "touch", memory, compile_touch)?).map_err(err)?,
            )?;
            let kib = size as u32;
            let (out, proof) = prove_touch(&keys, kib).map_err(err)?;
            let (ok, t) =
                verify_timed(|| verify_touch(keys.verifier_key(), kib, out, &proof).is_ok())?;
            (proof, ok && out == touch(kib), t)
        }
        other => return Err(format!("no example {other}")),
    };
    let mut row = crate::report::Row::new(
        name,
        "program",
        size,
        proof.cycles,
        proof.steps as u64,
        proof.trace_length(),
        proof.prove_time,
        verify_time,
        proof.size(),
        verified,
        &proof.phases,
    );
    row.segments = proof.segments() as u64;
    row.proof_parts = proof.parts();
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_names_carry_an_optional_memory_size() {
        assert_eq!(parse_case_name("collatz"), Some(("collatz", None)));
        assert_eq!(
            parse_case_name("collatz@256M"),
            Some(("collatz", Some(256 << 20)))
        );
        assert_eq!(parse_case_name("heap@64K"), Some(("heap", Some(64 << 10))));
        assert_eq!(parse_case_name("sort@4096"), Some(("sort", Some(4096))));
        assert_eq!(parse_case_name("nope@1M"), None);
        assert_eq!(parse_case_name("collatz@lots"), None);
        assert_eq!(parse_bytes("99999999999999999M"), None);
    }
}
