//! Programs for tests and benchmarks, built from instructions: shorthands,
//! and one random-program generator shared by the memory-checking, R1CS
//! and QEMU differential tests.
//!
//! A generated program loads fresh register values (a third of them edge
//! values such as 0, 2^31 and 2^32 − 1), reads two input words, runs random
//! blocks — straight-line code with every ALU, M, immediate, shift, upper-
//! immediate, load and store kind (aliased operands and writes to x0
//! included), forward branches, forward jumps (JAL, and AUIPC + JALR with
//! an odd offset) and counted loops —, stores three output words and a
//! byte, optionally sets the panic word, and halts with the termination
//! store (followed by a Linux `exit`, so QEMU ends there too).

use instructions::{Instruction, Opcode, Opcode::*};
use rand::{seq::SliceRandom, Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::elf::{build_elf, ElfSegment};
use crate::tracer::{MemoryLayout, Program, RAM_BASE};

/// `Instruction::new`, short.
pub fn i(op: Opcode, rd: u8, rs1: u8, rs2: u8, imm: i32) -> Instruction {
    Instruction::new(op, rd, rs1, rs2, imm)
}

/// The `li` pseudo-instruction: LUI + ADDI loading `value` into `rd`.
pub fn li(rd: u8, value: u32) -> [Instruction; 2] {
    let lo = ((value << 20) as i32) >> 20;
    [
        i(Lui, rd, 0, 0, value.wrapping_sub(lo as u32) as i32),
        i(Addi, rd, rd, 0, lo),
    ]
}

/// The halting sequence: a nonzero store to the termination word (through
/// `scratch`).
pub fn halt(layout: &MemoryLayout, scratch: u8) -> Vec<Instruction> {
    let mut code = li(scratch, layout.termination_address()).to_vec();
    code.push(i(Addi, scratch + 1, 0, 0, 1));
    code.push(i(Sw, 0, scratch, scratch + 1, 0));
    code
}

/// A program that speaks through the guest's HINTs (docs/machine.md):
/// prints "hi\n" to stdout and "oops\n" to stderr from a data segment,
/// runs a cycle-tracker span "span" around two instructions, and halts.
pub fn hints_elf() -> Vec<u8> {
    let data_at = RAM_BASE + 0x1000;
    let data = b"hi\noops\nspan".to_vec();
    let mut code = Vec::new();
    let mut say = |op: Opcode, offset: u32, len: u32| {
        code.extend(li(5, data_at + offset));
        code.extend(li(6, len));
        code.push(i(op, 0, 5, 6, 0));
    };
    say(And, 0, 3);
    say(Or, 3, 5);
    say(Slt, 8, 4);
    code.push(i(Addi, 7, 0, 0, 1));
    code.push(i(Addi, 7, 7, 0, 1));
    code.push(i(Sltu, 0, 5, 6, 0));
    code.extend(halt(&MemoryLayout::default(), 28));
    build_elf(
        RAM_BASE,
        &[
            ElfSegment::code(RAM_BASE, &code),
            ElfSegment::data(data_at, data),
        ],
    )
}

/// Register values that often break arithmetic.
pub const EDGES: [u32; 9] = [
    0,
    1,
    2,
    31,
    32,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fffe,
    0xffff_ffff,
];
pub const ALU_REG: [Opcode; 18] = [
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And, Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem,
    Remu,
];
pub const ALU_IMM: [Opcode; 6] = [Addi, Slti, Sltiu, Xori, Ori, Andi];
pub const SHIFT_IMM: [Opcode; 3] = [Slli, Srli, Srai];
pub const LOADS: [Opcode; 5] = [Lb, Lh, Lw, Lbu, Lhu];
pub const STORES: [Opcode; 3] = [Sb, Sh, Sw];
pub const BRANCHES: [Opcode; 6] = [Beq, Bne, Blt, Bge, Bltu, Bgeu];

/// Registers the random code never writes: the data pointer, the loop
/// counter, the I/O pointer and the jump base.
pub const BASE: u8 = 31;
pub const COUNTER: u8 = 30;
pub const IO: u8 = 29;
const LINK: u8 = 28;
/// Bytes of random data; BASE points to their middle so that every 12-bit
/// offset stays inside.
pub const DATA_LEN: u32 = 4096;

/// Bytes a load or store of `op` moves.
pub fn width(op: Opcode) -> i32 {
    match op {
        Lb | Lbu | Sb => 1,
        Lh | Lhu | Sh => 2,
        _ => 4,
    }
}

/// Random RV32IM programs (see the module doc).
pub struct ProgramGenerator {
    rng: ChaCha8Rng,
    layout: MemoryLayout,
}

impl ProgramGenerator {
    /// Programs for `layout`, which needs room for the code and
    /// [`DATA_LEN`] bytes of data at a quarter of the memory.
    pub fn new(seed: u64, layout: MemoryLayout) -> Self {
        ProgramGenerator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            layout,
        }
    }

    /// Where the random data starts.
    pub fn data_address(&self) -> u32 {
        RAM_BASE + self.layout.memory_size / 4
    }

    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    /// A destination register: anything but the reserved ones (x0
    /// included, to exercise writes to it).
    fn rd(&mut self) -> u8 {
        self.rng.gen_range(0..LINK)
    }

    fn rs(&mut self) -> u8 {
        self.rng.gen_range(0..32)
    }

    fn value(&mut self) -> u32 {
        if self.rng.gen_bool(0.3) {
            *EDGES.choose(&mut self.rng).unwrap()
        } else {
            self.rng.gen()
        }
    }

    fn memory_offset(&mut self, width: i32) -> i32 {
        (self.rng.gen_range(-2048..=2047 - width + 1) / width) * width
    }

    /// One instruction that does not change control flow.
    pub fn straight(&mut self) -> Instruction {
        match self.rng.gen_range(0..10) {
            0..=3 => {
                let rs1 = self.rs();
                // Aliased operands now and then.
                let rs2 = if self.rng.gen_bool(0.2) {
                    rs1
                } else {
                    self.rs()
                };
                i(
                    *ALU_REG.choose(&mut self.rng).unwrap(),
                    self.rd(),
                    rs1,
                    rs2,
                    0,
                )
            }
            4 => i(
                *ALU_IMM.choose(&mut self.rng).unwrap(),
                self.rd(),
                self.rs(),
                0,
                self.rng.gen_range(-2048..2048),
            ),
            5 => i(
                *SHIFT_IMM.choose(&mut self.rng).unwrap(),
                self.rd(),
                self.rs(),
                0,
                self.rng.gen_range(0..32),
            ),
            6 => {
                let op = if self.rng.gen() { Lui } else { Auipc };
                let upper = (self.rng.gen::<u32>() & 0xffff_f000) as i32;
                i(op, self.rd(), 0, 0, upper)
            }
            7 | 8 => {
                let op = *LOADS.choose(&mut self.rng).unwrap();
                let offset = self.memory_offset(width(op));
                i(op, self.rd(), BASE, 0, offset)
            }
            _ => {
                let op = *STORES.choose(&mut self.rng).unwrap();
                let offset = self.memory_offset(width(op));
                i(op, 0, BASE, self.rs(), offset)
            }
        }
    }

    fn block(&mut self, len: usize) -> Vec<Instruction> {
        (0..len).map(|_| self.straight()).collect()
    }

    /// Fresh values in every register the random code may write.
    pub fn registers(&mut self, out: &mut Vec<Instruction>) {
        for r in 1..LINK {
            let v = self.value();
            out.extend(li(r, v));
        }
    }

    /// `blocks` random blocks: straight code, a forward branch, a forward
    /// jump or a counted loop each.
    pub fn blocks(&mut self, blocks: usize, out: &mut Vec<Instruction>) {
        for _ in 0..blocks {
            match self.rng.gen_range(0..5) {
                0 | 1 => {
                    let n = self.rng.gen_range(1..12);
                    out.extend(self.block(n));
                }
                2 => {
                    let skip = self.rng.gen_range(0..6);
                    let op = *BRANCHES.choose(&mut self.rng).unwrap();
                    out.push(i(op, 0, self.rs(), self.rs(), 4 * (skip as i32 + 1)));
                    out.extend(self.block(skip));
                }
                3 => {
                    // JAL, or AUIPC + JALR (odd offset: bit 0 is cleared).
                    let skip = self.rng.gen_range(0..4);
                    if self.rng.gen() {
                        out.push(i(Jal, self.rd(), 0, 0, 4 * (skip as i32 + 1)));
                    } else {
                        out.push(i(Auipc, LINK, 0, 0, 0));
                        out.push(i(Jalr, self.rd(), LINK, 0, 4 * (skip as i32 + 2) + 1));
                    }
                    out.extend(self.block(skip));
                }
                _ => {
                    // A backward branch taken n − 1 times.
                    let n = self.rng.gen_range(1..6);
                    out.push(i(Addi, COUNTER, 0, 0, n));
                    let body = self.rng.gen_range(1..8);
                    out.extend(self.block(body));
                    out.push(i(Addi, COUNTER, COUNTER, 0, -1));
                    out.push(i(Bne, 0, COUNTER, 0, -4 * (body as i32 + 1)));
                }
            }
        }
    }

    /// A program of `sequences` runs of fresh registers and `blocks` random
    /// blocks, with the I/O and the halt of the module doc.
    ///
    /// # Panics
    /// If the code does not fit below the data (a test's invariant).
    pub fn program(&mut self, sequences: usize, blocks: usize, panic: bool) -> Program {
        let layout = self.layout;
        let data = self.data_address();
        let mut code = li(BASE, data + DATA_LEN / 2).to_vec();
        code.extend(li(IO, layout.input_start()));
        code.push(i(Lw, 5, IO, 0, 0));
        code.push(i(Lw, 6, IO, 0, 4));
        for _ in 0..sequences {
            self.registers(&mut code);
            self.blocks(blocks, &mut code);
        }
        // Outputs: three registers and a byte; then the panic word if asked.
        code.extend(li(IO, layout.output_start()));
        for (k, r) in [7u8, 12, 20].into_iter().enumerate() {
            code.push(i(Sw, 0, IO, r, 4 * k as i32));
        }
        code.push(i(Sb, 0, IO, 9, 13));
        if panic {
            code.extend(li(IO, layout.panic_address()));
            code.push(i(Addi, 5, 0, 0, 1));
            code.push(i(Sw, 0, IO, 5, 0));
        }
        code.extend(halt(&layout, 5));
        // exit(0), for machines that ignore the termination word.
        code.extend(li(17, 93));
        code.push(i(Addi, 10, 0, 0, 0));
        code.push(i(Ecall, 0, 0, 0, 0));
        assert!(
            RAM_BASE as usize + 4 * code.len() <= data as usize,
            "{} instructions do not fit below the data",
            code.len()
        );
        let bytes: Vec<u8> = (0..DATA_LEN).map(|_| self.rng.gen()).collect();
        let elf = build_elf(
            RAM_BASE,
            &[
                ElfSegment::code(RAM_BASE, &code),
                ElfSegment::data(data, bytes),
            ],
        );
        // Invariant: the segments lie in RAM and the code decodes.
        Program::from_elf(&elf, layout).expect("generated programs load")
    }
}
