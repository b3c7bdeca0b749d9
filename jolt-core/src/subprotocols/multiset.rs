//! The core of offline memory checking, shared by every memory the proof
//! checks: one fingerprint for memory tuples; for the read-write memory the
//! multiset equality Init ∪ Writes = Reads ∪ Final by grand products; for
//! the read-only ones (the bytecode, the timestamp range memory and Lasso's
//! subtables) a logUp check by sums of fractions.
//!
//! **Fingerprint.** A tuple (a, v_1, …, v_k, t) — an address, the k values
//! stored there and, in the read-write memory, a timestamp — becomes
//!
//!   h(a, v⃗, t) = a + Σ_j γ^j·v_j + γ^(k+1)·t − τ
//!
//! (t = 0 for a read-only memory's tuples, which have none). For γ, τ drawn
//! after the tuples are committed, the checks below hold for tuples that
//! differ only with probability about (size·(k + 1))/|F| (Schwartz–Zippel).
//! h is affine in the tuple, so a leaf vector's multilinear extension at a
//! point is h of the columns' extensions there: that is how each verifier
//! checks the leaf claims from opening claims.
//!
//! **Read-write memories.** A memory hands over its four multisets as leaf
//! vectors ([`Multisets`]): Init and Final over its cells, Reads and Writes
//! over its operations (each a power of two long). A multiset becomes the
//! product of its fingerprints; [`verify_memories`] checks
//! Π Init · Π Writes = Π Reads · Π Final and returns the leaf claims; the
//! caller checks each against the fingerprint of its evaluation claims
//! ([`Multisets::check_leaves`]).
//!
//! **Read-only memories (logUp).** With m(a) the number of reads of cell a,
//!   Σ_reads 1/h(read) = Σ_cells m(a)/h(cell a)
//! holds as rational functions in τ only if every read tuple is a cell's:
//! a read's pole that no cell has cannot cancel, and the counts are below
//! the field's characteristic. So no per-step count is committed, only m.
//! A memory hands over the fingerprints of its reads and cells and m
//! ([`LookupLeaves`]); the reads are fractions with numerators 1, the
//! cells fractions with numerators m. [`verify_memories`] checks
//! P_reads·Q_cells = P_cells·Q_reads with neither Q zero (a zero Q would
//! make the check vacuous) and returns the leaf claims
//! ([`Lookups::check_leaves`]); the cells' numerator claim is m's
//! evaluation, which the caller hands to the opening.
//!
//! **Batching.** One layered circuit carries every vector, whatever its
//! length: the read-write memories first, each as init, reads, writes,
//! final, then the read-only ones, each as reads, cells. Layer m serves
//! the vectors longer than 2^m (one sumcheck per layer for all of them),
//! and a vector leaves the circuit at its own leaves, so vectors of one
//! length share their leaf point, whatever their kind. Both sides derive
//! the sizes from the shapes alone.

use super::grand_product::{GrandProductProof, LeafClaims, LeafKind, Leaves};
use crate::error::VerifyError;
use crate::field::JoltField;
use crate::poly::PAR_THRESHOLD;
use crate::transcript::Transcript;
use rayon::prelude::*;

/// h(a, v⃗, t) for tuples with a fixed number of values (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint<F> {
    /// γ^0, …, γ^(k+1).
    powers: Vec<F>,
    tau: F,
}

impl<F: JoltField> Fingerprint<F> {
    pub fn new(gamma: F, tau: F, num_values: usize) -> Self {
        let mut powers = Vec::with_capacity(num_values + 2);
        let mut p = F::one();
        for _ in 0..num_values + 2 {
            powers.push(p);
            p *= gamma;
        }
        Fingerprint { powers, tau }
    }

    /// Number of values per tuple (k).
    pub fn num_values(&self) -> usize {
        self.powers.len() - 2
    }

    /// γ^(j+1), the coefficient of value j (from 0).
    pub fn value_coeff(&self, j: usize) -> F {
        self.powers[j + 1]
    }

