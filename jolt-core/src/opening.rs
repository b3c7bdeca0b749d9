//! Opening claims: every subprotocol ends in claims "committed column `C`
//! evaluates to `value` at `point`", which it returns instead of opening
//! them; the prover batches all of them into one PCS opening at the end of
//! the proof (docs/architecture.md, proof order; `pcs::CommitmentScheme::prove_openings`).
//!
//! `C` is the subprotocol's own column type (e.g. a Lasso or memory column
//! enum); the zkVM's witness registry maps it to the committed polynomial.

/// "Committed column `column` evaluates to `value` at `point`"
/// (`point[0]` is the top variable, as everywhere in `poly`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpeningClaim<C, F> {
    pub column: C,
    pub point: Vec<F>,
    pub value: F,
}

impl<C, F> OpeningClaim<C, F> {
    pub fn new(column: C, point: Vec<F>, value: F) -> Self {
        OpeningClaim {
            column,
            point,
            value,
        }
    }
}
