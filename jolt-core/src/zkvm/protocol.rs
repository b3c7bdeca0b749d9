//! What prover and verifier of the zkVM do identically: the statement and
//! commitments they absorb, and the list of opening claims they hand to the
//! PCS. Both sides call these functions, so the two transcripts and the two
//! claim lists cannot drift apart.

use crate::field::JoltField;
use crate::lasso::LassoColumn;
use crate::memory::bytecode::BytecodeColumn;
use crate::memory::{AddressSpace, MemoryColumn};
use crate::opening::OpeningClaim;
use crate::pcs::CommitmentScheme;
use crate::r1cs::R1csColumn;
use crate::trace_length::TraceLength;
use crate::tracer::ProgramIO;
use crate::transcript::Transcript;

use super::keys::VerifierKey;
use super::registry::WitnessColumn;

/// The protocol and its version, absorbed first.
pub const PROTOCOL_ID: &[u8] = b"jolt-rv32im/bn254/hyperkzg v6";

/// Step 1 of the transcript: what the proof is about.
pub fn absorb_statement(
    transcript: &mut Transcript,
    digest: &[u8; 32],
    io: &ProgramIO,
    trace_length: TraceLength,
    memory: &AddressSpace,
) {
    transcript.append_bytes(b"protocol", PROTOCOL_ID);
    transcript.append_bytes(b"verifier key digest", digest);
    transcript.append_bytes(b"inputs", &io.inputs);
    transcript.append_bytes(b"outputs", &io.outputs);
    transcript.append_u64(b"panicked", io.panicked as u64);
    transcript.append_u64(b"trace length", trace_length.t() as u64);
    transcript.append_u64(b"memory window", memory.num_vars() as u64);
}

/// Step 2 of the transcript: every commitment in registry order.
pub fn absorb_commitments<P: CommitmentScheme>(
    transcript: &mut Transcript,
    commitments: &[P::Commitment],
) {
    transcript.append_u64(b"commitments", commitments.len() as u64);
    for c in commitments {
        transcript.append_point(b"commitment", c);
    }
}

/// The claims each subprotocol hands on, in proof order.
pub struct SubprotocolClaims<F> {
    pub memory: Vec<OpeningClaim<MemoryColumn, F>>,
    pub lasso: Vec<OpeningClaim<LassoColumn, F>>,
    pub r1cs: Vec<OpeningClaim<R1csColumn, F>>,
}

/// Every claim with its column's registry index: memory checking's,
/// Lasso's, the R1CS's (inputs resolved to their owners), then step 0's
/// bytecode address, whose value is `first_address` (the prover reads its
/// witness; the verifier uses the entry row).
pub fn collect_claims<P: CommitmentScheme>(
    vk: &VerifierKey<P>,
    trace_length: TraceLength,
    claims: SubprotocolClaims<P::Field>,
    first_address: P::Field,
) -> Vec<(usize, OpeningClaim<WitnessColumn, P::Field>)> {
    let registry = &vk.registry;
    // Every column a subprotocol claims is registered (built from the same
    // layouts); a miss is a bug in the registry, not bad input.
    let index = |c: WitnessColumn| registry.position(c).expect("registered column");
    let mut out = Vec::new();
    for c in claims.memory {
        // Bytecode checking reads the lookup flags, which Lasso commits.
        let column = match c.column {
            MemoryColumn::Bytecode(BytecodeColumn::LookupFlag(k)) => {
                WitnessColumn::Lasso(LassoColumn::Flag(k))
            }
            other => WitnessColumn::Memory(other),
        };
        out.push((index(column), OpeningClaim::new(column, c.point, c.value)));
    }
    for c in claims.lasso {
        let column = WitnessColumn::Lasso(c.column);
        out.push((index(column), OpeningClaim::new(column, c.point, c.value)));
    }
    for c in claims.r1cs {
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
        OpeningClaim::new(address, first_step(trace_length), first_address),
    ));
    out
}

/// The all-zero point of log2 T variables: step 0.
fn first_step<F: JoltField>(trace_length: TraceLength) -> Vec<F> {
    vec![F::zero(); trace_length.log_t()]
}
