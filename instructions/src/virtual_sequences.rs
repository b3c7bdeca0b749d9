//! Virtual sequences: the instructions whose result is not one lookup,
//! rewritten as fixed sequences of simpler instructions over virtual
//! registers (x32 and up).
//!
//! A sequence depends only on the instruction, so preprocessing can place it
//! in the bytecode. Values the prover supplies (`VirtualAdvice`: a
//! quotient) are pinned down by checked operations and virtual assertions;
//! each sequence below says why its checks leave exactly one accepted
//! advice. The destination rd is written only by the last step, so
//! rd may alias rs1 or rs2.
//!
//! | instruction | steps | idea |
//! |---|---|---|
//! | SLL, SRL, SRA | 2 | mask the amount to 5 bits, then shift by it |
//! | MULH | 3 | flip both sign bits (offset binary), then one lookup of the high word of (x' − 2^31)·(y' − 2^31) |
//! | MULHSU | 2 | flip x's sign bit, then one lookup of the high word of (x' − 2^31)·y |
//! | DIVU, REMU | 5 | advice q; q·y checked below 2^32; r = x − q·y checked not to borrow; r < y (or y = 0) |
//! | DIV, REM | 8, 7 | \|x\|, \|y\| (one lookup each), the DIVU checks on them, then the sign restored |
//! | SB, SH | 2 | place rs2's low bytes at the byte offset, then write them over the cleared bytes of the word |
//!
//! LB, LBU, LH and LHU are single steps (one select lookup on the word the
//! RAM slot reads, docs/lookups.md), as are LW and SW.

use crate::opcode::{Instruction, Opcode, Opcode::*};

/// Index of the first virtual register.
pub const FIRST_VIRTUAL_REGISTER: u8 = 32;
/// Virtual registers the sequences use (x32..x39).
pub const NUM_VIRTUAL_REGISTERS: usize = 8;
/// Length of the longest sequence.
pub const MAX_SEQUENCE_LEN: usize = 8;

/// Which advice a `VirtualAdvice` step takes, in its `imm` field: the
/// quotient of the division sequences is the only one.
pub const ADVICE_QUOTIENT: i32 = 0;

/// XORI's immediate that flips a word's sign bit (a virtual row carries a
/// full 32-bit immediate).
const SIGN_BIT: i32 = i32::MIN;

const fn v(k: u8) -> u8 {
    FIRST_VIRTUAL_REGISTER + k
}

/// A virtual sequence, stored inline (sequences are expanded on every
/// execution of the instruction, so no allocation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VirtualSequence {
    len: usize,
    steps: [Instruction; MAX_SEQUENCE_LEN],
}

impl core::ops::Deref for VirtualSequence {
    type Target = [Instruction];
    fn deref(&self) -> &[Instruction] {
        &self.steps[..self.len]
    }
}

struct Builder {
    seq: VirtualSequence,
}

impl Builder {
    fn new() -> Self {
        let nop = Instruction::new(Addi, 0, 0, 0, 0);
        Builder {
            seq: VirtualSequence {
                len: 0,
                steps: [nop; MAX_SEQUENCE_LEN],
            },
        }
    }

    fn push(&mut self, op: Opcode, rd: u8, rs1: u8, rs2: u8, imm: i32) -> &mut Self {
        self.seq.steps[self.seq.len] = Instruction::new(op, rd, rs1, rs2, imm);
        self.seq.len += 1;
        self
    }

    /// The unsigned division core on (x, y) in registers: advice q in v0,
    /// v2 = q·y checked below 2^32, r = x − v2 checked not to borrow in v1,
    /// and r < y or y = 0.
    ///
    /// Why these checks suffice: the checked product and difference are
    /// exact, so x = q·y + r over the integers with r ≥ 0; with r < y that
    /// is Euclidean division, whose (q, r) is unique. For y = 0 they force
    /// r = x and leave q free, which the caller replaces by all ones. (A
    /// failed check stops the tracer; in the proof the checked lookup then
    /// returns a value of 2^32 or more, which the next step cannot take as
    /// a word: docs/lookups.md.)
    fn unsigned_division_core(&mut self, x: u8, y: u8) -> &mut Self {
        self.push(VirtualAdvice, v(0), 0, 0, ADVICE_QUOTIENT)
            .push(VirtualMulChecked, v(2), v(0), y, 0)
            .push(VirtualSubChecked, v(1), x, v(2), 0)
            .push(VirtualAssertValidUnsignedRemainder, 0, v(1), y, 0)
    }
}

