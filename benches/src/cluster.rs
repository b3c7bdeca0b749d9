//! `benches cluster`: one example run proven through Redis by W worker
//! processes, for each W asked for, against a redis-server this harness
//! starts on a free loopback port (docs/cluster.md). The row's prove time
//! is the coordinator's wall time: tracing and publishing, the workers'
//! proving (their first job includes making their keys), and verifying
//! the chain.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use jolt_cluster::local::LocalRedis;

use crate::report::Row;
use crate::{print_report, programs, Output};

#[derive(clap::Args)]
pub struct Setup {
    /// The run, as NAME:SIZE.
    #[arg(long, default_value = "sha2-chain:105")]
    pub case: String,
    /// Worker counts to measure, one run each.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    pub workers: Vec<usize>,
    /// Prover threads per worker.
    #[arg(long, default_value_t = 1)]
    pub worker_threads: usize,
    /// Seconds without a heartbeat before a job is taken over.
    #[arg(long, default_value_t = 5.0)]
    pub reclaim_after: f64,
    /// Also measure a run with the most workers in which one worker is
    /// killed (SIGKILL) this many seconds in and a replacement started
    /// (what a supervisor does).
    #[arg(long, value_name = "SECONDS")]
    pub kill_after: Option<f64>,
    #[command(flatten)]
    pub output: Output,
}

/// A worker process of this harness, killed when dropped.
struct WorkerProcess(Child);

impl WorkerProcess {
    /// Starts a worker and waits until it listens for jobs.
    fn start(url: &str, name: &str, setup: &Setup) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| format!("own executable: {e}"))?;
        let mut child = Command::new(exe)
            .args(["worker", "--redis", url, "--name", name])
            .args(["--threads", &setup.worker_threads.to_string()])
            .args(["--reclaim-after", &setup.reclaim_after.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("worker {name}: {e}"))?;
        let stdout = child.stdout.take().expect("piped");
        let (ready, listening) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("waiting for jobs") {
                    let _ = ready.send(());
                }
                eprintln!("{line}");
            }
        });
        let worker = WorkerProcess(child);
        listening
            .recv_timeout(Duration::from_secs(60))
            .map_err(|_| format!("worker {name} did not start"))?;
        Ok(worker)
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(setup: &Setup) -> Result<(), String> {
    let (name, size) = setup
        .case
        .split_once(':')
        .and_then(|(n, s)| Some((n.to_string(), s.parse::<u64>().ok()?)))
        .filter(|(n, _)| programs::parse_case_name(n).is_some())
        .ok_or_else(|| format!("--case {}: want NAME:SIZE of an example", setup.case))?;
    let log_steps = setup
        .output
        .segment_log_steps
        .ok_or("--segment-log-steps is needed: it sets the segments the workers share")?;
    let redis = LocalRedis::start()?;
    let url = redis.url();
    let mut runs: Vec<(usize, bool)> = setup.workers.iter().map(|&w| (w, false)).collect();
    if setup.kill_after.is_some() {
        let most = setup.workers.iter().copied().max().unwrap_or(1);
        runs.push((most, true));
    }
    let mut rows = Vec::new();
    for (count, kill) in runs {
        eprintln!(
            "[benches] cluster {name} {size}: {count} worker(s){}",
            if kill { ", one killed" } else { "" }
        );
        let mut workers = (0..count)
            .map(|i| WorkerProcess::start(&url, &format!("w{i}"), setup))
            .collect::<Result<Vec<_>, _>>()?;
        let exe = std::env::current_exe().map_err(|e| format!("own executable: {e}"))?;
        let case = Command::new(exe)
            .args(["case", "program", &name, &size.to_string()])
            .env(programs::SEGMENT_ENV, log_steps.to_string())
            .env(programs::REDIS_ENV, &url)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("case {name}: {e}"))?;
        if let (true, Some(after)) = (kill, setup.kill_after) {
            std::thread::sleep(Duration::from_secs_f64(after));
            let killed = Instant::now();
            drop(workers.remove(0));
            workers.push(WorkerProcess::start(&url, &format!("w{count}"), setup)?);
            eprintln!(
                "[benches] killed w0 at {after} s; w{count} started in {:.2?}",
                killed.elapsed()
            );
        }
        let out = case
            .wait_with_output()
            .map_err(|e| format!("case {name}: {e}"))?;
        drop(workers);
        if !out.status.success() {
            return Err(format!("case {name} on {count} worker(s) failed"));
        }
        let mut row: Row = serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim())
            .map_err(|e| format!("case {name}: {e}"))?;
        row.name = format!("{}/{count}w{}", row.name, if kill { "+kill" } else { "" });
        rows.push(row);
    }
    print_report("cluster", rows, &setup.output)
}

/// A worker until killed.
pub fn worker(url: &str, threads: usize, name: &str, reclaim_after: f64) -> Result<(), String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| e.to_string())?;
    let mut options = jolt_cluster::WorkerOptions::new(name);
    options.reclaim_after = Duration::from_secs_f64(reclaim_after);
    let mut worker = jolt_cluster::Worker::connect(url, options).map_err(|e| e.to_string())?;
    worker.run(&AtomicBool::new(false));
    Ok(())
}
