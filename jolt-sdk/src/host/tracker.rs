//! Cycle tracking on the host: the guest's `jolt::cycle_tracker::start` and
//! `end` execute `slt x0, ptr, len` and `sltu x0, ptr, len` (RISC-V HINTs:
//! writes to x0, no effect on the machine or the proof); the executor sees
//! them, reads the label from the program image and sums the real cycles
//! between matching markers.

use jolt_core::tracer::{execute_with, Execution, Program, Step, TraceError};

use super::provable::CycleSpan;

/// An execution and its cycle-tracker spans.
pub struct TrackedRun {
    pub execution: Execution,
    pub spans: Vec<CycleSpan>,
}

/// Which marker a step is, with the label's address and length.
fn marker(step: &Step) -> Option<(bool, u32, u32)> {
    use instructions::Opcode;
    let inst = step.instruction;
    if inst.rd != 0 || step.virtual_sequence_remaining.is_some() {
        return None;
    }
    let start = match inst.opcode {
        Opcode::Slt => true,
        Opcode::Sltu => false,
        _ => return None,
    };
    Some((start, step.rs1?.value, step.rs2?.value))
}

/// The label bytes at `address` in the program's loaded image.
fn label(program: &Program, address: u32, len: u32) -> String {
    let bytes: Option<Vec<u8>> = (0..len)
        .map(|k| {
            let a = address.checked_add(k)?;
            program.segments.iter().find_map(|s| {
                let offset = a.checked_sub(s.vaddr)? as usize;
                s.data.get(offset).copied()
            })
        })
        .collect();
    match bytes {
        Some(b) => String::from_utf8_lossy(&b).into_owned(),
        None => format!("<label at {address:#x}>"),
    }
}

pub fn execute_tracked(
    program: &Program,
    inputs: &[u8],
    max_cycles: u64,
) -> Result<TrackedRun, TraceError> {
    let mut cycles = 0u64;
    let mut open: Vec<(u32, u32, u64)> = Vec::new();
    let mut totals: Vec<((u32, u32), u64)> = Vec::new();
    let execution = execute_with(program, inputs, max_cycles, |step| {
        if let Some((start, address, len)) = marker(step) {
            if start {
                open.push((address, len, cycles));
            } else if let Some(k) = open.iter().rposition(|&(a, l, _)| (a, l) == (address, len)) {
                let (_, _, began) = open.remove(k);
                let spent = cycles - began;
                match totals.iter_mut().find(|(key, _)| *key == (address, len)) {
                    Some((_, total)) => *total += spent,
                    None => totals.push(((address, len), spent)),
                }
            }
        }
        // A real instruction ends with its last (or only) step.
        if step.virtual_sequence_remaining.is_none_or(|r| r == 0) {
            cycles += 1;
        }
    })?;
    let spans = totals
        .into_iter()
        .map(|((address, len), cycles)| CycleSpan {
            label: label(program, address, len),
            cycles,
        })
        .collect();
    Ok(TrackedRun { execution, spans })
}
