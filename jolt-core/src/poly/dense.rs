//! Dense multilinear polynomials: the table of 2^n evaluations over the
//! hypercube, bound one variable at a time by sumcheck.

use super::{par_chunk_len, PAR_THRESHOLD};
use crate::field::JoltField;
use rayon::prelude::*;

/// A multilinear polynomial in `num_vars` variables, stored as its
/// evaluations; entry i is the value at the bits of i (top variable =
/// most significant bit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DensePolynomial<F> {
    num_vars: usize,
    evals: Vec<F>,
}

impl<F: JoltField> DensePolynomial<F> {
    /// # Panics
    /// If `evals.len()` is not a power of two (a prover-side invariant: every
    /// witness column is padded before it becomes a polynomial).
    pub fn new(evals: Vec<F>) -> Self {
        assert!(
            evals.len().is_power_of_two(),
            "multilinear table length {} is not a power of two",
            evals.len()
        );
        let num_vars = evals.len().trailing_zeros() as usize;
        Self { num_vars, evals }
    }

    /// Pads with zeros to the next power of two (at least one entry).
    pub fn new_padded(mut evals: Vec<F>) -> Self {
        let len = evals.len().max(1).next_power_of_two();
        evals.resize(len, F::zero());
        Self::new(evals)
    }

    pub fn zero(num_vars: usize) -> Self {
        Self::new(vec![F::zero(); 1 << num_vars])
    }

    pub fn from_u8s(values: &[u8]) -> Self {
        Self::from_small(values, |&v| F::from_u8(v))
    }
    pub fn from_u16s(values: &[u16]) -> Self {
        Self::from_small(values, |&v| F::from_u16(v))
    }
    pub fn from_u32s(values: &[u32]) -> Self {
        Self::from_small(values, |&v| F::from_u32(v))
    }
    pub fn from_u64s(values: &[u64]) -> Self {
        Self::from_small(values, |&v| F::from_u64(v))
    }
    pub fn from_i64s(values: &[i64]) -> Self {
        Self::from_small(values, |&v| F::from_i64(v))
    }
    pub fn from_bools(values: &[bool]) -> Self {
        Self::from_small(values, |&v| F::from_bool(v))
    }

    /// Small-value columns convert through [`JoltField`]'s fast paths (table
    /// lookup or a one-limb product), never a full field multiplication.
    fn from_small<T: Sync>(values: &[T], convert: impl Fn(&T) -> F + Send + Sync) -> Self {
        let evals = if values.len() < PAR_THRESHOLD {
            values.iter().map(convert).collect()
        } else {
            values
                .par_iter()
                .with_min_len(PAR_THRESHOLD)
                .map(convert)
                .collect()
        };
        Self::new(evals)
    }

    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    pub fn len(&self) -> usize {
        self.evals.len()
    }

    /// Never true: a multilinear table has at least one entry.
    pub fn is_empty(&self) -> bool {
        self.evals.is_empty()
    }

    /// The table, to change in place (its length, and so the variables,
    /// stay fixed).
    pub(crate) fn evals_mut(&mut self) -> &mut [F] {
        &mut self.evals
    }

    pub fn evals(&self) -> &[F] {
        &self.evals
    }

    pub fn into_evals(self) -> Vec<F> {
        self.evals
    }

    /// The value once every variable is bound.
    ///
    /// # Panics
    /// If variables remain unbound.
    pub fn final_eval(&self) -> F {
        assert_eq!(self.num_vars, 0, "polynomial still has unbound variables");
        self.evals[0]
    }

    /// Fixes the top variable x_1 to `r`: P'(x_2..x_n) = P(r, x_2..x_n),
    /// i.e. lo + r·(hi − lo) over the two halves of the table, in place.
    ///
    /// # Panics
    /// If no variable is left.
    pub fn bind_top(&mut self, r: F) {
        self.bind_top_with::<false>(r);
    }

    /// [`Self::bind_top`] for a mostly-zero table: entries whose two
    /// halves are equal (both zero, say) are left as they are, a
    /// comparison instead of a multiplication. The same result; slower
    /// on a dense table, where the comparison rarely pays.
    ///
    /// # Panics
    /// If no variable is left.
    pub fn bind_top_sparse(&mut self, r: F) {
        self.bind_top_with::<true>(r);
    }

    fn bind_top_with<const SKIP_EQUAL: bool>(&mut self, r: F) {
        assert!(self.num_vars > 0, "no variable left to bind");
        let half = self.evals.len() / 2;
        let (lo, hi) = self.evals.split_at_mut(half);
        if half < PAR_THRESHOLD {
            bind_halves::<F, SKIP_EQUAL>(lo, hi, r);
        } else {
            let chunk = par_chunk_len(half);
            lo.par_chunks_mut(chunk)
                .zip(hi.par_chunks(chunk))
                .for_each(|(lo, hi)| bind_halves::<F, SKIP_EQUAL>(lo, hi, r));
        }
        self.evals.truncate(half);
        self.num_vars -= 1;
    }

