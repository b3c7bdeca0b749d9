//! Polynomial commitment benchmarks: commit 2^16 and 2^20 evaluations per
//! value width (the small-value kernel against ark-ec's generic MSM on the
//! same values), and HyperKZG open / verify at 2^20 with the proof size.
//!
//! `cargo bench -p jolt-core --bench pcs -- commit/2^16` runs one group;
//! the 2^20 groups take a few minutes on two cores.

use ark_bn254::Fr;
use ark_ff::UniformRand;
use ark_serialize::CanonicalSerialize;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
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

fn commit_group(c: &mut Criterion, pk: &HyperKzgProverKey, log_len: usize, samples: usize) {
    let mut rng = ChaCha20Rng::seed_from_u64(log_len as u64);
    let values = Values::random(1 << log_len, &mut rng);
    let mut group = c.benchmark_group(format!("commit/2^{log_len}"));
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

fn benches(c: &mut Criterion) {
    let (pk, vk) = HyperKzg::insecure_dev_setup(MAX_VARS, 1);
    commit_group(c, &pk, 16, 20);
    commit_group(c, &pk, 20, 10);

    let mut rng = ChaCha20Rng::seed_from_u64(99);
    let poly = DensePolynomial::new((0..1 << MAX_VARS).map(|_| Fr::rand(&mut rng)).collect());
    let point: Vec<Fr> = (0..MAX_VARS).map(|_| Fr::rand(&mut rng)).collect();
    let eval = poly.evaluate(&point);
    let commitment = HyperKzg::commit(&pk, (&poly).into()).unwrap();
    let prove = || {
        HyperKzg::prove(
            &pk,
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
                &vk,
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
    let small_commitment = HyperKzg::commit(&pk, Column::U16(&small)).unwrap();
    group.bench_function("open 16-bit", |b| {
        b.iter(|| {
            HyperKzg::prove(
                &pk,
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

criterion_group! {
    name = pcs;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_main!(pcs);
