//! Witness generation: replays a trace, padded to T steps, against the
//! remapped memory and the bytecode table, and records every committed
//! column of memory checking.
//!
//! The replay fills what the trace leaves out: the value of the register in
//! an instruction's rs1/rs2 field even when the instruction does not read it
//! (normalized to x0 then), the old value of rd, the sink register for rows
//! that write no register, the RAM no-op, and the padding steps. It checks
//! every value the trace did record against the replayed memory, so a trace
//! of another program or layout is an error rather than a false witness.
//!
//! **Padding step.** Reads bytecode row 0 ([`BytecodeRow::noop`]): reads x0
//! twice, reads the termination word in the RAM slot, writes 0 to the sink.
//! **RAM no-op.** A step that neither loads nor stores reads the
//! termination word (value unchanged).

use super::bytecode::{BytecodeRow, BytecodeWitness};
use super::io::initial_memory;
use super::layout::{AddressSpace, SINK_REGISTER};
use super::read_write::ReadWriteWitness;
use super::timestamps::{now, range_counts, SLOTS};
use super::{MemoryColumn, MemoryPreprocessing, SegmentRole, Slot};
use crate::field::JoltField;
use crate::pcs::{Column, TableRead};
use crate::trace_length::TraceLength;
use crate::tracer::{ProgramIO, RamAccess, Step, Trace, NUM_REGISTERS};

/// Why a trace cannot be turned into a memory-checking witness.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WitnessError {
    #[error("{steps} trace steps do not fit T = {trace_length}")]
    Length {
        steps: usize,
        trace_length: TraceLength,
    },
    #[error("step {step} (pc {pc:#x}): no bytecode row for this instruction")]
    NoRow { step: usize, pc: u32 },
    #[error("step {step} (pc {pc:#x}): the trace's {what} differs from the program or the replayed memory")]
    Inconsistent {
        step: usize,
        pc: u32,
        what: &'static str,
    },
    #[error("the trace's final {what} differs from the replayed memory")]
    FinalState { what: &'static str },
    #[error("the {what} word ends as {value}; the guest runtime writes {expected}")]
    IoWord {
        what: &'static str,
        value: u32,
        expected: &'static str,
    },
}

/// A state of the machine as the segment witness needs it: the registers
/// and the tracer's memory words (`Trace::final_memory`'s indexing).
#[derive(Clone, Copy, Debug)]
pub struct MemoryState<'a> {
    pub registers: &'a [u32; NUM_REGISTERS],
    pub memory: &'a [u32],
}

impl MemoryState<'_> {
    /// The state over the window: the registers at their indices (the
    /// sink and the unused register words 0), the words from the I/O
    /// region up.
    pub fn dense(&self, space: &AddressSpace) -> Result<Vec<u32>, WitnessError> {
        let ram = space.ram_region();
        if self.memory.len() > ram.len() {
            return Err(WitnessError::FinalState {
                what: "memory size (beyond the window)",
            });
        }
        let mut dense = vec![0u32; space.size()];
        dense[..NUM_REGISTERS].copy_from_slice(self.registers);
        dense[ram.start..ram.start + self.memory.len()].copy_from_slice(self.memory);
        Ok(dense)
    }
}

/// One segment of a run (or the whole run) as memory checking replays it.
#[derive(Clone, Copy, Debug)]
pub struct SegmentRun<'a> {
    pub steps: &'a [Step],
    pub role: SegmentRole,
    /// The state before the first step; `None` for the run's initial
    /// state (the image with the inputs, every register zero).
    pub entry: Option<MemoryState<'a>>,
    /// The state the replay must end in, if the caller knows it (a check
    /// of the trace against the replay, not part of the proof).
    pub exit: Option<MemoryState<'a>>,
    /// The run's I/O: the inputs of the first segment's Init, the outputs
    /// the last one claims.
    pub io: &'a ProgramIO,
}

