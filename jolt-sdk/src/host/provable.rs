//! What the functions `#[jolt::provable]` generates call: build the guest
//! entry of one function, make keys, execute, prove and verify with typed
//! arguments and outputs (serialized with postcard, as the guest reads and
//! writes them).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use instructions::Opcode;
use jolt_core::pcs::{HyperKzg, PcsError, Srs};
use jolt_core::tracer::io::trim_trailing_zeros;
use jolt_core::tracer::segments::{SegmentError, MAX_SEGMENT_LOG_STEPS, MIN_SEGMENT_LOG_STEPS};
use jolt_core::zkvm::{self, budget, ProofFile, ProofFileError, ProofShape, ProveOptions};

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
    /// What a std guest printed to stdout and stderr (`print!`,
    /// `eprintln!`, ...), invalid UTF-8 replaced. Printing is not part of
    /// what a proof states.
    pub stdout: String,
    pub stderr: String,
}

/// Runs the program on `input` without proving. A panic is
/// [`HostError::Panicked`] with what the guest wrote to stderr.
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
    let (execution, hints) = super::execute_with_hints(program, &bytes, max_cycles)?;
    let mut counts = execution.opcode_counts;
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let summary = Summary {
        io: execution.io,
        cycles: execution.cycles,
        steps: execution.steps,
        instruction_counts: counts,
        cycle_tracker: hints
            .spans
            .into_iter()
            .map(|(label, cycles)| CycleSpan { label, cycles })
            .collect(),
        stdout: String::from_utf8_lossy(&hints.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&hints.stderr).into_owned(),
    };
    if summary.io.panicked {
        return Err(HostError::Panicked {
            message: summary.stderr,
        });
    }
    let output =
        deserialize_output(&summary.io.outputs, &program.layout).map_err(HostError::Output)?;
    Ok((output, summary))
}

/// The keys of one program: the verifier key, and prover keys made on
/// first use, sized to the run. From the INSECURE development SRS
/// ([`Keys::new`]) or from an SRS file ([`Keys::from_srs_file`]).
pub struct Keys {
    program: Program,
    vk: VerifierKey,
    max_cycles: u64,
    /// Runs longer than 2^this steps are proven in segments of at most
    /// that many steps.
    segment_log_steps: u32,
    /// The SRS file; `None` for the development SRS.
    srs: Option<PathBuf>,
    /// Prove on the workers of this Redis (docs/cluster.md) instead of
    /// here, giving up after the timeout if one is set.
    redis: Option<String>,
    redis_timeout: Option<Duration>,
    prover: Mutex<Option<zkvm::ProverKey<HyperKzg>>>,
}

impl Keys {
    /// Keys from the INSECURE development SRS (docs/zkvm.md).
    pub fn new(program: &Program, max_cycles: u64) -> Result<Self, HostError> {
        Ok(Keys {
            program: program.clone(),
            vk: zkvm::dev_verifier_key(program)?,
            max_cycles,
            segment_log_steps: budget::default_segment_log_steps(budget::available_memory()),
            srs: None,
            redis: None,
            redis_timeout: None,
            prover: Mutex::new(None),
        })
    }

    /// Keys from an SRS file: this project's format (`jolt srs import`,
    /// `Srs::save`) or a snarkjs `.ptau` file, told apart by content. The
    /// verifier key is made now; each prover key on the first proof that
    /// needs it, reading 2^[`zkvm::srs_num_vars`] G1 powers from a `.ptau`
    /// (a file in this project's format is read whole each time).
    pub fn from_srs_file(
        program: &Program,
        max_cycles: u64,
        srs: impl AsRef<Path>,
    ) -> Result<Self, HostError> {
        let path = srs.as_ref().to_path_buf();
        let vk = zkvm::verifier_key(program, &open_srs(&path, 0)?)?;
        Ok(Keys {
            program: program.clone(),
            vk,
            max_cycles,
            segment_log_steps: budget::default_segment_log_steps(budget::available_memory()),
            srs: Some(path),
            redis: None,
            redis_timeout: None,
            prover: Mutex::new(None),
        })
    }

