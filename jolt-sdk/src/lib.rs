//! The Jolt SDK.
//!
//! **Guest side** (compiled for `riscv32im-unknown-none-elf`): the runtime a
//! guest program links against — `_start`, bss zeroing, a heap allocator, a
//! panic handler that sets the panic word, and typed I/O ([`read_input`],
//! [`write_output`]) through the I/O region with `postcard`. A guest crate is
//! `#![no_std]`, `#![no_main]` and names its entry with [`entry!`].
//!
//! **Host side** (feature `host`): [`host::GuestBuilder`] compiles a guest
//! crate for the RISC-V target and loads it as a [`host::Program`] for the
//! tracer.
#![cfg_attr(not(feature = "host"), no_std)]

#[cfg(all(target_arch = "riscv32", target_os = "none"))]
mod guest;
#[cfg(all(target_arch = "riscv32", target_os = "none"))]
pub use guest::io::{input_bytes, read_input, write_output};

#[cfg(feature = "host")]
pub mod host;

pub mod cycle_tracker;

/// Marks a function as provable: see the crate docs.
pub use jolt_sdk_macros::provable;
/// Re-exported for the code `provable` generates.
#[doc(hidden)]
pub use serde;

/// Defines the guest's entry point: reads the input with [`read_input`],
/// calls `f` on it and writes the result with [`write_output`].
///
/// ```ignore
/// #![no_std]
/// #![no_main]
/// fn fib(n: u32) -> u128 { /* ... */ }
/// jolt_sdk::entry!(fib);
/// ```
#[macro_export]
macro_rules! entry {
    ($f:path) => {
        #[no_mangle]
        pub extern "C" fn __jolt_main() {
            let input = $crate::read_input();
            let output = $f(input);
            $crate::write_output(&output);
        }
    };
}
