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
        let mut index = 0u32;
        let mut pass = || -> Result<SegmentPlan, ClusterError> {
            let mut stream =
                SegmentStream::new(program, inputs, options.log_steps, options.max_cycles)?;
            let mut planner = SegmentPlanner::new(options.log_steps);
            while let Some(segment) = stream.next_segment()? {
                let state =
                    StateRecord::of(&segment.entry, segment.first_step, segment.first_cycle);
                store::set(con, &keys.state(index), &state.to_bytes())?;
                planner.add(&segment);
                index += 1;
            }
            Ok(planner.finish(&vk.memory)?)
        };
        let plan = match pass() {
            Ok(plan) => plan,
            Err(e) => {
                // The states stored before the run failed (a fault, the
                // cycle limit) go with it.
                let states: Vec<String> = (0..index).map(|j| keys.state(j)).collect();
                for chunk in states.chunks(512) {
                    let _: redis::RedisResult<()> = con.del(chunk);
                }
                return Err(e);
            }
        };
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
        let mut refusals = vec![0u32; count];
        let mut retries = 0;
        let mut last_event = "0-0".to_string();
        let mut missing: Vec<u32> = (0..count as u32).collect();
        let mut refreshed = Instant::now();
        while !missing.is_empty() {
            if let Some(timeout) = options.timeout {
                if start.elapsed() > timeout {
                    return Err(ClusterError::Timeout {
                        seconds: timeout.as_secs(),
                        missing: missing.len(),
                    });
                }
            }
            // A run that outlives the keys' TTL keeps them.
            if refreshed.elapsed() > store::RUN_TTL / 4 {
                let mut keys = vec![self.keys.plan(), store::program_key(&self.job.program)];
                keys.extend(missing.iter().map(|&j| self.keys.state(j)));
                store::refresh(con, &keys)?;
                refreshed = Instant::now();
            }
            let events =
                store::read_events(con, &self.keys, &mut last_event, Duration::from_secs(1))?;
            // One retry per segment per pass, whatever asked for it.
            let mut retry = std::collections::BTreeMap::new();
            for event in events {
                match event {
                    Event::Failed { segment, reason } if missing.contains(&segment) => {
                        say(format!(
                            "[cluster] segment {segment} failed on a worker: {reason}"
                        ));
                        retry.insert(segment, (reason, true));
                    }
                    Event::Refused { segment, reason } if missing.contains(&segment) => {
                        refusals[segment as usize] += 1;
                        if refusals[segment as usize] > MAX_REFUSALS {
                            return Err(ClusterError::SegmentFailed {
                                segment,
                                attempts: refusals[segment as usize],
                                reason: format!("no worker with the run's keys took it: {reason}"),
                            });
                        }
                        retry.entry(segment).or_insert((reason, false));
                    }
                    _ => {}
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
                let checked = check_result(vk, &self.plan, segment, &bytes)
                    .and_then(|proof| check_links(vk, &proofs, segment, proof));
                match checked {
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
                        retry.insert(segment, (why, true));
                    }
                }
            }
            for (segment, (reason, counts)) in retry {
                if proofs[segment as usize].is_some() {
                    continue;
                }
                if counts {
                    let tries = &mut attempts[segment as usize];
                    if *tries >= options.max_attempts {
                        return Err(ClusterError::SegmentFailed {
                            segment,
                            attempts: *tries,
                            reason,
                        });
                    }
                    *tries += 1;
                }
                retries += 1;
                self.publish_job(con, segment)?;
            }
            missing.retain(|&s| proofs[s as usize].is_none());
        }
        bar.finish_and_clear();
        // All set: the loop ends when none is missing.
        let proofs = proofs
            .into_iter()
            .map(|p| p.expect("every segment proven"))
            .collect();
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

/// A segment refused this often (by workers whose keys are not the run's)
/// ends the run: no worker with the run's keys seems to be there.
pub const MAX_REFUSALS: u32 = 50;

