//! Builds the sha3 guest, hashes a message of N bytes (argument, default
//! 1024) with Keccak-256 in a proven and verified run and checks the digest
//! natively.

use jolt_sdk::host::build_prove_and_verify;
use sha3::{Digest, Keccak256};

fn main() {
    let len: usize = match std::env::args().nth(1).map(|s| s.parse()) {
        None => 1024,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("error: the argument must be a byte count: {e}");
            std::process::exit(2);
        }
    };
    let message: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
    let guest = concat!(env!("CARGO_MANIFEST_DIR"), "/guest");
    match build_prove_and_verify::<Vec<u8>, [u8; 32]>(guest, &message) {
        Ok((digest, execution)) => {
            println!("Keccak-256 of {len} bytes = {}", to_hex(&digest));
            print!("{}", execution.report());
            let expected: [u8; 32] = Keccak256::digest(&message).into();
            if digest != expected {
                eprintln!("error: the host computes {}", to_hex(&expected));
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
