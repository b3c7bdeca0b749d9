//! Subtables: the small tables every instruction lookup is decomposed into.
//!
//! A subtable has 2^(2b) entries, indexed by one chunk of a lookup query:
//! for two-operand queries the chunk is `x_i ‖ y_i` (b bits of each
//! operand, x in the high half), for one-operand queries it is 2b bits of
//! the operand. The prover materializes the entries; the verifier only ever
//! evaluates the multilinear extension at a point, in O(log M) (or, for the
//! shift tables, O(W·b)) field operations.
//!
//! Bit order: `r[0]` is the index's most significant bit, the same
//! convention as `jolt_core::poly` (the top variable is the high bit).

mod and;
mod eq;
mod is_zero;
mod left_id;
mod left_is_zero;
mod left_msb;
mod lsb;
mod lts;
mod ltu;
mod or;
mod right_id;
mod right_is_zero;
mod select;
mod sll;
mod sra_sign;
mod srl;
mod xor;

use ark_ff::Field;

use crate::lookups::LookupParams;

/// A table of 2^(2b) small values and its multilinear extension.
pub trait Subtable {
    /// T[index] for `index < 2^(2b)`.
    fn entry(&self, index: u64, p: &LookupParams) -> u64;

    /// The multilinear extension of T at `r` (2b coordinates, `r[0]` the
    /// most significant index bit), without materializing T.
    fn evaluate_mle<F: Field>(&self, r: &[F], p: &LookupParams) -> F;
}

/// Every subtable RV32IM needs. Shift tables depend on the chunk position,
/// because the bits a chunk contributes depend on where it sits in the word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubtableId {
    And,
    Or,
    Xor,
    Eq,
    Ltu,
    Lts,
    Lsb,
    IsZero,
    LeftMsb,
    LeftIsZero,
    RightIsZero,
    LeftId,
    RightId,
    Sll(usize),
    Srl(usize),
    SraSign,
    Select(usize),
}

macro_rules! dispatch {
    ($self:expr, $s:ident => $body:expr) => {
        match $self {
            SubtableId::And => {
                let $s = and::And;
                $body
            }
            SubtableId::Or => {
                let $s = or::Or;
                $body
            }
            SubtableId::Xor => {
                let $s = xor::Xor;
                $body
            }
            SubtableId::Eq => {
                let $s = eq::Eq;
                $body
            }
            SubtableId::Ltu => {
                let $s = ltu::Ltu;
                $body
            }
            SubtableId::Lts => {
                let $s = lts::Lts;
                $body
            }
            SubtableId::Lsb => {
                let $s = lsb::Lsb;
                $body
            }
            SubtableId::IsZero => {
                let $s = is_zero::IsZero;
                $body
            }
            SubtableId::LeftMsb => {
                let $s = left_msb::LeftMsb;
                $body
            }
            SubtableId::LeftIsZero => {
                let $s = left_is_zero::LeftIsZero;
                $body
            }
            SubtableId::RightIsZero => {
                let $s = right_is_zero::RightIsZero;
                $body
            }
            SubtableId::LeftId => {
                let $s = left_id::LeftId;
                $body
            }
            SubtableId::RightId => {
                let $s = right_id::RightId;
                $body
            }
            SubtableId::Sll(i) => {
                let $s = sll::Sll { chunk: i };
                $body
            }
            SubtableId::Srl(i) => {
                let $s = srl::Srl { chunk: i };
                $body
            }
            SubtableId::SraSign => {
                let $s = sra_sign::SraSign;
                $body
            }
            SubtableId::Select(i) => {
                let $s = select::Select { chunk: i };
                $body
            }
        }
    };
}

impl SubtableId {
    pub fn entry(self, index: u64, p: &LookupParams) -> u64 {
        dispatch!(self, s => s.entry(index, p))
    }

    pub fn evaluate_mle<F: Field>(self, r: &[F], p: &LookupParams) -> F {
        dispatch!(self, s => s.evaluate_mle(r, p))
    }

    /// All 2^(2b) entries.
    pub fn materialize(self, p: &LookupParams) -> Vec<u64> {
        (0..p.subtable_size() as u64)
            .map(|i| self.entry(i, p))
            .collect()
    }