    /// The same program and cycle limit with keys from an SRS file
    /// ([`Keys::from_srs_file`]), e.g.
    /// `preprocess_fib(&program)?.with_srs_file("pot16_final.ptau")?`.
    pub fn with_srs_file(self, srs: impl AsRef<Path>) -> Result<Self, HostError> {
        let mut keys = Keys::from_srs_file(&self.program, self.max_cycles, srs)?;
        keys.segment_log_steps = self.segment_log_steps;
        keys.redis = self.redis;
        keys.redis_timeout = self.redis_timeout;
        Ok(keys)
    }

    /// The same keys proving runs longer than 2^`log_steps` steps in
    /// segments of at most that many steps (docs/segments.md). Refused if
    /// such a segment needs more memory than is available now, or the
    /// size is outside 2^4..=2^28. The default is the largest size that
    /// proves in at most 4 GB and in the memory available when the keys
    /// were made.
    pub fn with_segment_log_steps(mut self, log_steps: u32) -> Result<Self, HostError> {
        if !(MIN_SEGMENT_LOG_STEPS..=MAX_SEGMENT_LOG_STEPS).contains(&log_steps) {
            return Err(zkvm::ZkvmError::Segments(SegmentError::SegmentSize { log_steps }).into());
        }
        budget::check_segment_size(log_steps, budget::available_memory())?;
        self.segment_log_steps = log_steps;
        Ok(self)
    }

    /// The same keys proving every run on the workers (`jolt worker`) of
    /// the Redis at `url` (`redis://HOST:PORT`), in segments of at most
    /// 2^[`Keys::segment_log_steps`] steps: this process traces the run,
    /// publishes the segments, checks each proof that comes back and
    /// verifies the whole (docs/cluster.md). The workers must use the same
    /// SRS.
    pub fn with_redis(mut self, url: impl Into<String>) -> Self {
        self.redis = Some(url.into());
        self
    }

    /// With [`Keys::with_redis`]: `prove_*` gives up with
    /// `ClusterError::Timeout` when the segments are not all proven after
    /// `timeout` (by default it waits as long as it takes).
    pub fn with_redis_timeout(mut self, timeout: Duration) -> Self {
        self.redis_timeout = Some(timeout);
        self
    }

    /// The Redis runs are proven through, if any.
    pub fn redis(&self) -> Option<&str> {
        self.redis.as_deref()
    }

    /// Runs longer than 2^this steps are proven in segments.
    pub fn segment_log_steps(&self) -> u32 {
        self.segment_log_steps
    }

    /// The SRS file the keys come from; `None` for the development SRS.
    pub fn srs_file(&self) -> Option<&Path> {
        self.srs.as_deref()
    }

    /// A prover key for proofs up to `max_shape`.
    fn prover_key(&self, max_shape: ProofShape) -> Result<zkvm::ProverKey<HyperKzg>, HostError> {
        Ok(match &self.srs {
            None => zkvm::dev_preprocess(&self.program, max_shape)?.0,
            Some(path) => {
                let srs = open_srs(path, zkvm::srs_num_vars(&self.program, max_shape))?;
                zkvm::preprocess(&self.program, &srs, max_shape)?.0
            }
        })
    }

    pub fn verifier_key(&self) -> &VerifierKey {
        &self.vk
    }

    pub fn program(&self) -> &Program {
        &self.program
    }
}

