//! [`JoltField`] for BN254's scalar field.
//!
//! `Fr::from(u64)` multiplies by R² (a full Montgomery multiplication). For
//! a small integer n the Montgomery form n·R mod p is instead `R · n`
//! reduced mod p, and `a·n` for an element a is `(a·R) · n` reduced mod p:
//! a 4×1-limb product followed by a Barrett reduction of a 5-limb number,
//! about a third of the word multiplications of a full product. Bytes use a
//! 256-entry table built at compile time.

use super::JoltField;
use ark_bn254::Fr;
use ark_ff::{BigInt, Field, PrimeField};

const P: [u64; 4] = <Fr as PrimeField>::MODULUS.0;

/// Low limb of μ = ⌊2^318 / p⌋ = 2^64 + MU_LO (checked in the tests).
const MU_LO: u64 = 0x5291_d189_88e8_129e;

/// n·R mod p for every byte n.
static FROM_U8: [Fr; 256] = {
    let mut table = [Fr::new_unchecked(BigInt::new([0; 4])); 256];
    let mut i = 0;
    while i < 256 {
        table[i] = Fr::new(BigInt::new([i as u64, 0, 0, 0]));
        i += 1;
    }
    table
};

/// `a · n mod p` for a < p.
///
/// With t = a·n < p·2^64 < 2^318, x = ⌊t / 2^254⌋ fits in 64 bits and
/// q = ⌊x·μ / 2^64⌋ satisfies ⌊t/p⌋ − 3 ≤ q ≤ ⌊t/p⌋ (Barrett), so
/// t − q·p < 4p < 2^256 is computed mod 2^256 and at most three
/// subtractions of p finish the reduction.
#[inline(always)]
fn mul_u64_reduce(a: &[u64; 4], n: u64) -> [u64; 4] {
    let mut t = [0u64; 5];
    let mut carry = 0u64;
    for i in 0..4 {
        let w = (a[i] as u128) * (n as u128) + carry as u128;
        t[i] = w as u64;
        carry = (w >> 64) as u64;
    }
    t[4] = carry;

    let x = (t[4] << 2) | (t[3] >> 62);
    let q = x + (((x as u128) * (MU_LO as u128)) >> 64) as u64;

    let mut r = [0u64; 4];
    let mut carry = 0u64;
    let mut borrow = false;
    for i in 0..4 {
        let w = (q as u128) * (P[i] as u128) + carry as u128;
        carry = (w >> 64) as u64;
        let (d, b1) = t[i].overflowing_sub(w as u64);
        let (d, b2) = d.overflowing_sub(borrow as u64);
        r[i] = d;
        borrow = b1 | b2;
    }
    while geq_p(&r) {
        sub_p(&mut r);
    }
    r
}

#[inline(always)]
fn geq_p(r: &[u64; 4]) -> bool {
    for i in (0..4).rev() {
        if r[i] != P[i] {
            return r[i] > P[i];
        }
    }
    true
}

#[inline(always)]
fn sub_p(r: &mut [u64; 4]) {
    let mut borrow = false;
    for i in 0..4 {
        let (d, b1) = r[i].overflowing_sub(P[i]);
        let (d, b2) = d.overflowing_sub(borrow as u64);
        r[i] = d;
        borrow = b1 | b2;
    }
}

/// A 6-limb unsigned integer: each product a·n of a representative
/// a < p < 2^254 and n < 2^64 is below 2^318, so 2^66 of them fit.
type Wide = [u64; 6];

#[inline(always)]
fn mac_wide(acc: &mut Wide, a: &[u64; 4], n: u64) {
    let mut carry = 0u64;
    for i in 0..4 {
        // a_i·n + acc_i + carry ≤ (2^64 − 1)² + 2·(2^64 − 1) = 2^128 − 1.
        let w = (a[i] as u128) * (n as u128) + acc[i] as u128 + carry as u128;
        acc[i] = w as u64;
        carry = (w >> 64) as u64;
    }
    let w = acc[4] as u128 + carry as u128;
    acc[4] = w as u64;
    acc[5] = acc[5].wrapping_add((w >> 64) as u64);
}

