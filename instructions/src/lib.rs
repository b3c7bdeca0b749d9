//! The RV32IM instruction set as pure data and pure functions.
//!
//! This crate is the single source of truth for what an instruction *means*:
//! the tracer executes through [`semantics`], and the lookup decompositions
//! in [`lookups`] (which `jolt-core::lasso` proves) are tested against the
//! same functions. Nothing here touches machine state.

pub mod decode;
pub mod encode;
pub mod flags;
pub mod lookups;
pub mod opcode;
pub mod semantics;
pub mod subtables;
pub mod virtual_sequences;

pub use decode::{decode, DecodeError, DecodeErrorKind};
pub use opcode::{Format, Instruction, Opcode};

/// Number of architectural integer registers (x0..x31). Indices from here
/// upward are reserved for the virtual registers of virtual sequences.
pub const NUM_ARCH_REGISTERS: usize = 32;