    /// Every subtable at these parameters (shift tables only when the
    /// shift amount fits in an operand chunk).
    pub fn all(p: &LookupParams) -> Vec<SubtableId> {
        use SubtableId::*;
        let mut all = vec![
            And,
            Or,
            Xor,
            Eq,
            Ltu,
            Lts,
            Lsb,
            IsZero,
            LeftMsb,
            LeftIsZero,
            RightIsZero,
            LeftId,
            RightId,
        ];
        if p.supports_shifts() {
            all.extend((0..p.chunks).map(Sll));
            all.extend((0..p.chunks).map(Srl));
            all.push(SraSign);
        }
        if p.supports_select() {
            all.extend((0..p.chunks).map(Select));
        }
        all
    }
}

/// Splits a chunk index into its operand halves (x high, y low).
pub(crate) fn split(index: u64, p: &LookupParams) -> (u64, u64) {
    let b = p.operand_chunk_bits();
    (index >> b, index & ((1 << b) - 1))
}

/// Σ_k 2^(n−1−k) · bits[k]: the integer a bit vector (MSB first) encodes.
pub(crate) fn pack<F: Field>(bits: &[F]) -> F {
    bits.iter().fold(F::zero(), |acc, bit| acc.double() + bit)
}

/// eq(bits, s): whether the bit vector (MSB first) equals the integer `s`.
pub(crate) fn eq_integer<F: Field>(bits: &[F], s: u64) -> F {
    let n = bits.len();
    bits.iter().enumerate().fold(F::one(), |acc, (k, bit)| {
        if (s >> (n - 1 - k)) & 1 == 1 {
            acc * bit
        } else {
            acc * (F::one() - bit)
        }
    })
}

/// 2^e as a field element. The combining functions g call this for every
/// pair of every sumcheck round, so below 2^64 it is one conversion, not an
/// exponentiation.
pub(crate) fn pow2<F: Field>(e: u32) -> F {
    if e < 64 {
        F::from(1u64 << e)
    } else {
        F::from(2u64).pow([e as u64])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand::SeedableRng;

    /// The multilinear extension of a materialized table at r, by folding
    /// the top variable first.
    fn mle_from_table(table: &[u64], r: &[Fr]) -> Fr {
        let mut evals: Vec<Fr> = table.iter().map(|&v| Fr::from(v)).collect();
        for r_k in r {
            let half = evals.len() / 2;
            let (lo, hi) = evals.split_at(half);
            evals = lo
                .iter()
                .zip(hi)
                .map(|(l, h)| *l + *r_k * (*h - l))
                .collect();
        }
        evals[0]
    }

    fn check_params(p: LookupParams, points: usize) {
        let mut rng =
            rand_chacha::ChaCha8Rng::seed_from_u64(p.word_bits as u64 * 100 + p.chunks as u64);
        for id in SubtableId::all(&p) {
            let table = id.materialize(&p);
            for _ in 0..points {
                let r: Vec<Fr> = (0..p.log_m()).map(|_| Fr::rand(&mut rng)).collect();
                assert_eq!(
                    id.evaluate_mle(&r, &p),
                    mle_from_table(&table, &r),
                    "{id:?} at {p:?}"
                );
            }
        }
    }

    #[test]
    fn mle_equals_the_extension_of_the_materialized_table_reduced() {
        check_params(LookupParams::new(8, 2), 20);
        check_params(LookupParams::new(8, 4), 20);
        check_params(LookupParams::new(16, 4), 10);
    }

    #[test]
    fn mle_equals_the_extension_of_the_materialized_table_rv32() {
        check_params(LookupParams::RV32, 2);
    }

    /// On hypercube points the MLE is the table itself.
    #[test]
    fn mle_on_the_hypercube_is_the_table() {
        let p = LookupParams::new(8, 2);
        for id in SubtableId::all(&p) {
            for (index, &value) in id.materialize(&p).iter().enumerate() {
                let r: Vec<Fr> = (0..p.log_m())
                    .rev()
                    .map(|k| Fr::from((index >> k) as u64 & 1))
                    .collect();
                assert_eq!(id.evaluate_mle(&r, &p), Fr::from(value), "{id:?}[{index}]");
            }
        }
    }
}
