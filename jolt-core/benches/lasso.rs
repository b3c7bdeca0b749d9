//! Lasso/Surge (issue 6): witness generation, prove and verify of 2^16 and
//! 2^20 lookups at RV32 parameters with an instruction mix like a compiled
//! program's (mostly ADD, then loads/stores' address ADDs, branches'
//! comparisons, bitwise, shifts, a little MUL), plus a one-shot breakdown
//! of the prover into witness, primary sumcheck and memory checking.
//!
//! `cargo bench -p jolt-core --bench lasso -- --warm-up-time 1 --measurement-time 5`
//! (`LASSO_BENCH_MAX_LOG=16` to skip 2^20.)

use ark_bn254::Fr;
use ark_serialize::CanonicalSerialize;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use instructions::lookups::{LookupKind, LookupParams};
use jolt_core::lasso::{self, LassoWitness, LookupRow};
use jolt_core::subprotocols::multiset::prove_memories;
use jolt_core::testing::{self, lasso::LassoAlone};
use jolt_core::transcript::Transcript;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// (kind, weight in percent).
const MIX: [(LookupKind, u32); 16] = [
    (LookupKind::Add, 45),
    (LookupKind::Sub, 5),
    (LookupKind::And, 6),
    (LookupKind::Or, 3),
    (LookupKind::Xor, 3),
    (LookupKind::Sltu, 5),
    (LookupKind::Slt, 4),
    (LookupKind::Sgeu, 2),
    (LookupKind::Sge, 2),
    (LookupKind::Eq, 7),
    (LookupKind::Ne, 6),
    (LookupKind::Sll, 4),
    (LookupKind::Srl, 3),
    (LookupKind::Sra, 1),
    (LookupKind::Mul, 2),
    (LookupKind::JalrTarget, 2),
];

fn rows(log_t: usize) -> Vec<LookupRow> {
    let total: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut rng = ChaCha8Rng::seed_from_u64(log_t as u64);
    (0..1usize << log_t)
        .map(|_| {
            let mut pick = rng.gen_range(0..total);
            let kind = MIX
                .iter()
                .find(|(_, w)| {
                    let hit = pick < *w;
                    pick = pick.saturating_sub(*w);
                    hit
                })
                .map(|(k, _)| *k)
                .expect("pick < total");
            let x = rng.gen::<u32>() as u64;
            let y = match kind {
                LookupKind::Sll | LookupKind::Srl | LookupKind::Sra => rng.gen_range(0..32),
                // Immediates and small offsets are common.
                _ if rng.gen_bool(0.5) => rng.gen_range(0..4096),
                _ => rng.gen::<u32>() as u64,
            };
            LookupRow::new(kind, x, y)
        })
        .collect()
}

fn max_log() -> usize {
    std::env::var("LASSO_BENCH_MAX_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

fn prove_lasso(witness: &LassoWitness) -> LassoAlone<Fr> {
    testing::lasso::prove(witness, &mut Transcript::new(b"bench")).0
}

fn verify_lasso(witness: &LassoWitness, proof: &LassoAlone<Fr>) {
    let mut t = Transcript::new(b"bench");
    testing::lasso::verify(witness.layout(), witness.trace_length(), proof, &mut t)
        .expect("honest proof");
}

/// The chunks' fraction sums alone.
fn prove_chunk_sums(witness: &LassoWitness) {
    let mut t = Transcript::new(b"bench");
    let leaves = lasso::memory_checking::prove_leaves::<Fr>(witness, &mut t);
    prove_memories(Vec::new(), leaves, &mut t);
}

/// One timed run of each phase, printed once: which part dominates.
fn breakdown(log_t: usize) {
    let rows = rows(log_t);
    let start = Instant::now();
    let witness = LassoWitness::new(&rows, LookupParams::RV32).expect("valid rows");
    let t_witness = start.elapsed();
    let start = Instant::now();
    let proof = prove_lasso(&witness);
    let t_prove = start.elapsed();
    let start = Instant::now();
    prove_chunk_sums(&witness);
    let t_memory = start.elapsed();
    let start = Instant::now();
    verify_lasso(&witness, &proof);
    let t_verify = start.elapsed();
    let proof_bytes = proof.compressed_size();
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / rows.len() as f64;
    eprintln!(
        "lasso 2^{log_t}: witness {:.2?} ({:.2} µs/lookup), prove {:.2?} ({:.2} µs/lookup) \
         of which memory checking {:.2?} and primary sumcheck + output claim ≈ {:.2?}; verify {:.2?}; \
         proof {} bytes",
        t_witness,
        per(t_witness),
        t_prove,
        per(t_prove),
        t_memory,
        t_prove.saturating_sub(t_memory),
        t_verify,
        proof_bytes,
    );
}

fn lasso_bench(c: &mut Criterion) {
    for log_t in [16, 20] {
        if log_t > max_log() {
            continue;
        }
        breakdown(log_t);
        let rows = rows(log_t);
        let witness = LassoWitness::new(&rows, LookupParams::RV32).expect("valid rows");
        let proof = prove_lasso(&witness);

        let mut g = c.benchmark_group(format!("lasso 2^{log_t}"));
        g.sample_size(10);
        g.throughput(Throughput::Elements(rows.len() as u64));
        g.bench_function("witness", |b| {
            b.iter(|| LassoWitness::new(&rows, LookupParams::RV32).expect("valid rows"))
        });
        g.bench_function("prove", |b| b.iter(|| prove_lasso(&witness)));
        g.bench_function("verify", |b| b.iter(|| verify_lasso(&witness, &proof)));
        g.finish();
    }
}

criterion_group!(benches, lasso_bench);
criterion_main!(benches);
