//! The field every polynomial, sumcheck and commitment is generic over.
//!
//! [`JoltField`] is ark-ff's [`PrimeField`] plus the small-value operations
//! the witness needs: most committed entries are bits, bytes or 16-bit
//! chunks, and converting or scaling them with a full Montgomery
//! multiplication would dominate witness generation. The only implementation
//! is BN254's scalar field [`ark_bn254::Fr`] (see [`bn254`]).

mod bn254;

pub use bn254::Bn254ProductSum;

use ark_ff::PrimeField;

/// A prime field with fast conversions from, and multiplication by, small
/// integers.
///
/// Serialization comes from [`PrimeField`]'s `CanonicalSerialize` /
/// `CanonicalDeserialize` bounds; deserialization rejects non-canonical
/// (≥ p) encodings.
pub trait JoltField: PrimeField {
    /// Bytes of one canonical serialized element.
    const NUM_BYTES: usize;

    /// Converts a small integer; by default through [`Self::from_u64`].
    fn from_u8(n: u8) -> Self {
        Self::from_u64(n as u64)
    }
    fn from_u16(n: u16) -> Self {
        Self::from_u64(n as u64)
    }
    fn from_u32(n: u32) -> Self {
        Self::from_u64(n as u64)
    }
    fn from_u64(n: u64) -> Self;
    /// Negative values map to p − |n|.
    fn from_i64(n: i64) -> Self {
        let abs = Self::from_u64(n.unsigned_abs());
        if n < 0 {
            -abs
        } else {
            abs
        }
    }
    fn from_bool(b: bool) -> Self {
        if b {
            Self::one()
        } else {
            Self::zero()
        }
    }
    /// `self · n`, cheaper than a full field multiplication.
    fn mul_u64(&self, n: u64) -> Self;
    /// `self · n` for a signed small integer.
    fn mul_i64(&self, n: i64) -> Self {
        let abs = self.mul_u64(n.unsigned_abs());
        if n < 0 {
            -abs
        } else {
            abs
        }
    }
    /// Replaces every non-zero element by its inverse (one inversion in
    /// total, Montgomery's trick); zeros stay zero.
    fn batch_inverse(values: &mut [Self]) {
        ark_ff::batch_inversion(values);
    }

    /// An unreduced Σ a_i·n_i over small integers n_i (see
    /// [`ProductSum`]).
    type ProductSum: ProductSum<Self>;
}

/// Σ a_i·n_i for field elements a_i and integers |n_i| < 2^64, with one
/// reduction at the end instead of one per product: a sum of k products
/// costs k small multiply-adds and a single reduction. For the weighted
/// sums of small witness values (an R1CS row's ρ^i times its integer
/// value, a random combination of byte columns), where reducing each
/// product would be most of the work.
pub trait ProductSum<F>: Default + Copy + Send + Sync {
    /// Adds a·n.
    fn add_product(&mut self, a: &F, n: u64);
    /// Subtracts a·n.
    fn sub_product(&mut self, a: &F, n: u64);
    /// Adds a·n for a signed n.
    fn add_signed_product(&mut self, a: &F, n: i64) {
        if n < 0 {
            self.sub_product(a, n.unsigned_abs());
        } else {
            self.add_product(a, n as u64);
        }
    }
    /// The sum as a field element.
    fn reduce(&self) -> F;
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::{One, UniformRand, Zero};
    use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn edge_u64() -> Vec<u64> {
        vec![
            0,
            1,
            2,
            3,
            255,
            256,
            65535,
            65536,
            u32::MAX as u64,
            1 << 32,
            u64::MAX - 1,
            u64::MAX,
            0x8000_0000_0000_0000,
        ]
    }

