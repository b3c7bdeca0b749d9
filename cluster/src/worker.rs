//! A prover worker (docs/cluster.md, "Workers"): takes segment jobs from
//! the job stream through the consumer group, proves each segment from its
//! entry state, checks the proof, stores it once and acknowledges the job.
//!
//! - A job stays pending in the group until acknowledged. While proving,
//!   a heartbeat re-claims the job every third of the reclaim timeout, so
//!   its idle time stays low; a worker that dies stops the heartbeat, and
//!   after the timeout another worker takes the job over with
//!   `XAUTOCLAIM`.
//! - The proof key is set only if unset: a job proven twice (duplicated,
//!   or reclaimed from a worker that was only slow) stores one result.
//! - A malformed job is logged and acknowledged; a job this worker cannot
//!   prove (wrong keys, a missing blob, a fault of the run) is reported on
//!   the run's events stream, for the coordinator to retry elsewhere or
//!   give up. Nothing a job says makes the worker run anything but the
//!   zkVM's tracer and prover on the job's program.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use jolt_core::pcs::{HyperKzg, Srs};
use jolt_core::tracer::segments::SegmentStream;
use jolt_core::tracer::Program;
use jolt_core::zkvm::{self, ProofFile, ProveOptions, ProverKey, VerifierKey};
use redis::streams::{
    StreamAutoClaimOptions, StreamAutoClaimReply, StreamId, StreamReadOptions, StreamReadReply,
};
use redis::{Client, Commands, Connection};

use crate::job::{Job, PlanRecord, ProgramRecord, StateRecord};
use crate::store::{self, Event, RunKeys, GROUP, JOBS};
use crate::ClusterError;

/// A job taken over more often than this (every worker that took it died)
/// is reported failed instead of proven again.
pub const MAX_DELIVERIES: u64 = 3;

/// How long a worker waits after refusing a job made under other keys, so
/// that workers with the run's keys take it.
const REFUSAL_PAUSE: Duration = Duration::from_secs(2);

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// Its consumer name in the group: unique among the workers.
    pub name: String,
    /// The SRS file its keys come from (this project's format or a
    /// `.ptau`); `None` for the INSECURE development SRS. Must be the
    /// coordinator's: a job names the verifier key's digest.
    pub srs: Option<PathBuf>,
    /// A job pending this long without a heartbeat is taken over by
    /// another worker.
    pub reclaim_after: Duration,
    /// How long one read of the job stream waits for a new job.
    pub poll: Duration,
}

impl WorkerOptions {
    pub fn new(name: impl Into<String>) -> Self {
        WorkerOptions {
            name: name.into(),
            srs: None,
            reclaim_after: Duration::from_secs(30),
            poll: Duration::from_secs(1),
        }
    }
}

/// What became of one job.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The proof is stored (and reported).
    Stored { segment: u32, seconds: f64 },
    /// The segment was already proven: nothing stored.
    AlreadyProven { segment: u32 },
    /// The run's keys are gone (finished or expired): nothing to do.
    RunGone,
    /// The worker could not prove it (reported to the coordinator).
    Failed { segment: u32, reason: String },
    /// The job was made under other keys than this worker's (reported;
    /// not counted against the segment).
    Refused { segment: u32, reason: String },
    /// Not a job: acknowledged and dropped.
    Malformed { reason: String },
}

/// A worker connected to one Redis.
pub struct Worker {
    client: Client,
    con: Connection,
    options: WorkerOptions,
    /// The last program and its verifier key, by program digest.
    program: Option<([u8; 32], Program, VerifierKey<HyperKzg>)>,
    /// The last prover key (for the cached program).
    prover: Option<ProverKey<HyperKzg>>,
    /// Where the next `XAUTOCLAIM` scan of the pending entries starts:
    /// each call looks at a few entries, so the scan goes on from where
    /// the last one stopped and wraps around.
    claim_cursor: String,
}