/// `proof` for segment `segment` if it links with the neighbours already
/// accepted: its initial memory is the previous segment's final memory,
/// and its final memory the next one's initial memory. The arriving proof
/// is the one rejected on a mismatch (and proven again).
fn check_links(
    vk: &VerifierKey<HyperKzg>,
    accepted: &[Option<Proof<HyperKzg>>],
    segment: u32,
    proof: Proof<HyperKzg>,
) -> Result<Proof<HyperKzg>, String> {
    let j = segment as usize;
    if let Some(Some(previous)) = j.checked_sub(1).map(|i| &accepted[i]) {
        if proof.segment.init.is_none()
            || proof.segment.init.as_ref() != zkvm::final_memory_commitment(vk, previous)
        {
            return Err("its initial memory is not the previous segment's final memory".into());
        }
    }
    if let Some(Some(next)) = accepted.get(j + 1) {
        if next.segment.init.is_none()
            || next.segment.init.as_ref() != zkvm::final_memory_commitment(vk, &proof)
        {
            return Err("its final memory is not the next segment's initial memory".into());
        }
    }
    Ok(proof)
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
    if proof.memory_vars as usize != plan.space.num_vars() {
        return Err("covers another memory window than the plan's".into());
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

#[cfg(test)]
mod tests {
    use super::*;
    use jolt_core::testing::programs::ProgramGenerator;
    use jolt_core::tracer::MemoryLayout;
    use jolt_core::zkvm::{prove_planned, ProveOptions};

    const INPUTS: [u8; 8] = [7, 0, 0, 0, 9, 0, 0, 0];

    /// What a worker stores: a one-segment proof file.
    fn file(vk: &VerifierKey<HyperKzg>, io: &ProgramIO, proofs: Vec<Proof<HyperKzg>>) -> Vec<u8> {
        ProofFile {
            digest: vk.digest,
            io: io.clone(),
            proofs,
        }
        .to_bytes()
    }

    #[test]
    fn a_result_is_kept_only_if_it_is_the_planned_segment() {
        let layout = MemoryLayout::new(128 << 10, 4 << 10, 64, 64).unwrap();
        let program = ProgramGenerator::new(5, layout).program(1, 12, false);
        let vk0 = zkvm::dev_verifier_key(&program).unwrap();
        let plan = SegmentPlan::new(&vk0.memory, &program, &INPUTS, 6, 1 << 20).unwrap();
        assert!(plan.count() > 2, "the run spans several segments");
        let (pk, vk) = zkvm::dev_preprocess(&program, plan.shape().unwrap()).unwrap();
        let out = prove_planned(&pk, &plan, &INPUTS, &ProveOptions::default()).unwrap();
        let p = &out.proofs;
        let io = &plan.io;
        for (j, proof) in p.iter().enumerate() {
            check_result(&vk, &plan, j as u32, &file(&vk, io, vec![proof.clone()])).unwrap();
        }
        // Segment 2's proof stored as segment 1's.
        let err = check_result(&vk, &plan, 1, &file(&vk, io, vec![p[2].clone()])).unwrap_err();
        assert!(err.contains("another segment"), "{err}");
        // Other I/O, another key digest, two proofs, no proof at all.
        let mut other = io.clone();
        other.outputs.push(1);
        let err = check_result(&vk, &plan, 1, &file(&vk, &other, vec![p[1].clone()])).unwrap_err();
        assert!(err.contains("another I/O"), "{err}");
        let mut bytes = file(&vk, io, vec![p[1].clone()]);
        bytes[12] ^= 1; // in the digest, after the 8-byte magic and the version
        let err = check_result(&vk, &plan, 1, &bytes).unwrap_err();
        assert!(err.contains("another verifier key"), "{err}");
        let err = check_result(&vk, &plan, 1, &file(&vk, io, p[1..3].to_vec())).unwrap_err();
        assert!(err.contains("2 proofs"), "{err}");
        // A proof that states segment 1 but fails its own verification: a
        // flipped byte near the end (in the opening).
        let mut bytes = file(&vk, io, vec![p[1].clone()]);
        let at = bytes.len() - 40;
        bytes[at] ^= 1;
        assert!(check_result(&vk, &plan, 1, &bytes).is_err());
        assert!(check_result(&vk, &plan, 1, b"not a proof file").is_err());
    }
}
