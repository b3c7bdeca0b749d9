//! The memory a segment's proof needs, and the segment size a machine's
//! memory allows (docs/segments.md, "Choosing k").
//!
//! The estimate is linear in the padded steps: the prover's peak resident
//! memory was measured at 2.3–2.4 KB per padded step at 2^18 and 2^20
//! (docs/benchmarks.md), keys and the one segment's steps included; the
//! constants round that up. A memory window much larger than T (a program
//! that touches more words than it runs steps) adds a few words per word
//! and is not counted.

use super::ZkvmError;
use crate::tracer::segments::{MAX_SEGMENT_LOG_STEPS, MIN_SEGMENT_LOG_STEPS};

/// Peak resident bytes per padded step of a proof, rounded up.
pub const BYTES_PER_STEP: u64 = 2560;

/// Resident bytes besides the steps (program, tracer, runtime).
pub const BASE_BYTES: u64 = 128 << 20;

/// The default cap on one segment's memory.
pub const DEFAULT_SEGMENT_BUDGET: u64 = 4 << 30;

/// The estimated peak memory of proving a segment of 2^`log_steps` steps.
pub fn segment_memory(log_steps: u32) -> u64 {
    BASE_BYTES + (BYTES_PER_STEP << log_steps)
}

/// What the kernel reports as available now (`MemAvailable` in
/// `/proc/meminfo`): free memory plus what it can reclaim. `None` where
/// that file is missing or unreadable.
pub fn available_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// The largest segment size (log2 steps) whose estimate fits both
/// [`DEFAULT_SEGMENT_BUDGET`] and `available` bytes (if known); the
/// smallest size if none does.
pub fn default_segment_log_steps(available: Option<u64>) -> u32 {
    let budget = available.map_or(DEFAULT_SEGMENT_BUDGET, |a| a.min(DEFAULT_SEGMENT_BUDGET));
    (MIN_SEGMENT_LOG_STEPS..=MAX_SEGMENT_LOG_STEPS)
        .rev()
        .find(|&k| segment_memory(k) <= budget)
        .unwrap_or(MIN_SEGMENT_LOG_STEPS)
}

/// Refuses a user-chosen segment size whose estimate exceeds `available`
/// bytes (if known), before any work, with both figures.
pub fn check_segment_size(log_steps: u32, available: Option<u64>) -> Result<(), ZkvmError> {
    let needed = segment_memory(log_steps);
    match available {
        Some(available) if needed > available => Err(ZkvmError::SegmentTooLarge {
            log_steps,
            needed,
            available,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_fits_the_budget_and_the_machine() {
        assert_eq!(default_segment_log_steps(None), 20);
        assert_eq!(default_segment_log_steps(Some(64 << 30)), 20);
        let small = default_segment_log_steps(Some(1 << 30));
        assert!(segment_memory(small) <= 1 << 30 && segment_memory(small + 1) > 1 << 30);
        assert_eq!(default_segment_log_steps(Some(0)), MIN_SEGMENT_LOG_STEPS);
        assert!(available_memory().is_some_and(|a| a > 0));
    }

    #[test]
    fn a_size_that_cannot_fit_is_refused_with_its_needs() {
        check_segment_size(20, Some(8 << 30)).unwrap();
        check_segment_size(28, None).unwrap();
        let err = check_segment_size(24, Some(8 << 30)).unwrap_err();
        assert!(matches!(
            err,
            ZkvmError::SegmentTooLarge {
                log_steps: 24,
                needed,
                available
            } if needed == segment_memory(24) && available == 8 << 30
        ));
        assert!(err.to_string().contains("GB"), "{err}");
    }
}