/// The element whose Montgomery representative is x mod p. With R = 2^256,
/// x = lo + x_4·2^256 + x_5·2^320 and the representative x_4·2^256 = x_4·R
/// is that of the element x_4 (and x_5·2^320 that of x_5·2^64).
fn reduce_wide(x: &Wide) -> Fr {
    let mut lo = [x[0], x[1], x[2], x[3]];
    // lo < 2^256 < 6p.
    while geq_p(&lo) {
        sub_p(&mut lo);
    }
    let mut sum = Fr::new_unchecked(BigInt::new(lo));
    if x[4] != 0 {
        sum += Fr::from_u64(x[4]);
    }
    if x[5] != 0 {
        sum += Fr::from_u64(x[5]).mul_u64(1 << 32).mul_u64(1 << 32);
    }
    sum
}

/// [`super::ProductSum`] for BN254: the products' representatives summed
/// as plain integers, positive and negative apart. Since a's
/// representative is a·R, Σ (a_i·R)·n_i = (Σ a_i·n_i)·R is the sum's
/// representative once reduced mod p.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bn254ProductSum {
    positive: Wide,
    negative: Wide,
}

impl super::ProductSum<Fr> for Bn254ProductSum {
    #[inline(always)]
    fn add_product(&mut self, a: &Fr, n: u64) {
        mac_wide(&mut self.positive, &a.0 .0, n);
    }

    #[inline(always)]
    fn sub_product(&mut self, a: &Fr, n: u64) {
        mac_wide(&mut self.negative, &a.0 .0, n);
    }

    fn reduce(&self) -> Fr {
        if self.negative == [0; 6] {
            return reduce_wide(&self.positive);
        }
        reduce_wide(&self.positive) - reduce_wide(&self.negative)
    }
}

impl JoltField for Fr {
    const NUM_BYTES: usize = 32;
    type ProductSum = Bn254ProductSum;

    #[inline]
    fn from_u8(n: u8) -> Self {
        FROM_U8[n as usize]
    }

    #[inline]
    fn from_u64(n: u64) -> Self {
        // Montgomery form of 1 is R mod p; scaling it by n gives n·R mod p.
        Fr::new_unchecked(BigInt::new(mul_u64_reduce(&Fr::ONE.0 .0, n)))
    }

    #[inline]
    fn mul_u64(&self, n: u64) -> Self {
        Fr::new_unchecked(BigInt::new(mul_u64_reduce(&self.0 .0, n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// μ·p ≤ 2^318 < (μ+1)·p, by schoolbook multiplication.
    #[test]
    fn barrett_constant_is_floor_of_2_318_over_p() {
        fn times_p(mu: [u64; 2]) -> [u64; 6] {
            let mut out = [0u64; 6];
            for (i, &m) in mu.iter().enumerate() {
                let mut carry = 0u128;
                for (j, &pj) in P.iter().enumerate() {
                    let w = (m as u128) * (pj as u128) + out[i + j] as u128 + carry;
                    out[i + j] = w as u64;
                    carry = w >> 64;
                }
                let mut k = i + 4;
                while carry != 0 {
                    let w = out[k] as u128 + carry;
                    out[k] = w as u64;
                    carry = w >> 64;
                    k += 1;
                }
            }
            out
        }
        let two_318 = [0, 0, 0, 0, 1u64 << 62, 0];
        let le = |a: &[u64; 6], b: &[u64; 6]| a.iter().rev().cmp(b.iter().rev()).is_le();
        assert!(le(&times_p([MU_LO, 1]), &two_318));
        let next = times_p([MU_LO + 1, 1]);
        assert!(!le(&next, &two_318));
    }
}
