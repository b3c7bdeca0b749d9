//! Proves and verifies fib(n) (argument, default 50) with the functions
//! `#[jolt::provable]` generates for the guest, and checks the output
//! against the same function run natively.

use fibonacci_guest::{compile_fib, fib, preprocess_fib, prove_fib, verify_fib};
use jolt::host::{arg_or, run_main, timed};

fn main() {
    let n: u32 = arg_or(1, 50, "a u32");
    run_main(|| {
        let keys = preprocess_fib(&compile_fib()?)?;
        let (output, proof) = prove_fib(&keys, n)?;
        let (verified, verify_time) = timed(|| verify_fib(keys.verifier_key(), n, output, &proof));
        verified?;
        println!("fib({n}) = {output}");
        print!("{}", proof.report(verify_time));
        if output != fib(n) {
            return Err(format!(
                "the guest computed {output}, natively fib({n}) = {}",
                fib(n)
            )
            .into());
        }
        Ok(())
    });
}
