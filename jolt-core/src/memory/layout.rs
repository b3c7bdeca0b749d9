//! The remapped, word-addressed space of read-write memory checking,
//! `[registers | I/O | RAM]`, and the multilinear extensions of its regions
//! that the verifier evaluates itself.
//!
//! | index | word |
//! |---|---|
//! | 0 … 39 | registers x0 … x31, virtual registers x32 … x39 |
//! | 40 | the *sink*: the rd of every bytecode row that writes no register (rd = x0 or no rd), never read |
//! | 41 … 63 | unused (zero, never accessed) |
//! | 64 + i | word i of the tracer's `[io_start, ram_end)`: input, output, panic word, termination word, RAM |
//! | 64 + num_words … M − 1 | padding to a power of two (unreachable) |
//!
//! The RAM slot of a step may only touch `[64, 64 + num_words)`: its tuples
//! carry a tag that only this region's Init and Final tuples carry (see
//! [`super::read_write`]).

use crate::field::JoltField;
use crate::poly::EqPolynomial;
use crate::tracer::{MemoryLayout, NUM_REGISTERS};
use std::ops::Range;

/// Words reserved for registers at the bottom of the address space.
pub const REGISTER_BLOCK: usize = 64;

/// Where writes to x0, and steps that write no register, put their rd
/// value: a register no row ever reads, so x0 is never written.
pub const SINK_REGISTER: u8 = NUM_REGISTERS as u8;

const _: () = assert!(NUM_REGISTERS < REGISTER_BLOCK);

/// The address space of one memory layout: M = 2^num_vars words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressSpace {
    layout: MemoryLayout,
    num_vars: usize,
}

impl AddressSpace {
    pub fn new(layout: MemoryLayout) -> Self {
        let words = REGISTER_BLOCK + layout.num_words();
        AddressSpace {
            layout,
            num_vars: words.next_power_of_two().trailing_zeros() as usize,
        }
    }

    pub fn layout(&self) -> &MemoryLayout {
        &self.layout
    }

    /// log2 M.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// M, the number of words (a power of two).
    pub fn size(&self) -> usize {
        1 << self.num_vars
    }

    /// Index of the aligned word holding byte `address`, if it is in
    /// `[io_start, ram_end)` and aligned.
    pub fn word(&self, address: u32) -> Option<usize> {
        if !address.is_multiple_of(4) {
            return None;
        }
        self.layout.word_index(address).map(|i| REGISTER_BLOCK + i)
    }

    /// The byte address of word `index` of the I/O + RAM region.
    pub fn byte_address(&self, index: usize) -> Option<u32> {
        self.ram_region()
            .contains(&index)
            .then(|| self.layout.io_start() + 4 * (index - REGISTER_BLOCK) as u32)
    }

    /// The words the RAM slot may access: the I/O words and RAM.
    pub fn ram_region(&self) -> Range<usize> {
        REGISTER_BLOCK..REGISTER_BLOCK + self.layout.num_words()
    }

    /// The word index of a region start given as a byte address of the
    /// layout (always in range).
    fn region_word(&self, address: u32) -> usize {
        REGISTER_BLOCK + ((address - self.layout.io_start()) / 4) as usize
    }

    pub fn input_start(&self) -> usize {
        self.region_word(self.layout.input_start())
    }

    pub fn output_start(&self) -> usize {
        self.region_word(self.layout.output_start())
    }

    pub fn panic_word(&self) -> usize {
        self.region_word(self.layout.panic_address())
    }

    pub fn termination_word(&self) -> usize {
        self.region_word(self.layout.termination_address())
    }

    /// Variables of the smallest aligned sub-cube at index 0 that holds the
    /// registers and every I/O word: the output check runs over it.
    pub fn io_num_vars(&self) -> usize {
        let end = self.termination_word() + 1;
        end.next_power_of_two().trailing_zeros() as usize
    }
}

/// The multilinear extension of [x < bound] over x ∈ {0,1}^n, n = r.len(),
/// at r, in O(n): x < bound iff at the first bit where they differ, x has
/// 0 and bound has 1.
pub fn less_than_mle<F: JoltField>(r: &[F], bound: u64) -> F {
    let n = r.len();
    if n < 64 && bound >= 1u64 << n {
        return F::one();
    }
    let mut total = F::zero();
    // Π_{j<i} eq(r_j, bound_j): the prefix agrees with the bound.
    let mut prefix = F::one();
    for (i, r_i) in r.iter().enumerate() {
        if (bound >> (n - 1 - i)) & 1 == 1 {
            total += prefix * (F::one() - r_i);
            prefix *= r_i;
        } else {
            prefix *= F::one() - r_i;
        }
    }
    total
}

