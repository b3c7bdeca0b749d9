//! `jolt`: the command line of the Jolt zkVM.
//!
//! - `jolt run <ELF>` runs a bare RV32IM ELF on the tracer and prints its
//!   outputs, panic flag and cycle count, after what the guest printed (a
//!   std guest's stdout and stderr, passed through).
//! - `jolt prove <ELF> -o proof.bin` runs and proves it, printing outputs,
//!   cycles, prove time and proof size (progress on stderr: a bar on a
//!   terminal, plain lines otherwise).
//! - `jolt new <name> [--std]` creates a host + guest project around a
//!   `#[jolt::provable]` function (`cargo run --release` proves it).
//! - `jolt verify <ELF> proof.bin` checks a proof file against the ELF and
//!   the given (or claimed) I/O; exit 0 only when the proof is valid.
//! - `jolt srs import FILE.ptau -o srs.bin` converts a snarkjs ceremony
//!   file to this project's SRS format.
//! - `jolt worker --redis redis://HOST:PORT` proves segment jobs from a
//!   Redis job stream until stopped; `jolt prove ... --redis URL` is their
//!   coordinator (docs/cluster.md).
//!
//! Any failure (unreadable or malformed ELF or proof, unsupported
//! instruction, memory fault, cycle limit, invalid proof) exits non-zero
//! with a one-line reason. Keys come from `--srs FILE` (this project's
//! format or a `.ptau`) or, by default, the INSECURE development SRS.

mod new;

use std::fs::File;
use std::io::{BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use jolt_core::error::VerifyError;
use jolt_core::memory::MemoryPreprocessing;
use jolt_core::pcs::ptau::SrsFileFormat;
use jolt_core::pcs::{HyperKzg, PcsError, Srs};
use jolt_core::tracer::io::trim_trailing_zeros;
use jolt_core::tracer::{execute_with_hints, MemoryLayout, Program, ProgramIO, DEFAULT_MAX_CYCLES};
use jolt_core::zkvm::{self, budget, Progress, ProofFile, ProveOptions, PROVE_PHASES};

#[derive(Parser)]
#[command(
    name = "jolt",
    version,
    about = "Run and prove RISC-V programs with the Jolt zkVM"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run an RV32IM ELF on the tracer and print its outputs and cycle count.
    Run(RunArgs),
    /// Run an RV32IM ELF and prove the run; writes a proof file.
    Prove(ProveArgs),
    /// Verify a proof file against an ELF and its I/O.
    Verify(VerifyArgs),
    /// Create a host + guest project that proves a #[jolt::provable] function.
    New(NewArgs),
    /// SRS files: convert a snarkjs .ptau ceremony file.
    #[command(subcommand)]
    Srs(SrsCommand),
    /// Prove segment jobs from a Redis job stream until stopped (the
    /// coordinator is `jolt prove --redis`).
    Worker(WorkerArgs),
}

#[derive(clap::Args)]
struct WorkerArgs {
    /// The Redis the coordinator publishes jobs on: redis://HOST:PORT.
    #[arg(long, value_name = "URL")]
    redis: String,
    /// Prover threads (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// The worker's name in the consumer group (unique per worker;
    /// default: host name and process id).
    #[arg(long)]
    name: Option<String>,
    /// A job held this many seconds by a worker that stopped sending
    /// heartbeats (it died) is taken over by another.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    reclaim_after: f64,
    #[command(flatten)]
    keys: KeyArgs,
}

#[derive(Subcommand)]
enum SrsCommand {
    /// Convert a snarkjs .ptau file to this project's SRS format (checked).
    Import(ImportArgs),
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The .ptau file (e.g. from `snarkjs powersoftau prepare phase2`).
    ptau: PathBuf,
    /// Where to write the SRS.
    #[arg(short, long, default_value = "srs.bin")]
    output: PathBuf,
    /// Keep the powers for polynomials of up to N variables (2^N G1
    /// powers); default: all the file holds (N = its power).
    #[arg(long, value_name = "N")]
    max_num_vars: Option<usize>,
}

