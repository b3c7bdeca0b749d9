//! The shape of a Lasso instance, derived from [`LookupParams`] alone so
//! that prover and verifier agree on it without reading anything from the
//! proof: which lookup kinds have flags, which (subtable, chunk) memories
//! exist and in what order, which memories each kind's g reads, and how the
//! memories group by chunk for memory checking.
//!
//! **Memories.** One memory per distinct (subtable, chunk) pair read by
//! some supported kind or by `lookups::operand_reads` (the operand bytes
//! LEFT_ID_i, RIGHT_ID_i the R1CS packs), sorted by (chunk, subtable). Every step reads every
//! memory at its chunk index dim_chunk, so E_m has one entry per step and
//! every chunk is range-checked by at least one subtable.
//!
//! **Chunk groups.** All memories of chunk i are read at the same index
//! dim_i in every step, so their multiplicities coincide: memory checking
//! treats chunk i as one read-only memory whose cell a holds the tuple
//! (T_m(a))_{m of chunk i}, with one final-count (multiplicity) column
//! per chunk (see `memory_checking`).

use ark_bn254::Fr;
use ark_ff::{BigInteger, One, PrimeField, Zero};
use instructions::lookups::{operand_reads, LookupKind, LookupParams, QueryForm};
use instructions::subtables::SubtableId;

use crate::error::VerifyError;

/// Label of every Lasso error.
pub const PROTOCOL: &str = "lasso";

/// Subtable indices are committed as u16 and entries as u32.
const MAX_LOG_M: usize = 16;
const MAX_WORD_BITS: u32 = 32;

/// Everything about a Lasso instance that depends only on the parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LassoLayout {
    pub params: LookupParams,
    /// The kinds with a flag column, in [`LookupKind::ALL`] order: all of
    /// them, except shifts when the shift amount does not fit a chunk.
    pub kinds: Vec<LookupKind>,
    /// For each entry of `kinds`, its index in [`LookupKind::ALL`] (the
    /// index `LassoColumn::Flag` carries).
    pub kind_indices: Vec<usize>,
    /// The (subtable, chunk) memories, sorted by (chunk, subtable).
    pub memories: Vec<(SubtableId, usize)>,
    /// For each entry of `kinds`, the memory of each of its reads, in the
    /// order `LookupKind::combine` takes the values.
    pub kind_reads: Vec<Vec<usize>>,
    /// The memories some kind's g reads (ascending): the primary sumcheck
    /// claims E_m(r') for these only.
    pub primary_memories: Vec<usize>,
    /// `kind_reads` as positions in `primary_memories`.
    pub kind_primary_reads: Vec<Vec<usize>>,
    /// For each chunk, its memories (ascending).
    pub chunk_memories: Vec<Vec<usize>>,
    /// For each entry of `kinds`, g as an integer affine form if it is one
    /// (degree 1, coefficients below 2^62 in absolute value): most g are
    /// chunk values at powers of two, which the prover and the witness
    /// evaluate with small-integer arithmetic.
    pub affine_g: Vec<Option<AffineG>>,
    /// For each entry of `kinds` whose g is a + b·g_leader of an earlier
    /// non-affine kind with the same reads (SGE = 1 − SLT, SGEU = 1 − SLTU,
    /// NE = 1 − EQ): the prover evaluates such a pair's g once.
    pub g_alias: Vec<Option<GAlias>>,
    /// The largest degree of any g.
    pub max_g_degree: usize,
}

/// g_kind = a + b · g_leader on every input (`leader` a position in
/// `LassoLayout::kinds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GAlias {
    pub leader: usize,
    pub a: i64,
    pub b: i64,
}

