//! What the functions `#[jolt::provable]` generates call: build the guest
//! entry of one function, make keys, execute, prove and verify with typed
//! arguments and outputs (serialized with postcard, as the guest reads and
//! writes them).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use instructions::Opcode;
use jolt_core::pcs::HyperKzg;
use jolt_core::tracer::io::trim_trailing_zeros;
use jolt_core::zkvm::{self, ProofFile, ProofFileError, ProveOptions};

use super::{
    deserialize_output, serialize_input, trace, GuestBuilder, HostError, MemoryLayout, Program,
    ProgramIO, DEFAULT_MAX_CYCLES,
};

/// The verifier key of a provable function's program.
pub type VerifierKey = zkvm::VerifierKey<HyperKzg>;

/// The attribute's settings; `None` takes the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProvableConfig {
    pub max_cycles: Option<u64>,
    pub memory_size: Option<u64>,
    pub stack_size: Option<u64>,
    pub max_input_size: Option<u64>,
    pub max_output_size: Option<u64>,
}

impl ProvableConfig {
    pub const fn max_cycles(&self) -> u64 {
        match self.max_cycles {
            Some(c) => c,
            None => DEFAULT_MAX_CYCLES,
        }
    }

    /// The memory layout: the given sizes over [`MemoryLayout::default`]'s.
    pub fn layout(&self) -> Result<MemoryLayout, HostError> {
        let d = MemoryLayout::default();
        MemoryLayout::new(
            self.memory_size.unwrap_or(d.memory_size as u64),
            self.stack_size.unwrap_or(d.stack_size as u64),
            self.max_input_size.unwrap_or(d.max_input_size as u64),
            self.max_output_size.unwrap_or(d.max_output_size as u64),
        )
        .map_err(HostError::Layout)
    }
}

/// Builds the guest entry of `function` in the guest crate at
/// `manifest_dir` for the configured layout.
pub fn compile_provable(
    manifest_dir: &str,
    function: &str,
    config: &ProvableConfig,
) -> Result<Program, HostError> {
    Ok(GuestBuilder::new(manifest_dir)
        .layout(config.layout()?)
        .function(function)
        .build()?)
}

/// One labelled span of `jolt::cycle_tracker::start` / `end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleSpan {
    pub label: String,
    /// Real instructions between the markers (summed over every time the
    /// span ran).
    pub cycles: u64,
}

/// What an execution did, without a proof.
#[derive(Clone, Debug)]
pub struct Summary {
    pub io: ProgramIO,
    /// Real instructions executed.
    pub cycles: u64,
    /// Trace steps once virtual sequences are expanded.
    pub steps: u64,
    /// Trace steps per opcode (virtual ones included), most frequent first.
    pub instruction_counts: Vec<(Opcode, u64)>,
    /// Cycles per cycle-tracker label, in order of first start.
    pub cycle_tracker: Vec<CycleSpan>,
}

/// Runs the program on `input` without proving.
pub fn execute_provable<I, O>(
    program: &Program,
    input: &I,
    max_cycles: u64,
) -> Result<(O, Summary), HostError>
where
    I: serde::Serialize + ?Sized,
    O: serde::de::DeserializeOwned,
{
    let bytes = serialize_input(input).map_err(HostError::Input)?;
    let run = super::tracker::execute_tracked(program, &bytes, max_cycles)?;
    let mut counts = run.execution.opcode_counts;
    counts.sort_by(|a, b| b.1.cmp(&a.1));
    let summary = Summary {
        io: run.execution.io,
        cycles: run.execution.cycles,
        steps: run.execution.steps,
        instruction_counts: counts,
        cycle_tracker: run.spans,
    };
    if summary.io.panicked {
        return Err(HostError::Panicked);
    }
    let output =
        deserialize_output(&summary.io.outputs, &program.layout).map_err(HostError::Output)?;
    Ok((output, summary))
}

/// The keys of one program: the verifier key, and prover keys made on
/// first use, sized to the run (INSECURE development SRS; docs/zkvm.md).
pub struct Keys {
    program: Program,
    vk: VerifierKey,
    max_cycles: u64,
    prover: Mutex<Option<zkvm::ProverKey<HyperKzg>>>,
}

impl Keys {
    pub fn new(program: &Program, max_cycles: u64) -> Result<Self, HostError> {
        Ok(Keys {
            program: program.clone(),
            vk: zkvm::dev_verifier_key(program)?,
            max_cycles,
            prover: Mutex::new(None),
        })
    }

    pub fn verifier_key(&self) -> &VerifierKey {
        &self.vk
    }

    pub fn program(&self) -> &Program {
        &self.program
    }
}

