//! How the prover reports its phases: not at all, as lines on stderr, or
//! through a callback (the `jolt` command draws a progress bar with it).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The prover's phases in order ([`super::prove`] reports all of them,
/// [`super::prove_trace`] all but the first).
pub const PROVE_PHASES: [&str; 7] = [
    "trace",
    "witness",
    "commit",
    "memory checking",
    "instruction lookups",
    "R1CS",
    "opening",
];

/// Where [`super::ProveOptions::progress`] goes.
#[derive(Clone, Default)]
pub enum Progress {
    #[default]
    Off,
    /// `[prove   1.23s] phase: detail` lines on stderr.
    Lines,
    /// Called on the proving thread at the end of each phase.
    Custom(Arc<dyn Fn(&ProgressEvent) + Send + Sync>),
}

impl Progress {
    /// A callback.
    pub fn custom(report: impl Fn(&ProgressEvent) + Send + Sync + 'static) -> Self {
        Progress::Custom(Arc::new(report))
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Progress::Off => "Off",
            Progress::Lines => "Lines",
            Progress::Custom(_) => "Custom(..)",
        })
    }
}

/// The end of one prover phase; displays as `phase: detail`.
#[derive(Clone, Debug)]
pub struct ProgressEvent<'a> {
    /// One of [`PROVE_PHASES`].
    pub phase: &'static str,
    /// What the phase did, e.g. `T = 2^10`; may be empty.
    pub detail: &'a str,
    /// The phase's position in [`PROVE_PHASES`], from 1.
    pub index: usize,
    /// `PROVE_PHASES.len()`.
    pub total: usize,
    /// Time since the call to `prove` or `prove_trace` started.
    pub elapsed: Duration,
}

impl fmt::Display for ProgressEvent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.detail {
            "" => f.write_str(self.phase),
            detail => write!(f, "{}: {detail}", self.phase),
        }
    }
}

/// Reports the end of phase `index` (from 1). The prover passes a constant
/// in `1..=PROVE_PHASES.len()` at every call, so the index is in range.
pub(crate) fn report(progress: &Progress, start: Instant, index: usize, detail: &str) {
    let event = ProgressEvent {
        phase: PROVE_PHASES[index - 1],
        detail,
        index,
        total: PROVE_PHASES.len(),
        elapsed: start.elapsed(),
    };
    match progress {
        Progress::Off => {}
        Progress::Lines => eprintln!("[prove {:>8.2?}] {event}", event.elapsed),
        Progress::Custom(callback) => callback(&event),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn events_carry_phase_index_and_detail() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let progress = Progress::custom(move |e| {
            sink.lock().unwrap().push((e.to_string(), e.index, e.total));
        });
        let start = Instant::now();
        report(&progress, start, 2, "T = 2^4");
        report(&progress, start, 4, "");
        report(&Progress::Off, start, 1, "nothing");
        assert_eq!(
            *seen.lock().unwrap(),
            vec![
                ("witness: T = 2^4".to_string(), 2, 7),
                ("memory checking".to_string(), 4, 7)
            ]
        );
        assert_eq!(format!("{progress:?}"), "Custom(..)");
    }
}