    /// Fixes the bottom variable x_n to `r`: entry i becomes
    /// P[2i] + r·(P[2i+1] − P[2i]), in place.
    ///
    /// # Panics
    /// If no variable is left.
    pub fn bind_bottom(&mut self, r: F) {
        assert!(self.num_vars > 0, "no variable left to bind");
        let half = self.evals.len() / 2;
        if half < PAR_THRESHOLD {
            bind_pairs_in_place(&mut self.evals, r);
        } else {
            // Each chunk of 2c inputs writes its c outputs to its own front;
            // the fronts are then moved together. In increasing chunk order
            // a move only overwrites fronts that were already moved.
            let out = par_chunk_len(half);
            self.evals
                .par_chunks_mut(2 * out)
                .for_each(|chunk| bind_pairs_in_place(chunk, r));
            for j in 1..half.div_ceil(out) {
                let start = 2 * j * out;
                let len = out.min(half - j * out);
                self.evals.copy_within(start..start + len, j * out);
            }
        }
        self.evals.truncate(half);
        self.num_vars -= 1;
    }

    /// P(r) for r = (r_1, …, r_n), `r[0]` the top variable; O(2^n)
    /// multiplications, one pass of binds on a half-size copy.
    ///
    /// # Panics
    /// If `r.len() != num_vars`.
    pub fn evaluate(&self, r: &[F]) -> F {
        assert_eq!(r.len(), self.num_vars, "point has the wrong dimension");
        if self.num_vars == 0 {
            return self.evals[0];
        }
        let half = self.evals.len() / 2;
        let (lo, hi) = self.evals.split_at(half);
        let fold = |(l, h): (&F, &F)| *l + r[0] * (*h - l);
        let evals: Vec<F> = if half < PAR_THRESHOLD {
            lo.iter().zip(hi).map(fold).collect()
        } else {
            lo.par_iter()
                .zip(hi.par_iter())
                .with_min_len(PAR_THRESHOLD)
                .map(fold)
                .collect()
        };
        let mut folded = Self::new(evals);
        for r_i in &r[1..] {
            folded.bind_top(*r_i);
        }
        folded.evals[0]
    }
}

impl<F> std::ops::Index<usize> for DensePolynomial<F> {
    type Output = F;
    fn index(&self, i: usize) -> &F {
        &self.evals[i]
    }
}

#[inline]
fn bind_halves<F: JoltField, const SKIP_EQUAL: bool>(lo: &mut [F], hi: &[F], r: F) {
    for (l, h) in lo.iter_mut().zip(hi) {
        let d = *h - *l;
        if !SKIP_EQUAL || !d.is_zero() {
            *l += r * d;
        }
    }
}

