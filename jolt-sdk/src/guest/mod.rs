//! The guest runtime: startup, heap, panics and I/O for RV32IM bare metal
//! (`riscv32im-unknown-none-elf`), and for std guests
//! (`riscv32im-risc0-zkvm-elf`) the platform functions std calls.
//!
//! Region addresses come from symbols the guest builder's linker script
//! defines from the host's `MemoryLayout`, so host and guest agree on them.

mod alloc;
#[cfg(target_os = "zkvm")]
mod console;
pub mod io;
#[cfg(target_os = "zkvm")]
mod platform;
mod start;

/// The address of a linker-script symbol, with its provenance exposed: the
/// regions it names are not Rust allocations, so pointers into them are
/// formed from the address.
macro_rules! symbol_address {
    ($name:literal) => {{
        let address: usize;
        // SAFETY: `la` only materialises the symbol's address.
        unsafe {
            core::arch::asm!(concat!("la {0}, ", $name), out(reg) address, options(nomem, nostack, pure));
        }
        address
    }};
}
pub(crate) use symbol_address;

/// Marks the run as panicked and terminates it. The tracer halts at the
/// termination store; under a Linux user-mode emulator (the differential
/// tests) the `exit` system call that follows ends the process instead.
pub(crate) fn terminate(panicked: bool) -> ! {
    let panic_word = core::ptr::with_exposed_provenance_mut::<u32>(symbol_address!("__jolt_panic"));
    let termination =
        core::ptr::with_exposed_provenance_mut::<u32>(symbol_address!("__jolt_termination"));
    // SAFETY: both words lie in the I/O region the layout reserves for them.
    unsafe {
        if panicked {
            core::ptr::write_volatile(panic_word, 1);
        }
        core::ptr::write_volatile(termination, 1);
        core::arch::asm!("li a7, 93", "ecall", in("a0") panicked as u32, options(noreturn));
    }
}

#[cfg(target_os = "none")]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    terminate(true)
}
