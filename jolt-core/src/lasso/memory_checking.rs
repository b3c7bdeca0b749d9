//! Offline memory checking of the subtable reads: proves E_m[t] =
//! T_m(dim_chunk(m)[t]) for every memory m and step t, and dim_i[t] < M.
//!
//! **Memories per chunk.** All memories of chunk i are read at dim_i in
//! every step, so chunk i is checked as one read-only memory whose cell a
//! holds the tuple T⃗_i(a) = (T_m(a))_{m of chunk i}, under the shared
//! fingerprint ([`crate::subprotocols::multiset`]) of (address, values):
//!
//!   h(a, v⃗) = a + Σ_j γ^j·v_j − τ    (k memories in the chunk).
//!
//! **logUp.** Per chunk, with final_cts_i[a] the number of steps that read
//! cell a (its multiplicity),
//!   Σ_t 1/h(dim[t], E⃗[t]) = Σ_a final_cts_i[a]/h(a, T⃗(a))
//! holds as rational functions in τ iff every read's tuple is a cell's
//! tuple counted as often as it is read (T < p, so counts do not wrap):
//! each read returned the table's tuple at its address, which lies in
//! [0, M). For γ, τ drawn after the columns are committed, the two sums
//! are equal only then, except with probability about T·(k + 1)/|F|. The
//! two sums are proven as fractions by the layered circuit
//! ([`crate::subprotocols::grand_product`]), the reads' numerators all 1;
//! no per-step read count is committed.
//!
//! h is affine in its arguments, so a leaf polynomial's value at a point
//! is h of the columns' values there. At the reads' leaf point r_a the
//! prover claims E_m(r_a); dim_i(r_a) is 2^b·E_LEFT_ID,i(r_a) +
//! E_RIGHT_ID,i(r_a) (the chunk index is the concatenation of its two
//! operand reads, so it is never committed). At the cells' point r_b the
//! verifier evaluates the identity polynomial and every subtable's MLE
//! itself, and the table's numerator claim is final_cts_i(r_b). Those
//! claims are handed on as opening claims.
//!
//! Transcript, in order: `lasso gamma`, `lasso tau` ([`prove_leaves`],
//! [`verify_start`]); the fraction sums, which the caller proves with its
//! other memories' (the zkVM: in the memories' one layered circuit);
//! after the primary sumcheck, `lasso read value evals`
//! ([`prove_evals`], [`verify`]).

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
use crate::poly::{EqPolynomial, IdentityPolynomial, PAR_THRESHOLD};
use crate::subprotocols::multiset::FractionClaim;
use crate::subprotocols::multiset::{Fingerprint, LookupLeaves, LookupShape, Lookups};
use crate::trace_length::TraceLength;
use crate::transcript::Transcript;

/// The memory-checking part of a Lasso proof.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct MemoryCheckingProof<F: JoltField> {
    /// E_m at the reads' leaf point, per memory.
    pub read_value_evals: ProofVec<F>,
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

fn shapes(layout: &LassoLayout, trace_length: TraceLength) -> Vec<LookupShape> {
    (0..layout.num_chunks())
        .map(|i| LookupShape {
            name: CHUNK_NAMES
                .get(i)
                .copied()
                .unwrap_or("subtables of a chunk"),
            log_cells: layout.log_m(),
            log_reads: trace_length.log_t(),
        })
        .collect()
}

fn absorb_evals<F: JoltField>(transcript: &mut Transcript, proof: &MemoryCheckingProof<F>) {
    transcript.append_scalars(b"lasso read value evals", &proof.read_value_evals);
}

/// The prover's first half of checking the subtable reads of `witness`:
/// draws the fingerprints and returns every chunk's fraction-sum leaves,
/// which the caller proves in one layered circuit with the other
/// memories' ([`crate::subprotocols::multiset::prove_memories`]); the
/// caller has committed the witness's columns and absorbed them.
pub fn prove_leaves<F: JoltField>(
    witness: &LassoWitness,
    transcript: &mut Transcript,
) -> Vec<LookupLeaves<F>> {
    let layout = &witness.layout;
    let fingerprints = draw_fingerprints::<F>(layout, transcript);
    (0..layout.num_chunks())
        .into_par_iter()
        .map(|i| {
            let fp = &fingerprints[i];
            let values: Vec<&SmallColumn> = layout.chunk_memories[i]
                .iter()
                .map(|&m| &witness.read_values[m])
                .collect();
            let tables: Vec<&SmallColumn> = layout.chunk_memories[i]
                .iter()
                .map(|&m| witness.table(m))
                .collect();
            LookupLeaves {
                reads: read_leaves(fp, &witness.dims[i], &values),
                table: init_leaves(fp, &tables, layout.params.subtable_size()),
                multiplicities: witness.final_cts[i]
                    .par_iter()
                    .map(|&c| F::from_u64(c as u64))
                    .collect(),
            }
        })
        .collect()
}

