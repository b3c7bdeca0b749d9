//! The per-step R1CS and its proof: a uniform constraint system written
//! once for one CPU step ([`builder`]), proven for all T steps with Spartan
//! ([`spartan`]), cross-step rules through the successor relation
//! ([`shift`]).
//!
//! Hands on: opening claims on every input column (committed by bytecode,
//! memory checking and Lasso) and every auxiliary column (committed with
//! the R1CS witness), at the outer sumcheck's point, and on the shifted
//! inputs at the shift sumcheck's point.

pub mod builder;
pub mod constraints;
pub mod cpu_witness;
mod outer;
pub mod shift;
pub mod spartan;
pub mod witness;

pub use builder::{Builder, LinearCombination, UniformR1cs, Variable};
pub use spartan::{R1csColumn, SpartanProof};
pub use witness::{compute_aux, NarrowColumn, NarrowedR1csWitness, OwnedR1csWitness, R1csWitness};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) mod cpu_tests;