#[derive(clap::Args)]
struct NewArgs {
    /// The project's name (and directory).
    name: String,
    /// The Jolt checkout the project's path dependencies point at
    /// (default: the one this `jolt` was built from).
    #[arg(long)]
    jolt_path: Option<PathBuf>,
    /// A guest that uses the standard library (built for
    /// riscv32im-risc0-zkvm-elf with std compiled from rust-src).
    #[arg(long)]
    std: bool,
}

fn new_project(args: NewArgs) -> Result<(), String> {
    let jolt = args.jolt_path.unwrap_or_else(new::default_jolt_path);
    let dir = new::create(Path::new("."), &args.name, &jolt, args.std)?;
    println!("created {}", dir.display());
    println!("next: cd {} && cargo run --release", args.name);
    Ok(())
}

#[derive(clap::Args)]
struct ProveArgs {
    /// The guest program: a 32-bit little-endian RISC-V executable.
    elf: PathBuf,
    /// Input bytes, hex-encoded, placed in the input region.
    #[arg(long, default_value = "")]
    input: String,
    /// Where to write the proof (checked, and its directory created,
    /// before proving).
    #[arg(short, long, default_value = "proof.bin")]
    output: PathBuf,
    /// Stop with an error after this many instructions.
    #[arg(long, default_value_t = DEFAULT_MAX_CYCLES)]
    max_cycles: u64,
    /// Prove the run in segments of at most 2^K steps (K from 4 to 28); a
    /// run that fits one segment is proven whole. Default: the largest K
    /// whose segment proves in at most 4 GB and in the memory available
    /// now. A K that needs more memory than is available is refused.
    #[arg(long, value_name = "K")]
    segment_log_steps: Option<u32>,
    /// Prove the segments on the workers (`jolt worker`) of this Redis:
    /// redis://HOST:PORT. The workers need the same --srs.
    #[arg(long, value_name = "URL")]
    redis: Option<String>,
    /// With --redis: give up if the segments are not all proven after this
    /// many seconds (default: wait as long as it takes).
    #[arg(long, value_name = "SECONDS", requires = "redis")]
    timeout: Option<u64>,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    layout: LayoutArgs,
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// The guest program the proof must be for.
    elf: PathBuf,
    /// The proof file `jolt prove` wrote.
    proof: PathBuf,
    /// The inputs (hex) the run must have had; default: those the proof claims.
    #[arg(long)]
    input: Option<String>,
    /// The outputs (hex) the run must have produced; default: those the
    /// proof claims (printed).
    #[arg(long)]
    output: Option<String>,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    layout: LayoutArgs,
}

/// Where the keys come from (prover and verifier must agree).
#[derive(clap::Args)]
struct KeyArgs {
    /// An SRS file: this project's format (`jolt srs import`) or a snarkjs
    /// .ptau file, told apart by content. The prover needs 2^n G1 powers
    /// for the run's largest polynomial (n ≥ 16); the verifier uses four,
    /// but reads and checks a whole file in this project's format (of a
    /// .ptau only the powers used are decoded). Default: the INSECURE
    /// development SRS.
    #[arg(long, value_name = "FILE")]
    srs: Option<PathBuf>,
}

impl KeyArgs {
    /// The SRS file's powers for polynomials of up to `max_num_vars`
    /// variables (a file in this project's format is read whole); too few
    /// is an error naming the file.
    fn load(&self, max_num_vars: usize) -> Result<Option<Srs>, String> {
        let Some(path) = &self.srs else {
            return Ok(None);
        };
        let named = |e: PcsError| format!("{}: {e}", path.display());
        let srs = Srs::open(path, max_num_vars).map_err(named)?;
        let (needed, have) = (Srs::g1_powers_for(max_num_vars), srs.g1_powers().len());
        if have < needed {
            return Err(named(PcsError::SrsTooSmall {
                what: "G1 powers",
                needed,
                have,
            }));
        }
        Ok(Some(srs))
    }

