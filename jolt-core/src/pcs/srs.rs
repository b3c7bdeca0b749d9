//! The structured reference string (SRS): \[τ^i]_1 = τ^i·G for i < N and
//! \[τ^i]_2 = τ^i·H for i ≤ 3, for a secret τ nobody may know.
//!
//! **Trust.** Anyone who knows τ can open a commitment to any value, so
//! HyperKZG is sound only if τ was destroyed. A production SRS comes from
//! a multi-party powers-of-tau ceremony, where τ is the product of every
//! participant's secret and stays unknown if one participant was honest
//! ([`Srs::from_powers`] imports one; `docs/pcs.md` describes how).
//! [`Srs::insecure_dev_setup`] derives τ from a public seed: it is for
//! tests and benchmarks only, and proofs made with it prove nothing.
//!
//! **File format** (little endian): the 8-byte magic `JOLT SRS`, a u32
//! format version (1), a u32 curve tag (254 = BN254), u64 number of G1
//! points, u64 number of G2 points, then the points, each in ark-serialize's
//! compressed form (32 bytes in G1, 64 in G2). Loading rejects a wrong
//! header, a length that disagrees with the header (truncated or trailing
//! bytes), points off the curve or outside the prime-order subgroup, and
//! powers that are not consecutive powers of one τ ([`Srs::check`]).

use super::error::PcsError;
use super::msm;
use crate::transcript::Transcript;
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, ScalarMul, VariableBaseMSM};
use ark_ff::{Field, One, UniformRand, Zero};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::Path;

pub(super) const MAGIC: &[u8; 8] = b"JOLT SRS";
const VERSION: u32 = 1;
const CURVE_BN254: u32 = 254;
const G1_BYTES: usize = 32;
const G2_BYTES: usize = 64;
/// Header: magic, version, curve, #G1, #G2.
const HEADER_BYTES: usize = 8 + 4 + 4 + 8 + 8;

/// Powers of τ in G1 and G2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Srs {
    g1_powers: Vec<G1Affine>,
    g2_powers: Vec<G2Affine>,
}

impl Srs {
    /// G2 powers kept: \[1]_2, \[τ]_2, \[τ²]_2, \[τ³]_2 (HyperKZG's verifier
    /// divides by a cubic vanishing polynomial in G2).
    pub const NUM_G2_POWERS: usize = 4;
    /// The verifier also needs \[1]_1, \[τ]_1, \[τ²]_1, so even a 0- or
    /// 1-variable SRS has this many G1 powers.
    pub const MIN_G1_POWERS: usize = 4;

    /// G1 powers needed for polynomials of `max_num_vars` variables.
    pub fn g1_powers_for(max_num_vars: usize) -> usize {
        (1usize << max_num_vars).max(Self::MIN_G1_POWERS)
    }

