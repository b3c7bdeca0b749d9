//! Guest: Collatz steps to reach 1 for one number, or the number with the
//! most steps over a range.
#![cfg_attr(feature = "guest", no_std)]

use serde::{Deserialize, Serialize};

/// The host sends one of these (postcard encodes the variant index first).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub enum Query {
    Steps(u64),
    LongestInRange { start: u64, end: u64 },
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Answer {
    pub n: u64,
    pub steps: u32,
}

pub fn steps(mut n: u64) -> u32 {
    let mut count = 0;
    while n > 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        count += 1;
    }
    count
}

#[jolt::provable(max_cycles = 100_000_000)]
pub fn collatz(query: Query) -> Answer {
    match query {
        Query::Steps(n) => Answer { n, steps: steps(n) },
        Query::LongestInRange { start, end } => {
            (start..end).map(|n| Answer { n, steps: steps(n) }).fold(
                Answer { n: 0, steps: 0 },
                |best, a| if a.steps > best.steps { a } else { best },
            )
        }
    }
}
