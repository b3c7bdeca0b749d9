//! Offline memory checking of the subtable reads: proves E_m[t] =
//! T_m(dim_chunk(m)[t]) for every memory m and step t, and dim_i[t] < M.
//!
//! **Memories per chunk.** All memories of chunk i are read at dim_i in
//! every step, so chunk i is checked as one read-only memory whose cell a
//! holds the tuple T⃗_i(a) = (T_m(a))_{m of chunk i}, with one read count
//! per step and one final count per cell. With challenges γ, τ the
//! fingerprint of (address a, values v⃗, count t) is
//!
//!   h(a, v⃗, t) = t + γ·a + Σ_j γ^(j+2)·v_j − τ.
//!
//! Per chunk, the multisets
//!   Init   = {(a, T⃗(a), 0)}                       a ∈ [0, M)
//!   Reads  = {(dim[t], E⃗[t], read_cts[t])}        t ∈ [0, T)
//!   Writes = {(dim[t], E⃗[t], read_cts[t] + 1)}    t ∈ [0, T)
//!   Final  = {(a, T⃗(a), final_cts[a])}            a ∈ [0, M)
//! satisfy Init ∪ Writes = Reads ∪ Final iff (with high probability over
//! γ, τ) every read returned the table's tuple at its address, which lies
//! in [0, M). The verifier checks Π Init · Π Writes = Π Reads · Π Final
//! per chunk from two batched grand products: one over the T-sized
//! read/write leaves, one over the M-sized init/final leaves.
//!
//! h is affine in its arguments, so a leaf polynomial's value at a point
//! is h of the columns' values there. At the read/write leaf point r_a the
//! prover claims dim_i(r_a), E_m(r_a), read_cts_i(r_a); at the init/final
//! point r_b it claims final_cts_i(r_b), and the verifier evaluates the
//! identity polynomial and every subtable's MLE at r_b itself. Those claims
//! are handed on as opening claims.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use instructions::subtables::SubtableId;
use rayon::prelude::*;
use std::collections::BTreeMap;

use super::layout::{LassoLayout, PROTOCOL};
use super::witness::{evaluate_column, LassoWitness, SmallColumn};
use super::LassoColumn;
use crate::codec::ProofVec;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::opening::OpeningClaim;
use crate::pcs::Column;
use crate::poly::{EqPolynomial, IdentityPolynomial, PAR_THRESHOLD};
use crate::subprotocols::GrandProductProof;
use crate::transcript::Transcript;

const READ_WRITE: &str = "lasso read/write grand product";
const INIT_FINAL: &str = "lasso init/final grand product";

/// The memory-checking part of a Lasso proof.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct MemoryCheckingProof<F: JoltField> {
    /// Products of [read_0, write_0, read_1, write_1, …] (T leaves each).
    pub read_write: GrandProductProof<F>,
    /// dim_i, E_m and read_cts_i at the read/write leaf point.
    pub dim_evals: ProofVec<F>,
    pub read_value_evals: ProofVec<F>,
    pub read_cts_evals: ProofVec<F>,
    /// Products of [init_0, final_0, init_1, final_1, …] (M leaves each).
    pub init_final: GrandProductProof<F>,
    /// final_cts_i at the init/final leaf point.
    pub final_cts_evals: ProofVec<F>,
}

/// The coefficients of h for one chunk: `powers[0] = 1` (count),
/// `powers[1] = γ` (address), `powers[j + 2] = γ^(j+2)` (j-th value).
struct Fingerprint<F> {
    powers: Vec<F>,
    tau: F,
}

impl<F: JoltField> Fingerprint<F> {
    fn new(gamma: F, tau: F, num_values: usize) -> Self {
        let mut powers = Vec::with_capacity(num_values + 2);
        let mut p = F::one();
        for _ in 0..num_values + 2 {
            powers.push(p);
            p *= gamma;
        }
        Self { powers, tau }
    }

    /// h(a, v⃗, t) on field values (the verifier's side).
    fn hash(&self, a: F, values: impl Iterator<Item = F>, t: F) -> F {
        let v: F = values.zip(&self.powers[2..]).map(|(v, p)| v * p).sum();
        t + self.powers[1] * a + v - self.tau
    }
}

fn draw_challenges<F: JoltField>(transcript: &mut Transcript) -> (F, F) {
    let gamma = transcript.challenge_scalar(b"lasso gamma");
    let tau = transcript.challenge_scalar(b"lasso tau");
    (gamma, tau)
}

