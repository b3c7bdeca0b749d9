//! What prover and verifier of the zkVM do identically: the statement and
//! commitments they absorb, and the list of opening claims they hand to the
//! PCS. Both sides call these functions, so the two transcripts and the two
//! claim lists cannot drift apart.

use instructions::flags::CircuitFlag;

use ark_ff::{Field, Zero};

use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::lasso::LassoColumn;
use crate::memory::bytecode::BytecodeColumn;
use crate::memory::{AddressSpace, MemoryColumn};
use crate::opening::OpeningClaim;
use crate::pcs::{pieces, CommitmentScheme};
use crate::r1cs::R1csColumn;
use crate::trace_length::TraceLength;
use crate::tracer::ProgramIO;
use crate::transcript::Transcript;

use super::keys::{InputColumn, VerifierKey};
use super::proof::SegmentStatement;
use super::registry::{CommitmentLayout, WitnessColumn};

/// The protocol and its version, absorbed first.
pub const PROTOCOL_ID: &[u8] = b"jolt-rv32im/bn254/hyperkzg v9";

const PROTOCOL: &str = "zkvm";

/// Step 1 of the transcript: what the proof is about, including its place
/// in the run.
pub fn absorb_statement<P: CommitmentScheme>(
    transcript: &mut Transcript,
    digest: &[u8; 32],
    io: &ProgramIO,
    trace_length: TraceLength,
    memory: &AddressSpace,
    segment: &SegmentStatement<P>,
) {
    transcript.append_bytes(b"protocol", PROTOCOL_ID);
    transcript.append_bytes(b"verifier key digest", digest);
    transcript.append_bytes(b"inputs", &io.inputs);
    transcript.append_bytes(b"outputs", &io.outputs);
    transcript.append_u64(b"panicked", io.panicked as u64);
    transcript.append_u64(b"trace length", trace_length.t() as u64);
    transcript.append_u64(b"memory window", memory.num_vars() as u64);
    transcript.append_u64(b"segment index", segment.index as u64);
    transcript.append_u64(b"segment last", segment.last as u64);
    transcript.append_u64(b"segment first step", segment.first_step);
    transcript.append_u64(b"segment steps", segment.steps);
    transcript.append_u64(b"segment entry pc", segment.entry_pc as u64);
    transcript.append_u64(b"segment exit pc", segment.exit_pc as u64);
    if let Some(init) = &segment.init {
        transcript.append_point(b"segment initial memory", init);
    }
}

/// Step 2 of the transcript: every commitment in the order of the
/// proof's [`CommitmentLayout`].
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

/// The values of the two claims the statement makes: the verifier's from
/// the statement ([`StatementClaims::expected`]), the prover's from its
/// witness (so that a malicious witness is caught by the opening, not by
/// the prover itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatementClaims<F> {
    /// Step 0's bytecode address.
    pub entry_row: F,
    /// The NoOp flag at (½, …, ½): its sum over the steps over T.
    pub padding: F,
}

impl<F: JoltField> StatementClaims<F> {
    /// What a segment of `steps` real steps (at most T) entering at bytecode
    /// row `entry_row` gives.
    pub fn expected(trace_length: TraceLength, steps: u64, entry_row: usize) -> Self {
        let t = trace_length.t() as u64;
        StatementClaims {
            entry_row: F::from_u64(entry_row as u64),
            padding: Self::padding(trace_length, t - steps.min(t)),
        }
    }

    /// The padding claim's value for `noops` padding steps out of T.
    pub fn padding(trace_length: TraceLength, noops: u64) -> F {
        F::from_u64(noops)
            * F::from_u64(trace_length.t() as u64)
                .inverse()
                .expect("T is a nonzero integer below the field's characteristic")
    }
}

/// The commitment a claim is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimTarget {
    /// The registry column at this index.
    Column(usize),
    /// The segment's initial memory (the statement's `init`).
    Init,
}

/// An opening claim on a witness column, and where it is opened.
pub type TargetedClaim<F> = (ClaimTarget, OpeningClaim<WitnessColumn, F>);

