//! Multilinear and univariate polynomials.
//!
//! Conventions used everywhere: a multilinear polynomial in n variables is
//! its table of 2^n evaluations over the Boolean hypercube, and the index
//! bits of an entry, most significant first, are (x_1, …, x_n). A point
//! r = (r_1, …, r_n) is given in the same order, so `r[0]` is the top
//! variable. Sumcheck binds the top variable first, so its challenges come
//! out in this order too.

pub mod dense;
pub mod eq;
pub mod identity;
pub mod split_eq;
pub mod unipoly;

pub use dense::DensePolynomial;
pub use eq::EqPolynomial;
pub use identity::IdentityPolynomial;
pub use split_eq::SplitEqPolynomial;
pub use unipoly::{CompressedUniPoly, UniPoly};

/// Below this many elements a loop stays on the calling thread: a rayon
/// task costs about as much as a few thousand field additions.
pub const PAR_THRESHOLD: usize = 1 << 12;

/// Chunk length for splitting `len` elements across the rayon pool: a few
/// chunks per thread for balance, never smaller than [`PAR_THRESHOLD`].
pub fn par_chunk_len(len: usize) -> usize {
    par_chunk_len_at_least(len, PAR_THRESHOLD)
}

/// [`par_chunk_len`] for loops whose elements are costly enough to split
/// below [`PAR_THRESHOLD`]: a few chunks per thread, never smaller than
/// `min`.
pub fn par_chunk_len_at_least(len: usize, min: usize) -> usize {
    let chunks = 4 * rayon::current_num_threads();
    len.div_ceil(chunks).max(min)
}
