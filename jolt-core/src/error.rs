//! Typed errors for verification and for decoding untrusted proof bytes.
//!
//! Every verifier check returns a [`VerifyError`] naming the subprotocol (a
//! `&'static str` label chosen by the caller, e.g. `"spartan outer"`), where
//! in it the check failed, and what failed. A bad proof never panics.
//!
//! Deserialization uses ark-serialize's [`SerializationError`]. Its derive
//! for `Vec<T>` pre-allocates whatever length prefix the bytes claim, so a
//! forged prefix could abort the process; proof types here decode vectors
//! with [`deserialize_vec`] instead, which only grows as elements arrive.

use ark_serialize::{CanonicalDeserialize, Compress, Read, Validate};

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
    /// A claimed public output (e.g. a product or an evaluation) is wrong.
    #[error("{protocol}: {what} does not match")]
    OutputMismatch {
        protocol: &'static str,
        what: &'static str,
    },
}

/// Decodes `len as u64 || items` (ark-serialize's `Vec<T>` layout) without
/// trusting `len` for allocation: truncated or forged input ends in an error
/// after reading at most as many items as the bytes contain.
pub fn deserialize_vec<T: CanonicalDeserialize, R: Read>(
    mut reader: R,
    compress: Compress,
    validate: Validate,
) -> Result<Vec<T>, SerializationError> {
    /// Pre-allocation cap; beyond it the vector grows by doubling.
    const MAX_PREALLOC: usize = 1 << 10;
    let len = u64::deserialize_with_mode(&mut reader, compress, validate)?;
    let len = usize::try_from(len).map_err(|_| SerializationError::InvalidData)?;
    let mut values = Vec::with_capacity(len.min(MAX_PREALLOC));
    for _ in 0..len {
        values.push(T::deserialize_with_mode(
            &mut reader,
            compress,
            Validate::No,
        )?);
    }
    if let Validate::Yes = validate {
        T::batch_check(values.iter())?;
    }
    Ok(values)
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
    use ark_bn254::Fr;
    use ark_serialize::CanonicalSerialize;

    #[test]
    fn vec_round_trip_and_forged_length() {
        let v: Vec<Fr> = (0..5u64).map(Fr::from).collect();
        let mut bytes = Vec::new();
        v.serialize_compressed(&mut bytes).unwrap();
        let back: Vec<Fr> = deserialize_vec(&bytes[..], Compress::Yes, Validate::Yes).unwrap();
        assert_eq!(back, v);
        // Truncation anywhere is an error.
        for cut in 0..bytes.len() {
            assert!(deserialize_vec::<Fr, _>(&bytes[..cut], Compress::Yes, Validate::Yes).is_err());
        }
        // A length prefix of 2^62 must fail without trying to allocate it.
        let mut forged = (1u64 << 62).to_le_bytes().to_vec();
        forged.extend_from_slice(&bytes[8..]);
        assert!(deserialize_vec::<Fr, _>(&forged[..], Compress::Yes, Validate::Yes).is_err());
    }

    #[test]
    fn errors_name_the_protocol() {
        let e = check_shape("spartan outer", "rounds", 3, 4).unwrap_err();
        assert_eq!(
            e.to_string(),
            "spartan outer: expected 3 rounds, proof has 4"
        );
    }
}
