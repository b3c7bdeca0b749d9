//! Proves and verifies sorting N pseudo-random values (argument, default
//! 1000) and checks the result against the guest function run natively.

use jolt::host::{arg_or, run_main, timed};
use sort_guest::{compile_sort, preprocess_sort, prove_sort, sort, verify_sort};

fn main() {
    let count: u32 = arg_or(1, 1000, "a count");
    let seed = 0x9e37_79b9;
    run_main(|| {
        let keys = preprocess_sort(&compile_sort()?)?;
        let (result, proof) = prove_sort(&keys, seed, count)?;
        let (verified, verify_time) =
            timed(|| verify_sort(keys.verifier_key(), seed, count, result, &proof));
        verified?;
        println!(
            "sorted {} values: checksum {:#x}, sorted = {}",
            result.0, result.1, result.2
        );
        print!("{}", proof.report(verify_time));
        if result != sort(seed, count) {
            return Err(format!("natively: {:?}", sort(seed, count)).into());
        }
        Ok(())
    });
}
