//! Guest: allocates a zeroed buffer of `kib` KiB on the heap, writes one
//! word in every KiB of it and its last word, and reads them back. The
//! proof's memory window grows with the heap a run touches, not with the
//! layout's `memory_size` (256 MiB by default).
#![cfg_attr(feature = "guest", no_std)]

extern crate alloc;

use alloc::vec;

/// Words between two touched words: one per KiB.
const STRIDE: usize = 256;

/// (bytes allocated, sum of the words read back)
#[jolt::provable(max_cycles = 100_000_000)]
pub fn touch(kib: u32) -> (u32, u64) {
    let words = kib as usize * 1024 / 4;
    // Fresh heap is zero already, so this costs no stores.
    let mut buffer = vec![0u32; words];
    for k in (0..words).step_by(STRIDE) {
        buffer[k] = (k as u32).wrapping_mul(0x9e37_79b9) | 1;
    }
    if let Some(last) = buffer.last_mut() {
        *last = 7;
    }
    let sum = buffer
        .iter()
        .step_by(STRIDE)
        .chain(buffer.last())
        .map(|&w| w as u64)
        .sum();
    ((words * 4) as u32, sum)
}
