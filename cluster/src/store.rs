//! Where things live in Redis (docs/cluster.md, "Keys"): the job stream
//! and its consumer group, the program blobs, and each run's keys.
//!
//! - `jolt:jobs`: the stream of [`crate::job::Job`]s; the consumer group
//!   `jolt-provers` hands each entry to one worker, keeps it pending until
//!   acknowledged and lets another worker claim it once it has been idle.
//! - `jolt:program:<sha256>`: a program record, shared by every run of it.
//! - `jolt:run:<id>:plan`, `:state:<j>`, `:proof:<j>`: a run's plan,
//!   segment j's entry state and its proof (set once: the first stored
//!   result wins).
//! - `jolt:run:<id>:events`: a stream on which workers say a segment was
//!   proven or failed, so the coordinator need not poll.
//!
//! Every run key expires after [`RUN_TTL`], so a coordinator that dies
//! leaves nothing behind for long; a finished run deletes its keys.

use std::time::Duration;

use redis::{Connection, RedisResult};

/// The job stream.
pub const JOBS: &str = "jolt:jobs";

/// The consumer group every worker reads the job stream through.
pub const GROUP: &str = "jolt-provers";

/// How long a run's keys and a program blob outlive their last write.
pub const RUN_TTL: Duration = Duration::from_secs(24 * 3600);

pub fn program_key(digest: &[u8; 32]) -> String {
    format!("jolt:program:{}", hex::encode(digest))
}

/// The keys of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunKeys {
    id: String,
}

impl RunKeys {
    /// `id` must be a checked run id ([`crate::job::is_run_id`]).
    pub fn new(id: &str) -> Self {
        RunKeys { id: id.to_string() }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn plan(&self) -> String {
        format!("jolt:run:{}:plan", self.id)
    }

    pub fn state(&self, segment: u32) -> String {
        format!("jolt:run:{}:state:{segment}", self.id)
    }

    pub fn proof(&self, segment: u32) -> String {
        format!("jolt:run:{}:proof:{segment}", self.id)
    }

    pub fn events(&self) -> String {
        format!("jolt:run:{}:events", self.id)
    }
}

/// Creates the consumer group (and the stream) unless it exists. From id
/// 0, so a job added before the group existed is still delivered.
pub fn ensure_group(con: &mut Connection) -> RedisResult<()> {
    let created: RedisResult<()> = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(JOBS)
        .arg(GROUP)
        .arg("0")
        .arg("MKSTREAM")
        .query(con);
    match created {
        Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
        other => other,
    }
}

/// Sets `key` to `value` with the run TTL.
pub fn set(con: &mut Connection, key: &str, value: &[u8]) -> RedisResult<()> {
    redis::cmd("SET")
        .arg(key)
        .arg(value)
        .arg("EX")
        .arg(RUN_TTL.as_secs())
        .query(con)
}

/// Stores segment `segment`'s proof if the run is still open (its plan
/// exists) and no proof is stored yet, atomically: a late duplicate cannot
/// recreate a finished run's keys. Whether this call stored it.
pub fn store_proof(
    con: &mut Connection,
    run: &RunKeys,
    segment: u32,
    proof: &[u8],
) -> RedisResult<bool> {
    const SCRIPT: &str = "if redis.call('EXISTS', KEYS[1]) == 1 then \
         return redis.call('SET', KEYS[2], ARGV[1], 'NX', 'EX', ARGV[2]) else return false end";
    let reply: Option<String> = redis::cmd("EVAL")
        .arg(SCRIPT)
        .arg(2)
        .arg(run.plan())
        .arg(run.proof(segment))
        .arg(proof)
        .arg(RUN_TTL.as_secs())
        .query(con)?;
    Ok(reply.is_some())
}

/// Resets the TTL of `keys` (a run that lasts longer than [`RUN_TTL`]
/// keeps them).
pub fn refresh(con: &mut Connection, keys: &[String]) -> RedisResult<()> {
    let mut pipe = redis::pipe();
    for key in keys {
        pipe.cmd("EXPIRE").arg(key).arg(RUN_TTL.as_secs()).ignore();
    }
    pipe.query(con)
}

pub fn get(con: &mut Connection, key: &str) -> RedisResult<Option<Vec<u8>>> {
    redis::cmd("GET").arg(key).query(con)
}

/// A worker's report on a segment, on the run's events stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A proof is stored at the segment's proof key.
    Proven { segment: u32 },
    /// The worker could not prove the segment, and why.
    Failed { segment: u32, reason: String },
    /// The worker will not prove it (its keys are not the run's): not the
    /// segment's fault, so it does not count as a failed attempt.
    Refused { segment: u32, reason: String },
}

/// Appends `event` to the run's events stream (which expires with the
/// run's other keys).
pub fn report(con: &mut Connection, run: &RunKeys, event: &Event) -> RedisResult<()> {
    let (kind, segment, reason) = match event {
        Event::Proven { segment } => ("proven", segment, ""),
        Event::Failed { segment, reason } => ("failed", segment, reason.as_str()),
        Event::Refused { segment, reason } => ("refused", segment, reason.as_str()),
    };
    redis::pipe()
        .cmd("XADD")
        .arg(run.events())
        .arg("*")
        .arg("kind")
        .arg(kind)
        .arg("segment")
        .arg(*segment)
        .arg("reason")
        .arg(reason)
        .ignore()
        .cmd("EXPIRE")
        .arg(run.events())
        .arg(RUN_TTL.as_secs())
        .ignore()
        .query(con)
}

/// Reads the events after `last` (a stream id, updated), waiting up to
/// `block` for the first. Entries that are not well-formed events are
/// skipped.
pub fn read_events(
    con: &mut Connection,
    run: &RunKeys,
    last: &mut String,
    block: Duration,
) -> RedisResult<Vec<Event>> {
    use redis::streams::{StreamReadOptions, StreamReadReply};
    use redis::Commands;
    let options = StreamReadOptions::default().block(block.as_millis() as usize);
    let reply: Option<StreamReadReply> =
        con.xread_options(&[run.events()], &[last.as_str()], &options)?;
    let mut events = Vec::new();
    for key in reply.map(|r| r.keys).unwrap_or_default() {
        for entry in key.ids {
            *last = entry.id.clone();
            let field = |name: &str| -> Option<String> { entry.get(name) };
            let segment = field("segment").and_then(|s| s.parse().ok());
            match (field("kind").as_deref(), segment) {
                (Some("proven"), Some(segment)) => events.push(Event::Proven { segment }),
                (Some("failed"), Some(segment)) => events.push(Event::Failed {
                    segment,
                    reason: field("reason").unwrap_or_default(),
                }),
                (Some("refused"), Some(segment)) => events.push(Event::Refused {
                    segment,
                    reason: field("reason").unwrap_or_default(),
                }),
                _ => {}
            }
        }
    }
    Ok(events)
}
