//! Offline memory checking of the subtable reads: proves E_m[t] =
//! T_m(dim_chunk(m)[t]) for every memory m and step t, and dim_i[t] < M.
//!
//! **Memories per chunk.** All memories of chunk i are read at dim_i in
//! every step, so chunk i is checked as one read-only memory whose cell a
//! holds the tuple T⃗_i(a) = (T_m(a))_{m of chunk i}, with one read count
//! per step and one final count per cell, under the shared fingerprint
//! ([`crate::subprotocols::multiset`]) of (address, values, count):
//!
//!   h(a, v⃗, c) = a + Σ_j γ^j·v_j + γ^(k+1)·c − τ    (k memories in the chunk).
//!
//! Per chunk, the multisets
//!   Init   = {(a, T⃗(a), 0)}                       a ∈ [0, M)
//!   Reads  = {(dim[t], E⃗[t], read_cts[t])}        t ∈ [0, T)
//!   Writes = {(dim[t], E⃗[t], read_cts[t] + 1)}    t ∈ [0, T)
//!   Final  = {(a, T⃗(a), final_cts[a])}            a ∈ [0, M)
//! satisfy Init ∪ Writes = Reads ∪ Final iff (with high probability over
//! γ, τ) every read returned the table's tuple at its address, which lies
//! in [0, M).
//!
//! h is affine in its arguments, so a leaf polynomial's value at a point
//! is h of the columns' values there. At the read/write leaf point r_a the
//! prover claims E_m(r_a) and read_cts_i(r_a); dim_i(r_a) is
//! 2^b·E_LEFT_ID,i(r_a) + E_RIGHT_ID,i(r_a) (the chunk index is the
//! concatenation of its two operand reads, so it is never committed). At
//! the init/final point r_b it claims final_cts_i(r_b), and the verifier evaluates the
//! identity polynomial and every subtable's MLE at r_b itself. Those claims
//! are handed on as opening claims.
//!
//! Transcript, in order: `lasso gamma`, `lasso tau`, the grand products
//! (batched by length as the multiset core does), `lasso read value
//! evals`, `lasso read count evals`, `lasso final count evals`.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use instructions::subtables::SubtableId;
use rayon::prelude::*;
use std::collections::BTreeMap;

use super::layout::{LassoLayout, PROTOCOL};
use super::witness::{LassoWitness, SmallColumn};
use super::LassoColumn;
use crate::codec::ProofVec;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::opening::OpeningClaim;
use crate::pcs::Column;
use crate::poly::{EqPolynomial, IdentityPolynomial, PAR_THRESHOLD};
use crate::subprotocols::multiset::{
    prove_memories, verify_memories, Fingerprint, MemoryShape, Multisets,
};
use crate::subprotocols::GrandProductProof;
use crate::trace_length::TraceLength;
use crate::transcript::Transcript;

/// The memory-checking part of a Lasso proof.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct MemoryCheckingProof<F: JoltField> {
    /// Every chunk's four multisets, batched by length (T, M; one batch
    /// when T = M).
    pub products: ProofVec<GrandProductProof<F>>,
    /// E_m at the read/write leaf point, per memory.
    pub read_value_evals: ProofVec<F>,
    /// read_cts_i at the read/write leaf point, per chunk.
    pub read_cts_evals: ProofVec<F>,
    /// final_cts_i at the init/final leaf point, per chunk.
    pub final_cts_evals: ProofVec<F>,
}

fn draw_fingerprints<F: JoltField>(
    layout: &LassoLayout,
    transcript: &mut Transcript,
) -> Vec<Fingerprint<F>> {
    let gamma = transcript.challenge_scalar(b"lasso gamma");
    let tau = transcript.challenge_scalar(b"lasso tau");
    layout
        .chunk_memories
        .iter()
        .map(|mems| Fingerprint::new(gamma, tau, mems.len()))
        .collect()
}

/// Names for errors: the memory of chunk i.
const CHUNK_NAMES: [&str; 8] = [
    "subtables of chunk 0",
    "subtables of chunk 1",
    "subtables of chunk 2",
    "subtables of chunk 3",
    "subtables of chunk 4",
    "subtables of chunk 5",
    "subtables of chunk 6",
    "subtables of chunk 7",
];

fn shapes(layout: &LassoLayout, trace_length: TraceLength) -> Vec<MemoryShape> {
    (0..layout.num_chunks())
        .map(|i| MemoryShape {
            name: CHUNK_NAMES
                .get(i)
                .copied()
                .unwrap_or("subtables of a chunk"),
            log_cells: layout.log_m(),
            log_ops: trace_length.log_t(),
        })
        .collect()
}

fn absorb_evals<F: JoltField>(transcript: &mut Transcript, proof: &MemoryCheckingProof<F>) {
    transcript.append_scalars(b"lasso read value evals", &proof.read_value_evals);
    transcript.append_scalars(b"lasso read count evals", &proof.read_cts_evals);
    transcript.append_scalars(b"lasso final count evals", &proof.final_cts_evals);
}

