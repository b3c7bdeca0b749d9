//! The remapped, word-addressed space of read-write memory checking,
//! `[registers | I/O | RAM]`, the window of it a proof covers, and the
//! multilinear extensions of its regions that the verifier evaluates
//! itself.
//!
//! | index | word |
//! |---|---|
//! | 0 … 39 | registers x0 … x31, virtual registers x32 … x39 |
//! | 40 | the *sink*: the rd of every bytecode row that writes no register (rd = x0 or no rd), never read |
//! | 41 … 63 | unused (zero, never accessed) |
//! | 64 + i | word i of the tracer's `[io_start, ram_end)`: input, output, panic word, termination word, RAM |
//!
//! **Window.** A proof covers only the first M = 2^m words, m stated in the
//! proof: the prover picks the smallest m whose window holds every word
//! the run reached (the guest layout keeps those words contiguous from
//! index 0: I/O, image, stack, then the heap in use), but at least T
//! ([`AddressSpace::for_run`]), and the verifier
//! accepts m between [`AddressSpace::min_num_vars`] (registers, I/O and
//! image) and the whole layout's. A word outside the window has no Init
//! tuple, so no run that touches it can balance; the window's words above
//! `ram_end` (if the whole layout is covered) are padding.
//!
//! The RAM slot of a step may only touch [`AddressSpace::ram_region`]: its
//! tuples carry a tag that only this region's Init and Final tuples carry
//! (see [`super::read_write`]).

use crate::field::JoltField;
use crate::poly::EqPolynomial;
use crate::trace_length::TraceLength;
use crate::tracer::{MemoryLayout, NUM_REGISTERS};
use std::ops::Range;

/// Words reserved for registers at the bottom of the address space.
pub const REGISTER_BLOCK: usize = 64;

/// Where writes to x0, and steps that write no register, put their rd
/// value: a register no row ever reads, so x0 is never written.
pub const SINK_REGISTER: u8 = NUM_REGISTERS as u8;

const _: () = assert!(NUM_REGISTERS < REGISTER_BLOCK);

/// ⌈log2 n⌉ (0 for n ≤ 1).
fn log2_ceil(n: usize) -> usize {
    n.max(1).next_power_of_two().trailing_zeros() as usize
}

/// A window of the address space of one memory layout: the first
/// M = 2^num_vars words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressSpace {
    layout: MemoryLayout,
    num_vars: usize,
}

impl AddressSpace {
    /// The whole layout: registers, I/O and all of RAM.
    pub fn full(layout: MemoryLayout) -> Self {
        AddressSpace {
            layout,
            num_vars: log2_ceil(REGISTER_BLOCK + layout.num_words()),
        }
    }

    /// The smallest window holding the first `words` words of the layout's
    /// `[io_start, ram_end)` (the tracer's `final_memory`) and every I/O
    /// word.
    pub fn covering(layout: MemoryLayout, words: usize) -> Self {
        let full = Self::full(layout);
        let num_vars = log2_ceil(REGISTER_BLOCK + words)
            .max(full.io_num_vars())
            .min(full.num_vars);
        AddressSpace { layout, num_vars }
    }

    /// The window of 2^num_vars words a proof states, if it holds at least
    /// `min_num_vars` variables and at most the whole layout.
    pub fn window(layout: MemoryLayout, num_vars: usize, min_num_vars: usize) -> Option<Self> {
        let full = Self::full(layout);
        (min_num_vars.max(full.io_num_vars())..=full.num_vars)
            .contains(&num_vars)
            .then_some(AddressSpace { layout, num_vars })
    }

    /// The window a run of `trace_length` steps proves over, whose tracer
    /// memory (`Trace::final_memory`) has `words` words: the smallest
    /// covering them, but at least T words (within the layout), so that
    /// its Init and Final products share the range cells' leaf point (one
    /// opening point less; the 4T operations dominate the cost either
    /// way).
    pub fn for_run(layout: MemoryLayout, words: usize, trace_length: TraceLength) -> Self {
        let full = Self::full(layout);
        let covering = Self::covering(layout, words);
        AddressSpace {
            layout,
            num_vars: covering
                .num_vars
                .max(trace_length.log_t().min(full.num_vars)),
        }
    }

    /// Variables of the smallest window holding the registers, the I/O
    /// words and the image words up to index `image_end` (exclusive).
    pub fn min_num_vars(layout: MemoryLayout, image_end: usize) -> usize {
        Self::covering(layout, image_end.saturating_sub(REGISTER_BLOCK)).num_vars
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
    /// `[io_start, ram_end)`, aligned, and inside the window.
    pub fn word(&self, address: u32) -> Option<usize> {
        if !address.is_multiple_of(4) {
            return None;
        }
        self.layout
            .word_index(address)
            .map(|i| REGISTER_BLOCK + i)
            .filter(|&i| i < self.size())
    }

    /// The byte address of word `index` of the I/O + RAM region.
    pub fn byte_address(&self, index: usize) -> Option<u32> {
        self.ram_region()
            .contains(&index)
            .then(|| self.layout.io_start() + 4 * (index - REGISTER_BLOCK) as u32)
    }

    /// The words of the window the RAM slot may access: the I/O words and
    /// RAM, up to the window's end.
    pub fn ram_region(&self) -> Range<usize> {
        REGISTER_BLOCK..(REGISTER_BLOCK + self.layout.num_words()).min(self.size())
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
        log2_ceil(self.termination_word() + 1)
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
        let layout = MemoryLayout::new(4 << 20, 64 << 10, 4096, 4096).unwrap();
        let space = AddressSpace::full(layout);
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