    #[test]
    fn small_conversions_match_from() {
        for n in 0..=u8::MAX {
            assert_eq!(Fr::from_u8(n), Fr::from(n as u64));
        }
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let mut values = edge_u64();
        values.extend((0..1000).map(|_| rand::Rng::gen::<u64>(&mut rng)));
        for n in values {
            assert_eq!(Fr::from_u64(n), Fr::from(n), "from_u64({n})");
            assert_eq!(Fr::from_u32(n as u32), Fr::from(n as u32));
            assert_eq!(Fr::from_u16(n as u16), Fr::from(n as u16));
            let s = n as i64;
            let expected = if s < 0 {
                -Fr::from(s.unsigned_abs())
            } else {
                Fr::from(s as u64)
            };
            assert_eq!(Fr::from_i64(s), expected, "from_i64({s})");
        }
        assert_eq!(Fr::from_i64(i64::MIN), -Fr::from(1u64 << 63));
        assert_eq!(Fr::from_bool(true), Fr::one());
        assert_eq!(Fr::from_bool(false), Fr::zero());
    }

    #[test]
    fn mul_u64_matches_full_multiplication() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let mut elems: Vec<Fr> = (0..200).map(|_| Fr::rand(&mut rng)).collect();
        // Largest Montgomery representatives stress the reduction bound.
        elems.extend([Fr::zero(), Fr::one(), -Fr::one(), -Fr::from(2u64)]);
        let mut scalars = edge_u64();
        scalars.extend((0..50).map(|_| rand::Rng::gen::<u64>(&mut rng)));
        for a in &elems {
            for &n in &scalars {
                assert_eq!(a.mul_u64(n), *a * Fr::from(n), "{a} * {n}");
                assert_eq!(a.mul_i64(n as i64), *a * Fr::from_i64(n as i64));
            }
        }
    }

    #[test]
    fn product_sums_match_field_arithmetic() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let mut elems: Vec<Fr> = (0..100).map(|_| Fr::rand(&mut rng)).collect();
        elems.extend([Fr::zero(), Fr::one(), -Fr::one(), -Fr::from(2u64)]);
        let mut scalars: Vec<i64> = edge_u64().into_iter().map(|n| n as i64).collect();
        scalars.extend([i64::MIN, i64::MAX, -1, -255]);
        // Sums of every length up to a few hundred terms, with the largest
        // representatives and the largest |n| (the top limb's carries).
        for len in [0usize, 1, 2, 5, 43, 300] {
            for trial in 0..20 {
                let mut sum = <Fr as JoltField>::ProductSum::default();
                let mut expected = Fr::zero();
                for k in 0..len {
                    let a = elems[(k * 7 + trial * 13) % elems.len()];
                    let n = scalars[(k * 3 + trial) % scalars.len()];
                    sum.add_signed_product(&a, n);
                    expected += a * Fr::from_i64(n);
                    if k % 5 == 0 {
                        let u = rand::Rng::gen::<u64>(&mut rng);
                        sum.add_product(&a, u);
                        sum.sub_product(&-a, u);
                        expected += a * Fr::from(u) + a * Fr::from(u);
                    }
                }
                assert_eq!(sum.reduce(), expected, "length {len}, trial {trial}");
            }
        }
        // 2^16 products of the largest factors: the sum's top limbs fill.
        let mut sum = <Fr as JoltField>::ProductSum::default();
        let a = -Fr::one();
        for _ in 0..1 << 16 {
            sum.add_product(&a, u64::MAX);
        }
        assert_eq!(sum.reduce(), a * Fr::from(u64::MAX) * Fr::from(1u64 << 16));
    }

    #[test]
    fn batch_inverse_skips_zeros() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let mut v: Vec<Fr> = (0..37).map(|_| Fr::rand(&mut rng)).collect();
        v[5] = Fr::zero();
        let orig = v.clone();
        Fr::batch_inverse(&mut v);
        for (x, y) in orig.iter().zip(&v) {
            if x.is_zero() {
                assert!(y.is_zero());
            } else {
                assert_eq!(*x * y, Fr::one());
            }
        }
    }

    #[test]
    fn serialization_round_trip_and_rejects_non_canonical() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let x = Fr::rand(&mut rng);
        let mut bytes = Vec::new();
        x.serialize_compressed(&mut bytes).unwrap();
        assert_eq!(bytes.len(), Fr::NUM_BYTES);
        assert_eq!(Fr::deserialize_compressed(&bytes[..]).unwrap(), x);
        assert!(Fr::deserialize_compressed(&bytes[..31]).is_err());
        assert!(Fr::deserialize_compressed(&[0xffu8; 32][..]).is_err());
    }
}
