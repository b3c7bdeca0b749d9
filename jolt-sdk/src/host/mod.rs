//! Host side: build guest crates for RV32IM and run them on the tracer.

mod builder;

pub use builder::{linker_script, BuildError, GuestBuilder, GUEST_TARGET};
pub use jolt_core::tracer::{
    execute, trace, ElfError, Execution, MemoryLayout, Program, ProgramIO, Trace, TraceError,
    DEFAULT_MAX_CYCLES,
};

/// Why running a guest from the host failed.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("the input does not serialize: {0}")]
    Input(postcard::Error),
    #[error(transparent)]
    Trace(#[from] TraceError),
    #[error("the guest panicked")]
    Panicked,
    #[error("the guest's output does not deserialize as the expected type: {0}")]
    Output(postcard::Error),
}

/// Runs `program` on `input` without recording a trace and decodes its
/// output; also returns the execution summary (cycles, opcode counts).
pub fn execute_guest<I, O>(program: &Program, input: &I, max_cycles: u64) -> Result<(O, Execution), HostError>
where
    I: serde::Serialize + ?Sized,
    O: serde::de::DeserializeOwned,
{
    let bytes = serialize_input(input).map_err(HostError::Input)?;
    let execution = execute(program, &bytes, max_cycles)?;
    if execution.io.panicked {
        return Err(HostError::Panicked);
    }
    let output = deserialize_output(&execution.io.outputs, &program.layout).map_err(HostError::Output)?;
    Ok((output, execution))
}

/// Builds the guest crate in `guest_dir` with the default layout and
/// executes it on `input`: what the example hosts do.
pub fn build_and_execute<I, O>(guest_dir: &str, input: &I) -> Result<(O, Execution), HostError>
where
    I: serde::Serialize + ?Sized,
    O: serde::de::DeserializeOwned,
{
    let program = GuestBuilder::new(guest_dir).build()?;
    execute_guest(&program, input, DEFAULT_MAX_CYCLES)
}

/// Serializes a guest input the way [`crate::read_input`] reads it.
pub fn serialize_input<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, postcard::Error> {
    postcard::to_allocvec(value)
}

/// Deserializes a guest output written by [`crate::write_output`]. The
/// output region is zero padded, so trailing zeros trimmed from
/// `ProgramIO::outputs` are added back before decoding.
pub fn deserialize_output<T: serde::de::DeserializeOwned>(
    outputs: &[u8],
    layout: &MemoryLayout,
) -> Result<T, postcard::Error> {
    let mut padded = outputs.to_vec();
    padded.resize((layout.max_output_size as usize).max(outputs.len()), 0);
    postcard::from_bytes(&padded)
}
