//! Guest: Collatz steps to reach 1 for one number, or the number with the
//! most steps over a range.
#![no_std]
#![no_main]

use serde::{Deserialize, Serialize};

/// The host sends one of these (postcard encodes the variant index first).
#[derive(Deserialize)]
enum Query {
    Steps(u64),
    LongestInRange { start: u64, end: u64 },
}

#[derive(Serialize)]
struct Answer {
    n: u64,
    steps: u32,
}

fn steps(mut n: u64) -> u32 {
    let mut count = 0;
    while n > 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        count += 1;
    }
    count
}

fn collatz(query: Query) -> Answer {
    match query {
        Query::Steps(n) => Answer { n, steps: steps(n) },
        Query::LongestInRange { start, end } => (start..end)
            .map(|n| Answer { n, steps: steps(n) })
            .fold(Answer { n: 0, steps: 0 }, |best, a| if a.steps > best.steps { a } else { best }),
    }
}

jolt_sdk::entry!(collatz);
