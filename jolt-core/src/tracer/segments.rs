//! Cutting a run into segments for continuations (docs/segments.md): the
//! tracer's half of segmented proving.
//!
//! A run too long for one proof is proven as a chain of segments of at most
//! 2^k steps. [`SegmentStream`] runs the program and hands out one segment
//! at a time, so the prover holds one segment's steps, never the whole
//! trace:
//!
//! - A cut never falls inside a virtual sequence: before each instruction
//!   the stream asks how many steps it takes and closes the segment if they
//!   would not fit. Every segment therefore starts at the first step of a
//!   real instruction (no virtual register is live across a cut), and a
//!   segment other than the last may hold up to `MAX_SEQUENCE_LEN − 1`
//!   steps fewer than 2^k.
//! - Each segment comes with its entry [`MachineState`] (pc, registers,
//!   memory words): the exit state of the segment before it, and for the
//!   first, the program's initial state.
//! - The segment during which the program halts is the last; it alone ends
//!   with the termination store, and it carries the run's I/O.
//!
//! Hands on, per segment: index, steps, entry state, whether it is the
//! last, and (for the last) the final state and I/O, which equal those of
//! [`super::trace`] on the same program and inputs.

use instructions::virtual_sequences::MAX_SEQUENCE_LEN;

use super::emulator::{Emulator, Step, NUM_REGISTERS};
use super::error::TraceError;
use super::io::ProgramIO;
use super::program::Program;

/// Fewest steps (log2) a segment may be sized for.
pub const MIN_SEGMENT_LOG_STEPS: u32 = 4;

/// Most steps (log2) a segment may be sized for.
pub const MAX_SEGMENT_LOG_STEPS: u32 = 28;

// Every instruction's steps fit in the smallest segment.
const _: () = assert!(1 << MIN_SEGMENT_LOG_STEPS >= MAX_SEQUENCE_LEN);

/// Why a run cannot be cut into segments.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    #[error(
        "segments of 2^{log_steps} steps are outside the supported sizes \
         2^{MIN_SEGMENT_LOG_STEPS}..=2^{MAX_SEGMENT_LOG_STEPS}"
    )]
    SegmentSize { log_steps: u32 },
    #[error(transparent)]
    Trace(#[from] TraceError),
    #[error("a segment's entry state holds {words} memory words; the layout has {max}")]
    StateTooLarge { words: usize, max: usize },
}

/// The machine between two instructions: what a segment's proof starts
/// from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MachineState {
    /// The pc of the next instruction.
    pub pc: u32,
    /// The 32 architectural registers, then the virtual ones.
    pub registers: [u32; NUM_REGISTERS],
    /// The words of `[io_start, ram_end)` up to the highest one the image,
    /// the I/O region or an access so far reached, indexed by
    /// `MemoryLayout::word_index` (as `Trace::final_memory`); the words
    /// beyond are zero.
    pub memory: Vec<u32>,
}

impl MachineState {
    /// The state a run of `program` on `inputs` starts in: the entry pc,
    /// every register zero, the image and the inputs in memory.
    pub fn initial(program: &Program, inputs: &[u8]) -> Result<Self, TraceError> {
        Ok(Self::of(&Emulator::new(program, inputs)?))
    }

    fn of(emulator: &Emulator<'_>) -> Self {
        MachineState {
            pc: emulator.pc(),
            registers: *emulator.registers(),
            memory: emulator.memory_words().to_vec(),
        }
    }
}

/// One segment of a run.
#[derive(Clone, Debug)]
pub struct RunSegment {
    /// Position in the run, from 0.
    pub index: usize,
    /// Index of the segment's first step in the whole run.
    pub first_step: u64,
    /// Real instructions the run executed before this segment.
    pub first_cycle: u64,
    pub steps: Vec<Step>,
    /// The state before the first step.
    pub entry: MachineState,
    /// For the last segment (the one that halts): the run's final state and
    /// I/O. `None` for every other segment, whose exit state is the next
    /// segment's entry.
    pub end: Option<RunEnd>,
}

impl RunSegment {
    /// Whether this segment ends the run (it holds the termination store).
    pub fn is_last(&self) -> bool {
        self.end.is_some()
    }
}

/// How a run ends: its final state and its public I/O.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunEnd {
    pub state: MachineState,
    pub io: ProgramIO,
    /// Real instructions the whole run executed.
    pub cycles: u64,
}

/// Runs a program and hands out its segments in order
/// ([`SegmentStream::next_segment`]).
pub struct SegmentStream<'p> {
    emulator: Emulator<'p>,
    max_steps: usize,
    max_cycles: u64,
    next_index: usize,
    steps_so_far: u64,
    /// Set by an error: the machine may be partway through an instruction.
    stopped: bool,
    /// Set by [`SegmentStream::resume_one`]: stop after one segment.
    only_one: bool,
}

