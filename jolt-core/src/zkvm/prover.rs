//! The prover: trace → witness → commitments → memory checking, Lasso,
//! Spartan → one batched opening (the order of [`super`]).

use std::time::{Duration, Instant};

use crate::lasso;
use crate::memory::{self, bytecode::BytecodeColumn, MemoryColumn};
use crate::opening::OpeningClaim;
use crate::pcs::{CommitmentScheme, ProverOpening};
use crate::r1cs::{spartan, R1csColumn};
use crate::tracer::{trace, ProgramIO, Trace, DEFAULT_MAX_CYCLES};
use crate::transcript::Transcript;

use super::keys::{ProverKey, VerifierKey};
use super::progress::{report as progress, Progress};
use super::proof::Proof;
use super::registry::WitnessColumn;
use super::witness::Witness;
use super::{absorb_statement, first_step, ZkvmError};

/// How to run the prover.
#[derive(Clone, Debug)]
pub struct ProveOptions {
    /// Real instructions before the run is stopped with a cycle-limit error.
    pub max_cycles: u64,
    /// Where the end of each phase is reported (off, stderr lines, a callback).
    pub progress: Progress,
    /// Changes the malicious-prover harness makes (tests only).
    #[cfg(any(test, feature = "test-harness"))]
    pub tampers: Vec<super::tamper::Tamper>,
}

