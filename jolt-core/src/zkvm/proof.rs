//! The proof and its file format.
//!
//! A [`Proof`] carries only what the prover sends: the trace length, the
//! memory window, the commitments (in registry order), each subprotocol's messages and
//! evaluations, and the batched opening. Everything about the statement
//! (program, layout, constraints, column list) comes from the verifier key.
//!
//! File (`.bin`): `JOLTPRF\0`, a little-endian u32 version, the 32-byte
//! verifier-key digest of the program it proves, the claimed
//! [`ProgramIO`] (u64 length + input bytes, u64 length + output bytes, one
//! panic byte), a u32 count of segment proofs (1 for a run proven whole),
//! then each proof in ark-serialize's compressed form, in segment order.
//! Each proof must be canonical (re-encoding it gives the same bytes). The
//! digest only makes "this proof is for another program" a clear error;
//! soundness comes from the verifier absorbing its own digest.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, SerializationError};

use crate::codec::ProofVec;
use crate::lasso::LassoProof;
use crate::memory::{MemoryProof, SegmentRole};
use crate::pcs::{CommitmentScheme, OpeningsProof};
use crate::r1cs::SpartanProof;
use crate::tracer::ProgramIO;

/// First bytes of a proof file.
pub const MAGIC: &[u8; 8] = b"JOLTPRF\0";
/// The file format and protocol version this build reads and writes.
pub const VERSION: u32 = 12;

/// Where a proof sits in its run (docs/segments.md): a whole run is
/// segment 0 of 1, from the program's entry, with no initial-state
/// commitment.
#[derive(Clone, Debug, PartialEq, CanonicalSerialize, CanonicalDeserialize)]
pub struct SegmentStatement<P: CommitmentScheme> {
    /// Position in the run, from 0.
    pub index: u32,
    /// Whether this segment ends the run (halts, claims the outputs).
    pub last: bool,
    /// The run's step index of the segment's first step.
    pub first_step: u64,
    /// Real (unpadded) steps of the segment: proven by the padding count.
    pub steps: u64,
    /// The pc of the first step: the program's entry for segment 0, the
    /// previous segment's exit pc otherwise.
    pub entry_pc: u32,
    /// The pc the last real step hands on to: the next segment's entry
    /// pc, or for the last segment the pc after its halting store (which
    /// nothing links to).
    pub exit_pc: u32,
    /// The commitment to the initial memory (registers, I/O, RAM) of a
    /// segment that does not start the run: the previous segment's
    /// `FinalValue` commitment. `None` for segment 0.
    pub init: Option<P::Commitment>,
}

impl<P: CommitmentScheme> SegmentStatement<P> {
    /// The statement of a proof of a whole run of `steps` steps from
    /// `entry_pc` that halts with the pc at `exit_pc`.
    pub fn whole(entry_pc: u32, exit_pc: u32, steps: u64) -> Self {
        SegmentStatement {
            index: 0,
            last: true,
            first_step: 0,
            steps,
            entry_pc,
            exit_pc,
            init: None,
        }
    }

    /// Whether it starts and whether it ends the run.
    pub fn role(&self) -> SegmentRole {
        SegmentRole {
            first: self.index == 0,
            last: self.last,
        }
    }
}

/// A zkVM proof.
#[derive(Clone, Debug, PartialEq, CanonicalSerialize, CanonicalDeserialize)]
pub struct Proof<P: CommitmentScheme> {
    /// T, the padded number of steps (a power of two).
    pub trace_length: u64,
    /// log2 M: the memory window covers words [0, 2^memory_vars) of the
    /// address space (checked against the layout by the verifier).
    pub memory_vars: u8,
    /// The proof's place in its run.
    pub segment: SegmentStatement<P>,
    /// In the order of the verifier key's
    /// [`super::registry::CommitmentLayout`] for this proof's shape: one
    /// per registry column, the long ones (final counts, the window's)
    /// maybe in pieces.
    pub commitments: ProofVec<P::Commitment>,
    pub memory: MemoryProof<P::Field>,
    pub lasso: LassoProof<P::Field>,
    pub r1cs: SpartanProof<P::Field>,
    /// For each claim on a column committed in pieces, in claim order,
    /// each piece's value at the claim's low coordinates
    /// ([`crate::pcs::pieces`]).
    pub piece_evals: ProofVec<P::Field>,
    pub openings: OpeningsProof<P>,
}