impl<'p> SegmentStream<'p> {
    /// A run of `program` on `inputs` cut into segments of at most
    /// 2^`log_steps` steps, stopped with `TraceError::CycleLimit` after
    /// `max_cycles` real instructions.
    pub fn new(
        program: &'p Program,
        inputs: &[u8],
        log_steps: u32,
        max_cycles: u64,
    ) -> Result<Self, SegmentError> {
        if !(MIN_SEGMENT_LOG_STEPS..=MAX_SEGMENT_LOG_STEPS).contains(&log_steps) {
            return Err(SegmentError::SegmentSize { log_steps });
        }
        Ok(SegmentStream {
            emulator: Emulator::new(program, inputs)?,
            max_steps: 1 << log_steps,
            max_cycles,
            next_index: 0,
            steps_so_far: 0,
            stopped: false,
            only_one: false,
        })
    }

    /// The one segment of a run of `program` on `inputs` that starts in
    /// `entry` after `first_cycle` instructions and `first_step` steps, as
    /// segment `index` (a remote prover's view of a segment: it gets the
    /// boundary state, not the run before it). The stream hands out that
    /// segment and then ends. A segment cut this way equals the one the
    /// whole run's stream hands out at that position.
    #[allow(clippy::too_many_arguments)]
    pub fn resume_one(
        program: &'p Program,
        inputs: &[u8],
        entry: MachineState,
        index: usize,
        first_step: u64,
        first_cycle: u64,
        log_steps: u32,
        max_cycles: u64,
    ) -> Result<Self, SegmentError> {
        if !(MIN_SEGMENT_LOG_STEPS..=MAX_SEGMENT_LOG_STEPS).contains(&log_steps) {
            return Err(SegmentError::SegmentSize { log_steps });
        }
        let max = program.layout.num_words();
        if entry.memory.len() > max {
            return Err(SegmentError::StateTooLarge {
                words: entry.memory.len(),
                max,
            });
        }
        Ok(SegmentStream {
            emulator: Emulator::resume(program, inputs, entry, first_cycle)?,
            max_steps: 1 << log_steps,
            max_cycles,
            next_index: index,
            steps_so_far: first_step,
            stopped: false,
            only_one: true,
        })
    }

    /// The next segment, or `None` once the segment that halts has been
    /// handed out. An error (a fault of the guest, the cycle limit) ends
    /// the stream: later calls return `None`. Segments handed out before
    /// an error are segments of a run that does not end.
    pub fn next_segment(&mut self) -> Result<Option<RunSegment>, SegmentError> {
        if self.stopped || self.emulator.halted() {
            return Ok(None);
        }
        let segment = self.run_segment();
        self.stopped = segment.is_err() || self.only_one;
        segment.map(Some)
    }