    /// **INSECURE: for tests and benchmarks only.** τ is derived from
    /// `seed` with ChaCha20, so anyone who knows the seed (it is in the
    /// source) knows τ and can forge every opening.
    pub fn insecure_dev_setup(max_num_vars: usize, seed: u64) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let tau = Fr::rand(&mut rng);
        let n = Self::g1_powers_for(max_num_vars);
        let powers = powers_of(tau, n);
        let g1_powers = G1Projective::generator().batch_mul(&powers);
        let g2_powers = G2Projective::generator().batch_mul(&powers[..Self::NUM_G2_POWERS]);
        Self {
            g1_powers,
            g2_powers,
        }
    }

    /// An SRS from powers produced elsewhere (e.g. a powers-of-tau
    /// ceremony transcript converted to points), after [`Srs::check`].
    /// `g1_powers\[i]` must be τ^i·G and `g2_powers\[i]` τ^i·H; G2 powers
    /// beyond the fourth are dropped.
    pub fn from_powers(
        g1_powers: Vec<G1Affine>,
        mut g2_powers: Vec<G2Affine>,
    ) -> Result<Self, PcsError> {
        if g2_powers.len() < Self::NUM_G2_POWERS {
            return Err(PcsError::SrsTooSmall {
                what: "G2 powers",
                needed: Self::NUM_G2_POWERS,
                have: g2_powers.len(),
            });
        }
        g2_powers.truncate(Self::NUM_G2_POWERS);
        let srs = Self {
            g1_powers,
            g2_powers,
        };
        srs.check()?;
        Ok(srs)
    }

    pub fn g1_powers(&self) -> &[G1Affine] {
        &self.g1_powers
    }

    pub fn g2_powers(&self) -> &[G2Affine] {
        &self.g2_powers
    }

    /// The largest n with 2^n ≤ number of G1 powers.
    pub fn max_num_vars(&self) -> usize {
        self.g1_powers.len().max(1).ilog2() as usize
    }

    /// Writes the file format described in the module doc.
    pub fn write<W: Write>(&self, mut writer: W) -> Result<(), PcsError> {
        let mut header = Vec::with_capacity(HEADER_BYTES);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&CURVE_BN254.to_le_bytes());
        header.extend_from_slice(&(self.g1_powers.len() as u64).to_le_bytes());
        header.extend_from_slice(&(self.g2_powers.len() as u64).to_le_bytes());
        writer.write_all(&header)?;
        for chunk in self.g1_powers.chunks(1 << 14) {
            writer.write_all(&serialize_points(chunk))?;
        }
        writer.write_all(&serialize_points(&self.g2_powers))?;
        Ok(())
    }

    /// Reads and checks an SRS written by [`Srs::write`].
    pub fn read<R: Read>(mut reader: R) -> Result<Self, PcsError> {
        let mut header = [0u8; HEADER_BYTES];
        reader
            .read_exact(&mut header)
            .map_err(|_| PcsError::MalformedSrs {
                check: "file shorter than the header",
            })?;
        if &header[..8] != MAGIC {
            return Err(PcsError::MalformedSrs {
                check: "magic bytes (not an SRS file)",
            });
        }
        let u32_at = |i: usize| u32::from_le_bytes(header[i..i + 4].try_into().expect("4 bytes"));
        let u64_at = |i: usize| u64::from_le_bytes(header[i..i + 8].try_into().expect("8 bytes"));
        if u32_at(8) != VERSION {
            return Err(PcsError::MalformedSrs {
                check: "unsupported format version",
            });
        }
        if u32_at(12) != CURVE_BN254 {
            return Err(PcsError::MalformedSrs {
                check: "curve is not BN254",
            });
        }
        let (num_g1, num_g2) = (u64_at(16), u64_at(24));
        if num_g1 < Self::MIN_G1_POWERS as u64 {
            return Err(PcsError::SrsTooSmall {
                what: "G1 powers",
                needed: Self::MIN_G1_POWERS,
                have: num_g1 as usize,
            });
        }
        if num_g2 != Self::NUM_G2_POWERS as u64 {
            return Err(PcsError::MalformedSrs {
                check: "number of G2 powers is not 4",
            });
        }
        // Bound before multiplying, so a forged count cannot overflow.
        if num_g1 > 1 << 32 {
            return Err(PcsError::MalformedSrs {
                check: "number of G1 powers above 2^32",
            });
        }
        let g1_bytes = read_exact_growing(&mut reader, num_g1 as usize * G1_BYTES)?;
        let g2_bytes = read_exact_growing(&mut reader, Self::NUM_G2_POWERS * G2_BYTES)?;
        let mut extra = [0u8; 1];
        if reader.read(&mut extra)? != 0 {
            return Err(PcsError::MalformedSrs {
                check: "trailing bytes after the points",
            });
        }
        let srs = Self {
            g1_powers: deserialize_points::<G1Affine>(&g1_bytes, G1_BYTES)?,
            g2_powers: deserialize_points::<G2Affine>(&g2_bytes, G2_BYTES)?,
        };
        srs.check()?;
        Ok(srs)
    }

    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), PcsError> {
        let file = std::fs::File::create(path)?;
        let mut writer = std::io::BufWriter::new(file);
        self.write(&mut writer)?;
        writer.flush()?;
        Ok(())
    }

    pub fn load(path: impl AsRef<Path>) -> Result<Self, PcsError> {
        let file = std::fs::File::open(path)?;
        Self::read(std::io::BufReader::new(file))
    }

    /// Well-formedness: enough powers, no identity where τ^0 or τ^1 should
    /// be, and consecutive powers of one τ in both groups, by pairing spot
    /// checks with random 64-bit coefficients c_i (derived by hashing the
    /// whole SRS, so the author of a file cannot choose them):
    ///
    ///   e(Σ c_i·\[τ^{i+1}]_1, \[1]_2) = e(Σ c_i·\[τ^i]_1, \[τ]_2)   over G1,
    ///   e(\[τ]_1, Σ c_k·\[τ^k]_2) = e(\[1]_1, Σ c_k·\[τ^{k+1}]_2)    over G2.
    ///
    /// An SRS with some \[τ^{i+1}]_1 ≠ τ·\[τ^i]_1 passes the first with
    /// probability at most 2^-64. (Points on the curve and in the subgroup
    /// are guaranteed by construction or by validated deserialization.)
    pub fn check(&self) -> Result<(), PcsError> {
        let (g1, g2) = (&self.g1_powers, &self.g2_powers);
        if g1.len() < Self::MIN_G1_POWERS {
            return Err(PcsError::SrsTooSmall {
                what: "G1 powers",
                needed: Self::MIN_G1_POWERS,
                have: g1.len(),
            });
        }
        if g2.len() != Self::NUM_G2_POWERS {
            return Err(PcsError::MalformedSrs {
                check: "number of G2 powers is not 4",
            });
        }
        if g1[0].is_zero() || g1[1].is_zero() || g2[0].is_zero() || g2[1].is_zero() {
            return Err(PcsError::MalformedSrs {
                check: "generator or first power is the identity",
            });
        }

        let mut transcript = Transcript::new(b"Jolt SRS check");
        for chunk in g1.chunks(1 << 14) {
            transcript.append_points(b"g1 powers", chunk);
        }
        transcript.append_points(b"g2 powers", g2);
        let mut seed = [0u8; 32];
        transcript.challenge_bytes(b"spot check seed", &mut seed);
        let mut rng = ChaCha20Rng::from_seed(seed);

        let coeffs: Vec<u64> = (0..g1.len() - 1).map(|_| rng.next_u64()).collect();
        let shifted = msm::msm_small(&g1[1..], coeffs.as_slice());
        let unshifted = msm::msm_small(&g1[..g1.len() - 1], coeffs.as_slice());
        if !pairings_equal(shifted, g2[0], unshifted, g2[1]) {
            return Err(PcsError::MalformedSrs {
                check: "G1 powers are not consecutive powers of the G2 τ",
            });
        }

        let coeffs: Vec<Fr> = (0..g2.len() - 1)
            .map(|_| Fr::from(rng.next_u64()))
            .collect();
        let lower = G2Projective::msm(&g2[..g2.len() - 1], &coeffs)
            .map_err(|_| PcsError::MalformedSrs { check: "G2 sizes" })?;
        let upper = G2Projective::msm(&g2[1..], &coeffs)
            .map_err(|_| PcsError::MalformedSrs { check: "G2 sizes" })?;
        if !pairings_equal(
            g1[1].into_group(),
            lower.into_affine(),
            g1[0].into_group(),
            upper.into_affine(),
        ) {
            return Err(PcsError::MalformedSrs {
                check: "G2 powers are not consecutive powers of the G1 τ",
            });
        }
        Ok(())
    }
}

