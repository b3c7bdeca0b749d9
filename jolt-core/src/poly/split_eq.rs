//! eq(τ, x) factored out of sumcheck round polynomials (Gruen's trick), for
//! instances whose summand is eq(τ, x)·h(x).
//!
//! In round j, with challenges r'_1..r'_{j−1} already bound,
//!   s_j(X) = [Π_{i<j} eq(τ_i, r'_i)] · eq(τ_j, X) · q_j(X),
//!   q_j(X) = Σ_{x'} eq(τ_{j+1..}, x')·h(r'_{<j}, X, x').
//! The prover computes q_j (one degree lower than s_j) against the small
//! table eq(τ_{j+1..}, ·) and never binds an eq table: about a third fewer
//! multiplications for eq·A·B, and the tables cost 2^(n−1) multiplications
//! in total instead of 2^n. The verifier is unchanged.
//!
//! q_j(1) need not be computed: s_j(0) + s_j(1) = claim gives
//!   q_j(1) = (claim / scalar − (1 − τ_j)·q_j(0)) / τ_j,
//! which fails only if τ_j = 0 or some eq(τ_i, r'_i) = 0 (probability about
//! n/p); then [`SplitEqPolynomial::round_evals`] returns `None` and the
//! instance computes q_j(1) directly.

use super::{par_chunk_len, UniPoly, PAR_THRESHOLD};
use crate::field::JoltField;
use rayon::prelude::*;

pub struct SplitEqPolynomial<F> {
    tau: Vec<F>,
    /// eq(τ_{j+1..}, ·) for the rounds still to come, the current round's
    /// table last (it is popped when the round is bound).
    tables: Vec<Vec<F>>,
    round: usize,
    /// Π_{i<j} eq(τ_i, r'_i) and its inverse (`None` once it is zero).
    scalar: F,
    scalar_inv: Option<F>,
}

impl<F: JoltField> SplitEqPolynomial<F> {
    pub fn new(tau: &[F]) -> Self {
        let n = tau.len();
        // tables[k] = eq(τ_{n−k..}, ·) has 2^k entries; each is the next
        // smaller one extended by a new top variable.
        let mut tables: Vec<Vec<F>> = Vec::with_capacity(n);
        if n > 0 {
            tables.push(vec![F::one()]);
        }
        for k in 1..n {
            let prev = &tables[k - 1];
            let t = tau[n - k];
            // [e·(1 − t), e·t] for each e of the previous table, both halves
            // filled in the same pass (in parallel for the large tables).
            let mut table = vec![F::zero(); 2 * prev.len()];
            let (lo, hi) = table.split_at_mut(prev.len());
            let extend = |(lo, hi): (&mut [F], &mut [F]), prev: &[F]| {
                for ((l, h), e) in lo.iter_mut().zip(hi.iter_mut()).zip(prev) {
                    *h = *e * t;
                    *l = *e - *h;
                }
            };
            if prev.len() < PAR_THRESHOLD {
                extend((lo, hi), prev);
            } else {
                let chunk = par_chunk_len(prev.len());
                lo.par_chunks_mut(chunk)
                    .zip(hi.par_chunks_mut(chunk))
                    .zip(prev.par_chunks(chunk))
                    .for_each(|(halves, prev)| extend(halves, prev));
            }
            tables.push(table);
        }
        Self {
            tau: tau.to_vec(),
            tables,
            round: 0,
            scalar: F::one(),
            scalar_inv: Some(F::one()),
        }
    }

    pub fn num_rounds(&self) -> usize {
        self.tau.len()
    }

    /// eq(τ_{j+1..}, x') over the variables below the current one; the
    /// instance pairs entry i with its pair (i, i + half).
    ///
    /// # Panics
    /// If every round was bound already.
    pub fn current_table(&self) -> &[F] {
        // Invariant violated only by a caller that binds past the last round.
        self.tables
            .last()
            .expect("all rounds of the eq factor are bound")
    }

    /// s_j at 0, 1, …, deg(q) + 1 from q_j at 0, 2, 3, …, deg(q) (`q[1]`
    /// ignored), deriving q_j(1) from `claim`; `None` if it cannot be
    /// derived (see the module doc).
    pub fn round_evals(&self, q: &[F], claim: F) -> Option<Vec<F>> {
        let tau_j = self.tau[self.round];
        let tau_inv = tau_j.inverse()?;
        let scaled_claim = claim * self.scalar_inv?;
        let mut q = q.to_vec();
        q[1] = (scaled_claim - (F::one() - tau_j) * q[0]) * tau_inv;
        Some(self.round_evals_full(&q))
    }

