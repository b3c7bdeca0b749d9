//! A guest with several provable functions: argument and return types of
//! every common shape, a panicking function, and cycle-tracker spans.
#![cfg_attr(feature = "guest", no_std)]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub x: i32,
    pub y: i32,
    pub label: String,
}

/// Every argument changed in a way the test can predict.
#[allow(clippy::too_many_arguments)]
#[jolt::provable(
    memory_size = 131072,
    stack_size = 16384,
    max_input_size = 1024,
    max_output_size = 1024
)]
pub fn transform(
    a: u8,
    b: i64,
    c: u128,
    arr: [u16; 4],
    v: Vec<u32>,
    s: String,
    p: Point,
    t: (bool, char),
    o: Option<u32>,
) -> (
    u8,
    i64,
    u128,
    [u16; 4],
    Vec<u32>,
    String,
    Point,
    (bool, char),
    Option<u32>,
) {
    let mut arr = arr;
    arr.reverse();
    let mut s = s;
    s.push('!');
    (
        a.wrapping_add(1),
        -b,
        c.wrapping_mul(3),
        arr,
        v.iter().map(|x| x.wrapping_mul(2)).collect(),
        s,
        Point {
            x: p.y,
            y: p.x,
            label: p.label,
        },
        (!t.0, t.1),
        o.map(|x| x + 1),
    )
}

/// Panics for a nonzero argument.
#[jolt::provable(memory_size = 131072, stack_size = 16384)]
pub fn checked(x: u32) -> u32 {
    assert!(x == 0, "x must be zero");
    x + 7
}

/// Sums a vector in two tracked spans.
#[jolt::provable(memory_size = 131072, stack_size = 16384)]
pub fn tracked(v: Vec<u32>) -> u64 {
    jolt::cycle_tracker::start("sum");
    let sum: u64 = v.iter().map(|&x| x as u64).sum();
    jolt::cycle_tracker::end("sum");
    jolt::cycle_tracker::start("square");
    let square = sum.wrapping_mul(sum);
    jolt::cycle_tracker::end("square");
    square
}

/// Recurses `depth` times with a 256-byte frame: overflows the 4 KiB stack
/// for a depth above about 15.
#[jolt::provable(stack_size = 4096)]
pub fn descend(depth: u32) -> u32 {
    fn go(depth: u32) -> u32 {
        let frame = core::hint::black_box([depth as u8; 256]);
        if depth == 0 {
            0
        } else {
            frame[depth as usize % 256] as u32 % 2 + go(depth - 1)
        }
    }
    go(depth)
}