impl Default for ProveOptions {
    fn default() -> Self {
        ProveOptions {
            max_cycles: DEFAULT_MAX_CYCLES,
            progress: Progress::Off,
            #[cfg(any(test, feature = "test-harness"))]
            tampers: Vec::new(),
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
pub fn prove<P: CommitmentScheme>(
    pk: &ProverKey<P>,
    inputs: &[u8],
    options: &ProveOptions,
) -> Result<ProveOutput<P>, ZkvmError> {
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
pub fn prove_trace<P: CommitmentScheme>(
    pk: &ProverKey<P>,
    trace: Trace,
    options: &ProveOptions,
) -> Result<ProveOutput<P>, ZkvmError> {
    let start = Instant::now();
    let vk = &pk.vk;
    let steps = trace.steps.len();
    let log_t = padded_log_steps(steps);
    let t = 1usize << log_t;
    if log_t > pk.max_log_steps {
        return Err(ZkvmError::TraceTooLong {
            steps,
            max_log_steps: pk.max_log_steps,
        });
    }
    let mut witness = Witness::owned_columns(vk, &trace, t)?;
    let cycles = trace.cycles;
    #[allow(unused_mut)]
    let mut io = trace.io.clone();
    drop(trace);
    #[cfg(any(test, feature = "test-harness"))]
    super::tamper::apply_to_owned(&options.tampers, &mut witness, &mut io);
    #[allow(unused_mut)]
    let mut r1cs_witness = witness.compute_aux(vk);
    #[cfg(any(test, feature = "test-harness"))]
    super::tamper::apply_to_aux(&options.tampers, &mut witness, &mut r1cs_witness);
    let mut phases = Phases::default();
    phases.mark("witness", start);
    progress(&options.progress, start, 2, &format!("T = 2^{log_t}"));

    let mut transcript = Transcript::new(b"jolt zkvm");
    absorb_statement(&mut transcript, &vk.digest, &io, t as u64);
    let columns: Vec<_> = vk
        .registry
        .columns()
        .iter()
        .map(|&c| witness.column(c))
        .collect();
    let commitments = P::batch_commit(&pk.pcs, &columns)?;
    absorb_commitments::<P>(&mut transcript, &commitments);
    phases.mark("commit", start);
    let detail = format!("{} columns", commitments.len());
    progress(&options.progress, start, 3, &detail);

    let (memory_proof, memory_claims) = memory::prove(&vk.memory, &witness.memory, &mut transcript);
    phases.mark("memory checking", start);
    progress(&options.progress, start, 4, "");
    let (lasso_proof, lasso_claims) = lasso::prove(&witness.lasso, &mut transcript);
    phases.mark("instruction lookups", start);
    progress(&options.progress, start, 5, "");
    let (r1cs_proof, r1cs_claims) = spartan::prove(&vk.cpu.r1cs, &r1cs_witness, &mut transcript);
    drop(r1cs_witness);
    phases.mark("R1CS", start);
    progress(&options.progress, start, 6, "");

    let claims = collect_claims(vk, log_t, memory_claims, lasso_claims, r1cs_claims, |c| {
        witness.column(c).value(0)
    });
    let openings: Vec<ProverOpening<'_, P>> = claims
        .iter()
        .map(|(i, claim)| ProverOpening {
            poly: columns[*i],
            commitment: &commitments[*i],
            point: &claim.point,
            eval: claim.value,
        })
        .collect();
    let openings = P::prove_openings(&pk.pcs, &openings, &mut transcript)?;
    phases.mark("opening", start);
    let detail = format!("{} claims", claims.len());
    progress(&options.progress, start, 7, &detail);

    Ok(ProveOutput {
        io,
        proof: Proof {
            trace_length: t as u64,
            commitments,
            memory: memory_proof,
            lasso: lasso_proof,
            r1cs: r1cs_proof,
            openings,
        },
        cycles,
        steps,
        phases,
    })
}

/// log2 T for a run of `steps` steps: padded to a power of two, at least 2
/// (the size a prover key must fit).
pub fn padded_log_steps(steps: usize) -> usize {
    steps.next_power_of_two().max(2).trailing_zeros() as usize
}

/// Step 2 of the transcript.
pub(crate) fn absorb_commitments<P: CommitmentScheme>(
    transcript: &mut Transcript,
    commitments: &[P::Commitment],
) {
    transcript.append_u64(b"commitments", commitments.len() as u64);
    for c in commitments {
        transcript.append_point(b"commitment", c);
    }
}

/// Every claim with its column's registry index: memory checking's,
/// Lasso's, the R1CS's (inputs resolved to their owners), then step 0's
/// bytecode address, whose value is `first_address` (the prover reads its
/// witness; the verifier uses the entry row).
pub(crate) fn collect_claims<P: CommitmentScheme>(
    vk: &VerifierKey<P>,
    log_t: usize,
    memory: Vec<OpeningClaim<MemoryColumn, P::Field>>,
    lasso: Vec<OpeningClaim<lasso::LassoColumn, P::Field>>,
    r1cs: Vec<OpeningClaim<R1csColumn, P::Field>>,
    first_address: impl Fn(WitnessColumn) -> P::Field,
) -> Vec<(usize, OpeningClaim<WitnessColumn, P::Field>)> {
    let registry = &vk.registry;
    // Every column a subprotocol claims is registered (built from the same
    // layouts); a miss is a bug in the registry, not bad input.
    let index = |c: WitnessColumn| registry.position(c).expect("registered column");
    let mut out = Vec::new();
    for c in memory {
        let column = WitnessColumn::Memory(c.column);
        out.push((index(column), OpeningClaim::new(column, c.point, c.value)));
    }
    for c in lasso {
        let column = WitnessColumn::Lasso(c.column);
        out.push((index(column), OpeningClaim::new(column, c.point, c.value)));
    }
    for c in r1cs {
        let i = match c.column {
            R1csColumn::Input(j) => vk.input_columns[j],
            R1csColumn::Aux(k) => index(WitnessColumn::Aux(k)),
        };
        let column = registry.columns()[i];
        out.push((i, OpeningClaim::new(column, c.point, c.value)));
    }
    let address = WitnessColumn::Memory(MemoryColumn::Bytecode(BytecodeColumn::Address));
    out.push((
        index(address),
        OpeningClaim::new(address, first_step(log_t), first_address(address)),
    ));
    out
}

/// Time per prover phase, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Phases(pub Vec<(&'static str, Duration)>);

impl Phases {
    /// Records the time since the previous mark (or `since`) as `phase`.
    fn mark(&mut self, phase: &'static str, since: Instant) {
        let total: Duration = self.0.iter().map(|(_, d)| *d).sum();
        self.0.push((phase, since.elapsed().saturating_sub(total)));
    }
}
