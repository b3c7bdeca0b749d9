//! Memory checking benchmarks (issue 7): prove and verify for T = 2^16 and
//! 2^20 steps with address spaces of M = 2^16 and 2^20 words, on the trace
//! of a loop that loads, updates and stores random words of a region as
//! large as its RAM allows (one load and one store every 10 steps; the
//! other steps read registers and the termination word).
//!
//! `cargo bench -p jolt-core --bench memory` prints one timed run of every
//! case (witness, prove, verify, proof size) and benchmarks the 2^16-step
//! cases; `MEMORY_BENCH_LARGE=1` adds criterion runs of the 2^20-step
//! cases, which take several minutes on two cores.

use ark_bn254::Fr;
use ark_serialize::CanonicalSerialize;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use instructions::Opcode::*;
use jolt_core::memory::{self, MemoryPreprocessing, MemoryProof, MemoryWitness};
use jolt_core::testing::elf::{build_elf, ElfSegment};
use jolt_core::testing::programs::{i, li};
use jolt_core::trace_length::TraceLength;
use jolt_core::tracer::{trace, MemoryLayout, Program, RAM_BASE};
use jolt_core::transcript::Transcript;
use std::time::{Duration, Instant};

/// A program whose address space is 2^log_m words and whose trace has just
/// under 2^log_t steps.
fn program(log_t: usize, log_m: usize) -> Program {
    // Registers (64) and the default I/O region (2,050 words) come first.
    let io_words = 64 + 2 + 2 * MemoryLayout::DEFAULT_MAX_INPUT_SIZE as u64 / 4;
    let ram_words = (1u64 << log_m) - io_words;
    let layout = MemoryLayout::new(
        4 * ram_words,
        4096,
        MemoryLayout::DEFAULT_MAX_INPUT_SIZE as u64,
        MemoryLayout::DEFAULT_MAX_OUTPUT_SIZE as u64,
    )
    .expect("benchmark layout");
    // The data region: 16 KiB above the code, the largest power of two of
    // words that fits below the top of RAM.
    let log_data = (ram_words - 4096).ilog2();
    let data = RAM_BASE + 0x4000;
    let (base, x, mul, counter, index, word) = (5, 6, 7, 8, 9, 10);
    let iterations = ((1u32 << log_t) - 64) / 10;
    let mut code = li(base, data).to_vec();
    code.extend(li(x, 0x1234_5678));
    code.extend(li(mul, 1_103_515_245));
    code.extend(li(counter, iterations));
    let body = [
        i(Mul, x, x, mul, 0),
        i(Addi, x, x, 0, 12345),
        i(Srli, index, x, 0, 32 - log_data as i32),
        i(Slli, index, index, 0, 2),
        i(Add, index, index, base, 0),
        i(Lw, word, index, 0, 0),
        i(Add, word, word, x, 0),
        i(Sw, 0, index, word, 0),
        i(Addi, counter, counter, 0, -1),
        i(Bne, 0, counter, 0, -36),
    ];
    code.extend(body);
    code.extend(li(base, layout.termination_address()));
    code.push(i(Addi, x, 0, 0, 1));
    code.push(i(Sw, 0, base, x, 0));
    let elf = build_elf(RAM_BASE, &[ElfSegment::code(RAM_BASE, &code)]);
    Program::from_elf(&elf, layout).expect("benchmark program")
}

fn memory_checking(c: &mut Criterion) {
    let mut g = c.benchmark_group("memory");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    for log_t in [16usize, 20] {
        for log_m in [16usize, 20] {
            let program = program(log_t, log_m);
            let pre = MemoryPreprocessing::new(&program);
            assert_eq!(pre.full_space().num_vars(), log_m);
            let t = trace(&program, &[], 1 << 24).expect("benchmark program halts");
            let trace_length = TraceLength::from_log(log_t).expect("a valid size");
            assert_eq!(TraceLength::padded(t.steps.len()), Some(trace_length));
            let start = Instant::now();
            let witness = MemoryWitness::new(&pre, &t, trace_length).expect("witness");
            let witness_time = start.elapsed();
            // The data region reaches the top of RAM: the window is the layout.
            assert_eq!(witness.space().num_vars(), log_m);
            let start = Instant::now();
            let (proof, _, _) = memory::prove::<Fr>(
                &pre,
                &witness,
                Vec::new(),
                &mut Transcript::new(b"memory bench"),
            );
            let prove_time = start.elapsed();
            let start = Instant::now();
            verify(&proof, &pre, &witness, &t.io, trace_length);
            let verify_time = start.elapsed();
            eprintln!(
                "T = 2^{log_t}, M = 2^{log_m}: {} steps; one run: witness {witness_time:.2?}, \
                 prove {prove_time:.2?}, verify {verify_time:.2?}; proof {} bytes",
                t.steps.len(),
                proof.compressed_size()
            );
            // Ten samples of a 2^20-step proof take minutes: opt in.
            if log_t > 16 && std::env::var_os("MEMORY_BENCH_LARGE").is_none() {
                continue;
            }
            let id = format!("T=2^{log_t}/M=2^{log_m}");
            g.bench_function(BenchmarkId::new("prove", &id), |b| {
                b.iter(|| {
                    memory::prove::<Fr>(
                        &pre,
                        &witness,
                        Vec::new(),
                        &mut Transcript::new(b"memory bench"),
                    )
                })
            });
            g.bench_function(BenchmarkId::new("verify", &id), |b| {
                b.iter(|| verify(&proof, &pre, &witness, &t.io, trace_length))
            });
        }
    }
    g.finish();
}

fn verify(
    proof: &MemoryProof<Fr>,
    pre: &MemoryPreprocessing,
    witness: &MemoryWitness,
    io: &jolt_core::tracer::ProgramIO,
    trace_length: TraceLength,
) {
    memory::verify(
        pre,
        witness.space(),
        trace_length,
        io,
        memory::SegmentRole::WHOLE,
        proof,
        &[],
        &mut Transcript::new(b"memory bench"),
    )
    .expect("benchmark proof verifies");
}

criterion_group!(benches, memory_checking);
criterion_main!(benches);
