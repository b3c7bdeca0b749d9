//! Proves and verifies two Collatz queries — the steps of 837799, and the
//! number with the longest run in [1, N) (argument, default 100) — and
//! checks both against the guest function run natively.

use collatz_guest::{
    collatz, compile_collatz, preprocess_collatz, prove_collatz, verify_collatz, Query,
};
use jolt::host::{arg_or, run_main, timed};

fn main() {
    let end: u64 = arg_or(1, 100, "a range end");
    run_main(|| {
        let keys = preprocess_collatz(&compile_collatz()?)?;
        for query in [
            Query::Steps(837_799),
            Query::LongestInRange { start: 1, end },
        ] {
            let (answer, proof) = prove_collatz(&keys, query.clone())?;
            let (verified, verify_time) = timed(|| {
                verify_collatz(keys.verifier_key(), query.clone(), answer.clone(), &proof)
            });
            verified?;
            println!("{query:?}: n = {} with {} steps", answer.n, answer.steps);
            print!("{}", proof.report(verify_time));
            if answer != collatz(query.clone()) {
                return Err(format!("natively: {:?}", collatz(query)).into());
            }
        }
        Ok(())
    });
}
