//! The platform functions the standard library of the
//! `riscv32im-risc0-zkvm-elf` target calls (its `sys/pal/zkvm/abi.rs`),
//! mapped onto this machine, and the std guest's start and panic hook.
//!
//! | function | here |
//! |---|---|
//! | `sys_alloc_aligned`, `sys_alloc_words` | the bump heap (`alloc.rs`); null when it is full |
//! | `sys_read` | fd 0 reads the input bytes (below); other descriptors are at end of file |
//! | `sys_write`, `sys_log` | fd 1 to the host's stdout, fd 2 and `sys_log` to its stderr (`console.rs`); other descriptors are dropped |
//! | `sys_getenv`, `sys_argc`, `sys_argv` | no variables, no arguments |
//! | `sys_rand` | refused: the run panics saying why (a proof must be reproducible) |
//! | `sys_panic` | the message to stderr, then the panic word |
//! | `sys_halt` | normal termination |
//!
//! Running out of heap ends the run as a panic, as in the no_std runtime
//! (std's default would print and abort): the allocation-error hook writes
//! its message to stderr and sets the panic word itself, without the
//! panic machinery, which would need heap to format the message. The
//! panic hook writes the message to stderr and ends the run through the
//! panic word, so a panic is a proven panic; if formatting a panic's
//! message runs out of heap, the allocation-error hook ends the run.
//! `std::process::exit` and `abort` execute an illegal instruction on this
//! target: the run stops with a trace error and cannot be proven.

use core::alloc::{GlobalAlloc, Layout};
use core::fmt::Write as _;
use core::sync::atomic::{AtomicUsize, Ordering};

use super::console::{self, Stream, Writer};

/// What stdin reads: the input region up to its last nonzero byte (the
/// region is zero padded, so this is the canonical form the verifier fixes;
/// input that ends in zero bytes loses them).
fn stdin_bytes() -> &'static [u8] {
    /// One past the last nonzero input byte, plus one; 0 until computed.
    static LEN: AtomicUsize = AtomicUsize::new(0);
    let input = super::io::input_bytes();
    let len = match LEN.load(Ordering::Relaxed) {
        0 => {
            let len = significant_len(input);
            LEN.store(len + 1, Ordering::Relaxed);
            len
        }
        n => n - 1,
    };
    &input[..len]
}

/// One past the last nonzero byte of `bytes`. Scans whole words (one step
/// each; a byte load is a virtual sequence of several).
fn significant_len(bytes: &[u8]) -> usize {
    // SAFETY: every bit pattern is a valid u32.
    let (head, words, tail) = unsafe { bytes.align_to::<u32>() };
    if let Some(i) = tail.iter().rposition(|&b| b != 0) {
        return head.len() + 4 * words.len() + i + 1;
    }
    if let Some(w) = words.iter().rposition(|&w| w != 0) {
        // Little endian: the highest nonzero byte of the word.
        let in_word = 4 - words[w].leading_zeros() as usize / 8;
        return head.len() + 4 * w + in_word;
    }
    head.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1)
}

/// How much of stdin has been read.
static STDIN_READ: AtomicUsize = AtomicUsize::new(0);

#[no_mangle]
unsafe extern "C" fn sys_read(fd: u32, recv_buf: *mut u8, nrequested: usize) -> usize {
    if fd != 0 {
        return 0;
    }
    let input = stdin_bytes();
    let at = STDIN_READ.load(Ordering::Relaxed).min(input.len());
    let n = nrequested.min(input.len() - at);
    if n == 0 {
        return 0;
    }
    // SAFETY: std passes a writable buffer of `nrequested` bytes, and `n`
    // is at most that; the input region does not overlap it.
    unsafe { core::ptr::copy_nonoverlapping(input[at..].as_ptr(), recv_buf, n) };
    STDIN_READ.store(at + n, Ordering::Relaxed);
    n
}

#[no_mangle]
unsafe extern "C" fn sys_write(fd: u32, write_buf: *const u8, nbytes: usize) {
    let stream = match fd {
        1 => Stream::Stdout,
        2 => Stream::Stderr,
        _ => return,
    };
    // SAFETY: std passes `nbytes` readable bytes at `write_buf`.
    console::write(stream, unsafe {
        core::slice::from_raw_parts(write_buf, nbytes)
    });
}

#[no_mangle]
unsafe extern "C" fn sys_log(msg_ptr: *const u8, len: usize) {
    // SAFETY: as `sys_write`.
    unsafe { sys_write(2, msg_ptr, len) };
    console::write(Stream::Stderr, b"\n");
}

#[no_mangle]
unsafe extern "C" fn sys_alloc_aligned(bytes: usize, align: usize) -> *mut u8 {
    match Layout::from_size_align(bytes, align) {
        // SAFETY: the bump allocator serves any layout, zero-sized ones
        // included (it never reads the block).
        Ok(layout) => unsafe { super::alloc::ALLOCATOR.alloc(layout) },
        Err(_) => core::ptr::null_mut(),
    }
}

#[no_mangle]
unsafe extern "C" fn sys_alloc_words(nwords: usize) -> *mut u32 {
    match nwords.checked_mul(4) {
        // SAFETY: as `sys_alloc_aligned`.
        Some(bytes) => unsafe { sys_alloc_aligned(bytes, 4).cast() },
        None => core::ptr::null_mut(),
    }
}

/// No environment: every variable is unset.
#[no_mangle]
extern "C" fn sys_getenv(_: *mut u32, _: usize, _: *const u8, _: usize) -> usize {
    usize::MAX
}

#[no_mangle]
extern "C" fn sys_argc() -> usize {
    0
}

#[no_mangle]
extern "C" fn sys_argv(_: *mut u32, _: usize, _: usize) -> usize {
    0
}

#[no_mangle]
extern "C" fn sys_rand(_: *mut u32, _: usize) {
    panic!(
        "the guest asked for random bytes (sys_rand), which a zkVM cannot give: a proof must \
         come out the same on every run. HashMap::new() and RandomState seed from it; use \
         HashMap::with_hasher(BuildHasherDefault::<DefaultHasher>::default()) or another fixed \
         hasher, and pass any seed the program needs in its input"
    )
}

#[no_mangle]
unsafe extern "C" fn sys_panic(msg_ptr: *const u8, len: usize) -> ! {
    // SAFETY: the caller passes `len` readable bytes.
    unsafe { sys_log(msg_ptr, len) };
    super::terminate(true)
}

#[no_mangle]
extern "C" fn sys_halt() -> ! {
    finish()
}

/// Installs the panic and allocation-error hooks and creates stdout;
/// `_start` calls it before the guest's main.
pub(super) extern "C" fn init() {
    std::alloc::set_alloc_error_hook(|layout| {
        // Formats into the console, not the heap.
        let _ = writeln!(
            Writer(Stream::Stderr),
            "memory allocation of {} bytes failed: the heap is full (raise memory_size)",
            layout.size()
        );
        super::terminate(true)
    });
    std::panic::set_hook(std::boxed::Box::new(|info| {
        // Formatting goes straight to the console, and never re-enters
        // the panicking code's stdout.
        let _ = writeln!(Writer(Stream::Stderr), "{info}");
        super::terminate(true)
    }));
    // stdout's buffer is allocated now, on an empty heap, so that flushing
    // it at the end never allocates (a run that filled its heap and
    // returned must not fail there).
    let _ = std::io::stdout();
}

/// Normal termination, with stdout's buffered line written out first.
pub(super) extern "C" fn finish() -> ! {
    let _ = std::io::Write::flush(&mut std::io::stdout());
    super::terminate(false)
}