/// Proves the subtable reads of `witness`; returns the proof and the
/// opening claims (dims, read values and read counts at r_a; final counts
/// at r_b). [`super::prove`] calls it after the primary sumcheck; it is
/// public for benchmarks of this part alone.
pub fn prove<F: JoltField>(
    witness: &LassoWitness,
    transcript: &mut Transcript,
) -> (MemoryCheckingProof<F>, Vec<OpeningClaim<LassoColumn, F>>) {
    let layout = &witness.layout;
    let (gamma, tau) = draw_challenges::<F>(transcript);
    let fingerprints: Vec<Fingerprint<F>> = layout
        .chunk_memories
        .iter()
        .map(|mems| Fingerprint::new(gamma, tau, mems.len()))
        .collect();

    // Read and write leaves over the T steps.
    let leaves: Vec<Vec<F>> = (0..layout.num_chunks())
        .into_par_iter()
        .flat_map_iter(|i| {
            let values: Vec<&SmallColumn> = layout.chunk_memories[i]
                .iter()
                .map(|&m| &witness.read_values[m])
                .collect();
            let reads = read_leaves(
                &fingerprints[i],
                &witness.dims[i],
                &values,
                &witness.read_cts[i],
            );
            let writes: Vec<F> = reads.par_iter().map(|h| *h + F::one()).collect();
            [reads, writes]
        })
        .collect();
    let (read_write, rw_claims) = GrandProductProof::prove(leaves, transcript);

    let r_a = rw_claims.r;
    let eq_a = EqPolynomial::new(r_a.clone()).evals();
    let eval = |column: Column<'_, F>| evaluate_column(&eq_a, column);
    let dim_evals: Vec<F> = witness.dims.iter().map(|d| eval(Column::U16(d))).collect();
    let read_value_evals: Vec<F> = witness
        .read_values
        .par_iter()
        .map(|e| eval(e.as_column()))
        .collect();
    let read_cts_evals: Vec<F> = witness
        .read_cts
        .iter()
        .map(|c| eval(Column::U32(c)))
        .collect();
    drop(eq_a);
    transcript.append_scalars(b"lasso dim evals", &dim_evals);
    transcript.append_scalars(b"lasso read value evals", &read_value_evals);
    transcript.append_scalars(b"lasso read count evals", &read_cts_evals);

    // Init and final leaves over the M cells.
    let leaves: Vec<Vec<F>> = (0..layout.num_chunks())
        .into_par_iter()
        .flat_map_iter(|i| {
            let tables: Vec<&SmallColumn> = layout.chunk_memories[i]
                .iter()
                .map(|&m| witness.table(m))
                .collect();
            let init = init_leaves(&fingerprints[i], &tables, layout.params.subtable_size());
            let fin: Vec<F> = init
                .iter()
                .zip(&witness.final_cts[i])
                .map(|(h, c)| *h + F::from_u32(*c))
                .collect();
            [init, fin]
        })
        .collect();
    let (init_final, if_claims) = GrandProductProof::prove(leaves, transcript);
    let r_b = if_claims.r;
    let eq_b = EqPolynomial::new(r_b.clone()).evals();
    let final_cts_evals: Vec<F> = witness
        .final_cts
        .iter()
        .map(|c| evaluate_column(&eq_b, Column::U32(c)))
        .collect();
    transcript.append_scalars(b"lasso final count evals", &final_cts_evals);

    let proof = MemoryCheckingProof {
        read_write,
        dim_evals: dim_evals.into(),
        read_value_evals: read_value_evals.into(),
        read_cts_evals: read_cts_evals.into(),
        init_final,
        final_cts_evals: final_cts_evals.into(),
    };
    let claims = opening_claims(&proof, &r_a, &r_b);
    (proof, claims)
}

/// h(dim[t], E⃗[t], read_cts[t]) for every step, from the small values.
fn read_leaves<F: JoltField>(
    fp: &Fingerprint<F>,
    dim: &[u16],
    values: &[&SmallColumn],
    read_cts: &[u32],
) -> Vec<F> {
    let scaled: Vec<Scaled<'_, F>> = values
        .iter()
        .zip(&fp.powers[2..])
        .map(|(col, power)| Scaled::new(col, *power))
        .collect();
    let mut leaves = vec![F::zero(); dim.len()];
    leaves
        .par_chunks_mut(PAR_THRESHOLD)
        .enumerate()
        .for_each(|(c, out)| {
            let start = c * PAR_THRESHOLD;
            for (j, h) in out.iter_mut().enumerate() {
                let t = start + j;
                *h = F::from_u32(read_cts[t]) + fp.powers[1].mul_u64(dim[t] as u64) - fp.tau;
            }
            // One column at a time over the block, which stays in cache.
            scaled.iter().for_each(|s| s.add_to(out, start));
        });
    leaves
}

