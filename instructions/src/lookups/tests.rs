//! Every instruction's decomposition (query → chunks → subtable entries →
//! g) equals its execute semantics from `semantics`: exhaustively at 8-bit
//! words, and on random and edge operands at 32 bits.

use super::*;
use crate::semantics::{alu_w, branch_taken_w, check_holds_w, word_mask};
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
        // A failed check reads as 2^w more than the wrapped result.
        VirtualMulChecked | VirtualSubChecked => {
            alu_w(op, x, y, w) + ((!check_holds_w(op, x, y, w) as u64) << w)
        }
        _ => alu_w(op, x, y, w),
    }
}

fn lookup_opcodes(p: &LookupParams) -> Vec<(Opcode, LookupKind)> {
    Opcode::ALL
        .iter()
        .filter_map(|&op| lookup_of(op).map(|kind| (op, kind)))
        .filter(|(_, kind)| p.supports_shifts() || kind.query() != QueryForm::Shift)
        // Select lookups take the RAM word, not the instruction's operands
        // (`select_lookups_equal_loads_and_stores`).
        .filter(|(_, kind)| kind.query() != QueryForm::Select)
        .collect()
}

/// What a select lookup must return on word `w` at byte offset `o`, from
/// the load and store semantics.
fn selection_reference(selection: Selection, w: u32, o: u32) -> u32 {
    use crate::semantics::{load_extend, store_merge};
    let width = selection.width();
    match selection {
        Selection::LoadByteU => load_extend(Opcode::Lbu, w, o),
        Selection::LoadHalfU => load_extend(Opcode::Lhu, w, o),
        Selection::LoadByte => load_extend(Opcode::Lb, w, o),
        Selection::LoadHalf => load_extend(Opcode::Lh, w, o),
        Selection::ClearByte | Selection::ClearHalf => store_merge(w, o, width, 0),
        Selection::PlaceByte | Selection::PlaceHalf => store_merge(0, o, width, w),
    }
}

fn check_selection(kind: LookupKind, w: u32, o: u32, p: &LookupParams) {
    let selection = kind.selection().expect("a select kind");
    let got: Fr = kind.evaluate(w as u64, selection.code(o), p);
    assert_eq!(
        got,
        Fr::from(selection_reference(selection, w, o)),
        "{kind:?} on {w:#x} at offset {o}"
    );
}

/// Every select kind on every aligned offset: exhaustively over the low
/// halfword (with the high one all zeros and all ones), and on 100,000
/// random and the edge words.
#[test]
fn select_lookups_equal_loads_and_stores() {
    let p = LookupParams::RV32;
    let kinds: Vec<LookupKind> = LookupKind::ALL
        .iter()
        .copied()
        .filter(|k| k.query() == QueryForm::Select)
        .collect();
    assert_eq!(kinds.len(), 8);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(8);
    let words: Vec<u32> = (0..1u32 << 16)
        .flat_map(|low| [low, low | 0xffff_0000, low << 16, (low << 16) | 0xffff])
        .chain((0..100_000).map(|_| rng.gen()))
        .chain([0, 1, 0x7f, 0x80, 0xff, 0x7fff_ffff, 0x8000_0000, u32::MAX])
        .collect();
    for &kind in &kinds {
        let width = kind.selection().map_or(1, Selection::width);
        for &w in &words {
            for o in (0..4).step_by(width as usize) {
                check_selection(kind, w, o, &p);
            }
        }
    }
}

/// The lookup of every sub-word access, with its operands from the step.
#[test]
fn sub_word_accesses_look_up_the_word_at_their_offset() {
    use Opcode::*;
    let values = StepValues {
        pc: 0,
        rs1: 0x8000_1001,
        rs2: 0x1234_5678,
        rd: 0,
        ram_read: 0xaabb_ccdd,
    };
    let i = |op, imm| Instruction::new(op, 1, 2, 3, imm);
    // Offset (rs1 + imm) mod 4 = 1 + 2 = 3 and 1 − 3 = 2 (wrapped).
    assert_eq!(
        lookup_operands(&i(Lb, 2), &values),
        (0xaabb_ccdd, 4 * 2 + 3)
    );
    assert_eq!(lookup_operands(&i(Lhu, -3), &values), (0xaabb_ccdd, 4 + 2));
    assert_eq!(
        lookup_operands(&i(VirtualPlaceHalf, 1), &values),
        (0x1234_5678, 4 * 7 + 2)
    );
    assert_eq!(
        lookup_operands(&i(VirtualMergeByte, 0), &values),
        (0xaabb_ccdd, 4 * 4 + 1)
    );
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
        QueryForm::SignedProduct,
        QueryForm::MixedProduct,
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
    let at = |pc, rd| StepValues {
        pc,
        rs1: 5,
        rs2: 6,
        rd,
        ram_read: 9,
    };
    assert_eq!(
        lookup_operands(&i(Lui, 0x1000), &at(0x8000_0000, 0)),
        (0, 0x1000)
    );
    assert_eq!(
        lookup_operands(&i(Auipc, 0x1000), &at(0x8000_0000, 0)),
        (0x8000_0000, 0x1000)
    );
    assert_eq!(lookup_operands(&i(Addi, -1), &at(0, 0)), (5, 0xffff_ffff));
    assert_eq!(lookup_operands(&i(Sw, 8), &at(0, 0)), (5, 8));
    assert_eq!(lookup_operands(&i(Beq, 8), &at(0, 0)), (5, 6));
    assert_eq!(lookup_operands(&i(VirtualAdvice, 0), &at(0, 7)), (7, 0));
}