impl<'a> SegmentRun<'a> {
    /// A whole run proven alone: from the initial state to the trace's
    /// final state.
    pub fn whole(trace: &'a Trace) -> Self {
        SegmentRun {
            steps: &trace.steps,
            role: SegmentRole::WHOLE,
            entry: None,
            exit: Some(MemoryState {
                registers: &trace.final_registers,
                memory: &trace.final_memory,
            }),
            io: &trace.io,
        }
    }

    /// The window a whole run of `trace_length` steps is proven over.
    pub fn whole_run_space(
        pre: &MemoryPreprocessing,
        trace: &Trace,
        trace_length: TraceLength,
    ) -> Result<AddressSpace, WitnessError> {
        if trace.final_memory.len() > pre.layout.num_words() {
            return Err(WitnessError::FinalState {
                what: "memory size",
            });
        }
        Ok(pre.window_for_run(trace.final_memory.len(), trace_length))
    }
}

/// Every committed column of memory checking, and the public I/O. Fields
/// are crate-visible for the malicious-prover harness; others read the
/// columns through [`MemoryWitness::column`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryWitness {
    /// The memory window the run needs (the proof states its size).
    pub(crate) space: AddressSpace,
    /// Whether it starts and whether it ends the run.
    pub(crate) role: SegmentRole,
    pub(crate) io: ProgramIO,
    pub(crate) bytecode: BytecodeWitness,
    /// The bytecode table in column form ([`BytecodeWitness::of_rows`]):
    /// public, not committed; the tables the bytecode columns read.
    pub(crate) bytecode_rows: BytecodeWitness,
    pub(crate) read_write: ReadWriteWitness,
}

/// The memory and last-access times while replaying.
struct Replay {
    memory: Vec<u32>,
    last: Vec<u32>,
    read_timestamp: [Vec<u32>; SLOTS],
    read_value: [Vec<u32>; SLOTS],
}

impl Replay {
    /// Operation (step, slot) at `address`: reads, then writes `write` if
    /// given. Returns the value read.
    fn access(&mut self, step: usize, slot: Slot, address: usize, write: Option<u32>) -> u32 {
        let value = self.memory[address];
        self.read_value[slot.index()][step] = value;
        self.read_timestamp[slot.index()][step] = self.last[address];
        // t_now ≤ 4T ≤ 2^31 since T ≤ 2^29.
        self.last[address] = now(step, slot) as u32;
        if let Some(w) = write {
            self.memory[address] = w;
        }
        value
    }
}

impl MemoryWitness {
    /// The witness of `trace` (a run of the program `pre` was built from),
    /// padded to `trace_length` steps: a whole run, proven alone.
    pub fn new(
        pre: &MemoryPreprocessing,
        trace: &Trace,
        trace_length: TraceLength,
    ) -> Result<Self, WitnessError> {
        let space = SegmentRun::whole_run_space(pre, trace, trace_length)?;
        Self::of_segment(pre, &space, &SegmentRun::whole(trace), trace_length)
    }

