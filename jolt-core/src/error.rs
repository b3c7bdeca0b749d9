//! Typed errors for verification and for decoding untrusted proof bytes.
//!
//! Every verifier check returns a [`VerifyError`] naming the subprotocol (a
//! `&'static str` label chosen by the caller, e.g. `"spartan outer"`), where
//! in it the check failed, and what failed. A bad proof never panics.
//!
//! Deserialization uses ark-serialize's [`SerializationError`]; vectors in
//! proofs are [`crate::codec::ProofVec`]s, whose decoder never trusts a
//! length prefix for allocation.

pub use ark_serialize::SerializationError;

/// Why a verifier rejected a proof.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The proof's shape (number of rounds, layers, claims, ...) differs from
    /// what the verifier derives from its own statement.
    #[error("{protocol}: expected {expected} {what}, proof has {got}")]
    Shape {
        protocol: &'static str,
        what: &'static str,
        expected: usize,
        got: usize,
    },
    /// A round polynomial carries more coefficients than the degree bound.
    #[error("{protocol}: round {round} polynomial has degree {got}, bound is {max}")]
    DegreeTooHigh {
        protocol: &'static str,
        round: usize,
        max: usize,
        got: usize,
    },
    /// A round polynomial does not satisfy s(0) + s(1) = previous claim.
    #[error("{protocol}: round {round}: s(0) + s(1) differs from the running claim")]
    RoundSumMismatch {
        protocol: &'static str,
        round: usize,
    },
    /// The value a sumcheck reduces to differs from the caller's evaluation
    /// of the summand at the final point.
    #[error("{protocol}: final sumcheck claim does not match the claimed evaluations")]
    FinalClaimMismatch { protocol: &'static str },
    /// A layer of a layered circuit (grand product) does not reduce to the
    /// values the prover claimed for the layer below.
    #[error("{protocol}: layer {layer}: claimed values do not match the layer sumcheck")]
    LayerClaimMismatch {
        protocol: &'static str,
        layer: usize,
    },
    /// The batched polynomial opening of all claims failed.
    #[error("batched opening: {reason}")]
    Opening { reason: String },
    /// The proof is for another program (its file names another verifier
    /// key digest).
    #[error("the proof is for program {proof}, not for this program ({key})")]
    WrongProgram { key: String, proof: String },
    /// A memory's multisets do not balance: the product of Init and Writes
    /// differs from that of Reads and Final.
    #[error("{protocol}: {memory}: Init·Writes ≠ Reads·Final (a read returned a value never written there)")]
    MultisetMismatch {
        protocol: &'static str,
        memory: &'static str,
    },
    /// A read-only memory's fraction sums differ: Σ 1/h(read) ≠
    /// Σ m(a)/h(cell a), so some read is not a cell's tuple, or the
    /// multiplicities do not count the reads.
    #[error("{protocol}: {memory}: the reads' fraction sum differs from the table's (a read returned a tuple the table does not hold, or the multiplicities do not count the reads)")]
    LookupMismatch {
        protocol: &'static str,
        memory: &'static str,
    },
    /// A segment's statement does not fit the run: its place, its entry
    /// or exit pc, its step range, or its link to the previous segment.
    #[error("segment {index}: {what}")]
    Segment { index: usize, what: &'static str },
    /// A claimed public output (e.g. a product or an evaluation) is wrong.
    #[error("{protocol}: {what} does not match")]
    OutputMismatch {
        protocol: &'static str,
        what: &'static str,
    },
}

/// Checks `got == expected` for a proof-shape quantity.
pub fn check_shape(
    protocol: &'static str,
    what: &'static str,
    expected: usize,
    got: usize,
) -> Result<(), VerifyError> {
    if expected == got {
        Ok(())
    } else {
        Err(VerifyError::Shape {
            protocol,
            what,
            expected,
            got,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_protocol() {
        let e = check_shape("spartan outer", "rounds", 3, 4).unwrap_err();
        assert_eq!(
            e.to_string(),
            "spartan outer: expected 3 rounds, proof has 4"
        );
    }
}
