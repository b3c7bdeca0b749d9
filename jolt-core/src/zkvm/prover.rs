//! The prover: trace → witness → commitments → memory checking, Lasso,
//! Spartan → one batched opening (the order of [`super`]).

use std::time::{Duration, Instant};

use crate::lasso;
use crate::memory::{self, BytecodeColumn, MemoryColumn};
use crate::pcs::{pieces, CommitmentScheme, HyperKzg, ProverOpening};
use crate::r1cs::spartan;
use crate::tracer::{trace, ProgramIO, Trace, DEFAULT_MAX_CYCLES};
use crate::transcript::Transcript;
use instructions::flags::CircuitFlag;

use super::keys::ProverKey;
use super::progress::{report as progress, Progress};
use super::proof::{Proof, SegmentStatement};
use super::protocol::{
    absorb_commitments, absorb_statement, claims_to_open, collect_claims, ClaimTarget,
    OpeningTarget, StatementClaims, SubprotocolClaims,
};
use super::registry::WitnessColumn;
use super::shape::ProofShape;
use super::witness::Witness;
use super::ZkvmError;

/// How to run the prover.
#[derive(Clone, Debug)]
pub struct ProveOptions {
    /// Real instructions before the run is stopped with a cycle-limit error.
    pub max_cycles: u64,
    /// Where the end of each phase is reported (off, stderr lines, a callback).
    pub progress: Progress,
}

impl Default for ProveOptions {
    fn default() -> Self {
        ProveOptions {
            max_cycles: DEFAULT_MAX_CYCLES,
            progress: Progress::Off,
        }
    }
}

/// A proof with the run it proves.
#[derive(Clone, Debug)]
pub struct ProveOutput<P: CommitmentScheme> {
    /// The claimed I/O (the verifier checks it against the proof).
    pub io: ProgramIO,
    pub proof: Proof<P>,
    /// Real instructions executed.
    pub cycles: u64,
    /// Trace steps (virtual sequences expanded), before padding.
    pub steps: usize,
    /// Time of each prover phase (witness, commit, memory checking,
    /// lookups, R1CS, opening); tracing is not included.
    pub phases: Phases,
}

/// Runs `inputs` through the program and proves the run.
pub fn prove(
    pk: &ProverKey<HyperKzg>,
    inputs: &[u8],
    options: &ProveOptions,
) -> Result<ProveOutput<HyperKzg>, ZkvmError> {
    let start = Instant::now();
    let trace = trace(&pk.program, inputs, options.max_cycles)?;
    progress(
        &options.progress,
        start,
        1,
        &format!("{} cycles, {} steps", trace.cycles, trace.steps.len()),
    );
    prove_trace(pk, trace, options)
}

/// Proves a run traced from the key's program.
pub fn prove_trace(
    pk: &ProverKey<HyperKzg>,
    trace: Trace,
    options: &ProveOptions,
) -> Result<ProveOutput<HyperKzg>, ZkvmError> {
    prove_trace_with(pk, trace, options, &())
}

/// Where the malicious-prover harness changes the witness: after the
/// owned columns are built (and the I/O claimed), and after the
/// auxiliaries are computed from them. The honest prover's hook is `()`.
pub(crate) trait WitnessHook<F> {
    /// Whether a checked lookup whose check fails gets its output wrapped
    /// to a word instead of stopping the prover (a forger's witness).
    fn wraps_failed_checks(&self) -> bool {
        false
    }
    fn owned(&self, _witness: &mut Witness<F>, _io: &mut ProgramIO) {}
    fn aux(&self, _witness: &mut Witness<F>) {}
}

impl<F> WitnessHook<F> for () {}

