//! Polynomial commitment benchmarks: commit 2^16 and 2^20 evaluations per
//! value width (the small-value kernel against ark-ec's generic MSM on the
//! same values), and HyperKZG open / verify at 2^20 with the proof size.
//!
//! `cargo bench -p jolt-core --bench pcs -- commit/2^16` runs one group;
//! the 2^20 groups take a few minutes on two cores.
//!
//! The `cpu-` groups repeat the 2^20 commits and the opening measuring process
//! CPU time (all threads summed, from /proc/self/task/*/schedstat) instead
//! of wall-clock time: on a machine shared with other jobs, wall-clock time
//! grows with the load while CPU time mostly does not.

use ark_bn254::Fr;
use ark_ff::UniformRand;
use ark_serialize::CanonicalSerialize;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use jolt_core::field::JoltField;
use jolt_core::pcs::{Column, CommitmentScheme, HyperKzg, HyperKzgProverKey};
use jolt_core::poly::DensePolynomial;
use jolt_core::transcript::Transcript;
use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::time::Duration;

const MAX_VARS: usize = 20;

/// The values of one width as every column type the API accepts.
struct Values {
    bits: Vec<bool>,
    u8s: Vec<u8>,
    u16s: Vec<u16>,
    u32s: Vec<u32>,
    full: Vec<Fr>,
}

impl Values {
    fn random(len: usize, rng: &mut ChaCha20Rng) -> Self {
        Self {
            bits: (0..len).map(|_| rng.gen()).collect(),
            u8s: (0..len).map(|_| rng.gen()).collect(),
            u16s: (0..len).map(|_| rng.gen()).collect(),
            u32s: (0..len).map(|_| rng.gen()).collect(),
            full: (0..len).map(|_| Fr::rand(rng)).collect(),
        }
    }

    /// (name, kernel column, the same values as field elements).
    fn columns(&self) -> Vec<(&'static str, Column<'_, Fr>, Vec<Fr>)> {
        vec![
            (
                "1-bit",
                Column::Bits(&self.bits),
                Column::<Fr>::Bits(&self.bits).to_field(),
            ),
            (
                "8-bit",
                Column::U8(&self.u8s),
                Column::<Fr>::U8(&self.u8s).to_field(),
            ),
            (
                "16-bit",
                Column::U16(&self.u16s),
                Column::<Fr>::U16(&self.u16s).to_field(),
            ),
            (
                "32-bit",
                Column::U32(&self.u32s),
                Column::<Fr>::U32(&self.u32s).to_field(),
            ),
            ("full", Column::Field(&self.full), self.full.clone()),
        ]
    }
}

fn commit_group<M: Measurement>(
    c: &mut Criterion<M>,
    prefix: &str,
    pk: &HyperKzgProverKey,
    log_len: usize,
    samples: usize,
) {
    let mut rng = ChaCha20Rng::seed_from_u64(log_len as u64);
    let values = Values::random(1 << log_len, &mut rng);
    let mut group = c.benchmark_group(format!("{prefix}commit/2^{log_len}"));
    group.sample_size(samples);
    for (name, column, field) in values.columns() {
        group.bench_function(BenchmarkId::new("kernel", name), |b| {
            b.iter(|| HyperKzg::commit(pk, column).unwrap())
        });
        group.bench_function(BenchmarkId::new("ark-ec", name), |b| {
            b.iter(|| HyperKzg::commit_with_ark_msm(pk, &field).unwrap())
        });
    }
    group.finish();
}

fn keys() -> &'static (HyperKzgProverKey, jolt_core::pcs::HyperKzgVerifierKey) {
    static KEYS: std::sync::OnceLock<(HyperKzgProverKey, jolt_core::pcs::HyperKzgVerifierKey)> =
        std::sync::OnceLock::new();
    KEYS.get_or_init(|| HyperKzg::insecure_dev_setup(MAX_VARS, 1))
}

