//! `benches`: how fast each kind of instruction and each example program
//! proves — cycles per second, verify time, proof size, peak memory.
//!
//! ```sh
//! cargo run --release -p benches -- instructions [--cycles 65536] [--json out.json] [--svg chart.svg] [--baseline old.json]
//! cargo run --release -p benches -- programs [--json out.json] ...
//! cargo run --release -p benches -- programs --case collatz:30:1M --case collatz:30:256M
//! cargo run --release -p benches -- programs --case fibonacci:10000 --parts   # bytes per proof part
//! cargo run --release -p benches -- instructions --quick   # under a minute
//! cargo run --release -p benches -- programs --case sha2-chain:7000 --segment-log-steps 20
//! ```
//!
//! Each case runs in a child process (this binary, `case ...`), so its
//! peak resident set (VmHWM) is that case's alone. Key generation (the
//! INSECURE development SRS) is not part of the prove time.

mod cluster;
mod programs;
mod report;

use std::process::{Command, ExitCode};
use std::time::Instant;

use clap::{Parser, Subcommand};
use jolt_core::tracer::{trace, DEFAULT_MAX_CYCLES};
use jolt_core::zkvm::{self, ProveOptions};
use report::{Report, Row};

#[derive(Parser)]
#[command(
    name = "benches",
    about = "Prove and verify per instruction class and per example program"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Args, Clone)]
struct Output {
    /// Small sizes: the whole run takes under a minute.
    #[arg(long)]
    quick: bool,
    /// Write every figure and the machine description as JSON.
    #[arg(long)]
    json: Option<std::path::PathBuf>,
    /// A JSON file of an earlier run: print the cycles/s ratio per row.
    #[arg(long)]
    baseline: Option<std::path::PathBuf>,
    /// Draw cycles per second per row as an SVG bar chart.
    #[arg(long)]
    svg: Option<std::path::PathBuf>,
    /// Also print the seconds of each phase (trace, witness, commit, each
    /// subprotocol, opening, verify).
    #[arg(long)]
    breakdown: bool,
    /// Example programs longer than 2^K steps are proven in segments of
    /// at most 2^K steps (default: the SDK's, from the machine's memory).
    #[arg(long, value_name = "K")]
    segment_log_steps: Option<u32>,
    /// Also print the proof's bytes per part (statement, commitments,
    /// the memories' layered circuit, each sumcheck, the opening).
    #[arg(long)]
    parts: bool,
    /// Verify each proof N times and report the median time.
    #[arg(long, value_name = "N", default_value_t = 1)]
    verify_runs: u32,
}

