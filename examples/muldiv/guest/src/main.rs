//! Guest: runs each M-extension instruction on every operand pair, with the
//! instructions written out in assembly so the compiler cannot fold,
//! reorder or guard them (division by zero included).
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use core::arch::asm;

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

/// For each (a, b): [mul, mulh, mulhsu, mulhu, div, divu, rem, remu].
fn muldiv(pairs: Vec<(u32, u32)>) -> Vec<[u32; 8]> {
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

jolt_sdk::entry!(muldiv);
