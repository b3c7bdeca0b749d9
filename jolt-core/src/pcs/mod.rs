//! Polynomial commitments: every claim "committed polynomial P has value v
//! at point r" that the proof system produces ends here.
//!
//! - [`CommitmentScheme`] is the interface the rest of the prover and
//!   verifier use; it knows nothing of HyperKZG. It commits multilinear
//!   polynomials given as evaluation tables ([`Column`]s of small integers or
//!   field elements), proves and verifies one evaluation, batches many
//!   polynomials opened at one point (a random linear combination, so
//!   commitments must be homomorphic), and reduces claims at several points
//!   to one opening ([`reduction`]).
//! - [`hyperkzg`] implements it over BN254 with [`kzg`] openings of the
//!   successive folds; [`srs`] holds the powers of τ it needs; [`msm`] is
//!   the small-value commitment kernel; [`table_read`] lets it commit a
//!   column that reads a public table per step over the rows read.
//!
//! Points follow the convention of [`crate::poly`]: `point\[0]` is the top
//! variable (the most significant bit of the table index).

pub mod error;
pub mod hyperkzg;
pub mod kzg;
pub mod msm;
pub mod pieces;
pub mod ptau;
pub mod reduction;
pub mod srs;
pub mod table_read;

pub use error::PcsError;
pub use hyperkzg::{
    HyperKzg, HyperKzgCommitment, HyperKzgProof, HyperKzgProverKey, HyperKzgVerifierKey,
};
pub use reduction::{OpeningsProof, ProverOpening, VerifierOpening};
pub use srs::Srs;
pub use table_read::{StepIndex, TableRead};

use crate::field::{JoltField, ProductSum};
use crate::poly::{DensePolynomial, PAR_THRESHOLD};
use crate::transcript::Transcript;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rayon::prelude::*;
use std::fmt::Debug;

