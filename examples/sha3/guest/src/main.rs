//! Guest: the Keccak-256 digest of a byte vector.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use sha3::{Digest, Keccak256};

fn digest(input: Vec<u8>) -> [u8; 32] {
    Keccak256::digest(&input).into()
}

jolt_sdk::entry!(digest);