/// A proof with the I/O it claims.
#[derive(Clone, Debug)]
pub struct Proof {
    pub io: ProgramIO,
    pub proof: zkvm::Proof<HyperKzg>,
    /// Real instructions the run executed.
    pub cycles: u64,
    /// Trace steps (virtual sequences expanded) before padding.
    pub steps: usize,
    pub prove_time: Duration,
    /// Tracing, then each prover phase.
    pub phases: Vec<(&'static str, Duration)>,
}

impl Proof {
    /// The proof file (`jolt verify` reads it) for the program of `vk`.
    pub fn to_bytes(&self, vk: &VerifierKey) -> Vec<u8> {
        ProofFile {
            digest: vk.digest,
            io: self.io.clone(),
            proof: self.proof.clone(),
        }
        .to_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofFileError> {
        let file = ProofFile::<HyperKzg>::from_bytes(bytes)?;
        Ok(Proof {
            io: file.io,
            proof: file.proof,
            cycles: 0,
            steps: 0,
            prove_time: Duration::ZERO,
            phases: Vec::new(),
        })
    }

    /// Bytes of the compressed proof.
    pub fn size(&self) -> usize {
        self.proof.size()
    }

    /// The lines the example hosts print: cycles, prove time (tracing
    /// included, key generation not), verify time, proof size.
    pub fn report(&self, verify_time: Duration) -> String {
        format!(
            "cycles: {} (padded to {} steps)\n\
             prove time: {:.3} s ({:.0} cycles/s)\n\
             verify time: {:.1} ms\n\
             proof size: {} bytes\n",
            self.cycles,
            self.proof.trace_length,
            self.prove_time.as_secs_f64(),
            self.cycles as f64 / self.prove_time.as_secs_f64(),
            verify_time.as_secs_f64() * 1e3,
            self.size(),
        )
    }
}

/// Runs `f` and measures it.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// Runs the program on `input` and proves the run. A panicking guest is
/// [`HostError::PanickedWithProof`]: its proof verifies with
/// [`verify_claimed`], and its I/O says `panicked`.
pub fn prove_provable<I, O>(keys: &Keys, input: &I) -> Result<(O, Proof), HostError>
where
    I: serde::Serialize + ?Sized,
    O: serde::de::DeserializeOwned,
{
    let bytes = serialize_input(input).map_err(HostError::Input)?;
    let start = Instant::now();
    let trace = trace(&keys.program, &bytes, keys.max_cycles)?;
    let trace_time = start.elapsed();
    let log_t = zkvm::padded_log_steps(trace.steps.len());
    let mut prover = keys.prover.lock().unwrap_or_else(|p| p.into_inner());
    if prover.as_ref().is_none_or(|pk| pk.max_log_steps < log_t) {
        *prover = Some(zkvm::dev_preprocess(&keys.program, log_t)?.0);
    }
    // Set just above.
    let pk = prover.as_ref().expect("prover key");
    let options = ProveOptions {
        max_cycles: keys.max_cycles,
        progress: super::env_progress(),
        ..ProveOptions::default()
    };
    let start_prove = Instant::now();
    let out = zkvm::prove_trace(pk, trace, &options)?;
    let mut phases = vec![("trace", trace_time)];
    phases.extend(out.phases.0.iter().copied());
    let proof = Proof {
        io: out.io,
        proof: out.proof,
        cycles: out.cycles,
        steps: out.steps,
        phases,
        // Tracing and proving; key generation is not part of it.
        prove_time: trace_time + start_prove.elapsed(),
    };
    if proof.io.panicked {
        return Err(HostError::PanickedWithProof(Box::new(proof)));
    }
    let output =
        deserialize_output(&proof.io.outputs, &keys.program.layout).map_err(HostError::Output)?;
    Ok((output, proof))
}

/// Checks that `proof` shows the program returning `output` on `input`
/// (the statement comes from the arguments, not from the proof).
pub fn verify_provable<I, O>(
    vk: &VerifierKey,
    input: &I,
    output: &O,
    proof: &Proof,
) -> Result<(), HostError>
where
    I: serde::Serialize + ?Sized,
    O: serde::Serialize,
{
    let io = ProgramIO {
        inputs: serialize_input(input).map_err(HostError::Input)?,
        outputs: trim_trailing_zeros(
            &postcard::to_allocvec(output).map_err(HostError::OutputEncoding)?,
        )
        .to_vec(),
        panicked: false,
    };
    Ok(zkvm::verify(vk, &io, &proof.proof)?)
}

/// Checks `proof` against the I/O it claims (e.g. a panicking run's).
pub fn verify_claimed(vk: &VerifierKey, proof: &Proof) -> Result<(), HostError> {
    Ok(zkvm::verify(vk, &proof.io, &proof.proof)?)
}

/// Command-line argument `index` parsed as `T`, or `default` when absent;
/// exits with status 2 and a one-line message when it does not parse.
pub fn arg_or<T: std::str::FromStr>(index: usize, default: T, what: &str) -> T
where
    T::Err: std::fmt::Display,
{
    match std::env::args().nth(index).map(|s| s.parse::<T>()) {
        None => default,
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            eprintln!("error: argument {index} must be {what}: {e}");
            std::process::exit(2);
        }
    }
}

/// Runs a host's `main` body: an error is printed on one line and the
/// process exits with status 1.
pub fn run_main(body: impl FnOnce() -> Result<(), Box<dyn std::error::Error>>) {
    if let Err(e) = body() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