/// The aliases among non-affine kinds: for each, the first earlier kind
/// with identical reads whose g it is an affine image of. Found by
/// interpolating a and b at two random points and checking a third (a
/// nonzero polynomial of degree ≤ C + 1 vanishes at a random point with
/// probability ≤ (C + 1)/p; a wrong alias could only break completeness,
/// which the tests check).
fn find_aliases(
    kinds: &[LookupKind],
    kind_reads: &[Vec<usize>],
    affine_g: &[Option<AffineG>],
    p: &LookupParams,
) -> Vec<Option<GAlias>> {
    use ark_ff::{Field, UniformRand};
    use rand_chacha::rand_core::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x1a550);
    let mut aliases: Vec<Option<GAlias>> = vec![None; kinds.len()];
    for k in 0..kinds.len() {
        if affine_g[k].is_some() {
            continue;
        }
        for leader in 0..k {
            if affine_g[leader].is_some()
                || aliases[leader].is_some()
                || kind_reads[leader] != kind_reads[k]
            {
                continue;
            }
            let n = kind_reads[k].len();
            let points: Vec<Vec<Fr>> = (0..3)
                .map(|_| (0..n).map(|_| Fr::rand(&mut rng)).collect())
                .collect();
            let (x, y): (Vec<Fr>, Vec<Fr>) = points
                .iter()
                .map(|v| (kinds[leader].combine(v, p), kinds[k].combine(v, p)))
                .unzip();
            let Some(inv) = (x[1] - x[0]).inverse() else {
                continue;
            };
            let b = (y[1] - y[0]) * inv;
            let a = y[0] - b * x[0];
            if a + b * x[2] != y[2] || b.is_zero() {
                continue;
            }
            if let (Some(a), Some(b)) = (small_int(a), small_int(b)) {
                aliases[k] = Some(GAlias { leader, a, b });
                break;
            }
        }
    }
    aliases
}

/// x as a signed integer of less than 62 bits, if it is one.
fn small_int(x: Fr) -> Option<i64> {
    let fits = |y: Fr| {
        let big = y.into_bigint();
        (big.num_bits() < 62).then(|| big.as_ref()[0] as i64)
    };
    fits(x).or_else(|| fits(-x).map(|v| -v))
}

/// g(v) = c0 + Σ_j coeffs[j] · v_j over the integers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AffineG {
    pub c0: i64,
    pub coeffs: Vec<i64>,
}

impl AffineG {
    /// The form of `kind`'s g if it is affine with small coefficients:
    /// c0 = g(0), c_j = g(e_j) − c0, exact for an affine g.
    fn of(kind: LookupKind, num_reads: usize, p: &LookupParams) -> Option<Self> {
        if kind.degree(p) != 1 {
            return None;
        }
        let small = small_int;
        let mut v = vec![Fr::zero(); num_reads];
        let c0 = kind.combine(&v, p);
        let coeffs = (0..num_reads)
            .map(|j| {
                v[j] = Fr::one();
                let c = small(kind.combine(&v, p) - c0);
                v[j] = Fr::zero();
                c
            })
            .collect::<Option<Vec<i64>>>()?;
        Some(Self {
            c0: small(c0)?,
            coeffs,
        })
    }

    /// g on small values, exactly.
    pub fn evaluate(&self, values: impl Iterator<Item = u64>) -> i128 {
        self.coeffs
            .iter()
            .zip(values)
            .fold(self.c0 as i128, |acc, (c, v)| acc + *c as i128 * v as i128)
    }
}

