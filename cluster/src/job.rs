//! The versioned records coordinator and workers exchange through Redis
//! (docs/cluster.md, "Formats"): a job, and the blobs it points to (the
//! program, the run's plan, a segment's entry state). A segment's result
//! is a one-segment proof file ([`jolt_core::zkvm::ProofFile`]), which has
//! its own version.
//!
//! Every record is a 4-byte tag, a little-endian u16 format version and a
//! postcard body that must end exactly where the record does. Decoding
//! never panics and never allocates more than the record's bytes allow:
//! a malformed record is a [`FormatError`] naming what was wrong.

use jolt_core::memory::MemoryPreprocessing;
use jolt_core::tracer::segments::{MachineState, MAX_SEGMENT_LOG_STEPS, MIN_SEGMENT_LOG_STEPS};
use jolt_core::tracer::{MemoryLayout, Program, ProgramIO, NUM_REGISTERS};
use jolt_core::zkvm::SegmentPlan;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The version of every record this build writes and reads.
pub const FORMAT_VERSION: u16 = 1;

/// Why a record cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("{what}: not a record of this kind (tag {found:?})")]
    Tag { what: &'static str, found: Vec<u8> },
    #[error("{what}: format version {found}; this build reads version {FORMAT_VERSION}")]
    Version { what: &'static str, found: u16 },
    #[error("{what}: malformed body: {reason}")]
    Body { what: &'static str, reason: String },
    #[error("{what}: {reason}")]
    Invalid { what: &'static str, reason: String },
}

/// A record kind: its tag and its name in errors.
trait Record: Serialize + DeserializeOwned {
    const TAG: [u8; 4];
    const WHAT: &'static str;
}

fn encode<R: Record>(record: &R) -> Vec<u8> {
    let mut out = R::TAG.to_vec();
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    // Serializing plain structs into a Vec cannot fail.
    postcard::to_extend(record, out).expect("postcard into a Vec")
}

fn decode<R: Record>(bytes: &[u8]) -> Result<R, FormatError> {
    let what = R::WHAT;
    if bytes.len() < 6 || bytes[..4] != R::TAG {
        return Err(FormatError::Tag {
            what,
            found: bytes[..bytes.len().min(4)].to_vec(),
        });
    }
    let found = u16::from_le_bytes([bytes[4], bytes[5]]);
    if found != FORMAT_VERSION {
        return Err(FormatError::Version { what, found });
    }
    let (record, rest) =
        postcard::take_from_bytes::<R>(&bytes[6..]).map_err(|e| FormatError::Body {
            what,
            reason: e.to_string(),
        })?;
    if !rest.is_empty() {
        return Err(FormatError::Body {
            what,
            reason: format!("{} bytes after the record", rest.len()),
        });
    }
    Ok(record)
}

/// One segment to prove: the queue entry. Small; the blobs it names are
/// stored once (the program per program, the plan per run, the entry
/// state per segment).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The run: 32 lowercase hex digits, part of every key of the run.
    pub run: String,
    /// The verifier key's digest (program, layout, SRS): a worker whose
    /// keys differ refuses the job rather than prove under other keys.
    pub key_digest: [u8; 32],
    /// SHA-256 of the program record.
    pub program: [u8; 32],
    /// The segment's index, and how many the run has.
    pub segment: u32,
    pub segments: u32,
}

impl Record for Job {
    const TAG: [u8; 4] = *b"JJOB";
    const WHAT: &'static str = "job";
}

impl Job {
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self)
    }

    /// A job as read from the queue, with its run id and segment index
    /// checked (they become parts of Redis keys).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FormatError> {
        let job: Job = decode(bytes)?;
        if !is_run_id(&job.run) {
            return Err(FormatError::Invalid {
                what: "job",
                reason: "the run id is not 32 lowercase hex digits".into(),
            });
        }
        if job.segment >= job.segments {
            return Err(FormatError::Invalid {
                what: "job",
                reason: format!("segment {} of a run of {}", job.segment, job.segments),
            });
        }
        Ok(job)
    }
}

/// Whether `id` has the form of a run id.
pub fn is_run_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A program as workers load it: the ELF and the memory layout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRecord {
    pub elf: Vec<u8>,
    pub memory_size: u32,
    pub stack_size: u32,
    pub max_input_size: u32,
    pub max_output_size: u32,
}

impl Record for ProgramRecord {
    const TAG: [u8; 4] = *b"JPRG";
    const WHAT: &'static str = "program";
}

