//! Guest: the SHA-256 digest of a byte vector.
#![cfg_attr(feature = "guest", no_std)]

extern crate alloc;

use alloc::vec::Vec;
use sha2::{Digest, Sha256};

#[jolt::provable(max_cycles = 100_000_000)]
pub fn digest(input: Vec<u8>) -> [u8; 32] {
    Sha256::digest(&input).into()
}

/// SHA-256 applied `iterations` times, starting from `seed`: a long run
/// from a short input (about 3,000 cycles an iteration), the benchmark
/// harness's `sha2-chain` and its segmented proofs.
#[jolt::provable(max_cycles = 1_000_000_000)]
pub fn chain(seed: [u8; 32], iterations: u32) -> [u8; 32] {
    let mut hash = seed;
    for _ in 0..iterations {
        hash = Sha256::digest(hash).into();
    }
    hash
}
