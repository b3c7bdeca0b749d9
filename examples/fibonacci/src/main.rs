//! Builds the fibonacci guest, proves and verifies its run (development
//! keys) and checks the result against the same function computed natively.

use jolt_sdk::host::build_prove_and_verify;

/// The guest's function, computed on the host for comparison.
fn fib(n: u32) -> u128 {
    let (mut a, mut b) = (0u128, 1u128);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

fn main() {
    let n: u32 = match std::env::args().nth(1).map(|s| s.parse()) {
        None => 50,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("error: the argument must be a u32: {e}");
            std::process::exit(2);
        }
    };
    let guest = concat!(env!("CARGO_MANIFEST_DIR"), "/guest");
    match build_prove_and_verify::<u32, u128>(guest, &n) {
        Ok((output, execution)) => {
            println!("fib({n}) = {output}");
            print!("{}", execution.report());
            if output != fib(n) {
                eprintln!(
                    "error: the guest computed {output}, but fib({n}) = {}",
                    fib(n)
                );
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
