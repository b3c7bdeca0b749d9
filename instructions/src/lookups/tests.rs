//! Every instruction's decomposition (query → chunks → subtable entries →
//! g) equals its execute semantics from `semantics`: exhaustively at 8-bit
//! words, and on random and edge operands at 32 bits.

use super::*;
use crate::semantics::{alu_w, branch_taken_w, word_mask};
use ark_bn254::Fr;
use rand::{Rng, SeedableRng};

/// What the lookup of `op` must return on operands (x, y) at width `w`,
/// from the ISA semantics.
fn reference_value(op: Opcode, x: u64, y: u64, w: u32) -> u64 {
    use Opcode::*;
    match op {
        Beq | Bne | Blt | Bge | Bltu | Bgeu => branch_taken_w(op, x, y, w) as u64,
        Lui | Auipc | Jal | Lw | Sw => alu_w(Add, x, y, w),
        Jalr => alu_w(Add, x, y, w) & !1,
        VirtualAdvice => x & word_mask(w),
        _ => alu_w(op, x, y, w),
    }
}

fn lookup_opcodes(p: &LookupParams) -> Vec<(Opcode, LookupKind)> {
    Opcode::ALL
        .iter()
        .filter_map(|&op| lookup_of(op).map(|kind| (op, kind)))
        .filter(|(_, kind)| p.supports_shifts() || kind.query() != QueryForm::Shift)
        .collect()
}

fn check(op: Opcode, kind: LookupKind, x: u64, y: u64, p: &LookupParams) {
    let expected = reference_value(op, x, y, p.word_bits);
    let got: Fr = kind.evaluate(x, y, p);
    assert_eq!(
        got,
        Fr::from(expected),
        "{op:?} ({kind:?}) on x = {x:#x}, y = {y:#x} at {p:?}"
    );
}

#[test]
fn exhaustive_at_8_bits() {
    for p in [LookupParams::new(8, 2), LookupParams::new(8, 4)] {
        for (op, kind) in lookup_opcodes(&p) {
            for x in 0..256 {
                for y in 0..256 {
                    check(op, kind, x, y, &p);
                }
            }
        }
    }
}

#[test]
fn random_and_edge_operands_at_32_bits() {
    let p = LookupParams::RV32;
    let edges = [
        0u64,
        1,
        2,
        31,
        32,
        33,
        0x7fff_ffff,
        0x8000_0000,
        0xffff_fffe,
        0xffff_ffff,
    ];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(32);
    for (op, kind) in lookup_opcodes(&p) {
        for &x in &edges {
            for &y in &edges {
                check(op, kind, x, y, &p);
            }
        }
        for _ in 0..100_000 {
            let x = rng.gen::<u32>() as u64;
            // Half the time a small y: shift amounts, near-equal comparisons.
            let y = if rng.gen() {
                rng.gen::<u32>() as u64
            } else {
                x ^ (rng.gen::<u32>() as u64 >> 27)
            };
            check(op, kind, x, y, &p);
        }
    }
}

/// Every chunk position is read by some subtable, so memory checking
/// range-checks every chunk of every step.
#[test]
fn every_chunk_is_read() {
    for p in [LookupParams::RV32, LookupParams::new(8, 2)] {
        for chunk in 0..p.chunks {
            assert!(LookupKind::ALL
                .iter()
                .any(|k| k.reads(&p).iter().any(|&(_, c)| c == chunk)));
        }
    }
}

#[test]
fn degrees_are_bounded_and_reads_match_combine() {
    let p = LookupParams::RV32;
    for &kind in LookupKind::ALL {
        assert!(kind.degree(&p) <= p.chunks + 1, "{kind:?}");
        assert!(kind.reads(&p).iter().all(|&(_, c)| c < p.chunks));
    }
    // The maximum degree, which sets the Surge sumcheck's degree.
    assert_eq!(
        LookupKind::ALL.iter().map(|k| k.degree(&p)).max(),
        Some(p.chunks + 1)
    );
}

#[test]
fn one_operand_chunks_recompose_the_query() {
    let p = LookupParams::RV32;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
    for form in [
        QueryForm::Sum,
        QueryForm::Difference,
        QueryForm::Product,
        QueryForm::Identity,
    ] {
        for _ in 0..1000 {
            let (x, y) = (rng.gen::<u32>() as u64, rng.gen::<u32>() as u64);
            let z = form
                .chunks(x, y, &p)
                .iter()
                .fold(0u128, |acc, &c| (acc << 16) | c as u128);
            assert_eq!(Some(z), form.query_value(x, y, &p));
        }
    }
}

#[test]
fn operands_follow_the_instruction_format() {
    use Opcode::*;
    let i = |op, imm| Instruction::new(op, 1, 2, 3, imm);
    assert_eq!(
        lookup_operands(&i(Lui, 0x1000), 0x8000_0000, 5, 6, 0),
        (0, 0x1000)
    );
    assert_eq!(
        lookup_operands(&i(Auipc, 0x1000), 0x8000_0000, 5, 6, 0),
        (0x8000_0000, 0x1000)
    );
    assert_eq!(lookup_operands(&i(Addi, -1), 0, 5, 6, 0), (5, 0xffff_ffff));
    assert_eq!(lookup_operands(&i(Sw, 8), 0, 5, 6, 0), (5, 8));
    assert_eq!(lookup_operands(&i(Beq, 8), 0, 5, 6, 0), (5, 6));
    assert_eq!(lookup_operands(&i(VirtualAdvice, 0), 0, 5, 6, 7), (7, 0));
}
