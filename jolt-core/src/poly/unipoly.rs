//! Univariate polynomials: sumcheck round messages.
//!
//! A round polynomial s of degree d is computed as its evaluations at
//! 0, 1, …, d and sent in compressed form, its coefficients without the
//! linear one: the verifier knows s(0) + s(1) = claim, i.e.
//! 2·c_0 + c_1 + c_2 + … + c_d = claim, and recovers c_1 from it. This saves
//! one field element per round and makes the round-sum check implicit.

use crate::codec::ProofVec;
use crate::field::JoltField;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

/// s(X) = Σ_i coeffs[i]·X^i.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UniPoly<F> {
    pub coeffs: Vec<F>,
}

impl<F: JoltField> UniPoly<F> {
    pub fn from_coeffs(coeffs: Vec<F>) -> Self {
        Self { coeffs }
    }

    /// The polynomial of degree ≤ d through (i, evals[i]) for i = 0..=d.
    ///
    /// Newton's forward form on the nodes 0..=d:
    /// s(X) = Σ_k Δ^k s(0) · X(X−1)…(X−k+1) / k!, expanded into
    /// coefficients in O(d²) with one field inversion.
    ///
    /// # Panics
    /// If `evals` is empty.
    pub fn from_evals(evals: &[F]) -> Self {
        assert!(!evals.is_empty(), "interpolation needs at least one value");
        let d = evals.len() - 1;
        // Forward differences: after step k, diffs[k] = Δ^k s(0).
        let mut diffs = evals.to_vec();
        for k in 1..=d {
            for i in (k..=d).rev() {
                diffs[i] = diffs[i] - diffs[i - 1];
            }
        }
        // 1/k! for k = 0..=d from a single inversion of d!.
        let mut inv_fact = vec![F::one(); d + 1];
        let fact_d = (1..=d as u64).fold(F::one(), |acc, k| acc.mul_u64(k));
        // Invariant: d! ≠ 0 because d < p, so the inverse exists.
        inv_fact[d] = fact_d.inverse().unwrap();
        for k in (1..=d).rev() {
            inv_fact[k - 1] = inv_fact[k].mul_u64(k as u64);
        }

        let mut coeffs = vec![F::zero(); d + 1];
        // falling = X(X−1)…(X−k+1), as coefficients.
        let mut falling = vec![F::one()];
        for k in 0..=d {
            let scale = diffs[k] * inv_fact[k];
            for (c, f) in coeffs.iter_mut().zip(&falling) {
                *c += scale * f;
            }
            // falling ← falling·(X − k)
            let mut next = vec![F::zero(); falling.len() + 1];
            for (i, f) in falling.iter().enumerate() {
                next[i + 1] += f;
                next[i] -= f.mul_u64(k as u64);
            }
            falling = next;
        }
        Self { coeffs }
    }

    /// Number of coefficients minus one (not trimmed of leading zeros).
    pub fn degree(&self) -> usize {
        self.coeffs.len().saturating_sub(1)
    }

    pub fn evaluate(&self, x: &F) -> F {
        self.coeffs
            .iter()
            .rev()
            .fold(F::zero(), |acc, c| acc * x + c)
    }

    pub fn eval_at_zero(&self) -> F {
        self.coeffs.first().copied().unwrap_or_else(F::zero)
    }

    pub fn eval_at_one(&self) -> F {
        self.coeffs.iter().copied().sum()
    }

    /// Drops the linear coefficient; see the module doc.
    pub fn compress(&self) -> CompressedUniPoly<F> {
        let mut coeffs_except_linear_term = Vec::with_capacity(self.coeffs.len().max(1));
        coeffs_except_linear_term.push(self.eval_at_zero());
        coeffs_except_linear_term.extend(self.coeffs.iter().skip(2));
        CompressedUniPoly {
            coeffs_except_linear_term: coeffs_except_linear_term.into(),
        }
    }
}

/// A round polynomial as sent: [c_0, c_2, c_3, …, c_d].
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct CompressedUniPoly<F: JoltField> {
    pub coeffs_except_linear_term: ProofVec<F>,
}

impl<F: JoltField> CompressedUniPoly<F> {
    /// The degree of the polynomial this decompresses to (≥ 1).
    pub fn degree(&self) -> usize {
        self.coeffs_except_linear_term.len().max(1)
    }

    /// Recovers c_1 from `hint` = s(0) + s(1).
    ///
    /// # Panics
    /// If there are no coefficients; verifiers check the shape first.
    pub fn decompress(&self, hint: &F) -> UniPoly<F> {
        let c = &self.coeffs_except_linear_term;
        let linear = *hint - c[0] - c.iter().sum::<F>();
        let mut coeffs = Vec::with_capacity(c.len() + 1);
        coeffs.push(c[0]);
        coeffs.push(linear);
        coeffs.extend_from_slice(&c[1..]);
        UniPoly { coeffs }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn interpolation_recovers_coefficients() {
        let mut rng = ChaCha20Rng::seed_from_u64(40);
        for d in 0..=8 {
            let p = UniPoly::from_coeffs((0..=d).map(|_| Fr::rand(&mut rng)).collect());
            let evals: Vec<Fr> = (0..=d as u64).map(|i| p.evaluate(&Fr::from(i))).collect();
            assert_eq!(UniPoly::from_evals(&evals), p, "d = {d}");
        }
    }

    #[test]
    fn compress_decompress_round_trip() {
        let mut rng = ChaCha20Rng::seed_from_u64(41);
        for d in 1..=6 {
            let p = UniPoly::from_coeffs((0..=d).map(|_| Fr::rand(&mut rng)).collect());
            let c = p.compress();
            assert_eq!(c.degree(), d);
            let hint = p.eval_at_zero() + p.eval_at_one();
            assert_eq!(c.decompress(&hint), p);

            let mut bytes = Vec::new();
            c.serialize_compressed(&mut bytes).unwrap();
            assert_eq!(
                CompressedUniPoly::deserialize_compressed(&bytes[..]).unwrap(),
                c
            );
            for cut in 0..bytes.len() {
                assert!(CompressedUniPoly::<Fr>::deserialize_compressed(&bytes[..cut]).is_err());
            }
        }
    }
}
