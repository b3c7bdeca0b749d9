//! Timestamps of the read-write memory and their validity.
//!
//! Step t's slot s (0: rs1, 1: rs2, 2: RAM, 3: rd) happens at
//! t_now = 4t + s + 1; Init is time 0. Only read timestamps are committed;
//! the verifier derives t_now, whose multilinear extension over the 4T
//! slot-major operations (index s·T + t) is 4·I(t) + s + 1.
//!
//! **Range check.** Memory checking alone would accept a read "from the
//! future" (a tuple written later), so every read proves
//! d = t_now − t_read − 1 ∈ [0, 4T). This is a second, read-only memory
//! checking instance over a *range memory* of 4T cells, cell i holding i:
//! each read of the read-write memory reads cell d with a read count c,
//! tuples (d, c) → (d, c + 1), Init (i, 0), Final (i, final_count_i),
//! fingerprint d + γ·c − τ. A read of a cell outside [0, 4T) has no Init
//! tuple to start from, so the multisets cannot agree. A dedicated memory
//! (rather than Lasso) keeps this module independent of the lookup
//! argument; it costs four u32 count columns per step and one of 4T.

use super::Slot;

/// Number of memory operations per step.
pub const SLOTS: usize = 4;

/// t_now of slot `slot` of step `step`.
pub fn now(step: usize, slot: Slot) -> u64 {
    (SLOTS * step + slot.index() + 1) as u64
}

/// The range-memory cell a read with `read_timestamp` reads, if it is one:
/// t_now − t_read − 1 when that lies in [0, 4T).
pub fn range_cell(step: usize, slot: Slot, read_timestamp: u32, t: usize) -> Option<usize> {
    let d = now(step, slot) as i64 - read_timestamp as i64 - 1;
    (0..(SLOTS * t) as i64).contains(&d).then_some(d as usize)
}

/// Read counts of the range memory per slot and step, and its final
/// counts. Reads outside the range (only in a tampered witness) get count
/// 0 and count nothing.
pub fn range_counts(read_timestamps: &[Vec<u32>; SLOTS]) -> ([Vec<u32>; SLOTS], Vec<u32>) {
    let t = read_timestamps[0].len();
    let mut final_counts = vec![0u32; SLOTS * t];
    let mut read_counts: [Vec<u32>; SLOTS] = std::array::from_fn(|_| vec![0u32; t]);
    for step in 0..t {
        for slot in Slot::ALL {
            let ts = read_timestamps[slot.index()][step];
            if let Some(d) = range_cell(step, slot, ts, t) {
                read_counts[slot.index()][step] = final_counts[d];
                final_counts[d] += 1;
            }
        }
    }
    (read_counts, final_counts)
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
        assert_eq!(range_cell(n - 1, Slot::Rd, 0, n), Some(4 * n - 1));
        // The same operation's own time, or later, is not a cell.
        let t = now(3, Slot::Ram) as u32;
        assert_eq!(range_cell(3, Slot::Ram, t - 1, n), Some(0));
        assert_eq!(range_cell(3, Slot::Ram, t, n), None);
        assert_eq!(range_cell(3, Slot::Ram, t + 5, n), None);
    }
}