/// Writes P[2i] + r·(P[2i+1] − P[2i]) to position i for the first half of
/// `evals`; position i is written only after 2i and 2i+1 were read.
#[inline]
fn bind_pairs_in_place<F: JoltField>(evals: &mut [F], r: F) {
    for i in 0..evals.len() / 2 {
        let (a, b) = (evals[2 * i], evals[2 * i + 1]);
        evals[i] = a + r * (b - a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::eq::EqPolynomial;
    use ark_bn254::Fr;
    use ark_ff::{UniformRand, Zero};
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    fn random_poly(num_vars: usize, rng: &mut ChaCha20Rng) -> DensePolynomial<Fr> {
        DensePolynomial::new((0..1 << num_vars).map(|_| Fr::rand(rng)).collect())
    }

    /// Σ_x eq(r, x)·P(x), straight from the definition of the multilinear
    /// extension with the O(n) product formula per point.
    fn naive_evaluate(p: &DensePolynomial<Fr>, r: &[Fr]) -> Fr {
        let n = p.num_vars();
        (0..p.len())
            .map(|i| {
                let bits: Vec<Fr> = (0..n)
                    .map(|j| Fr::from(((i >> (n - 1 - j)) & 1) as u64))
                    .collect();
                EqPolynomial::new(r.to_vec()).evaluate(&bits) * p[i]
            })
            .sum()
    }

    #[test]
    fn evaluate_matches_definition_on_all_sizes() {
        let mut rng = ChaCha20Rng::seed_from_u64(10);
        for n in 0..=16 {
            let p = random_poly(n, &mut rng);
            let r: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            // The definition costs n·2^n; check it on the small sizes and the
            // eq-table inner product on all.
            let expected = if n <= 10 {
                naive_evaluate(&p, &r)
            } else {
                let eq = EqPolynomial::new(r.clone()).evals();
                eq.iter().zip(p.evals()).map(|(e, v)| *e * v).sum()
            };
            assert_eq!(p.evaluate(&r), expected, "n = {n}");
        }
    }

    #[test]
    fn evaluate_on_hypercube_returns_entries() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let p = random_poly(5, &mut rng);
        for i in 0..32 {
            let bits: Vec<Fr> = (0..5)
                .map(|j| Fr::from(((i >> (4 - j)) & 1) as u64))
                .collect();
            assert_eq!(p.evaluate(&bits), p[i]);
        }
    }

    #[test]
    fn bind_top_and_bottom_match_evaluate() {
        let mut rng = ChaCha20Rng::seed_from_u64(12);
        for n in 0..=16usize {
            let p = random_poly(n, &mut rng);
            let r: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let expected = p.evaluate(&r);

            let mut top = p.clone();
            for (k, r_i) in r.iter().enumerate() {
                top.bind_top(*r_i);
                assert_eq!(top.num_vars(), n - k - 1);
                // Partial binding agrees with evaluation at a random rest.
                if k + 1 < n && rng.next_u32() % 4 == 0 {
                    let rest: Vec<Fr> = (k + 1..n).map(|_| Fr::rand(&mut rng)).collect();
                    let full: Vec<Fr> = r[..=k].iter().chain(&rest).copied().collect();
                    assert_eq!(top.evaluate(&rest), p.evaluate(&full));
                }
            }
            assert_eq!(top.final_eval(), expected);

            let mut bottom = p.clone();
            for r_i in r.iter().rev() {
                bottom.bind_bottom(*r_i);
            }
            assert_eq!(bottom.final_eval(), expected, "n = {n}");
        }
    }

    /// The sparse bind is the bind: on tables that are mostly zero, with
    /// runs of equal entries and dense, at sizes on both sides of the
    /// parallel threshold.
    #[test]
    fn bind_top_sparse_matches_bind_top() {
        let mut rng = ChaCha20Rng::seed_from_u64(14);
        for n in [1usize, 4, 11, 15] {
            for density in [0, 1, 8, 64] {
                let evals: Vec<Fr> = (0..1usize << n)
                    .map(|i| match density {
                        0 => Fr::from((i / 8) as u64 % 3),
                        d if rng.next_u32() % 64 < d => Fr::rand(&mut rng),
                        _ => Fr::zero(),
                    })
                    .collect();
                let mut dense = DensePolynomial::new(evals.clone());
                let mut sparse = DensePolynomial::new(evals);
                while dense.num_vars() > 0 {
                    let r = Fr::rand(&mut rng);
                    dense.bind_top(r);
                    sparse.bind_top_sparse(r);
                    assert_eq!(dense, sparse, "n = {n}, density {density}");
                }
            }
        }
    }

    #[test]
    fn bind_bottom_parallel_path_matches_sequential() {
        let mut rng = ChaCha20Rng::seed_from_u64(13);
        // Sizes around the threshold; three threads give a ragged last chunk.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for n in [12usize, 13, 15, 17, 18] {
            let p = random_poly(n, &mut rng);
            let r = Fr::rand(&mut rng);
            let mut fast = p.clone();
            pool.install(|| fast.bind_bottom(r));
            let mut top = p.clone();
            pool.install(|| top.bind_top(r));
            let half = p.len() / 2;
            assert!((0..half).all(|i| top[i] == p[i] + r * (p[i + half] - p[i])));
            let expected: Vec<Fr> = (0..p.len() / 2)
                .map(|i| p[2 * i] + r * (p[2 * i + 1] - p[2 * i]))
                .collect();
            assert_eq!(fast.evals(), &expected[..]);
        }
    }

    #[test]
    fn small_value_constructors() {
        let p = DensePolynomial::<Fr>::from_u8s(&[0, 1, 255, 7]);
        assert_eq!(
            p.evals(),
            &[Fr::zero(), Fr::from(1u64), Fr::from(255u64), Fr::from(7u64)]
        );
        let big: Vec<u32> = (0..1u32 << 14)
            .map(|i| i.wrapping_mul(2654435761))
            .collect();
        let p = DensePolynomial::<Fr>::from_u32s(&big);
        assert!(big.iter().zip(p.evals()).all(|(v, f)| Fr::from(*v) == *f));
        let p = DensePolynomial::<Fr>::from_i64s(&[-1, 5]);
        assert_eq!(p[0], -Fr::from(1u64));
        let p = DensePolynomial::<Fr>::from_u16s(&[65535, 2]);
        assert_eq!(p[0], Fr::from(65535u64));
        let p = DensePolynomial::<Fr>::from_u64s(&[u64::MAX, 2]);
        assert_eq!(p[0], Fr::from(u64::MAX));
        let p = DensePolynomial::<Fr>::from_bools(&[true, false]);
        assert_eq!(p[1], Fr::zero());
        let p = DensePolynomial::<Fr>::new_padded(vec![Fr::from(3u64); 5]);
        assert_eq!((p.num_vars(), p[4], p[5]), (3, Fr::from(3u64), Fr::zero()));
    }
}
