//! The RV32IM machine: executes a [`Program`] and records one [`Step`] per
//! instruction, with every register and memory value it read or wrote.
//!
//! Instruction meaning comes from `instructions::semantics`; this module
//! supplies the register file, the word-addressed memory of
//! `[I/O | RAM]` and the rules of the guest ABI: a nonzero store to the
//! termination word halts, ECALL/EBREAK are rejected, code is read-only.

use instructions::semantics::{self, Effect};
use instructions::virtual_sequences::{self, NUM_VIRTUAL_REGISTERS};
use instructions::{Instruction, Opcode, NUM_ARCH_REGISTERS};

use super::error::TraceError;
use super::io::{trim_trailing_zeros, ProgramIO};
use super::layout::{MemoryLayout, RAM_BASE};
use super::program::{CodeSegment, Program};

/// Registers in the machine's register file: the 32 architectural ones,
/// then the virtual registers of virtual sequences.
pub const NUM_REGISTERS: usize = NUM_ARCH_REGISTERS + NUM_VIRTUAL_REGISTERS;

/// x2, sp in the RISC-V calling convention.
const STACK_POINTER: usize = 2;

/// Supplies a `VirtualAdvice` value: (real instruction, its rs1 and rs2
/// values when its sequence began, which advice) → value.
pub type AdviceFn = fn(&Instruction, u32, u32, i32) -> u32;

/// A register read by a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegisterRead {
    pub register: u8,
    pub value: u32,
}

/// A register written by a step. A write to x0 is recorded with
/// `after == 0`: x0 keeps its value, and the record says so explicitly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegisterWrite {
    pub register: u8,
    pub before: u32,
    pub after: u32,
}

/// The step's RAM-slot access, always on the aligned word that holds the
/// accessed bytes (the proof's memory is word-addressed; sub-word loads and
/// stores become operations on that word).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RamAccess {
    #[default]
    None,
    Read {
        address: u32,
        value: u32,
    },
    Write {
        address: u32,
        before: u32,
        after: u32,
    },
}

/// Everything one executed instruction read and wrote. An instruction that
/// expands into a virtual sequence produces one `Step` per virtual
/// instruction, all at the real instruction's pc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Address of the instruction (for a virtual instruction: of the real
    /// instruction it expands).
    pub pc: u32,
    pub instruction: Instruction,
    pub rs1: Option<RegisterRead>,
    pub rs2: Option<RegisterRead>,
    pub rd: Option<RegisterWrite>,
    pub ram: RamAccess,
    pub next_pc: u32,
    /// For a step of a virtual sequence, how many steps of the sequence come
    /// after this one; `None` for an ordinary instruction.
    pub virtual_sequence_remaining: Option<u16>,
}

impl RamAccess {
    /// The word the slot read (the word before a write; 0 when unused).
    pub fn read_value(&self) -> u32 {
        match *self {
            RamAccess::None => 0,
            RamAccess::Read { value, .. } => value,
            RamAccess::Write { before, .. } => before,
        }
    }
}

impl Step {
    /// The values the step's lookup operands are made of
    /// (`instructions::lookups::lookup_operands`).
    pub fn lookup_values(&self) -> instructions::lookups::StepValues {
        instructions::lookups::StepValues {
            pc: self.pc,
            rs1: self.rs1.map_or(0, |r| r.value),
            rs2: self.rs2.map_or(0, |r| r.value),
            rd: self.rd.map_or(0, |r| r.after),
            ram_read: self.ram.read_value(),
        }
    }
}

/// A complete run: the steps, the final machine state and the public I/O.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub steps: Vec<Step>,
    /// Real instructions executed (steps counts virtual ones separately).
    pub cycles: u64,
    pub io: ProgramIO,
    pub final_registers: [u32; NUM_REGISTERS],
    /// Final words of `[io_start, ram_end)`, indexed by
    /// `MemoryLayout::word_index`, up to the highest word the image, the I/O
    /// region or an access of the run reached: every word beyond is zero
    /// and was never accessed. Its length sizes the proof's memory window.
    pub final_memory: Vec<u32>,
}

/// Default limit on executed instructions before `TraceError::CycleLimit`.
pub const DEFAULT_MAX_CYCLES: u64 = 1 << 24;

/// The machine state while a program runs.
pub struct Emulator<'p> {
    program: &'p Program,
    layout: MemoryLayout,
    registers: [u32; NUM_REGISTERS],
    pc: u32,
    /// The words of `[io_start, ram_end)` up to the highest one reached so
    /// far (grown on access, so an untouched heap costs nothing).
    memory: Vec<u32>,
    inputs: Vec<u8>,
    cycles: u64,
    halted: bool,
    /// Index into `program.code` of the segment the pc was last in.
    current_code: usize,
    advice: AdviceFn,
}