/// Every claim with the commitment it opens: memory checking's, Lasso's,
/// the R1CS's (inputs resolved to their owners), then the two the
/// statement makes (values in `statement`):
/// - step 0 reads the entry row (bytecode address at the all-zero point);
/// - the segment has `steps` real steps: padding is contiguous at the end
///   (the R1CS's "padding is followed by padding"), so the NoOp flag sums
///   to T − steps, and its evaluation at (½, …, ½) is (T − steps)/T.
///
/// The R1CS's claim on the exit pc, a public input, is checked here
/// against the statement instead of being opened.
pub fn collect_claims<P: CommitmentScheme>(
    vk: &VerifierKey<P>,
    trace_length: TraceLength,
    segment: &SegmentStatement<P>,
    statement: StatementClaims<P::Field>,
    claims: SubprotocolClaims<P::Field>,
) -> Result<Vec<TargetedClaim<P::Field>>, VerifyError> {
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
        let target = match column {
            WitnessColumn::Memory(MemoryColumn::InitValue) => ClaimTarget::Init,
            _ => ClaimTarget::Column(index(column)),
        };
        out.push((target, OpeningClaim::new(column, c.point, c.value)));
    }
    for c in claims.lasso {
        let column = WitnessColumn::Lasso(c.column);
        out.push((
            ClaimTarget::Column(index(column)),
            OpeningClaim::new(column, c.point, c.value),
        ));
    }
    for c in claims.r1cs {
        let i = match c.column {
            R1csColumn::Input(j) => match vk.input_columns[j] {
                InputColumn::Committed(i) => i,
                InputColumn::ExitPc => {
                    // The column is the exit pc at every step, so its
                    // multilinear extension is that constant everywhere.
                    if c.value != P::Field::from_u32(segment.exit_pc) {
                        return Err(VerifyError::OutputMismatch {
                            protocol: PROTOCOL,
                            what: "the R1CS's exit pc and the statement's",
                        });
                    }
                    continue;
                }
            },
            R1csColumn::Aux(k) => index(WitnessColumn::Aux(k)),
        };
        let column = registry.columns()[i];
        out.push((
            ClaimTarget::Column(i),
            OpeningClaim::new(column, c.point, c.value),
        ));
    }
    let address = WitnessColumn::Memory(MemoryColumn::Bytecode(BytecodeColumn::Address));
    out.push((
        ClaimTarget::Column(index(address)),
        OpeningClaim::new(
            address,
            vec![P::Field::zero(); trace_length.log_t()],
            statement.entry_row,
        ),
    ));
    let noop = WitnessColumn::Memory(MemoryColumn::Bytecode(BytecodeColumn::CircuitFlag(
        CircuitFlag::NoOp,
    )));
    let half = P::Field::from_u64(2)
        .inverse()
        .expect("2 is invertible in a prime field of odd order");
    out.push((
        ClaimTarget::Column(index(noop)),
        OpeningClaim::new(noop, vec![half; trace_length.log_t()], statement.padding),
    ));
    Ok(out)
}

/// Where a claim handed to the opening is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpeningTarget {
    /// The proof's commitment at this index (of its [`CommitmentLayout`]).
    Commitment(usize),
    /// The segment's initial memory (the statement's `init`).
    Init,
}

/// A claim as the opening checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimToOpen<'c, F> {
    pub target: OpeningTarget,
    pub point: &'c [F],
    pub value: F,
}

/// The claims of [`collect_claims`] as the opening checks them: a claim
/// on a column committed in pieces becomes one claim per piece, at the
/// point's low coordinates, with values taken from `piece_evals` in claim
/// order (as many as the column has pieces), once they sum to the claim's
/// value ([`crate::pcs::pieces`]). Every value of `piece_evals` must be
/// used.
pub fn claims_to_open<'c, F: JoltField>(
    layout: &CommitmentLayout,
    claims: &'c [TargetedClaim<F>],
    piece_evals: &[F],
) -> Result<Vec<ClaimToOpen<'c, F>>, VerifyError> {
    let split: usize = claims
        .iter()
        .filter_map(|(t, _)| match *t {
            ClaimTarget::Column(i) if layout.is_split(i) => Some(layout.pieces_of(i)),
            _ => None,
        })
        .sum();
    check_shape(PROTOCOL, "piece evaluations", split, piece_evals.len())?;
    let mut rest = piece_evals;
    let mut out = Vec::with_capacity(claims.len() + split);
    for (target, claim) in claims {
        match *target {
            ClaimTarget::Init => out.push(ClaimToOpen {
                target: OpeningTarget::Init,
                point: &claim.point,
                value: claim.value,
            }),
            ClaimTarget::Column(i) if layout.is_split(i) => {
                // Counted above: the column's pieces per split claim.
                let (v, tail) = rest.split_at(layout.pieces_of(i));
                rest = tail;
                let low =
                    pieces::check_piece_evals(&claim.point, claim.value, v, layout.piece_vars)
                        .map_err(|e| VerifyError::Opening {
                            reason: format!("{:?}: {e}", claim.column),
                        })?;
                out.extend(
                    layout
                        .commitments_of(i)
                        .zip(v)
                        .map(|(k, &value)| ClaimToOpen {
                            target: OpeningTarget::Commitment(k),
                            point: low,
                            value,
                        }),
                );
            }
            ClaimTarget::Column(i) => {
                out.push(ClaimToOpen {
                    target: OpeningTarget::Commitment(layout.commitments_of(i).start),
                    point: &claim.point,
                    value: claim.value,
                });
            }
        }
    }
    Ok(out)
}