    /// γ^(k+1), the coefficient of the timestamp or count.
    pub fn time_coeff(&self) -> F {
        self.powers[self.powers.len() - 1]
    }

    pub fn tau(&self) -> F {
        self.tau
    }

    /// h(a, v⃗, t) of field values (the verifier's side, or a tuple the
    /// prover holds as field elements).
    ///
    /// # Panics
    /// If `values` has other than k entries (a caller's invariant).
    pub fn hash(&self, a: F, values: &[F], t: F) -> F {
        assert_eq!(values.len(), self.num_values(), "fingerprint arity");
        let v: F = values
            .iter()
            .zip(&self.powers[1..])
            .map(|(v, p)| *v * p)
            .sum();
        a + v + self.time_coeff() * t - self.tau
    }

    /// h(a, v⃗, t) of small values (the prover's side: one small-scalar
    /// product per field).
    ///
    /// # Panics
    /// If `values` has other than k entries (a caller's invariant).
    pub fn hash_u64(&self, a: u64, values: &[u64], t: u64) -> F {
        assert_eq!(values.len(), self.num_values(), "fingerprint arity");
        let v: F = values
            .iter()
            .zip(&self.powers[1..])
            .map(|(v, p)| p.mul_u64(*v))
            .sum();
        F::from_u64(a) + v + self.time_coeff().mul_u64(t) - self.tau
    }
}

/// The four multisets of one memory, as whatever stands for them: leaf
/// vectors, product claims, expected leaf evaluations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Multisets<T> {
    pub init: T,
    pub reads: T,
    pub writes: T,
    pub finals: T,
}

impl<T> Multisets<T> {
    /// In batch order: init, reads, writes, final.
    fn into_array(self) -> [T; 4] {
        [self.init, self.reads, self.writes, self.finals]
    }

    fn from_array([init, reads, writes, finals]: [T; 4]) -> Self {
        Multisets {
            init,
            reads,
            writes,
            finals,
        }
    }
}

/// Sizes of one memory: 2^log_cells cells (Init, Final) and 2^log_ops
/// operations (Reads, Writes); its name appears in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryShape {
    pub name: &'static str,
    pub log_cells: usize,
    pub log_ops: usize,
}

impl MemoryShape {
    fn num_vars(&self) -> [usize; 4] {
        [self.log_cells, self.log_ops, self.log_ops, self.log_cells]
    }
}

/// What the grand products say about one leaf vector V: its product, and
/// "V's multilinear extension is `leaf_eval` at `point`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductClaim<F> {
    pub product: F,
    pub point: Vec<F>,
    pub leaf_eval: F,
}

impl<F: JoltField> Multisets<ProductClaim<F>> {
    /// Checks every leaf claim against the fingerprint the caller computed
    /// from evaluation claims at that leaf's point.
    pub fn check_leaves(
        &self,
        protocol: &'static str,
        expected: Multisets<F>,
    ) -> Result<(), VerifyError> {
        let checks = [
            (&self.init, expected.init, "init fingerprints"),
            (&self.reads, expected.reads, "read fingerprints"),
            (&self.writes, expected.writes, "write fingerprints"),
            (&self.finals, expected.finals, "final fingerprints"),
        ];
        for (claim, computed, what) in checks {
            if claim.leaf_eval != computed {
                return Err(VerifyError::OutputMismatch { protocol, what });
            }
        }
        Ok(())
    }
}

/// A read-only memory checked with logUp: as leaf vectors, the
/// fingerprints of its reads and of its cells and each cell's
/// multiplicity; as claims, the fraction sums' leaf claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookups<T> {
    pub reads: T,
    pub table: T,
}

/// Sizes of one read-only memory: 2^log_cells cells and 2^log_reads
/// reads; its name appears in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LookupShape {
    pub name: &'static str,
    pub log_cells: usize,
    pub log_reads: usize,
}

/// The prover's leaf vectors of one read-only memory: h of every read, h
/// of every cell, and how many reads each cell has (as field elements).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupLeaves<F> {
    pub reads: Vec<F>,
    pub table: Vec<F>,
    pub multiplicities: Vec<F>,
}

