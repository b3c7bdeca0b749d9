//! The verifier: checks the proof's shape against the key, replays the
//! transcript in the prover's order, runs each subprotocol's verifier and
//! checks every claim they hand on with one batched PCS opening.

use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::lasso;
use crate::memory;
use crate::pcs::{CommitmentScheme, VerifierOpening};
use crate::r1cs::spartan;
use crate::trace_length::TraceLength;
use crate::tracer::ProgramIO;
use crate::transcript::Transcript;

use super::keys::VerifierKey;
use super::proof::Proof;
use super::protocol::{absorb_commitments, absorb_statement, collect_claims, SubprotocolClaims};

const PROTOCOL: &str = "zkvm";

/// Accepts only if `proof` shows that the key's program, run on
/// `io.inputs`, ends with `io.outputs` and `io.panicked`.
pub fn verify<P: CommitmentScheme>(
    vk: &VerifierKey<P>,
    io: &ProgramIO,
    proof: &Proof<P>,
) -> Result<(), VerifyError> {
    // Shape first: nothing below is sized by the proof before these pass.
    let trace_length = TraceLength::from_proof(PROTOCOL, proof.trace_length)?;
    // I/O that does not fit its regions is rejected before it is hashed;
    // outputs must be in canonical form (trailing zeros trimmed, as
    // `ProgramIO` defines them) so that one run has one statement.
    let space = vk
        .memory
        .window(proof.memory_vars as usize)
        .ok_or(VerifyError::Shape {
        protocol: PROTOCOL,
        what: "memory window variables (at least the registers, I/O and image; at most the layout)",
        expected: vk.memory.min_window_vars,
        got: proof.memory_vars as usize,
    })?;
    memory::io::check_io_shape(PROTOCOL, &space, io)?;
    if io.outputs.last() == Some(&0) {
        return Err(VerifyError::OutputMismatch {
            protocol: PROTOCOL,
            what: "outputs (trailing zero bytes: not in canonical form)",
        });
    }
    check_shape(
        PROTOCOL,
        "commitments",
        vk.registry.len(),
        proof.commitments.len(),
    )?;

    let mut transcript = Transcript::new(b"jolt zkvm");
    absorb_statement(&mut transcript, &vk.digest, io, trace_length, &space);
    absorb_commitments::<P>(&mut transcript, &proof.commitments);
    let memory = memory::verify(
        &vk.memory,
        &space,
        trace_length,
        io,
        &proof.memory,
        &mut transcript,
    )?;
    let lasso = lasso::verify(&vk.lasso, trace_length, &proof.lasso, &mut transcript)?;
    let r1cs = spartan::verify(&vk.cpu.r1cs, trace_length, &proof.r1cs, &mut transcript)?;

    let claims = collect_claims(
        vk,
        trace_length,
        SubprotocolClaims {
            memory,
            lasso,
            r1cs,
        },
        P::Field::from_u64(vk.entry_row as u64),
    );
    let openings: Vec<VerifierOpening<'_, P>> = claims
        .iter()
        .map(|(i, claim)| VerifierOpening {
            commitment: &proof.commitments[*i],
            point: &claim.point,
            eval: claim.value,
        })
        .collect();
    P::verify_openings(&vk.pcs, &openings, &proof.openings, &mut transcript).map_err(|e| {
        VerifyError::Opening {
            reason: e.to_string(),
        }
    })
}
