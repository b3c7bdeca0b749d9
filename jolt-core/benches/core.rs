//! Micro-benchmarks of the proof-system core (issue 3): field small-value
//! paths, bind, eq table, full sumchecks and grand products on 2^20, each
//! on one and on two rayon threads.
//!
//! `cargo bench -p jolt-core --bench core -- --warm-up-time 1 --measurement-time 5`

use ark_bn254::Fr;
use ark_ff::UniformRand;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use jolt_core::field::JoltField;
use jolt_core::poly::{DensePolynomial, EqPolynomial};
use jolt_core::subprotocols::{DenseSumcheck, GrandProductProof, SumcheckInstance, SumcheckProof};
use jolt_core::transcript::Transcript;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

const LOG_N: usize = 20;
const N: usize = 1 << LOG_N;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
}

fn random_vec(len: usize, rng: &mut ChaCha20Rng) -> Vec<Fr> {
    (0..len).map(|_| Fr::rand(rng)).collect()
}

fn field(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(0);
    let a = random_vec(1024, &mut rng);
    let b = random_vec(1024, &mut rng);
    let small: Vec<u64> = (0..1024).map(|_| rng.next_u64() >> 16).collect();
    let bytes: Vec<u8> = (0..1024).map(|_| rng.next_u32() as u8).collect();
    let mut g = c.benchmark_group("field");
    g.throughput(Throughput::Elements(1024));
    g.bench_function("mul", |bench| {
        bench.iter(|| {
            a.iter()
                .zip(&b)
                .fold(Fr::from(1u64), |acc, (x, y)| acc + *x * y)
        })
    });
    g.bench_function("mul_u64", |bench| {
        bench.iter(|| {
            a.iter()
                .zip(&small)
                .fold(Fr::from(1u64), |acc, (x, s)| acc + x.mul_u64(*s))
        })
    });
    g.bench_function("from_u64 (ark From)", |bench| {
        bench.iter(|| {
            small
                .iter()
                .fold(Fr::from(1u64), |acc, s| acc + Fr::from(*s))
        })
    });
    g.bench_function("from_u64", |bench| {
        bench.iter(|| {
            small
                .iter()
                .fold(Fr::from(1u64), |acc, s| acc + Fr::from_u64(*s))
        })
    });
    g.bench_function("from_u8", |bench| {
        bench.iter(|| {
            bytes
                .iter()
                .fold(Fr::from(1u64), |acc, s| acc + Fr::from_u8(*s))
        })
    });
    g.bench_function("batch_inverse", |bench| {
        bench.iter_batched(
            || a.clone(),
            |mut v| Fr::batch_inverse(&mut v),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn bind_and_eq(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let poly = DensePolynomial::new(random_vec(N, &mut rng));
    let r = Fr::rand(&mut rng);
    let point = random_vec(LOG_N, &mut rng);
    let mut g = c.benchmark_group("poly 2^20");
    g.throughput(Throughput::Elements(N as u64));
    for threads in [1, 2] {
        let pool = pool(threads);
        g.bench_function(format!("bind_top {threads}t"), |bench| {
            bench.iter_batched(
                || poly.clone(),
                |mut p| {
                    pool.install(|| p.bind_top(r));
                    p
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("bind_bottom {threads}t"), |bench| {
            bench.iter_batched(
                || poly.clone(),
                |mut p| {
                    pool.install(|| p.bind_bottom(r));
                    p
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("eq table {threads}t"), |bench| {
            bench.iter_with_large_drop(|| pool.install(|| EqPolynomial::new(point.clone()).evals()))
        });
        g.bench_function(format!("evaluate {threads}t"), |bench| {
            bench.iter(|| pool.install(|| poly.evaluate(&point)))
        });
    }
    g.finish();
}

fn sumcheck(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let polys: Vec<DensePolynomial<Fr>> = (0..3)
        .map(|_| DensePolynomial::new(random_vec(N, &mut rng)))
        .collect();
    let mut g = c.benchmark_group("sumcheck 2^20");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    for threads in [1, 2] {
        let pool = pool(threads);
        g.bench_function(format!("degree-2 round {threads}t"), |bench| {
            bench.iter_batched(
                || DenseSumcheck::new(polys[..2].to_vec(), 2, |v: &[Fr]| v[0] * v[1]),
                |mut inst| {
                    pool.install(|| {
                        let claim = inst.input_claim();
                        let m = inst.compute_message(0, claim);
                        inst.bind(m[2], 0);
                    });
                    inst
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("degree-2 full {threads}t"), |bench| {
            bench.iter_batched(
                || DenseSumcheck::new(polys[..2].to_vec(), 2, |v: &[Fr]| v[0] * v[1]),
                |mut inst| {
                    pool.install(|| {
                        SumcheckProof::prove(&mut inst, &mut Transcript::new(b"bench"))
                    });
                    inst
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("degree-3 full {threads}t"), |bench| {
            bench.iter_batched(
                || DenseSumcheck::new(polys.clone(), 3, |v: &[Fr]| v[0] * v[1] * v[2]),
                |mut inst| {
                    pool.install(|| {
                        SumcheckProof::prove(&mut inst, &mut Transcript::new(b"bench"))
                    });
                    inst
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn grand_product(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let one = vec![random_vec(N, &mut rng)];
    let four: Vec<Vec<Fr>> = (0..4).map(|_| random_vec(N / 4, &mut rng)).collect();
    let mut g = c.benchmark_group("grand product 2^20 leaves");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    for threads in [1, 2] {
        let pool = pool(threads);
        for (name, leaves) in [("1x2^20", &one), ("4x2^18", &four)] {
            g.bench_function(format!("{name} {threads}t"), |bench| {
                bench.iter_batched(
                    || leaves.clone(),
                    |leaves| {
                        pool.install(|| {
                            GrandProductProof::prove(leaves, &mut Transcript::new(b"bench"))
                        })
                    },
                    BatchSize::LargeInput,
                )
            });
        }
    }
    g.finish();
}

criterion_group!(benches, field, bind_and_eq, sumcheck, grand_product);
criterion_main!(benches);
