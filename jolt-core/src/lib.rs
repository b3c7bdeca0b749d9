//! The Jolt proof system over BN254.
//!
//! `tracer` runs RV32IM programs and records what every step read and wrote;
//! the proof-system modules turn such a trace into a succinct proof.

pub mod tracer;