/// What the fraction sums say about one side of a read-only memory: its
/// sum P/Q, and "the fingerprints' (denominators') extension is
/// `leaf_eval` at `point`, the numerators' is `numerator_eval`" (1 for the
/// reads, the multiplicities' evaluation for the table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FractionClaim<F> {
    pub numerator: F,
    pub denominator: F,
    pub point: Vec<F>,
    pub leaf_eval: F,
    pub numerator_eval: F,
}

impl<F: JoltField> Lookups<FractionClaim<F>> {
    /// Checks both fingerprint leaf claims against the ones the caller
    /// computed from evaluation claims at their points. The table's
    /// `numerator_eval` is the multiplicities' evaluation the caller hands
    /// on to the opening.
    pub fn check_leaves(
        &self,
        protocol: &'static str,
        expected: Lookups<F>,
    ) -> Result<(), VerifyError> {
        if self.reads.leaf_eval != expected.reads {
            return Err(VerifyError::OutputMismatch {
                protocol,
                what: "read fingerprints",
            });
        }
        if self.table.leaf_eval != expected.table {
            return Err(VerifyError::OutputMismatch {
                protocol,
                what: "table fingerprints",
            });
        }
        Ok(())
    }
}

/// One leaf vector's claims, whichever kind it is.
#[derive(Clone)]
struct VectorClaim<F> {
    output: F,
    numerator_output: F,
    point: Vec<F>,
    leaf_eval: F,
    numerator_eval: F,
}

/// Splits the flat per-vector claims (four per read-write memory, then two
/// per read-only memory) into the two kinds of claims.
#[allow(clippy::type_complexity)]
fn per_memory<F: Clone>(
    flat: Vec<VectorClaim<F>>,
    read_write: usize,
) -> (
    Vec<Multisets<ProductClaim<F>>>,
    Vec<Lookups<FractionClaim<F>>>,
) {
    let mut items = flat.into_iter();
    let product = |c: VectorClaim<F>| ProductClaim {
        product: c.output,
        point: c.point,
        leaf_eval: c.leaf_eval,
    };
    let fraction = |c: VectorClaim<F>| FractionClaim {
        numerator: c.numerator_output,
        denominator: c.output,
        point: c.point,
        leaf_eval: c.leaf_eval,
        numerator_eval: c.numerator_eval,
    };
    let mut memories = Vec::with_capacity(read_write);
    for _ in 0..read_write {
        // Invariant: callers pass four vectors per read-write memory.
        let mut next = || product(items.next().unwrap());
        memories.push(Multisets::from_array([next(), next(), next(), next()]));
    }
    let mut lookups = Vec::new();
    while let (Some(reads), Some(table)) = (items.next(), items.next()) {
        lookups.push(Lookups {
            reads: fraction(reads),
            table: fraction(table),
        });
    }
    (memories, lookups)
}

/// The leaf kinds of the flat vector list: four products per read-write
/// memory, then per read-only memory its reads (numerators 1) and its
/// table (numerators the multiplicities).
fn leaf_kinds(read_write: usize, read_only: usize) -> Vec<LeafKind> {
    let mut kinds = vec![LeafKind::Product; 4 * read_write];
    for _ in 0..read_only {
        kinds.extend([LeafKind::UnitFraction, LeafKind::Fraction]);
    }
    kinds
}

/// Each vector's outputs and leaf claims.
fn vector_claims<F: JoltField>(
    kinds: &[LeafKind],
    num_vars: &[usize],
    proof: &GrandProductProof<F>,
    leaf_claims: &LeafClaims<F>,
) -> Vec<VectorClaim<F>> {
    let mut fraction = 0;
    (0..kinds.len())
        .map(|k| {
            let (numerator_output, numerator_eval) = if kinds[k] == LeafKind::Product {
                (F::one(), F::one())
            } else {
                fraction += 1;
                (
                    proof.numerator_outputs()[fraction - 1],
                    leaf_claims.numerator_evals[fraction - 1],
                )
            };
            VectorClaim {
                output: proof.outputs()[k],
                numerator_output,
                point: leaf_claims.point(num_vars[k]).to_vec(),
                leaf_eval: leaf_claims.evals[k],
                numerator_eval,
            }
        })
        .collect()
}

