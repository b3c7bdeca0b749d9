//! Why a commitment operation, an opening proof or an SRS was rejected.
//!
//! Every verifier path in [`crate::pcs`] returns one of these instead of
//! panicking; each variant names what was wrong so a failed proof can be
//! traced to the check that caught it.

use crate::error::VerifyError;
use ark_serialize::SerializationError;

#[derive(Debug, thiserror::Error)]
pub enum PcsError {
    /// A pairing equation did not hold.
    #[error("pairing check failed: {check}")]
    PairingCheck { check: &'static str },

    /// A proof, key or claim list has the wrong shape for the statement
    /// (checked before anything in it is indexed).
    #[error("wrong shape: expected {expected} {what}, got {got}")]
    Shape {
        what: &'static str,
        expected: usize,
        got: usize,
    },

    /// HyperKZG's fold consistency f_{j+1}(r²) = fold(f_j(r), f_j(−r))
    /// failed; `round` = n means the last fold differs from the claimed
    /// evaluation.
    #[error("fold consistency check failed at round {round}")]
    FoldMismatch { round: usize },

    /// A polynomial, column or point needs more SRS powers than the key has.
    #[error("SRS too small: need {needed} {what}, have {have}")]
    SrsTooSmall {
        what: &'static str,
        needed: usize,
        have: usize,
    },

    /// An SRS failed a well-formedness check.
    #[error("malformed SRS: {check}")]
    MalformedSrs { check: &'static str },

    /// A Fiat–Shamir challenge hit a value the protocol cannot use
    /// (probability about 3/p per proof).
    #[error("degenerate challenge: {what}")]
    DegenerateChallenge { what: &'static str },

    /// A claim on a polynomial committed in pieces is not the
    /// eq-weighted sum of its pieces' claimed values ([`super::pieces`]).
    #[error("the pieces' claimed values do not sum to the claim on the whole polynomial")]
    PieceSum,

    /// The sumcheck that reduces claims at several points to one failed.
    #[error("multi-point reduction: {0}")]
    Reduction(#[from] VerifyError),

    /// Bytes that do not decode (truncated, garbage, off-curve points,
    /// non-canonical field elements).
    #[error("deserialization failed: {0}")]
    Deserialization(#[from] SerializationError),

    /// Reading or writing an SRS file.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// `Ok` iff `expected == got`; shape checks run before any indexing.
pub(crate) fn check_len(what: &'static str, expected: usize, got: usize) -> Result<(), PcsError> {
    if expected == got {
        Ok(())
    } else {
        Err(PcsError::Shape {
            what,
            expected,
            got,
        })
    }
}