impl Worker {
    /// Connects to `url` (`redis://HOST:PORT`) and joins the group.
    pub fn connect(url: &str, options: WorkerOptions) -> Result<Self, ClusterError> {
        let client = Client::open(url)?;
        let mut con = client.get_connection()?;
        store::ensure_group(&mut con)?;
        Ok(Worker {
            client,
            con,
            options,
            program: None,
            prover: None,
            claim_cursor: "0-0".into(),
        })
    }

    fn log(&self, line: &str) {
        println!("[worker {}] {line}", self.options.name);
    }

    /// Takes and proves jobs until `stop` is set. A lost connection is
    /// logged and re-established; the worker does not exit on it.
    pub fn run(&mut self, stop: &AtomicBool) {
        self.log("waiting for jobs");
        while !stop.load(Ordering::Relaxed) {
            if let Err(e) = self.run_once() {
                self.log(&format!("redis: {e}; reconnecting in 1 s"));
                std::thread::sleep(Duration::from_secs(1));
                match self.client.get_connection() {
                    Ok(con) => self.con = con,
                    Err(e) => self.log(&format!("reconnect failed: {e}")),
                }
                let _ = store::ensure_group(&mut self.con);
            }
        }
    }

    /// Handles at most one job: a stale one claimed from a dead worker
    /// first, else a new one (waiting up to the poll time).
    pub fn run_once(&mut self) -> Result<Option<Outcome>, ClusterError> {
        let (entry, reclaimed) = match self.claim_stale()? {
            Some(entry) => (entry, true),
            None => match self.read_new()? {
                Some(entry) => (entry, false),
                None => return Ok(None),
            },
        };
        let outcome = self.handle(&entry, reclaimed)?;
        let _: i64 = self.con.xack(JOBS, GROUP, &[&entry.id])?;
        // No coordinator will clean these up (a finished run deleted its
        // entries already; a dead one never will).
        if matches!(outcome, Outcome::RunGone | Outcome::Malformed { .. }) {
            let _: i64 = self.con.xdel(JOBS, &[&entry.id])?;
        }
        Ok(Some(outcome))
    }

    fn claim_stale(&mut self) -> Result<Option<StreamId>, ClusterError> {
        let options = StreamAutoClaimOptions::default().count(1);
        let reply: StreamAutoClaimReply = self.con.xautoclaim_options(
            JOBS,
            GROUP,
            &self.options.name,
            self.options.reclaim_after.as_millis() as u64,
            &self.claim_cursor,
            options,
        )?;
        self.claim_cursor = reply.next_stream_id;
        Ok(reply.claimed.into_iter().next())
    }

    fn read_new(&mut self) -> Result<Option<StreamId>, ClusterError> {
        let options = StreamReadOptions::default()
            .group(GROUP, &self.options.name)
            .count(1)
            .block(self.options.poll.as_millis() as usize);
        let reply: Option<StreamReadReply> = self.con.xread_options(&[JOBS], &[">"], &options)?;
        Ok(reply
            .and_then(|r| r.keys.into_iter().next())
            .and_then(|k| k.ids.into_iter().next()))
    }

