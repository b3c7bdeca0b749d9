//! The malicious-prover harness (tests only, feature `test-harness`): the
//! prover changes one committed value after tracing and before commitment,
//! or claims other I/O, then runs its honest steps on the result. Changing
//! one field of a finished proof needs no hook (its fields are public).
//!
//! A changed value of a column the R1CS reads flows into the R1CS inputs
//! (they are read from the owners' columns), and the auxiliaries are then
//! computed honestly from them; a changed auxiliary is changed last.

use instructions::flags::NUM_CIRCUIT_FLAGS;

use crate::field::JoltField;
use crate::lasso::{LassoColumn, LassoWitness, SmallColumn};
use crate::memory::bytecode::BytecodeColumn;
use crate::memory::MemoryColumn;
use crate::pcs::CommitmentScheme;
use crate::tracer::{ProgramIO, Trace};

use crate::r1cs::NarrowColumn;
use crate::zkvm::keys::ProverKey;
use crate::zkvm::prover::{prove_trace_with, ProveOptions, ProveOutput, WitnessHook};
use crate::zkvm::registry::WitnessColumn;
use crate::zkvm::witness::Witness;
use crate::zkvm::ZkvmError;

/// One change a malicious prover makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// Entry `index` of `column` changes (its lowest bit flips, so it stays
    /// within the column's width).
    Witness { column: WitnessColumn, index: usize },
    /// The proof claims these I/O instead of the run's.
    Io(ProgramIO),
    /// Lasso's flag of `LookupKind::ALL[kind]` at step `index` flips, while
    /// bytecode checking still reads the row's own flag: a prover whose
    /// committed lookup flags are not its bytecode rows'.
    LassoFlagOnly { kind: usize, index: usize },
    /// A checked lookup whose check fails (a forged trace's) gets the low
    /// word of its g as its output, which is what the forger commits and
    /// writes to rd, instead of stopping the prover.
    WrapFailedChecks,
}

/// The honest prover on `trace`, except for `tampers`.
pub fn prove_tampered<P: CommitmentScheme>(
    pk: &ProverKey<P>,
    trace: Trace,
    options: &ProveOptions,
    tampers: &[Tamper],
) -> Result<ProveOutput<P>, ZkvmError> {
    prove_trace_with(pk, trace, options, &Tampers(tampers))
}

/// The hook that applies `tampers` (also for a segment's prover).
pub(crate) struct Tampers<'a>(pub(crate) &'a [Tamper]);

impl<F: JoltField> WitnessHook<F> for Tampers<'_> {
    fn wraps_failed_checks(&self) -> bool {
        self.0.contains(&Tamper::WrapFailedChecks)
    }

    fn owned(&self, witness: &mut Witness<F>, io: &mut ProgramIO) {
        for tamper in self.0 {
            match tamper {
                Tamper::Io(claimed) => {
                    // The memory prover builds Init and the output check
                    // from these too: a consistent forger.
                    *io = claimed.clone();
                    witness.memory.io = claimed.clone();
                }
                Tamper::Witness { column, index } => flip(witness, *column, *index),
                Tamper::LassoFlagOnly { kind, index } => {
                    let k = flag_row(&witness.lasso, *kind);
                    witness.lasso.flags[k][*index] ^= true;
                }
                Tamper::WrapFailedChecks => {}
            }
        }
    }

    fn aux(&self, witness: &mut Witness<F>) {
        for tamper in self.0 {
            if let Tamper::Witness {
                column: WitnessColumn::Aux(k),
                index,
            } = *tamper
            {
                match &mut witness.aux[k] {
                    NarrowColumn::U64(v) => v[index] ^= 1,
                    NarrowColumn::I64(v) => v[index] ^= 1,
                    NarrowColumn::Field(v) => v[index] += F::one(),
                }
            }
        }
    }
}

/// Flips the lowest bit of one entry of a memory, Lasso or flag column.
fn flip<F: JoltField>(w: &mut Witness<F>, column: WitnessColumn, i: usize) {
    match column {
        WitnessColumn::Memory(c) => {
            let (bc, rw) = (&mut w.memory.bytecode, &mut w.memory.read_write);
            match c {
                MemoryColumn::Bytecode(b) => match b {
                    BytecodeColumn::Address => bc.address[i] ^= 1,
                    BytecodeColumn::Pc => bc.pc[i] ^= 1,
                    BytecodeColumn::CircuitFlag(f) => bc.flag_bits[f as usize][i] ^= true,
                    BytecodeColumn::LookupFlag(_) => {}
                    BytecodeColumn::Rd => bc.rd[i] ^= 1,
                    BytecodeColumn::Rs1 => bc.rs1[i] ^= 1,
                    BytecodeColumn::Rs2 => bc.rs2[i] ^= 1,
                    BytecodeColumn::Imm => bc.imm[i] ^= 1,
                    BytecodeColumn::SequenceRemaining => bc.sequence_remaining[i] ^= 1,
                    BytecodeColumn::FinalCount => bc.final_count[i] ^= 1,
                },
                MemoryColumn::RamAddress => rw.ram_address[i] ^= 1,
                MemoryColumn::ReadValue(s) => rw.read_value[s.index()][i] ^= 1,
                MemoryColumn::RamWriteValue => rw.ram_write_value[i] ^= 1,
                MemoryColumn::RdWriteValue => rw.rd_write_value[i] ^= 1,
                MemoryColumn::RangeCell(s) => rw.range_cell[s.index()][i] ^= 1,
                MemoryColumn::RangeRemainderLow(s) => rw.range_remainder_low[s.index()][i] ^= true,
                MemoryColumn::RangeRemainderHigh(s) => {
                    rw.range_remainder_high[s.index()][i] ^= true
                }
                MemoryColumn::RangeFinalCount => rw.range_final_count[i] ^= 1,
                MemoryColumn::FinalValue => rw.final_value[i] ^= 1,
                MemoryColumn::FinalTimestamp => rw.final_timestamp[i] ^= 1,
                MemoryColumn::InitValue => rw.init_value[i] ^= 1,
            }
        }
        WitnessColumn::Lasso(c) => {
            let l = &mut w.lasso;
            match c {
                LassoColumn::ReadValue(m) => {
                    let e: &mut SmallColumn = &mut l.read_values[m];
                    e.set(i, e.get(i) ^ 1);
                }
                LassoColumn::FinalCount(d) => l.final_cts[d][i] ^= 1,
                LassoColumn::Flag(kind) => {
                    let k = flag_row(l, kind);
                    l.flags[k][i] ^= true;
                    // Bytecode checking reads the same committed column.
                    let b = &mut w.memory.bytecode.flag_bits[NUM_CIRCUIT_FLAGS + kind];
                    b[i] ^= true;
                }
                LassoColumn::Output => l.outputs[i] ^= 1,
            }
        }
        WitnessColumn::Aux(_) => {}
    }
}

/// Lasso's flag column of `LookupKind::ALL[kind]`.
fn flag_row(l: &LassoWitness, kind: usize) -> usize {
    // Tampers name only flags of the layout's kinds (the registry's).
    l.layout
        .kind_indices
        .iter()
        .position(|&x| x == kind)
        .expect("a kind of the layout")
}
