//! Proves and verifies the Keccak-256 digest of an N-byte message
//! (argument, default 1024) and checks it against the sha3 crate on the host.

use jolt::host::{arg_or, run_main, timed};
use sha3::{Digest, Keccak256};
use sha3_guest::{compile_digest, preprocess_digest, prove_digest, verify_digest};

fn main() {
    let len: usize = arg_or(1, 1024, "a byte count");
    let message: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
    run_main(|| {
        let keys = preprocess_digest(&compile_digest()?)?;
        let (digest, proof) = prove_digest(&keys, message.clone())?;
        let (verified, verify_time) =
            timed(|| verify_digest(keys.verifier_key(), message.clone(), digest, &proof));
        verified?;
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        println!("Keccak-256 of {len} bytes = {hex}");
        print!("{}", proof.report(verify_time));
        let expected: [u8; 32] = Keccak256::digest(&message).into();
        if digest != expected {
            return Err("the host computes a different digest".into());
        }
        Ok(())
    });
}
