//! Console output for std guests: each write is one RISC-V HINT that names
//! the bytes, which the host's executor copies out (`Summary::stdout` and
//! `stderr`).
//!
//! `and x0, ptr, len` writes to stdout, `or x0, ptr, len` to stderr. Like
//! the cycle-tracker markers these write only x0: they change neither the
//! machine state nor what the proof states, and a proven run carries the
//! bytes nowhere. Each write costs one cycle besides formatting.

/// Where a write goes.
#[derive(Clone, Copy)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

/// Hands `bytes` to the host's console.
#[inline(always)]
pub(crate) fn write(stream: Stream, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    // SAFETY: writes only x0 (no effect); reads two registers. The bytes
    // stay valid for the instruction, which is when the executor reads them.
    unsafe {
        match stream {
            Stream::Stdout => {
                core::arch::asm!("and x0, {0}, {1}", in(reg) bytes.as_ptr(), in(reg) bytes.len(), options(readonly, nostack, preserves_flags))
            }
            Stream::Stderr => {
                core::arch::asm!("or x0, {0}, {1}", in(reg) bytes.as_ptr(), in(reg) bytes.len(), options(readonly, nostack, preserves_flags))
            }
        }
    }
}

/// A `core::fmt::Write` over one stream that never allocates (the panic
/// hook formats through it, possibly with the heap exhausted).
pub(crate) struct Writer(pub(crate) Stream);

impl core::fmt::Write for Writer {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        write(self.0, s.as_bytes());
        Ok(())
    }
}
