//! Timestamps of the read-write memory and their validity.
//!
//! Step t's slot s (0: rs1, 1: rs2, 2: RAM, 3: rd) happens at
//! t_now = 4t + s + 1; Init is time 0. Only read timestamps are committed;
//! the verifier derives t_now, whose multilinear extension over the 4T
//! slot-major operations (index s·T + t) is 4·I(t) + s + 1.
//!
//! **Range check.** Memory checking alone would accept a read "from the
//! future" (a tuple written later), so every read proves
//! d = t_now − t_read − 1 ∈ [0, 4T). It writes d = 4q + m with m ∈ [0, 4)
//! committed as two bits (whose booleanity the R1CS enforces) and q the
//! cell of a *range memory* of T cells, cell i holding i: a second,
//! read-only memory checking instance whose read of cell q has count c,
//! tuples (q, c) → (q, c + 1), Init (i, 0), Final (i, final_count_i),
//! fingerprint q + γ·c − τ. The verifier computes q = (d − m)/4 in the
//! field from the claimed t_read and bits: a read from the future (d a
//! "negative" field element) or a wrong remainder makes q a field element
//! no Init tuple has, and the multisets cannot agree. Nothing committed is
//! longer than T: four u32 count columns and eight bit columns per step,
//! and T final counts.

use super::Slot;

/// Number of memory operations per step.
pub const SLOTS: usize = 4;

/// t_now of slot `slot` of step `step`.
pub fn now(step: usize, slot: Slot) -> u64 {
    (SLOTS * step + slot.index() + 1) as u64
}

/// The range memory's cell q and remainder m of a read with
/// `read_timestamp` (d = t_now − t_read − 1 = 4q + m), if d ∈ [0, 4T).
pub fn range_cell(step: usize, slot: Slot, read_timestamp: u32, t: usize) -> Option<(usize, u8)> {
    let d = now(step, slot) as i64 - read_timestamp as i64 - 1;
    (0..(SLOTS * t) as i64)
        .contains(&d)
        .then_some(((d / 4) as usize, (d % 4) as u8))
}

/// What the range check commits: per slot and step the read count and
/// the remainder m, and the T final counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeCounts {
    pub read_count: [Vec<u32>; SLOTS],
    pub remainder: [Vec<u8>; SLOTS],
    pub final_count: Vec<u32>,
}

/// The range memory's counts and the remainders for the read timestamps.
/// Reads outside the range (only in a tampered witness) get count 0 and
/// remainder 0, and count nothing.
pub fn range_counts(read_timestamps: &[Vec<u32>; SLOTS]) -> RangeCounts {
    let t = read_timestamps[0].len();
    let mut final_count = vec![0u32; t];
    let mut read_count: [Vec<u32>; SLOTS] = std::array::from_fn(|_| vec![0u32; t]);
    let mut remainder: [Vec<u8>; SLOTS] = std::array::from_fn(|_| vec![0u8; t]);
    for step in 0..t {
        for slot in Slot::ALL {
            let ts = read_timestamps[slot.index()][step];
            if let Some((q, m)) = range_cell(step, slot, ts, t) {
                read_count[slot.index()][step] = final_count[q];
                remainder[slot.index()][step] = m;
                final_count[q] += 1;
            }
        }
    }
    RangeCounts {
        read_count,
        remainder,
        final_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_distinct_and_cells_in_range() {
        let n = 8;
        let mut seen = std::collections::HashSet::new();
        for step in 0..n {
            for slot in Slot::ALL {
                assert!(seen.insert(now(step, slot)));
                assert!(now(step, slot) >= 1 && now(step, slot) <= 4 * n as u64);
            }
        }
        // Reading Init (time 0) at the last operation is the largest cell.
        assert_eq!(range_cell(n - 1, Slot::Rd, 0, n), Some((n - 1, 3)));
        // The same operation's own time, or later, is not a cell.
        let t = now(3, Slot::Ram) as u32;
        assert_eq!(range_cell(3, Slot::Ram, t - 1, n), Some((0, 0)));
        assert_eq!(range_cell(3, Slot::Ram, t - 6, n), Some((1, 1)));
        assert_eq!(range_cell(3, Slot::Ram, t, n), None);
        assert_eq!(range_cell(3, Slot::Ram, t + 5, n), None);
    }
}
