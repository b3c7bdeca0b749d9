//! A std guest exercising the platform layer the runtime gives std:
//! console output, stdin, arguments and environment, panics, randomness
//! and running out of heap.

use std::io::Read;

/// Prints to stdout and stderr, and reports what stdin, the arguments
/// and the environment hold: (stdin bytes, argument count, whether HOME
/// is set, `word` uppercased).
#[jolt::provable(max_cycles = 10_000_000)]
pub fn console(word: String) -> (Vec<u8>, u32, bool, String) {
    print!("to stdout: ");
    println!("{word}");
    eprintln!("to stderr: {}", word.len());
    let mut stdin = Vec::new();
    std::io::stdin()
        .read_to_end(&mut stdin)
        .expect("stdin reads");
    let args = std::env::args().count() as u32;
    let home = std::env::var("HOME").is_ok();
    (stdin, args, home, word.to_uppercase())
}

/// Panics with a formatted message when `x` is odd.
#[jolt::provable(max_cycles = 10_000_000)]
pub fn half(x: u32) -> u32 {
    assert!(x.is_multiple_of(2), "{x} is odd");
    x / 2
}

/// Uses a `HashMap` with std's default (randomly seeded) hasher.
#[jolt::provable(max_cycles = 10_000_000)]
pub fn random_map(n: u32) -> u32 {
    let mut map = std::collections::HashMap::new();
    for k in 0..n {
        map.insert(k, k * k);
    }
    map.values().sum()
}

/// Allocates `kib` KiB in a 1 MiB memory.
#[jolt::provable(max_cycles = 10_000_000, memory_size = 1048576)]
pub fn allocate(kib: u32) -> u32 {
    let v = vec![1u8; kib as usize * 1024];
    v.iter().map(|&b| b as u32).sum()
}

/// Keeps allocating `chunk`-byte blocks in a 1 MiB memory until the heap
/// is full (zeroed blocks: fresh heap is already zero, so they cost no
/// stores).
#[jolt::provable(max_cycles = 10_000_000, memory_size = 1048576)]
pub fn exhaust(chunk: u32) -> u32 {
    let mut kept = Vec::new();
    loop {
        kept.push(vec![0u8; chunk as usize]);
        if kept.len() == usize::MAX {
            return 0;
        }
    }
}