impl LassoLayout {
    /// The layout at `params`, or a `Shape` error if Lasso does not support
    /// them (at most 32-bit words, 16-bit chunk indices, C dividing W).
    pub fn new(params: LookupParams) -> Result<Self, VerifyError> {
        check_params(&params)?;
        let kinds: Vec<LookupKind> = LookupKind::ALL
            .iter()
            .copied()
            .filter(|k| params.supports_shifts() || k.query() != QueryForm::Shift)
            .filter(|k| params.supports_select() || k.query() != QueryForm::Select)
            .collect();
        let kind_indices = kinds.iter().map(|k| flag_index(*k)).collect();

        // The operand reads (LEFT_ID, RIGHT_ID per chunk) are made by every
        // step whatever its lookup; the R1CS packs them into the operands.
        let mut memories: Vec<(SubtableId, usize)> = kinds
            .iter()
            .flat_map(|k| k.reads(&params))
            .chain(operand_reads(&params))
            .collect();
        memories.sort_by_key(|&(table, chunk)| (chunk, table));
        memories.dedup();

        let memory_of = |&(table, chunk): &(SubtableId, usize)| {
            // Invariant: `memories` holds every read of every kind.
            memories
                .binary_search_by_key(&(chunk, table), |&(t, c)| (c, t))
                .expect("every read is a memory")
        };
        let kind_reads: Vec<Vec<usize>> = kinds
            .iter()
            .map(|k| k.reads(&params).iter().map(memory_of).collect())
            .collect();
        let mut primary_memories: Vec<usize> = kind_reads.iter().flatten().copied().collect();
        primary_memories.sort();
        primary_memories.dedup();
        let kind_primary_reads = kind_reads
            .iter()
            .map(|reads| {
                reads
                    .iter()
                    // Invariant: every read is in `primary_memories`.
                    .map(|m| primary_memories.binary_search(m).unwrap())
                    .collect()
            })
            .collect();
        let chunk_memories = (0..params.chunks)
            .map(|chunk| {
                (0..memories.len())
                    .filter(|&m| memories[m].1 == chunk)
                    .collect()
            })
            .collect();
        let affine_g: Vec<Option<AffineG>> = kinds
            .iter()
            .zip(&kind_reads)
            .map(|(&k, reads)| AffineG::of(k, reads.len(), &params))
            .collect();
        let g_alias = find_aliases(&kinds, &kind_reads, &affine_g, &params);
        let max_g_degree = kinds.iter().map(|k| k.degree(&params)).max().unwrap_or(0);
        Ok(Self {
            params,
            kinds,
            kind_indices,
            memories,
            kind_reads,
            primary_memories,
            kind_primary_reads,
            chunk_memories,
            affine_g,
            g_alias,
            max_g_degree,
        })
    }

    pub fn num_chunks(&self) -> usize {
        self.params.chunks
    }

    /// log2 of every subtable's size M.
    pub fn log_m(&self) -> usize {
        self.params.log_m()
    }

    /// Degree of the primary sumcheck's round polynomials: eq · flag · g.
    pub fn primary_degree(&self) -> usize {
        self.max_g_degree + 2
    }

    /// The memories LEFT_ID and RIGHT_ID of `chunk`, whose reads are the
    /// two halves of its index: dim = 2^b·E_left + E_right (b the operand
    /// chunk bits), so the index itself is never committed.
    pub(crate) fn operand_memories(&self, chunk: usize) -> (usize, usize) {
        // Invariant: `new` adds both operand reads of every chunk.
        let left = self
            .memory_index(SubtableId::LeftId, chunk)
            .expect("LEFT_ID read");
        let right = self
            .memory_index(SubtableId::RightId, chunk)
            .expect("RIGHT_ID read");
        (left, right)
    }

    /// dim_i from the two operand reads of chunk i (values or evaluations);
    /// `read_values` has one entry per memory (the caller checked its shape).
    pub(crate) fn dim_from_operands<F: crate::field::JoltField>(
        &self,
        chunk: usize,
        read_values: &[F],
    ) -> F {
        let (left, right) = self.operand_memories(chunk);
        read_values[left].mul_u64(1 << self.params.operand_chunk_bits()) + read_values[right]
    }

    /// The memory of `table` at `chunk` (e.g. the operand bytes
    /// `(LeftId, i)` the R1CS reads), if it exists here.
    pub fn memory_index(&self, table: SubtableId, chunk: usize) -> Option<usize> {
        self.memories
            .binary_search_by_key(&(chunk, table), |&(t, c)| (c, t))
            .ok()
    }

    /// The position in `kinds` of a kind, if it has a flag here.
    pub fn kind_position(&self, kind: LookupKind) -> Option<usize> {
        self.kinds.iter().position(|&k| k == kind)
    }
}

/// Index of `kind` in [`LookupKind::ALL`].
pub fn flag_index(kind: LookupKind) -> usize {
    // Invariant: ALL lists every variant.
    LookupKind::ALL
        .iter()
        .position(|&k| k == kind)
        .expect("LookupKind::ALL lists every kind")
}

