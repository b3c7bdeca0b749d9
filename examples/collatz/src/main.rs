//! Builds the collatz guest and asks it two questions: the steps for one
//! number, and the number with the longest run in a range, proving and
//! verifying each run.

use jolt_sdk::host::build_prove_and_verify;
use serde::{Deserialize, Serialize};

/// Mirrors the guest's `Query` (same variants in the same order).
#[derive(Serialize)]
enum Query {
    Steps(u64),
    LongestInRange { start: u64, end: u64 },
}

#[derive(Deserialize, Debug, PartialEq)]
struct Answer {
    n: u64,
    steps: u32,
}

fn steps(mut n: u64) -> u32 {
    let mut count = 0;
    while n > 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        count += 1;
    }
    count
}

fn main() {
    let guest = concat!(env!("CARGO_MANIFEST_DIR"), "/guest");
    let (n, start, end) = (837_799u64, 1u64, 100u64);
    let run = || -> Result<(), Box<dyn std::error::Error>> {
        let (one, e1) = build_prove_and_verify::<Query, Answer>(guest, &Query::Steps(n))?;
        println!("collatz steps({n}) = {}", one.steps);
        print!("{}", e1.report());
        let (best, e2) =
            build_prove_and_verify::<Query, Answer>(guest, &Query::LongestInRange { start, end })?;
        println!(
            "longest in [{start}, {end}): n = {} with {} steps",
            best.n, best.steps
        );
        print!("{}", e2.report());
        let expected =
            (start..end)
                .map(|k| (steps(k), k))
                .fold((0, 0), |b, a| if a.0 > b.0 { a } else { b });
        if one.steps != steps(n) || (best.steps, best.n) != expected {
            return Err(format!("the guest disagrees with the host: expected {expected:?}").into());
        }
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