    /// The witness of one segment of a run over the window `space`, padded
    /// to `trace_length` steps.
    pub fn of_segment(
        pre: &MemoryPreprocessing,
        space: &AddressSpace,
        run: &SegmentRun<'_>,
        trace_length: TraceLength,
    ) -> Result<Self, WitnessError> {
        let steps = run.steps;
        if steps.len() > trace_length.t() {
            return Err(WitnessError::Length {
                steps: steps.len(),
                trace_length,
            });
        }
        let init_value = match &run.entry {
            None => initial_memory(space, &pre.image, &run.io.inputs),
            Some(state) => state.dense(space)?,
        };
        let table = &pre.bytecode;
        let n = trace_length.t();
        let mut bc = BytecodeWitness {
            address: vec![0; n],
            pc: vec![0; n],
            flags: vec![0; n],
            flag_bits: Vec::new(),
            rd: vec![0; n],
            rs1: vec![0; n],
            rs2: vec![0; n],
            imm: vec![0; n],
            sequence_remaining: vec![0; n],
            final_count: vec![0; table.rows().len()],
        };
        let mut replay = Replay {
            memory: init_value.clone(),
            last: vec![0; space.size()],
            read_timestamp: std::array::from_fn(|_| vec![0; n]),
            read_value: std::array::from_fn(|_| vec![0; n]),
        };
        let mut ram_address = vec![0u32; n];
        let mut ram_write_value = vec![0u32; n];
        let mut rd_write_value = vec![0u32; n];

        for t in 0..n {
            let step = steps.get(t);
            let (pc, row_index, row) = match step {
                Some(step) => {
                    let (index, position) = table
                        .row_of(step.pc, step.virtual_sequence_remaining)
                        .ok_or(WitnessError::NoRow {
                            step: t,
                            pc: step.pc,
                        })?;
                    let row = table.rows()[index];
                    if row != BytecodeRow::new(&step.instruction, step.pc, position) {
                        return Err(WitnessError::Inconsistent {
                            step: t,
                            pc: step.pc,
                            what: "instruction",
                        });
                    }
                    (step.pc, index, row)
                }
                None => (0, 0, BytecodeRow::noop()),
            };
            let inconsistent = |what| WitnessError::Inconsistent { step: t, pc, what };
            bc.address[t] = row_index as u32;
            bc.pc[t] = row.pc;
            bc.flags[t] = row.flags;
            bc.rd[t] = row.rd;
            bc.rs1[t] = row.rs1;
            bc.rs2[t] = row.rs2;
            bc.imm[t] = row.imm;
            bc.sequence_remaining[t] = row.sequence_remaining;
            bc.final_count[row_index] += 1;

            let v1 = replay.access(t, Slot::Rs1, row.rs1 as usize, None);
            let v2 = replay.access(t, Slot::Rs2, row.rs2 as usize, None);
            if let Some(step) = step {
                for (read, register, value) in [(step.rs1, row.rs1, v1), (step.rs2, row.rs2, v2)] {
                    if read.is_some_and(|r| r.register != register || r.value != value) {
                        return Err(inconsistent("register read"));
                    }
                }
            }

            let ram = step.map_or(RamAccess::None, |s| s.ram);
            let address = match ram {
                RamAccess::None => Some(space.termination_word()),
                RamAccess::Read { address, .. } | RamAccess::Write { address, .. } => {
                    space.word(address)
                }
            }
            .ok_or_else(|| inconsistent("RAM address"))?;
            let write = ram_write(ram);
            let value = replay.access(t, Slot::Ram, address, write);
            if ram_recorded(ram).is_some_and(|r| r != value) {
                return Err(inconsistent("RAM value"));
            }
            ram_address[t] = address as u32;
            ram_write_value[t] = write.unwrap_or(value);

            let written = match step.and_then(|s| s.rd) {
                Some(w) if row.rd != SINK_REGISTER => {
                    if w.register != row.rd {
                        return Err(inconsistent("rd"));
                    }
                    w.after
                }
                None if row.rd != SINK_REGISTER => return Err(inconsistent("rd")),
                // Writes to x0 and steps without a write: 0 to the sink.
                _ => 0,
            };
            rd_write_value[t] = written;
            let old = replay.access(t, Slot::Rd, row.rd as usize, Some(written));
            if step
                .and_then(|s| s.rd)
                .is_some_and(|w| row.rd != SINK_REGISTER && w.before != old)
            {
                return Err(inconsistent("rd old value"));
            }
        }

        let memory = &replay.memory;
        if let Some(exit) = &run.exit {
            if exit.dense(space)? != *memory {
                return Err(WitnessError::FinalState {
                    what: "registers or memory",
                });
            }
        }
        let termination = memory[space.termination_word()];
        let expected = run.role.last as u32;
        if termination != expected {
            return Err(WitnessError::IoWord {
                what: "termination",
                value: termination,
                expected: if run.role.last {
                    "1"
                } else {
                    "0 (a segment that does not end the run)"
                },
            });
        }
        let panic = memory[space.panic_word()];
        if panic > 1 {
            return Err(WitnessError::IoWord {
                what: "panic",
                value: panic,
                expected: "0 or 1",
            });
        }

        let range = range_counts(&replay.read_timestamp);
        let read_write = ReadWriteWitness {
            ram_address,
            read_value: replay.read_value,
            ram_write_value,
            rd_write_value,
            range_cell: range.cell,
            range_remainder_low: range
                .remainder
                .clone()
                .map(|m| m.iter().map(|&m| m & 1 == 1).collect()),
            range_remainder_high: range
                .remainder
                .map(|m| m.iter().map(|&m| m & 2 == 2).collect()),
            range_final_count: range.final_count,
            final_value: replay.memory,
            final_timestamp: replay.last,
            init_value,
        };
        bc.flag_bits = BytecodeWitness::unpack(&bc.flags);
        Ok(MemoryWitness {
            space: *space,
            role: run.role,
            io: run.io.clone(),
            bytecode: bc,
            bytecode_rows: BytecodeWitness::of_rows(table.rows()),
            read_write,
        })
    }