impl<P: CommitmentScheme> Proof<P> {
    /// Bytes of the compressed proof body.
    pub fn size(&self) -> usize {
        self.compressed_size()
    }

    /// Compressed bytes per part of the proof, in proof order: the
    /// statement, the commitments, the memories' layered circuit (its
    /// layers' sumchecks, and its outputs with every layer's claims), each
    /// subprotocol's sumchecks and evaluations, and the opening. The parts
    /// sum to [`Self::size`].
    pub fn parts(&self) -> Vec<(String, usize)> {
        let mut parts: Vec<(String, usize)> = vec![
            (
                "statement".into(),
                self.trace_length.compressed_size()
                    + self.memory_vars.compressed_size()
                    + self.segment.compressed_size(),
            ),
            ("commitments".into(), self.commitments.compressed_size()),
        ];
        let circuit = &self.memory.products;
        let sumchecks: usize = circuit
            .layers
            .iter()
            .map(|l| l.sumcheck.compressed_size())
            .sum();
        let shape = format!(
            "grand products ({} vectors, {} layers)",
            circuit.outputs.len(),
            circuit.layers.len()
        );
        parts.push((format!("{shape}: layer sumchecks"), sumchecks));
        parts.push((
            format!("{shape}: outputs and layer claims"),
            circuit.compressed_size() - sumchecks,
        ));
        parts.extend([
            (
                "bytecode evaluations".into(),
                self.memory.bytecode.compressed_size(),
            ),
            (
                "read-write output sumcheck".into(),
                self.memory.read_write.output.sumcheck.compressed_size(),
            ),
            (
                "read-write evaluations".into(),
                self.memory.read_write.compressed_size()
                    - self.memory.read_write.output.sumcheck.compressed_size(),
            ),
            (
                "lasso primary sumcheck".into(),
                self.lasso.primary.compressed_size(),
            ),
            (
                "lasso evaluations".into(),
                self.lasso.compressed_size() - self.lasso.primary.compressed_size(),
            ),
            (
                "spartan outer sumcheck".into(),
                self.r1cs.outer.compressed_size(),
            ),
            (
                "spartan evaluations".into(),
                self.r1cs.evals.compressed_size(),
            ),
            (
                "spartan shift sumcheck".into(),
                self.r1cs.shift.compressed_size(),
            ),
            (
                "spartan shift evaluations".into(),
                self.r1cs.shift_evals.compressed_size(),
            ),
            (
                "piece evaluations".into(),
                self.piece_evals.compressed_size(),
            ),
            (
                "opening reduction sumcheck".into(),
                self.openings.sumcheck.compressed_size(),
            ),
            (
                "opening proof".into(),
                self.openings.opening.compressed_size(),
            ),
        ]);
        parts
    }
}

/// Why proof-file bytes were rejected before verification.
#[derive(Debug, thiserror::Error)]
pub enum ProofFileError {
    #[error(
        "not a proof file (the first bytes are not {:?})",
        String::from_utf8_lossy(MAGIC)
    )]
    BadMagic,
    #[error("proof file version {found}; this build reads version {supported}")]
    UnsupportedVersion { found: u32, supported: u32 },
    #[error("proof file truncated in the {what}")]
    Truncated { what: &'static str },
    #[error("proof body does not decode: {0}")]
    Body(SerializationError),
    #[error("{0} unexpected bytes after the proof")]
    TrailingBytes(usize),
    #[error("the proof body is not in canonical form (e.g. a point at infinity with nonzero coordinates)")]
    NonCanonical,
}