/// The multilinear extension of the indicator of `range` at r.
pub fn interval_mle<F: JoltField>(r: &[F], range: Range<usize>) -> F {
    less_than_mle(r, range.end as u64) - less_than_mle(r, range.start as u64)
}

/// Σ_k v_k·eq(r, i_k) for sparse entries (i_k, v_k), each i_k < 2^n: the
/// evaluation at r of the table that is v_k at i_k and zero elsewhere.
///
/// The low variables' eq table (≤ 2^10 entries) is built once; entries
/// sharing their high bits are summed first and multiplied by eq of the
/// high bits once, so sorted entries cost one small-scalar product each.
pub fn sparse_mle<F: JoltField>(r: &[F], entries: impl IntoIterator<Item = (usize, u64)>) -> F {
    let n = r.len();
    let low = n.min(10);
    let (r_high, r_low) = r.split_at(n - low);
    let eq_low = EqPolynomial::evals_scaled(r_low, F::one());
    let eq_high = |prefix: usize| -> F {
        r_high
            .iter()
            .enumerate()
            .map(|(j, r_j)| {
                if (prefix >> (r_high.len() - 1 - j)) & 1 == 1 {
                    *r_j
                } else {
                    F::one() - r_j
                }
            })
            .product()
    };
    let mask = (1usize << low) - 1;
    let mut total = F::zero();
    let mut current: Option<(usize, F)> = None;
    for (index, value) in entries {
        let prefix = index >> low;
        let term = eq_low[index & mask].mul_u64(value);
        match &mut current {
            Some((p, acc)) if *p == prefix => *acc += term,
            _ => {
                if let Some((p, acc)) = current {
                    total += eq_high(p) * acc;
                }
                current = Some((prefix, term));
            }
        }
    }
    if let Some((p, acc)) = current {
        total += eq_high(p) * acc;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::DensePolynomial;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    fn random_point(n: usize, rng: &mut ChaCha20Rng) -> Vec<Fr> {
        (0..n).map(|_| Fr::rand(rng)).collect()
    }

    #[test]
    fn regions_follow_the_tracer_layout() {
        let layout = MemoryLayout::default();
        let space = AddressSpace::new(layout);
        assert!(space.size() >= REGISTER_BLOCK + layout.num_words());
        assert!(space.size() / 2 < REGISTER_BLOCK + layout.num_words());
        assert_eq!(space.word(layout.io_start()), Some(REGISTER_BLOCK));
        assert_eq!(space.input_start(), REGISTER_BLOCK);
        assert_eq!(space.termination_word(), space.panic_word() + 1);
        assert_eq!(
            space.word(layout.termination_address()),
            Some(space.termination_word())
        );
        assert_eq!(space.word(crate::tracer::RAM_BASE + 2), None);
        assert_eq!(space.word(layout.io_start() - 4), None);
        let last = (layout.ram_end() - 4) as u32;
        assert_eq!(space.word(last), Some(space.ram_region().end - 1));
        assert_eq!(space.byte_address(space.ram_region().end - 1), Some(last));
        assert_eq!(space.byte_address(3), None);
        assert!(space.termination_word() < 1 << space.io_num_vars());
        assert!(space.io_num_vars() <= space.num_vars());
    }

    #[test]
    fn region_mles_match_their_tables() {
        let mut rng = ChaCha20Rng::seed_from_u64(70);
        for n in [0usize, 1, 3, 7] {
            let size = 1usize << n;
            for _ in 0..10 {
                let lo = (rng.next_u32() as usize) % (size + 1);
                let hi = lo + (rng.next_u32() as usize) % (size + 1 - lo);
                let table: Vec<Fr> = (0..size)
                    .map(|i| Fr::from((lo..hi).contains(&i) as u64))
                    .collect();
                let r = random_point(n, &mut rng);
                assert_eq!(
                    interval_mle(&r, lo..hi),
                    DensePolynomial::new(table).evaluate(&r)
                );
            }
        }
    }

    #[test]
    fn sparse_mle_matches_the_dense_table() {
        let mut rng = ChaCha20Rng::seed_from_u64(71);
        for n in [0usize, 4, 10, 11, 14] {
            let size = 1usize << n;
            let mut table = vec![0u64; size];
            for _ in 0..(size / 3).max(1) {
                table[(rng.next_u32() as usize) % size] = rng.next_u32() as u64;
            }
            let r = random_point(n, &mut rng);
            let entries = table
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .map(|(i, v)| (i, *v));
            let dense = DensePolynomial::from_u64s(&table).evaluate(&r);
            assert_eq!(sparse_mle(&r, entries), dense, "n = {n}");
        }
    }
}
