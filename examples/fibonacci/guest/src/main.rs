//! Guest: the n-th Fibonacci number, wrapping at 2^128.
#![no_std]
#![no_main]

fn fib(n: u32) -> u128 {
    let (mut a, mut b) = (0u128, 1u128);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

jolt_sdk::entry!(fib);
