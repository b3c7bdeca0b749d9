//! The one codec for proof types: every proof struct derives ark-serialize's
//! traits, and every vector in a proof is a [`ProofVec`].
//!
//! ark-serialize's `Vec<T>` decoder pre-allocates whatever length prefix the
//! bytes claim, so a forged prefix of 2^62 could abort the process before a
//! single element is read. [`ProofVec`] has the same byte layout (a u64
//! length, then the elements) but grows only as elements arrive: truncated
//! or forged input ends in an error after reading at most as many elements
//! as the bytes hold.

use std::ops::{Deref, DerefMut};

use ark_serialize::{
    CanonicalDeserialize, CanonicalSerialize, Compress, Read, SerializationError, Valid, Validate,
    Write,
};

/// A vector read from untrusted proof bytes (same encoding as `Vec<T>`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProofVec<T>(pub Vec<T>);

impl<T> ProofVec<T> {
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }
}

impl<T> Default for ProofVec<T> {
    fn default() -> Self {
        ProofVec(Vec::new())
    }
}

impl<T> From<Vec<T>> for ProofVec<T> {
    fn from(values: Vec<T>) -> Self {
        ProofVec(values)
    }
}

impl<T> FromIterator<T> for ProofVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        ProofVec(iter.into_iter().collect())
    }
}

impl<T> Deref for ProofVec<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> DerefMut for ProofVec<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<'a, T> IntoIterator for &'a ProofVec<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Hand-written because derive adds no `T: CanonicalSerialize` bound; the
/// bytes are exactly `Vec<T>`'s.
impl<T: CanonicalSerialize> CanonicalSerialize for ProofVec<T> {
    fn serialize_with_mode<W: Write>(
        &self,
        writer: W,
        compress: Compress,
    ) -> Result<(), SerializationError> {
        self.0.serialize_with_mode(writer, compress)
    }

    fn serialized_size(&self, compress: Compress) -> usize {
        self.0.serialized_size(compress)
    }
}

/// Hand-written (derive would need `T: Valid` through `Vec`, which is what
/// this impl says): the elements are checked as one batch.
impl<T: Valid> Valid for ProofVec<T> {
    fn check(&self) -> Result<(), SerializationError> {
        T::batch_check(self.0.iter())
    }
}

/// Hand-written: this is the one decoder that does not trust the length
/// prefix for allocation (the reason the type exists).
impl<T: CanonicalDeserialize> CanonicalDeserialize for ProofVec<T> {
    fn deserialize_with_mode<R: Read>(
        mut reader: R,
        compress: Compress,
        validate: Validate,
    ) -> Result<Self, SerializationError> {
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
        Ok(ProofVec(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;

    #[test]
    fn same_bytes_as_vec_and_forged_length_fails() {
        let v: Vec<Fr> = (0..5u64).map(Fr::from).collect();
        let mut bytes = Vec::new();
        v.serialize_compressed(&mut bytes).unwrap();
        let p = ProofVec(v.clone());
        let mut ours = Vec::new();
        p.serialize_compressed(&mut ours).unwrap();
        assert_eq!(ours, bytes, "the layout of Vec<T>");
        let back = ProofVec::<Fr>::deserialize_compressed(&bytes[..]).unwrap();
        assert_eq!(back.0, v);
        // Truncation anywhere is an error.
        for cut in 0..bytes.len() {
            assert!(ProofVec::<Fr>::deserialize_compressed(&bytes[..cut]).is_err());
        }
        // A length prefix of 2^62 must fail without trying to allocate it.
        let mut forged = (1u64 << 62).to_le_bytes().to_vec();
        forged.extend_from_slice(&bytes[8..]);
        assert!(ProofVec::<Fr>::deserialize_compressed(&forged[..]).is_err());
    }

    /// A struct of proof vectors derives its codec and keeps the property.
    #[test]
    fn derived_structs_inherit_the_bound() {
        #[derive(Debug, PartialEq, CanonicalSerialize, CanonicalDeserialize)]
        struct Two {
            a: ProofVec<Fr>,
            b: ProofVec<ProofVec<Fr>>,
        }
        let two = Two {
            a: vec![Fr::from(3u64)].into(),
            b: vec![vec![Fr::from(4u64); 2].into()].into(),
        };
        let mut bytes = Vec::new();
        two.serialize_compressed(&mut bytes).unwrap();
        assert_eq!(Two::deserialize_compressed(&bytes[..]).unwrap(), two);
        // Forge the inner length (after a's 8 + 32 bytes and b's 8).
        let mut forged = bytes.clone();
        forged[48..56].copy_from_slice(&(1u64 << 60).to_le_bytes());
        assert!(Two::deserialize_compressed(&forged[..]).is_err());
    }
}
