//! The CPU R1CS's input columns computed straight from a trace, following
//! the bytecode table and address space of `memory` (row 0 is the padding
//! row; a step without a RAM access reads the termination word).

use instructions::flags::{noop_flags, packed_flags, CircuitFlag, NUM_CIRCUIT_FLAGS};
use instructions::lookups::{lookup_of, lookup_operands, LookupParams, StepValues};

use super::constraints::{CpuConstants, CpuInput, CpuR1cs};
use crate::field::JoltField;
use crate::memory::bytecode::BytecodeTable;
use crate::memory::layout::AddressSpace;
use crate::memory::{MemoryColumn, MemoryPreprocessing, MemoryWitness, Slot};
use crate::tracer::{Program, RamAccess, Trace, NUM_REGISTERS};

/// The constants that place RAM for `program`'s layout.
pub fn cpu_constants(program: &Program) -> CpuConstants {
    let space = AddressSpace::full(program.layout);
    // The I/O region's first byte is addressable by construction.
    let io_start_word = space
        .word(program.layout.io_start())
        .expect("io_start is addressable");
    CpuConstants {
        byte_offset: program.layout.io_start() as i128 - 4 * io_start_word as i128,
        noop_ram_address: space.termination_word() as i128,
    }
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
    let table = BytecodeTable::new(program);
    let space = AddressSpace::full(program.layout);
    let termination = space.termination_word() as u64;
    let mut termination_value = 0u32;
    let mut columns = vec![vec![F::zero(); num_steps]; cpu.inputs.len()];
    let set = |columns: &mut Vec<Vec<F>>, input: CpuInput, step: usize, value: F| {
        columns[cpu.index(input)][step] = value;
    };
    let set_flags = |columns: &mut Vec<Vec<F>>, step: usize, flags: u64| {
        for (k, &input) in cpu.inputs.iter().enumerate() {
            let bit = match input {
                CpuInput::CircuitFlag(f) => f as usize,
                CpuInput::LookupFlag(l) => NUM_CIRCUIT_FLAGS + l,
                _ => continue,
            };
            columns[k][step] = F::from_u64(flags >> bit & 1);
        }
    };
    let mut registers = [0u32; NUM_REGISTERS];
    let b = p.operand_chunk_bits();
    for (s, step) in trace.steps.iter().enumerate() {
        let inst = step.instruction;
        let (row, position) = table
            .row_of(step.pc, step.virtual_sequence_remaining)
            .expect("the trace runs the program's bytecode");
        set(
            &mut columns,
            CpuInput::BytecodeAddress,
            s,
            F::from_u64(row as u64),
        );
        set(&mut columns, CpuInput::Pc, s, F::from_u64(step.pc as u64));
        set(&mut columns, CpuInput::Imm, s, F::from_u32(inst.imm as u32));
        set_flags(&mut columns, s, packed_flags(&inst, position));
        let rs1 = registers[inst.rs1 as usize];
        let rs2 = registers[inst.rs2 as usize];
        let rd = step.rd.map_or(0, |w| w.after);
        set(&mut columns, CpuInput::Rs1Value, s, F::from_u32(rs1));
        set(&mut columns, CpuInput::Rs2Value, s, F::from_u32(rs2));
        set(&mut columns, CpuInput::RdWrite, s, F::from_u32(rd));
        let word = |address: u32| {
            space
                .word(address)
                .expect("traced accesses are addressable") as u64
        };
        let (ram_address, read, write) = match step.ram {
            RamAccess::None => (termination, termination_value, termination_value),
            RamAccess::Read { address, value } => (word(address), value, value),
            RamAccess::Write {
                address,
                before,
                after,
            } => (word(address), before, after),
        };
        if ram_address == termination {
            termination_value = write;
        }
        set(
            &mut columns,
            CpuInput::RamAddress,
            s,
            F::from_u64(ram_address),
        );
        set(&mut columns, CpuInput::RamRead, s, F::from_u32(read));
        set(&mut columns, CpuInput::RamWrite, s, F::from_u32(write));
        if let Some(kind) = lookup_of(inst.opcode) {
            let values = StepValues {
                pc: step.pc,
                rs1,
                rs2,
                rd,
                ram_read: read,
            };
            let (x, y) = lookup_operands(&inst, &values);
            for (i, dim) in kind.query().chunks(x, y, p).into_iter().enumerate() {
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
        set_flags(&mut columns, s, noop_flags());
        set(
            &mut columns,
            CpuInput::RamAddress,
            s,
            F::from_u64(termination),
        );
        set(
            &mut columns,
            CpuInput::RamRead,
            s,
            F::from_u32(termination_value),
        );
        set(
            &mut columns,
            CpuInput::RamWrite,
            s,
            F::from_u32(termination_value),
        );
    }
    debug_assert!(CircuitFlag::NoOp.is_set(noop_flags()));
    columns[cpu.index(CpuInput::ExitPc)] =
        vec![F::from_u32(trace.steps.last().map_or(0, |s| s.next_pc)); num_steps];
    // The range check's remainders come from memory checking's replay.
    let trace_length =
        crate::trace_length::TraceLength::from_log(num_steps.trailing_zeros() as usize)
            .expect("a valid trace length");
    let memory = MemoryWitness::new(&MemoryPreprocessing::new(program), trace, trace_length)
        .expect("a trace of the program");
    for (k, input) in cpu.inputs.iter().enumerate() {
        if let CpuInput::RangeRemainderBit(bit) = *input {
            let slot = Slot::ALL[bit / 2];
            let column = if bit % 2 == 0 {
                MemoryColumn::RangeRemainderLow(slot)
            } else {
                MemoryColumn::RangeRemainderHigh(slot)
            };
            columns[k] = memory.column::<F>(column).to_field();
        }
    }
    columns
}