/// h(a, T⃗(a), 0) for every cell a.
fn init_leaves<F: JoltField>(fp: &Fingerprint<F>, tables: &[&SmallColumn], m: usize) -> Vec<F> {
    let scaled: Vec<Scaled<'_, F>> = tables
        .iter()
        .zip(&fp.powers[2..])
        .map(|(col, power)| Scaled::new(col, *power))
        .collect();
    let mut leaves = vec![F::zero(); m];
    leaves
        .par_chunks_mut(PAR_THRESHOLD)
        .enumerate()
        .for_each(|(c, out)| {
            let start = c * PAR_THRESHOLD;
            for (j, h) in out.iter_mut().enumerate() {
                *h = fp.powers[1].mul_u64((start + j) as u64) - fp.tau;
            }
            scaled.iter().for_each(|s| s.add_to(out, start));
        });
    leaves
}

/// power · column for a column of small values: bits and bytes through a
/// table of the possible products (an addition per entry), wider values
/// with a small-integer product.
enum Scaled<'a, F> {
    Bits(&'a [bool], F),
    Bytes(&'a [u8], Vec<F>),
    U16(&'a [u16], F),
    U32(&'a [u32], F),
}

impl<'a, F: JoltField> Scaled<'a, F> {
    fn new(col: &'a SmallColumn, power: F) -> Self {
        match col {
            SmallColumn::Bits(v) => Scaled::Bits(v, power),
            SmallColumn::U8(v) => Scaled::Bytes(v, (0..256u64).map(|x| power.mul_u64(x)).collect()),
            SmallColumn::U16(v) => Scaled::U16(v, power),
            SmallColumn::U32(v) => Scaled::U32(v, power),
        }
    }

    /// out[j] += power · column[start + j].
    fn add_to(&self, out: &mut [F], start: usize) {
        let range = start..start + out.len();
        match self {
            Scaled::Bits(v, p) => out.iter_mut().zip(&v[range]).for_each(|(h, &b)| {
                if b {
                    *h += p
                }
            }),
            Scaled::Bytes(v, table) => out
                .iter_mut()
                .zip(&v[range])
                .for_each(|(h, &x)| *h += table[x as usize]),
            Scaled::U16(v, p) => out
                .iter_mut()
                .zip(&v[range])
                .for_each(|(h, &x)| *h += p.mul_u64(x as u64)),
            Scaled::U32(v, p) => out
                .iter_mut()
                .zip(&v[range])
                .for_each(|(h, &x)| *h += p.mul_u64(x as u64)),
        }
    }
}

/// Claims in a fixed order: dims, read values, read counts at r_a; final
/// counts at r_b.
fn opening_claims<F: JoltField>(
    proof: &MemoryCheckingProof<F>,
    r_a: &[F],
    r_b: &[F],
) -> Vec<OpeningClaim<LassoColumn, F>> {
    let at_a = |column, value: &F| OpeningClaim::new(column, r_a.to_vec(), *value);
    let mut claims = Vec::new();
    claims.extend(
        proof
            .dim_evals
            .iter()
            .enumerate()
            .map(|(i, v)| at_a(LassoColumn::Dim(i), v)),
    );
    claims.extend(
        proof
            .read_value_evals
            .iter()
            .enumerate()
            .map(|(m, v)| at_a(LassoColumn::ReadValue(m), v)),
    );
    claims.extend(
        proof
            .read_cts_evals
            .iter()
            .enumerate()
            .map(|(i, v)| at_a(LassoColumn::ReadCount(i), v)),
    );
    claims.extend(
        proof
            .final_cts_evals
            .iter()
            .enumerate()
            .map(|(i, v)| OpeningClaim::new(LassoColumn::FinalCount(i), r_b.to_vec(), *v)),
    );
    claims
}

/// Checks the shape of every claimed-value vector against the layout.
pub(super) fn check_proof_shape<F: JoltField>(
    proof: &MemoryCheckingProof<F>,
    layout: &LassoLayout,
) -> Result<(), VerifyError> {
    let c = layout.num_chunks();
    check_shape(PROTOCOL, "dim evaluations", c, proof.dim_evals.len())?;
    check_shape(
        PROTOCOL,
        "read value evaluations (memory checking)",
        layout.memories.len(),
        proof.read_value_evals.len(),
    )?;
    check_shape(
        PROTOCOL,
        "read count evaluations",
        c,
        proof.read_cts_evals.len(),
    )?;
    check_shape(
        PROTOCOL,
        "final count evaluations",
        c,
        proof.final_cts_evals.len(),
    )
}

/// Verifies the memory checking of a `log_t`-variable trace; the caller
/// has checked the proof's shape with [`check_proof_shape`].
pub(super) fn verify<F: JoltField>(
    proof: &MemoryCheckingProof<F>,
    layout: &LassoLayout,
    log_t: usize,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<LassoColumn, F>>, VerifyError> {
    let c = layout.num_chunks();
    let (gamma, tau) = draw_challenges::<F>(transcript);
    let fingerprints: Vec<Fingerprint<F>> = layout
        .chunk_memories
        .iter()
        .map(|mems| Fingerprint::new(gamma, tau, mems.len()))
        .collect();

    let rw = proof
        .read_write
        .verify(READ_WRITE, 2 * c, log_t, transcript)?;
    transcript.append_scalars(b"lasso dim evals", &proof.dim_evals);
    transcript.append_scalars(b"lasso read value evals", &proof.read_value_evals);
    transcript.append_scalars(b"lasso read count evals", &proof.read_cts_evals);
    for (i, fp) in fingerprints.iter().enumerate() {
        let values = layout.chunk_memories[i]
            .iter()
            .map(|&m| proof.read_value_evals[m]);
        let read = fp.hash(proof.dim_evals[i], values, proof.read_cts_evals[i]);
        if read != rw.evals[2 * i] {
            return Err(VerifyError::OutputMismatch {
                protocol: READ_WRITE,
                what: "read fingerprint of the claimed dim, E and read count",
            });
        }
        // The write tuple differs only in its count, t + 1.
        if read + F::one() != rw.evals[2 * i + 1] {
            return Err(VerifyError::OutputMismatch {
                protocol: READ_WRITE,
                what: "write fingerprint of the claimed dim, E and read count",
            });
        }
    }

    let log_m = layout.log_m();
    let inf = proof
        .init_final
        .verify(INIT_FINAL, 2 * c, log_m, transcript)?;
    transcript.append_scalars(b"lasso final count evals", &proof.final_cts_evals);
    // The verifier's own evaluations: a(r_b) and every subtable's MLE.
    let address = IdentityPolynomial::new(log_m).evaluate(&inf.r);
    let mut table_evals: BTreeMap<SubtableId, F> = BTreeMap::new();
    for &(table, _) in &layout.memories {
        table_evals
            .entry(table)
            .or_insert_with(|| table.evaluate_mle(&inf.r, &layout.params));
    }
    for (i, fp) in fingerprints.iter().enumerate() {
        let values = layout.chunk_memories[i]
            .iter()
            .map(|&m| table_evals[&layout.memories[m].0]);
        let init = fp.hash(address, values, F::zero());
        if init != inf.evals[2 * i] {
            return Err(VerifyError::OutputMismatch {
                protocol: INIT_FINAL,
                what: "init fingerprint of the subtables",
            });
        }
        if init + proof.final_cts_evals[i] != inf.evals[2 * i + 1] {
            return Err(VerifyError::OutputMismatch {
                protocol: INIT_FINAL,
                what: "final fingerprint of the subtables and the claimed final count",
            });
        }
    }

    // Init ∪ Writes = Reads ∪ Final, per chunk.
    let (rw_out, if_out) = (proof.read_write.outputs(), proof.init_final.outputs());
    for i in 0..c {
        let (read, write) = (rw_out[2 * i], rw_out[2 * i + 1]);
        let (init, fin) = (if_out[2 * i], if_out[2 * i + 1]);
        if init * write != read * fin {
            return Err(VerifyError::OutputMismatch {
                protocol: PROTOCOL,
                what: "multiset check Init·Writes = Reads·Final",
            });
        }
    }
    Ok(opening_claims(proof, &rw.r, &inf.r))
}


