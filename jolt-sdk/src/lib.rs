//! The Jolt SDK, used as `jolt` (`jolt = { package = "jolt-sdk", ... }`).
//!
//! # Provable functions
//!
//! In a guest *library* crate with features `guest = []` and
//! `host = ["jolt/host"]` (`jolt new` writes one; docs/sdk.md walks
//! through it), mark a plain function:
//!
//! ```
//! # extern crate jolt_sdk as jolt;
//! #[jolt::provable(max_cycles = 1_000_000)]
//! pub fn fib(n: u32) -> u128 {
//!     let (mut a, mut b) = (0u128, 1u128);
//!     for _ in 0..n {
//!         (a, b) = (b, a.wrapping_add(b));
//!     }
//!     a
//! }
//! # fn main() { assert_eq!(fib(10), 55); }
//! ```
//!
//! Settings (all optional): `max_cycles` (default 2^24), `memory_size`, `stack_size`,
//! `max_input_size`, `max_output_size` (bytes; defaults of
//! `MemoryLayout::default`). The function stays callable natively. With
//! feature `guest` (set by the guest builder when it compiles for
//! `riscv32im-unknown-none-elf`) the attribute adds the entry that reads the
//! arguments from the input region, calls the function and writes the
//! return value to the output region. With feature `host` it adds, for
//! `fn fib(n: u32) -> u128`:
//!
//! | function | what it does |
//! |---|---|
//! | `compile_fib() -> Result<Program, HostError>` | builds the guest ELF of `fib` (cargo caches it) |
//! | `preprocess_fib(&Program) -> Result<Keys, HostError>` | verifier key now, prover keys on first proof, sized to the run |
//! | `execute_fib(n) -> Result<(u128, Summary), HostError>` | runs without proving: cycles, steps, per-instruction counts, cycle-tracker spans, what the guest printed |
//! | `prove_fib(&Keys, n) -> Result<(u128, Proof), HostError>` | runs and proves |
//! | `verify_fib(&VerifierKey, n, output, &Proof) -> Result<(), HostError>` | checks the proof against these arguments and output |
//!
//! (`Keys::verifier_key()` gives the `VerifierKey`.) A panicking guest is
//! `HostError::Panicked { message }` from `execute_*` and
//! `HostError::PanickedWithProof(proof)` from `prove_*`; that proof's I/O
//! says `panicked` and [`host::verify_claimed`] accepts it. Unsupported
//! signatures are compile errors at the offending span: generics, `async`,
//! `unsafe`, `extern`, `self`, patterns, references in arguments or return
//! type, types that are not `Serialize + DeserializeOwned`. A crate may hold
//! several provable functions.
//!
//! Keys come from the INSECURE development SRS (docs/zkvm.md) unless given
//! a ceremony file: `preprocess_fib(&program)?.with_srs_file("pot16.ptau")?`
//! takes a snarkjs `.ptau` or this project's SRS format (docs/sdk.md).
//!
//! # Guest runtime
//!
//! Compiled for `riscv32im-unknown-none-elf`: `_start`, bss zeroing, a bump
//! heap allocator (`alloc` is available), a panic handler that sets the
//! panic word, typed I/O (`read_input`, `write_output`) through the I/O
//! region with `postcard`, and [`cycle_tracker`] markers. The lower-level
//! [`entry!`] names the entry of a guest *binary* crate directly.
//!
//! A guest crate that enables this crate's feature `guest-std` is built
//! for `riscv32im-risc0-zkvm-elf` with std compiled from source; the
//! runtime then also provides the platform functions that std calls
//! (heap, console output to the host, stdin from the input region, no
//! environment, no randomness) and a panic hook that ends the run through
//! the panic word (docs/sdk.md, "Guests that use std").
//!
//! # Host side
//!
//! Feature `host`: [`host::GuestBuilder`] compiles a guest for the RISC-V
//! target and loads it for the tracer; [`host::prove_and_verify`] and the
//! functions above prove and verify runs.
// A std guest (target os `zkvm`) links std; every other guest build is no_std.
#![cfg_attr(not(any(feature = "host", target_os = "zkvm")), no_std)]
// The std runtime makes running out of heap a panic, as in no_std guests
// (the guest builder's std builds run with RUSTC_BOOTSTRAP).
#![cfg_attr(target_os = "zkvm", feature(alloc_error_hook))]

#[cfg(all(target_arch = "riscv32", any(target_os = "none", target_os = "zkvm")))]
mod guest;
#[cfg(all(target_arch = "riscv32", any(target_os = "none", target_os = "zkvm")))]
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
