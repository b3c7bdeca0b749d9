//! The guest's HINT instructions, read by the host's executor. Each writes
//! x0 only (no effect on the machine or the proof) and names bytes in
//! guest memory with two registers:
//!
//! | instruction | guest side | meaning |
//! |---|---|---|
//! | `slt x0, ptr, len` | `jolt::cycle_tracker::start` | span `label` starts |
//! | `sltu x0, ptr, len` | `jolt::cycle_tracker::end` | span `label` ends |
//! | `and x0, ptr, len` | std's stdout | `len` bytes at `ptr` printed |
//! | `or x0, ptr, len` | std's stderr | `len` bytes at `ptr` printed |
//!
//! Span labels are string literals, read from the program image; console
//! bytes are read from memory as the instruction finds it.
//! [`execute_with_hints`] and [`trace_with_hints`] sum the real cycles
//! between matching span markers and collect the console output.

use super::emulator::{execute_with, trace_with, Emulator, Execution, Step, Trace};
use super::error::TraceError;
use super::program::Program;

enum Marker {
    SpanStart,
    SpanEnd,
    Stdout,
    Stderr,
}

/// Which marker a step is, with the address and length it names.
fn marker(step: &Step) -> Option<(Marker, u32, u32)> {
    use instructions::Opcode;
    let inst = step.instruction;
    if inst.rd != 0 || step.virtual_sequence_remaining.is_some() {
        return None;
    }
    let marker = match inst.opcode {
        Opcode::Slt => Marker::SpanStart,
        Opcode::Sltu => Marker::SpanEnd,
        Opcode::And => Marker::Stdout,
        Opcode::Or => Marker::Stderr,
        _ => return None,
    };
    Some((marker, step.rs1?.value, step.rs2?.value))
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

/// How many spans can be open at once, and how many distinct labels are
/// counted: markers beyond are ignored, so a guest cannot make the host's
/// bookkeeping grow with its cycles.
pub const SPAN_LIMIT: usize = 1024;

/// How much console output one stream keeps: a guest that names more (a
/// bogus length, or a print loop) cannot exhaust the host's memory.
pub const CONSOLE_LIMIT: usize = 16 << 20;

/// Appends the `len` bytes at `address` to `out`, stopping at the first
/// byte outside guest memory and at [`CONSOLE_LIMIT`] bytes in all.
fn copy_out(emulator: &Emulator<'_>, address: u32, len: u32, out: &mut Vec<u8>) {
    let len = len.min(CONSOLE_LIMIT.saturating_sub(out.len()) as u32);
    for k in 0..len {
        let Some(a) = address.checked_add(k) else {
            return;
        };
        let Some(word) = emulator.read_word(a) else {
            return;
        };
        out.push(word.to_le_bytes()[(a % 4) as usize]);
    }
}

/// What the HINTs of a run said: its cycle-tracker spans and console.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hints {
    /// (label, real cycles between its markers, summed over every time the
    /// span ran), in order of first start.
    pub spans: Vec<(String, u64)>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Reads the HINTs of a run step by step.
#[derive(Default)]
struct HintReader {
    /// Real instructions so far.
    cycles: u64,
    /// Open spans: label address and length, and the cycle they began.
    open: Vec<(u32, u32, u64)>,
    totals: Vec<((u32, u32), u64)>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl HintReader {
    /// `step` with the emulator as its instruction left it.
    fn observe(&mut self, step: &Step, emulator: &Emulator<'_>) {
        match marker(step) {
            Some((Marker::SpanStart, address, len)) if self.open.len() < SPAN_LIMIT => {
                self.open.push((address, len, self.cycles));
            }
            Some((Marker::SpanEnd, address, len)) => {
                let key = (address, len);
                if let Some(k) = self.open.iter().rposition(|&(a, l, _)| (a, l) == key) {
                    let (_, _, began) = self.open.remove(k);
                    let spent = self.cycles - began;
                    let full = self.totals.len() >= SPAN_LIMIT;
                    match self.totals.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, total)) => *total += spent,
                        None if !full => self.totals.push((key, spent)),
                        None => {}
                    }
                }
            }
            Some((Marker::Stdout, address, len)) => {
                copy_out(emulator, address, len, &mut self.stdout);
            }
            Some((Marker::Stderr, address, len)) => {
                copy_out(emulator, address, len, &mut self.stderr);
            }
            Some((Marker::SpanStart, ..)) | None => {}
        }
        // A real instruction ends with its last (or only) step.
        if step.virtual_sequence_remaining.is_none_or(|r| r == 0) {
            self.cycles += 1;
        }
    }

    fn finish(self, program: &Program) -> Hints {
        let spans = self
            .totals
            .into_iter()
            .map(|((address, len), cycles)| (label(program, address, len), cycles))
            .collect();
        Hints {
            spans,
            stdout: self.stdout,
            stderr: self.stderr,
        }
    }
}

/// [`super::execute`], reading the guest's HINTs as it runs.
pub fn execute_with_hints(
    program: &Program,
    inputs: &[u8],
    max_cycles: u64,
) -> Result<(Execution, Hints), TraceError> {
    let mut reader = HintReader::default();
    let execution = execute_with(program, inputs, max_cycles, |step, emulator| {
        reader.observe(step, emulator)
    })?;
    Ok((execution, reader.finish(program)))
}

/// [`super::trace`], reading the guest's HINTs as it runs.
pub fn trace_with_hints(
    program: &Program,
    inputs: &[u8],
    max_cycles: u64,
) -> Result<(Trace, Hints), TraceError> {
    let mut reader = HintReader::default();
    let trace = trace_with(program, inputs, max_cycles, |step, emulator| {
        reader.observe(step, emulator)
    })?;
    Ok((trace, reader.finish(program)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::programs::hints_elf;
    use crate::tracer::MemoryLayout;

    #[test]
    fn console_writes_and_spans_reach_the_host() {
        let program = Program::from_elf(&hints_elf(), MemoryLayout::default()).unwrap();
        let (execution, hints) = execute_with_hints(&program, &[], 1000).unwrap();
        assert_eq!(hints.stdout, b"hi\n");
        assert_eq!(hints.stderr, b"oops\n");
        // From the start marker up to the end marker: it and the two ADDIs.
        assert_eq!(hints.spans, [("span".to_string(), 3)]);
        // The HINTs changed nothing a plain execution reports.
        let plain = super::super::execute(&program, &[], 1000).unwrap();
        assert_eq!(execution, plain);
        // Tracing reads them the same way, and records the same steps.
        let (trace, traced) = trace_with_hints(&program, &[], 1000).unwrap();
        assert_eq!(traced, hints);
        let plain = super::super::trace(&program, &[], 1000).unwrap();
        assert_eq!(trace.steps, plain.steps);
    }
}