/// A proof with the I/O it claims: one proof of the whole run, or one per
/// segment of a run longer than the keys' segment size.
#[derive(Clone, Debug)]
pub struct Proof {
    pub io: ProgramIO,
    /// In segment order; one for a run proven whole.
    pub proofs: Vec<zkvm::Proof<HyperKzg>>,
    /// Real instructions the run executed.
    pub cycles: u64,
    /// Trace steps (virtual sequences expanded) before padding.
    pub steps: usize,
    pub prove_time: Duration,
    /// Tracing, then each prover phase.
    pub phases: Vec<(&'static str, Duration)>,
    /// What a std guest printed while the proven run was traced (not part
    /// of the proof or its file; empty in a proof read from bytes).
    pub stdout: String,
    pub stderr: String,
}

impl Proof {
    /// The proof file (`jolt verify` reads it) for the program of `vk`.
    pub fn to_bytes(&self, vk: &VerifierKey) -> Vec<u8> {
        ProofFile {
            digest: vk.digest,
            io: self.io.clone(),
            proofs: self.proofs.clone(),
        }
        .to_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofFileError> {
        let file = ProofFile::<HyperKzg>::from_bytes(bytes)?;
        Ok(Proof {
            io: file.io,
            proofs: file.proofs,
            cycles: 0,
            steps: 0,
            prove_time: Duration::ZERO,
            phases: Vec::new(),
            stdout: String::new(),
            stderr: String::new(),
        })
    }

    /// Bytes of the compressed proofs.
    pub fn size(&self) -> usize {
        self.proofs.iter().map(zkvm::Proof::size).sum()
    }

    /// Bytes per part of the proofs ([`zkvm::Proof::parts`]), each part
    /// summed over the segments; they add up to [`Self::size`].
    pub fn parts(&self) -> Vec<(String, usize)> {
        let mut parts: Vec<(String, usize)> = Vec::new();
        for (name, bytes) in self.proofs.iter().flat_map(zkvm::Proof::parts) {
            match parts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, total)) => *total += bytes,
                None => parts.push((name, bytes)),
            }
        }
        parts
    }

    /// The padded steps of the largest proof (the whole run's, or the
    /// longest segment's).
    pub fn trace_length(&self) -> u64 {
        self.proofs
            .iter()
            .map(|p| p.trace_length)
            .max()
            .unwrap_or(0)
    }

    /// Number of segments (1 for a run proven whole).
    pub fn segments(&self) -> usize {
        self.proofs.len()
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
            self.trace_length(),
            self.prove_time.as_secs_f64(),
            self.cycles as f64 / self.prove_time.as_secs_f64(),
            verify_time.as_secs_f64() * 1e3,
            self.size(),
        )
    }
}

/// Reads an SRS file of either format ([`Srs::open`]); fewer powers than
/// `max_num_vars` needs is an error naming the file.
fn open_srs(path: &Path, max_num_vars: usize) -> Result<Srs, HostError> {
    let named = |source| HostError::Srs {
        path: path.to_path_buf(),
        source,
    };
    let srs = Srs::open(path, max_num_vars).map_err(named)?;
    let (needed, have) = (Srs::g1_powers_for(max_num_vars), srs.g1_powers().len());
    if have < needed {
        return Err(named(PcsError::SrsTooSmall {
            what: "G1 powers",
            needed,
            have,
        }));
    }
    Ok(srs)
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
    finish_proof(keys, prove_input_bytes(keys, &bytes)?)
}

/// [`prove_provable`] on serialized input. Not generic, so that the
/// prover is compiled once, here, and not again in every crate with a
/// provable function: at opt-level 3 rustc does not share generic
/// instances across crates, and each guest crate took a minute to build.
fn prove_input_bytes(keys: &Keys, bytes: &[u8]) -> Result<Proof, HostError> {
    let start = Instant::now();
    let options = ProveOptions {
        max_cycles: keys.max_cycles,
        progress: super::env_progress(),
    };
    // A first run without a trace: its length decides whole or segments,
    // and it collects what the guest printed.
    let (execution, hints) = super::execute_with_hints(&keys.program, bytes, keys.max_cycles)?;
    if let Some(url) = &keys.redis {
        let options = jolt_cluster::ClusterOptions {
            log_steps: keys.segment_log_steps,
            max_cycles: keys.max_cycles,
            max_attempts: 3,
            progress: !matches!(options.progress, zkvm::Progress::Off),
            timeout: keys.redis_timeout,
        };
        let out = jolt_cluster::prove_on_cluster(url, &keys.program, &keys.vk, bytes, &options)?;
        let proof = Proof {
            io: out.io,
            proofs: out.proofs,
            cycles: out.cycles,
            steps: out.steps as usize,
            phases: vec![
                ("trace and publish", out.publish_time),
                ("segments on the cluster", out.wait_time),
                ("verify the chain", out.verify_time),
            ],
            prove_time: start.elapsed(),
            stdout: String::from_utf8_lossy(&hints.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&hints.stderr).into_owned(),
        };
        return Ok(proof);
    }
    let segmented = execution.steps > 1 << keys.segment_log_steps;
    let (trace, plan) = if segmented {
        let plan = zkvm::SegmentPlan::new(
            &keys.vk.memory,
            &keys.program,
            bytes,
            keys.segment_log_steps,
            keys.max_cycles,
        )?;
        (None, Some(plan))
    } else {
        (Some(trace(&keys.program, bytes, keys.max_cycles)?), None)
    };
    let trace_time = start.elapsed();
    let shape = match (&trace, &plan) {
        (Some(trace), _) => ProofShape::of(keys.program.layout, trace)?,
        // One of the two is set just above.
        (None, plan) => plan.as_ref().expect("a plan").shape()?,
    };
    let mut prover = keys.prover.lock().unwrap_or_else(|p| p.into_inner());
    match prover.as_ref() {
        Some(pk) if pk.max_shape.covers(&shape) => {}
        // A key for this run and every earlier one.
        Some(pk) => *prover = Some(keys.prover_key(pk.max_shape.max(shape))?),
        None => *prover = Some(keys.prover_key(shape)?),
    }
    // Set just above.
    let pk = prover.as_ref().expect("prover key");
    let start_prove = Instant::now();
    let (io, proofs, cycles, steps, prover_phases) = match (trace, plan) {
        (Some(trace), _) => {
            let out = zkvm::prove_trace(pk, trace, &options)?;
            (out.io, vec![out.proof], out.cycles, out.steps, out.phases)
        }
        (None, plan) => {
            let plan = plan.expect("a plan");
            let out = zkvm::prove_planned(pk, &plan, bytes, &options)?;
            let steps = out.steps as usize;
            (out.io, out.proofs, out.cycles, steps, out.phases)
        }
    };
    let mut phases = vec![("trace", trace_time)];
    phases.extend(prover_phases.0.iter().copied());
    let proof = Proof {
        io,
        proofs,
        cycles,
        steps,
        phases,
        // Tracing and proving; key generation is not part of it.
        prove_time: trace_time + start_prove.elapsed(),
        stdout: String::from_utf8_lossy(&hints.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&hints.stderr).into_owned(),
    };
    Ok(proof)
}

