//! The verifier: checks the proof's shape against the key, replays the
//! transcript in the prover's order, runs each subprotocol's verifier and
//! checks every claim they hand on with one batched PCS opening.

use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::lasso;
use crate::memory::{self, MAX_LOG_STEPS};
use crate::pcs::{CommitmentScheme, VerifierOpening};
use crate::r1cs::spartan;
use crate::tracer::ProgramIO;
use crate::transcript::Transcript;

use super::absorb_statement;
use super::keys::VerifierKey;
use super::proof::Proof;
use super::prover::{absorb_commitments, collect_claims};

const PROTOCOL: &str = "zkvm";

/// Accepts only if `proof` shows that the key's program, run on
/// `io.inputs`, ends with `io.outputs` and `io.panicked`.
pub fn verify<P: CommitmentScheme>(
    vk: &VerifierKey<P>,
    io: &ProgramIO,
    proof: &Proof<P>,
) -> Result<(), VerifyError> {
    // Shape first: nothing below is sized by the proof before these pass.
    let t = proof.trace_length;
    if !t.is_power_of_two() || t < 2 || t > 1 << MAX_LOG_STEPS {
        return Err(VerifyError::Shape {
            protocol: PROTOCOL,
            what: "trace length (a power of two in [2, 2^29]; nearest valid)",
            expected: (t.max(2).min(1 << MAX_LOG_STEPS) as usize).next_power_of_two(),
            got: usize::try_from(t).unwrap_or(usize::MAX),
        });
    }
    let (t, log_t) = (t as usize, t.trailing_zeros() as usize);
    // I/O that does not fit its regions is rejected before it is hashed;
    // outputs must be in canonical form (trailing zeros trimmed, as
    // `ProgramIO` defines them) so that one run has one statement.
    memory::io::check_io_shape(PROTOCOL, &vk.memory.space, io)?;
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
    absorb_statement(&mut transcript, &vk.digest, io, t as u64);
    absorb_commitments::<P>(&mut transcript, &proof.commitments);
    let memory_claims = memory::verify(&proof.memory, &vk.memory, io, t, &mut transcript)?;
    let lasso_claims = lasso::verify(&proof.lasso, t, vk.params, &mut transcript)?;
    let r1cs_claims = spartan::verify(&vk.cpu.r1cs, &proof.r1cs, log_t, &mut transcript)?;

    let entry_row = P::Field::from_u64(vk.entry_row as u64);
    let claims = collect_claims(vk, log_t, memory_claims, lasso_claims, r1cs_claims, |_| {
        entry_row
    });
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
