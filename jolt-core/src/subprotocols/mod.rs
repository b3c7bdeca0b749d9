//! Interactive subprotocols every proof component runs on: sumcheck (single
//! and batched) and batched grand products.

pub mod dense_sumcheck;
pub mod grand_product;
pub mod sumcheck;

pub use dense_sumcheck::DenseSumcheck;
pub use grand_product::{GrandProductProof, LeafClaims};
pub use sumcheck::{SumcheckClaim, SumcheckInstance, SumcheckOutput, SumcheckProof};
