//! Proves and verifies a run that allocates N KiB of heap (argument,
//! default 1024) and touches every KiB of it, and checks the result
//! against the guest function run natively. The proof pays for the heap
//! the run touched; the 256 MiB the layout allows cost nothing.

use heap_guest::{compile_touch, preprocess_touch, prove_touch, touch, verify_touch};
use jolt::host::{arg_or, run_main, timed};

fn main() {
    let kib: u32 = arg_or(1, 1024, "a size in KiB");
    run_main(|| {
        let keys = preprocess_touch(&compile_touch()?)?;
        let (result, proof) = prove_touch(&keys, kib)?;
        let (verified, verify_time) =
            timed(|| verify_touch(keys.verifier_key(), kib, result, &proof));
        verified?;
        println!(
            "touched {} KiB of heap: sum {:#x}",
            result.0 / 1024,
            result.1
        );
        print!("{}", proof.report(verify_time));
        if result != touch(kib) {
            return Err(format!("natively: {:?}", touch(kib)).into());
        }
        Ok(())
    });
}
