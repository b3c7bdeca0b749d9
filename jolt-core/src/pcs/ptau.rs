//! Importing the powers of τ from a snarkjs powers-of-tau file (`.ptau`,
//! the format of the Perpetual Powers of Tau / Hermez ceremony over BN254),
//! so production keys come from a public multi-party ceremony rather than
//! from [`Srs::insecure_dev_setup`].
//!
//! Layout read here (all little endian): magic `ptau`, u32 version, u32
//! number of sections, then sections, each a u32 type, a u64 byte size and
//! the data. Section 1 (header): u32 n8 = 32, the base-field modulus q in
//! n8 bytes, u32 power p, u32 ceremony power. Section 2: tauG1, 2^(p+1) − 1
//! uncompressed G1 points \[τ^i]_1. Section 3: tauG2, 2^p uncompressed G2
//! points \[τ^i]_2. A coordinate is n8 bytes in Montgomery form; a G2
//! coordinate is (c0, c1); the point at infinity is all zeros. Other
//! sections (α, β powers, contributions) are skipped.
//!
//! Every point is checked to be on the curve and in the subgroup, and the
//! result goes through [`Srs::check`], so a file that is misread in any
//! way (byte order, coordinate order, representation) is rejected with an
//! error rather than used. This layout was implemented from the format's
//! description; besides files this module writes itself, it is tested on
//! ceremonies made with snarkjs 0.7.6 (`cli/tests/srs.rs`).

use super::error::PcsError;
use super::srs::{read_exact_growing, Srs};
use ark_bn254::{Fq, Fq2, G1Affine, G2Affine};
use ark_ff::{BigInt, PrimeField};
use rayon::prelude::*;
use std::io::{Read, Seek};
use std::path::Path;

const MAGIC: &[u8; 4] = b"ptau";
const N8: usize = 32;
const HEADER_SECTION: u32 = 1;
const TAU_G1_SECTION: u32 = 2;
const TAU_G2_SECTION: u32 = 3;

fn malformed(check: &'static str) -> PcsError {
    PcsError::MalformedSrs { check }
}

impl Srs {
    /// Reads \[τ^i]_1 for i < max(2^max_num_vars, 4) and \[τ^0..3]_2 from a
    /// `.ptau` file; see the module doc.
    pub fn from_ptau<R: Read>(mut reader: R, max_num_vars: usize) -> Result<Self, PcsError> {
        let mut magic = [0u8; 4];
        reader
            .read_exact(&mut magic)
            .map_err(|_| malformed("ptau: file shorter than its magic"))?;
        if &magic != MAGIC {
            return Err(malformed("ptau: magic bytes (not a .ptau file)"));
        }
        let _version = read_u32(&mut reader)?;
        let num_sections = read_u32(&mut reader)?;
        let needed_g1 = Srs::g1_powers_for(max_num_vars);
        let mut power: Option<u32> = None;
        let mut g1 = None;
        let mut g2 = None;
        for _ in 0..num_sections {
            if g1.is_some() && g2.is_some() {
                break;
            }
            let kind = read_u32(&mut reader)?;
            let size = read_u64(&mut reader)?;
            match kind {
                HEADER_SECTION => {
                    let bytes = read_exact_growing(&mut reader, usize_of(size)?)?;
                    power = Some(parse_header(&bytes)?);
                }
                TAU_G1_SECTION | TAU_G2_SECTION => {
                    let p = power.ok_or(malformed("ptau: tau section before the header"))?;
                    if p >= 32 {
                        return Err(malformed("ptau: power above 31"));
                    }
                    let (count, point_bytes, wanted) = if kind == TAU_G1_SECTION {
                        ((1u64 << (p + 1)) - 1, 2 * N8, needed_g1)
                    } else {
                        (1u64 << p, 4 * N8, Srs::NUM_G2_POWERS)
                    };
                    if size != count * point_bytes as u64 {
                        return Err(malformed("ptau: tau section size disagrees with the power"));
                    }
                    if (wanted as u64) > count {
                        return Err(PcsError::SrsTooSmall {
                            what: if kind == TAU_G1_SECTION {
                                "G1 powers in the ptau file"
                            } else {
                                "G2 powers in the ptau file"
                            },
                            needed: wanted,
                            have: count as usize,
                        });
                    }
                    let bytes = read_exact_growing(&mut reader, wanted * point_bytes)?;
                    skip(&mut reader, size - (wanted * point_bytes) as u64)?;
                    if kind == TAU_G1_SECTION {
                        g1 = Some(
                            bytes
                                .par_chunks_exact(point_bytes)
                                .map(g1_from_bytes)
                                .collect::<Result<Vec<_>, _>>()?,
                        );
                    } else {
                        g2 = Some(
                            bytes
                                .par_chunks_exact(point_bytes)
                                .map(g2_from_bytes)
                                .collect::<Result<Vec<_>, _>>()?,
                        );
                    }
                }
                _ => skip(&mut reader, size)?,
            }
        }
        match (g1, g2) {
            (Some(g1), Some(g2)) => Srs::from_powers(g1, g2),
            _ => Err(malformed("ptau: tauG1 or tauG2 section missing")),
        }
    }
}