impl<'p> Emulator<'p> {
    /// A machine at the program's entry with the inputs in the input region,
    /// the program image in RAM and every register zero.
    pub fn new(program: &'p Program, inputs: &[u8]) -> Result<Self, TraceError> {
        let layout = program.layout;
        if inputs.len() > layout.max_input_size as usize {
            return Err(TraceError::InputTooLarge {
                len: inputs.len(),
                max: layout.max_input_size,
            });
        }
        // The I/O words and every segment byte (bss included) from the start.
        let image_end = program
            .segments
            .iter()
            .map(|s| s.vaddr as u64 + s.memsz as u64)
            .max()
            .unwrap_or(RAM_BASE as u64);
        let words = (image_end.max(RAM_BASE as u64) - layout.io_start() as u64).div_ceil(4);
        let mut memory = vec![0u32; words as usize];
        for (address, word) in program.image_words() {
            // Program loading checked every segment lies inside RAM.
            let index = layout.word_index(address).expect("segments lie inside RAM");
            memory[index] = word;
        }
        let input_base = (layout.input_start() - layout.io_start()) as usize / 4;
        for (i, chunk) in inputs.chunks(4).enumerate() {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            memory[input_base + i] = u32::from_le_bytes(word);
        }
        Ok(Emulator {
            program,
            layout,
            registers: [0; NUM_REGISTERS],
            pc: program.entry,
            memory,
            inputs: inputs.to_vec(),
            cycles: 0,
            halted: false,
            current_code: 0,
            advice: virtual_sequences::advice,
        })
    }

    /// A machine in `state` after `cycles` instructions of a run of
    /// `program` on `inputs` (a segment's entry, handed to another
    /// prover). The caller checked `state.memory` fits the layout.
    pub(crate) fn resume(
        program: &'p Program,
        inputs: &[u8],
        state: super::segments::MachineState,
        cycles: u64,
    ) -> Result<Self, TraceError> {
        let mut emulator = Emulator::new(program, inputs)?;
        emulator.pc = state.pc;
        emulator.registers = state.registers;
        emulator.memory = state.memory;
        emulator.cycles = cycles;
        Ok(emulator)
    }

    /// Replaces the honest advice of virtual sequences: for tests that show
    /// a wrong advice value is caught.
    pub fn set_advice(&mut self, advice: AdviceFn) {
        self.advice = advice;
    }

    pub fn pc(&self) -> u32 {
        self.pc
    }

    pub fn registers(&self) -> &[u32; NUM_REGISTERS] {
        &self.registers
    }

    /// Sets an architectural register before the run starts (e.g. to
    /// mirror another emulator's initial state in differential tests).
    /// Writes to x0 are ignored, as in the machine itself.
    pub fn set_register(&mut self, register: usize, value: u32) {
        if register != 0 && register < NUM_ARCH_REGISTERS {
            self.registers[register] = value;
        }
    }

    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Whether the guest has written the termination word.
    pub fn halted(&self) -> bool {
        self.halted
    }

    /// The words of `[io_start, ram_end)` up to the highest one the image,
    /// the I/O region or an access reached, indexed by
    /// `MemoryLayout::word_index`; the words beyond are zero.
    pub fn memory_words(&self) -> &[u32] {
        &self.memory
    }

    /// The word at an aligned address, if it is addressable.
    pub fn read_word(&self, address: u32) -> Option<u32> {
        let index = self.layout.word_index(address & !3)?;
        Some(self.memory.get(index).copied().unwrap_or(0))
    }

    /// How many steps the instruction at the pc takes: its virtual
    /// sequence's length, or one.
    pub(crate) fn next_instruction_steps(&mut self) -> Result<usize, TraceError> {
        let instruction = self.fetch()?;
        Ok(virtual_sequences::expand(&instruction).map_or(1, |s| s.len()))
    }

    fn fetch(&mut self) -> Result<Instruction, TraceError> {
        let pc = self.pc;
        let code: &'p [CodeSegment] = &self.program.code;
        if !code.get(self.current_code).is_some_and(|c| c.contains(pc)) {
            self.current_code = code
                .iter()
                .position(|c| c.contains(pc))
                .ok_or(TraceError::PcOutOfCode { pc })?;
        }
        let segment = &code[self.current_code];
        Ok(segment.instructions[((pc - segment.start) / 4) as usize]?)
    }

    /// The index of the word an access touches, with the memory grown to
    /// hold it.
    fn word_index(&mut self, pc: u32, address: u32, width: u32) -> Result<usize, TraceError> {
        if !address.is_multiple_of(width) {
            return Err(TraceError::Misaligned { pc, address, width });
        }
        let index = self
            .layout
            .word_index(address)
            .ok_or(TraceError::OutOfBounds {
                pc,
                address,
                io_start: self.layout.io_start(),
                ram_end: self.layout.ram_end(),
            })?;
        if index >= self.memory.len() {
            self.memory.resize(index + 1, 0);
        }
        Ok(index)
    }

    /// A write to sp below the stack the ELF declares is a stack overflow:
    /// the next push would overwrite the program's data.
    fn check_stack(&self, pc: u32, instruction: &Instruction) -> Result<(), TraceError> {
        let sp = self.registers[STACK_POINTER];
        match self.program.stack {
            Some(stack) if instruction.rd as usize == STACK_POINTER && sp < stack.bottom => {
                Err(TraceError::StackOverflow {
                    pc,
                    sp,
                    bottom: stack.bottom,
                    size: stack.top - stack.bottom,
                })
            }
            _ => Ok(()),
        }
    }