fn cpu_benches(c: &mut Criterion<CpuTime>) {
    let (pk, _) = keys();
    commit_group(c, "cpu-", pk, 16, 20);
    commit_group(c, "cpu-", pk, 20, 10);
    let mut rng = ChaCha20Rng::seed_from_u64(99);
    let poly = DensePolynomial::new((0..1 << MAX_VARS).map(|_| Fr::rand(&mut rng)).collect());
    let point: Vec<Fr> = (0..MAX_VARS).map(|_| Fr::rand(&mut rng)).collect();
    let commitment = HyperKzg::commit(pk, (&poly).into()).unwrap();
    let mut group = c.benchmark_group(format!("cpu-hyperkzg/2^{MAX_VARS}"));
    group.sample_size(10);
    group.bench_function("open", |b| {
        b.iter(|| {
            HyperKzg::prove(
                pk,
                &poly,
                &commitment,
                &point,
                &mut Transcript::new(b"bench"),
            )
            .unwrap()
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion<WallTime>) {
    let (pk, vk) = keys();
    commit_group(c, "", pk, 16, 20);
    commit_group(c, "", pk, 20, 10);

    let mut rng = ChaCha20Rng::seed_from_u64(99);
    let poly = DensePolynomial::new((0..1 << MAX_VARS).map(|_| Fr::rand(&mut rng)).collect());
    let point: Vec<Fr> = (0..MAX_VARS).map(|_| Fr::rand(&mut rng)).collect();
    let eval = poly.evaluate(&point);
    let commitment = HyperKzg::commit(pk, (&poly).into()).unwrap();
    let prove = || {
        HyperKzg::prove(
            pk,
            &poly,
            &commitment,
            &point,
            &mut Transcript::new(b"bench"),
        )
        .unwrap()
    };
    let proof = prove();
    eprintln!(
        "HyperKZG proof at 2^{MAX_VARS}: {} bytes compressed ({} fold commitments, {} field elements)",
        proof.compressed_size(),
        proof.fold_commitments.len(),
        2 * proof.evals_pos.len() + 1,
    );

    let mut group = c.benchmark_group(format!("hyperkzg/2^{MAX_VARS}"));
    group.sample_size(10);
    group.bench_function("open", |b| b.iter(prove));
    group.bench_function("verify", |b| {
        b.iter(|| {
            HyperKzg::verify(
                vk,
                &commitment,
                &point,
                eval,
                &proof,
                &mut Transcript::new(b"bench"),
            )
            .unwrap()
        })
    });
    // An opening of a witness-like polynomial of 16-bit values, whose folds
    // are full field elements all the same.
    let small: Vec<u16> = (0..1 << MAX_VARS).map(|_| rng.gen()).collect();
    let small_poly = DensePolynomial::new(small.iter().map(|&v| Fr::from_u16(v)).collect());
    let small_commitment = HyperKzg::commit(pk, Column::U16(&small)).unwrap();
    group.bench_function("open 16-bit", |b| {
        b.iter(|| {
            HyperKzg::prove(
                pk,
                &small_poly,
                &small_commitment,
                &point,
                &mut Transcript::new(b"b"),
            )
            .unwrap()
        })
    });
    group.finish();
}

/// Process CPU time in nanoseconds: the sum over this process's threads
/// of the first field of /proc/self/task/<tid>/schedstat.
struct CpuTime;

fn process_cpu_ns() -> u64 {
    let tasks = std::fs::read_dir("/proc/self/task").expect("Linux /proc is required");
    tasks
        .filter_map(|t| {
            let stat = std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok()?;
            stat.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum()
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        process_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        process_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (div, unit) = match typical {
            t if t < 1e3 => (1.0, "ns cpu"),
            t if t < 1e6 => (1e3, "µs cpu"),
            t if t < 1e9 => (1e6, "ms cpu"),
            _ => (1e9, "s cpu"),
        };
        values.iter_mut().for_each(|v| *v /= div);
        unit
    }
    fn scale_throughputs(&self, _: f64, _: &Throughput, _: &mut [f64]) -> &'static str {
        "n/a"
    }
    fn scale_for_machines(&self, _: &mut [f64]) -> &'static str {
        "ns"
    }
}

criterion_group! {
    name = pcs;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_group! {
    name = pcs_cpu;
    config = Criterion::default()
        .with_measurement(CpuTime)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = cpu_benches
}
criterion_main!(pcs, pcs_cpu);