    /// The memory window the run needs.
    pub fn space(&self) -> &AddressSpace {
        &self.space
    }

    /// T.
    pub fn trace_length(&self) -> TraceLength {
        self.bytecode.trace_length()
    }

    /// Every committed column with its values at their narrowest width.
    pub fn columns<F>(&self) -> Vec<(MemoryColumn, Column<'_, F>)> {
        MemoryColumn::all()
            .into_iter()
            .map(|c| (c, self.column(c)))
            .collect()
    }

    /// One committed column.
    pub fn column<F>(&self, column: MemoryColumn) -> Column<'_, F> {
        let rw = &self.read_write;
        match column {
            MemoryColumn::Bytecode(c) => self.bytecode.column(c),
            MemoryColumn::RamAddress => Column::U32(&rw.ram_address),
            MemoryColumn::ReadValue(s) => Column::U32(&rw.read_value[s.index()]),
            MemoryColumn::RamWriteValue => Column::U32(&rw.ram_write_value),
            MemoryColumn::RdWriteValue => Column::U32(&rw.rd_write_value),
            MemoryColumn::RangeCell(s) => Column::U32(&rw.range_cell[s.index()]),
            MemoryColumn::RangeRemainderLow(s) => Column::Bits(&rw.range_remainder_low[s.index()]),
            MemoryColumn::RangeRemainderHigh(s) => {
                Column::Bits(&rw.range_remainder_high[s.index()])
            }
            MemoryColumn::RangeFinalCount => Column::U32(&rw.range_final_count),
            MemoryColumn::FinalValue => Column::U32(&rw.final_value),
            MemoryColumn::FinalTimestamp => Column::U32(&rw.final_timestamp),
            MemoryColumn::InitValue => Column::U32(&rw.init_value),
        }
    }

    /// The table `column` reads per step, if it is a field of the
    /// bytecode row the step reads (a commitment hint,
    /// [`crate::pcs::table_read`]).
    pub fn table_read<F>(&self, column: MemoryColumn) -> Option<TableRead<'_, F>> {
        match column {
            MemoryColumn::Bytecode(c) => self.bytecode.table_read(&self.bytecode_rows, c),
            _ => None,
        }
    }

    /// Whether every column has the length the prover relies on: T per
    /// step, K, T range cells and M for the others.
    pub fn has_shape<F: JoltField>(&self, pre: &MemoryPreprocessing) -> bool {
        let n = self.bytecode.address.len();
        let Some(trace_length) = TraceLength::from_log(n.trailing_zeros() as usize) else {
            return false;
        };
        n.is_power_of_two()
            && pre.window(self.space.num_vars()) == Some(self.space)
            && self.read_write.init_value.len() == self.space.size()
            && MemoryColumn::all().into_iter().all(|c| {
                self.column::<F>(c).len()
                    == c.len(trace_length, pre.bytecode.rows().len(), self.space.size())
            })
    }
}

fn ram_write(ram: RamAccess) -> Option<u32> {
    match ram {
        RamAccess::Write { after, .. } => Some(after),
        _ => None,
    }
}

/// The value the trace says the RAM slot found.
fn ram_recorded(ram: RamAccess) -> Option<u32> {
    match ram {
        RamAccess::Read { value, .. } => Some(value),
        RamAccess::Write { before, .. } => Some(before),
        RamAccess::None => None,
    }
}