/// Proves the products of every read-write memory's four multisets and the
/// fraction sums of every read-only memory (each leaf vector a power of
/// two long); the caller has absorbed what the leaves depend on and drawn
/// γ, τ.
#[allow(clippy::type_complexity)]
pub fn prove_memories<F: JoltField>(
    memories: Vec<Multisets<Vec<F>>>,
    lookups: Vec<LookupLeaves<F>>,
    transcript: &mut Transcript,
) -> (
    GrandProductProof<F>,
    Vec<Multisets<ProductClaim<F>>>,
    Vec<Lookups<FractionClaim<F>>>,
) {
    let (read_write, read_only) = (memories.len(), lookups.len());
    let kinds = leaf_kinds(read_write, read_only);
    let vectors: Vec<Leaves<F>> = memories
        .into_iter()
        .flat_map(Multisets::into_array)
        .map(Leaves::Product)
        .chain(lookups.into_iter().flat_map(|l| {
            [
                Leaves::Fraction {
                    numerators: None,
                    denominators: l.reads,
                },
                Leaves::Fraction {
                    numerators: Some(l.multiplicities),
                    denominators: l.table,
                },
            ]
        }))
        .collect();
    let num_vars: Vec<usize> = vectors
        .iter()
        .map(|v| match v {
            Leaves::Product(v)
            | Leaves::Fraction {
                denominators: v, ..
            } => v.len().trailing_zeros() as usize,
        })
        .collect();
    let (proof, leaf_claims) = GrandProductProof::prove_batch(vectors, transcript);
    let claims = vector_claims(&kinds, &num_vars, &proof, &leaf_claims);
    let (memories, lookups) = per_memory(claims, read_write);
    (proof, memories, lookups)
}

/// Verifies the grand products and fraction sums of memories of the given
/// shapes, and checks Init·Writes = Reads·Final for each read-write memory
/// and Σ 1/h(read) = Σ m(a)/h(cell a) for each read-only one; returns every
/// leaf claim for the callers' `check_leaves`.
#[allow(clippy::type_complexity)]
pub fn verify_memories<F: JoltField>(
    protocol: &'static str,
    proof: &GrandProductProof<F>,
    shapes: &[MemoryShape],
    lookup_shapes: &[LookupShape],
    transcript: &mut Transcript,
) -> Result<
    (
        Vec<Multisets<ProductClaim<F>>>,
        Vec<Lookups<FractionClaim<F>>>,
    ),
    VerifyError,
> {
    let kinds = leaf_kinds(shapes.len(), lookup_shapes.len());
    let num_vars: Vec<usize> = shapes
        .iter()
        .flat_map(MemoryShape::num_vars)
        .chain(
            lookup_shapes
                .iter()
                .flat_map(|s| [s.log_reads, s.log_cells]),
        )
        .collect();
    let leaf_claims = proof.verify_batch(protocol, &kinds, &num_vars, transcript)?;
    let claims = vector_claims(&kinds, &num_vars, proof, &leaf_claims);
    let (memories, lookups) = per_memory(claims, shapes.len());
    for (memory, shape) in memories.iter().zip(shapes) {
        if memory.init.product * memory.writes.product
            != memory.reads.product * memory.finals.product
        {
            return Err(VerifyError::MultisetMismatch {
                protocol,
                memory: shape.name,
            });
        }
    }
    for (lookup, shape) in lookups.iter().zip(lookup_shapes) {
        let (reads, table) = (&lookup.reads, &lookup.table);
        // A zero Q would make the cross-multiplied check vacuous; an honest
        // Q is a product of fingerprints, zero only if τ hit one of them.
        if reads.denominator.is_zero()
            || table.denominator.is_zero()
            || reads.numerator * table.denominator != table.numerator * reads.denominator
        {
            return Err(VerifyError::LookupMismatch {
                protocol,
                memory: shape.name,
            });
        }
    }
    Ok((memories, lookups))
}

