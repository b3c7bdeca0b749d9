//! The equality polynomial eq(r, x) = Π_i (r_i·x_i + (1 − r_i)·(1 − x_i)),
//! the multilinear extension of [r = x]. Sumchecks use its table over the
//! hypercube to turn "P(r) = v" into a sum; verifiers evaluate it at a
//! single point in O(n).

use super::{par_chunk_len, PAR_THRESHOLD};
use crate::field::JoltField;
use rayon::prelude::*;

/// eq(r, ·) for a fixed point r (`r[0]` the top variable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EqPolynomial<F> {
    r: Vec<F>,
}

impl<F: JoltField> EqPolynomial<F> {
    pub fn new(r: Vec<F>) -> Self {
        Self { r }
    }

    pub fn point(&self) -> &[F] {
        &self.r
    }

    /// eq(r, x) at any x of the same dimension, in O(n).
    ///
    /// # Panics
    /// If the dimensions differ.
    pub fn evaluate(&self, x: &[F]) -> F {
        assert_eq!(self.r.len(), x.len(), "eq: points of different dimension");
        self.r
            .iter()
            .zip(x)
            .map(|(r_i, x_i)| {
                // r·x + (1 − r)(1 − x) = 1 − r − x + 2·r·x
                let rx = *r_i * x_i;
                F::one() - r_i - x_i + rx + rx
            })
            .product()
    }

    /// The table eq(r, x) for all x ∈ {0,1}^n, in O(2^n) multiplications.
    pub fn evals(&self) -> Vec<F> {
        Self::evals_scaled(&self.r, F::one())
    }

    /// scale · eq(r, x) for all x, for the same cost as [`Self::evals`]:
    /// batching coefficients fold into the table for free.
    ///
    /// Variables are added from the last to the first, each as the new top
    /// bit: the table for (r_j, …, r_n) is [(1 − r_j)·T, r_j·T] where T is
    /// the table for (r_{j+1}, …, r_n). The halves are independent, so the
    /// large steps split across threads with no copying.
    pub fn evals_scaled(r: &[F], scale: F) -> Vec<F> {
        let n = r.len();
        let mut evals = vec![F::zero(); 1 << n];
        evals[0] = scale;
        for (j, r_j) in r.iter().rev().enumerate() {
            let size = 1 << j;
            let (lo, hi) = evals[..2 * size].split_at_mut(size);
            if size < PAR_THRESHOLD {
                extend_top(lo, hi, *r_j);
            } else {
                let chunk = par_chunk_len(size);
                lo.par_chunks_mut(chunk)
                    .zip(hi.par_chunks_mut(chunk))
                    .for_each(|(lo, hi)| extend_top(lo, hi, *r_j));
            }
        }
        evals
    }
}

#[inline]
fn extend_top<F: JoltField>(lo: &mut [F], hi: &mut [F], r: F) {
    for (l, h) in lo.iter_mut().zip(hi.iter_mut()) {
        *h = *l * r;
        *l -= *h;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::{One, UniformRand, Zero};
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn table_matches_product_formula() {
        let mut rng = ChaCha20Rng::seed_from_u64(20);
        for n in 0..=16usize {
            let r: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let eq = EqPolynomial::new(r.clone());
            let table = eq.evals();
            assert_eq!(table.len(), 1 << n);
            // All entries on small sizes, a sample on large ones.
            let step = if n <= 10 { 1 } else { 997 };
            for i in (0..1usize << n).step_by(step) {
                let expected: Fr = (0..n)
                    .map(|j| {
                        if (i >> (n - 1 - j)) & 1 == 1 {
                            r[j]
                        } else {
                            Fr::one() - r[j]
                        }
                    })
                    .product();
                assert_eq!(table[i], expected, "n = {n}, i = {i}");
            }
            // Σ_x eq(r, x) = 1.
            assert_eq!(table.iter().sum::<Fr>(), Fr::one());
        }
    }

    #[test]
    fn evaluate_is_indicator_on_hypercube() {
        let bits = |i: usize| -> Vec<Fr> {
            (0..4)
                .map(|j| Fr::from(((i >> (3 - j)) & 1) as u64))
                .collect()
        };
        for a in 0..16 {
            let eq = EqPolynomial::new(bits(a));
            for b in 0..16 {
                let expected = if a == b { Fr::one() } else { Fr::zero() };
                assert_eq!(eq.evaluate(&bits(b)), expected);
            }
        }
    }

    #[test]
    fn scaled_table_and_symmetry() {
        let mut rng = ChaCha20Rng::seed_from_u64(21);
        let r: Vec<Fr> = (0..7).map(|_| Fr::rand(&mut rng)).collect();
        let x: Vec<Fr> = (0..7).map(|_| Fr::rand(&mut rng)).collect();
        let s = Fr::rand(&mut rng);
        let scaled = EqPolynomial::evals_scaled(&r, s);
        let plain = EqPolynomial::new(r.clone()).evals();
        assert!(scaled.iter().zip(&plain).all(|(a, b)| *a == s * b));
        assert_eq!(
            EqPolynomial::new(r.clone()).evaluate(&x),
            EqPolynomial::new(x).evaluate(&r)
        );
    }
}
