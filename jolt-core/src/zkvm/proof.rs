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
//! panic byte), then the proof in ark-serialize's compressed form. The
//! body must be canonical (re-encoding it gives the same bytes). The
//! digest only makes "this proof is for another program" a clear error;
//! soundness comes from the verifier absorbing its own digest.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, SerializationError};

use crate::codec::ProofVec;
use crate::lasso::LassoProof;
use crate::memory::MemoryProof;
use crate::pcs::{CommitmentScheme, OpeningsProof};
use crate::r1cs::SpartanProof;
use crate::tracer::ProgramIO;

/// First bytes of a proof file.
pub const MAGIC: &[u8; 8] = b"JOLTPRF\0";
/// The file format and protocol version this build reads and writes.
pub const VERSION: u32 = 6;

/// A zkVM proof.
#[derive(Clone, Debug, PartialEq, CanonicalSerialize, CanonicalDeserialize)]
pub struct Proof<P: CommitmentScheme> {
    /// T, the padded number of steps (a power of two).
    pub trace_length: u64,
    /// log2 M: the memory window covers words [0, 2^memory_vars) of the
    /// address space (checked against the layout by the verifier).
    pub memory_vars: u8,
    /// One per registry column, in registry order.
    pub commitments: ProofVec<P::Commitment>,
    pub memory: MemoryProof<P::Field>,
    pub lasso: LassoProof<P::Field>,
    pub r1cs: SpartanProof<P::Field>,
    pub openings: OpeningsProof<P>,
}

impl<P: CommitmentScheme> Proof<P> {
    /// Bytes of the compressed proof body.
    pub fn size(&self) -> usize {
        self.compressed_size()
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

/// A proof with the statement it claims: program digest and I/O.
#[derive(Clone, Debug, PartialEq)]
pub struct ProofFile<P: CommitmentScheme> {
    pub digest: [u8; 32],
    pub io: ProgramIO,
    pub proof: Proof<P>,
}

impl<P: CommitmentScheme> ProofFile<P> {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.proof.size());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.digest);
        for bytes in [&self.io.inputs, &self.io.outputs] {
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        out.push(self.io.panicked as u8);
        // Serializing into a Vec cannot fail.
        self.proof
            .serialize_compressed(&mut out)
            .expect("serialize into memory");
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
        let mut reader = rest;
        let proof = Proof::deserialize_compressed(&mut reader).map_err(ProofFileError::Body)?;
        if !reader.is_empty() {
            return Err(ProofFileError::TrailingBytes(reader.len()));
        }
        // One encoding per proof: a decoder that tolerates ignored bits
        // would let different files carry the same proof.
        let mut canonical = Vec::with_capacity(rest.len());
        proof
            .serialize_compressed(&mut canonical)
            .expect("serialize into memory");
        if canonical != rest {
            return Err(ProofFileError::NonCanonical);
        }
        Ok(ProofFile {
            digest,
            io: ProgramIO {
                inputs,
                outputs,
                panicked,
            },
            proof,
        })
    }
}