/// Builds a vector of `len` field elements in parallel chunks.
pub fn build_leaves<F: JoltField>(len: usize, leaf: impl Fn(usize) -> F + Sync + Send) -> Vec<F> {
    if len < PAR_THRESHOLD {
        (0..len).map(leaf).collect()
    } else {
        (0..len)
            .into_par_iter()
            .with_min_len(PAR_THRESHOLD)
            .map(leaf)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::DensePolynomial;
    use ark_bn254::Fr;
    use ark_ff::{Field, UniformRand, Zero};
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn random(n: usize, rng: &mut ChaCha20Rng) -> Vec<Fr> {
        (0..1 << n).map(|_| Fr::rand(rng)).collect()
    }

    /// A memory whose multisets balance: Final is a permutation of
    /// Init·Writes / Reads (here Reads = Init, Final = Writes).
    fn balanced(log_cells: usize, log_ops: usize, rng: &mut ChaCha20Rng) -> Multisets<Vec<Fr>> {
        assert_eq!(log_cells, log_ops);
        let init = random(log_cells, rng);
        let writes = random(log_ops, rng);
        let mut finals = writes.clone();
        finals.reverse();
        Multisets {
            reads: init.iter().rev().copied().collect(),
            init,
            writes,
            finals,
        }
    }

    #[test]
    fn fingerprint_is_the_documented_form() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let (gamma, tau) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let fp = Fingerprint::new(gamma, tau, 2);
        let h = fp.hash_u64(5, &[7, 11], 13);
        let expected = Fr::from(5u64)
            + gamma * Fr::from(7u64)
            + gamma * gamma * Fr::from(11u64)
            + gamma * gamma * gamma * Fr::from(13u64)
            - tau;
        assert_eq!(h, expected);
        let field = |x: u64| Fr::from(x);
        assert_eq!(fp.hash(field(5), &[field(7), field(11)], field(13)), h);
        assert_eq!(fp.time_coeff(), gamma * gamma * gamma);
        assert_eq!(fp.value_coeff(1), gamma * gamma);
    }

    #[test]
    fn memories_of_mixed_sizes_prove_and_verify_in_one_circuit() {
        let mut rng = ChaCha20Rng::seed_from_u64(72);
        // Two memories with cells and operations of different sizes, one
        // with both equal: vectors of 2, 3 and 5 variables.
        let shapes = [
            MemoryShape {
                name: "a",
                log_cells: 5,
                log_ops: 3,
            },
            MemoryShape {
                name: "b",
                log_cells: 2,
                log_ops: 2,
            },
        ];
        let mut a = balanced(3, 3, &mut rng);
        // Pad a's cells to 2^5 with ones on both sides: products unchanged.
        for v in [&mut a.init, &mut a.finals] {
            v.resize(1 << 5, Fr::from(1u64));
        }
        let b = balanced(2, 2, &mut rng);
        let memories = vec![a, b];
        let (proof, claims, _) =
            prove_memories(memories.clone(), Vec::new(), &mut Transcript::new(b"ms"));
        // One sumcheck per layer of the deepest vector.
        assert_eq!(proof.layers.len(), 5);
        let (verified, _) =
            verify_memories("test", &proof, &shapes, &[], &mut Transcript::new(b"ms")).unwrap();
        assert_eq!(verified, claims);
        for (m, c) in memories.iter().zip(&claims) {
            for (v, claim) in m.clone().into_array().iter().zip(c.clone().into_array()) {
                assert_eq!(claim.product, v.iter().product::<Fr>());
                assert_eq!(
                    DensePolynomial::new(v.clone()).evaluate(&claim.point),
                    claim.leaf_eval
                );
            }
        }
        // Vectors of one size share their point; the others do not.
        assert_eq!(claims[0].reads.point, claims[0].writes.point);
        assert_ne!(claims[0].reads.point, claims[1].reads.point[..]);
        // Shapes the proof was not made for: a shape error before anything
        // is read.
        let mut other = shapes;
        other[0].log_cells = 4;
        assert!(matches!(
            verify_memories("test", &proof, &other, &[], &mut Transcript::new(b"ms")),
            Err(VerifyError::Shape { .. })
        ));
        other[0].log_cells = 5;
        other[1].log_ops = 3;
        assert!(matches!(
            verify_memories("test", &proof, &other, &[], &mut Transcript::new(b"ms")),
            Err(VerifyError::Shape { .. })
        ));
        // Leaf checks name the multiset.
        let c = &verified[1];
        let mut expected = Multisets {
            init: c.init.leaf_eval,
            reads: c.reads.leaf_eval,
            writes: c.writes.leaf_eval,
            finals: c.finals.leaf_eval,
        };
        assert!(c.check_leaves("test", expected).is_ok());
        expected.writes += Fr::from(1u64);
        assert_eq!(
            c.check_leaves("test", expected),
            Err(VerifyError::OutputMismatch {
                protocol: "test",
                what: "write fingerprints"
            })
        );
    }

    #[test]
    fn unbalanced_memory_is_rejected_by_name() {
        let mut rng = ChaCha20Rng::seed_from_u64(73);
        let mut m = balanced(3, 3, &mut rng);
        m.finals[2] += Fr::from(1u64);
        let shapes = [MemoryShape {
            name: "the memory",
            log_cells: 3,
            log_ops: 3,
        }];
        let (proof, _, _) = prove_memories(vec![m], Vec::new(), &mut Transcript::new(b"ms"));
        assert_eq!(
            verify_memories::<Fr>("test", &proof, &shapes, &[], &mut Transcript::new(b"ms")),
            Err(VerifyError::MultisetMismatch {
                protocol: "test",
                memory: "the memory"
            })
        );
    }

    /// A read-only memory of 2^log_cells random cells read 2^log_reads
    /// times at random cells, with its multiplicities.
    fn lookup(log_cells: usize, log_reads: usize, rng: &mut ChaCha20Rng) -> LookupLeaves<Fr> {
        use rand_chacha::rand_core::RngCore;
        let table = random(log_cells, rng);
        let mut multiplicities = vec![Fr::from(0u64); 1 << log_cells];
        let reads = (0..1 << log_reads)
            .map(|_| {
                let a = rng.next_u32() as usize % (1 << log_cells);
                multiplicities[a] += Fr::from(1u64);
                table[a]
            })
            .collect();
        LookupLeaves {
            reads,
            table,
            multiplicities,
        }
    }

    fn lookup_shape(log_cells: usize, log_reads: usize) -> LookupShape {
        LookupShape {
            name: "the table",
            log_cells,
            log_reads,
        }
    }

    fn verify_lookup(
        proof: &GrandProductProof<Fr>,
        memories: &[MemoryShape],
        lookups: &[LookupShape],
    ) -> Result<Vec<Lookups<FractionClaim<Fr>>>, VerifyError> {
        verify_memories(
            "test",
            proof,
            memories,
            lookups,
            &mut Transcript::new(b"ms"),
        )
        .map(|(_, l)| l)
    }

    /// A read-write memory and a read-only one prove together; vectors of
    /// one length share a point whatever their kind, and the leaf claims
    /// are the leaves' evaluations.
    #[test]
    fn read_only_memories_share_batches_with_read_write_ones() {
        let mut rng = ChaCha20Rng::seed_from_u64(74);
        let rw = balanced(3, 3, &mut rng);
        let ro = lookup(2, 3, &mut rng);
        let memory = MemoryShape {
            name: "rw",
            log_cells: 3,
            log_ops: 3,
        };
        let (proof, rw_claims, ro_claims) =
            prove_memories(vec![rw], vec![ro.clone()], &mut Transcript::new(b"ms"));
        assert_eq!(proof.layers.len(), 3);
        let verified = verify_lookup(&proof, &[memory], &[lookup_shape(2, 3)]).unwrap();
        assert_eq!(verified, ro_claims);
        let claims = &verified[0];
        assert_eq!(claims.reads.point, rw_claims[0].reads.point);
        let at = |v: &[Fr], r: &[Fr]| DensePolynomial::new(v.to_vec()).evaluate(r);
        assert_eq!(claims.reads.leaf_eval, at(&ro.reads, &claims.reads.point));
        assert_eq!(claims.reads.numerator_eval, Fr::from(1u64));
        assert_eq!(claims.table.leaf_eval, at(&ro.table, &claims.table.point));
        assert_eq!(
            claims.table.numerator_eval,
            at(&ro.multiplicities, &claims.table.point)
        );
        let sum: Fr = ro.reads.iter().map(|h| h.inverse().unwrap()).sum();
        assert_eq!(claims.reads.numerator / claims.reads.denominator, sum);
        // Leaf checks name the side.
        let expected = Lookups {
            reads: claims.reads.leaf_eval,
            table: claims.table.leaf_eval + Fr::from(1u64),
        };
        assert_eq!(
            claims.check_leaves("test", expected),
            Err(VerifyError::OutputMismatch {
                protocol: "test",
                what: "table fingerprints"
            })
        );
    }

    /// A read of a tuple the table does not hold, a multiplicity off by
    /// one, or one moved to another cell: the sums differ.
    #[test]
    fn lookups_that_do_not_balance_are_rejected_by_name() {
        let mut rng = ChaCha20Rng::seed_from_u64(75);
        let honest = lookup(3, 4, &mut rng);
        let mut bad_read = honest.clone();
        bad_read.reads[5] += Fr::from(1u64);
        let mut more = honest.clone();
        more.multiplicities[1] += Fr::from(1u64);
        let mut moved = honest.clone();
        let from = (0..8)
            .find(|&a| !moved.multiplicities[a].is_zero())
            .unwrap();
        moved.multiplicities[from] -= Fr::from(1u64);
        moved.multiplicities[(from + 1) % 8] += Fr::from(1u64);
        for (what, leaves) in [
            ("honest", honest),
            ("read", bad_read),
            ("count", more),
            ("moved", moved),
        ] {
            let (proof, _, _) =
                prove_memories(Vec::new(), vec![leaves], &mut Transcript::new(b"ms"));
            let verified = verify_lookup(&proof, &[], &[lookup_shape(3, 4)]);
            if what == "honest" {
                assert!(verified.is_ok());
            } else {
                assert_eq!(
                    verified,
                    Err(VerifyError::LookupMismatch {
                        protocol: "test",
                        memory: "the table"
                    }),
                    "{what}"
                );
            }
        }
    }

    /// Fingerprints of zero make Q zero, and P·Q' = P'·Q would hold with
    /// other numerators: the verifier refuses a zero Q on either side. Two
    /// zero fingerprints on one side make its P zero too, so that side's
    /// zero check alone rejects it (the cross-multiplied check passes).
    #[test]
    fn a_zero_denominator_is_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(76);
        let base = lookup(2, 2, &mut rng);
        let zero = Fr::from(0u64);
        let mut both = base.clone();
        both.reads[0] = zero;
        both.table[3] = zero;
        both.multiplicities[3] += Fr::from(5u64);
        let mut reads = base.clone();
        reads.reads[0] = zero;
        reads.reads[1] = zero;
        let mut table = base.clone();
        table.table[0] = zero;
        table.table[1] = zero;
        for (what, leaves) in [("both", both), ("reads", reads), ("table", table)] {
            let (proof, _, _) =
                prove_memories(Vec::new(), vec![leaves], &mut Transcript::new(b"ms"));
            let sums = &proof;
            let zero_side = if what == "table" { 1 } else { 0 };
            if what != "both" {
                // P and Q of that side are both 0: only Q ≠ 0 catches it.
                assert!(sums.outputs[zero_side].is_zero(), "{what}");
                assert!(sums.numerator_outputs[zero_side].is_zero(), "{what}");
            }
            assert_eq!(
                verify_lookup(&proof, &[], &[lookup_shape(2, 2)]),
                Err(VerifyError::LookupMismatch {
                    protocol: "test",
                    memory: "the table"
                }),
                "{what}"
            );
        }
    }
}