/// Proves the subtable reads of `witness`; returns the proof and the
/// opening claims (read values and read counts at r_a; final counts
/// at r_b). [`super::prove`] calls it after the primary sumcheck; it is
/// public for benchmarks of this part alone.
pub fn prove<F: JoltField>(
    witness: &LassoWitness,
    transcript: &mut Transcript,
) -> (MemoryCheckingProof<F>, Vec<OpeningClaim<LassoColumn, F>>) {
    let layout = &witness.layout;
    let fingerprints = draw_fingerprints::<F>(layout, transcript);
    let memories: Vec<Multisets<Vec<F>>> = (0..layout.num_chunks())
        .into_par_iter()
        .map(|i| {
            let fp = &fingerprints[i];
            let values: Vec<&SmallColumn> = layout.chunk_memories[i]
                .iter()
                .map(|&m| &witness.read_values[m])
                .collect();
            let reads = read_leaves(fp, &witness.dims[i], &values, &witness.read_cts[i]);
            let writes: Vec<F> = reads.par_iter().map(|h| *h + fp.time_coeff()).collect();
            let tables: Vec<&SmallColumn> = layout.chunk_memories[i]
                .iter()
                .map(|&m| witness.table(m))
                .collect();
            let init = init_leaves(fp, &tables, layout.params.subtable_size());
            let finals: Vec<F> = init
                .par_iter()
                .zip(&witness.final_cts[i])
                .map(|(h, c)| *h + fp.time_coeff().mul_u64(*c as u64))
                .collect();
            Multisets {
                init,
                reads,
                writes,
                finals,
            }
        })
        .collect();
    let (products, claims) = prove_memories(memories, transcript);

    // Every chunk's reads share one point, and every chunk's cells another.
    let (r_a, r_b) = (claims[0].reads.point.clone(), claims[0].init.point.clone());
    let eq_a = EqPolynomial::new(r_a.clone()).evals();
    let eval = |column: Column<'_, F>| column.evaluate_with_eq(&eq_a);
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
    let eq_b = EqPolynomial::new(r_b.clone()).evals();
    let final_cts_evals: Vec<F> = witness
        .final_cts
        .iter()
        .map(|c| Column::U32(c).evaluate_with_eq(&eq_b))
        .collect();

    let proof = MemoryCheckingProof {
        products: products.into(),
        read_value_evals: read_value_evals.into(),
        read_cts_evals: read_cts_evals.into(),
        final_cts_evals: final_cts_evals.into(),
    };
    absorb_evals(transcript, &proof);
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
        .enumerate()
        .map(|(j, col)| Scaled::new(col, fp.value_coeff(j)))
        .collect();
    let mut leaves = vec![F::zero(); dim.len()];
    leaves
        .par_chunks_mut(PAR_THRESHOLD)
        .enumerate()
        .for_each(|(c, out)| {
            let start = c * PAR_THRESHOLD;
            for (j, h) in out.iter_mut().enumerate() {
                let t = start + j;
                *h = F::from_u64(dim[t] as u64) + fp.time_coeff().mul_u64(read_cts[t] as u64)
                    - fp.tau();
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
        .enumerate()
        .map(|(j, col)| Scaled::new(col, fp.value_coeff(j)))
        .collect();
    let mut leaves = vec![F::zero(); m];
    leaves
        .par_chunks_mut(PAR_THRESHOLD)
        .enumerate()
        .for_each(|(c, out)| {
            let start = c * PAR_THRESHOLD;
            for (j, h) in out.iter_mut().enumerate() {
                *h = F::from_u64((start + j) as u64) - fp.tau();
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

/// Claims in a fixed order: read values and read counts at r_a; final
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
    layout: &LassoLayout,
    proof: &MemoryCheckingProof<F>,
) -> Result<(), VerifyError> {
    let c = layout.num_chunks();
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

/// Verifies the memory checking of a run of `trace_length` steps; the
/// caller has checked the proof's shape with [`check_proof_shape`].
pub(super) fn verify<F: JoltField>(
    layout: &LassoLayout,
    trace_length: TraceLength,
    proof: &MemoryCheckingProof<F>,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<LassoColumn, F>>, VerifyError> {
    let fingerprints = draw_fingerprints::<F>(layout, transcript);
    let claims = verify_memories(
        PROTOCOL,
        &proof.products,
        &shapes(layout, trace_length),
        transcript,
    )?;
    // Every chunk's reads share one point, and every chunk's cells another
    // (vectors of one length are one batch).
    let (r_a, r_b) = (&claims[0].reads.point, &claims[0].init.point);

    // The verifier's own evaluations at r_b: a(r_b) and every subtable's MLE.
    let address = IdentityPolynomial::new(layout.log_m()).evaluate(r_b);
    let mut table_evals: BTreeMap<SubtableId, F> = BTreeMap::new();
    for &(table, _) in &layout.memories {
        table_evals
            .entry(table)
            .or_insert_with(|| table.evaluate_mle(r_b, &layout.params));
    }
    for (i, (fp, chunk)) in fingerprints.iter().zip(&claims).enumerate() {
        let memories = &layout.chunk_memories[i];
        let read_values: Vec<F> = memories
            .iter()
            .map(|&m| proof.read_value_evals[m])
            .collect();
        let entries: Vec<F> = memories
            .iter()
            .map(|&m| table_evals[&layout.memories[m].0])
            .collect();
        // The chunk index is not committed: its operand reads give it.
        let dim = layout.dim_from_operands(i, &proof.read_value_evals);
        let read = fp.hash(dim, &read_values, proof.read_cts_evals[i]);
        let init = fp.hash(address, &entries, F::zero());
        chunk.check_leaves(
            PROTOCOL,
            Multisets {
                init,
                reads: read,
                writes: read + fp.time_coeff(),
                finals: init + fp.time_coeff() * proof.final_cts_evals[i],
            },
        )?;
    }
    absorb_evals(transcript, proof);
    Ok(opening_claims(proof, r_a, r_b))
}
