//! Preprocessing: what prover and verifier know about a program before any
//! run (docs/architecture.md, data flow): the bytecode table with virtual sequences expanded,
//! the memory image and layout, the CPU constraints, the witness registry
//! and the PCS keys. The verifier key's digest is the first thing the
//! transcript absorbs, so a proof is bound to one program, layout and SRS.

use ark_serialize::CanonicalSerialize;
use instructions::lookups::LookupParams;

use super::registry::{input_owner, CommitmentLayout, Registry};
use super::shape::ProofShape;
use super::ZkvmError;
use crate::lasso::LassoLayout;
use crate::memory::{MemoryPreprocessing, SegmentRole};
use crate::pcs::{CommitmentScheme, HyperKzg, Srs};
use crate::r1cs::constraints::{cpu_r1cs, CpuInput, CpuR1cs};
use crate::r1cs::cpu_witness::cpu_constants;
use crate::trace_length::TraceLength;
use crate::tracer::Program;
use crate::transcript::Transcript;

/// Seed of the development SRS ([`Srs::insecure_dev_setup`]). INSECURE:
/// anyone can derive τ from it; for tests, examples and benchmarks only.
pub const DEV_SRS_SEED: u64 = 0x4a4f_4c54;

/// Everything the verifier derives from the program and the SRS.
#[derive(Clone)]
pub struct VerifierKey<P: CommitmentScheme> {
    pub params: LookupParams,
    pub memory: MemoryPreprocessing,
    /// Bytecode row of the program's first instruction (the first row of
    /// its virtual sequence if it has one): step 0 must read it.
    pub entry_row: usize,
    pub cpu: CpuR1cs,
    pub lasso: LassoLayout,
    pub registry: Registry,
    /// For each R1CS input, its committed column's index in `registry`, or
    /// that it is the public exit pc.
    pub input_columns: Vec<InputColumn>,
    pub pcs: P::VerifierKey,
    /// Binds the transcript to all of the above.
    pub digest: [u8; 32],
}

impl<P: CommitmentScheme> VerifierKey<P> {
    /// How a proof of `shape` in `role` lays out its commitments. The
    /// memory window's columns are committed in pieces only in a proof of
    /// a whole run: a segment's final memory must stay one commitment,
    /// which the next segment states as its initial memory.
    pub fn commitment_layout(&self, shape: ProofShape, role: SegmentRole) -> CommitmentLayout {
        let split_window = role == SegmentRole::WHOLE;
        self.registry.commitment_layout(
            opening_vars(&self.memory, shape, split_window),
            shape.memory_vars,
            split_window,
        )
    }
}

/// Where an R1CS input's values come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputColumn {
    /// The committed column at this registry index.
    Committed(usize),
    /// The statement's exit pc, the same at every step (never committed:
    /// the verifier checks the claim on it against the statement).
    ExitPc,
}

/// The verifier key plus what only the prover needs: the program to trace
/// and the PCS powers.
pub struct ProverKey<P: CommitmentScheme> {
    pub vk: VerifierKey<P>,
    pub program: Program,
    pub pcs: P::ProverKey,
    /// The largest proof the PCS key fits: the longest trace and the
    /// widest memory window.
    pub max_shape: ProofShape,
}

/// Variables of the largest committed polynomial of a proof of `shape`: a
/// per-step column (T; the range memory has T cells too), the memory
/// window, the bytecode or a subtable, whichever is largest.
pub fn pcs_num_vars(
    memory: &MemoryPreprocessing,
    params: &LookupParams,
    shape: ProofShape,
) -> usize {
    opening_vars(memory, shape, false).max(params.log_m())
}

/// log2 of the most pieces a window column is committed in: each piece is
/// a commitment and a value per claim in the proof, so a run that touches
/// a word far above its T words opens at a larger size rather than making
/// the proof grow with M/T (at most 2·32 commitments and 3·32 values).
pub const MAX_WINDOW_PIECES_LOG: usize = 5;

/// Variables of the largest polynomial a proof of `shape` commits whole:
/// a per-step column (T), the bytecode's final count and, unless
/// `split_window`, the memory window; with `split_window`, at least the
/// window's variables less [`MAX_WINDOW_PIECES_LOG`]. Longer columns (the
/// subtables' final counts, and the window's when `split_window`) are
/// committed in pieces of this size
/// ([`super::registry::CommitmentLayout`]), so the batched opening runs at
/// this size.
pub fn opening_vars(memory: &MemoryPreprocessing, shape: ProofShape, split_window: bool) -> usize {
    let per_step = shape.trace_length.log_t().max(memory.bytecode.num_vars());
    let window = shape.memory_vars.max(memory.min_window_vars);
    if split_window {
        per_step.max(window.saturating_sub(MAX_WINDOW_PIECES_LOG))
    } else {
        per_step.max(window)
    }
}

/// Variables of the largest polynomial a prover key for proofs up to
/// `max_shape` of `program` commits: the SRS [`preprocess`] needs 2^that
/// G1 powers (at least 2^16, the lookup subtables' size).
pub fn srs_num_vars(program: &Program, max_shape: ProofShape) -> usize {
    let memory = MemoryPreprocessing::new(program);
    pcs_num_vars(&memory, &LookupParams::RV32, max_shape)
}

