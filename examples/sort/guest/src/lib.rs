//! Guest: sorts `count` pseudo-random u32 values generated from `seed` and
//! returns a checksum of the sorted order.
#![cfg_attr(feature = "guest", no_std)]

extern crate alloc;

use alloc::vec::Vec;

/// (number of values, Σ i·v over the sorted values (wrapping), sorted?)
#[jolt::provable(max_cycles = 100_000_000)]
pub fn sort(seed: u32, count: u32) -> (u32, u64, bool) {
    let mut x = seed | 1;
    let mut values: Vec<u32> = (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        })
        .collect();
    values.sort_unstable();
    let checksum = values
        .iter()
        .enumerate()
        .fold(0u64, |acc, (i, &v)| acc.wrapping_add(i as u64 * v as u64));
    (
        values.len() as u32,
        checksum,
        values.windows(2).all(|w| w[0] <= w[1]),
    )
}