    fn handle(&mut self, entry: &StreamId, reclaimed: bool) -> Result<Outcome, ClusterError> {
        let bytes: Option<Vec<u8>> = entry.get("job");
        let job = match bytes.as_deref().map(Job::from_bytes) {
            Some(Ok(job)) => job,
            Some(Err(e)) => return Ok(self.malformed(&entry.id, e.to_string())),
            None => return Ok(self.malformed(&entry.id, "no `job` field".into())),
        };
        let run = RunKeys::new(&job.run);
        self.log(&format!(
            "{} segment {} of {} of run {} (job {})",
            if reclaimed { "reclaimed" } else { "proving" },
            job.segment,
            job.segments,
            job.run,
            entry.id
        ));
        if reclaimed {
            let deliveries = self.deliveries(&entry.id)?;
            if deliveries > MAX_DELIVERIES {
                // Every worker that took it died: proving it again would
                // kill this one too (out of memory for its segment size?).
                let reason = format!(
                    "taken {deliveries} times by workers that died before finishing it \
                     (not enough memory for its segment size?)"
                );
                return self.report_failure(&job, &run, reason);
            }
        }
        let start = Instant::now();
        // The heartbeat keeps the job ours while it proves; it stops when
        // the guard drops, also if proving panics.
        let done = AtomicBool::new(false);
        let (client, name) = (self.client.clone(), self.options.name.clone());
        let period = self.options.reclaim_after / 3;
        let result = std::thread::scope(|scope| {
            let (done, id) = (&done, entry.id.as_str());
            scope.spawn(move || heartbeat(&client, &name, id, period, done));
            let _stop = StopOnDrop(done);
            // A panic in the prover on data from Redis is a failed job,
            // not a dead worker.
            std::panic::catch_unwind(AssertUnwindSafe(|| self.prove_job(&job, &run)))
                .unwrap_or_else(|panic| {
                    let what = panic
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| panic.downcast_ref::<&str>().copied())
                        .unwrap_or("a panic");
                    Err(JobFailure::Reason(format!("the prover panicked: {what}")))
                })
        });
        let outcome = match result {
            Ok(Some(proof_file)) => {
                if store::store_proof(&mut self.con, &run, job.segment, &proof_file)? {
                    store::report(
                        &mut self.con,
                        &run,
                        &Event::Proven {
                            segment: job.segment,
                        },
                    )?;
                    Outcome::Stored {
                        segment: job.segment,
                        seconds: start.elapsed().as_secs_f64(),
                    }
                } else {
                    match self.run_state(&job, &run)? {
                        RunState::Gone => Outcome::RunGone,
                        _ => Outcome::AlreadyProven {
                            segment: job.segment,
                        },
                    }
                }
            }
            Ok(None) => match self.run_state(&job, &run)? {
                RunState::Proven => Outcome::AlreadyProven {
                    segment: job.segment,
                },
                _ => Outcome::RunGone,
            },
            Err(JobFailure::Redis(e)) => return Err(e.into()),
            Err(JobFailure::Reason(reason)) => return self.report_failure(&job, &run, reason),
            Err(JobFailure::Refused(reason)) => {
                store::report(
                    &mut self.con,
                    &run,
                    &Event::Refused {
                        segment: job.segment,
                        reason: reason.clone(),
                    },
                )?;
                self.log(&format!(
                    "refused segment {} of run {}: {reason}",
                    job.segment, job.run
                ));
                // Leave the job to workers with the run's keys for a while.
                std::thread::sleep(REFUSAL_PAUSE);
                return Ok(Outcome::Refused {
                    segment: job.segment,
                    reason,
                });
            }
        };
        match &outcome {
            Outcome::Stored { segment, seconds } => self.log(&format!(
                "stored segment {segment} of run {} ({seconds:.2} s)",
                job.run
            )),
            Outcome::AlreadyProven { segment } => self.log(&format!(
                "segment {segment} of run {} was already proven: dropped",
                job.run
            )),
            Outcome::RunGone => self.log(&format!("run {} is finished or gone: dropped", job.run)),
            Outcome::Failed { .. } | Outcome::Refused { .. } | Outcome::Malformed { .. } => {}
        }
        Ok(outcome)
    }

    /// Reports a job this worker could not prove to its coordinator.
    fn report_failure(
        &mut self,
        job: &Job,
        run: &RunKeys,
        reason: String,
    ) -> Result<Outcome, ClusterError> {
        store::report(
            &mut self.con,
            run,
            &Event::Failed {
                segment: job.segment,
                reason: reason.clone(),
            },
        )?;
        self.log(&format!(
            "segment {} of run {} failed: {reason}",
            job.segment, job.run
        ));
        Ok(Outcome::Failed {
            segment: job.segment,
            reason,
        })
    }

    /// How many times the group has delivered entry `id`.
    fn deliveries(&mut self, id: &str) -> Result<u64, ClusterError> {
        // XPENDING key group start end count: [[id, consumer, idle, deliveries]].
        let reply: Vec<(String, String, u64, u64)> = redis::cmd("XPENDING")
            .arg(JOBS)
            .arg(GROUP)
            .arg(id)
            .arg(id)
            .arg(1)
            .query(&mut self.con)?;
        Ok(reply.first().map_or(0, |e| e.3))
    }

    fn malformed(&self, id: &str, reason: String) -> Outcome {
        self.log(&format!("rejected malformed job {id}: {reason}"));
        Outcome::Malformed { reason }
    }

    fn run_state(&mut self, job: &Job, run: &RunKeys) -> Result<RunState, ClusterError> {
        let proven: bool = self.con.exists(run.proof(job.segment))?;
        let planned: bool = self.con.exists(run.plan())?;
        Ok(match (proven, planned) {
            (true, _) => RunState::Proven,
            (false, true) => RunState::Open,
            (false, false) => RunState::Gone,
        })
    }

    /// The segment's proof file, or `None` if there is nothing to do (the
    /// segment is proven, or the run is gone).
    fn prove_job(&mut self, job: &Job, run: &RunKeys) -> Result<Option<Vec<u8>>, JobFailure> {
        if self.run_state(job, run).map_err(JobFailure::from_cluster)? != RunState::Open {
            return Ok(None);
        }
        let plan_bytes = store::get(&mut self.con, &run.plan())?;
        let state_bytes = store::get(&mut self.con, &run.state(job.segment))?;
        let Some(plan_bytes) = plan_bytes else {
            return Ok(None);
        };
        let Some(state_bytes) = state_bytes else {
            return Err(JobFailure::Reason(
                "the segment's entry state is missing (expired or evicted from Redis)".into(),
            ));
        };
        self.load_program(job)?;
        // Loaded just above.
        let (_, program, vk) = self.program.as_ref().expect("program loaded");
        let (plan, max_cycles) = PlanRecord::load(&plan_bytes, &vk.memory).map_err(reason)?;
        if plan.count() != job.segments as usize {
            return Err(JobFailure::Reason(format!(
                "the job says {} segments, the plan {}",
                job.segments,
                plan.count()
            )));
        }
        let shape = plan.shape().map_err(reason)?;
        let (entry, first_step, first_cycle) = StateRecord::load(&state_bytes).map_err(reason)?;
        let j = job.segment as usize;
        let planned_first_step: u64 = plan.steps[..j].iter().sum();
        if entry.pc != plan.entry_pcs[j] || first_step != planned_first_step {
            return Err(JobFailure::Reason(
                "the entry state is not where the plan says the segment starts".into(),
            ));
        }
        let program = program.clone();
        let pk = match self.prover.take() {
            Some(pk) if pk.vk.digest == vk.digest && pk.max_shape.covers(&shape) => pk,
            _ => {
                self.log(&format!("making a prover key for {shape:?}"));
                self.prover_key(&program, shape)?
            }
        };
        let mut stream = SegmentStream::resume_one(
            &program,
            &plan.io.inputs,
            entry,
            job.segment as usize,
            first_step,
            first_cycle,
            plan.log_steps,
            max_cycles,
        )
        .map_err(reason)?;
        let segment = stream
            .next_segment()
            .map_err(reason)?
            .ok_or_else(|| JobFailure::Reason("the entry state is a halted machine".into()))?;
        let options = ProveOptions {
            max_cycles,
            ..ProveOptions::default()
        };
        let proved = zkvm::prove_segment(&pk, &plan, &segment, &options);
        let result = proved.map_err(reason).and_then(|(proof, _)| {
            // Checked before it is kept.
            if !plan.states(segment.index, &proof.segment) {
                return Err(JobFailure::Reason(
                    "the proof states another segment".into(),
                ));
            }
            zkvm::verify_segment(&pk.vk, &plan.io, &proof).map_err(reason)?;
            Ok(ProofFile {
                digest: pk.vk.digest,
                io: plan.io.clone(),
                proofs: vec![proof],
            }
            .to_bytes())
        });
        self.prover = Some(pk);
        result.map(Some)
    }

    /// Loads the job's program and verifier key unless cached; refuses a
    /// job made under other keys.
    fn load_program(&mut self, job: &Job) -> Result<(), JobFailure> {
        if !matches!(&self.program, Some((digest, _, _)) if digest == &job.program) {
            self.program = None;
            self.prover = None;
            let bytes = store::get(&mut self.con, &store::program_key(&job.program))?
                .ok_or_else(|| JobFailure::Reason("the program blob is missing".into()))?;
            let program = ProgramRecord::load(&bytes, &job.program).map_err(reason)?;
            let vk = match &self.options.srs {
                None => zkvm::dev_verifier_key(&program),
                Some(path) => {
                    let srs = Srs::open(path, 0)
                        .map_err(|e| JobFailure::Reason(format!("{}: {e}", path.display())))?;
                    zkvm::verifier_key(&program, &srs)
                }
            }
            .map_err(reason)?;
            self.program = Some((job.program, program, vk));
        }
        // Set just above.
        let (_, _, vk) = self.program.as_ref().expect("program loaded");
        if vk.digest != job.key_digest {
            return Err(JobFailure::Refused(format!(
                "this worker's keys ({}) give key digest {}; the job was made under {} \
                 (start the worker with the coordinator's --srs)",
                self.options
                    .srs
                    .as_ref()
                    .map_or("the development SRS".into(), |p| p.display().to_string()),
                hex::encode(&vk.digest[..8]),
                hex::encode(&job.key_digest[..8])
            )));
        }
        Ok(())
    }

    fn prover_key(
        &self,
        program: &Program,
        shape: zkvm::ProofShape,
    ) -> Result<ProverKey<HyperKzg>, JobFailure> {
        let keys = match &self.options.srs {
            None => zkvm::dev_preprocess(program, shape),
            Some(path) => {
                let srs = Srs::open(path, zkvm::srs_num_vars(program, shape))
                    .map_err(|e| JobFailure::Reason(format!("{}: {e}", path.display())))?;
                zkvm::preprocess(program, &srs, shape)
            }
        };
        Ok(keys.map_err(reason)?.0)
    }
}