fn check_params(p: &LookupParams) -> Result<(), VerifyError> {
    let shape = |what, expected, got| VerifyError::Shape {
        protocol: PROTOCOL,
        what,
        expected,
        got,
    };
    if p.chunks == 0 || p.word_bits == 0 || !p.word_bits.is_multiple_of(p.chunks as u32) {
        return Err(shape(
            "word bits divisible by the (non-zero) number of chunks",
            p.chunks,
            p.word_bits as usize,
        ));
    }
    if p.word_bits > MAX_WORD_BITS {
        return Err(shape(
            "word bits (at most)",
            MAX_WORD_BITS as usize,
            p.word_bits as usize,
        ));
    }
    if p.log_m() > MAX_LOG_M {
        return Err(shape("subtable index bits (at most)", MAX_LOG_M, p.log_m()));
    }
    Ok(())
}

/// Bits needed for every entry of `table` at `p`: the narrowest width its
/// read-value column can be committed with.
pub fn entry_bits(table: SubtableId, p: &LookupParams) -> u32 {
    use SubtableId::*;
    let b = p.operand_chunk_bits();
    match table {
        Eq | Ltu | Lts | Lsb | IsZero | LeftMsb | LeftIsZero | RightIsZero => 1,
        And | Or | Xor | LeftId | RightId => b,
        Sll(_) | Srl(_) | SraSign | Select(_) => p.word_bits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The integer affine forms are g itself, on integers and in the field.
    #[test]
    fn affine_forms_equal_g() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for params in [LookupParams::new(8, 2), LookupParams::RV32] {
            let layout = LassoLayout::new(params).unwrap();
            let mut affine = 0;
            for (k, kind) in layout.kinds.iter().enumerate() {
                let Some(form) = &layout.affine_g[k] else {
                    assert!(kind.degree(&params) > 1, "{kind:?} is affine");
                    continue;
                };
                affine += 1;
                let n = layout.kind_reads[k].len();
                for _ in 0..20 {
                    let ints: Vec<u64> = (0..n).map(|_| rng.gen_range(0..1 << 16)).collect();
                    let field: Vec<Fr> = ints.iter().map(|&v| Fr::from(v)).collect();
                    let expected = kind.combine(&field, &params);
                    let got = form.evaluate(ints.iter().copied());
                    let got = if got < 0 {
                        -Fr::from((-got) as u128)
                    } else {
                        Fr::from(got as u128)
                    };
                    assert_eq!(got, expected, "{kind:?}");
                    let point: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
                    let linear: Fr = form
                        .coeffs
                        .iter()
                        .zip(&point)
                        .map(|(c, v)| Fr::from(*c) * v)
                        .sum::<Fr>()
                        + Fr::from(form.c0);
                    assert_eq!(linear, kind.combine(&point, &params), "{kind:?}");
                }
            }
            assert!(affine >= 12, "{affine} affine kinds");
        }
    }

    /// SGE = 1 − SLT, SGEU = 1 − SLTU, NE = 1 − EQ are found, and every
    /// alias holds on random inputs.
    #[test]
    fn aliases_are_affine_images() {
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        for params in [LookupParams::new(8, 2), LookupParams::RV32] {
            let layout = LassoLayout::new(params).unwrap();
            let found: Vec<(LookupKind, LookupKind)> = layout
                .g_alias
                .iter()
                .enumerate()
                .filter_map(|(k, a)| a.map(|a| (layout.kinds[k], layout.kinds[a.leader])))
                .collect();
            use LookupKind::*;
            for pair in [(Sge, Slt), (Sgeu, Sltu), (Ne, Eq)] {
                assert!(found.contains(&pair), "{pair:?} in {found:?}");
            }
            for (k, alias) in layout.g_alias.iter().enumerate() {
                let Some(alias) = alias else { continue };
                let n = layout.kind_reads[k].len();
                for _ in 0..10 {
                    let v: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
                    let lead = layout.kinds[alias.leader].combine(&v, &params);
                    assert_eq!(
                        layout.kinds[k].combine(&v, &params),
                        Fr::from(alias.a) + Fr::from(alias.b) * lead
                    );
                }
            }
        }
    }
}