    /// Fails at once on a missing or unreadable file, or one in neither
    /// format, so `prove` says so before tracing.
    fn check(&self) -> Result<(), String> {
        let Some(path) = &self.srs else {
            return Ok(());
        };
        let mut head = Vec::with_capacity(8);
        File::open(path)
            .and_then(|f| f.take(8).read_to_end(&mut head))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        SrsFileFormat::detect(&head)
            .map(|_| ())
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    fn name(&self) -> String {
        match &self.srs {
            Some(path) => path.display().to_string(),
            None => "INSECURE development SRS".to_string(),
        }
    }
}

/// The memory layout the ELF was built for (prover and verifier must agree).
#[derive(clap::Args)]
struct LayoutArgs {
    /// RAM above 0x80000000, in bytes (suffixes K, M, G for 2^10, 2^20,
    /// 2^30). A proof pays only for the memory the run touches, so the
    /// default is large.
    #[arg(long, value_parser = parse_size, default_value = "256M")]
    memory_size: u64,
    /// Stack the guest was linked with, above its image, in bytes (the
    /// tracer checks sp against the stack the ELF declares).
    #[arg(long, value_parser = parse_size, default_value = "64K")]
    stack_size: u64,
    /// Size of the input region, in bytes.
    #[arg(long, value_parser = parse_size, default_value = "4K")]
    max_input_size: u64,
    /// Size of the output region, in bytes.
    #[arg(long, value_parser = parse_size, default_value = "4K")]
    max_output_size: u64,
}

impl LayoutArgs {
    fn load(&self, elf: &PathBuf) -> Result<Program, String> {
        let layout = MemoryLayout::new(
            self.memory_size,
            self.stack_size,
            self.max_input_size,
            self.max_output_size,
        )
        .map_err(|e| format!("invalid memory layout: {e}"))?;
        let bytes = std::fs::read(elf).map_err(|e| format!("{}: {e}", elf.display()))?;
        Program::from_elf(&bytes, layout).map_err(|e| format!("{}: {e}", elf.display()))
    }
}

#[derive(clap::Args)]
struct RunArgs {
    /// The guest program: a 32-bit little-endian RISC-V executable.
    elf: PathBuf,
    /// Input bytes, hex-encoded, placed in the input region.
    #[arg(long, alias = "input-hex", default_value = "")]
    input: String,
    /// Stop with an error after this many instructions.
    #[arg(long, default_value_t = DEFAULT_MAX_CYCLES)]
    max_cycles: u64,
    #[command(flatten)]
    layout: LayoutArgs,
}

/// A byte count: decimal, `0x` hexadecimal, or with a K/M/G suffix.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, shift) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (&s[..i], 10),
        Some((i, 'M' | 'm')) => (&s[..i], 20),
        Some((i, 'G' | 'g')) => (&s[..i], 30),
        _ => (s, 0),
    };
    let value = match digits.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => digits.parse(),
    }
    .map_err(|e| format!("`{s}` is not a size: {e}"))?;
    value
        .checked_shl(shift)
        .filter(|v| v >> shift == value)
        .ok_or_else(|| format!("`{s}` is too large"))
}

fn run(args: RunArgs) -> Result<(), String> {
    let program = args.layout.load(&args.elf)?;
    let inputs = hex::decode(args.input.trim()).map_err(|e| format!("--input: {e}"))?;
    let (execution, hints) =
        execute_with_hints(&program, &inputs, args.max_cycles).map_err(|e| e.to_string())?;
    // What a std guest printed, passed through before the run's figures.
    let mut out = std::io::stdout();
    out.write_all(&hints.stdout).map_err(|e| e.to_string())?;
    std::io::stderr()
        .write_all(&hints.stderr)
        .map_err(|e| e.to_string())?;
    println!("outputs: {}", hex::encode(&execution.io.outputs));
    println!("panicked: {}", execution.io.panicked);
    println!("cycles: {}", execution.cycles);
    Ok(())
}

