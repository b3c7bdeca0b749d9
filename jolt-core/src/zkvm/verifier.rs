//! The verifier: checks the proof's shape against the key, replays the
//! transcript in the prover's order, runs each subprotocol's verifier and
//! checks every claim they hand on with one batched PCS opening.
//!
//! [`verify`] accepts a proof of a whole run; [`verify_segment`] one
//! segment of a run given its statement, which [`super::segments`] chains.

use crate::error::{check_shape, VerifyError};
use crate::lasso;
use crate::memory;
use crate::pcs::{CommitmentScheme, HyperKzg, VerifierOpening};
use crate::r1cs::spartan;
use crate::trace_length::TraceLength;
use crate::tracer::ProgramIO;
use crate::transcript::Transcript;

use super::keys::VerifierKey;
use super::proof::Proof;
use super::protocol::{
    absorb_commitments, absorb_statement, claims_to_open, collect_claims, OpeningTarget,
    StatementClaims, SubprotocolClaims,
};
use super::shape::ProofShape;

const PROTOCOL: &str = "zkvm";

/// Accepts only if `proof` shows that the key's program, run on
/// `io.inputs`, ends with `io.outputs` and `io.panicked`: a proof of the
/// whole run (segment 0 of 1).
pub fn verify(
    vk: &VerifierKey<HyperKzg>,
    io: &ProgramIO,
    proof: &Proof<HyperKzg>,
) -> Result<(), VerifyError> {
    let s = &proof.segment;
    if s.index != 0 || !s.last {
        return Err(VerifyError::Segment {
            index: s.index as usize,
            what: "a proof of a whole run must be segment 0 and the last (a segmented run needs every segment)",
        });
    }
    verify_segment(vk, io, proof)
}

/// Accepts only if `proof` shows that its statement's segment of a run of
/// the key's program with I/O `io` holds: from its entry pc and initial
/// memory (the image with the inputs for segment 0, the stated
/// commitment otherwise), its steps end at its exit pc with its final
/// memory (with the outputs, the panic flag and termination for the last
/// segment; with termination 0 otherwise). The links between segments are
/// the caller's ([`super::segments::verify_segments`]).
pub fn verify_segment(
    vk: &VerifierKey<HyperKzg>,
    io: &ProgramIO,
    proof: &Proof<HyperKzg>,
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
    let segment = &proof.segment;
    let role = segment.role();
    let layout = vk.commitment_layout(
        ProofShape {
            trace_length,
            memory_vars: space.num_vars(),
        },
        role,
    );
    check_shape(
        PROTOCOL,
        "commitments",
        layout.len(),
        proof.commitments.len(),
    )?;
    let fail = |what| {
        Err(VerifyError::Segment {
            index: segment.index as usize,
            what,
        })
    };
    if segment.steps == 0 || segment.steps > trace_length.t() as u64 {
        return fail("real steps must be between 1 and T");
    }
    if role.first != segment.init.is_none() {
        return fail("an initial-memory commitment belongs to every segment but the first");
    }
    if role.first && segment.first_step != 0 {
        return fail("the first segment starts at step 0");
    }
    let entry_pc = vk.memory.bytecode.rows()[vk.entry_row].pc;
    if role.first && segment.entry_pc != entry_pc {
        return fail("the first segment starts at the program's entry");
    }
    let Some(entry_row) = vk.memory.bytecode.entry_row(segment.entry_pc) else {
        return fail("the entry pc is not an instruction of the program");
    };

    let mut transcript = Transcript::new(b"jolt zkvm");
    absorb_statement(
        &mut transcript,
        &vk.digest,
        io,
        trace_length,
        &space,
        segment,
    );
    absorb_commitments::<HyperKzg>(&mut transcript, &proof.commitments);
    let lasso_start =
        lasso::memory_checking::verify_start(&vk.lasso, trace_length, &mut transcript);
    let (memory, lasso_memory) = memory::verify(
        &vk.memory,
        &space,
        trace_length,
        io,
        role,
        &proof.memory,
        &lasso_start.shapes,
        &mut transcript,
    )?;
    let lasso = lasso::verify(
        &vk.lasso,
        trace_length,
        &proof.lasso,
        &lasso_start,
        &lasso_memory,
        &mut transcript,
    )?;
    let r1cs = spartan::verify(&vk.cpu.r1cs, trace_length, &proof.r1cs, &mut transcript)?;

    let claims = collect_claims(
        vk,
        trace_length,
        segment,
        StatementClaims::expected(trace_length, segment.steps, entry_row),
        SubprotocolClaims {
            memory,
            lasso,
            r1cs,
        },
    )?;
    let mut openings = Vec::with_capacity(claims.len());
    for claim in claims_to_open(&layout, &claims, &proof.piece_evals)? {
        let commitment = match claim.target {
            // Counted against the layout above.
            OpeningTarget::Commitment(k) => &proof.commitments[k],
            // Memory checking claims InitValue only for a later segment,
            // whose statement was checked above to hold the commitment.
            OpeningTarget::Init => match &segment.init {
                Some(c) => c,
                None => return fail("an initial-memory claim without its commitment"),
            },
        };
        openings.push(VerifierOpening {
            commitment,
            point: claim.point,
            eval: claim.value,
        });
    }
    HyperKzg::verify_openings(&vk.pcs, &openings, &proof.openings, &mut transcript).map_err(|e| {
        VerifyError::Opening {
            reason: e.to_string(),
        }
    })
}