    fn run_segment(&mut self) -> Result<RunSegment, SegmentError> {
        let entry = MachineState::of(&self.emulator);
        let first_cycle = self.emulator.cycles();
        // Not 2^k up front: a small run in large segments stays small.
        let mut steps = Vec::with_capacity(self.max_steps.min(1 << 16));
        while !self.emulator.halted() {
            // In `trace`'s order: the cycle limit before the next fetch.
            self.emulator.check_cycle_limit(self.max_cycles)?;
            if steps.len() + self.emulator.next_instruction_steps()? > self.max_steps {
                break;
            }
            self.emulator.step(|step| steps.push(step))?;
        }
        let end = self.emulator.halted().then(|| RunEnd {
            state: MachineState::of(&self.emulator),
            io: self.emulator.io(),
            cycles: self.emulator.cycles(),
        });
        let segment = RunSegment {
            index: self.next_index,
            first_step: self.steps_so_far,
            first_cycle,
            steps,
            entry,
            end,
        };
        self.next_index += 1;
        self.steps_so_far += segment.steps.len() as u64;
        Ok(segment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::elf::{build_elf, ElfSegment};
    use crate::testing::programs::{halt, i, li, ProgramGenerator};
    use crate::tracer::{trace, MemoryLayout, Trace, RAM_BASE};
    use instructions::Opcode::*;

    const INPUTS: [u8; 8] = [7, 0, 0, 0, 9, 0, 0, 0];

    fn generated(seed: u64) -> Program {
        ProgramGenerator::new(seed, MemoryLayout::default()).program(2, 20, false)
    }

    fn all_segments(
        program: &Program,
        inputs: &[u8],
        log_steps: u32,
    ) -> Result<Vec<RunSegment>, SegmentError> {
        let mut stream = SegmentStream::new(program, inputs, log_steps, 1 << 20)?;
        let mut segments = Vec::new();
        while let Some(segment) = stream.next_segment()? {
            segments.push(segment);
        }
        Ok(segments)
    }

    /// Step i of a run starts an instruction unless the step before it has
    /// steps of its sequence still to come.
    fn starts_instruction(steps: &[Step], i: usize) -> bool {
        i == 0 || !matches!(steps[i - 1].virtual_sequence_remaining, Some(k) if k > 0)
    }

    /// Checks the segments against the whole trace of the same run.
    fn check_against_trace(segments: &[RunSegment], t: &Trace, max: usize, initial: &MachineState) {
        let mut at = 0usize;
        for (j, segment) in segments.iter().enumerate() {
            let n = segment.steps.len();
            assert_eq!(segment.index, j);
            assert_eq!(segment.first_step, at as u64);
            assert!(n > 0 && n <= max, "segment {j} holds {n} steps");
            assert_eq!(segment.steps[..], t.steps[at..at + n]);
            assert!(
                starts_instruction(&t.steps, at),
                "segment {j} starts mid-sequence"
            );
            assert_eq!(segment.is_last(), j + 1 == segments.len());
            if j == 0 {
                assert_eq!(&segment.entry, initial);
            } else {
                // The entry pc is where the previous segment went next.
                let before = &segments[j - 1];
                assert_eq!(segment.entry.pc, before.steps.last().unwrap().next_pc);
                // A segment is cut short only by the instruction that would
                // have crossed the cut.
                if before.steps.len() < max {
                    let len = t.steps[at]
                        .virtual_sequence_remaining
                        .map_or(1, |k| k as usize + 1);
                    assert!(
                        before.steps.len() + len > max,
                        "segment {} ends early",
                        j - 1
                    );
                }
            }
            assert_eq!(segment.entry.pc, segment.steps[0].pc);
            // The entry state is what the first step read.
            let first = &segment.steps[0];
            for read in [first.rs1, first.rs2].into_iter().flatten() {
                assert_eq!(segment.entry.registers[read.register as usize], read.value);
            }
            at += n;
        }
        assert_eq!(at, t.steps.len());
        let end = segments.last().unwrap().end.as_ref().unwrap();
        assert_eq!(end.state.registers, t.final_registers);
        assert_eq!(end.state.memory, t.final_memory);
        assert_eq!(end.io, t.io);
        assert_eq!(end.cycles, t.cycles);
    }

    #[test]
    fn segments_are_the_trace_cut_at_instruction_boundaries() {
        for seed in 0..4 {
            let program = generated(seed);
            let t = trace(&program, &INPUTS, 1 << 20).unwrap();
            assert!(t
                .steps
                .iter()
                .any(|s| s.virtual_sequence_remaining.is_some()));
            let initial = MachineState::initial(&program, &INPUTS).unwrap();
            for log_steps in [4, 5, 7] {
                let segments = all_segments(&program, &INPUTS, log_steps).unwrap();
                assert!(segments.len() > 2, "the run spans several segments");
                check_against_trace(&segments, &t, 1 << log_steps, &initial);
            }
        }
    }

    #[test]
    fn entry_states_are_the_machine_between_segments() {
        // Each entry state is the previous entry with the previous
        // segment's register and RAM writes applied.
        let program = generated(7);
        let segments = all_segments(&program, &INPUTS, 5).unwrap();
        assert!(segments.len() > 2, "the run spans several segments");
        for pair in segments.windows(2) {
            let mut state = pair[0].entry.clone();
            for step in &pair[0].steps {
                if let Some(rd) = step.rd {
                    state.registers[rd.register as usize] = rd.after;
                }
                if let crate::tracer::RamAccess::Write { address, after, .. } = step.ram {
                    let word = program.layout.word_index(address).unwrap();
                    if word >= state.memory.len() {
                        state.memory.resize(word + 1, 0);
                    }
                    state.memory[word] = after;
                }
            }
            state.pc = pair[0].steps.last().unwrap().next_pc;
            // Reads may grow the memory vector with zeros; compare the words.
            let width = state.memory.len().max(pair[1].entry.memory.len());
            state.memory.resize(width, 0);
            let mut next = pair[1].entry.clone();
            next.memory.resize(width, 0);
            assert_eq!(state, next);
        }
    }

    #[test]
    fn a_segment_resumed_from_its_entry_state_is_the_same_segment() {
        let program = generated(3);
        let segments = all_segments(&program, &INPUTS, 5).unwrap();
        assert!(segments.len() > 2, "the run spans several segments");
        for s in &segments {
            let mut stream = SegmentStream::resume_one(
                &program,
                &INPUTS,
                s.entry.clone(),
                s.index,
                s.first_step,
                s.first_cycle,
                5,
                1 << 20,
            )
            .unwrap();
            let resumed = stream.next_segment().unwrap().unwrap();
            assert_eq!(resumed.index, s.index);
            assert_eq!(resumed.first_step, s.first_step);
            assert_eq!(resumed.first_cycle, s.first_cycle);
            assert_eq!(resumed.steps, s.steps);
            assert_eq!(resumed.entry, s.entry);
            assert_eq!(resumed.end, s.end);
            assert!(stream.next_segment().unwrap().is_none(), "one segment only");
        }
        // An entry state larger than the layout is refused, not indexed.
        let mut huge = segments[1].entry.clone();
        huge.memory.resize(program.layout.num_words() + 1, 0);
        assert!(matches!(
            SegmentStream::resume_one(&program, &INPUTS, huge, 1, 0, 0, 5, 1 << 20),
            Err(SegmentError::StateTooLarge { .. })
        ));
    }

    #[test]
    fn a_run_that_fits_is_one_segment_like_the_trace() {
        let program = generated(5);
        let t = trace(&program, &INPUTS, 1 << 20).unwrap();
        let log_steps = (t.steps.len() as u64).next_power_of_two().trailing_zeros();
        let segments = all_segments(&program, &INPUTS, log_steps).unwrap();
        assert_eq!(segments.len(), 1);
        let initial = MachineState::initial(&program, &INPUTS).unwrap();
        assert_eq!(initial.pc, program.entry);
        check_against_trace(&segments, &t, 1 << log_steps, &initial);
    }

    #[test]
    fn a_sequence_is_never_split() {
        // 16-step segments and six DIVs (8 steps each) after a 5-step
        // prologue: the first segment ends early, the middle ones hold two
        // DIVs each.
        let layout = MemoryLayout::default();
        let mut code = li(5, 100).to_vec();
        code.extend(li(6, 7));
        code.extend([i(Addi, 8, 0, 0, 1)]);
        code.extend((0..6).map(|_| i(Div, 7, 5, 6, 0)));
        code.extend(halt(&layout, 10));
        let elf = build_elf(RAM_BASE, &[ElfSegment::code(RAM_BASE, &code)]);
        let program = Program::from_elf(&elf, layout).unwrap();
        let t = trace(&program, &[], 1000).unwrap();
        let segments = all_segments(&program, &[], 4).unwrap();
        let lens: Vec<usize> = segments.iter().map(|s| s.steps.len()).collect();
        assert_eq!(
            lens[0], 13,
            "five steps, then one DIV: the second does not fit"
        );
        assert!(lens[1..lens.len() - 1].iter().all(|&n| n == 16));
        check_against_trace(
            &segments,
            &t,
            16,
            &MachineState::initial(&program, &[]).unwrap(),
        );
    }

    #[test]
    fn bad_sizes_faults_and_the_cycle_limit_are_errors() {
        let program = generated(2);
        for log_steps in [0, MIN_SEGMENT_LOG_STEPS - 1, MAX_SEGMENT_LOG_STEPS + 1] {
            assert_eq!(
                SegmentStream::new(&program, &INPUTS, log_steps, 100).err(),
                Some(SegmentError::SegmentSize { log_steps })
            );
        }
        let mut stream = SegmentStream::new(&program, &INPUTS, 4, 50).unwrap();
        let result = loop {
            match stream.next_segment() {
                Ok(Some(_)) => continue,
                other => break other,
            }
        };
        assert_eq!(
            result.err(),
            Some(SegmentError::Trace(TraceError::CycleLimit {
                max_cycles: 50
            }))
        );
        assert!(
            matches!(stream.next_segment(), Ok(None)),
            "an error ends the stream"
        );
        // A misaligned load faults as in the whole-trace tracer.
        let layout = MemoryLayout::default();
        let mut code = li(5, RAM_BASE + 0x100).to_vec();
        code.push(i(Lw, 6, 5, 0, 2));
        code.extend(halt(&layout, 10));
        let elf = build_elf(RAM_BASE, &[ElfSegment::code(RAM_BASE, &code)]);
        let program = Program::from_elf(&elf, layout).unwrap();
        let expected = trace(&program, &[], 100).unwrap_err();
        assert_eq!(
            all_segments(&program, &[], 4).unwrap_err(),
            SegmentError::Trace(expected)
        );
    }
}
