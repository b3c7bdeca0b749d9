//! The coordinator (docs/cluster.md, "Coordinator"): traces a run once,
//! cuts it into segments, publishes one job per segment, collects and
//! checks the segment proofs workers store, and verifies the assembled
//! chain before handing it back.
//!
//! Blobs are stored once: the program under its SHA-256 (shared by every
//! run of it), the plan once per run, each entry state once per segment.
//! A job is a few dozen bytes naming them.
//!
//! Each stored result is checked when it arrives: a one-segment proof
//! file under the run's key digest and I/O, stating exactly the segment
//! the plan says, that verifies on its own. A result that fails is logged,
//! deleted and its job published again; so is a segment a worker reports
//! failed. A segment that fails [`ClusterOptions::max_attempts`] times
//! ends the run with the last reason. At the end the whole chain is
//! verified ([`zkvm::verify_segments`]) and the run's keys are deleted.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jolt_core::pcs::HyperKzg;
use jolt_core::tracer::segments::SegmentStream;
use jolt_core::tracer::{Program, ProgramIO};
use jolt_core::zkvm::{self, Proof, ProofFile, SegmentPlan, SegmentPlanner, VerifierKey};
use redis::{Client, Commands, Connection};

use crate::job::{sha256, Job, PlanRecord, ProgramRecord, StateRecord};
use crate::store::{self, Event, RunKeys, JOBS};
use crate::ClusterError;

/// How the coordinator runs.
#[derive(Clone, Debug)]
pub struct ClusterOptions {
    /// Segments hold at most 2^this steps.
    pub log_steps: u32,
    /// The run's cycle limit.
    pub max_cycles: u64,
    /// A segment whose proof fails this many times ends the run.
    pub max_attempts: u32,
    /// Draw a progress bar on stderr (when it is a terminal).
    pub progress: bool,
    /// Give up when the segments are not all proven after this long;
    /// `None` waits as long as it takes.
    pub timeout: Option<Duration>,
}

/// A run proven by the cluster.
#[derive(Clone, Debug)]
pub struct ClusterOutput {
    pub io: ProgramIO,
    /// One proof per segment, in order; the chain verifies.
    pub proofs: Vec<Proof<HyperKzg>>,
    pub cycles: u64,
    pub steps: u64,
    /// Tracing and publishing, before the first job.
    pub publish_time: Duration,
    /// From the first job to the last proof accepted.
    pub wait_time: Duration,
    /// Verifying the whole chain.
    pub verify_time: Duration,
    /// Stored results rejected and segments reported failed, re-published.
    pub retries: u32,
}

/// Proves a run of `program` on `inputs` through the workers on the Redis
/// at `url`. `vk` is the program's verifier key (the workers' keys must
/// have its digest).
pub fn prove_on_cluster(
    url: &str,
    program: &Program,
    vk: &VerifierKey<HyperKzg>,
    inputs: &[u8],
    options: &ClusterOptions,
) -> Result<ClusterOutput, ClusterError> {
    let client = Client::open(url)?;
    let mut con = client.get_connection()?;
    let start = Instant::now();
    let mut run = Run::publish(&mut con, program, vk, inputs, options)?;
    let publish_time = start.elapsed();
    let result = run.collect(&mut con, vk, options);
    // Whatever the outcome, the run's keys go.
    let cleaned = run.clean_up(&mut con);
    let (proofs, wait_time, retries) = result?;
    cleaned?;
    let start = Instant::now();
    zkvm::verify_segments(vk, &run.plan.io, &proofs).map_err(ClusterError::Verify)?;
    Ok(ClusterOutput {
        io: run.plan.io.clone(),
        proofs,
        cycles: run.plan.cycles,
        steps: run.plan.steps.iter().sum(),
        publish_time,
        wait_time,
        verify_time: start.elapsed(),
        retries,
    })
}

/// A published run.
pub struct Run {
    pub keys: RunKeys,
    pub plan: SegmentPlan,
    job: Job,
    /// Every job entry published for this run (deleted at the end).
    entries: Vec<String>,
}

impl Run {
    /// Stores the program, traces the run storing each segment's entry
    /// state, stores the plan and publishes one job per segment.
    pub fn publish(
        con: &mut Connection,
        program: &Program,
        vk: &VerifierKey<HyperKzg>,
        inputs: &[u8],
        options: &ClusterOptions,
    ) -> Result<Run, ClusterError> {
        store::ensure_group(con)?;
        let program_bytes = ProgramRecord::of(program).to_bytes();
        let program_digest = sha256(&program_bytes);
        // Refreshes the TTL of a program stored by an earlier run.
        store::set(con, &store::program_key(&program_digest), &program_bytes)?;
        let keys = RunKeys::new(&hex::encode(rand::random::<[u8; 16]>()));
        let mut stream =
            SegmentStream::new(program, inputs, options.log_steps, options.max_cycles)?;
        let mut planner = SegmentPlanner::new(options.log_steps);
        let mut index = 0u32;
        while let Some(segment) = stream.next_segment()? {
            let state = StateRecord::of(&segment.entry, segment.first_step, segment.first_cycle);
            store::set(con, &keys.state(index), &state.to_bytes())?;
            planner.add(&segment);
            index += 1;
        }
        let plan = planner.finish(&vk.memory)?;
        store::set(
            con,
            &keys.plan(),
            &PlanRecord::of(&plan, options.max_cycles).to_bytes(),
        )?;
        let job = Job {
            run: keys.id().to_string(),
            key_digest: vk.digest,
            program: program_digest,
            segment: 0,
            // At most 2^32 segments (SegmentStatement's index is a u32).
            segments: plan.count() as u32,
        };
        let mut run = Run {
            keys,
            plan,
            job,
            entries: Vec::new(),
        };
        for segment in 0..run.job.segments {
            run.publish_job(con, segment)?;
        }
        Ok(run)
    }