/// The two SRS file formats, told apart by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SrsFileFormat {
    /// This crate's format ([`Srs::save`]), magic `JOLT SRS`.
    Jolt,
    /// A snarkjs powers-of-tau file, magic `ptau`.
    Ptau,
}

impl SrsFileFormat {
    /// The format whose magic `head` (a file's first bytes, at least 8 if
    /// the file has them) starts with.
    pub fn detect(head: &[u8]) -> Result<Self, PcsError> {
        if head.starts_with(super::srs::MAGIC) {
            Ok(SrsFileFormat::Jolt)
        } else if head.starts_with(MAGIC) {
            Ok(SrsFileFormat::Ptau)
        } else {
            Err(malformed(
                "magic bytes (neither a Jolt SRS file nor a snarkjs .ptau file)",
            ))
        }
    }
}

impl Srs {
    /// Reads an SRS file in either format, told apart by its magic bytes
    /// (not its name): this crate's is read whole and checked
    /// ([`Srs::read`]); of a `.ptau` file only the powers for polynomials
    /// of `max_num_vars` variables are decoded ([`Srs::from_ptau`]; too few
    /// in the file is [`PcsError::SrsTooSmall`]).
    pub fn open(path: impl AsRef<Path>, max_num_vars: usize) -> Result<Self, PcsError> {
        let mut file = std::fs::File::open(path)?;
        let mut head = Vec::with_capacity(8);
        (&mut file).take(8).read_to_end(&mut head)?;
        let format = SrsFileFormat::detect(&head)?;
        file.rewind()?;
        let reader = std::io::BufReader::new(file);
        match format {
            SrsFileFormat::Jolt => Srs::read(reader),
            SrsFileFormat::Ptau => Srs::from_ptau(reader, max_num_vars),
        }
    }

    /// The power p in a `.ptau` file's header: the file holds 2^(p+1) − 1
    /// G1 powers, enough for polynomials of up to p variables.
    pub fn ptau_power<R: Read>(mut reader: R) -> Result<usize, PcsError> {
        let mut magic = [0u8; 4];
        reader
            .read_exact(&mut magic)
            .map_err(|_| malformed("ptau: file shorter than its magic"))?;
        if &magic != MAGIC {
            return Err(malformed("ptau: magic bytes (not a .ptau file)"));
        }
        let _version = read_u32(&mut reader)?;
        for _ in 0..read_u32(&mut reader)? {
            let kind = read_u32(&mut reader)?;
            let size = read_u64(&mut reader)?;
            if kind == HEADER_SECTION {
                let bytes = read_exact_growing(&mut reader, usize_of(size)?)?;
                return Ok(parse_header(&bytes)? as usize);
            }
            skip(&mut reader, size)?;
        }
        Err(malformed("ptau: header section missing"))
    }
}

fn usize_of(size: u64) -> Result<usize, PcsError> {
    usize::try_from(size).map_err(|_| malformed("ptau: section size"))
}

fn read_u32<R: Read>(reader: &mut R) -> Result<u32, PcsError> {
    let mut b = [0u8; 4];
    reader
        .read_exact(&mut b)
        .map_err(|_| malformed("ptau: truncated"))?;
    Ok(u32::from_le_bytes(b))
}

fn read_u64<R: Read>(reader: &mut R) -> Result<u64, PcsError> {
    let mut b = [0u8; 8];
    reader
        .read_exact(&mut b)
        .map_err(|_| malformed("ptau: truncated"))?;
    Ok(u64::from_le_bytes(b))
}

fn skip<R: Read>(reader: &mut R, len: u64) -> Result<(), PcsError> {
    let skipped = std::io::copy(&mut reader.take(len), &mut std::io::sink())?;
    if skipped != len {
        return Err(malformed("ptau: truncated"));
    }
    Ok(())
}

