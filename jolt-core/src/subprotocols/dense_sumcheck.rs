//! The generic sumcheck instance: Σ_x F(P_1(x), …, P_k(x)) for dense
//! multilinear P_i and a combine function F of known degree d
//! (e.g. A·B, eq·A·B − C, eq·A·B·C). After proving, [`DenseSumcheck::final_evals`]
//! are the claims P_i(r) the caller must have opened by the PCS.

use super::sumcheck::SumcheckInstance;
use crate::field::JoltField;
use crate::poly::{par_chunk_len, DensePolynomial, PAR_THRESHOLD};
use rayon::prelude::*;

pub struct DenseSumcheck<F, C> {
    polys: Vec<DensePolynomial<F>>,
    degree: usize,
    combine: C,
    claim: F,
    num_rounds: usize,
}

impl<F: JoltField, C: Fn(&[F]) -> F + Send + Sync> DenseSumcheck<F, C> {
    /// Computes the claim Σ_x F(P(x)) by one pass over the tables.
    ///
    /// # Panics
    /// If `polys` is empty, the polynomials have different numbers of
    /// variables, or `degree` is 0.
    pub fn new(polys: Vec<DensePolynomial<F>>, degree: usize, combine: C) -> Self {
        let mut instance = Self::new_with_claim(polys, degree, combine, F::zero());
        instance.claim = instance.sum_over_hypercube();
        instance
    }

    /// As [`Self::new`] with a claim the caller already knows.
    pub fn new_with_claim(
        polys: Vec<DensePolynomial<F>>,
        degree: usize,
        combine: C,
        claim: F,
    ) -> Self {
        assert!(!polys.is_empty(), "sumcheck over no polynomials");
        assert!(degree >= 1, "sumcheck degree must be at least 1");
        let num_rounds = polys[0].num_vars();
        assert!(
            polys.iter().all(|p| p.num_vars() == num_rounds),
            "sumcheck polynomials differ in number of variables"
        );
        Self {
            polys,
            degree,
            combine,
            claim,
            num_rounds,
        }
    }

    /// P_i at the point bound so far (all variables bound after proving).
    pub fn final_evals(&self) -> Vec<F> {
        self.polys.iter().map(|p| p.final_eval()).collect()
    }

    pub fn polys(&self) -> &[DensePolynomial<F>] {
        &self.polys
    }

    fn sum_over_hypercube(&self) -> F {
        let len = self.polys[0].len();
        let k = self.polys.len();
        let sum_range = |start: usize, end: usize| {
            let mut vals = vec![F::zero(); k];
            let mut acc = F::zero();
            for x in start..end {
                for (v, p) in vals.iter_mut().zip(&self.polys) {
                    *v = p[x];
                }
                acc += (self.combine)(&vals);
            }
            acc
        };
        if len < PAR_THRESHOLD {
            sum_range(0, len)
        } else {
            let chunk = par_chunk_len(len);
            (0..len.div_ceil(chunk))
                .into_par_iter()
                .map(|c| sum_range(c * chunk, ((c + 1) * chunk).min(len)))
                .sum()
        }
    }

    /// Σ over pairs i in [start, end) of F at X = 0, 2, 3, …, d (slot 1 is
    /// left zero). P_j(X) = lo + X·(hi − lo) is stepped from X = 2 by
    /// additions only, so the multiplications are those inside F.
    fn message_range(&self, start: usize, end: usize, half: usize) -> Vec<F> {
        let tables: Vec<&[F]> = self.polys.iter().map(|p| p.evals()).collect();
        let combine = &self.combine;
        let mut sums = vec![F::zero(); self.degree + 1];
        let mut vals = vec![F::zero(); tables.len()];
        let mut diffs = vec![F::zero(); tables.len()];
        for i in start..end {
            for ((v, diff), t) in vals.iter_mut().zip(diffs.iter_mut()).zip(&tables) {
                let (lo, hi) = (t[i], t[i + half]);
                *v = lo;
                *diff = hi - lo;
            }
            sums[0] += combine(&vals);
            if self.degree >= 2 {
                for ((v, diff), t) in vals.iter_mut().zip(&diffs).zip(&tables) {
                    *v = t[i + half] + diff;
                }
                sums[2] += combine(&vals);
                for s in sums.iter_mut().skip(3) {
                    for (v, diff) in vals.iter_mut().zip(&diffs) {
                        *v += diff;
                    }
                    *s += combine(&vals);
                }
            }
        }
        sums
    }
}

impl<F: JoltField, C: Fn(&[F]) -> F + Send + Sync> SumcheckInstance<F> for DenseSumcheck<F, C> {
    fn degree(&self) -> usize {
        self.degree
    }

    fn num_rounds(&self) -> usize {
        self.num_rounds
    }

    fn input_claim(&self) -> F {
        self.claim
    }

    fn compute_message(&mut self, _round: usize, previous_claim: F) -> Vec<F> {
        let half = self.polys[0].len() / 2;
        let mut evals = if half < PAR_THRESHOLD {
            self.message_range(0, half, half)
        } else {
            let chunk = par_chunk_len(half);
            (0..half.div_ceil(chunk))
                .into_par_iter()
                .map(|c| self.message_range(c * chunk, ((c + 1) * chunk).min(half), half))
                .reduce(
                    || vec![F::zero(); self.degree + 1],
                    |mut a, b| {
                        a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                        a
                    },
                )
        };
        evals[1] = previous_claim - evals[0];
        evals
    }

    fn bind(&mut self, r_j: F, _round: usize) {
        self.polys.par_iter_mut().for_each(|p| p.bind_top(r_j));
    }
}