    fn read_register(&self, register: u8) -> RegisterRead {
        RegisterRead {
            register,
            value: self.registers[register as usize],
        }
    }

    fn write_register(&mut self, register: u8, value: u32) -> RegisterWrite {
        let before = self.registers[register as usize];
        if register != 0 {
            self.registers[register as usize] = value;
        }
        RegisterWrite {
            register,
            before,
            after: self.registers[register as usize],
        }
    }

    /// Executes one real instruction — one step, or every step of its
    /// virtual sequence — handing each step to `record`. After the guest
    /// halts, or after an error, the machine does not move.
    pub fn step(&mut self, mut record: impl FnMut(Step)) -> Result<(), TraceError> {
        let pc = self.pc;
        let instruction = self.fetch()?;
        let Some(sequence) = virtual_sequences::expand(&instruction) else {
            let step = self.execute(&instruction, pc, None, None)?;
            self.check_stack(pc, &instruction)?;
            self.pc = step.next_pc;
            self.cycles += 1;
            record(step);
            return Ok(());
        };
        // Faults of the real instruction are reported as such, not as the
        // failed assertion or aligned access of its sequence.
        let x = self.registers[instruction.rs1 as usize];
        let y = self.registers[instruction.rs2 as usize];
        if let Effect::Load { address, width }
        | Effect::Store { address, width, .. }
        | Effect::Place { address, width, .. } = semantics::execute(&instruction, pc, x, y)
        {
            self.word_index(pc, address, width)?;
        }
        let last = sequence.len() - 1;
        for (k, virtual_instruction) in sequence.iter().enumerate() {
            let remaining = (last - k) as u16;
            let step = self.execute(
                virtual_instruction,
                pc,
                Some(remaining),
                Some((&instruction, x, y)),
            )?;
            record(step);
        }
        self.check_stack(pc, &instruction)?;
        self.pc = pc.wrapping_add(4);
        self.cycles += 1;
        Ok(())
    }

    /// Executes one (real or virtual) instruction at `pc`. For a virtual
    /// step, `origin` is the real instruction with its initial rs1 and rs2
    /// values, for advice.
    fn execute(
        &mut self,
        instruction: &Instruction,
        pc: u32,
        remaining: Option<u16>,
        origin: Option<(&Instruction, u32, u32)>,
    ) -> Result<Step, TraceError> {
        let op = instruction.opcode;
        let rs1 = op.reads_rs1().then(|| self.read_register(instruction.rs1));
        let rs2 = op.reads_rs2().then(|| self.read_register(instruction.rs2));
        let (a, b) = (rs1.map_or(0, |r| r.value), rs2.map_or(0, |r| r.value));

        // Inside a sequence the pc stays put until the last step.
        let mut next_pc = match remaining {
            Some(r) if r > 0 => pc,
            _ => pc.wrapping_add(4),
        };
        let mut rd = None;
        let mut ram = RamAccess::None;
        match semantics::execute(instruction, pc, a, b) {
            Effect::WriteRd(value) => rd = Some(self.write_register(instruction.rd, value)),
            Effect::Jump { link, target } => {
                if target % 4 != 0 {
                    return Err(TraceError::MisalignedJump { pc, target });
                }
                rd = Some(self.write_register(instruction.rd, link));
                next_pc = target;
            }
            Effect::Branch { taken, target } => {
                if taken {
                    if target % 4 != 0 {
                        return Err(TraceError::MisalignedJump { pc, target });
                    }
                    next_pc = target;
                }
            }
            Effect::Load { address, width } => {
                let index = self.word_index(pc, address, width)?;
                let word = self.memory[index];
                ram = RamAccess::Read {
                    address: address & !3,
                    value: word,
                };
                let value = semantics::load_extend(op, word, address & 3);
                rd = Some(self.write_register(instruction.rd, value));
            }
            Effect::Place {
                address,
                width,
                value,
            } => {
                let index = self.word_index(pc, address, width)?;
                ram = RamAccess::Read {
                    address: address & !3,
                    value: self.memory[index],
                };
                rd = Some(self.write_register(instruction.rd, value));
            }
            Effect::Store {
                address,
                width,
                value,
            } => {
                let index = self.word_index(pc, address, width)?;
                if self.program.code.iter().any(|c| c.contains(address)) {
                    return Err(TraceError::WriteToCode { pc, address });
                }
                let before = self.memory[index];
                let after = semantics::store_merge(before, address & 3, width, value);
                self.memory[index] = after;
                ram = RamAccess::Write {
                    address: address & !3,
                    before,
                    after,
                };
                if address & !3 == self.layout.termination_address() && after != 0 {
                    self.halted = true;
                }
            }
            Effect::Nop => {}
            Effect::EnvironmentCall => {
                let kind = if op == Opcode::Ecall {
                    "ecall"
                } else {
                    "ebreak"
                };
                return Err(TraceError::EnvironmentCall { pc, kind });
            }
            Effect::CheckedWrite { value, holds } => {
                if !holds {
                    return Err(TraceError::AssertionFailed {
                        pc,
                        instruction: instruction.to_string(),
                    });
                }
                rd = Some(self.write_register(instruction.rd, value));
            }
            Effect::Assert { holds } => {
                if !holds {
                    return Err(TraceError::AssertionFailed {
                        pc,
                        instruction: instruction.to_string(),
                    });
                }
            }
            Effect::Advice => {
                let value = match origin {
                    Some((real, x, y)) => (self.advice)(real, x, y, instruction.imm),
                    None => 0,
                };
                rd = Some(self.write_register(instruction.rd, value));
            }
        }
        Ok(Step {
            pc,
            instruction: *instruction,
            rs1,
            rs2,
            rd,
            ram,
            next_pc,
            virtual_sequence_remaining: remaining,
        })
    }

