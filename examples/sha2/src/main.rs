//! Proves and verifies the SHA-256 digest of an N-byte message (argument,
//! default 2048) and checks it against the sha2 crate on the host.

use jolt::host::{arg_or, run_main, timed};
use sha2::{Digest, Sha256};
use sha2_guest::{compile_digest, preprocess_digest, prove_digest, verify_digest};

fn main() {
    let len: usize = arg_or(1, 2048, "a byte count");
    let message: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
    run_main(|| {
        let keys = preprocess_digest(&compile_digest()?)?;
        let (digest, proof) = prove_digest(&keys, message.clone())?;
        let (verified, verify_time) =
            timed(|| verify_digest(keys.verifier_key(), message.clone(), digest, &proof));
        verified?;
        println!("SHA-256 of {len} bytes = {}", hex(&digest));
        print!("{}", proof.report(verify_time));
        let expected: [u8; 32] = Sha256::digest(&message).into();
        if digest != expected {
            return Err(format!("the host computes {}", hex(&expected)).into());
        }
        Ok(())
    });
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