    /// s_j at 0, 1, …, deg(q) + 1 from q_j at 0, 1, …, deg(q).
    pub fn round_evals_full(&self, q: &[F]) -> Vec<F> {
        let tau_j = self.tau[self.round];
        let d = q.len();
        let q_d = UniPoly::from_evals(q).evaluate(&F::from_u64(d as u64));
        (0..=d)
            .map(|t| {
                let t_f = F::from_u64(t as u64);
                // eq(τ_j, t) = (1 − τ_j)(1 − t) + τ_j·t
                let eq_t = (F::one() - tau_j) * (F::one() - t_f) + tau_j * t_f;
                let q_t = if t < d { q[t] } else { q_d };
                self.scalar * eq_t * q_t
            })
            .collect()
    }

    /// Moves to the next round after the challenge r'_j.
    pub fn bind(&mut self, r_j: F) {
        let tau_j = self.tau[self.round];
        let factor = (F::one() - tau_j) * (F::one() - r_j) + tau_j * r_j;
        self.scalar *= factor;
        self.scalar_inv = self.scalar_inv.zip(factor.inverse()).map(|(a, b)| a * b);
        self.tables.pop();
        self.round += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{DensePolynomial, EqPolynomial};
    use ark_bn254::Fr;
    use ark_ff::{UniformRand, Zero};
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    /// For h = A·B, the factored round polynomials equal the ones computed
    /// from the full eq table, in every round, including the derived q(1).
    fn check_against_full_table(tau: Vec<Fr>, rs: Vec<Fr>, rng: &mut ChaCha20Rng) {
        let n = tau.len();
        let mut a = DensePolynomial::new((0..1 << n).map(|_| Fr::rand(rng)).collect());
        let mut b = DensePolynomial::new((0..1 << n).map(|_| Fr::rand(rng)).collect());
        let mut eq = DensePolynomial::new(EqPolynomial::new(tau.clone()).evals());
        let mut split = SplitEqPolynomial::new(&tau);
        let mut claim: Fr = (0..1 << n).map(|x| eq[x] * a[x] * b[x]).sum();
        for r_j in rs {
            let half = a.len() / 2;
            let s_full: Vec<Fr> = (0..4u64)
                .map(|t| {
                    let t = Fr::from(t);
                    let at = |p: &DensePolynomial<Fr>, i: usize| p[i] + t * (p[i + half] - p[i]);
                    (0..half).map(|i| at(&eq, i) * at(&a, i) * at(&b, i)).sum()
                })
                .collect();
            let w = split.current_table();
            assert_eq!(w.len(), half);
            let q: Vec<Fr> = (0..3u64)
                .map(|t| {
                    let t = Fr::from(t);
                    let at = |p: &DensePolynomial<Fr>, i: usize| p[i] + t * (p[i + half] - p[i]);
                    (0..half).map(|i| w[i] * at(&a, i) * at(&b, i)).sum()
                })
                .collect();
            assert_eq!(split.round_evals_full(&q), s_full);
            let mut q_without_1 = q.clone();
            q_without_1[1] = Fr::zero();
            match split.round_evals(&q_without_1, claim) {
                Some(s) => assert_eq!(s, s_full),
                None => assert!(tau[split.round].is_zero() || split.scalar.is_zero()),
            }
            claim = UniPoly::from_evals(&s_full).evaluate(&r_j);
            for p in [&mut a, &mut b, &mut eq] {
                p.bind_top(r_j);
            }
            split.bind(r_j);
        }
    }

    #[test]
    fn factored_round_polynomials_match_full_table() {
        let mut rng = ChaCha20Rng::seed_from_u64(70);
        for n in 1..=8 {
            let tau: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let rs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            check_against_full_table(tau, rs, &mut rng);
        }
        // Degenerate points: τ_j = 0, and a challenge with eq(τ_j, r_j) = 0
        // (r_j = 1 for τ_j = 0), so q(1) cannot be derived.
        let mut tau: Vec<Fr> = (0..5).map(|_| Fr::rand(&mut rng)).collect();
        tau[1] = Fr::zero();
        let mut rs: Vec<Fr> = (0..5).map(|_| Fr::rand(&mut rng)).collect();
        rs[1] = Fr::from(1u64);
        check_against_full_table(tau, rs, &mut rng);
    }
}
