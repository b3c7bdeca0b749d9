//! `jolt prove --redis` with `jolt worker` processes against a real
//! `redis-server` on a free loopback port (docs/cluster.md): a run proves
//! on two workers; a worker killed mid-job does not stop the run; a
//! duplicated job, a malformed job and a corrupted stored result are
//! handled. Every test bounds its own time and stops what it started.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{loop_elf, write_temp};
use jolt_cluster::job::Job;
use jolt_cluster::local::LocalRedis;
use jolt_cluster::store::{RunKeys, GROUP, JOBS};
use jolt_core::pcs::Srs;
use redis::Commands;

const MEMORY: [&str; 2] = ["--memory-size", "64K"];

/// Each test's own bound: past it, a wait fails the test (and the guards
/// stop the processes).
const BOUND: Duration = Duration::from_secs(240);

/// A `jolt` process whose stdout lines are collected as they come; killed
/// (SIGKILL) when dropped.
struct Process {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Process {
    fn spawn(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jolt"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the jolt binary runs");
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        Process { child, lines }
    }

    fn worker(url: &str, name: &str) -> Self {
        Process::spawn(&[
            "worker",
            "--redis",
            url,
            "--threads",
            "1",
            "--name",
            name,
            "--reclaim-after",
            "2",
        ])
    }

