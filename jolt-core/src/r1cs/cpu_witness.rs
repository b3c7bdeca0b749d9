//! The CPU R1CS's input columns computed straight from a trace, with the
//! conventions the bytecode, memory and Lasso witnesses follow (row 0 of
//! the bytecode is the padding row; the RAM slot of a step without a RAM
//! access reads address 0; registers occupy the first `REGISTER_SLOTS`
//! words of the proof's address space).

use std::collections::HashMap;

use instructions::flags::{noop_flags, packed_flags, SequencePosition};
use instructions::lookups::{lookup_of, lookup_operands, LookupParams};
use instructions::virtual_sequences::expand;

use super::constraints::{CpuConstants, CpuInput, CpuR1cs};
use crate::field::JoltField;
use crate::tracer::{Program, RamAccess, Trace, NUM_REGISTERS};

/// Register words at the start of the proof's address space (a power of
/// two above the 40 registers).
pub const REGISTER_SLOTS: u32 = 64;

/// The constants that place RAM for `program`'s layout.
pub fn cpu_constants(program: &Program) -> CpuConstants {
    CpuConstants {
        byte_offset: program.layout.io_start() as i128 - 4 * REGISTER_SLOTS as i128,
    }
}

/// Bytecode row index of every (pc, step of its sequence): row 0 is the
/// padding row, then each instruction's rows in address order.
pub fn bytecode_rows(program: &Program) -> HashMap<(u32, u16), usize> {
    let mut rows = HashMap::new();
    let mut next = 1;
    for segment in &program.code {
        for (k, inst) in segment.instructions.iter().enumerate() {
            let Ok(inst) = inst else { continue };
            let pc = segment.start + 4 * k as u32;
            let len = expand(inst).map_or(1, |s| s.len());
            for index in 0..len {
                rows.insert((pc, index as u16), next);
                next += 1;
            }
        }
    }
    rows
}

/// The input columns of every step of `trace`, padded to `num_steps`.
///
/// # Panics
/// If `num_steps` is smaller than the trace or not a power of two, or the
/// trace is not of `program` (prover-side invariants).
pub fn cpu_inputs<F: JoltField>(
    cpu: &CpuR1cs,
    program: &Program,
    trace: &Trace,
    p: &LookupParams,
    num_steps: usize,
) -> Vec<Vec<F>> {
    assert!(num_steps.is_power_of_two() && num_steps >= trace.steps.len());
    let rows = bytecode_rows(program);
    let mut columns = vec![vec![F::zero(); num_steps]; cpu.inputs.len()];
    let set = |columns: &mut Vec<Vec<F>>, input: CpuInput, step: usize, value: F| {
        columns[cpu.index(input)][step] = value;
    };
    let mut registers = [0u32; NUM_REGISTERS];
    let io_start = program.layout.io_start();
    let b = p.operand_chunk_bits();
    for (s, step) in trace.steps.iter().enumerate() {
        let inst = step.instruction;
        let position = step.virtual_sequence_remaining.map(|remaining| {
            let real = program
                .code_segment(step.pc)
                .and_then(|c| c.instructions[((step.pc - c.start) / 4) as usize].ok());
            let len = real.and_then(|r| expand(&r)).map_or(1, |seq| seq.len()) as u16;
            SequencePosition {
                index: len - 1 - remaining,
                remaining,
            }
        });
        let row = rows[&(step.pc, position.map_or(0, |p| p.index))];
        let flags = packed_flags(&inst, position);
        set(
            &mut columns,
            CpuInput::BytecodeAddress,
            s,
            F::from_u64(row as u64),
        );
        set(&mut columns, CpuInput::Pc, s, F::from_u64(step.pc as u64));
        set(&mut columns, CpuInput::PackedFlags, s, F::from_u64(flags));
        set(&mut columns, CpuInput::Imm, s, F::from_u32(inst.imm as u32));
        for (k, &input) in cpu.inputs.iter().enumerate() {
            let bit = match input {
                CpuInput::CircuitFlag(f) => f as usize,
                CpuInput::LookupFlag(l) => instructions::flags::NUM_CIRCUIT_FLAGS + l,
                _ => continue,
            };
            columns[k][s] = F::from_u64(flags >> bit & 1);
        }
        let rs1 = registers[inst.rs1 as usize];
        let rs2 = registers[inst.rs2 as usize];
        let rd = step.rd.map_or(0, |w| w.after);
        set(&mut columns, CpuInput::Rs1Value, s, F::from_u32(rs1));
        set(&mut columns, CpuInput::Rs2Value, s, F::from_u32(rs2));
        set(&mut columns, CpuInput::RdWrite, s, F::from_u32(rd));
        let word = |address: u32| (REGISTER_SLOTS + (address - io_start) / 4) as u64;
        let (ram_address, read, write) = match step.ram {
            RamAccess::None => (0, 0, 0),
            RamAccess::Read { address, value } => (word(address), value, value),
            RamAccess::Write {
                address,
                before,
                after,
            } => (word(address), before, after),
        };
        set(
            &mut columns,
            CpuInput::RamAddress,
            s,
            F::from_u64(ram_address),
        );
        set(&mut columns, CpuInput::RamRead, s, F::from_u32(read));
        set(&mut columns, CpuInput::RamWrite, s, F::from_u32(write));
        if let Some(kind) = lookup_of(inst.opcode) {
            let (x, y) = lookup_operands(&inst, step.pc, rs1, rs2, rd);
            for (i, dim) in kind.query().chunks(x, y, p).into_iter().enumerate() {
                set(&mut columns, CpuInput::Dim(i), s, F::from_u64(dim));
                set(&mut columns, CpuInput::LeftId(i), s, F::from_u64(dim >> b));
                set(
                    &mut columns,
                    CpuInput::RightId(i),
                    s,
                    F::from_u64(dim & ((1 << b) - 1)),
                );
            }
            set(
                &mut columns,
                CpuInput::LookupOutput,
                s,
                kind.evaluate::<F>(x, y, p),
            );
        }
        if let Some(w) = step.rd {
            registers[w.register as usize] = w.after;
        }
    }
    for s in trace.steps.len()..num_steps {
        let flags = noop_flags();
        set(&mut columns, CpuInput::PackedFlags, s, F::from_u64(flags));
        set(
            &mut columns,
            CpuInput::CircuitFlag(instructions::flags::CircuitFlag::NoOp),
            s,
            F::one(),
        );
    }
    columns
}