pub(crate) fn prove_trace_with<P: CommitmentScheme, H: WitnessHook<P::Field>>(
    pk: &ProverKey<P>,
    trace: Trace,
    options: &ProveOptions,
    hook: &H,
) -> Result<ProveOutput<P>, ZkvmError> {
    let start = Instant::now();
    let vk = &pk.vk;
    let steps = trace.steps.len();
    let shape = ProofShape::of(vk.memory.layout, &trace)?;
    if !pk.max_shape.covers(&shape) {
        return Err(ZkvmError::KeyTooSmall {
            needed: shape,
            key: pk.max_shape,
        });
    }
    let witness =
        Witness::owned_columns_with(vk, &trace, shape.trace_length, hook.wraps_failed_checks())?;
    let cycles = trace.cycles;
    let io = trace.io.clone();
    let statement = SegmentStatement::whole(pk.program.entry, exit_pc(&trace), steps as u64);
    drop(trace);
    let (io, proof, phases) = prove_witness(pk, witness, io, statement, options, start, hook)?;
    Ok(ProveOutput {
        io,
        proof,
        cycles,
        steps,
        phases,
    })
}

/// The pc after a run's last step (the halting store's next pc).
pub(crate) fn exit_pc(trace: &Trace) -> u32 {
    trace.steps.last().map_or(0, |s| s.next_pc)
}

