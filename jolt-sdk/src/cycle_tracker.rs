//! Cycle-tracking markers for guests: the cycles between
//! `start("label")` and `end("label")` are reported per label by the
//! generated `execute_*` functions (`Summary::cycle_tracker`).
//!
//! Each marker is one RISC-V HINT instruction (`slt x0, ptr, len` to
//! start, `sltu x0, ptr, len` to end): it changes nothing, costs one cycle
//! and proves like any other instruction. Off the RISC-V target (a guest
//! crate compiled for the host) the markers do nothing.

/// Starts the span `label` (a string literal, so the executor can read it
/// from the program image).
#[inline(always)]
pub fn start(label: &'static str) {
    marker::<true>(label)
}

/// Ends the span `label` started last.
#[inline(always)]
pub fn end(label: &'static str) {
    marker::<false>(label)
}

#[inline(always)]
fn marker<const START: bool>(label: &'static str) {
    #[cfg(all(target_arch = "riscv32", any(target_os = "none", target_os = "zkvm")))]
    // SAFETY: writes only x0 (no effect); reads two registers.
    // `nomem` holds: the label is a literal the host reads from the
    // program image, which nothing writes.
    #[allow(clippy::pointers_in_nomem_asm_block)]
    unsafe {
        if START {
            core::arch::asm!("slt x0, {0}, {1}", in(reg) label.as_ptr(), in(reg) label.len(), options(nomem, nostack, preserves_flags));
        } else {
            core::arch::asm!("sltu x0, {0}, {1}", in(reg) label.as_ptr(), in(reg) label.len(), options(nomem, nostack, preserves_flags));
        }
    }
    #[cfg(not(all(target_arch = "riscv32", any(target_os = "none", target_os = "zkvm"))))]
    let _ = label;
}
