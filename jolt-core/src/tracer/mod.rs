//! The tracer: loads a guest ELF into a [`Program`] and runs it on the RV32IM
//! [`Emulator`], producing the [`Trace`] the prover proves.
//!
//! Hands on: the steps (every register and RAM value read or written), the
//! final memory and registers, and the public [`ProgramIO`]; for a run
//! proven in segments, where it is cut and the state at each cut
//! ([`segments`]).

pub mod emulator;
pub mod error;
pub mod hints;
pub mod io;
pub mod layout;
pub mod program;
pub mod segments;

pub use emulator::{
    execute, execute_with, trace, trace_with, Emulator, Execution, RamAccess, RegisterRead,
    RegisterWrite, Step, Trace, DEFAULT_MAX_CYCLES, NUM_REGISTERS,
};
pub use error::{ElfError, LayoutError, TraceError};
pub use hints::{execute_with_hints, trace_with_hints, Hints};
pub use io::ProgramIO;
pub use layout::{MemoryLayout, RAM_BASE};
pub use program::{
    CodeSegment, Program, Segment, StackRegion, STACK_BOTTOM_SYMBOL, STACK_TOP_SYMBOL,
};
pub use segments::{
    MachineState, RunEnd, RunSegment, SegmentError, SegmentStream, MAX_SEGMENT_LOG_STEPS,
    MIN_SEGMENT_LOG_STEPS,
};