/// The virtual sequence an instruction executes as, or `None` when it is a
/// single lookup (or no lookup at all).
pub fn expand(inst: &Instruction) -> Option<VirtualSequence> {
    let (rd, x, y, imm) = (inst.rd, inst.rs1, inst.rs2, inst.imm);
    let mut b = Builder::new();
    match inst.opcode {
        // Offset binary turns the signed products into one non-negative
        // product the R1CS computes and the lookup splits:
        // x ^ 2^31 stands for x_s + 2^31, and the lookup returns the high
        // word of x_s·y_s (docs/lookups.md).
        Mulh => {
            b.push(Xori, v(0), x, 0, SIGN_BIT)
                .push(Xori, v(1), y, 0, SIGN_BIT)
                .push(VirtualMulhBiased, rd, v(0), v(1), 0);
        }
        Mulhsu => {
            b.push(Xori, v(0), x, 0, SIGN_BIT)
                .push(VirtualMulhsuBiased, rd, v(0), y, 0);
        }
        Divu => {
            b.unsigned_division_core(x, y)
                .push(VirtualDivZeroSelect, rd, y, v(0), 0);
        }
        Remu => {
            b.unsigned_division_core(x, y).push(Addi, rd, v(1), 0, 0);
        }
        Div | Rem => {
            // The unsigned core on v4 = |x|, v5 = |y| (|−2^31| = 2^31 fits).
            b.push(VirtualAbs, v(4), x, 0, 0)
                .push(VirtualAbs, v(5), y, 0, 0)
                .unsigned_division_core(v(4), v(5));
            if inst.opcode == Div {
                // q = ±|q| by the signs of x and y; y = 0 gives all ones.
                b.push(VirtualDivSignCode, v(6), x, y, 0).push(
                    VirtualDivApplySign,
                    rd,
                    v(0),
                    v(6),
                    0,
                );
            } else {
                // r = ±|r| with the sign of x (truncating division).
                b.push(VirtualNegIfNegative, rd, v(1), x, 0);
            }
        }
        // The amount is masked into a virtual register first, so the shift
        // lookup's amount is a byte the R1CS checks against the chunks.
        Sll | Srl | Sra => {
            let shift = match inst.opcode {
                Sll => VirtualSll,
                Srl => VirtualSrl,
                _ => VirtualSra,
            };
            b.push(Andi, v(0), y, 0, 31).push(shift, rd, x, v(0), 0);
        }
        // The place step moves rs2's low bytes to the byte offset; the merge
        // step writes them over the cleared bytes of the word. Both address
        // rs1 + imm, so the R1CS gives both the same offset.
        Sb => {
            b.push(VirtualPlaceByte, v(0), x, y, imm)
                .push(VirtualMergeByte, 0, x, v(0), imm);
        }
        Sh => {
            b.push(VirtualPlaceHalf, v(0), x, y, imm)
                .push(VirtualMergeHalf, 0, x, v(0), imm);
        }
        _ => return None,
    }
    Some(b.seq)
}

