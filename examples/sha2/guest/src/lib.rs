//! Guest: the SHA-256 digest of a byte vector.
#![cfg_attr(feature = "guest", no_std)]

extern crate alloc;

use alloc::vec::Vec;
use sha2::{Digest, Sha256};

#[jolt::provable(max_cycles = 100_000_000)]
pub fn digest(input: Vec<u8>) -> [u8; 32] {
    Sha256::digest(&input).into()
}
