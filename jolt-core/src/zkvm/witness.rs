//! Trace → every committed column of the registry: memory checking's and
//! Lasso's witnesses as they build them, and the R1CS auxiliaries computed from the
//! inputs — which are read from their owners' columns, so a value changed
//! in one place (the malicious-prover harness) changes it everywhere.

use instructions::lookups::{lookup_of, lookup_operands};

use super::keys::{InputColumn, VerifierKey};
use super::registry::WitnessColumn;
use super::ZkvmError;
use crate::field::JoltField;
use crate::lasso::{LassoColumn, LassoWitness, LookupRow};
use crate::memory::{AddressSpace, BytecodeColumn, MemoryColumn, MemoryWitness, SegmentRun};
use crate::pcs::{Column, CommitmentScheme, TableRead};
use crate::r1cs::{compute_aux, NarrowColumn, R1csWitness};
use crate::trace_length::TraceLength;
use crate::tracer::{Step, Trace};

/// Every committed column of one run (or segment), and the R1CS's public
/// exit-pc column.
#[derive(Clone, Debug)]
pub struct Witness<F> {
    pub memory: MemoryWitness,
    pub lasso: LassoWitness,
    pub aux: Vec<NarrowColumn<F>>,
    /// The statement's exit pc at every step (never committed).
    pub exit_pc: Vec<u32>,
}

/// The Lasso rows of steps padded to `trace_length`: each step's lookup
/// with the operands the R1CS selects.
pub fn lookup_rows(steps: &[Step], trace_length: TraceLength) -> Vec<LookupRow> {
    let mut rows: Vec<LookupRow> = steps
        .iter()
        .map(|step| match lookup_of(step.instruction.opcode) {
            Some(kind) => {
                let (x, y) = lookup_operands(&step.instruction, &step.lookup_values());
                LookupRow::new(kind, x, y)
            }
            None => LookupRow::none(),
        })
        .collect();
    rows.resize(trace_length.t(), LookupRow::none());
    rows
}

impl<F: JoltField> Witness<F> {
    /// Memory and Lasso columns of `trace` padded to
    /// `trace_length`; the auxiliaries come from [`Self::compute_aux`].
    pub fn owned_columns<P: CommitmentScheme<Field = F>>(
        vk: &VerifierKey<P>,
        trace: &Trace,
        trace_length: TraceLength,
    ) -> Result<Self, ZkvmError> {
        Self::owned_columns_with(vk, trace, trace_length, false)
    }

    /// [`Self::owned_columns`], or with the outputs of failed checked
    /// lookups wrapped to a word (`wrap_failed_checks`, the forger of the
    /// malicious-prover harness: `LassoWitness::new_wrapping`).
    pub(crate) fn owned_columns_with<P: CommitmentScheme<Field = F>>(
        vk: &VerifierKey<P>,
        trace: &Trace,
        trace_length: TraceLength,
        wrap_failed_checks: bool,
    ) -> Result<Self, ZkvmError> {
        let space = SegmentRun::whole_run_space(&vk.memory, trace, trace_length)?;
        Self::of_segment(
            vk,
            &space,
            &SegmentRun::whole(trace),
            trace_length,
            super::prover::exit_pc(trace),
            wrap_failed_checks,
        )
    }

    /// Memory and Lasso columns of one segment of a run over the memory
    /// window `space`, padded to `trace_length`, with the statement's
    /// `exit_pc`; the auxiliaries come from [`Self::compute_aux`].
    pub(crate) fn of_segment<P: CommitmentScheme<Field = F>>(
        vk: &VerifierKey<P>,
        space: &AddressSpace,
        run: &SegmentRun<'_>,
        trace_length: TraceLength,
        exit_pc: u32,
        wrap_failed_checks: bool,
    ) -> Result<Self, ZkvmError> {
        // The memory replay is one sequential pass over the steps; the
        // Lasso columns are built in parallel beside it.
        let (memory, lasso) = rayon::join(
            || MemoryWitness::of_segment(&vk.memory, space, run, trace_length),
            || {
                let rows = lookup_rows(run.steps, trace_length);
                if wrap_failed_checks {
                    LassoWitness::new_wrapping(&rows, vk.params)
                } else {
                    LassoWitness::new(&rows, vk.params)
                }
            },
        );
        let (memory, lasso) = (memory?, lasso?);
        Ok(Witness {
            memory,
            lasso,
            aux: Vec::new(),
            exit_pc: vec![exit_pc; trace_length.t()],
        })
    }

    /// The R1CS inputs: their owners' committed columns, as they are.
    pub fn r1cs_inputs<P: CommitmentScheme<Field = F>>(
        &self,
        vk: &VerifierKey<P>,
    ) -> Vec<Column<'_, F>> {
        vk.input_columns
            .iter()
            .map(|&input| match input {
                InputColumn::Committed(i) => self.column(vk.registry.columns()[i]),
                InputColumn::ExitPc => Column::U32(&self.exit_pc),
            })
            .collect()
    }

    /// Fills the auxiliary columns from the inputs.
    pub fn compute_aux<P: CommitmentScheme<Field = F>>(&mut self, vk: &VerifierKey<P>) {
        self.aux = compute_aux(&vk.cpu.r1cs, &self.r1cs_inputs(vk));
    }

    /// The R1CS witness: the inputs' and auxiliaries' committed columns.
    pub fn r1cs_witness<P: CommitmentScheme<Field = F>>(
        &self,
        vk: &VerifierKey<P>,
    ) -> R1csWitness<'_, F> {
        R1csWitness::new(
            self.r1cs_inputs(vk),
            self.aux.iter().map(NarrowColumn::as_column).collect(),
        )
    }

    /// One committed column at its width.
    ///
    /// # Panics
    /// If the column is not in the registry this witness was built for.
    pub fn column(&self, column: WitnessColumn) -> Column<'_, F> {
        match column {
            WitnessColumn::Memory(c) => self.memory.column(c),
            // The registry lists only columns the layout has.
            WitnessColumn::Lasso(c) => self.lasso.column(c).expect("registered Lasso column"),
            WitnessColumn::Aux(k) => self.aux[k].as_column(),
        }
    }

    /// The public table `column` reads per step, if it is one: Lasso's
    /// read values (their subtables at the chunk index), the bytecode
    /// fields, and Lasso's flags, which are the bytecode row's lookup
    /// flags. A hint for the commitment kernel only
    /// ([`crate::pcs::table_read`]): it is checked against the column
    /// before it is used.
    pub fn table_read(&self, column: WitnessColumn) -> Option<TableRead<'_, F>> {
        match column {
            WitnessColumn::Memory(c) => self.memory.table_read(c),
            WitnessColumn::Lasso(LassoColumn::Flag(k)) => self
                .memory
                .table_read(MemoryColumn::Bytecode(BytecodeColumn::LookupFlag(k))),
            WitnessColumn::Lasso(c) => self.lasso.table_read(c),
            WitnessColumn::Aux(_) => None,
        }
    }

    /// T.
    pub fn trace_length(&self) -> TraceLength {
        self.memory.trace_length()
    }
}