/// The honest advice for a `VirtualAdvice` step (`which` is its imm) of the
/// sequence of `real`, whose rs1 and rs2 held `x` and `y` when it began.
/// DIV and REM take the quotient of the magnitudes; y = 0 gives all ones
/// (which the sequences' checks leave free and then replace).
pub fn advice(real: &Instruction, x: u32, y: u32, which: i32) -> u32 {
    debug_assert_eq!(which, ADVICE_QUOTIENT, "the only advice");
    let (x, y) = match real.opcode {
        Div | Rem => ((x as i32).unsigned_abs(), (y as i32).unsigned_abs()),
        _ => (x, y),
    };
    x.checked_div(y).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantics::{alu, execute, store_merge, Effect};
    use rand::{Rng, SeedableRng};

    /// Runs a sequence on a register file of 40 registers and one memory
    /// word at address `word_addr`; `advice` overrides the honest advice.
    /// Returns the registers and memory word, or the index of the first
    /// failed assertion.
    fn run(
        real: &Instruction,
        regs: &mut [u32; 40],
        word_addr: u32,
        word: &mut u32,
        advice_override: Option<u32>,
    ) -> Result<(), usize> {
        let seq = expand(real).expect("a sequence");
        let (x0, y0) = (regs[real.rs1 as usize], regs[real.rs2 as usize]);
        for (k, step) in seq.iter().enumerate() {
            let (a, b) = (regs[step.rs1 as usize], regs[step.rs2 as usize]);
            let write = |regs: &mut [u32; 40], r: u8, v: u32| {
                if r != 0 {
                    regs[r as usize] = v;
                }
            };
            match execute(step, 0, a, b) {
                Effect::WriteRd(value) => write(regs, step.rd, value),
                Effect::Assert { holds } => {
                    if !holds {
                        return Err(k);
                    }
                }
                Effect::Advice => {
                    let value = advice_override.unwrap_or_else(|| advice(real, x0, y0, step.imm));
                    write(regs, step.rd, value);
                }
                Effect::CheckedWrite { value, holds } => {
                    if !holds {
                        return Err(k);
                    }
                    write(regs, step.rd, value);
                }
                // As in the tracer, a misaligned access is a fault (here the
                // failing step's index).
                Effect::Place { address, width, .. } | Effect::Store { address, width, .. }
                    if address % width != 0 =>
                {
                    return Err(k);
                }
                Effect::Place { address, value, .. } => {
                    assert_eq!(address & !3, word_addr, "sequences access one word");
                    write(regs, step.rd, value);
                }
                Effect::Store {
                    address,
                    width,
                    value,
                } => {
                    assert_eq!(address & !3, word_addr);
                    *word = store_merge(*word, address & 3, width, value);
                }
                other => panic!("unexpected effect {other:?} in a sequence"),
            }
        }
        Ok(())
    }

    const EDGES: [u32; 10] = [
        0,
        1,
        2,
        3,
        7,
        0x7fff_ffff,
        0x8000_0000,
        0x8000_0001,
        0xffff_fffe,
        0xffff_ffff,
    ];

    fn operand_pairs() -> Vec<(u32, u32)> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut pairs: Vec<(u32, u32)> = EDGES
            .iter()
            .flat_map(|&a| EDGES.iter().map(move |&b| (a, b)))
            .collect();
        pairs.extend((0..20_000).map(|_| (rng.gen(), rng.gen::<u32>() >> rng.gen_range(0..32))));
        pairs
    }

    /// Register assignments to exercise aliasing: rd = rs1, rd = rs2,
    /// rs1 = rs2, rd = x0.
    const ALIASING: [(u8, u8, u8); 5] = [
        (10, 11, 12),
        (11, 11, 12),
        (12, 11, 12),
        (10, 11, 11),
        (0, 11, 12),
    ];

    #[test]
    fn arithmetic_sequences_equal_the_direct_semantics() {
        for op in [Mulh, Mulhsu, Div, Divu, Rem, Remu, Sll, Srl, Sra] {
            for &(a, b) in &operand_pairs() {
                for (rd, rs1, rs2) in ALIASING {
                    let inst = Instruction::new(op, rd, rs1, rs2, 0);
                    let mut regs = [0u32; 40];
                    regs[rs1 as usize] = a;
                    regs[rs2 as usize] = b;
                    let (x, y) = (regs[rs1 as usize], regs[rs2 as usize]);
                    run(&inst, &mut regs, 0, &mut 0, None).unwrap_or_else(|k| {
                        panic!("{inst} on {x:#x}, {y:#x}: assertion {k} failed")
                    });
                    let expected = if rd == 0 { 0 } else { alu(op, x, y) };
                    assert_eq!(regs[rd as usize], expected, "{inst} on {x:#x}, {y:#x}");
                }
            }
        }
    }

    #[test]
    fn stores_equal_the_direct_semantics() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(6);
        let base = 0x8000_1000u32;
        for _ in 0..5_000 {
            let word: u32 = rng.gen();
            let value: u32 = rng.gen();
            for (op, width) in [(Sb, 1), (Sh, 2)] {
                for offset in (0..4).step_by(width) {
                    // Address = rs1 + imm with a random (often negative) immediate.
                    let imm = rng.gen_range(-2048..2048);
                    let rs1_val = (base + offset as u32).wrapping_sub(imm as u32);
                    for (_, rs1, rs2) in ALIASING {
                        let inst = Instruction::new(op, 0, rs1, rs2, imm);
                        let mut regs = [0u32; 40];
                        regs[rs2 as usize] = value;
                        regs[rs1 as usize] = rs1_val;
                        let (v2, r1) = (regs[rs2 as usize], regs[rs1 as usize]);
                        let address = r1.wrapping_add(imm as u32);
                        let mut mem = word;
                        run(&inst, &mut regs, address & !3, &mut mem, None).unwrap();
                        assert_eq!(
                            mem,
                            store_merge(word, address & 3, width as u32, v2),
                            "{inst}"
                        );
                        // Only virtual registers change.
                        assert_eq!(regs[rs1 as usize], r1);
                        assert_eq!(regs[rs2 as usize], v2);
                    }
                }
            }
        }
    }

    #[test]
    fn misaligned_halfword_stores_fault_in_their_first_step() {
        for offset in [1, 3] {
            let inst = Instruction::new(Sh, 0, 11, 12, offset);
            let mut regs = [0u32; 40];
            regs[11] = 0x8000_1000;
            assert_eq!(
                run(&inst, &mut regs, 0x8000_1000, &mut 0, None),
                Err(0),
                "offset {offset}"
            );
        }
    }

    /// Every wrong quotient the sequence could be given near the honest one
    /// (and far from it) fails a check, or (division by zero only) leaves
    /// the result unchanged.
    #[test]
    fn wrong_advice_fails_a_check() {
        let deltas = [1u32, 2, 0x8000_0000, u32::MAX];
        for op in [Div, Divu, Rem, Remu] {
            for &(a, b) in operand_pairs().iter().take(2_000) {
                let inst = Instruction::new(op, 10, 11, 12, 0);
                let q = advice(&inst, a, b, ADVICE_QUOTIENT);
                for d in deltas {
                    let q2 = q.wrapping_add(d);
                    let mut regs = [0u32; 40];
                    regs[11] = a;
                    regs[12] = b;
                    match run(&inst, &mut regs, 0, &mut 0, Some(q2)) {
                        Err(_) => {}
                        Ok(()) => assert!(
                            b == 0 && regs[10] == alu(op, a, b),
                            "{inst} on {a:#x}, {b:#x} accepted advice {q2:#x}"
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn sequences_fit_and_other_instructions_do_not_expand() {
        for op in Opcode::ALL {
            let inst = Instruction::new(op, 10, 11, 12, 0);
            match expand(&inst) {
                Some(seq) => {
                    assert!(seq.len() <= MAX_SEQUENCE_LEN);
                    // Only the last step may write the real rd.
                    for step in &seq[..seq.len() - 1] {
                        assert!(
                            !step.opcode.writes_rd() || step.rd >= FIRST_VIRTUAL_REGISTER,
                            "{op:?}: {step}"
                        );
                    }
                    for step in seq.iter() {
                        assert!(step.rd < FIRST_VIRTUAL_REGISTER + NUM_VIRTUAL_REGISTERS as u8);
                        assert!(expand(step).is_none(), "sequences do not nest");
                    }
                }
                None => assert!(!matches!(
                    op,
                    Sll | Srl | Sra | Mulh | Mulhsu | Div | Divu | Rem | Remu | Sb | Sh
                )),
            }
        }
    }
}