/// Checks n8 and q (BN254's base field) and returns the power p.
fn parse_header(bytes: &[u8]) -> Result<u32, PcsError> {
    if bytes.len() < 4 + N8 + 4 {
        return Err(malformed("ptau: header section too short"));
    }
    let n8 = u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes"));
    if n8 as usize != N8 {
        return Err(malformed("ptau: field element size is not 32 bytes"));
    }
    let modulus = Fq::MODULUS.0;
    let q_matches = modulus
        .iter()
        .enumerate()
        .all(|(i, limb)| bytes[4 + 8 * i..12 + 8 * i] == limb.to_le_bytes());
    if !q_matches {
        return Err(malformed("ptau: curve is not BN254"));
    }
    Ok(u32::from_le_bytes(
        bytes[4 + N8..8 + N8].try_into().expect("4 bytes"),
    ))
}

/// A base-field element from 32 little-endian bytes in Montgomery form.
fn fq_from_montgomery(bytes: &[u8]) -> Result<Fq, PcsError> {
    let mut limbs = [0u64; 4];
    for (limb, b) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        *limb = u64::from_le_bytes(b.try_into().expect("8 bytes"));
    }
    let repr = BigInt(limbs);
    if repr >= Fq::MODULUS {
        return Err(malformed("ptau: coordinate not below q"));
    }
    Ok(Fq::new_unchecked(repr))
}

fn g1_from_bytes(bytes: &[u8]) -> Result<G1Affine, PcsError> {
    if bytes.iter().all(|&b| b == 0) {
        return Ok(G1Affine::identity());
    }
    let x = fq_from_montgomery(&bytes[..N8])?;
    let y = fq_from_montgomery(&bytes[N8..2 * N8])?;
    let p = G1Affine::new_unchecked(x, y);
    if !p.is_on_curve() || !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(malformed(
            "ptau: G1 point not on the curve or not in the subgroup",
        ));
    }
    Ok(p)
}

fn g2_from_bytes(bytes: &[u8]) -> Result<G2Affine, PcsError> {
    if bytes.iter().all(|&b| b == 0) {
        return Ok(G2Affine::identity());
    }
    let coord = |i: usize| -> Result<Fq2, PcsError> {
        Ok(Fq2::new(
            fq_from_montgomery(&bytes[2 * i * N8..(2 * i + 1) * N8])?,
            fq_from_montgomery(&bytes[(2 * i + 1) * N8..(2 * i + 2) * N8])?,
        ))
    };
    let p = G2Affine::new_unchecked(coord(0)?, coord(1)?);
    if !p.is_on_curve() || !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(malformed(
            "ptau: G2 point not on the curve or not in the subgroup",
        ));
    }
    Ok(p)
}

