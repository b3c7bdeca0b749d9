//! The Jolt proof system over BN254.
//!
//! `tracer` runs RV32IM programs and records what every step read and wrote;
//! the proof-system modules turn such a trace into a succinct proof.

pub mod codec;
pub mod error;
pub mod field;
pub mod lasso;
pub mod memory;
pub mod opening;
pub mod pcs;
pub mod poly;
pub mod r1cs;
pub mod subprotocols;
#[cfg(any(test, feature = "test-harness"))]
pub mod testing;
pub mod trace_length;
pub mod tracer;
pub mod transcript;
pub mod zkvm;
