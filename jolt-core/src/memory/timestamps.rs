//! Timestamps of the read-write memory and their validity.
//!
//! Step t's slot s (0: rs1, 1: rs2, 2: RAM, 3: rd) happens at
//! t_now = 4t + s + 1; Init is time 0. The verifier derives t_now, whose
//! multilinear extension over the 4T slot-major operations (index s·T + t)
//! is 4·I(t) + s + 1.
//!
//! **Range check.** Memory checking alone would accept a read "from the
//! future" (a tuple written later), so every read's distance
//! d = t_now − t_read − 1 must lie in [0, 4T). The prover commits d as
//! d = 4q + m: the cell q (u32) of a *range memory* of T cells, cell i
//! holding i, and m ∈ [0, 4) as two bits (whose booleanity the R1CS
//! enforces). The range memory is a read-only memory checked with logUp:
//! with final_count_i the number of reads of cell i and fingerprint
//! h(q) = q − τ,
//!   Σ_reads 1/h(q) = Σ_i final_count_i/h(i)
//! holds (as rational functions in τ; 4T < p) only if every q is a cell.
//! It holds q to [0, T), so d ∈ [0, 4T); the read timestamp is not
//! committed but derived, t_read = t_now − 1 − 4q − m, and so always lies
//! before t_now. A q outside the range memory is a pole of the left side
//! that no cell has, and the sums cannot agree.
//!
//! Committing q rather than t_read keeps the columns small: a register
//! read soon after its last access has a small q, and the RAM slot of a
//! step without a load or store, which reads the termination word the
//! previous step's RAM slot read, has q = 0. Nothing committed is longer
//! than T: four u32 cell columns and eight bit columns per step, and T
//! final counts.

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

/// t_read of a read whose distance is 4·`cell` + `remainder`, as an
/// integer: negative only for a cell outside the range memory (a tampered
/// witness), which the caller maps into the field.
pub fn read_timestamp(step: usize, slot: Slot, cell: u32, remainder: u8) -> i64 {
    now(step, slot) as i64 - 1 - 4 * cell as i64 - remainder as i64
}

/// What the range check commits: per slot and step the cell q and the
/// remainder m, and the T final counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeCounts {
    pub cell: [Vec<u32>; SLOTS],
    pub remainder: [Vec<u8>; SLOTS],
    pub final_count: Vec<u32>,
}

/// The range memory's cells, counts and the remainders for the read
/// timestamps. Reads outside the range (only in a tampered witness) get
/// cell T and remainder 0, and count nothing: their cell is none of the
/// range memory's.
pub fn range_counts(read_timestamps: &[Vec<u32>; SLOTS]) -> RangeCounts {
    let t = read_timestamps[0].len();
    let mut final_count = vec![0u32; t];
    let mut cell: [Vec<u32>; SLOTS] = std::array::from_fn(|_| vec![t as u32; t]);
    let mut remainder: [Vec<u8>; SLOTS] = std::array::from_fn(|_| vec![0u8; t]);
    for step in 0..t {
        for slot in Slot::ALL {
            let ts = read_timestamps[slot.index()][step];
            if let Some((q, m)) = range_cell(step, slot, ts, t) {
                cell[slot.index()][step] = q as u32;
                remainder[slot.index()][step] = m;
                final_count[q] += 1;
            }
        }
    }
    RangeCounts {
        cell,
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

    #[test]
    fn the_read_timestamp_is_recovered_from_cell_and_remainder() {
        let n = 16;
        for step in 0..n {
            for slot in Slot::ALL {
                for ts in 0..now(step, slot) as u32 {
                    let (q, m) = range_cell(step, slot, ts, n).expect("a past read");
                    assert_eq!(read_timestamp(step, slot, q as u32, m), ts as i64);
                }
            }
        }
        // Every cell of the range memory gives a time before t_now.
        assert!(read_timestamp(0, Slot::Rs1, 0, 0) < now(0, Slot::Rs1) as i64);
        assert!(read_timestamp(n - 1, Slot::Rd, n as u32 - 1, 3) >= 0);
        // A cell past the memory (the tampered placeholder) is negative.
        assert!(read_timestamp(n - 1, Slot::Rd, n as u32, 3) < 0);
    }
}
