//! Guest: the n-th Fibonacci number, wrapping at 2^128.
#![cfg_attr(feature = "guest", no_std)]

#[jolt::provable(max_cycles = 100_000_000)]
pub fn fib(n: u32) -> u128 {
    let (mut a, mut b) = (0u128, 1u128);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}
