//! Test support, not part of the library's API: compiled for this crate's
//! own tests and, in other crates, only with feature `test-harness` (the
//! benchmark harness and the workspace's tests enable it).
//!
//! - [`programs`]: instruction shorthands and the one random-program
//!   generator the memory, R1CS and QEMU tests share.
//! - [`apt`]: tools from Debian's packages, installed when missing.
//! - [`elf`]: a minimal ELF32 writer for programs built from instructions.
//! - [`qemu`]: differential runs against `qemu-riscv32` (installs Debian's
//!   `qemu-user` when it is missing).
//! - [`tamper`]: the malicious-prover harness.
//! - [`lasso`]: Lasso proven on its own, with its chunks' fraction sums.
//! - [`claims_hold`]: the test opening oracle.

pub mod apt;
pub mod elf;
pub mod lasso;
pub mod programs;
pub mod qemu;
pub mod tamper;

use crate::field::JoltField;
use crate::opening::OpeningClaim;
use crate::pcs::Column;
use crate::poly::DensePolynomial;

/// The opening oracle of tests, in place of the PCS: every claim is the
/// multilinear extension of its column (`column` finds it; `None` fails the
/// claim) at the claim's point.
pub fn claims_hold<'a, C: Copy, F: JoltField>(
    column: impl Fn(C) -> Option<Column<'a, F>>,
    claims: &[OpeningClaim<C, F>],
) -> bool {
    claims.iter().all(|claim| {
        let Some(values) = column(claim.column) else {
            return false;
        };
        let poly = DensePolynomial::new(values.to_field());
        poly.num_vars() == claim.point.len() && poly.evaluate(&claim.point) == claim.value
    })
}
