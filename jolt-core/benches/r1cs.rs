//! Spartan on the CPU constraints: witness (auxiliaries), prove and verify
//! for a looping program of mixed instructions at 2^16 steps (other sizes
//! with `R1CS_BENCH_LOG_T=n`).
//!
//! `cargo bench -p jolt-core --bench r1cs`; with `R1CS_ONE_SHOT=1` each
//! phase runs once and prints its time (for sizes where ten samples take
//! too long).

use ark_bn254::Fr;
use criterion::{criterion_group, Criterion};
use instructions::lookups::LookupParams;
use instructions::Opcode::*;
use jolt_core::r1cs::constraints::{cpu_r1cs, CpuR1cs};
use jolt_core::r1cs::cpu_witness::{cpu_constants, cpu_inputs};
use jolt_core::r1cs::spartan::{prove, verify};
use jolt_core::r1cs::OwnedR1csWitness;
use jolt_core::testing::elf::{build_elf, ElfSegment};
use jolt_core::testing::programs::i;
use jolt_core::tracer::{trace, MemoryLayout, Program, RAM_BASE};
use jolt_core::transcript::Transcript;

/// A loop of ALU, shift, comparison, load/store and branch instructions
/// that runs for about `steps` steps, then halts.
fn program(steps: usize) -> (Program, Vec<Vec<Fr>>, CpuR1cs) {
    let data = RAM_BASE + 0x1_0000;
    let body = [
        i(Add, 11, 11, 10, 0),
        i(Xor, 12, 12, 11, 0),
        i(Slli, 13, 12, 0, 3),
        i(Sltu, 14, 13, 11, 0),
        i(Mul, 15, 11, 12, 0),
        i(Sw, 0, 5, 15, 0),
        i(Lw, 16, 5, 0, 0),
        i(And, 17, 16, 12, 0),
        i(Addi, 10, 10, 0, -1),
        i(Bne, 0, 10, 0, -36),
    ];
    let iterations = (steps - 16) / body.len();
    let mut code = vec![
        i(Lui, 5, 0, 0, data as i32),
        i(Lui, 10, 0, 0, ((iterations as u32 + 0x800) & !0xfff) as i32),
        i(Addi, 10, 10, 0, ((iterations as u32) << 20) as i32 >> 20),
    ];
    code.extend(body);
    code.extend([
        i(Lui, 6, 0, 0, RAM_BASE as i32),
        i(Addi, 7, 0, 0, 1),
        i(Sw, 0, 6, 7, -4),
    ]);
    let elf = build_elf(
        RAM_BASE,
        &[
            ElfSegment::code(RAM_BASE, &code),
            ElfSegment::data(data, vec![0; 8]),
        ],
    );
    let program = Program::from_elf(&elf, MemoryLayout::default()).unwrap();
    let t = trace(&program, &[], 1 << 24).unwrap();
    let p = LookupParams::RV32;
    let cpu = cpu_r1cs(&p, cpu_constants(&program));
    let inputs = cpu_inputs::<Fr>(&cpu, &program, &t, &p, steps);
    (program, inputs, cpu)
}

fn bench(c: &mut Criterion) {
    let log_t: usize = std::env::var("R1CS_BENCH_LOG_T")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let (_, inputs, cpu) = program(1 << log_t);
    let mut group = c.benchmark_group(format!("r1cs 2^{log_t} steps"));
    group.sample_size(10);
    group.bench_function("witness (auxiliaries)", |b| {
        b.iter(|| OwnedR1csWitness::new(&cpu.r1cs, inputs.clone()))
    });
    let owned = OwnedR1csWitness::new(&cpu.r1cs, inputs.clone());
    let narrowed = owned.narrowed();
    let witness = narrowed.view();
    group.bench_function("prove", |b| {
        b.iter(|| prove(&cpu.r1cs, &witness, &mut Transcript::new(b"bench")))
    });
    let (proof, _) = prove(&cpu.r1cs, &witness, &mut Transcript::new(b"bench"));
    group.bench_function("verify", |b| {
        b.iter(|| {
            verify(
                &cpu.r1cs,
                witness.trace_length(),
                &proof,
                &mut Transcript::new(b"bench"),
            )
            .unwrap()
        })
    });
    group.finish();
}

fn one_shot(log_t: usize) {
    let (_, inputs, cpu) = program(1 << log_t);
    let start = std::time::Instant::now();
    let owned = OwnedR1csWitness::new(&cpu.r1cs, inputs);
    println!("r1cs 2^{log_t} witness: {:?}", start.elapsed());
    let narrowed = owned.narrowed();
    let witness = narrowed.view();
    let start = std::time::Instant::now();
    let (proof, _) = prove(&cpu.r1cs, &witness, &mut Transcript::new(b"bench"));
    println!("r1cs 2^{log_t} prove: {:?}", start.elapsed());
    let start = std::time::Instant::now();
    let trace_length = witness.trace_length();
    verify(
        &cpu.r1cs,
        trace_length,
        &proof,
        &mut Transcript::new(b"bench"),
    )
    .unwrap();
    println!("r1cs 2^{log_t} verify: {:?}", start.elapsed());
}

criterion_group!(benches, bench);

fn main() {
    if std::env::var_os("R1CS_ONE_SHOT").is_some() {
        let log_t = std::env::var("R1CS_BENCH_LOG_T")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(16);
        one_shot(log_t);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
