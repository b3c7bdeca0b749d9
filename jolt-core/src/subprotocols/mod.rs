//! Interactive subprotocols every proof component runs on: sumcheck (single
//! and batched), batched grand products, and the multiset core of offline
//! memory checking built on them.

pub mod dense_sumcheck;
pub mod grand_product;
pub mod multiset;
pub mod sumcheck;

pub use dense_sumcheck::DenseSumcheck;
pub use grand_product::{GrandProductProof, LeafClaims};
pub use multiset::{Fingerprint, MemoryShape, Multisets, ProductClaim};
pub use sumcheck::{SumcheckClaim, SumcheckInstance, SumcheckOutput, SumcheckProof};
