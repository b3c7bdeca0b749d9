//! Lasso proven on its own, as its tests, benchmarks and the examples'
//! Lasso tests run it: the chunk memories' fraction sums in a layered
//! circuit of their own, then the Lasso proof. The zkVM proves those sums
//! in the memories' circuit instead, with the bytecode's and the range
//! memory's ([`crate::memory::prove`]).

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

use crate::error::VerifyError;
use crate::field::JoltField;
use crate::lasso::{self, memory_checking, LassoColumn, LassoProof, LassoWitness};
use crate::opening::OpeningClaim;
use crate::subprotocols::multiset::{prove_memories, verify_memories};
use crate::subprotocols::GrandProductProof;
use crate::trace_length::TraceLength;
use crate::transcript::Transcript;

/// The chunks' fraction sums and the Lasso proof.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct LassoAlone<F: JoltField> {
    pub products: GrandProductProof<F>,
    pub lasso: LassoProof<F>,
}

/// Proves the lookups of `witness` and returns the opening claims.
pub fn prove<F: JoltField>(
    witness: &LassoWitness,
    transcript: &mut Transcript,
) -> (LassoAlone<F>, Vec<OpeningClaim<LassoColumn, F>>) {
    let leaves = memory_checking::prove_leaves(witness, transcript);
    let (products, _, memory) = prove_memories(Vec::new(), leaves, transcript);
    let (lasso, claims) = lasso::prove(witness.layout(), witness, &memory, transcript);
    (LassoAlone { products, lasso }, claims)
}

/// Verifies [`prove`]'s proof of `trace_length` lookups under `layout`.
pub fn verify<F: JoltField>(
    layout: &lasso::LassoLayout,
    trace_length: TraceLength,
    proof: &LassoAlone<F>,
    transcript: &mut Transcript,
) -> Result<Vec<OpeningClaim<LassoColumn, F>>, VerifyError> {
    let start = memory_checking::verify_start(layout, trace_length, transcript);
    let (_, memory) = verify_memories(
        "lasso memory checking",
        &proof.products,
        &[],
        &start.shapes,
        transcript,
    )?;
    lasso::verify(
        layout,
        trace_length,
        &proof.lasso,
        &start,
        &memory,
        transcript,
    )
}