    /// Adds segment `segment`'s job to the job stream.
    pub fn publish_job(&mut self, con: &mut Connection, segment: u32) -> Result<(), ClusterError> {
        let job = Job {
            segment,
            ..self.job.clone()
        };
        let id: String = con.xadd(JOBS, "*", &[("job", job.to_bytes())])?;
        self.entries.push(id);
        Ok(())
    }

    /// Waits for every segment's proof, checking each; re-publishes a
    /// segment whose result is rejected or that a worker reports failed.
    pub fn collect(
        &mut self,
        con: &mut Connection,
        vk: &VerifierKey<HyperKzg>,
        options: &ClusterOptions,
    ) -> Result<(Vec<Proof<HyperKzg>>, Duration, u32), ClusterError> {
        let start = Instant::now();
        let count = self.plan.count();
        let bar = progress_bar(count as u64, options.progress);
        let say = |line: String| {
            if bar.is_hidden() {
                eprintln!("{line}");
            } else {
                bar.println(line);
            }
        };
        let mut proofs: Vec<Option<Proof<HyperKzg>>> = vec![None; count];
        let mut attempts = vec![1u32; count];
        let mut retries = 0;
        let mut last_event = "0-0".to_string();
        let mut missing: Vec<u32> = (0..count as u32).collect();
        while !missing.is_empty() {
            if let Some(timeout) = options.timeout {
                if start.elapsed() > timeout {
                    return Err(ClusterError::Timeout {
                        seconds: timeout.as_secs(),
                        missing: missing.len(),
                    });
                }
            }
            let events = store::read_events(con, &self.keys, &mut last_event, Duration::from_secs(1))?;
            let mut retry = Vec::new();
            for event in events {
                if let Event::Failed { segment, reason } = event {
                    if missing.contains(&segment) {
                        say(format!("[cluster] segment {segment} failed on a worker: {reason}"));
                        retry.push((segment, reason));
                    }
                }
            }
            // Every missing segment's key, not only those events name: a
            // result stored without its event is found as well.
            let mut pipe = redis::pipe();
            for &segment in &missing {
                pipe.cmd("GET").arg(self.keys.proof(segment));
            }
            let stored: Vec<Option<Vec<u8>>> = pipe.query(con)?;
            for (&segment, bytes) in missing.iter().zip(stored) {
                let Some(bytes) = bytes else { continue };
                match check_result(vk, &self.plan, segment, &bytes) {
                    Ok(proof) => {
                        proofs[segment as usize] = Some(proof);
                        bar.inc(1);
                        // Its entry state is no longer needed.
                        let _: () = con.del(self.keys.state(segment))?;
                    }
                    Err(why) => {
                        say(format!(
                            "[cluster] segment {segment}'s stored result is rejected: {why}"
                        ));
                        let _: () = con.del(self.keys.proof(segment))?;
                        retry.push((segment, why));
                    }
                }
            }
            for (segment, reason) in retry {
                if proofs[segment as usize].is_some() {
                    continue;
                }
                let tries = &mut attempts[segment as usize];
                if *tries >= options.max_attempts {
                    return Err(ClusterError::SegmentFailed {
                        segment,
                        attempts: *tries,
                        reason,
                    });
                }
                *tries += 1;
                retries += 1;
                self.publish_job(con, segment)?;
            }
            missing.retain(|&s| proofs[s as usize].is_none());
        }
        bar.finish_and_clear();
        // All set: the loop ends when none is missing.
        let proofs = proofs.into_iter().map(|p| p.expect("every segment proven")).collect();
        Ok((proofs, start.elapsed(), retries))
    }

    /// Deletes the run's keys and its job entries.
    pub fn clean_up(&self, con: &mut Connection) -> Result<(), ClusterError> {
        let mut keys = vec![self.keys.plan(), self.keys.events()];
        for segment in 0..self.job.segments {
            keys.push(self.keys.state(segment));
            keys.push(self.keys.proof(segment));
        }
        for chunk in keys.chunks(512) {
            let _: () = con.del(chunk)?;
        }
        for chunk in self.entries.chunks(512) {
            let _: () = con.xdel(JOBS, chunk)?;
        }
        Ok(())
    }
}

/// Segment `segment`'s proof, if `bytes` is a one-segment proof file of
/// this run that states what the plan says and verifies on its own.
pub fn check_result(
    vk: &VerifierKey<HyperKzg>,
    plan: &SegmentPlan,
    segment: u32,
    bytes: &[u8],
) -> Result<Proof<HyperKzg>, String> {
    let file = ProofFile::<HyperKzg>::from_bytes(bytes).map_err(|e| e.to_string())?;
    if file.digest != vk.digest {
        return Err("made under another verifier key".into());
    }
    if file.io != plan.io {
        return Err("claims another I/O".into());
    }
    let [proof]: [Proof<HyperKzg>; 1] = file
        .proofs
        .try_into()
        .map_err(|p: Vec<_>| format!("holds {} proofs, not one", p.len()))?;
    if !plan.states(segment as usize, &proof.segment) {
        return Err("states another segment than the plan's".into());
    }
    zkvm::verify_segment(vk, &plan.io, &proof).map_err(|e| e.to_string())?;
    Ok(proof)
}

fn progress_bar(len: u64, show: bool) -> ProgressBar {
    let target = if show {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    // A fixed template: parsing it cannot fail.
    bar.set_style(
        ProgressStyle::with_template("[cluster] {bar:30} {pos}/{len} segments proven ({elapsed})")
            .expect("a valid template"),
    );
    bar
}