/// The prover's second half, after the fraction sums: the read values at
/// the reads' point, absorbed; returns the proof and the opening claims
/// (read values at r_a; multiplicities at r_b). [`super::prove`] calls it
/// after the primary sumcheck.
pub fn prove_evals<F: JoltField>(
    witness: &LassoWitness,
    claims: &[Lookups<FractionClaim<F>>],
    transcript: &mut Transcript,
) -> (MemoryCheckingProof<F>, Vec<OpeningClaim<LassoColumn, F>>) {
    // Every chunk's reads share one point, and every chunk's cells another.
    let (r_a, r_b) = (claims[0].reads.point.clone(), claims[0].table.point.clone());
    let eq_a = EqPolynomial::new(r_a.clone()).evals();
    let read_value_evals: Vec<F> = witness
        .read_values
        .par_iter()
        .map(|e| e.as_column().evaluate_with_eq(&eq_a))
        .collect();
    drop(eq_a);

    let proof = MemoryCheckingProof {
        read_value_evals: read_value_evals.into(),
    };
    absorb_evals(transcript, &proof);
    let claims = opening_claims(&proof, claims, &r_a, &r_b);
    (proof, claims)
}

/// h(dim[t], E⃗[t]) for every step, from the small values.
fn read_leaves<F: JoltField>(fp: &Fingerprint<F>, dim: &[u16], values: &[&SmallColumn]) -> Vec<F> {
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
                *h = F::from_u64(dim[t] as u64) - fp.tau();
            }
            // One column at a time over the block, which stays in cache.
            scaled.iter().for_each(|s| s.add_to(out, start));
        });
    leaves
}

/// h(a, T⃗(a)) for every cell a.
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

/// Claims in a fixed order: read values at r_a; multiplicities (the
/// tables' numerator claims) at r_b.
fn opening_claims<F: JoltField>(
    proof: &MemoryCheckingProof<F>,
    lookups: &[Lookups<FractionClaim<F>>],
    r_a: &[F],
    r_b: &[F],
) -> Vec<OpeningClaim<LassoColumn, F>> {
    let mut claims: Vec<_> = proof
        .read_value_evals
        .iter()
        .enumerate()
        .map(|(m, v)| OpeningClaim::new(LassoColumn::ReadValue(m), r_a.to_vec(), *v))
        .collect();
    claims.extend(lookups.iter().enumerate().map(|(i, l)| {
        OpeningClaim::new(
            LassoColumn::FinalCount(i),
            r_b.to_vec(),
            l.table.numerator_eval,
        )
    }));
    claims
}

/// Checks the shape of every claimed-value vector against the layout.
pub(super) fn check_proof_shape<F: JoltField>(
    layout: &LassoLayout,
    proof: &MemoryCheckingProof<F>,
) -> Result<(), VerifyError> {
    check_shape(
        PROTOCOL,
        "read value evaluations (memory checking)",
        layout.memories.len(),
        proof.read_value_evals.len(),
    )
}

/// The verifier's first half of the memory checking of a run of
/// `trace_length` steps: draws the fingerprints.
pub fn verify_start<F: JoltField>(
    layout: &LassoLayout,
    trace_length: TraceLength,
    transcript: &mut Transcript,
) -> MemoryCheckingStart<F> {
    MemoryCheckingStart {
        fingerprints: draw_fingerprints(layout, transcript),
        shapes: shapes(layout, trace_length),
    }
}

/// What the verifier's first half hands to its second: every chunk's
/// fingerprint and the shapes of its fraction sums (for
/// [`crate::subprotocols::multiset::verify_memories`]).
pub struct MemoryCheckingStart<F> {
    fingerprints: Vec<Fingerprint<F>>,
    pub shapes: Vec<LookupShape>,
}

/// The verifier's second half: checks every chunk's leaf claims against
/// the fingerprints of the claimed read values and of the verifier's own
/// subtable evaluations; returns the opening claims. The caller has
/// checked the proof's shape with [`check_proof_shape`] and the claims
/// are the verified fraction sums of `start.shapes`, in order.
pub(super) fn verify<F: JoltField>(
    layout: &LassoLayout,
    start: &MemoryCheckingStart<F>,
    claims: &[Lookups<FractionClaim<F>>],
    proof: &MemoryCheckingProof<F>,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<LassoColumn, F>>, VerifyError> {
    let fingerprints = &start.fingerprints;
    check_shape(
        PROTOCOL,
        "chunk fraction sums",
        fingerprints.len(),
        claims.len(),
    )?;
    // Every chunk's reads share one point, and every chunk's cells another
    // (vectors of one length leave the circuit at one layer).
    let (r_a, r_b) = (&claims[0].reads.point, &claims[0].table.point);

    // The verifier's own evaluations at r_b: a(r_b) and every subtable's MLE.
    let address = IdentityPolynomial::new(layout.log_m()).evaluate(r_b);
    let mut table_evals: BTreeMap<SubtableId, F> = BTreeMap::new();
    for &(table, _) in &layout.memories {
        table_evals
            .entry(table)
            .or_insert_with(|| table.evaluate_mle(r_b, &layout.params));
    }
    for (i, (fp, chunk)) in fingerprints.iter().zip(claims).enumerate() {
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
        chunk.check_leaves(
            PROTOCOL,
            Lookups {
                reads: fp.hash(dim, &read_values, F::zero()),
                table: fp.hash(address, &entries, F::zero()),
            },
        )?;
    }
    absorb_evals(transcript, proof);
    Ok(opening_claims(proof, claims, r_a, r_b))
}