/// Keys for proofs up to `max_shape` (see [`ProofShape::of`]) of
/// `program`. `srs` must hold [`pcs_num_vars`] variables' worth of powers.
pub fn preprocess(
    program: &Program,
    srs: &Srs,
    max_shape: ProofShape,
) -> Result<(ProverKey<HyperKzg>, VerifierKey<HyperKzg>), ZkvmError> {
    let vk = verifier_key(program, srs)?;
    let vars = pcs_num_vars(&vk.memory, &vk.params, max_shape);
    let (pcs, _) = HyperKzg::setup(srs, vars)?;
    let pk = ProverKey {
        vk: vk.clone(),
        program: program.clone(),
        pcs,
        max_shape,
    };
    Ok((pk, vk))
}

/// The verifier key of `program`: it needs only the few SRS elements the
/// PCS verifier uses, and accepts traces of any length up to 2^29 and any
/// memory window up to the whole layout.
pub fn verifier_key(program: &Program, srs: &Srs) -> Result<VerifierKey<HyperKzg>, ZkvmError> {
    let params = LookupParams::RV32;
    let memory = MemoryPreprocessing::new(program);
    let entry_row = memory
        .bytecode
        .entry_row(program.entry)
        .ok_or(ZkvmError::NoEntryRow {
            entry: program.entry,
        })?;
    let cpu = cpu_r1cs(&params, cpu_constants(program));
    let lasso = LassoLayout::new(params).map_err(ZkvmError::Parameters)?;
    let registry = Registry::new(&lasso, &cpu);
    let input_columns = cpu
        .inputs
        .iter()
        .map(|&input| {
            if input == CpuInput::ExitPc {
                return Ok(InputColumn::ExitPc);
            }
            input_owner(input, &lasso)
                .and_then(|c| registry.position(c))
                .map(InputColumn::Committed)
                .ok_or(ZkvmError::UnownedInput(format!("{input:?}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let largest = ProofShape {
        trace_length: TraceLength::MAX,
        memory_vars: memory.full_space().num_vars(),
    };
    let pcs = HyperKzg::verifier_setup(srs, pcs_num_vars(&memory, &params, largest))?;
    let digest = digest::<HyperKzg>(program, &params, &memory, entry_row, &pcs);
    Ok(VerifierKey {
        params,
        memory,
        entry_row,
        cpu,
        lasso,
        registry,
        input_columns,
        pcs,
        digest,
    })
}

/// Keys from the INSECURE development SRS ([`DEV_SRS_SEED`]), sized for
/// proofs up to `max_shape`. Generating the powers takes about 5 µs each.
pub fn dev_preprocess(
    program: &Program,
    max_shape: ProofShape,
) -> Result<(ProverKey<HyperKzg>, VerifierKey<HyperKzg>), ZkvmError> {
    let srs = Srs::insecure_dev_setup(srs_num_vars(program, max_shape), DEV_SRS_SEED);
    preprocess(program, &srs, max_shape)
}

/// The verifier key under the development SRS; needs only four powers.
pub fn dev_verifier_key(program: &Program) -> Result<VerifierKey<HyperKzg>, ZkvmError> {
    verifier_key(program, &Srs::insecure_dev_setup(0, DEV_SRS_SEED))
}

/// A hash (merlin's STROBE) of everything the statement depends on besides
/// the I/O: protocol version, lookup parameters, layout, entry, every
/// bytecode row, the memory image and the PCS verifier key.
fn digest<P: CommitmentScheme>(
    program: &Program,
    params: &LookupParams,
    memory: &MemoryPreprocessing,
    entry_row: usize,
    pcs: &P::VerifierKey,
) -> [u8; 32] {
    let mut t = Transcript::new(b"jolt verifier key digest");
    t.append_bytes(b"protocol", super::PROTOCOL_ID);
    let l = &program.layout;
    let words: Vec<u64> = [
        params.word_bits as u64,
        params.chunks as u64,
        l.memory_size as u64,
        l.stack_size as u64,
        l.max_input_size as u64,
        l.max_output_size as u64,
        program.entry as u64,
        entry_row as u64,
        memory.min_window_vars as u64,
    ]
    .into();
    t.append_bytes(b"statement", &u64s_to_bytes(&words));
    let mut rows = Vec::with_capacity(memory.bytecode.rows().len() * 8 * 7);
    for row in memory.bytecode.rows() {
        rows.extend(u64s_to_bytes(&row.word_fields()));
        rows.extend(u64s_to_bytes(&[row.flags]));
    }
    t.append_bytes(b"bytecode", &rows);
    let image: Vec<u64> = memory
        .image
        .iter()
        .flat_map(|&(index, word)| [index as u64, word as u64])
        .collect();
    t.append_bytes(b"image", &u64s_to_bytes(&image));
    let mut pcs_bytes = Vec::new();
    // Serializing into a Vec cannot fail.
    pcs.serialize_compressed(&mut pcs_bytes)
        .expect("serialize into memory");
    t.append_bytes(b"pcs verifier key", &pcs_bytes);
    let mut out = [0u8; 32];
    t.challenge_bytes(b"digest", &mut out);
    out
}

fn u64s_to_bytes(words: &[u64]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}