/// Proves one witness (a whole run or a segment) whose statement is
/// `statement` but for the initial-memory commitment, which is computed
/// here for a segment that does not start the run.
pub(crate) fn prove_witness<P: CommitmentScheme, H: WitnessHook<P::Field>>(
    pk: &ProverKey<P>,
    mut witness: Witness<P::Field>,
    mut io: ProgramIO,
    mut statement: SegmentStatement<P>,
    options: &ProveOptions,
    start: Instant,
    hook: &H,
) -> Result<(ProgramIO, Proof<P>, Phases), ZkvmError> {
    let vk = &pk.vk;
    let trace_length = witness.trace_length();
    hook.owned(&mut witness, &mut io);
    // The witness's window also honours the key's minimum (registers, I/O,
    // image); a trace from the tracer covers its image, so this agrees
    // with the run's shape and only a foreign trace can trip it.
    let space = *witness.memory.space();
    if space.num_vars() > pk.max_shape.memory_vars {
        return Err(ZkvmError::KeyTooSmall {
            needed: ProofShape {
                trace_length,
                memory_vars: space.num_vars(),
            },
            key: pk.max_shape,
        });
    }
    if vk.memory.bytecode.entry_row(statement.entry_pc).is_none() {
        return Err(ZkvmError::NoEntryRow {
            entry: statement.entry_pc,
        });
    }
    witness.compute_aux(vk);
    hook.aux(&mut witness);
    let mut phases = Phases::default();
    phases.mark("witness", start);
    progress(&options.progress, start, 2, &format!("T = {trace_length}"));

    let noops = witness.memory.bytecode.flag_bits[CircuitFlag::NoOp as usize]
        .iter()
        .filter(|&&b| b)
        .count() as u64;
    let init = WitnessColumn::Memory(MemoryColumn::InitValue);
    let init_column = witness.column(init);
    if !statement.role().first {
        let commitment = P::batch_commit_with_reads(&pk.pcs, &[init_column], &[None])?;
        statement.init = commitment.into_iter().next();
    }
    let mut transcript = Transcript::new(b"jolt zkvm");
    absorb_statement(
        &mut transcript,
        &vk.digest,
        &io,
        trace_length,
        &space,
        &statement,
    );
    // Each column with its table-read hint, if it reads a public table,
    // then what is committed: the long columns maybe in pieces.
    let layout = vk.commitment_layout(
        ProofShape {
            trace_length,
            memory_vars: space.num_vars(),
        },
        statement.role(),
    );
    let columns: Vec<_> = vk
        .registry
        .columns()
        .iter()
        .map(|&c| witness.column(c))
        .collect();
    let mut committed = Vec::with_capacity(layout.len());
    let mut reads = Vec::with_capacity(layout.len());
    for (i, (&c, &column)) in vk.registry.columns().iter().zip(&columns).enumerate() {
        if layout.is_split(i) {
            let pieces = pieces::split_column(column, layout.piece_vars, layout.pieces_of(i));
            reads.extend(pieces.iter().map(|_| None));
            committed.extend(pieces);
        } else {
            committed.push(column);
            reads.push(witness.table_read(c));
        }
    }
    let commitments = P::batch_commit_with_reads(&pk.pcs, &committed, &reads)?;
    absorb_commitments::<P>(&mut transcript, &commitments);
    phases.mark("commit", start);
    let detail = format!("{} columns", commitments.len());
    progress(&options.progress, start, 3, &detail);

    // Lasso's chunk memories are read-only memories like the bytecode: their
    // fraction sums share the memories' layered circuit.
    let lasso_leaves = lasso::memory_checking::prove_leaves(&witness.lasso, &mut transcript);
    let (memory_proof, memory_claims, lasso_memory) =
        memory::prove(&vk.memory, &witness.memory, lasso_leaves, &mut transcript);
    phases.mark("memory checking", start);
    progress(&options.progress, start, 4, "");
    let (lasso_proof, lasso_claims) =
        lasso::prove(&vk.lasso, &witness.lasso, &lasso_memory, &mut transcript);
    phases.mark("instruction lookups", start);
    progress(&options.progress, start, 5, "");
    let (r1cs_proof, r1cs_claims) =
        spartan::prove(&vk.cpu.r1cs, &witness.r1cs_witness(vk), &mut transcript);
    phases.mark("R1CS", start);
    progress(&options.progress, start, 6, "");

    let claims = collect_claims(
        vk,
        trace_length,
        &statement,
        StatementClaims {
            entry_row: witness
                .column(WitnessColumn::Memory(MemoryColumn::Bytecode(
                    BytecodeColumn::Address,
                )))
                .value(0),
            padding: StatementClaims::padding(trace_length, noops),
        },
        SubprotocolClaims {
            memory: memory_claims,
            lasso: lasso_claims,
            r1cs: r1cs_claims,
        },
    )
    // The prover's own exit-pc claim is the column it built from the
    // statement.
    .expect("the witness's exit pc is the statement's");
    let piece_evals: Vec<P::Field> = claims
        .iter()
        .filter_map(|(target, claim)| match *target {
            ClaimTarget::Column(i) if layout.is_split(i) => Some(pieces::piece_evals(
                columns[i],
                &claim.point,
                layout.piece_vars,
            )),
            _ => None,
        })
        .flatten()
        .collect();
    let openings: Vec<ProverOpening<'_, P>> = claims_to_open(&layout, &claims, &piece_evals)
        // The claims on split columns are evaluations of the very columns
        // the pieces were cut from, so the pieces sum to them.
        .expect("the pieces of a column sum to its value")
        .into_iter()
        .map(|claim| {
            let (poly, commitment) = match claim.target {
                OpeningTarget::Commitment(k) => (committed[k], &commitments[k]),
                // Claimed only when the statement holds the commitment.
                OpeningTarget::Init => (init_column, statement.init.as_ref().expect("committed")),
            };
            ProverOpening {
                poly,
                commitment,
                point: claim.point,
                eval: claim.value,
            }
        })
        .collect();
    let openings = P::prove_openings(&pk.pcs, &openings, &mut transcript)?;
    phases.mark("opening", start);
    let detail = format!("{} claims", claims.len());
    progress(&options.progress, start, 7, &detail);

    Ok((
        io,
        Proof {
            trace_length: trace_length.t() as u64,
            // At most log2(2^32 / 4 + 64) < 31.
            memory_vars: space.num_vars() as u8,
            segment: statement,
            commitments: commitments.into(),
            piece_evals: piece_evals.into(),
            memory: memory_proof,
            lasso: lasso_proof,
            r1cs: r1cs_proof,
            openings,
        },
        phases,
    ))
}

/// Time per prover phase, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Phases(pub Vec<(&'static str, Duration)>);

impl Phases {
    /// Adds `other`'s time per phase (the phases of another segment).
    pub fn add(&mut self, other: &Phases) {
        for &(phase, d) in &other.0 {
            match self.0.iter_mut().find(|(p, _)| *p == phase) {
                Some((_, total)) => *total += d,
                None => self.0.push((phase, d)),
            }
        }
    }

    /// Records the time since the previous mark (or `since`) as `phase`.
    pub(crate) fn mark(&mut self, phase: &'static str, since: Instant) {
        let total: Duration = self.0.iter().map(|(_, d)| *d).sum();
        self.0.push((phase, since.elapsed().saturating_sub(total)));
    }
}