impl ProgramRecord {
    pub fn of(program: &Program) -> Self {
        let l = program.layout;
        ProgramRecord {
            elf: program.elf.to_vec(),
            memory_size: l.memory_size,
            stack_size: l.stack_size,
            max_input_size: l.max_input_size,
            max_output_size: l.max_output_size,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self)
    }

    /// The program in `bytes`, which must hash to `digest` (the job's).
    pub fn load(bytes: &[u8], digest: &[u8; 32]) -> Result<Program, FormatError> {
        if &sha256(bytes) != digest {
            return Err(FormatError::Invalid {
                what: "program",
                reason: "its SHA-256 is not the job's program digest".into(),
            });
        }
        let record: ProgramRecord = decode(bytes)?;
        let invalid = |reason: String| FormatError::Invalid {
            what: "program",
            reason,
        };
        let layout = MemoryLayout::new(
            record.memory_size.into(),
            record.stack_size.into(),
            record.max_input_size.into(),
            record.max_output_size.into(),
        )
        .map_err(|e| invalid(e.to_string()))?;
        Program::from_elf(&record.elf, layout).map_err(|e| invalid(e.to_string()))
    }
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The run's plan: what every segment's statement needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRecord {
    pub log_steps: u32,
    pub entry_pcs: Vec<u32>,
    pub steps: Vec<u64>,
    pub final_pc: u32,
    /// log2 of the memory window's words.
    pub memory_vars: u32,
    pub inputs: Vec<u8>,
    pub outputs: Vec<u8>,
    pub panicked: bool,
    pub cycles: u64,
    /// The run's cycle limit (a resumed segment stops at it too).
    pub max_cycles: u64,
}

impl Record for PlanRecord {
    const TAG: [u8; 4] = *b"JPLN";
    const WHAT: &'static str = "plan";
}

impl PlanRecord {
    pub fn of(plan: &SegmentPlan, max_cycles: u64) -> Self {
        PlanRecord {
            log_steps: plan.log_steps,
            entry_pcs: plan.entry_pcs.clone(),
            steps: plan.steps.clone(),
            final_pc: plan.final_pc,
            memory_vars: plan.space.num_vars() as u32,
            inputs: plan.io.inputs.clone(),
            outputs: plan.io.outputs.clone(),
            panicked: plan.io.panicked,
            cycles: plan.cycles,
            max_cycles,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self)
    }

    /// The plan of a run of the program `memory` was made from, and the
    /// run's cycle limit.
    pub fn load(
        bytes: &[u8],
        memory: &MemoryPreprocessing,
    ) -> Result<(SegmentPlan, u64), FormatError> {
        let r: PlanRecord = decode(bytes)?;
        let invalid = |reason: &str| FormatError::Invalid {
            what: "plan",
            reason: reason.into(),
        };
        if r.entry_pcs.is_empty() || r.entry_pcs.len() != r.steps.len() {
            return Err(invalid("entry pcs and step counts differ in number"));
        }
        if !(MIN_SEGMENT_LOG_STEPS..=MAX_SEGMENT_LOG_STEPS).contains(&r.log_steps) {
            return Err(invalid("its segment size is outside the supported sizes"));
        }
        if r.steps.iter().any(|&s| s > 1u64 << r.log_steps) {
            return Err(invalid("a segment holds more steps than the segment size"));
        }
        if r.steps
            .iter()
            .try_fold(0u64, |sum, &s| sum.checked_add(s))
            .is_none()
        {
            return Err(invalid("the step counts overflow"));
        }
        let l = memory.layout;
        if r.inputs.len() > l.max_input_size as usize
            || r.outputs.len() > l.max_output_size as usize
        {
            return Err(invalid("its I/O does not fit the layout's I/O regions"));
        }
        let space = memory
            .window(r.memory_vars as usize)
            .ok_or_else(|| invalid("its memory window is outside the program's layout"))?;
        let plan = SegmentPlan {
            log_steps: r.log_steps,
            entry_pcs: r.entry_pcs,
            steps: r.steps,
            final_pc: r.final_pc,
            space,
            io: ProgramIO {
                inputs: r.inputs,
                outputs: r.outputs,
                panicked: r.panicked,
            },
            cycles: r.cycles,
        };
        Ok((plan, r.max_cycles))
    }
}

/// A segment's entry: the machine state and where in the run it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateRecord {
    pub pc: u32,
    pub registers: Vec<u32>,
    pub memory: Vec<u32>,
    pub first_step: u64,
    pub first_cycle: u64,
}

