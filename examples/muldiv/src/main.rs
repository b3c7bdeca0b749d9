//! Proves and verifies a run of MUL/MULH/MULHSU/MULHU/DIV/DIVU/REM/REMU on
//! the spec's corner cases and pseudo-random operands, and checks every
//! result against wide integer arithmetic on the host.

use jolt::host::{run_main, timed};
use muldiv_guest::{compile_muldiv, preprocess_muldiv, prove_muldiv, verify_muldiv};

/// The RISC-V M-extension results, from 128-bit arithmetic and table 13.1 of
/// the unprivileged spec (division by zero, signed overflow).
fn reference(a: u32, b: u32) -> [u32; 8] {
    let (sa, sb, ua, ub) = (a as i32 as i128, b as i32 as i128, a as i128, b as i128);
    let (div, rem) = match (sa, sb) {
        (_, 0) => (-1, sa),
        (x, -1) if x == i32::MIN as i128 => (sa, 0),
        _ => (sa / sb, sa % sb),
    };
    let (divu, remu) = (
        a.checked_div(b).unwrap_or(u32::MAX),
        a.checked_rem(b).unwrap_or(a),
    );
    [
        (ua * ub) as u32,
        ((sa * sb) >> 32) as u32,
        ((sa * ub) >> 32) as u32,
        ((ua * ub) >> 32) as u32,
        div as u32,
        divu,
        rem as u32,
        remu,
    ]
}

fn main() {
    let edges = [
        0u32,
        1,
        2,
        3,
        0x7fff_ffff,
        0x8000_0000,
        0x8000_0001,
        0xffff_fffe,
        0xffff_ffff,
    ];
    let mut pairs: Vec<(u32, u32)> = edges
        .iter()
        .flat_map(|&a| edges.iter().map(move |&b| (a, b)))
        .collect();
    let mut x = 0x1234_5678u32;
    for _ in 0..64 {
        // xorshift32: deterministic operands without a dependency.
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let a = x;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        pairs.push((a, x >> (a % 32)));
    }
    run_main(|| {
        let keys = preprocess_muldiv(&compile_muldiv()?)?;
        let (results, proof) = prove_muldiv(&keys, pairs.clone())?;
        let (verified, verify_time) =
            timed(|| verify_muldiv(keys.verifier_key(), pairs.clone(), results.clone(), &proof));
        verified?;
        let wrong = pairs
            .iter()
            .zip(&results)
            .filter(|(&(a, b), r)| **r != reference(a, b))
            .count();
        println!(
            "muldiv: {} operand pairs, {} results differ from the reference",
            pairs.len(),
            wrong
        );
        // edges[5] = −2^31, edges[8] = −1, edges[3] = 3, edges[0] = 0.
        println!(
            "div(-2^31, -1) = {:#x}, div(3, 0) = {:#x}, rem(3, 0) = {}",
            results[5 * 9 + 8][4],
            results[3 * 9][4],
            results[3 * 9][6]
        );
        print!("{}", proof.report(verify_time));
        if wrong > 0 || results.len() != pairs.len() {
            return Err("the guest's results differ from the reference".into());
        }
        Ok(())
    });
}
