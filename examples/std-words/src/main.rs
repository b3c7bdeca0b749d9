//! Runs the std-words guest on a text (the first argument, or a built-in
//! paragraph): shows what the guest printed, proves and verifies the run,
//! and checks the answer against the same function run natively.

use jolt::host::{run_main, timed};
use std_words_guest::{
    compile_top_words, execute_top_words, preprocess_top_words, prove_top_words, rank,
    verify_top_words,
};

const TEXT: &str = "The prover runs the program once and records every step; \
    the verifier checks the proof of the run without running the program. \
    A proof of a run is small, and checking it is fast: the verifier never \
    sees the steps, only the proof, the program and its input and output.";

fn main() {
    let text = std::env::args().nth(1).unwrap_or_else(|| TEXT.to_string());
    run_main(|| {
        let (_, summary) = execute_top_words(text.clone(), 5)?;
        print!("the guest printed:\n{}", summary.stdout);
        for span in &summary.cycle_tracker {
            println!(
                "{}: {} of {} cycles",
                span.label, span.cycles, summary.cycles
            );
        }
        let keys = preprocess_top_words(&compile_top_words()?)?;
        let (output, proof) = prove_top_words(&keys, text.clone(), 5)?;
        let (verified, verify_time) = timed(|| {
            verify_top_words(keys.verifier_key(), text.clone(), 5, output.clone(), &proof)
        });
        verified?;
        println!("top words: {output:?}");
        print!("{}", proof.report(verify_time));
        let native: Vec<(String, u32)> = rank(&text).0.into_iter().take(5).collect();
        if output != native {
            return Err(format!("the guest computed {output:?}, natively {native:?}").into());
        }
        Ok(())
    });
}