/// A witness column to commit, by the width of its values: the commitment
/// kernel pays for the bits actually present, so a column of flags costs
/// about one group addition per set flag and a byte column about one per
/// non-zero entry. All variants commit to the same thing as the field
/// column of the same values (`I64` maps negative n to p − |n|).
///
/// A column shorter than 2^n commits exactly as if padded with zeros to
/// 2^n entries, so witness columns need not be padded before committing.
#[derive(Clone, Copy, Debug)]
pub enum Column<'a, F> {
    Bits(&'a [bool]),
    U8(&'a [u8]),
    U16(&'a [u16]),
    U32(&'a [u32]),
    U64(&'a [u64]),
    I64(&'a [i64]),
    Field(&'a [F]),
}

impl<F: JoltField> Column<'_, F> {
    pub fn len(&self) -> usize {
        match self {
            Column::Bits(v) => v.len(),
            Column::U8(v) => v.len(),
            Column::U16(v) => v.len(),
            Column::U32(v) => v.len(),
            Column::U64(v) => v.len(),
            Column::I64(v) => v.len(),
            Column::Field(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries `start..end` as a column of the same width.
    ///
    /// # Panics
    /// If the range is not within the column.
    pub fn slice(&self, start: usize, end: usize) -> Self {
        match *self {
            Column::Bits(v) => Column::Bits(&v[start..end]),
            Column::U8(v) => Column::U8(&v[start..end]),
            Column::U16(v) => Column::U16(&v[start..end]),
            Column::U32(v) => Column::U32(&v[start..end]),
            Column::U64(v) => Column::U64(&v[start..end]),
            Column::I64(v) => Column::I64(&v[start..end]),
            Column::Field(v) => Column::Field(&v[start..end]),
        }
    }

    /// Variables of the multilinear polynomial the column is the table of
    /// (after zero padding): ⌈log2 len⌉.
    pub fn num_vars(&self) -> usize {
        self.len().max(1).next_power_of_two().trailing_zeros() as usize
    }

    /// Entry `i` as a field element (0 past the end: the zero padding).
    pub fn value(&self, i: usize) -> F {
        match self {
            Column::Bits(v) => v.get(i).map_or(F::zero(), |&b| F::from_bool(b)),
            Column::U8(v) => v.get(i).map_or(F::zero(), |&x| F::from_u8(x)),
            Column::U16(v) => v.get(i).map_or(F::zero(), |&x| F::from_u16(x)),
            Column::U32(v) => v.get(i).map_or(F::zero(), |&x| F::from_u32(x)),
            Column::U64(v) => v.get(i).map_or(F::zero(), |&x| F::from_u64(x)),
            Column::I64(v) => v.get(i).map_or(F::zero(), |&x| F::from_i64(x)),
            Column::Field(v) => v.get(i).copied().unwrap_or(F::zero()),
        }
    }

    /// Σ_x eq\[x]·column\[x]: the column's multilinear extension at the
    /// point whose eq table is `eq` (a column shorter than `eq` is zero
    /// past its end), with small-value products and additions only for
    /// bits; bytes are summed into 256 buckets by value, then scaled once.
    ///
    /// # Panics
    /// If the column is longer than `eq`.
    pub fn evaluate_with_eq(&self, eq: &[F]) -> F {
        fn dot<F: JoltField, T: Copy + Sync>(
            eq: &[F],
            values: &[T],
            term: impl Fn(F, T) -> F + Sync,
        ) -> F {
            let eq = &eq[..values.len()];
            if values.len() < PAR_THRESHOLD {
                return eq.iter().zip(values).map(|(e, v)| term(*e, *v)).sum();
            }
            eq.par_chunks(PAR_THRESHOLD)
                .zip(values.par_chunks(PAR_THRESHOLD))
                .map(|(e, v)| e.iter().zip(v).map(|(e, v)| term(*e, *v)).sum::<F>())
                .sum()
        }
        fn byte_dot<F: JoltField>(eq: &[F], values: &[u8]) -> F {
            let block = |(e, v): (&[F], &[u8])| {
                let mut buckets = [F::zero(); 256];
                for (e, &x) in e.iter().zip(v) {
                    buckets[x as usize] += e;
                }
                buckets
                    .iter()
                    .enumerate()
                    .skip(1)
                    .map(|(x, b)| b.mul_u64(x as u64))
                    .sum::<F>()
            };
            let eq = &eq[..values.len()];
            eq.par_chunks(PAR_THRESHOLD)
                .zip(values.par_chunks(PAR_THRESHOLD))
                .map(block)
                .sum()
        }
        // Σ eq_t·v_t for integer values: one unreduced sum per block,
        // reduced once (`ProductSum`), instead of a reduction per entry.
        fn small_dot<F: JoltField, T: Copy + Sync>(
            eq: &[F],
            values: &[T],
            add: impl Fn(&mut F::ProductSum, &F, T) + Sync,
        ) -> F {
            let block = |(e, v): (&[F], &[T])| {
                let mut sum = F::ProductSum::default();
                for (e, &x) in e.iter().zip(v) {
                    add(&mut sum, e, x);
                }
                sum.reduce()
            };
            let eq = &eq[..values.len()];
            eq.par_chunks(PAR_THRESHOLD)
                .zip(values.par_chunks(PAR_THRESHOLD))
                .map(block)
                .sum()
        }
        fn add_unsigned<F: JoltField>(sum: &mut F::ProductSum, e: &F, x: u64) {
            if x != 0 {
                sum.add_product(e, x);
            }
        }
        match *self {
            Column::Bits(v) => dot(eq, v, |e, b| if b { e } else { F::zero() }),
            Column::U8(v) => byte_dot(eq, v),
            Column::U16(v) => small_dot(eq, v, |s, e, x| add_unsigned(s, e, x as u64)),
            Column::U32(v) => small_dot(eq, v, |s, e, x| add_unsigned(s, e, x as u64)),
            Column::U64(v) => small_dot(eq, v, add_unsigned),
            Column::I64(v) => small_dot(eq, v, |s, e, x| {
                if x != 0 {
                    s.add_signed_product(e, x)
                }
            }),
            Column::Field(v) => dot(eq, v, |e, x| e * x),
        }
    }

    /// The values as field elements (for provers that need the table).
    pub fn to_field(&self) -> Vec<F> {
        match self {
            Column::Bits(v) => v.iter().map(|&b| F::from_bool(b)).collect(),
            Column::U8(v) => v.iter().map(|&x| F::from_u8(x)).collect(),
            Column::U16(v) => v.iter().map(|&x| F::from_u16(x)).collect(),
            Column::U32(v) => v.iter().map(|&x| F::from_u32(x)).collect(),
            Column::U64(v) => v.iter().map(|&x| F::from_u64(x)).collect(),
            Column::I64(v) => v.iter().map(|&x| F::from_i64(x)).collect(),
            Column::Field(v) => v.to_vec(),
        }
    }
}

macro_rules! column_from {
    ($($t:ty => $variant:ident),*) => {$(
        impl<'a, F> From<&'a [$t]> for Column<'a, F> {
            fn from(values: &'a [$t]) -> Self {
                Column::$variant(values)
            }
        }
    )*};
}
column_from!(bool => Bits, u8 => U8, u16 => U16, u32 => U32, u64 => U64, i64 => I64);

impl<'a, F: JoltField> From<&'a DensePolynomial<F>> for Column<'a, F> {
    fn from(poly: &'a DensePolynomial<F>) -> Self {
        Column::Field(poly.evals())
    }
}

/// A multilinear polynomial commitment scheme with homomorphic commitments.
///
/// Fiat–Shamir: `prove`/`verify` absorb the commitment, the point and the
/// evaluation before drawing anything, so an opening is bound to its
/// statement even if the caller absorbed none of them.
pub trait CommitmentScheme: Clone + Debug + Send + Sync + 'static {
    type Field: JoltField;
    /// Public parameters the keys are derived from (for HyperKZG the powers
    /// of τ, see [`srs::Srs`]).
    type Srs: Sync;
    type ProverKey: Clone + Send + Sync;
    type VerifierKey: Clone + Debug + Send + Sync + CanonicalSerialize + CanonicalDeserialize;
    type Commitment: Clone
        + Debug
        + PartialEq
        + Eq
        + Send
        + Sync
        + CanonicalSerialize
        + CanonicalDeserialize;
    type Proof: Clone + Debug + PartialEq + Send + Sync + CanonicalSerialize + CanonicalDeserialize;

    /// Keys for polynomials of at most `max_num_vars` variables.
    fn setup(
        srs: &Self::Srs,
        max_num_vars: usize,
    ) -> Result<(Self::ProverKey, Self::VerifierKey), PcsError>;

    /// The verifier key alone. Schemes whose verifier needs only a few
    /// elements of the SRS (HyperKZG: three G1 and four G2 powers) build it
    /// from a small SRS, so a verifier never needs the prover's powers.
    fn verifier_setup(srs: &Self::Srs, max_num_vars: usize) -> Result<Self::VerifierKey, PcsError> {
        Self::setup(srs, max_num_vars).map(|(_, vk)| vk)
    }

    /// Commits the multilinear polynomial whose table is `column` (zero
    /// padded to a power of two).
    fn commit(
        pk: &Self::ProverKey,
        column: Column<'_, Self::Field>,
    ) -> Result<Self::Commitment, PcsError>;

    /// Commits many columns in parallel.
    fn batch_commit(
        pk: &Self::ProverKey,
        columns: &[Column<'_, Self::Field>],
    ) -> Result<Vec<Self::Commitment>, PcsError> {
        columns
            .par_iter()
            .map(|column| Self::commit(pk, *column))
            .collect()
    }

    /// Commits many columns, some with a hint that they read a public
    /// table at per-step indices (`reads[i]` for `columns[i]`). The
    /// commitments are those of [`Self::batch_commit`]: a hint only lets the
    /// scheme compute them faster, and one that does not hold is ignored.
    fn batch_commit_with_reads(
        pk: &Self::ProverKey,
        columns: &[Column<'_, Self::Field>],
        reads: &[Option<TableRead<'_, Self::Field>>],
    ) -> Result<Vec<Self::Commitment>, PcsError> {
        error::check_len("table-read hints", columns.len(), reads.len())?;
        Self::batch_commit(pk, columns)
    }

    /// Σ_i coeffs\[i]·commitments\[i]: the commitment to Σ_i coeffs\[i]·P_i.
    fn combine_commitments(
        commitments: &[&Self::Commitment],
        coeffs: &[Self::Field],
    ) -> Result<Self::Commitment, PcsError>;

    /// Proves P(point) = poly.evaluate(point) for the polynomial committed
    /// in `commitment`.
    fn prove(
        pk: &Self::ProverKey,
        poly: &DensePolynomial<Self::Field>,
        commitment: &Self::Commitment,
        point: &[Self::Field],
        transcript: &mut Transcript,
    ) -> Result<Self::Proof, PcsError>;

    /// Checks that `commitment` opens to `eval` at `point`.
    fn verify(
        vk: &Self::VerifierKey,
        commitment: &Self::Commitment,
        point: &[Self::Field],
        eval: Self::Field,
        proof: &Self::Proof,
        transcript: &mut Transcript,
    ) -> Result<(), PcsError>;

    /// Opens several polynomials with the same number of variables at one
    /// point: after the commitments, point and evaluations are absorbed, ρ is
    /// drawn and the single polynomial Σ ρ^i P_i is opened against
    /// Σ ρ^i C_i with value Σ ρ^i v_i.
    fn batch_prove(
        pk: &Self::ProverKey,
        polys: &[&DensePolynomial<Self::Field>],
        commitments: &[&Self::Commitment],
        point: &[Self::Field],
        evals: &[Self::Field],
        transcript: &mut Transcript,
    ) -> Result<Self::Proof, PcsError> {
        error::check_len("commitments", polys.len(), commitments.len())?;
        error::check_len("evaluations", polys.len(), evals.len())?;
        for poly in polys {
            error::check_len("polynomial variables", point.len(), poly.num_vars())?;
        }
        let rho = absorb_batch::<Self>(commitments, point, evals, transcript)?;
        let combined = reduction::linear_combination(polys, &rho, point.len());
        let commitment = Self::combine_commitments(commitments, &rho)?;
        Self::prove(pk, &combined, &commitment, point, transcript)
    }

    /// Verifies [`CommitmentScheme::batch_prove`].
    fn batch_verify(
        vk: &Self::VerifierKey,
        commitments: &[&Self::Commitment],
        point: &[Self::Field],
        evals: &[Self::Field],
        proof: &Self::Proof,
        transcript: &mut Transcript,
    ) -> Result<(), PcsError> {
        error::check_len("evaluations", commitments.len(), evals.len())?;
        let rho = absorb_batch::<Self>(commitments, point, evals, transcript)?;
        let commitment = Self::combine_commitments(commitments, &rho)?;
        let eval = rho.iter().zip(evals).map(|(r, v)| *r * v).sum();
        Self::verify(vk, &commitment, point, eval, proof, transcript)
    }

    /// Proves any number of claims at any points (and numbers of variables)
    /// with one sumcheck and one opening; see [`reduction`].
    fn prove_openings(
        pk: &Self::ProverKey,
        claims: &[ProverOpening<'_, Self>],
        transcript: &mut Transcript,
    ) -> Result<OpeningsProof<Self>, PcsError> {
        reduction::prove_openings(pk, claims, transcript)
    }

    /// Verifies [`CommitmentScheme::prove_openings`].
    fn verify_openings(
        vk: &Self::VerifierKey,
        claims: &[VerifierOpening<'_, Self>],
        proof: &OpeningsProof<Self>,
        transcript: &mut Transcript,
    ) -> Result<(), PcsError> {
        reduction::verify_openings(vk, claims, proof, transcript)
    }
}

/// Absorbs a one-point batch and draws its coefficients 1, ρ, ρ², ….
fn absorb_batch<P: CommitmentScheme>(
    commitments: &[&P::Commitment],
    point: &[P::Field],
    evals: &[P::Field],
    transcript: &mut Transcript,
) -> Result<Vec<P::Field>, PcsError> {
    if commitments.is_empty() {
        return Err(PcsError::Shape {
            what: "polynomials in a batch (at least)",
            expected: 1,
            got: 0,
        });
    }
    transcript.append_u64(b"pcs batch size", commitments.len() as u64);
    for c in commitments {
        transcript.append_point(b"pcs batch commitment", *c);
    }
    transcript.append_scalars(b"pcs batch point", point);
    transcript.append_scalars(b"pcs batch evals", evals);
    Ok(transcript.challenge_powers(b"pcs batch rho", commitments.len()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand::Rng;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    /// One column of every width, n entries each, with the extreme values
    /// of each width mixed in: what the small-value kernels must get right.
    pub(crate) struct EveryWidth {
        pub bits: Vec<bool>,
        pub u8s: Vec<u8>,
        pub u16s: Vec<u16>,
        pub u32s: Vec<u32>,
        pub u64s: Vec<u64>,
        pub i64s: Vec<i64>,
        pub fields: Vec<Fr>,
    }

    impl EveryWidth {
        pub(crate) fn random(n: usize, rng: &mut ChaCha20Rng) -> Self {
            EveryWidth {
                bits: (0..n).map(|_| rng.gen()).collect(),
                u8s: (0..n).map(|_| rng.gen()).collect(),
                u16s: (0..n)
                    .map(|i| if i % 3 == 0 { u16::MAX } else { rng.gen() })
                    .collect(),
                u32s: (0..n)
                    .map(|i| if i % 3 == 0 { u32::MAX } else { rng.gen() })
                    .collect(),
                u64s: (0..n)
                    .map(|i| if i % 2 == 0 { u64::MAX } else { rng.gen() })
                    .collect(),
                i64s: (0..n)
                    .map(|i| [i64::MIN, i64::MAX, -1, 0, rng.gen()][i % 5])
                    .collect(),
                fields: (0..n).map(|_| Fr::rand(rng)).collect(),
            }
        }

        /// The columns in the order bits, u8, u16, u32, u64, i64, field,
        /// each cut to its entry of `lens`.
        pub(crate) fn columns(&self, lens: [usize; 7]) -> Vec<Column<'_, Fr>> {
            vec![
                Column::Bits(&self.bits[..lens[0]]),
                Column::U8(&self.u8s[..lens[1]]),
                Column::U16(&self.u16s[..lens[2]]),
                Column::U32(&self.u32s[..lens[3]]),
                Column::U64(&self.u64s[..lens[4]]),
                Column::I64(&self.i64s[..lens[5]]),
                Column::Field(&self.fields[..lens[6]]),
            ]
        }
    }

    /// Every width, below and above the parallel block size, with extreme
    /// values: Σ eq_t·v_t equals the sum taken entry by entry in the field.
    #[test]
    fn evaluate_with_eq_matches_the_field_at_every_width() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        for n in [1usize, 37, 3 * PAR_THRESHOLD + 5] {
            let eq: Vec<Fr> = (0..n + 3).map(|_| Fr::rand(&mut rng)).collect();
            let values = EveryWidth::random(n, &mut rng);
            for column in values.columns([n; 7]) {
                let expected: Fr = (0..n).map(|i| eq[i] * column.value(i)).sum();
                assert_eq!(column.evaluate_with_eq(&eq), expected, "length {n}");
            }
        }
    }
}
