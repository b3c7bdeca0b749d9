//! Distributed proving (docs/cluster.md): a run's segments proven on many
//! machines through Redis.
//!
//! A coordinator ([`prove_on_cluster`]) traces the run, cuts it into
//! segments and publishes one job per segment on a Redis stream; workers
//! ([`Worker`]) read the stream through a consumer group, prove segments
//! and store the proofs; the coordinator checks each proof and verifies
//! the assembled chain. Delivery, acknowledgement and the recovery of jobs
//! held by a dead worker are Redis's: pending entries and `XAUTOCLAIM`.
//!
//! Modules: [`job`] (the versioned records), [`store`] (the Redis keys),
//! [`coordinator`], [`worker`].

pub mod coordinator;
pub mod job;
#[cfg(feature = "local")]
pub mod local;
pub mod store;
pub mod worker;

pub use coordinator::{prove_on_cluster, ClusterOptions, ClusterOutput};
pub use job::{FormatError, FORMAT_VERSION};
pub use worker::{Outcome, Worker, WorkerOptions};

use jolt_core::error::VerifyError;
use jolt_core::tracer::segments::SegmentError;
use jolt_core::zkvm::ZkvmError;

/// Why a distributed proof did not come back.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error(transparent)]
    Zkvm(#[from] ZkvmError),
    #[error(transparent)]
    Segments(#[from] SegmentError),
    #[error("segment {segment} failed {attempts} times; the last time: {reason}")]
    SegmentFailed {
        segment: u32,
        attempts: u32,
        reason: String,
    },
    #[error(
        "{missing} segment(s) still unproven after {seconds} s \
         (are workers running against this Redis, with the same SRS?)"
    )]
    Timeout { seconds: u64, missing: usize },
    #[error("the assembled proof does not verify: {0}")]
    Verify(VerifyError),
}
