//! The identity polynomial I(x) = Σ_i 2^(n−1−i)·x_i: the multilinear
//! extension of "entry i holds the integer i". Memory checking uses it for
//! addresses of the initial and final memory, which the verifier evaluates
//! itself in O(n) instead of committing to them.

use crate::field::JoltField;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdentityPolynomial {
    num_vars: usize,
}

impl IdentityPolynomial {
    pub fn new(num_vars: usize) -> Self {
        Self { num_vars }
    }

    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// I(r) by Horner's rule over the bits, top variable first.
    ///
    /// # Panics
    /// If `r.len() != num_vars`.
    pub fn evaluate<F: JoltField>(&self, r: &[F]) -> F {
        assert_eq!(r.len(), self.num_vars, "point has the wrong dimension");
        r.iter().fold(F::zero(), |acc, r_i| acc.double() + r_i)
    }

    /// The table 0, 1, …, 2^n − 1.
    pub fn to_evals<F: JoltField>(&self) -> Vec<F> {
        (0..1u64 << self.num_vars).map(F::from_u64).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::DensePolynomial;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn matches_dense_table() {
        let mut rng = ChaCha20Rng::seed_from_u64(30);
        for n in 0..=12 {
            let id = IdentityPolynomial::new(n);
            let dense = DensePolynomial::new(id.to_evals::<Fr>());
            let r: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            assert_eq!(id.evaluate(&r), dense.evaluate(&r));
        }
    }
}