/// A run's proof with the statement it claims: program digest and I/O,
/// and one proof per segment ([`super::verify_segments`] checks them).
#[derive(Clone, Debug, PartialEq)]
pub struct ProofFile<P: CommitmentScheme> {
    pub digest: [u8; 32],
    pub io: ProgramIO,
    pub proofs: Vec<Proof<P>>,
}

impl<P: CommitmentScheme> ProofFile<P> {
    pub fn to_bytes(&self) -> Vec<u8> {
        let size: usize = self.proofs.iter().map(Proof::size).sum();
        let mut out = Vec::with_capacity(64 + size);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.digest);
        for bytes in [&self.io.inputs, &self.io.outputs] {
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        out.push(self.io.panicked as u8);
        // A run has fewer than 2^32 segments (each holds at least 9 steps
        // of a run below 2^64 cycles; the prover's index is a u32).
        out.extend_from_slice(&(self.proofs.len() as u32).to_le_bytes());
        for proof in &self.proofs {
            // Serializing into a Vec cannot fail.
            proof
                .serialize_compressed(&mut out)
                .expect("serialize into memory");
        }
        out
    }

    /// Decodes a file; never allocates more than the bytes given.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofFileError> {
        let mut rest = bytes;
        let mut take = |n: usize, what: &'static str| -> Result<&[u8], ProofFileError> {
            if rest.len() < n {
                return Err(ProofFileError::Truncated { what });
            }
            let (head, tail) = rest.split_at(n);
            rest = tail;
            Ok(head)
        };
        if take(MAGIC.len(), "magic").map_err(|_| ProofFileError::BadMagic)? != MAGIC {
            return Err(ProofFileError::BadMagic);
        }
        let version = u32::from_le_bytes(take(4, "version")?.try_into().expect("4 bytes"));
        if version != VERSION {
            return Err(ProofFileError::UnsupportedVersion {
                found: version,
                supported: VERSION,
            });
        }
        let digest: [u8; 32] = take(32, "program digest")?.try_into().expect("32 bytes");
        let mut region = |what: &'static str| -> Result<Vec<u8>, ProofFileError> {
            let len = u64::from_le_bytes(take(8, what)?.try_into().expect("8 bytes"));
            let len = usize::try_from(len).map_err(|_| ProofFileError::Truncated { what })?;
            Ok(take(len, what)?.to_vec())
        };
        let inputs = region("inputs")?;
        let outputs = region("outputs")?;
        let panicked = match take(1, "panic flag")?[0] {
            0 => false,
            1 => true,
            _ => return Err(ProofFileError::Body(SerializationError::InvalidData)),
        };
        let count = u32::from_le_bytes(take(4, "segment count")?.try_into().expect("4 bytes"));
        if count == 0 {
            return Err(ProofFileError::Body(SerializationError::InvalidData));
        }
        // Not allocated from the count: each proof takes many bytes, so a
        // count beyond the bytes left fails on the first missing proof.
        let mut proofs = Vec::new();
        let mut reader = rest;
        for _ in 0..count {
            let before = reader;
            let proof = Proof::deserialize_compressed(&mut reader).map_err(ProofFileError::Body)?;
            // One encoding per proof: a decoder that tolerates ignored bits
            // would let different files carry the same proof.
            let used = &before[..before.len() - reader.len()];
            let mut canonical = Vec::with_capacity(used.len());
            proof
                .serialize_compressed(&mut canonical)
                .expect("serialize into memory");
            if canonical != used {
                return Err(ProofFileError::NonCanonical);
            }
            proofs.push(proof);
        }
        if !reader.is_empty() {
            return Err(ProofFileError::TrailingBytes(reader.len()));
        }
        Ok(ProofFile {
            digest,
            io: ProgramIO {
                inputs,
                outputs,
                panicked,
            },
            proofs,
        })
    }
}