/// The output of a proven run, or the proof of a panicking one as an
/// error.
fn finish_proof<O: serde::de::DeserializeOwned>(
    keys: &Keys,
    proof: Proof,
) -> Result<(O, Proof), HostError> {
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
    verify_io(vk, &io, proof)
}

/// Checks `proof` against the I/O it claims (e.g. a panicking run's).
pub fn verify_claimed(vk: &VerifierKey, proof: &Proof) -> Result<(), HostError> {
    verify_io(vk, &proof.io, proof)
}

/// Checks `proof`'s segments against `io`; not generic, for the reason
/// [`prove_input_bytes`] is not.
fn verify_io(vk: &VerifierKey, io: &ProgramIO, proof: &Proof) -> Result<(), HostError> {
    Ok(zkvm::verify_segments(vk, io, &proof.proofs)?)
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

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fq;
    use instructions::{Instruction, Opcode::*};
    use jolt_core::testing::elf::{build_elf, ElfSegment};
    use jolt_core::tracer::RAM_BASE;
    use jolt_core::zkvm::TraceLength;

    /// Adds one to the first input word and writes it as the first output
    /// word, in 64 KiB of RAM (the smallest SRS a proof can use: 2^16).
    fn increment() -> Program {
        let l = MemoryLayout::default();
        let hi = |a: u32| (a.wrapping_add(0x800) & 0xffff_f000) as i32;
        let lo = |a: u32| ((a << 20) as i32) >> 20;
        let i = |op, rd, rs1, rs2, imm| Instruction::new(op, rd, rs1, rs2, imm);
        let code = [
            i(Lui, 5, 0, 0, hi(l.input_start())),
            i(Lw, 6, 5, 0, lo(l.input_start())),
            i(Addi, 6, 6, 0, 1),
            i(Lui, 5, 0, 0, hi(l.output_start())),
            i(Sw, 0, 5, 6, lo(l.output_start())),
            i(Addi, 6, 0, 0, 1),
            i(Lui, 5, 0, 0, hi(l.termination_address())),
            i(Sw, 0, 5, 6, lo(l.termination_address())),
        ];
        let elf = build_elf(RAM_BASE, &[ElfSegment::code(RAM_BASE, &code)]);
        let layout = MemoryLayout::new(64 << 10, 64 << 10, 4096, 4096).unwrap();
        Program::from_elf(&elf, layout).unwrap()
    }

    /// A `.ptau` file of `power` holding `srs`'s G1 and G2 powers (the
    /// snarkjs layout: coordinates little endian in Montgomery form; points
    /// beyond those in `srs` are zeros, which the reader skips).
    fn write_ptau(srs: &Srs, power: u32, path: &Path) {
        let fq = |x: &Fq, out: &mut Vec<u8>| {
            for limb in x.0 .0 {
                out.extend_from_slice(&limb.to_le_bytes());
            }
        };
        let mut header = 32u32.to_le_bytes().to_vec();
        for limb in <Fq as ark_ff::PrimeField>::MODULUS.0 {
            header.extend_from_slice(&limb.to_le_bytes());
        }
        header.extend_from_slice(&power.to_le_bytes());
        header.extend_from_slice(&power.to_le_bytes());
        let mut g1 = Vec::new();
        for p in srs.g1_powers() {
            fq(&p.x, &mut g1);
            fq(&p.y, &mut g1);
        }
        g1.resize(((1 << (power + 1)) - 1) * 64, 0);
        let mut g2 = Vec::new();
        for p in srs.g2_powers() {
            for c in [p.x.c0, p.x.c1, p.y.c0, p.y.c1] {
                fq(&c, &mut g2);
            }
        }
        g2.resize((1 << power) * 128, 0);
        let mut file = b"ptau".to_vec();
        file.extend_from_slice(&1u32.to_le_bytes());
        file.extend_from_slice(&3u32.to_le_bytes());
        for (kind, data) in [(1u32, header), (2, g1), (3, g2)] {
            file.extend_from_slice(&kind.to_le_bytes());
            file.extend_from_slice(&(data.len() as u64).to_le_bytes());
            file.extend_from_slice(&data);
        }
        std::fs::write(path, file).unwrap();
    }

    /// Keys from a `.ptau` file and from the same powers in this project's
    /// format agree; a proof made with one verifies with the other.
    #[test]
    fn keys_from_a_ptau_file() {
        let program = increment();
        let dir = std::env::temp_dir().join(format!("jolt-sdk-srs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let shape = ProofShape {
            trace_length: TraceLength::from_log(2).unwrap(),
            memory_vars: 0,
        };
        let vars = zkvm::srs_num_vars(&program, shape);
        assert_eq!(vars, 16);
        let srs = Srs::insecure_dev_setup(vars, 11);
        let ptau = dir.join("ceremony.bin");
        write_ptau(&srs, vars as u32, &ptau);
        let jolt = dir.join("srs.ptau");
        srs.save(&jolt).unwrap();

        let keys = Keys::new(&program, 1000)
            .unwrap()
            .with_srs_file(&ptau)
            .unwrap();
        assert_eq!(keys.srs_file(), Some(ptau.as_path()));
        let (output, proof): ([u8; 4], Proof) = prove_provable(&keys, &[0x29u8, 0, 0, 0]).unwrap();
        assert_eq!(output, [0x2a, 0, 0, 0]);
        let other = Keys::from_srs_file(&program, 1000, &jolt).unwrap();
        assert_eq!(other.verifier_key().digest, keys.verifier_key().digest);
        verify_provable(other.verifier_key(), &[0x29u8, 0, 0, 0], &output, &proof).unwrap();
        // The development SRS is another key.
        let dev = Keys::new(&program, 1000).unwrap();
        assert!(verify_provable(dev.verifier_key(), &[0x29u8, 0, 0, 0], &output, &proof).is_err());

        // Too few powers for the proof, in either format, is an error
        // naming the file.
        let small_ptau = dir.join("small.ptau");
        write_ptau(&Srs::insecure_dev_setup(3, 11), 3, &small_ptau);
        let small_srs = dir.join("small.srs");
        Srs::insecure_dev_setup(3, 11).save(&small_srs).unwrap();
        for (small, detail) in [
            (&small_ptau, "G1 powers in the ptau file, have 15"),
            (&small_srs, "G1 powers, have 8"),
        ] {
            let keys = Keys::from_srs_file(&program, 1000, small).unwrap();
            let err = prove_provable::<_, [u8; 4]>(&keys, &[0x29u8, 0, 0, 0]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("{}: SRS too small: need 65536 {detail}", small.display())
            );
        }
        let err = Keys::from_srs_file(&program, 1000, dir.join("missing"))
            .err()
            .unwrap();
        assert!(err.to_string().contains("missing"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