impl Record for StateRecord {
    const TAG: [u8; 4] = *b"JSTA";
    const WHAT: &'static str = "entry state";
}

impl StateRecord {
    pub fn of(state: &MachineState, first_step: u64, first_cycle: u64) -> Self {
        StateRecord {
            pc: state.pc,
            registers: state.registers.to_vec(),
            memory: state.memory.clone(),
            first_step,
            first_cycle,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self)
    }

    /// The state, its first step and its first cycle.
    pub fn load(bytes: &[u8]) -> Result<(MachineState, u64, u64), FormatError> {
        let r: StateRecord = decode(bytes)?;
        let registers: [u32; NUM_REGISTERS] =
            r.registers
                .try_into()
                .map_err(|r: Vec<u32>| FormatError::Invalid {
                    what: "entry state",
                    reason: format!("{} registers; the machine has {NUM_REGISTERS}", r.len()),
                })?;
        let state = MachineState {
            pc: r.pc,
            registers,
            memory: r.memory,
        };
        Ok((state, r.first_step, r.first_cycle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job {
            run: "0123456789abcdef0123456789abcdef".into(),
            key_digest: [7; 32],
            program: [9; 32],
            segment: 2,
            segments: 5,
        }
    }

    #[test]
    fn a_job_round_trips() {
        let j = job();
        assert_eq!(Job::from_bytes(&j.to_bytes()).unwrap(), j);
    }

    #[test]
    fn malformed_jobs_are_errors_not_panics() {
        let bytes = job().to_bytes();
        // Every truncation, and every single flipped bit of the header.
        for n in 0..bytes.len() {
            assert!(Job::from_bytes(&bytes[..n]).is_err(), "truncated at {n}");
        }
        let mut other_version = bytes.clone();
        other_version[4] ^= 1;
        assert!(matches!(
            Job::from_bytes(&other_version),
            Err(FormatError::Version { found: 0, .. })
        ));
        let mut other_tag = bytes.clone();
        other_tag[0] = b'X';
        assert!(matches!(
            Job::from_bytes(&other_tag),
            Err(FormatError::Tag { .. })
        ));
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(matches!(
            Job::from_bytes(&trailing),
            Err(FormatError::Body { .. })
        ));
        // A run id that could escape its keys, a segment past the run.
        let mut j = job();
        j.run = "../../jolt:jobs0123456789abcdef0".into();
        assert!(matches!(
            Job::from_bytes(&j.to_bytes()),
            Err(FormatError::Invalid { .. })
        ));
        let mut j = job();
        j.segment = 5;
        assert!(matches!(
            Job::from_bytes(&j.to_bytes()),
            Err(FormatError::Invalid { .. })
        ));
        // Random bytes never panic.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..200 {
            let noise: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let _ = Job::from_bytes(&noise);
            let _ = StateRecord::load(&noise);
            let _ = ProgramRecord::load(&noise, &sha256(&noise));
        }
    }

    #[test]
    fn a_state_needs_every_register() {
        let r = StateRecord {
            pc: 4,
            registers: vec![0; NUM_REGISTERS - 1],
            memory: vec![1, 2],
            first_step: 0,
            first_cycle: 0,
        };
        assert!(matches!(
            StateRecord::load(&r.to_bytes()),
            Err(FormatError::Invalid { .. })
        ));
        let r = StateRecord {
            registers: vec![3; NUM_REGISTERS],
            ..r
        };
        let (state, _, _) = StateRecord::load(&r.to_bytes()).unwrap();
        assert_eq!(state.registers[5], 3);
    }

    #[test]
    fn a_program_must_match_its_digest() {
        let record = ProgramRecord {
            elf: b"not an elf".to_vec(),
            memory_size: 1 << 16,
            stack_size: 1 << 12,
            max_input_size: 4096,
            max_output_size: 4096,
        };
        let bytes = record.to_bytes();
        assert!(ProgramRecord::load(&bytes, &[0; 32])
            .unwrap_err()
            .to_string()
            .contains("SHA-256"));
        // The right digest, then the ELF loader's own refusal.
        assert!(matches!(
            ProgramRecord::load(&bytes, &sha256(&bytes)),
            Err(FormatError::Invalid {
                what: "program",
                ..
            })
        ));
    }
}
