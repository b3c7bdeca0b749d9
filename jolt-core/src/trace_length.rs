//! T, the number of steps a proof covers, as one validated type.
//!
//! Every subprotocol is sized by T: memory checking has 4T operations,
//! Lasso T lookups, the R1CS T copies of the step circuit. T is a power of
//! two (the trace is padded with no-op steps) of at least 2 and at most
//! 2^29, so that the last timestamp 4T fits in 32 bits (at T = 2^30 the
//! last write's timestamp 2^32 would wrap to 0).

use crate::error::VerifyError;

/// T = 2^log_t steps, 1 ≤ log_t ≤ [`TraceLength::MAX_LOG_T`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TraceLength {
    log_t: u8,
}

impl TraceLength {
    /// log2 of the longest trace a proof can cover.
    pub const MAX_LOG_T: usize = 29;
    /// log2 of the shortest (one real step and the halting padding).
    pub const MIN_LOG_T: usize = 1;
    /// The longest trace a proof can cover.
    pub const MAX: TraceLength = TraceLength {
        log_t: Self::MAX_LOG_T as u8,
    };

    /// T = 2^log_t, or `None` outside [2, 2^29].
    pub fn from_log(log_t: usize) -> Option<Self> {
        (Self::MIN_LOG_T..=Self::MAX_LOG_T)
            .contains(&log_t)
            .then_some(TraceLength { log_t: log_t as u8 })
    }

    /// The length a run of `steps` steps is padded to: the next power of
    /// two, at least 2; `None` past 2^29.
    pub fn padded(steps: usize) -> Option<Self> {
        let t = steps.max(2).checked_next_power_of_two()?;
        Self::from_log(t.trailing_zeros() as usize)
    }

    /// The length a proof states, checked before the verifier sizes
    /// anything by it.
    pub fn from_proof(protocol: &'static str, t: u64) -> Result<Self, VerifyError> {
        let log_t = t.trailing_zeros() as usize;
        match Self::from_log(log_t) {
            Some(length) if t.is_power_of_two() => Ok(length),
            _ => Err(VerifyError::Shape {
                protocol,
                what: "trace length (a power of two in [2, 2^29]; nearest valid)",
                expected: 1 << log_t.clamp(Self::MIN_LOG_T, Self::MAX_LOG_T),
                got: usize::try_from(t).unwrap_or(usize::MAX),
            }),
        }
    }

    /// T.
    pub fn t(self) -> usize {
        1 << self.log_t
    }

    /// log2 T.
    pub fn log_t(self) -> usize {
        self.log_t as usize
    }
}

impl std::fmt::Display for TraceLength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "2^{}", self.log_t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_powers_of_two_in_range() {
        assert_eq!(TraceLength::from_log(0), None);
        assert_eq!(TraceLength::from_log(30), None);
        assert_eq!(TraceLength::from_log(29).unwrap().t(), 1 << 29);
        assert_eq!(TraceLength::padded(0).unwrap().t(), 2);
        assert_eq!(TraceLength::padded(5).unwrap().log_t(), 3);
        assert_eq!(TraceLength::padded(1 << 29).unwrap().log_t(), 29);
        assert_eq!(TraceLength::padded((1 << 29) + 1), None);
        assert_eq!(TraceLength::padded(usize::MAX), None);
        for bad in [0u64, 1, 3, 6, 1 << 30, u64::MAX] {
            assert!(TraceLength::from_proof("zkvm", bad).is_err(), "{bad}");
        }
        assert_eq!(TraceLength::from_proof("zkvm", 8).unwrap().log_t(), 3);
    }
}