#[derive(Subcommand)]
enum Cmd {
    /// One generated program per RV32IM instruction class.
    Instructions {
        /// Cycles per program (default 2^16; 2^10 with --quick).
        #[arg(long)]
        cycles: Option<u64>,
        /// Only these classes (default: all).
        #[arg(long = "class")]
        classes: Vec<String>,
        #[command(flatten)]
        output: Output,
    },
    /// The example guests at two sizes each.
    Programs {
        /// Only these runs, as NAME:SIZE (e.g. fibonacci:40000), any size;
        /// NAME:SIZE:MEMORY builds the guest for that memory_size (bytes,
        /// K or M: collatz:30:256M).
        #[arg(long = "case")]
        cases: Vec<String>,
        #[command(flatten)]
        output: Output,
    },
    /// One example run proven through Redis by W worker processes
    /// (docs/cluster.md): a redis-server on a free loopback port, then for
    /// each worker count a fresh set of workers and one coordinator case.
    Cluster(cluster::Setup),
    /// A cluster worker in this process (what `cluster` spawns).
    #[command(hide = true)]
    Worker {
        #[arg(long)]
        redis: String,
        #[arg(long)]
        threads: usize,
        #[arg(long)]
        name: String,
        #[arg(long)]
        reclaim_after: f64,
    },
    /// One case, in this process (what the two commands above spawn).
    #[command(hide = true)]
    Case {
        kind: String,
        name: String,
        size: u64,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Cmd::Instructions {
            cycles,
            classes,
            output,
        } => {
            let n = cycles.unwrap_or(if output.quick { 1 << 10 } else { 1 << 16 });
            let unknown: Vec<&String> = classes
                .iter()
                .filter(|c| !programs::CLASSES.iter().any(|k| k.name == c.as_str()))
                .collect();
            if !unknown.is_empty() {
                let names: Vec<&str> = programs::CLASSES.iter().map(|c| c.name).collect();
                eprintln!(
                    "error: unknown class {unknown:?}; classes: {}",
                    names.join(", ")
                );
                return ExitCode::from(2);
            }
            let cases = programs::CLASSES
                .iter()
                .filter(|c| classes.is_empty() || classes.iter().any(|n| n == c.name))
                .map(|c| ("instruction".to_string(), c.name.to_string(), n))
                .collect();
            run_all("instructions", cases, &output)
        }
        Cmd::Programs { cases, output } if !cases.is_empty() => {
            let mut chosen = Vec::new();
            for case in &cases {
                // NAME:SIZE, or NAME:SIZE:MEMORY to build for another
                // memory_size (the case is then named NAME@MEMORY).
                let parsed = case.split_once(':').and_then(|(name, rest)| {
                    let (size, memory) = match rest.split_once(':') {
                        Some((size, memory)) => (size, Some(memory)),
                        None => (rest, None),
                    };
                    let name = match memory {
                        Some(m) => format!("{name}@{m}"),
                        None => name.to_string(),
                    };
                    programs::parse_case_name(&name)?;
                    Some((name, size.parse::<u64>().ok()?))
                });
                match parsed {
                    Some((name, size)) => chosen.push(("program".to_string(), name, size)),
                    None => {
                        let names: Vec<&str> =
                            programs::EXAMPLES.iter().map(|(n, _, _)| *n).collect();
                        eprintln!(
                            "error: --case {case}: want NAME:SIZE[:MEMORY] with NAME one of {} \
                             and MEMORY in bytes, K or M (e.g. collatz:30:256M)",
                            names.join(", ")
                        );
                        return ExitCode::from(2);
                    }
                }
            }
            run_all("programs", chosen, &output)
        }
        Cmd::Programs { output, .. } => {
            let cases = programs::EXAMPLES
                .iter()
                .flat_map(|(name, sizes, quick)| {
                    let sizes: Vec<u64> = if output.quick {
                        vec![*quick]
                    } else {
                        sizes.to_vec()
                    };
                    sizes
                        .into_iter()
                        .map(move |s| ("program".to_string(), name.to_string(), s))
                })
                .collect();
            run_all("programs", cases, &output)
        }
        Cmd::Cluster(setup) => cluster::run(&setup),
        Cmd::Worker {
            redis,
            threads,
            name,
            reclaim_after,
        } => cluster::worker(&redis, threads, &name, reclaim_after),
        Cmd::Case { kind, name, size } => match run_case(&kind, &name, size) {
            Ok(row) => {
                println!("{}", serde_json::to_string(&row).expect("a row serializes"));
                Ok(())
            }
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs every case in a child process and reports.
fn run_all(suite: &str, cases: Vec<(String, String, u64)>, output: &Output) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("own executable: {e}"))?;
    let mut rows = Vec::new();
    for (kind, name, size) in cases {
        eprintln!("[benches] {kind} {name} {size}");
        let mut command = Command::new(&exe);
        command.args(["case", &kind, &name, &size.to_string()]);
        if let Some(k) = output.segment_log_steps {
            command.env(programs::SEGMENT_ENV, k.to_string());
        }
        command.env(programs::VERIFY_RUNS_ENV, output.verify_runs.to_string());
        let out = command
            .output()
            .map_err(|e| format!("running case {name}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "case {name} ({size}) failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let line = String::from_utf8_lossy(&out.stdout);
        let row: Row =
            serde_json::from_str(line.trim()).map_err(|e| format!("case {name}: {e}"))?;
        rows.push(row);
    }
    print_report(suite, rows, output)
}

/// Prints the table (and the breakdown), writes the JSON and the SVG.
fn print_report(suite: &str, rows: Vec<Row>, output: &Output) -> Result<(), String> {
    let report = Report::new(suite, output.quick, rows);
    let baseline = match &output.baseline {
        Some(path) => Some(Report::load(path)?),
        None => None,
    };
    print!("{}", report.table(baseline.as_ref()));
    if output.breakdown {
        print!("{}", report.breakdown());
    }
    if output.parts {
        print!("{}", report.parts(baseline.as_ref()));
    }
    if let Some(path) = &output.json {
        report.save(path)?;
    }
    if let Some(path) = &output.svg {
        std::fs::write(path, report.svg()).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Proves and verifies one case; reads this process's peak memory last.
fn run_case(kind: &str, name: &str, size: u64) -> Result<Row, String> {
    let mut row = match kind {
        "instruction" => {
            let class = programs::CLASSES
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| format!("no class {name}"))?;
            let program = class.program(size);
            let start = Instant::now();
            let trace = trace(&program, &[], DEFAULT_MAX_CYCLES).map_err(|e| e.to_string())?;
            let trace_time = start.elapsed();
            let mut phases = vec![("trace", trace_time)];
            let shape = zkvm::ProofShape::of(program.layout, &trace).map_err(|e| e.to_string())?;
            let (pk, vk) = zkvm::dev_preprocess(&program, shape).map_err(|e| e.to_string())?;
            let start = Instant::now();
            let out = zkvm::prove_trace(&pk, trace, &ProveOptions::default())
                .map_err(|e| e.to_string())?;
            let prove_time = trace_time + start.elapsed();
            phases.extend(out.phases.0.iter().copied());
            let (verified, verify_time) =
                programs::verify_timed(|| zkvm::verify(&vk, &out.io, &out.proof).is_ok())?;
            let mut row = Row::new(
                name,
                kind,
                size,
                out.cycles,
                out.steps as u64,
                out.proof.trace_length,
                prove_time,
                verify_time,
                out.proof.size(),
                verified,
                &phases,
            );
            row.proof_parts = out.proof.parts();
            row
        }
        "program" => programs::run_example(name, size)?,
        other => return Err(format!("unknown case kind {other}")),
    };
    row.peak_rss_mb = report::peak_rss_mb();
    Ok(row)
}
