//! Builds the sort guest, sorts N pseudo-random values (argument, default
//! 1000) in a proven and verified run and checks the checksum natively.

use jolt_sdk::host::build_prove_and_verify;

fn sort_natively(seed: u32, count: u32) -> (u32, u64, bool) {
    let mut x = seed | 1;
    let mut values: Vec<u32> = (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        })
        .collect();
    values.sort_unstable();
    let checksum = values
        .iter()
        .enumerate()
        .fold(0u64, |acc, (i, &v)| acc.wrapping_add(i as u64 * v as u64));
    (count, checksum, true)
}

fn main() {
    let count: u32 = match std::env::args().nth(1).map(|s| s.parse()) {
        None => 1000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("error: the argument must be a count: {e}");
            std::process::exit(2);
        }
    };
    let seed = 0x9e37_79b9;
    let guest = concat!(env!("CARGO_MANIFEST_DIR"), "/guest");
    match build_prove_and_verify::<(u32, u32), (u32, u64, bool)>(guest, &(seed, count)) {
        Ok((result, execution)) => {
            println!(
                "sorted {} values: checksum {:#x}, sorted = {}",
                result.0, result.1, result.2
            );
            print!("{}", execution.report());
            if result != sort_natively(seed, count) {
                eprintln!("error: the host computes {:?}", sort_natively(seed, count));
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