/// τ^0, …, τ^{n−1}, computed in parallel chunks.
fn powers_of(tau: Fr, n: usize) -> Vec<Fr> {
    let mut powers = vec![Fr::one(); n];
    let chunk = 1 << 12;
    powers
        .par_chunks_mut(chunk)
        .enumerate()
        .for_each(|(k, out)| {
            let mut p = tau.pow([(k * chunk) as u64]);
            for x in out {
                *x = p;
                p *= tau;
            }
        });
    powers
}

/// e(a, b) = e(c, d), as one multi-pairing e(a, b)·e(−c, d) = 1.
pub(crate) fn pairings_equal(a: G1Projective, b: G2Affine, c: G1Projective, d: G2Affine) -> bool {
    let (a, c) = (a.into_affine(), (-c).into_affine());
    Bn254::multi_pairing([a, c], [b, d]).is_zero()
}

fn serialize_points<P: CanonicalSerialize + Sync>(points: &[P]) -> Vec<u8> {
    let parts: Vec<Vec<u8>> = points
        .par_chunks(1 << 10)
        .map(|chunk| {
            let mut bytes = Vec::new();
            for p in chunk {
                p.serialize_compressed(&mut bytes)
                    // Invariant: writing into a Vec cannot fail.
                    .expect("serializing into a Vec is infallible");
            }
            bytes
        })
        .collect();
    parts.concat()
}

