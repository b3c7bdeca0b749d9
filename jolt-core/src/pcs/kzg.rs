//! Univariate KZG pieces HyperKZG is built from: evaluating coefficient
//! vectors, and opening one polynomial B at the three points
//! S = {u_0, u_1, u_2} with a single quotient commitment.
//!
//! For Z_S(X) = Π (X − u_t) and I(X) the quadratic with I(u_t) = y_t,
//! B(u_t) = y_t for all t iff Z_S divides B − I. The prover commits
//! W = \[(B − I)/Z_S (τ)]_1 and the verifier checks
//!
//!   e(C_B − \[I(τ)]_1, \[1]_2) = e(W, \[Z_S(τ)]_2),
//!
//! which needs \[1]_1, \[τ]_1, \[τ²]_1 and \[τ^0..3]_2. One quotient instead of
//! one per point saves the prover two MSMs of the polynomial's size.

use super::error::PcsError;
use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};
use rayon::prelude::*;

/// Coefficients at or above this length are evaluated in parallel chunks.
const PAR_EVAL_MIN: usize = 1 << 14;

/// Σ_i coeffs\[i]·x^i.
pub fn evaluate(coeffs: &[Fr], x: Fr) -> Fr {
    if coeffs.len() < PAR_EVAL_MIN {
        return horner(coeffs, x);
    }
    let chunk = coeffs
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1 << 12);
    let step = x.pow([chunk as u64]);
    let partial: Vec<Fr> = coeffs.par_chunks(chunk).map(|c| horner(c, x)).collect();
    horner(&partial, step)
}

fn horner(coeffs: &[Fr], x: Fr) -> Fr {
    coeffs.iter().rev().fold(Fr::zero(), |acc, c| acc * x + c)
}

/// (f(r), f(−r)) in one pass: with f(X) = E(X²) + X·O(X²),
/// f(±r) = E(r²) ± r·O(r²).
pub fn evaluate_pos_neg(coeffs: &[Fr], r: Fr) -> (Fr, Fr) {
    let r2 = r.square();
    let pair_horner = |c: &[Fr]| {
        c.chunks(2)
            .rev()
            .fold((Fr::zero(), Fr::zero()), |(e, o), pair| {
                let odd = pair.get(1).copied().unwrap_or_default();
                (e * r2 + pair[0], o * r2 + odd)
            })
    };
    let (even, odd) = if coeffs.len() < PAR_EVAL_MIN {
        pair_horner(coeffs)
    } else {
        // Even chunk lengths keep every chunk aligned to (even, odd) pairs.
        let chunk = coeffs
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(1 << 12);
        let chunk = chunk + chunk % 2;
        let step = r2.pow([(chunk / 2) as u64]);
        let partial: Vec<(Fr, Fr)> = coeffs.par_chunks(chunk).map(pair_horner).collect();
        partial
            .iter()
            .rev()
            .fold((Fr::zero(), Fr::zero()), |(e, o), (pe, po)| {
                (e * step + pe, o * step + po)
            })
    };
    (even + r * odd, even - r * odd)
}

/// Coefficients (i_0, i_1, i_2) of the quadratic through (u_t, y_t), or an
/// error if two points coincide.
pub fn interpolate_quadratic(u: [Fr; 3], y: [Fr; 3]) -> Result<[Fr; 3], PcsError> {
    let mut coeffs = [Fr::zero(); 3];
    for t in 0..3 {
        let (a, b) = (u[(t + 1) % 3], u[(t + 2) % 3]);
        // L_t(X) = (X − a)(X − b) / ((u_t − a)(u_t − b)).
        let denom = (u[t] - a) * (u[t] - b);
        let scale = y[t]
            * denom.inverse().ok_or(PcsError::DegenerateChallenge {
                what: "opening points coincide",
            })?;
        coeffs[0] += scale * a * b;
        coeffs[1] -= scale * (a + b);
        coeffs[2] += scale;
    }
    Ok(coeffs)
}

/// Z_S(X) = Π_t (X − u_t) = X³ + z_2·X² + z_1·X + z_0, as \[z_0, z_1, z_2, 1].
pub fn vanishing_cubic(u: [Fr; 3]) -> [Fr; 4] {
    let [a, b, c] = u;
    [-(a * b * c), a * b + b * c + a * c, -(a + b + c), Fr::one()]
}

/// (B − I)/Z_S for the I interpolating B on S: long division by the monic
/// cubic, top coefficient first. Returns the quotient (degree < len − 3,
/// empty if len ≤ 3); the remainder is zero by construction of I.
pub fn quotient_by_cubic(mut coeffs: Vec<Fr>, interpolant: [Fr; 3], z: [Fr; 4]) -> Vec<Fr> {
    for (c, i) in coeffs.iter_mut().zip(interpolant) {
        *c -= i;
    }
    let len = coeffs.len();
    if len <= 3 {
        debug_assert!(coeffs.iter().all(|c| c.is_zero()), "B − I must vanish on S");
        return Vec::new();
    }
    let mut quotient = vec![Fr::zero(); len - 3];
    for k in (3..len).rev() {
        let q = coeffs[k];
        quotient[k - 3] = q;
        coeffs[k - 1] -= z[2] * q;
        coeffs[k - 2] -= z[1] * q;
        coeffs[k - 3] -= z[0] * q;
    }
    debug_assert!(
        coeffs[..3].iter().all(|c| c.is_zero()),
        "B − I must vanish on S"
    );
    quotient
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn evaluations_match_horner() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        for len in [0usize, 1, 2, 3, 7, 64, PAR_EVAL_MIN + 5, 3 * PAR_EVAL_MIN] {
            let coeffs: Vec<Fr> = (0..len).map(|_| Fr::rand(&mut rng)).collect();
            let r = Fr::rand(&mut rng);
            assert_eq!(evaluate(&coeffs, r), horner(&coeffs, r));
            assert_eq!(
                evaluate_pos_neg(&coeffs, r),
                (horner(&coeffs, r), horner(&coeffs, -r))
            );
        }
    }

    #[test]
    fn interpolation_and_division() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let u = [Fr::rand(&mut rng), Fr::rand(&mut rng), Fr::rand(&mut rng)];
        for len in [1usize, 2, 3, 4, 5, 100] {
            let b: Vec<Fr> = (0..len).map(|_| Fr::rand(&mut rng)).collect();
            let y = u.map(|x| horner(&b, x));
            let i = interpolate_quadratic(u, y).unwrap();
            for t in 0..3 {
                assert_eq!(horner(&i, u[t]), y[t]);
            }
            let z = vanishing_cubic(u);
            let q = quotient_by_cubic(b.clone(), i, z);
            // B = Q·Z + I at a random point.
            let x = Fr::rand(&mut rng);
            assert_eq!(horner(&b, x), horner(&q, x) * horner(&z, x) + horner(&i, x));
        }
        assert!(interpolate_quadratic([u[0], u[0], u[1]], [Fr::one(); 3]).is_err());
    }
}
