//! Errors of loading and running a guest: each names what was wrong and where.

use instructions::DecodeError;

/// Why an ELF file cannot be loaded as an RV32IM guest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ElfError {
    #[error("not an ELF file: the file is {len} bytes and does not start with \\x7fELF")]
    NotElf { len: usize },
    #[error("truncated ELF: {what}")]
    Truncated { what: String },
    #[error("64-bit ELF: this machine runs 32-bit RISC-V (RV32IM) programs only")]
    Not32Bit,
    #[error("big-endian ELF: RISC-V programs are little-endian")]
    BigEndian,
    #[error("ELF is for machine {machine} ({name}), not RISC-V (243)")]
    NotRiscV { machine: u16, name: &'static str },
    #[error("ELF type {e_type} is not an executable (ET_EXEC = 2); link the guest statically without PIE")]
    NotExecutable { e_type: u16 },
    #[error("malformed ELF: {0}")]
    Malformed(String),
    #[error(
        "segment at {vaddr:#010x} with {memsz} bytes lies outside RAM \
         [{ram_start:#010x}, {ram_end:#x}); raise --memory-size or relink the guest"
    )]
    SegmentOutOfRange {
        vaddr: u32,
        memsz: u64,
        ram_start: u32,
        ram_end: u64,
    },
    #[error("segment at {vaddr:#010x}: file bytes {offset}..{end} lie beyond the file's {file_len} bytes")]
    SegmentOutsideFile {
        vaddr: u32,
        offset: u64,
        end: u64,
        file_len: usize,
    },
    #[error("segment at {vaddr:#010x}: file size {filesz} exceeds memory size {memsz}")]
    SegmentFileSizeTooLarge { vaddr: u32, filesz: u64, memsz: u64 },
    #[error("segments at {first:#010x} and {second:#010x} overlap")]
    SegmentOverlap { first: u32, second: u32 },
    #[error("executable segment at {vaddr:#010x} is not 4-byte aligned")]
    MisalignedCode { vaddr: u32 },
    #[error("entry point {entry:#010x} is not inside an executable segment")]
    EntryNotInCode { entry: u32 },
    #[error(
        "the stack symbols declare [{bottom:#010x}, {top:#010x}), which is not a range inside RAM"
    )]
    BadStack { bottom: u64, top: u64 },
}

/// Why a run of the machine stopped before the guest terminated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TraceError {
    #[error(transparent)]
    Unsupported(#[from] DecodeError),
    #[error("{kind} at pc {pc:#010x}: the guest ABI has no environment calls (a guest ends by writing the termination word)")]
    EnvironmentCall { pc: u32, kind: &'static str },
    #[error("misaligned {width}-byte access to {address:#010x} at pc {pc:#010x}")]
    Misaligned { pc: u32, address: u32, width: u32 },
    #[error("access to {address:#010x} at pc {pc:#010x} is outside memory (I/O [{io_start:#010x}, 0x80000000), RAM [0x80000000, {ram_end:#x}))")]
    OutOfBounds {
        pc: u32,
        address: u32,
        io_start: u32,
        ram_end: u64,
    },
    #[error("store to {address:#010x} at pc {pc:#010x} would modify the program's code")]
    WriteToCode { pc: u32, address: u32 },
    #[error("jump at pc {pc:#010x} to {target:#010x}, which is not 4-byte aligned")]
    MisalignedJump { pc: u32, target: u32 },
    #[error("pc {pc:#010x} is outside the program's code")]
    PcOutOfCode { pc: u32 },
    #[error("the program did not terminate within {max_cycles} cycles (raise --max-cycles if it should)")]
    CycleLimit { max_cycles: u64 },
    #[error("assertion `{instruction}` of the virtual sequence at pc {pc:#010x} failed: the advice was wrong")]
    AssertionFailed { pc: u32, instruction: String },
    #[error(
        "stack overflow at pc {pc:#010x}: sp = {sp:#010x} is below the stack's bottom {bottom:#010x} \
         ({size} bytes of stack; raise stack_size)"
    )]
    StackOverflow {
        pc: u32,
        sp: u32,
        bottom: u32,
        size: u32,
    },
    #[error("input of {len} bytes exceeds the layout's max_input_size of {max} bytes")]
    InputTooLarge { len: usize, max: u32 },
}

/// A memory layout whose sizes do not fit the address space.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    #[error("{field} = {value} must be a multiple of 4")]
    Unaligned { field: &'static str, value: u64 },
    #[error("memory_size = {0} bytes is more than the 2 GiB above 0x80000000")]
    MemoryTooLarge(u64),
    #[error("stack_size = {stack} does not fit in memory_size = {memory}")]
    StackTooLarge { stack: u64, memory: u64 },
    #[error("I/O region of {0} bytes does not fit below 0x80000000")]
    IoTooLarge(u64),
}