/// Decodes fixed-size compressed points in parallel, validating each (on
/// the curve, in the prime-order subgroup).
pub(crate) fn deserialize_points<P: CanonicalDeserialize + Send>(
    bytes: &[u8],
    size: usize,
) -> Result<Vec<P>, PcsError> {
    if !bytes.len().is_multiple_of(size) {
        return Err(PcsError::MalformedSrs {
            check: "byte length is not a whole number of points",
        });
    }
    bytes
        .par_chunks_exact(size)
        .map(|b| P::deserialize_compressed(b).map_err(PcsError::from))
        .collect()
}

/// Reads exactly `len` bytes, growing the buffer only as bytes arrive, so a
/// forged length in a short file fails without allocating it.
pub(crate) fn read_exact_growing<R: Read>(reader: &mut R, len: usize) -> Result<Vec<u8>, PcsError> {
    let mut bytes = Vec::with_capacity(len.min(1 << 20));
    reader.take(len as u64).read_to_end(&mut bytes)?;
    if bytes.len() != len {
        return Err(PcsError::MalformedSrs {
            check: "file shorter than its header says (truncated)",
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes_of(srs: &Srs) -> Vec<u8> {
        let mut bytes = Vec::new();
        srs.write(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn dev_setup_is_deterministic_and_well_formed() {
        let a = Srs::insecure_dev_setup(5, 7);
        assert_eq!(a, Srs::insecure_dev_setup(5, 7));
        assert_ne!(a, Srs::insecure_dev_setup(5, 8));
        assert_eq!(a.g1_powers().len(), 32);
        assert_eq!(a.max_num_vars(), 5);
        a.check().unwrap();
        // Tiny sizes still carry the verifier's powers.
        let tiny = Srs::insecure_dev_setup(0, 1);
        assert_eq!(tiny.g1_powers().len(), Srs::MIN_G1_POWERS);
        tiny.check().unwrap();
    }

    #[test]
    fn file_round_trip() {
        let srs = Srs::insecure_dev_setup(6, 3);
        let bytes = bytes_of(&srs);
        assert_eq!(bytes.len(), HEADER_BYTES + 64 * G1_BYTES + 4 * G2_BYTES);
        assert_eq!(Srs::read(&bytes[..]).unwrap(), srs);
        let dir = std::env::temp_dir().join(format!("jolt-srs-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("srs.bin");
        srs.save(&path).unwrap();
        assert_eq!(Srs::load(&path).unwrap(), srs);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(
            Srs::load(dir.join("missing")),
            Err(PcsError::Io(_))
        ));
    }

    #[test]
    fn truncated_or_garbage_files_are_errors() {
        let srs = Srs::insecure_dev_setup(3, 3);
        let bytes = bytes_of(&srs);
        for cut in 0..bytes.len() {
            assert!(Srs::read(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(
            Srs::read(&longer[..]),
            Err(PcsError::MalformedSrs { .. })
        ));

        let mut rng = ChaCha20Rng::seed_from_u64(9);
        for _ in 0..20 {
            let mut garbage = vec![0u8; bytes.len()];
            rng.fill_bytes(&mut garbage);
            assert!(Srs::read(&garbage[..]).is_err());
            // Valid header, garbage points.
            garbage[..HEADER_BYTES].copy_from_slice(&bytes[..HEADER_BYTES]);
            assert!(Srs::read(&garbage[..]).is_err());
        }
        // A header claiming 2^40 points in a short file.
        let mut forged = bytes.clone();
        forged[16..24].copy_from_slice(&(1u64 << 40).to_le_bytes());
        assert!(matches!(
            Srs::read(&forged[..]),
            Err(PcsError::MalformedSrs { .. })
        ));
        forged[16..24].copy_from_slice(&(1u64 << 20).to_le_bytes());
        assert!(matches!(
            Srs::read(&forged[..]),
            Err(PcsError::MalformedSrs { .. })
        ));
        let mut wrong_magic = bytes.clone();
        wrong_magic[0] ^= 1;
        assert!(matches!(
            Srs::read(&wrong_magic[..]),
            Err(PcsError::MalformedSrs { .. })
        ));
        let mut wrong_version = bytes.clone();
        wrong_version[8] = 2;
        assert!(matches!(
            Srs::read(&wrong_version[..]),
            Err(PcsError::MalformedSrs { .. })
        ));
        let mut too_few = bytes_of(&srs);
        too_few[16..24].copy_from_slice(&2u64.to_le_bytes());
        assert!(matches!(
            Srs::read(&too_few[..]),
            Err(PcsError::SrsTooSmall { .. })
        ));
    }

    #[test]
    fn inconsistent_powers_are_rejected() {
        let srs = Srs::insecure_dev_setup(4, 3);
        // Swap two G1 powers: every point is valid, the powers are not.
        let mut g1 = srs.g1_powers().to_vec();
        g1.swap(5, 6);
        let bad = Srs {
            g1_powers: g1,
            g2_powers: srs.g2_powers().to_vec(),
        };
        assert!(matches!(
            Srs::read(&bytes_of(&bad)[..]),
            Err(PcsError::MalformedSrs { .. })
        ));
        // The last G1 power from another τ.
        let other = Srs::insecure_dev_setup(4, 4);
        let mut g1 = srs.g1_powers().to_vec();
        g1[15] = other.g1_powers()[15];
        assert!(Srs::from_powers(g1, srs.g2_powers().to_vec()).is_err());
        // G2 powers from another τ.
        let mismatched = Srs::from_powers(srs.g1_powers().to_vec(), other.g2_powers().to_vec());
        assert!(matches!(mismatched, Err(PcsError::MalformedSrs { .. })));
        let mut g2 = srs.g2_powers().to_vec();
        g2[3] = other.g2_powers()[3];
        assert!(Srs::from_powers(srs.g1_powers().to_vec(), g2).is_err());
        // Identity as the generator.
        let mut g1 = srs.g1_powers().to_vec();
        g1[0] = G1Affine::identity();
        assert!(Srs::from_powers(g1, srs.g2_powers().to_vec()).is_err());
        assert!(matches!(
            Srs::from_powers(srs.g1_powers().to_vec(), srs.g2_powers()[..3].to_vec()),
            Err(PcsError::SrsTooSmall { .. })
        ));
        // An honest import passes.
        Srs::from_powers(srs.g1_powers().to_vec(), srs.g2_powers().to_vec()).unwrap();
    }
}
