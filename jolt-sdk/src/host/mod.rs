//! Host side: build guest crates for RV32IM, run them on the tracer, and
//! prove and verify their runs.

mod builder;
mod provable;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jolt_core::error::VerifyError;
use jolt_core::pcs::PcsError;
use jolt_core::zkvm::{self, Progress, ProveOptions, ZkvmError};

pub use builder::{
    linker_script, BuildError, GuestBuilder, GUEST_STD_FEATURE, GUEST_STD_TARGET, GUEST_TARGET,
};
pub use jolt_core::tracer::{
    execute, execute_with_hints, trace, trace_with_hints, ElfError, Execution, MemoryLayout,
    Program, ProgramIO, Trace, TraceError, DEFAULT_MAX_CYCLES,
};
pub use provable::{
    arg_or, compile_provable, execute_provable, prove_provable, run_main, timed, verify_claimed,
    verify_provable, CycleSpan, Keys, Proof, ProvableConfig, Summary, VerifierKey,
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
    /// `message`: what the guest wrote to stderr (a std guest's panic hook
    /// writes the panic message there; empty for no_std guests).
    #[error("the guest panicked{}", panic_detail(.message))]
    Panicked { message: String },
    /// The proof's `stderr` holds what the guest wrote there (its panic
    /// message).
    #[error("the guest panicked{}; the proof of the panicking run is attached", panic_detail(&.0.stderr))]
    PanickedWithProof(Box<Proof>),
    #[error("invalid memory layout: {0}")]
    Layout(jolt_core::tracer::LayoutError),
    #[error("the guest's output does not deserialize as the expected type: {0}")]
    Output(postcard::Error),
    #[error("the claimed output does not serialize: {0}")]
    OutputEncoding(postcard::Error),
    #[error("proving: {0}")]
    Prove(#[from] ZkvmError),
    #[error("{path}: {source}")]
    Srs { path: PathBuf, source: PcsError },
    #[error("the proof does not verify: {0}")]
    Verify(#[from] VerifyError),
    #[error("proving on the cluster: {0}")]
    Cluster(#[from] jolt_cluster::ClusterError),
}

fn panic_detail(message: &str) -> String {
    match message.trim_end() {
        "" => String::new(),
        m => format!(": {m}"),
    }
}

/// What proving and verifying a run cost.
#[derive(Clone, Debug)]
pub struct ProvedRun {
    /// The verified I/O.
    pub io: ProgramIO,
    /// Real instructions executed.
    pub cycles: u64,
    /// Trace steps (virtual sequences expanded), and T after padding.
    pub steps: usize,
    pub trace_length: u64,
    /// Key generation (development SRS), not part of the prove time.
    pub preprocess_time: Duration,
    /// Tracing through the batched opening.
    pub prove_time: Duration,
    pub verify_time: Duration,
    /// Bytes of the compressed proof.
    pub proof_size: usize,
}

impl ProvedRun {
    /// The lines the example hosts print.
    pub fn report(&self) -> String {
        format!(
            "cycles: {} ({} trace steps, padded to {})\n\
             prove time: {:.3} s ({:.0} cycles/s; keys {:.2} s)\n\
             verify time: {:.1} ms\n\
             proof size: {} bytes\n",
            self.cycles,
            self.steps,
            self.trace_length,
            self.prove_time.as_secs_f64(),
            self.cycles as f64 / self.prove_time.as_secs_f64(),
            self.preprocess_time.as_secs_f64(),
            self.verify_time.as_secs_f64() * 1e3,
            self.proof_size,
        )
    }
}

/// Runs `program` on `input`, proves the run with keys from the INSECURE
/// development SRS, verifies the proof and decodes the output.
pub fn prove_and_verify<I, O>(
    program: &Program,
    input: &I,
    max_cycles: u64,
) -> Result<(O, ProvedRun), HostError>
where
    I: serde::Serialize + ?Sized,
    O: serde::de::DeserializeOwned,
{
    let bytes = serialize_input(input).map_err(HostError::Input)?;
    let run = prove_and_verify_bytes(program, &bytes, max_cycles)?;
    let output = deserialize_output(&run.io.outputs, &program.layout).map_err(HostError::Output)?;
    Ok((output, run))
}

/// [`prove_and_verify`] on serialized input. Not generic, so that the
/// prover and verifier are compiled once, here, and not in every caller
/// (at opt-level 3 rustc does not share generic instances across crates).
fn prove_and_verify_bytes(
    program: &Program,
    bytes: &[u8],
    max_cycles: u64,
) -> Result<ProvedRun, HostError> {
    let start = Instant::now();
    let (trace, hints) = trace_with_hints(program, bytes, max_cycles)?;
    let trace_time = start.elapsed();
    let shape = zkvm::ProofShape::of(program.layout, &trace)?;
    let start = Instant::now();
    let (pk, vk) = zkvm::dev_preprocess(program, shape)?;
    let preprocess_time = start.elapsed();
    let start = Instant::now();
    let options = ProveOptions {
        max_cycles,
        progress: env_progress(),
    };
    let out = zkvm::prove_trace(&pk, trace, &options)?;
    let prove_time = trace_time + start.elapsed();
    let start = Instant::now();
    zkvm::verify(&vk, &out.io, &out.proof)?;
    let verify_time = start.elapsed();
    if out.io.panicked {
        return Err(HostError::Panicked {
            message: String::from_utf8_lossy(&hints.stderr).into_owned(),
        });
    }
    Ok(ProvedRun {
        cycles: out.cycles,
        steps: out.steps,
        trace_length: out.proof.trace_length,
        proof_size: out.proof.size(),
        io: out.io,
        preprocess_time,
        prove_time,
        verify_time,
    })
}

/// Progress lines on stderr when `JOLT_PROGRESS` is set.
pub(crate) fn env_progress() -> Progress {
    match std::env::var_os("JOLT_PROGRESS") {
        Some(_) => Progress::Lines,
        None => Progress::Off,
    }
}

/// Runs `program` on `input` without recording a trace and decodes its
/// output; also returns the execution summary (cycles, opcode counts). A
/// panic is [`HostError::Panicked`] with what the guest wrote to stderr.
pub fn execute_guest<I, O>(
    program: &Program,
    input: &I,
    max_cycles: u64,
) -> Result<(O, Execution), HostError>
where
    I: serde::Serialize + ?Sized,
    O: serde::de::DeserializeOwned,
{
    let bytes = serialize_input(input).map_err(HostError::Input)?;
    let (execution, hints) = execute_with_hints(program, &bytes, max_cycles)?;
    if execution.io.panicked {
        return Err(HostError::Panicked {
            message: String::from_utf8_lossy(&hints.stderr).into_owned(),
        });
    }
    let output =
        deserialize_output(&execution.io.outputs, &program.layout).map_err(HostError::Output)?;
    Ok((output, execution))
}

/// Serializes a guest input the way [`crate::read_input`] reads it.
pub fn serialize_input<T: serde::Serialize + ?Sized>(
    value: &T,
) -> Result<Vec<u8>, postcard::Error> {
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
