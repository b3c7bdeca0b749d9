//! A bump allocator over `[__jolt_heap_start, __jolt_heap_end)`.
//!
//! Guests are short single-threaded runs, so memory is never returned except
//! by freeing or growing the most recent allocation (which makes the common
//! `Vec::push` growth pattern reuse memory in place). Running out returns
//! null, which Rust turns into a panic: the panic word is set.
//!
//! The heap starts out zero (nothing loads there), so a zeroed allocation
//! clears only the part of it that was handed out before: `vec![0; n]` on
//! fresh heap costs no stores, and the proof pays only for the words the
//! program then touches.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;

use super::symbol_address;

pub(super) struct BumpAllocator {
    /// Next free byte; 0 until the first allocation reads the heap start.
    next: Cell<usize>,
    /// One past the highest byte ever handed out (0 before the first
    /// allocation): everything from here up is still zero.
    fresh: Cell<usize>,
}

// SAFETY: the guest runs on a single hart with no threads or interrupts.
unsafe impl Sync for BumpAllocator {}

#[global_allocator]
pub(super) static ALLOCATOR: BumpAllocator = BumpAllocator {
    next: Cell::new(0),
    fresh: Cell::new(0),
};

impl BumpAllocator {
    fn next(&self) -> usize {
        match self.next.get() {
            0 => symbol_address!("__jolt_heap_start"),
            n => n,
        }
    }
}

unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let heap_end = symbol_address!("__jolt_heap_end");
        let start = match self.next().checked_next_multiple_of(layout.align()) {
            Some(s) => s,
            None => return core::ptr::null_mut(),
        };
        match start.checked_add(layout.size()) {
            Some(end) if end <= heap_end => {
                self.next.set(end);
                self.fresh.set(self.fresh.get().max(end));
                core::ptr::with_exposed_provenance_mut(start)
            }
            _ => core::ptr::null_mut(),
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let fresh = self.fresh.get();
        // SAFETY: the caller's contract for `alloc_zeroed` is `alloc`'s.
        let ptr = unsafe { self.alloc(layout) };
        let dirty = fresh.saturating_sub(ptr.addr()).min(layout.size());
        if !ptr.is_null() && dirty > 0 {
            // SAFETY: `ptr` starts a block of `layout.size()` bytes just
            // handed out, and `dirty` is at most that.
            unsafe { core::ptr::write_bytes(ptr, 0, dirty) };
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr.addr() + layout.size() == self.next() {
            self.next.set(ptr.addr());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let heap_end = symbol_address!("__jolt_heap_end");
        let is_last = ptr.addr() + layout.size() == self.next();
        if is_last
            && ptr
                .addr()
                .checked_add(new_size)
                .is_some_and(|end| end <= heap_end)
        {
            self.next.set(ptr.addr() + new_size);
            self.fresh.set(self.fresh.get().max(ptr.addr() + new_size));
            return ptr;
        }
        if new_size <= layout.size() {
            return ptr;
        }
        // SAFETY: the caller guarantees `layout` describes `ptr`'s block and
        // `new_size` with its alignment forms a valid layout.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new_ptr = self.alloc(new_layout);
            if !new_ptr.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new_ptr, layout.size());
            }
            new_ptr
        }
    }
}