    /// The public I/O as it stands now.
    pub fn io(&self) -> ProgramIO {
        let words = |start: u32, len: u32| {
            let first = (start - self.layout.io_start()) as usize / 4;
            self.memory[first..first + len as usize / 4]
                .iter()
                .flat_map(|w| w.to_le_bytes())
                .collect::<Vec<u8>>()
        };
        let outputs = words(self.layout.output_start(), self.layout.max_output_size);
        let panic_word = self.read_word(self.layout.panic_address()).unwrap_or(0);
        ProgramIO {
            inputs: self.inputs.clone(),
            outputs: trim_trailing_zeros(&outputs).to_vec(),
            panicked: panic_word != 0,
        }
    }

    /// Runs until the guest halts, handing each step to `record`.
    fn run(&mut self, max_cycles: u64, mut record: impl FnMut(Step)) -> Result<(), TraceError> {
        while !self.halted {
            self.check_cycle_limit(max_cycles)?;
            self.step(&mut record)?;
        }
        Ok(())
    }

    pub(crate) fn check_cycle_limit(&self, max_cycles: u64) -> Result<(), TraceError> {
        if self.cycles >= max_cycles {
            return Err(TraceError::CycleLimit { max_cycles });
        }
        Ok(())
    }
}

/// Runs `program` on `inputs` to termination and records every step.
pub fn trace(program: &Program, inputs: &[u8], max_cycles: u64) -> Result<Trace, TraceError> {
    let mut emulator = Emulator::new(program, inputs)?;
    let mut steps = Vec::new();
    emulator.run(max_cycles, |step| steps.push(step))?;
    Ok(emulator.into_trace(steps))
}

/// [`trace`], showing every step to `on_step` as it is recorded, with the
/// emulator as the step's instruction left it (as [`execute_with`]).
pub fn trace_with(
    program: &Program,
    inputs: &[u8],
    max_cycles: u64,
    mut on_step: impl FnMut(&Step, &Emulator<'_>),
) -> Result<Trace, TraceError> {
    let mut emulator = Emulator::new(program, inputs)?;
    let mut steps = Vec::new();
    while !emulator.halted {
        emulator.check_cycle_limit(max_cycles)?;
        let first = steps.len();
        emulator.step(|step| steps.push(step))?;
        for step in &steps[first..] {
            on_step(step, &emulator);
        }
    }
    Ok(emulator.into_trace(steps))
}

impl Emulator<'_> {
    fn into_trace(self, steps: Vec<Step>) -> Trace {
        Trace {
            steps,
            cycles: self.cycles,
            io: self.io(),
            final_registers: self.registers,
            final_memory: self.memory,
        }
    }
}

/// What [`execute`] reports: the I/O, how many real instructions ran
/// (`cycles`) and how many trace steps they made once virtual sequences are
/// expanded (`steps`), and the steps per opcode (virtual ones included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    pub io: ProgramIO,
    pub cycles: u64,
    pub steps: u64,
    pub opcode_counts: Vec<(Opcode, u64)>,
}

/// Runs `program` on `inputs` to termination without keeping the steps.
pub fn execute(program: &Program, inputs: &[u8], max_cycles: u64) -> Result<Execution, TraceError> {
    execute_with(program, inputs, max_cycles, |_, _| {})
}

