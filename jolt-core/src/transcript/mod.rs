//! Fiat–Shamir transcript over merlin (STROBE-128).
//!
//! One [`Transcript`] type serves prover and verifier, so both sides make
//! the same sequence of calls by construction. Every message is absorbed
//! under a label before the next challenge is drawn. Field challenges take
//! 64 bytes of merlin output reduced mod p, so their bias from uniform is
//! below 2^-250.
//!
//! Lengths are absorbed with vectors, so two different splittings of the
//! same elements into messages give different transcripts.
//!
//! In builds with debug assertions the transcript also records the labels
//! of everything absorbed and drawn, in order ([`Transcript::log`]), for
//! Fiat–Shamir audits in tests.

use crate::field::JoltField;
use ark_serialize::CanonicalSerialize;

#[derive(Clone)]
pub struct Transcript {
    inner: merlin::Transcript,
    #[cfg(debug_assertions)]
    log: Vec<TranscriptEvent>,
}

/// One operation on the transcript, as recorded in debug builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TranscriptEvent {
    Absorb(&'static [u8]),
    Challenge(&'static [u8]),
}

impl Transcript {
    /// A transcript bound to a protocol label (e.g. `b"Jolt v1"`).
    pub fn new(label: &'static [u8]) -> Self {
        Self {
            inner: merlin::Transcript::new(label),
            #[cfg(debug_assertions)]
            log: Vec::new(),
        }
    }

    pub fn append_bytes(&mut self, label: &'static [u8], bytes: &[u8]) {
        self.record(TranscriptEvent::Absorb(label));
        self.inner.append_message(label, bytes);
    }

    pub fn append_u64(&mut self, label: &'static [u8], x: u64) {
        self.record(TranscriptEvent::Absorb(label));
        self.inner.append_u64(label, x);
    }

    pub fn append_scalar<F: JoltField>(&mut self, label: &'static [u8], x: &F) {
        let mut buf = Vec::with_capacity(F::NUM_BYTES);
        x.serialize_uncompressed(&mut buf)
            // Invariant: writing into a Vec cannot fail.
            .expect("serializing into a Vec is infallible");
        self.append_bytes(label, &buf);
    }

    /// Absorbs the length, then all elements, as one message.
    pub fn append_scalars<F: JoltField>(&mut self, label: &'static [u8], xs: &[F]) {
        let mut buf = Vec::with_capacity(8 + xs.len() * F::NUM_BYTES);
        buf.extend_from_slice(&(xs.len() as u64).to_le_bytes());
        for x in xs {
            x.serialize_uncompressed(&mut buf)
                // Invariant: writing into a Vec cannot fail.
                .expect("serializing into a Vec is infallible");
        }
        self.append_bytes(label, &buf);
    }

    /// Absorbs a group element (e.g. a G1 commitment) in compressed form.
    pub fn append_point<G: CanonicalSerialize>(&mut self, label: &'static [u8], point: &G) {
        let mut buf = Vec::with_capacity(point.compressed_size());
        point
            .serialize_compressed(&mut buf)
            // Invariant: writing into a Vec cannot fail.
            .expect("serializing into a Vec is infallible");
        self.append_bytes(label, &buf);
    }

    /// Absorbs the length, then all points, as one message.
    pub fn append_points<G: CanonicalSerialize>(&mut self, label: &'static [u8], points: &[G]) {
        let mut buf = Vec::new();
        buf.extend_from_slice(&(points.len() as u64).to_le_bytes());
        for p in points {
            p.serialize_compressed(&mut buf)
                // Invariant: writing into a Vec cannot fail.
                .expect("serializing into a Vec is infallible");
        }
        self.append_bytes(label, &buf);
    }

    pub fn challenge_bytes(&mut self, label: &'static [u8], dest: &mut [u8]) {
        self.record(TranscriptEvent::Challenge(label));
        self.inner.challenge_bytes(label, dest);
    }

    /// A field element from 64 bytes reduced mod p (statistically uniform).
    pub fn challenge_scalar<F: JoltField>(&mut self, label: &'static [u8]) -> F {
        let mut buf = [0u8; 64];
        self.challenge_bytes(label, &mut buf);
        reduce_wide(&buf)
    }

    /// `n` independent field challenges.
    pub fn challenge_vector<F: JoltField>(&mut self, label: &'static [u8], n: usize) -> Vec<F> {
        (0..n).map(|_| self.challenge_scalar(label)).collect()
    }

    /// 1, γ, γ², …, γ^(n−1) for one challenge γ.
    pub fn challenge_powers<F: JoltField>(&mut self, label: &'static [u8], n: usize) -> Vec<F> {
        let gamma: F = self.challenge_scalar(label);
        let mut powers = Vec::with_capacity(n);
        let mut power = F::one();
        for _ in 0..n {
            powers.push(power);
            power *= gamma;
        }
        powers
    }

    /// Labels absorbed and drawn so far, in order. Empty in builds without
    /// debug assertions.
    pub fn log(&self) -> &[TranscriptEvent] {
        #[cfg(debug_assertions)]
        {
            &self.log
        }
        #[cfg(not(debug_assertions))]
        {
            &[]
        }
    }

    #[inline]
    fn record(&mut self, _event: TranscriptEvent) {
        #[cfg(debug_assertions)]
        self.log.push(_event);
    }
}

/// The 512-bit little-endian integer `bytes` mod p, as lo + hi·2^256 with
/// each 256-bit half reduced on its own: the same value as
/// `from_le_bytes_mod_order` of all 64 bytes, which feeds the bytes past
/// the modulus's width in one at a time (a multiplication and a conversion
/// each: about 70 multiplications, a third of verification when every
/// sumcheck round draws a challenge), against about ten here.
fn reduce_wide<F: JoltField>(bytes: &[u8; 64]) -> F {
    let (lo, hi) = bytes.split_at(32);
    let mut two_256 = [0u8; 33];
    two_256[32] = 1;
    F::from_le_bytes_mod_order(lo)
        + F::from_le_bytes_mod_order(hi) * F::from_le_bytes_mod_order(&two_256)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Projective};
    use ark_ec::PrimeGroup;

    fn challenge_after(f: impl FnOnce(&mut Transcript)) -> Fr {
        let mut t = Transcript::new(b"test");
        f(&mut t);
        t.challenge_scalar(b"c")
    }

    /// The split reduction is the reduction of the whole 512-bit integer,
    /// so the challenges are the ones every earlier proof drew.
    #[test]
    fn wide_reduction_matches_the_reference() {
        use ark_ff::PrimeField;
        use rand_chacha::rand_core::{RngCore, SeedableRng};
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
        let mut cases = vec![[0u8; 64], [0xff; 64]];
        let mut top = [0u8; 64];
        top[63] = 0x80;
        cases.push(top);
        for _ in 0..1000 {
            let mut b = [0u8; 64];
            rng.fill_bytes(&mut b);
            cases.push(b);
        }
        for b in cases {
            assert_eq!(reduce_wide::<Fr>(&b), Fr::from_le_bytes_mod_order(&b));
        }
    }

    #[test]
    fn same_calls_same_challenges() {
        let run = |t: &mut Transcript| {
            t.append_u64(b"n", 7);
            t.append_scalars(b"v", &[Fr::from(1u64), Fr::from(2u64)]);
            t.append_point(b"g", &G1Projective::generator());
        };
        assert_eq!(challenge_after(run), challenge_after(run));
    }

    #[test]
    fn every_input_changes_the_challenge() {
        let base = challenge_after(|t| t.append_scalar(b"x", &Fr::from(1u64)));
        assert_ne!(
            base,
            challenge_after(|t| t.append_scalar(b"x", &Fr::from(2u64)))
        );
        assert_ne!(
            base,
            challenge_after(|t| t.append_scalar(b"y", &Fr::from(1u64)))
        );
        assert_ne!(base, challenge_after(|_| {}));
        // Splitting a vector differently must not collide.
        let a = challenge_after(|t| {
            t.append_scalars(b"v", &[Fr::from(1u64)]);
            t.append_scalars(b"v", &[Fr::from(2u64), Fr::from(3u64)]);
        });
        let b = challenge_after(|t| {
            t.append_scalars(b"v", &[Fr::from(1u64), Fr::from(2u64)]);
            t.append_scalars(b"v", &[Fr::from(3u64)]);
        });
        assert_ne!(a, b);
    }

    #[test]
    fn challenges_are_fresh_and_powers_are_powers() {
        let mut t = Transcript::new(b"test");
        let v: Vec<Fr> = t.challenge_vector(b"v", 3);
        assert!(v[0] != v[1] && v[1] != v[2]);
        let p: Vec<Fr> = t.challenge_powers(b"p", 4);
        assert_eq!(p[0], Fr::from(1u64));
        assert_eq!(p[2], p[1] * p[1]);
        assert_eq!(p[3], p[2] * p[1]);
    }

    #[cfg(debug_assertions)]
    #[test]
    fn log_records_labels_in_order() {
        let mut t = Transcript::new(b"test");
        t.append_u64(b"n", 1);
        let _: Fr = t.challenge_scalar(b"c");
        assert_eq!(
            t.log(),
            &[
                TranscriptEvent::Absorb(b"n"),
                TranscriptEvent::Challenge(b"c")
            ]
        );
    }
}
