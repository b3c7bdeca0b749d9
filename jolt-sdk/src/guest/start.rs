//! `_start`: set gp and sp, zero .bss, call the guest's `__jolt_main`
//! (defined by `jolt_sdk::entry!` or the generated entry crate), then
//! terminate normally. A std guest first installs its panic hook and
//! flushes stdout before terminating (`platform.rs`).
//!
//! sp is written once, with its final value: the tracer checks every write
//! to sp against the stack's bottom, and `la sp` would pass through an
//! intermediate value.

macro_rules! boot {
    () => {
        r#"
    .section .text.boot, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la t0, __jolt_stack_top
    mv sp, t0
    la t0, __bss_start
    la t1, __bss_end
1:
    bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:
"#
    };
}

#[cfg(target_os = "none")]
core::arch::global_asm!(
    concat!(boot!(), "    call __jolt_main\n    call {finish}\n"),
    finish = sym finish,
);

#[cfg(target_os = "none")]
extern "C" fn finish() -> ! {
    super::terminate(false)
}

#[cfg(target_os = "zkvm")]
core::arch::global_asm!(
    concat!(boot!(), "    call {init}\n    call __jolt_main\n    call {finish}\n"),
    init = sym super::platform::init,
    finish = sym super::platform::finish,
);
