//! The guest's address space (docs/machine.md, memory layout).
//!
//! ```text
//!   input_start  ┌──────────────────────┐
//!                │ input  (max_input)   │  fixed by the verifier
//!   output_start ├──────────────────────┤
//!                │ output (max_output)  │  checked against the claim
//!   panic        ├──────────────────────┤  RAM_BASE − 8
//!   termination  ├──────────────────────┤  RAM_BASE − 4
//!   RAM_BASE     ├──────────────────────┤  0x8000_0000
//!                │ code, data, bss      │
//!                │ stack ↓ (stack_size) │  sp starts at its top
//!                │ heap ↑               │
//!   ram_end      └──────────────────────┘  RAM_BASE + memory_size
//! ```
//!
//! Everything a run can touch is one contiguous range from `input_start`
//! up to the highest heap word it used: the proof's memory window covers
//! that range only, so `memory_size` bounds the heap without costing
//! anything a run does not use. The guest linker script places the stack
//! directly after the image and declares it to the tracer, which stops a
//! run whose sp goes below it (stack overflow into the image).
//!
//! Registers are not addressable by the guest; the proof later prepends
//! them to this space. Everything outside `[input_start, ram_end)` is out of
//! bounds.

use super::error::LayoutError;

/// Where RAM starts: the usual RISC-V base, so bare-metal ELFs load unchanged.
pub const RAM_BASE: u32 = 0x8000_0000;

/// Sizes of the guest's memory regions, in bytes (each a multiple of 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemoryLayout {
    /// RAM above [`RAM_BASE`]: program image, stack and heap.
    pub memory_size: u32,
    /// Bytes reserved for the stack, directly above the image; the heap
    /// starts above it.
    pub stack_size: u32,
    pub max_input_size: u32,
    pub max_output_size: u32,
}

impl Default for MemoryLayout {
    fn default() -> Self {
        MemoryLayout {
            memory_size: Self::DEFAULT_MEMORY_SIZE,
            stack_size: Self::DEFAULT_STACK_SIZE,
            max_input_size: Self::DEFAULT_MAX_INPUT_SIZE,
            max_output_size: Self::DEFAULT_MAX_OUTPUT_SIZE,
        }
    }
}

impl MemoryLayout {
    /// 256 MiB: a proof pays only for the words a run touches, so a large
    /// heap limit is free.
    pub const DEFAULT_MEMORY_SIZE: u32 = 256 << 20;
    pub const DEFAULT_STACK_SIZE: u32 = 64 << 10;
    pub const DEFAULT_MAX_INPUT_SIZE: u32 = 4096;
    pub const DEFAULT_MAX_OUTPUT_SIZE: u32 = 4096;

    /// A layout with the given sizes, checked to fit the 32-bit address space.
    pub fn new(
        memory_size: u64,
        stack_size: u64,
        max_input_size: u64,
        max_output_size: u64,
    ) -> Result<Self, LayoutError> {
        for (field, value) in [
            ("memory_size", memory_size),
            ("stack_size", stack_size),
            ("max_input_size", max_input_size),
            ("max_output_size", max_output_size),
        ] {
            if value % 4 != 0 {
                return Err(LayoutError::Unaligned { field, value });
            }
        }
        if memory_size > (1 << 31) {
            return Err(LayoutError::MemoryTooLarge(memory_size));
        }
        if stack_size > memory_size {
            return Err(LayoutError::StackTooLarge {
                stack: stack_size,
                memory: memory_size,
            });
        }
        let io = max_input_size + max_output_size + 8;
        // Keep the I/O region well clear of address 0 so null stays unmapped.
        if io > (RAM_BASE as u64) / 2 {
            return Err(LayoutError::IoTooLarge(io));
        }
        // Each value was just checked to be at most 2^31.
        Ok(MemoryLayout {
            memory_size: memory_size as u32,
            stack_size: stack_size as u32,
            max_input_size: max_input_size as u32,
            max_output_size: max_output_size as u32,
        })
    }

    /// Address of the termination word: a nonzero store here halts the machine.
    pub fn termination_address(&self) -> u32 {
        RAM_BASE - 4
    }

    /// Address of the panic word: nonzero when the guest panicked.
    pub fn panic_address(&self) -> u32 {
        RAM_BASE - 8
    }

    pub fn output_start(&self) -> u32 {
        self.panic_address() - self.max_output_size
    }

    pub fn input_start(&self) -> u32 {
        self.output_start() - self.max_input_size
    }

    /// Lowest addressable byte: the start of the I/O region.
    pub fn io_start(&self) -> u32 {
        self.input_start()
    }

    /// One past the last RAM byte (2^32 when RAM reaches the top).
    pub fn ram_end(&self) -> u64 {
        RAM_BASE as u64 + self.memory_size as u64
    }

    /// Number of addressable words, I/O region and RAM together.
    pub fn num_words(&self) -> usize {
        ((self.ram_end() - self.io_start() as u64) / 4) as usize
    }

    /// Word index of `address` in `[io_start, ram_end)`, if addressable.
    pub fn word_index(&self, address: u32) -> Option<usize> {
        let offset = address.checked_sub(self.io_start())? as u64;
        if (address as u64) < self.ram_end() {
            Some((offset / 4) as usize)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_contiguous_below_ram() {
        let l = MemoryLayout::default();
        assert_eq!(l.termination_address(), 0x7fff_fffc);
        assert_eq!(l.panic_address(), 0x7fff_fff8);
        assert_eq!(l.output_start() + l.max_output_size, l.panic_address());
        assert_eq!(l.input_start() + l.max_input_size, l.output_start());
        assert_eq!(l.word_index(l.io_start()), Some(0));
        assert_eq!(
            l.word_index(RAM_BASE),
            Some(((RAM_BASE - l.io_start()) / 4) as usize)
        );
        assert_eq!(l.word_index(l.io_start() - 1), None);
        assert_eq!(l.word_index((l.ram_end()) as u32), None);
        assert_eq!(
            l.num_words(),
            l.word_index((l.ram_end() - 4) as u32).unwrap() + 1
        );
    }

    #[test]
    fn invalid_sizes_are_rejected() {
        assert!(matches!(
            MemoryLayout::new(6, 0, 0, 0),
            Err(LayoutError::Unaligned { .. })
        ));
        assert!(matches!(
            MemoryLayout::new(1 << 32, 0, 0, 0),
            Err(LayoutError::MemoryTooLarge(_))
        ));
        assert!(matches!(
            MemoryLayout::new(4096, 8192, 0, 0),
            Err(LayoutError::StackTooLarge { .. })
        ));
        assert!(matches!(
            MemoryLayout::new(4096, 0, 1 << 31, 0),
            Err(LayoutError::IoTooLarge(_))
        ));
        let top = MemoryLayout::new(1 << 31, 4096, 16, 16).unwrap();
        assert_eq!(top.ram_end(), 1 << 32);
        assert_eq!(top.word_index(0xffff_fffc), Some(top.num_words() - 1));
    }
}
