//! Guest: runs each M-extension instruction on every operand pair, with the
//! instructions written out in assembly so the compiler cannot fold,
//! reorder or guard them (division by zero included).
#![cfg_attr(feature = "guest", no_std)]

extern crate alloc;

use alloc::vec::Vec;
#[cfg(target_arch = "riscv32")]
use core::arch::asm;

#[cfg(target_arch = "riscv32")]
macro_rules! r_type {
    ($mnemonic:literal, $a:expr, $b:expr) => {{
        let rd: u32;
        // SAFETY: a pure register-to-register instruction.
        unsafe {
            asm!(concat!($mnemonic, " {0}, {1}, {2}"), out(reg) rd, in(reg) $a, in(reg) $b,
                 options(pure, nomem, nostack));
        }
        rd
    }};
}

/// Off RISC-V (the host build of this crate) the same results from Rust
/// integer arithmetic, so a host can compare natively.
#[cfg(not(target_arch = "riscv32"))]
macro_rules! r_type {
    ($mnemonic:literal, $a:expr, $b:expr) => {{
        let (a, b): (u32, u32) = ($a, $b);
        let (sa, sb) = (a as i32 as i64, b as i32 as i64);
        match $mnemonic {
            "mul" => a.wrapping_mul(b),
            "mulh" => ((sa * sb) >> 32) as u32,
            "mulhsu" => ((sa * b as i64) >> 32) as u32,
            "mulhu" => ((a as u64 * b as u64) >> 32) as u32,
            "div" if b == 0 => u32::MAX,
            "div" => (a as i32).wrapping_div(b as i32) as u32,
            "divu" => a.checked_div(b).unwrap_or(u32::MAX),
            "rem" if b == 0 => a,
            "rem" => (a as i32).wrapping_rem(b as i32) as u32,
            _ => a.checked_rem(b).unwrap_or(a),
        }
    }};
}

/// For each (a, b): [mul, mulh, mulhsu, mulhu, div, divu, rem, remu].
#[jolt::provable(max_cycles = 100_000_000)]
pub fn muldiv(pairs: Vec<(u32, u32)>) -> Vec<[u32; 8]> {
    pairs
        .into_iter()
        .map(|(a, b)| {
            [
                r_type!("mul", a, b),
                r_type!("mulh", a, b),
                r_type!("mulhsu", a, b),
                r_type!("mulhu", a, b),
                r_type!("div", a, b),
                r_type!("divu", a, b),
                r_type!("rem", a, b),
                r_type!("remu", a, b),
            ]
        })
        .collect()
}