/// Writes `srs` as a minimal `.ptau` file of the given power (tauG1 and
/// tauG2 only). For tests of the reader; `srs` must hold 2^(power+1) − 1 G1
/// powers (its G2 section repeats its 4 G2 powers' layout with zeros
/// beyond them, which the reader skips).
#[cfg(test)]
pub(crate) fn write_ptau<W: std::io::Write>(
    srs: &Srs,
    power: u32,
    mut w: W,
) -> std::io::Result<()> {
    let fq = |x: &Fq, out: &mut Vec<u8>| {
        for limb in x.0 .0 {
            out.extend_from_slice(&limb.to_le_bytes());
        }
    };
    let mut header = Vec::new();
    header.extend_from_slice(&(N8 as u32).to_le_bytes());
    for limb in Fq::MODULUS.0 {
        header.extend_from_slice(&limb.to_le_bytes());
    }
    header.extend_from_slice(&power.to_le_bytes());
    header.extend_from_slice(&power.to_le_bytes());
    let mut g1 = Vec::new();
    for p in &srs.g1_powers()[..(1 << (power + 1)) - 1] {
        fq(&p.x, &mut g1);
        fq(&p.y, &mut g1);
    }
    let mut g2 = Vec::new();
    for i in 0..1usize << power {
        match srs.g2_powers().get(i) {
            Some(p) => {
                for c in [p.x.c0, p.x.c1, p.y.c0, p.y.c1] {
                    fq(&c, &mut g2);
                }
            }
            None => g2.extend_from_slice(&[0u8; 4 * N8]),
        }
    }
    w.write_all(MAGIC)?;
    w.write_all(&1u32.to_le_bytes())?;
    w.write_all(&4u32.to_le_bytes())?;
    // An unrelated section first, as real files have sections the reader skips.
    for (kind, data) in [(7u32, vec![1u8, 2, 3]), (1, header), (2, g1), (3, g2)] {
        w.write_all(&kind.to_le_bytes())?;
        w.write_all(&(data.len() as u64).to_le_bytes())?;
        w.write_all(&data)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ptau_bytes(srs: &Srs, power: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        write_ptau(srs, power, &mut bytes).unwrap();
        bytes
    }

    #[test]
    fn reads_the_powers_it_wrote() {
        let power = 4;
        let source = Srs::insecure_dev_setup(power as usize + 1, 5);
        let bytes = ptau_bytes(&source, power);
        for n in 0..=power as usize {
            let srs = Srs::from_ptau(&bytes[..], n).unwrap();
            let expected = Srs::g1_powers_for(n);
            assert_eq!(srs.g1_powers(), &source.g1_powers()[..expected]);
            assert_eq!(srs.g2_powers(), source.g2_powers());
        }
        // 2^5 G1 powers exceed the 2^5 − 1 in the file.
        assert!(matches!(
            Srs::from_ptau(&bytes[..], power as usize + 1),
            Err(PcsError::SrsTooSmall { .. })
        ));
    }

    #[test]
    fn misread_or_broken_files_are_errors() {
        let power = 3;
        let source = Srs::insecure_dev_setup(power as usize + 1, 6);
        let bytes = ptau_bytes(&source, power);
        for cut in (0..bytes.len()).step_by(7) {
            assert!(Srs::from_ptau(&bytes[..cut], 3).is_err(), "cut at {cut}");
        }
        // Layout: 12-byte file header; skipped section (15 bytes); header
        // section (12 + 44); tauG1 section header (12) and 15 points of 64
        // bytes, of which the reader uses 8; tauG2 header (12) and 8 points
        // of 128 bytes, of which it uses 4.
        let g1_start = 12 + 15 + 56 + 12;
        let g2_start = g1_start + 15 * 64 + 12;
        let read = |i: usize| {
            (g1_start..g1_start + 8 * 64).contains(&i)
                || (g2_start..g2_start + 4 * 128).contains(&i)
        };
        // Every byte of the headers, every fifth byte of the points.
        for i in (0..bytes.len()).filter(|&i| i < g1_start || i % 5 == 0) {
            let mut bad = bytes.clone();
            bad[i] ^= 0x10;
            match Srs::from_ptau(&bad[..], 3) {
                // A flip in a point the reader uses is always caught (by
                // decoding, the curve equation, or the pairing checks).
                Ok(_) if read(i) => panic!("flip at {i} accepted"),
                // Elsewhere: an error, or bytes the reader ignores.
                Ok(srs) => assert_eq!(srs.g1_powers(), &source.g1_powers()[..8], "flip at {i}"),
                Err(_) => {}
            }
        }
        let mut not_ptau = bytes.clone();
        not_ptau[0] = b'x';
        assert!(Srs::from_ptau(&not_ptau[..], 3).is_err());
        assert!(Srs::ptau_power(&not_ptau[..]).is_err());
        assert!(Srs::ptau_power(&bytes[..40]).is_err());
    }

    /// `Srs::open` tells the formats apart by content, whatever the name.
    #[test]
    fn opens_either_format_by_magic() {
        let power = 3;
        let source = Srs::insecure_dev_setup(power as usize + 1, 7);
        let bytes = ptau_bytes(&source, power);
        assert_eq!(Srs::ptau_power(&bytes[..]).unwrap(), power as usize);
        let dir = std::env::temp_dir().join(format!("jolt-srs-open-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ptau = dir.join("powers.srs");
        std::fs::write(&ptau, &bytes).unwrap();
        let srs = Srs::open(&ptau, 2).unwrap();
        assert_eq!(srs.g1_powers(), &source.g1_powers()[..4]);
        let jolt = dir.join("powers.ptau");
        srs.save(&jolt).unwrap();
        assert_eq!(Srs::open(&jolt, 0).unwrap(), srs);
        assert!(matches!(
            Srs::open(&ptau, power as usize + 1),
            Err(PcsError::SrsTooSmall { .. })
        ));
        let other = dir.join("other");
        std::fs::write(&other, b"JOLT PRF and more").unwrap();
        let err = Srs::open(&other, 0).unwrap_err().to_string();
        assert!(err.contains("neither a Jolt SRS file nor"), "{err}");
        std::fs::write(&other, b"").unwrap();
        assert!(Srs::open(&other, 0).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