fn prove(args: ProveArgs) -> Result<(), String> {
    let program = args.layout.load(&args.elf)?;
    let inputs = hex::decode(args.input.trim()).map_err(|e| format!("--input: {e}"))?;
    check_output(&args.output)?;
    args.keys.check()?;
    let available = budget::available_memory();
    let log_steps = match args.segment_log_steps {
        // On a cluster the workers' memory is what counts.
        Some(k) if args.redis.is_some() => k,
        Some(k) => {
            budget::check_segment_size(k, available).map_err(|e| e.to_string())?;
            k
        }
        None => budget::default_segment_log_steps(available),
    };
    if let Some(url) = &args.redis {
        return prove_on_cluster(&args, url, &program, &inputs, log_steps);
    }
    let reporter = Reporter::new();
    let start = Instant::now();
    // The first pass over the run: where each segment starts and the
    // memory window (the second pass, segment by segment, is the prover's).
    let memory = MemoryPreprocessing::new(&program);
    let plan = zkvm::SegmentPlan::new(&memory, &program, &inputs, log_steps, args.max_cycles)
        .map_err(|e| e.to_string())?;
    drop(memory);
    let steps: u64 = plan.steps.iter().sum();
    reporter.done(
        1,
        "preprocessing",
        &format!(
            "[prove] trace: {} cycles, {} steps, {} segment(s) of at most 2^{log_steps} steps in {:.2?}",
            plan.cycles,
            steps,
            plan.count(),
            start.elapsed()
        ),
    );
    let shape = plan.shape().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let (pk, vk) = match args.keys.load(zkvm::srs_num_vars(&program, shape))? {
        Some(srs) => zkvm::preprocess(&program, &srs, shape),
        None => zkvm::dev_preprocess(&program, shape),
    }
    .map_err(|e| e.to_string())?;
    reporter.done(
        2,
        PROVE_PHASES[1],
        &format!(
            "[prove] preprocessing ({}) in {:.2?}",
            args.keys.name(),
            start.elapsed()
        ),
    );
    let options = ProveOptions {
        max_cycles: args.max_cycles,
        progress: reporter.progress(),
    };
    let start = Instant::now();
    let out = zkvm::prove_planned(&pk, &plan, &inputs, &options).map_err(|e| e.to_string())?;
    let prove_time = start.elapsed();
    drop(reporter);
    let figures = (out.cycles, out.steps, log_steps);
    write_proof(
        &args, vk.digest, out.io, out.proofs, figures, prove_time, "",
    )
}

/// Writes the proof file and prints the run's figures (`note` ends the
/// cycles line).
fn write_proof(
    args: &ProveArgs,
    digest: [u8; 32],
    io: ProgramIO,
    proofs: Vec<zkvm::Proof<HyperKzg>>,
    (cycles, steps, log_steps): (u64, u64, u32),
    prove_time: Duration,
    note: &str,
) -> Result<(), String> {
    let file = ProofFile { digest, io, proofs };
    let bytes = file.to_bytes();
    std::fs::write(&args.output, &bytes).map_err(|e| format!("{}: {e}", args.output.display()))?;
    println!("outputs: {}", hex::encode(&file.io.outputs));
    println!("panicked: {}", file.io.panicked);
    match &file.proofs[..] {
        [whole] => println!(
            "cycles: {cycles} ({steps} trace steps, padded to {}{note})",
            whole.trace_length
        ),
        segments => println!(
            "cycles: {cycles} ({steps} trace steps in {} segments of at most {}{note})",
            segments.len(),
            1u64 << log_steps
        ),
    }
    println!(
        "prove time: {:.3} s ({:.0} cycles/s)",
        prove_time.as_secs_f64(),
        cycles as f64 / prove_time.as_secs_f64()
    );
    println!("proof: {} ({} bytes)", args.output.display(), bytes.len());
    Ok(())
}

/// `jolt prove --redis`: the coordinator's side of docs/cluster.md.
fn prove_on_cluster(
    args: &ProveArgs,
    url: &str,
    program: &Program,
    inputs: &[u8],
    log_steps: u32,
) -> Result<(), String> {
    let vk = match args.keys.load(0)? {
        Some(srs) => zkvm::verifier_key(program, &srs),
        None => zkvm::dev_verifier_key(program),
    }
    .map_err(|e| e.to_string())?;
    let options = jolt_cluster::ClusterOptions {
        log_steps,
        max_cycles: args.max_cycles,
        max_attempts: 3,
        progress: true,
        timeout: args.timeout.map(Duration::from_secs),
    };
    let start = Instant::now();
    let out = jolt_cluster::prove_on_cluster(url, program, &vk, inputs, &options)
        .map_err(|e| e.to_string())?;
    let prove_time = start.elapsed();
    eprintln!(
        "[prove] cluster: traced and published in {:.2?}, proven in {:.2?}, verified in {:.2?} ({} retries)",
        out.publish_time, out.wait_time, out.verify_time, out.retries
    );
    write_proof(
        args,
        vk.digest,
        out.io,
        out.proofs,
        (out.cycles, out.steps, log_steps),
        prove_time,
        ", proven on the cluster",
    )
}