/// [`execute`], showing every step to `on_step` as it runs (e.g. to find
/// marker instructions) without keeping them, with the emulator as the
/// step's instruction left it (its memory, to read what a marker names).
pub fn execute_with(
    program: &Program,
    inputs: &[u8],
    max_cycles: u64,
    mut on_step: impl FnMut(&Step, &Emulator<'_>),
) -> Result<Execution, TraceError> {
    let mut emulator = Emulator::new(program, inputs)?;
    let mut counts = [0u64; Opcode::ALL.len()];
    // The steps of one instruction (several for a virtual sequence).
    let mut steps = Vec::new();
    while !emulator.halted {
        emulator.check_cycle_limit(max_cycles)?;
        emulator.step(|step| steps.push(step))?;
        for step in steps.drain(..) {
            counts[step.instruction.opcode as usize] += 1;
            on_step(&step, &emulator);
        }
    }
    let opcode_counts = Opcode::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(&op, n)| (op, n))
        .collect();
    Ok(Execution {
        io: emulator.io(),
        cycles: emulator.cycles,
        steps: counts.iter().sum(),
        opcode_counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::elf::{build_elf, ElfSegment};
    use crate::testing::programs::{i, li};
    use crate::tracer::layout::RAM_BASE;
    use instructions::Opcode::*;

    const DATA: u32 = RAM_BASE + 0x1_0000;
    const T0: u8 = 5;
    const A0: u8 = 10;
    const A1: u8 = 11;
    const A2: u8 = 12;

    /// Stores 1 to the termination word.
    fn halt() -> Vec<Instruction> {
        crate::testing::programs::halt(&MemoryLayout::default(), T0)
    }

    fn program(code: &[Instruction], data: Vec<u8>) -> Program {
        let mut segments = vec![ElfSegment::code(RAM_BASE, code)];
        if !data.is_empty() {
            segments.push(ElfSegment::data(DATA, data));
        }
        Program::from_elf(&build_elf(RAM_BASE, &segments), MemoryLayout::default())
            .expect("test programs are well formed")
    }

    fn run(code: &[Instruction], data: Vec<u8>) -> Result<Trace, TraceError> {
        trace(&program(code, data), &[], 10_000)
    }

    fn run_halting(mut code: Vec<Instruction>, data: Vec<u8>) -> Trace {
        code.extend(halt());
        run(&code, data).expect("program halts")
    }

    #[test]
    fn writes_to_x0_are_discarded_and_recorded_as_zero() {
        let t = run_halting(vec![i(Addi, 0, 0, 0, 5), i(Add, A0, 0, 0, 0)], vec![]);
        assert_eq!(
            t.steps[0].rd,
            Some(RegisterWrite {
                register: 0,
                before: 0,
                after: 0
            })
        );
        assert_eq!(
            t.steps[1].rs1,
            Some(RegisterRead {
                register: 0,
                value: 0
            })
        );
        assert_eq!(t.final_registers[0], 0);
        assert_eq!(t.final_registers[A0 as usize], 0);
    }

    #[test]
    fn aliased_operands_read_before_write() {
        // add a0, a0, a0 reads the old a0 twice and then writes.
        let t = run_halting(vec![i(Addi, A0, 0, 0, 21), i(Add, A0, A0, A0, 0)], vec![]);
        let s = t.steps[1];
        assert_eq!((s.rs1.unwrap().value, s.rs2.unwrap().value), (21, 21));
        assert_eq!(
            s.rd,
            Some(RegisterWrite {
                register: A0,
                before: 21,
                after: 42
            })
        );
    }

    #[test]
    fn register_shift_amounts_use_the_low_five_bits() {
        let t = run_halting(
            vec![
                i(Addi, A0, 0, 0, 1),
                i(Addi, A1, 0, 0, 33),
                i(Sll, A2, A0, A1, 0),
            ],
            vec![],
        );
        assert_eq!(t.final_registers[A2 as usize], 2);
    }

    #[test]
    fn signed_division_overflow_and_division_by_zero() {
        let mut code = li(A0, 0x8000_0000).to_vec();
        code.push(i(Addi, A1, 0, 0, -1));
        code.push(i(Div, A2, A0, A1, 0)); // −2^31 / −1 = −2^31
        code.push(i(Rem, 13, A0, A1, 0)); // 0
        code.push(i(Divu, 14, A0, 0, 0)); // / 0 = all ones
        code.push(i(Rem, 15, A0, 0, 0)); // rem 0 = dividend
        let r = run_halting(code, vec![]).final_registers;
        assert_eq!(
            (r[12], r[13], r[14], r[15]),
            (0x8000_0000, 0, u32::MAX, 0x8000_0000)
        );
    }

    #[test]
    fn loads_extend_and_stores_merge_on_aligned_words() {
        let mut code = li(A0, DATA).to_vec();
        code.extend([
            i(Lb, 11, A0, 0, 3),  // 0x80 → sign-extended
            i(Lbu, 12, A0, 0, 3), // 0x80 → zero-extended
            i(Lh, 13, A0, 0, 2),  // 0x80ff → sign-extended
            i(Lhu, 14, A0, 0, 2), // 0x80ff
            i(Lw, 15, A0, 0, 0),
            i(Addi, 16, 0, 0, 0x55),
            i(Sb, 0, A0, 16, 1), // word becomes 0x80ff_5501
            i(Lw, 17, A0, 0, 0),
            i(Sh, 0, A0, 16, 6), // next word's upper half
            i(Lw, 18, A0, 0, 4),
        ]);
        let data = 0x80ff_7f01u32
            .to_le_bytes()
            .into_iter()
            .chain([0xaa; 4])
            .collect();
        let t = run_halting(code, data);
        let r = t.final_registers;
        assert_eq!(r[11], 0xffff_ff80);
        assert_eq!(r[12], 0x80);
        assert_eq!(r[13], 0xffff_80ff);
        assert_eq!(r[14], 0x80ff);
        assert_eq!(r[15], 0x80ff_7f01);
        assert_eq!(r[17], 0x80ff_5501);
        assert_eq!(r[18], 0x0055_aaaa);
        // SB and LB run as virtual sequences at their own pc; their RAM
        // slots record whole aligned words.
        let sb_pc = RAM_BASE + 4 * 8;
        let sb: Vec<&Step> = t.steps.iter().filter(|s| s.pc == sb_pc).collect();
        assert!(sb.len() > 1 && sb.iter().all(|s| s.virtual_sequence_remaining.is_some()));
        assert_eq!(
            sb.last().unwrap().ram,
            RamAccess::Write {
                address: DATA,
                before: 0x80ff_7f01,
                after: 0x80ff_5501
            }
        );
        assert!(sb[..sb.len() - 1].iter().all(|s| s.next_pc == sb_pc));
        assert_eq!(sb.last().unwrap().next_pc, sb_pc + 4);
        let lb = t
            .steps
            .iter()
            .filter(|s| s.pc == RAM_BASE + 8)
            .find(|s| s.ram != RamAccess::None)
            .unwrap();
        assert_eq!(
            lb.ram,
            RamAccess::Read {
                address: DATA,
                value: 0x80ff_7f01
            }
        );
        // Virtual registers never leak into the architectural state.
        assert_eq!(t.cycles as usize, 2 + 10 + halt().len());
    }

    #[test]
    fn sequences_count_one_cycle_and_many_steps() {
        let mut code = li(A0, 0x8000_0000).to_vec();
        code.extend([
            i(Addi, A1, 0, 0, -1),
            i(Div, A2, A0, A1, 0),
            i(Mulh, 13, A0, A0, 0),
        ]);
        let t = run_halting(code, vec![]);
        assert_eq!(t.cycles as usize, 5 + halt().len());
        let div_steps = t.steps.iter().filter(|s| s.pc == RAM_BASE + 12).count();
        assert_eq!(div_steps, 8);
        let r = t.final_registers;
        assert_eq!((r[12], r[13]), (0x8000_0000, 0x4000_0000));
        let remaining: Vec<_> = t
            .steps
            .iter()
            .filter(|s| s.pc == RAM_BASE + 16)
            .map(|s| s.virtual_sequence_remaining)
            .collect();
        assert_eq!(remaining, (0..3).rev().map(Some).collect::<Vec<_>>());
    }

    /// Each virtual sequence, run by the tracer, equals the direct
    /// semantics on edge and random operands, with aliased registers.
    #[test]
    fn virtual_sequences_on_the_tracer_equal_the_direct_semantics() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let edges = [
            0u32,
            1,
            3,
            0x7fff_ffff,
            0x8000_0000,
            0xffff_fffe,
            0xffff_ffff,
        ];
        let mut pairs: Vec<(u32, u32)> = edges
            .iter()
            .flat_map(|&a| edges.iter().map(move |&b| (a, b)))
            .collect();
        pairs.extend((0..100).map(|_| (rng.gen(), rng.gen::<u32>() >> rng.gen_range(0..32))));
        for op in [Mulh, Mulhsu, Div, Divu, Rem, Remu] {
            // Each pair's results go to two data words: rd = a2, and rd = rs1.
            let mut out = Vec::new();
            for (k, &(a, b)) in pairs.iter().enumerate() {
                out.extend(li(A0, a));
                out.extend(li(A1, b));
                out.push(i(op, A2, A0, A1, 0));
                out.push(i(op, A0, A0, A1, 0));
                out.extend(li(T0, DATA + 8 * k as u32));
                out.push(i(Sw, 0, T0, A2, 0));
                out.push(i(Sw, 0, T0, A0, 4));
            }
            out.extend(halt());
            let t = trace(&program(&out, vec![0; 8 * pairs.len()]), &[], 1_000_000).unwrap();
            let layout = MemoryLayout::default();
            for (k, &(a, b)) in pairs.iter().enumerate() {
                let word = |offset: u32| {
                    t.final_memory[layout.word_index(DATA + 8 * k as u32 + offset).unwrap()]
                };
                let expected = semantics::alu(op, a, b);
                assert_eq!(
                    (word(0), word(4)),
                    (expected, expected),
                    "{op:?} on {a:#x}, {b:#x}"
                );
            }
        }
    }

    #[test]
    fn wrong_advice_stops_the_run_at_an_assertion() {
        let mut code = li(A0, 100).to_vec();
        code.extend([i(Addi, A1, 0, 0, 7), i(Divu, A2, A0, A1, 0)]);
        code.extend(halt());
        let p = program(&code, vec![]);
        // A quotient one too small (remainder too big), one too big (the
        // subtraction borrows), and one whose product overflows.
        for wrong in [
            |_: &Instruction, _, _, _| 13,
            |_: &Instruction, _, _, _| 15,
            |_: &Instruction, _, _, _| u32::MAX,
        ] {
            let mut emulator = Emulator::new(&p, &[]).unwrap();
            emulator.set_advice(wrong);
            let err = emulator.run(100, |_| {}).unwrap_err();
            assert!(
                matches!(err, TraceError::AssertionFailed { pc, .. } if pc == RAM_BASE + 12),
                "{err}"
            );
        }
        // The honest advice passes.
        assert_eq!(trace(&p, &[], 100).unwrap().final_registers[12], 14);
    }

    #[test]
    fn misaligned_halfword_is_reported_as_misaligned() {
        let mut code = li(A0, DATA + 1).to_vec();
        code.push(i(Lh, A1, A0, 0, 0));
        assert_eq!(
            run(&code, vec![0; 8]),
            Err(TraceError::Misaligned {
                pc: RAM_BASE + 8,
                address: DATA + 1,
                width: 2
            })
        );
        let mut code = li(A0, DATA + 3).to_vec();
        code.push(i(Sh, 0, A0, A1, 0));
        assert!(matches!(
            run(&code, vec![0; 8]),
            Err(TraceError::Misaligned { width: 2, .. })
        ));
    }

    #[test]
    fn jalr_clears_bit_zero_and_links() {
        // 0: auipc a0, 0 ; 4: jalr ra, 13(a0) → target 12 (bit 0 cleared)
        // 8: addi a1, zero, 1 (skipped) ; 12: addi a2, zero, 2
        let code = vec![
            i(Auipc, A0, 0, 0, 0),
            i(Jalr, 1, A0, 0, 13),
            i(Addi, A1, 0, 0, 1),
            i(Addi, A2, 0, 0, 2),
        ];
        let t = run_halting(code, vec![]);
        assert_eq!(t.steps[1].next_pc, RAM_BASE + 12);
        assert_eq!(t.final_registers[1], RAM_BASE + 8);
        assert_eq!((t.final_registers[11], t.final_registers[12]), (0, 2));
    }

    #[test]
    fn backward_branch_loops() {
        // a0 = 10; loop: a1 += a0; a0 -= 1; bne a0, zero, loop
        let code = vec![
            i(Addi, A0, 0, 0, 10),
            i(Add, A1, A1, A0, 0),
            i(Addi, A0, A0, 0, -1),
            i(Bne, 0, A0, 0, -8),
        ];
        let t = run_halting(code, vec![]);
        assert_eq!(t.final_registers[11], 55);
        assert_eq!(t.steps.len(), 1 + 3 * 10 + halt().len());
        assert_eq!(t.steps[3].next_pc, RAM_BASE + 4);
        assert_eq!(t.steps[30].next_pc, RAM_BASE + 16);
    }

    #[test]
    fn outputs_panic_flag_and_inputs_through_the_io_region() {
        let layout = MemoryLayout::default();
        let mut code = li(A0, layout.input_start()).to_vec();
        code.extend(li(A1, layout.output_start()));
        code.extend([
            i(Lw, A2, A0, 0, 0),
            i(Addi, A2, A2, 0, 1),
            i(Sw, 0, A1, A2, 4),
        ]);
        code.extend(halt());
        let t = trace(&program(&code, vec![]), &[41, 0, 0, 0], 100).unwrap();
        assert_eq!(t.cycles as usize, t.steps.len());
        assert_eq!(t.io.inputs, vec![41, 0, 0, 0]);
        assert_eq!(t.io.outputs, vec![0, 0, 0, 0, 42]);
        assert!(!t.io.panicked);

        let mut code = li(A0, layout.panic_address()).to_vec();
        code.extend([i(Addi, A1, 0, 0, 1), i(Sw, 0, A0, A1, 0)]);
        code.extend(halt());
        let t = trace(&program(&code, vec![]), &[], 100).unwrap();
        assert!(t.io.panicked);
        assert!(t.io.outputs.is_empty());
    }

    #[test]
    fn fence_is_a_no_op_and_zero_store_to_termination_does_not_halt() {
        let mut code = li(T0, RAM_BASE - 4).to_vec();
        code.extend([i(Fence, 0, 0, 0, 0xff), i(Sw, 0, T0, 0, 0)]);
        code.extend(halt());
        let t = run(&code, vec![]).unwrap();
        assert_eq!(t.steps.len(), code.len());
    }

    #[test]
    fn each_error_names_pc_and_address() {
        let pc_of = |k: usize| RAM_BASE + 4 * k as u32;
        let mut code = li(A0, DATA).to_vec();
        code.push(i(Lw, A1, A0, 0, 2));
        assert_eq!(
            run(&code, vec![0; 8]),
            Err(TraceError::Misaligned {
                pc: pc_of(2),
                address: DATA + 2,
                width: 4
            })
        );
        let code = vec![i(Lh, A1, 0, 0, 16)];
        assert!(matches!(
            run(&code, vec![]),
            Err(TraceError::OutOfBounds { pc, address: 16, .. }) if pc == RAM_BASE
        ));
        let mut code = li(A0, MemoryLayout::default().ram_end() as u32).to_vec();
        code.push(i(Sb, 0, A0, 0, 0));
        assert!(matches!(
            run(&code, vec![]),
            Err(TraceError::OutOfBounds { .. })
        ));
        let code = vec![i(Auipc, A0, 0, 0, 0), i(Sw, 0, A0, 0, 0)];
        assert_eq!(
            run(&code, vec![]),
            Err(TraceError::WriteToCode {
                pc: pc_of(1),
                address: RAM_BASE
            })
        );
        let code = vec![i(Jal, 0, 0, 0, 2)];
        assert_eq!(
            run(&code, vec![]),
            Err(TraceError::MisalignedJump {
                pc: RAM_BASE,
                target: RAM_BASE + 2
            })
        );
        let code = vec![i(Addi, 0, 0, 0, 0)];
        assert_eq!(
            run(&code, vec![]),
            Err(TraceError::PcOutOfCode { pc: pc_of(1) })
        );
        let code = vec![i(Addi, 0, 0, 0, 0), i(Ecall, 0, 0, 0, 0)];
        assert_eq!(
            run(&code, vec![]),
            Err(TraceError::EnvironmentCall {
                pc: pc_of(1),
                kind: "ecall"
            })
        );
        let code = vec![i(Jal, 0, 0, 0, 0)];
        assert_eq!(
            run(&code, vec![]),
            Err(TraceError::CycleLimit { max_cycles: 10_000 })
        );
        let p = program(&[i(Jal, 0, 0, 0, 0)], vec![]);
        assert_eq!(
            trace(&p, &[0; 4097], 10).unwrap_err(),
            TraceError::InputTooLarge {
                len: 4097,
                max: 4096
            }
        );
    }

    #[test]
    fn undecodable_words_fail_only_when_executed() {
        // A compressed word in the code segment after the halt is never reached.
        let mut bytes: Vec<u8> = halt()
            .iter()
            .flat_map(|i| i.encode().to_le_bytes())
            .collect();
        bytes.extend(0x0000_4501u32.to_le_bytes());
        let elf = build_elf(
            RAM_BASE,
            &[ElfSegment {
                vaddr: RAM_BASE,
                memsz: bytes.len() as u32,
                data: bytes,
                flags: 5,
            }],
        );
        let p = Program::from_elf(&elf, MemoryLayout::default()).unwrap();
        assert!(trace(&p, &[], 100).is_ok());
        let mut p2 = p.clone();
        p2.entry = RAM_BASE + 4 * halt().len() as u32;
        let err = trace(&p2, &[], 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported instruction 0x00004501 at pc 0x80000010: compressed (RVC) instruction"
        );
    }

    #[test]
    fn execute_counts_opcodes_like_trace() {
        let code = vec![
            i(Addi, A0, 0, 0, 3),
            i(Addi, A0, A0, 0, -1),
            i(Bne, 0, A0, 0, -4),
        ];
        let mut full = code.clone();
        full.extend(halt());
        let p = program(&full, vec![]);
        let e = execute(&p, &[], 1000).unwrap();
        let t = trace(&p, &[], 1000).unwrap();
        assert_eq!(e.cycles, t.steps.len() as u64);
        assert_eq!(e.steps, e.cycles);
        assert_eq!(e.io, t.io);
        assert!(e.opcode_counts.contains(&(Bne, 3)));
        assert!(e.opcode_counts.contains(&(Addi, 1 + 3 + 2)));
    }

    /// The tracer's memory covers the I/O region and the image from the
    /// start, and grows to the highest word a load or store reaches: an
    /// untouched heap costs nothing, and the length sizes the proof.
    #[test]
    fn memory_grows_to_the_highest_word_touched() {
        let layout = MemoryLayout::default();
        let image_end = layout.word_index(DATA + 8).unwrap();
        let t = run_halting(vec![i(Addi, A0, 0, 0, 1)], vec![1; 8]);
        assert_eq!(t.final_memory.len(), image_end);
        let high = RAM_BASE + (200 << 20);
        let mut code = li(A1, high).to_vec();
        code.push(i(Lw, A2, A1, 0, 0));
        let t = run_halting(code.clone(), vec![1; 8]);
        assert_eq!(t.final_memory.len(), layout.word_index(high).unwrap() + 1);
        assert_eq!(t.final_memory[layout.word_index(high).unwrap()], 0);
        code.push(i(Addi, A2, 0, 0, 9));
        code.push(i(Sw, 0, A1, A2, 4));
        let t = run_halting(code, vec![1; 8]);
        assert_eq!(t.final_memory.len(), layout.word_index(high).unwrap() + 2);
        assert_eq!(t.final_memory.last(), Some(&9));
    }

    /// A write to sp below the stack the ELF declares stops the run with
    /// the pc of the instruction and the stack's bounds; at the bottom
    /// itself it is fine, and an ELF without a declared stack is not
    /// checked.
    #[test]
    fn sp_below_the_declared_stack_is_a_stack_overflow() {
        const SP: u8 = 2;
        let bottom = DATA + 0x1000;
        let mut code = li(SP, bottom + 32).to_vec();
        code.push(i(Addi, SP, SP, 0, -32));
        let fine = code.len();
        code.push(i(Addi, SP, SP, 0, -16));
        code.extend(halt());
        let mut p = program(&code, vec![]);
        assert!(trace(&p, &[], 1000).is_ok());
        p.stack = Some(crate::tracer::StackRegion {
            bottom,
            top: bottom + 0x100,
        });
        let err = trace(&p, &[], 1000).unwrap_err();
        assert_eq!(
            err,
            TraceError::StackOverflow {
                pc: RAM_BASE + 4 * fine as u32,
                sp: bottom - 16,
                bottom,
                size: 0x100,
            }
        );
        assert!(err.to_string().contains("raise stack_size"), "{err}");
    }
}