    fn output(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// Waits until a line contains `pattern`.
    fn wait_for(&self, pattern: &str, start: Instant) {
        while !self.output().contains(pattern) {
            assert!(
                start.elapsed() < BOUND,
                "no `{pattern}` within {BOUND:?}:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the process to exit; its status and what it printed.
    fn finish(&mut self, start: Instant) -> (bool, String) {
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reader threads end with the pipes; give them a moment.
                std::thread::sleep(Duration::from_millis(100));
                return (status.success(), self.output());
            }
            assert!(
                start.elapsed() < BOUND,
                "still running after {BOUND:?}:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `jolt prove --redis` of the loop on `n`, in segments of 2^5 steps.
fn coordinator(url: &str, name: &str, n: u8) -> (Process, String, String) {
    let elf = write_temp(&format!("{name}.elf"), &loop_elf());
    let proof = write_temp(&format!("{name}.proof"), b"");
    let input = hex::encode([n, 0, 0, 0]);
    let mut args = vec!["prove", &elf, "--input", &input, "-o", &proof];
    args.extend(MEMORY);
    args.extend([
        "--segment-log-steps",
        "5",
        "--redis",
        url,
        "--timeout",
        "200",
    ]);
    (Process::spawn(&args), elf, proof)
}

/// Waits until the run's `n` jobs are on the stream (no worker has taken
/// any yet); its entries.
fn published_jobs(
    con: &mut redis::Connection,
    n: usize,
    prove: &Process,
    start: Instant,
) -> Vec<redis::streams::StreamId> {
    loop {
        let entries: redis::streams::StreamRangeReply = con.xrange_all(JOBS).unwrap();
        if entries.ids.len() == n {
            return entries.ids;
        }
        assert!(
            start.elapsed() < BOUND,
            "no jobs published:\n{}",
            prove.output()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn verify(elf: &str, proof: &str) -> Output {
    let mut args = vec!["verify", elf, proof];
    args.extend(MEMORY);
    common::jolt(&args)
}

#[test]
fn a_run_proves_on_two_workers_and_verifies() {
    let start = Instant::now();
    let redis = LocalRedis::start().unwrap();
    let url = redis.url();
    let workers = [Process::worker(&url, "a"), Process::worker(&url, "b")];
    let (mut prove, elf, proof) = coordinator(&url, "two-workers", 40);
    let (ok, out) = prove.finish(start);
    assert!(ok, "{out}");
    // 3·40 + 9 steps in segments of 32.
    assert!(
        out.contains("outputs: 78\n")
            && out.contains("129 trace steps in 5 segments of at most 32, proven on the cluster"),
        "{out}"
    );
    let out = verify(&elf, &proof);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("(129 steps in 5 segments)"),
        "{stdout}"
    );
    let stored: usize = workers
        .iter()
        .map(|w| w.output().matches("stored segment").count())
        .sum();
    assert_eq!(stored, 5, "each segment stored once");
    // The run's keys and jobs are gone.
    let mut con = redis::Client::open(url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let keys: Vec<String> = con.keys("jolt:run:*").unwrap();
    assert!(keys.is_empty(), "{keys:?}");
    let jobs: usize = con.xlen(JOBS).unwrap();
    assert_eq!(jobs, 0);
}

#[test]
fn a_worker_killed_mid_job_does_not_stop_the_run() {
    let start = Instant::now();
    let redis = LocalRedis::start().unwrap();
    let url = redis.url();
    let mut doomed = Process::worker(&url, "doomed");
    let (mut prove, elf, proof) = coordinator(&url, "killed", 30);
    // Its first job: the worker makes its keys, then proves; SIGKILL lands
    // before it stores anything.
    doomed.wait_for("proving segment 0", start);
    doomed.child.kill().unwrap();
    doomed.child.wait().unwrap();
    assert!(!doomed.output().contains("stored"), "{}", doomed.output());
    let others = [Process::worker(&url, "b"), Process::worker(&url, "c")];
    let (ok, out) = prove.finish(start);
    assert!(ok, "{out}");
    assert!(out.contains("outputs: 5a\n"), "{out}");
    assert!(verify(&elf, &proof).status.success());
    // The killed worker's job was taken over after its idle timeout.
    assert!(
        others
            .iter()
            .any(|w| w.output().contains("reclaimed segment 0")),
        "{}\n{}",
        others[0].output(),
        others[1].output()
    );
}

#[test]
fn duplicated_and_malformed_jobs_and_a_corrupted_result_are_handled() {
    let start = Instant::now();
    let redis = LocalRedis::start().unwrap();
    let url = redis.url();
    let (mut prove, elf, proof) = coordinator(&url, "faults", 25);
    // Before any worker: the run's 3 jobs are published.
    let mut con = redis::Client::open(url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let first = published_jobs(&mut con, 3, &prove, start).swap_remove(0);
    let bytes: Vec<u8> = first.get("job").unwrap();
    let job = Job::from_bytes(&bytes).unwrap();
    let run = RunKeys::new(&job.run);
    // A corrupted result for segment 0, stored before any worker's: the
    // coordinator must reject it and have the segment proven again.
    let _: () = con.set(run.proof(0), b"JOLTPRF not a proof").unwrap();
    // Segment 2's job twice more, and a job that is not one.
    let dup = Job { segment: 2, ..job }.to_bytes();
    for _ in 0..2 {
        let _: String = con.xadd(JOBS, "*", &[("job", &dup)]).unwrap();
    }
    let _: String = con
        .xadd(JOBS, "*", &[("job", b"garbage".as_slice())])
        .unwrap();
    let mut workers = [Process::worker(&url, "a"), Process::worker(&url, "b")];
    let (ok, out) = prove.finish(start);
    assert!(ok, "{out}");
    assert!(
        out.contains("segment 0's stored result is rejected"),
        "{out}"
    );
    assert!(
        out.contains("outputs: 4b\n") && out.contains("(1 retries)"),
        "{out}"
    );
    assert!(verify(&elf, &proof).status.success());
    let all = || {
        workers
            .iter()
            .map(Process::output)
            .collect::<Vec<_>>()
            .join("\n")
    };
    while !all().contains("rejected malformed job") {
        assert!(start.elapsed() < BOUND, "{}", all());
        std::thread::sleep(Duration::from_millis(20));
    }
    // Segment 2 stored once; its copies were dropped, whether they came
    // before or after the run finished.
    let log = all();
    let stored = log.matches("stored segment 2 ").count();
    let dropped = log
        .lines()
        .filter(|l| {
            (l.contains("segment 2 of run") && l.contains("already proven"))
                || l.contains("is finished or gone")
        })
        .count();
    assert_eq!(stored, 1, "{}", all());
    assert!(dropped >= 2, "{}", all());
    // No job crashed a worker.
    assert!(workers.iter_mut().all(Process::running), "{log}");
}

#[test]
fn a_job_whose_workers_keep_dying_is_failed_then_proven_afresh() {
    let start = Instant::now();
    let redis = LocalRedis::start().unwrap();
    let url = redis.url();
    let (mut prove, elf, proof) = coordinator(&url, "poison", 25);
    let mut con = redis::Client::open(url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let first = published_jobs(&mut con, 3, &prove, start).swap_remove(0).id;
    // Segment 0's job as if three workers had taken it and died: pending
    // with a ghost consumer, delivered three times, idle for a minute.
    let _: redis::Value = redis::cmd("XREADGROUP")
        .arg(&["GROUP", GROUP, "ghost", "COUNT", "1", "STREAMS", JOBS, ">"])
        .query(&mut con)
        .unwrap();
    let _: redis::Value = redis::cmd("XCLAIM")
        .arg(&[
            JOBS,
            GROUP,
            "ghost",
            "0",
            &first,
            "IDLE",
            "60000",
            "RETRYCOUNT",
            "3",
        ])
        .query(&mut con)
        .unwrap();
    let workers = [Process::worker(&url, "a"), Process::worker(&url, "b")];
    let (ok, out) = prove.finish(start);
    assert!(ok, "{out}");
    // The fourth taker reported it instead of proving it; the coordinator
    // published it again and a fresh job proved it.
    assert!(
        out.contains("segment 0 failed on a worker: taken 4 times") && out.contains("(1 retries)"),
        "{out}"
    );
    assert!(verify(&elf, &proof).status.success());
    let log = workers
        .iter()
        .map(Process::output)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(log.contains("reclaimed segment 0"), "{log}");
}

#[test]
fn a_worker_with_other_keys_refuses_and_the_run_goes_on() {
    let start = Instant::now();
    let redis = LocalRedis::start().unwrap();
    let url = redis.url();
    let srs = write_temp("other.srs", b"");
    Srs::insecure_dev_setup(2, 12345).save(&srs).unwrap();
    let (mut prove, elf, proof) = coordinator(&url, "refused", 25);
    let mut other = Process::spawn(&[
        "worker",
        "--redis",
        &url,
        "--threads",
        "1",
        "--name",
        "other",
        "--srs",
        &srs,
    ]);
    other.wait_for("refused segment", start);
    let good = Process::worker(&url, "good");
    let (ok, out) = prove.finish(start);
    assert!(ok, "{out}");
    assert!(out.contains("outputs: 4b\n"), "{out}");
    assert!(verify(&elf, &proof).status.success());
    assert!(other.output().contains("key digest"), "{}", other.output());
    assert!(
        !other.output().contains("stored segment"),
        "{}",
        other.output()
    );
    assert!(
        good.output().contains("stored segment"),
        "{}",
        good.output()
    );
    assert!(other.running());
}
