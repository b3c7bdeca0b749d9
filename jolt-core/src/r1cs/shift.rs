//! The successor relation next(x, y) = [y = x + 1] on step indices, which
//! turns a claim about the *next* step's column, S(r) = V(r + 1), into a
//! claim about V itself: S(x) = Σ_y next(x, y)·V(y) + b·eq(x, T − 1),
//! where b is the value "next" reads after the last step.
//!
//! Bit order is the crate's: `x[0]` is the most significant bit.

use crate::field::JoltField;
use crate::poly::EqPolynomial;

/// next(r, y) for every y: eq(r, y − 1), and 0 at y = 0.
pub fn next_table<F: JoltField>(r: &[F]) -> Vec<F> {
    let eq = EqPolynomial::evals_scaled(r, F::one());
    let mut table = Vec::with_capacity(eq.len());
    table.push(F::zero());
    table.extend_from_slice(&eq[..eq.len() - 1]);
    table
}

/// The multilinear extension of next at (x, y), in O(n): y = x + 1 iff for
/// some k the low k bits of x are 1 and of y are 0, bit k goes 0 → 1, and
/// the bits above k agree.
pub fn next_mle<F: JoltField>(x: &[F], y: &[F]) -> F {
    let n = x.len();
    // Walk from the least significant bit (index n − 1) upwards.
    let bit = |v: &[F], l: usize| v[n - 1 - l];
    // suffix_eq[l] = Π_{l' ≥ l} eq(x_l', y_l') over LSB-first positions l'.
    let mut suffix_eq = vec![F::one(); n + 1];
    for l in (0..n).rev() {
        let (a, b) = (bit(x, l), bit(y, l));
        let eq = F::one() - a - b + (a * b).double();
        suffix_eq[l] = suffix_eq[l + 1] * eq;
    }
    let mut carry = F::one(); // Π_{l < k} x_l·(1 − y_l)
    let mut total = F::zero();
    for k in 0..n {
        let (a, b) = (bit(x, k), bit(y, k));
        total += carry * (F::one() - a) * b * suffix_eq[k + 1];
        carry *= a * (F::one() - b);
    }
    total
}

/// eq(r, T − 1): the weight of the last step, Π_j r_j.
pub fn last_step_weight<F: JoltField>(r: &[F]) -> F {
    r.iter().copied().product()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand::SeedableRng;

    fn bits(v: usize, n: usize) -> Vec<Fr> {
        (0..n)
            .rev()
            .map(|k| Fr::from(((v >> k) & 1) as u64))
            .collect()
    }

    #[test]
    fn next_is_the_successor_on_the_hypercube() {
        let n = 4;
        for x in 0..16 {
            for y in 0..16 {
                let expected = Fr::from((y == x + 1) as u64);
                assert_eq!(next_mle(&bits(x, n), &bits(y, n)), expected, "{x} → {y}");
            }
        }
    }

    #[test]
    fn table_matches_the_mle_at_random_points() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for n in 1..8 {
            let r: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let table = next_table(&r);
            for (y, value) in table.iter().enumerate() {
                assert_eq!(*value, next_mle(&r, &bits(y, n)));
            }
        }
    }
}