/// `jolt worker`: proves jobs until the process is stopped.
fn worker(args: WorkerArgs) -> Result<(), String> {
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .map_err(|e| format!("--threads: {e}"))?;
    }
    args.keys.check()?;
    let name = args.name.unwrap_or_else(|| {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        format!("{}-{}", host.trim(), std::process::id())
    });
    // Below a tenth of a second live workers' jobs would be taken from
    // them between heartbeats; above a day is a typo.
    if !(0.1..=86_400.0).contains(&args.reclaim_after) {
        return Err("--reclaim-after must be between 0.1 and 86400 seconds".into());
    }
    let options = jolt_cluster::WorkerOptions {
        name,
        srs: args.keys.srs.clone(),
        reclaim_after: Duration::from_secs_f64(args.reclaim_after),
        poll: Duration::from_secs(1),
    };
    let mut worker =
        jolt_cluster::Worker::connect(&args.redis, options).map_err(|e| e.to_string())?;
    worker.run(&std::sync::atomic::AtomicBool::new(false));
    Ok(())
}

fn verify(args: VerifyArgs) -> Result<(), String> {
    let decode = |flag: &str, hex_str: &Option<String>| -> Result<Option<Vec<u8>>, String> {
        hex_str
            .as_ref()
            .map(|h| hex::decode(h.trim()).map_err(|e| format!("{flag}: {e}")))
            .transpose()
    };
    let inputs = decode("--input", &args.input)?;
    // The output region is zero padded: `2a00` and `2a` are one output.
    let outputs = decode("--output", &args.output)?.map(|o| trim_trailing_zeros(&o).to_vec());
    let bytes = std::fs::read(&args.proof).map_err(|e| format!("{}: {e}", args.proof.display()))?;
    let file = ProofFile::<HyperKzg>::from_bytes(&bytes)
        .map_err(|e| format!("{}: {e}", args.proof.display()))?;
    check_claims(&file.io, inputs.as_deref(), outputs.as_deref())?;
    let program = args.layout.load(&args.elf)?;
    let vk = match args.keys.load(0)? {
        Some(srs) => zkvm::verifier_key(&program, &srs),
        None => zkvm::dev_verifier_key(&program),
    }
    .map_err(|e| e.to_string())?;
    if file.digest != vk.digest {
        let short = |d: &[u8; 32]| hex::encode(&d[..8]);
        return Err(format!(
            "invalid proof: {}",
            VerifyError::WrongProgram {
                key: short(&vk.digest),
                proof: short(&file.digest)
            }
        ));
    }
    // Equal to the command line's I/O where it gives any (checked above).
    let io = file.io;
    let start = Instant::now();
    zkvm::verify_segments(&vk, &io, &file.proofs).map_err(|e| format!("invalid proof: {e}"))?;
    let steps: u64 = file.proofs.iter().map(|p| p.segment.steps).sum();
    match file.proofs.len() {
        1 => println!("valid proof of {} ({steps} steps)", args.elf.display()),
        n => println!(
            "valid proof of {} ({steps} steps in {n} segments)",
            args.elf.display()
        ),
    }
    println!("inputs: {}", hex::encode(&io.inputs));
    println!("outputs: {}", hex::encode(&io.outputs));
    println!("panicked: {}", io.panicked);
    println!("verify time: {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
    Ok(())
}

/// The I/O the command line asks for against the I/O the proof file
/// claims: a difference is named in one line before any other work.
fn check_claims(
    claimed: &ProgramIO,
    inputs: Option<&[u8]>,
    outputs: Option<&[u8]>,
) -> Result<(), String> {
    let show = |bytes: &[u8]| match bytes {
        [] => "(none)".to_string(),
        _ => hex::encode(bytes),
    };
    let mut differences = Vec::new();
    for (what, given, claimed) in [
        ("inputs", inputs, &claimed.inputs),
        ("outputs", outputs, &claimed.outputs),
    ] {
        if let Some(given) = given.filter(|g| g != claimed) {
            differences.push(format!("{what} {}, not {}", show(claimed), show(given)));
        }
    }
    match differences.is_empty() {
        true => Ok(()),
        false => Err(format!("the proof is for {}", differences.join(", and "))),
    }
}

/// Makes sure `path` can be written before any work is done: creates its
/// directory when missing; a directory, or a file that cannot be opened
/// for writing, is an error naming the path.
fn check_output(path: &Path) -> Result<(), String> {
    let name = path.display();
    if path.is_dir() {
        return Err(format!("{name} is a directory"));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            format!(
                "cannot create the directory {} for {name}: {e}",
                dir.display()
            )
        })?;
    }
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| format!("cannot write {name}: {e}"))?;
    if !existed {
        // Only a probe: the file is written once there is something to
        // write. Failing to remove the empty file is harmless.
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

fn srs_import(args: ImportArgs) -> Result<(), String> {
    let name = args.ptau.display();
    let open = || {
        File::open(&args.ptau)
            .map(BufReader::new)
            .map_err(|e| format!("{name}: {e}"))
    };
    let power = Srs::ptau_power(open()?).map_err(|e| format!("{name}: {e}"))?;
    let vars = args.max_num_vars.unwrap_or(power);
    check_output(&args.output)?;
    let start = Instant::now();
    let srs = Srs::from_ptau(open()?, vars).map_err(|e| format!("{name}: {e}"))?;
    srs.save(&args.output)
        .map_err(|e| format!("{}: {e}", args.output.display()))?;
    let size = std::fs::metadata(&args.output).map_or(0, |m| m.len());
    println!(
        "imported {name} (power {power}): {} G1 powers (polynomials of up to {} variables) and {} G2 powers, checked",
        srs.g1_powers().len(),
        srs.max_num_vars(),
        srs.g2_powers().len(),
    );
    println!(
        "srs: {} ({size} bytes) in {:.2?}",
        args.output.display(),
        start.elapsed()
    );
    Ok(())
}

/// `jolt prove`'s progress on stderr: on a terminal, a bar with the
/// elapsed time and the step under way, finished steps printed above it;
/// otherwise the same lines, plain.
struct Reporter {
    bar: Option<ProgressBar>,
}

/// The bar's steps: tracing and preprocessing (the CLI's), then the
/// prover's phases after tracing.
const STEPS: usize = 2 + PROVE_PHASES.len() - 1;

impl Reporter {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(STEPS as u64);
            let template = "{spinner} [{elapsed_precise}] [{bar:24}] {pos}/{len} {msg}";
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message(PROVE_PHASES[0]);
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Reporter { bar }
    }

    /// Step `done` (from 1) finished with `line`; `next` is under way.
    fn done(&self, done: usize, next: &'static str, line: &str) {
        match &self.bar {
            Some(bar) => {
                bar.println(line);
                bar.set_position(done as u64);
                bar.set_message(next);
            }
            None => eprintln!("{line}"),
        }
    }

    /// The prover's hook: its phase i (from 2, after tracing) is step i + 1.
    fn progress(&self) -> Progress {
        let Some(bar) = self.bar.clone() else {
            return Progress::Lines;
        };
        Progress::custom(move |event| {
            bar.println(format!("[prove {:>8.2?}] {event}", event.elapsed));
            bar.set_position(event.index as u64 + 1);
            bar.set_message(PROVE_PHASES.get(event.index).copied().unwrap_or("done"));
        })
    }
}

impl Drop for Reporter {
    /// The bar goes away (on success or error) before anything else prints.
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Prove(args) => prove(args),
        Command::Verify(args) => verify(args),
        Command::New(args) => new_project(args),
        Command::Srs(SrsCommand::Import(args)) => srs_import(args),
        Command::Worker(args) => worker(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("0x1000"), Ok(4096));
        assert_eq!(parse_size("4K"), Ok(4096));
        assert_eq!(parse_size("4M"), Ok(4 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert!(parse_size("4X").is_err());
        assert!(parse_size("").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert!(parse_size("17179869184G").is_err());
    }
}