/// Re-claims job `id` for `name` every `period` until `done`: the job's
/// idle time stays below the reclaim timeout while its worker lives.
fn heartbeat(client: &Client, name: &str, id: &str, period: Duration, done: &AtomicBool) {
    let Ok(mut con) = client.get_connection() else {
        return;
    };
    let mut last = Instant::now();
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50).min(period));
        if last.elapsed() >= period {
            let _: redis::RedisResult<redis::Value> = redis::cmd("XCLAIM")
                .arg(JOBS)
                .arg(GROUP)
                .arg(name)
                .arg(0)
                .arg(id)
                .arg("JUSTID")
                .query(&mut con);
            last = Instant::now();
        }
    }
}

/// Sets its flag when dropped: the heartbeat's stop, however proving
/// ends.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunState {
    Open,
    Proven,
    Gone,
}

/// Why a job was not proven: Redis (the worker retries the connection),
/// or the job itself (reported).
enum JobFailure {
    Redis(redis::RedisError),
    Reason(String),
    /// The job is not for this worker's keys.
    Refused(String),
}

impl From<redis::RedisError> for JobFailure {
    fn from(e: redis::RedisError) -> Self {
        JobFailure::Redis(e)
    }
}

impl JobFailure {
    fn from_cluster(e: ClusterError) -> Self {
        match e {
            ClusterError::Redis(e) => JobFailure::Redis(e),
            other => JobFailure::Reason(other.to_string()),
        }
    }
}

fn reason(e: impl std::fmt::Display) -> JobFailure {
    JobFailure::Reason(e.to_string())
}
