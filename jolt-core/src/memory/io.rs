//! Program I/O binding: the verifier fixes the initial memory from its own
//! data, and checks the final memory's I/O words against the claimed
//! [`ProgramIO`].
//!
//! **Init.** Zero everywhere except the program image (RAM) and the input
//! words. The verifier evaluates its multilinear extension at a point with
//! [`sparse_mle`] over those nonzero words only: no work proportional to
//! the memory size.
//!
//! **Output check.** The registers and every I/O word lie in the low
//! sub-cube of 2^k words (k = [`AddressSpace::io_num_vars`]). With r_z
//! drawn from the transcript the prover shows the zero-check
//!
//!   Σ_{y ∈ {0,1}^k} eq(r_z, y)·io(y)·(Final(0…0, y) − claimed(y)) = 0,
//!
//! where io is the indicator of x0, the output words, the panic word and
//! the termination word, and claimed holds 0 for x0, the claimed outputs
//! (zero-padded), the panic flag as 0/1 and 1 for the termination word. A
//! k-round degree-3 sumcheck ends at r' with the claim Final(0…0, r'); the
//! verifier evaluates eq, io and claimed at r' itself (O(k) and O(output
//! words)). The guest runtime writes exactly 1 to the panic and termination
//! words; any other nonzero value is not provable.
//!
//! **A segment that does not end the run** ([`super::SegmentRole`]) claims
//! less: io marks only x0 and the termination word, both claimed 0. Its
//! outputs and panic word are whatever the run has written so far; the
//! segment that ends the run claims them. A termination word of 0 is what
//! keeps a middle segment from halting: a halting store leaves it nonzero.
//!
//! Transcript: `memory output r` (k challenges), the sumcheck,
//! `memory output eval`.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

use super::layout::{interval_mle, sparse_mle, AddressSpace};
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::poly::{DensePolynomial, EqPolynomial};
use crate::subprotocols::{DenseSumcheck, SumcheckClaim, SumcheckProof};
use crate::tracer::ProgramIO;
use crate::transcript::Transcript;

pub const PROTOCOL: &str = "memory output check";

/// The nonzero words of `bytes` laid out from word `start`, little-endian
/// and zero-padded, as (index, word).
fn words_of(start: usize, bytes: &[u8]) -> impl Iterator<Item = (usize, u32)> + '_ {
    bytes.chunks(4).enumerate().filter_map(move |(i, chunk)| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        let word = u32::from_le_bytes(word);
        (word != 0).then_some((start + i, word))
    })
}

/// The initial memory over the whole address space: the input words, the
/// program image (`image` as (index, word)), zero elsewhere.
pub fn initial_memory(space: &AddressSpace, image: &[(usize, u32)], inputs: &[u8]) -> Vec<u32> {
    let mut memory = vec![0u32; space.size()];
    for (index, word) in words_of(space.input_start(), inputs).chain(image.iter().copied()) {
        memory[index] = word;
    }
    memory
}

/// Checks the claimed I/O fits its regions.
pub fn check_io_shape(
    protocol: &'static str,
    space: &AddressSpace,
    io: &ProgramIO,
) -> Result<(), VerifyError> {
    let layout = space.layout();
    for (what, len, max) in [
        (
            "input bytes (at most)",
            io.inputs.len(),
            layout.max_input_size,
        ),
        (
            "output bytes (at most)",
            io.outputs.len(),
            layout.max_output_size,
        ),
    ] {
        if len > max as usize {
            return check_shape(protocol, what, max as usize, len);
        }
    }
    Ok(())
}

/// Init(r) at a point of the whole address space, from the verifier's own
/// image and inputs; `image` must be sorted by index and lie above the
/// input region (it is in RAM).
pub fn init_eval<F: JoltField>(
    space: &AddressSpace,
    image: &[(usize, u32)],
    inputs: &[u8],
    r: &[F],
) -> F {
    let entries = words_of(space.input_start(), inputs)
        .chain(image.iter().copied())
        .map(|(i, w)| (i, w as u64));
    sparse_mle(r, entries)
}

/// The words the output check constrains, with their claimed values (zeros
/// included): of a proof that ends the run (`last`), or of one that hands
/// the run on (x0 and the termination word, both 0).
fn claimed_words(space: &AddressSpace, io: &ProgramIO, last: bool) -> Vec<(usize, u32)> {
    let mut words = vec![(0usize, 0u32)];
    if !last {
        words.push((space.termination_word(), 0));
        return words;
    }
    let output_words = space.layout().max_output_size as usize / 4;
    let mut outputs = vec![0u32; output_words];
    for (i, w) in words_of(0, &io.outputs) {
        outputs[i] = w;
    }
    words.extend(
        outputs
            .into_iter()
            .enumerate()
            .map(|(i, w)| (space.output_start() + i, w)),
    );
    words.push((space.panic_word(), io.panicked as u32));
    words.push((space.termination_word(), 1));
    words
}

/// io(y) at a point of the low sub-cube.
fn io_mask_eval<F: JoltField>(space: &AddressSpace, last: bool, r: &[F]) -> F {
    let first_checked = if last {
        space.output_start()
    } else {
        space.termination_word()
    };
    interval_mle(r, 0..1) + interval_mle(r, first_checked..space.termination_word() + 1)
}

/// claimed(y) at a point of the low sub-cube, from the nonzero claims.
fn claimed_eval<F: JoltField>(space: &AddressSpace, io: &ProgramIO, last: bool, r: &[F]) -> F {
    let entries = claimed_words(space, io, last)
        .into_iter()
        .filter(|(_, w)| *w != 0)
        .map(|(i, w)| (i, w as u64));
    sparse_mle(r, entries)
}

/// The output zero-check: its sumcheck and Final(0…0, r').
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct OutputProof<F: JoltField> {
    pub sumcheck: SumcheckProof<F>,
    pub final_value_eval: F,
}

/// The full-space point (0…0, r') of the claim on Final.
fn full_point<F: JoltField>(space: &AddressSpace, r_low: &[F]) -> Vec<F> {
    let mut point = vec![F::zero(); space.num_vars() - r_low.len()];
    point.extend_from_slice(r_low);
    point
}

/// Proves the final memory's I/O words are `io` (`last`: the proof ends
/// the run) or that the run goes on (not `last`); returns the proof and the
/// claim (point, value) on `FinalValue`.
pub fn prove_outputs<F: JoltField>(
    space: &AddressSpace,
    final_value: &[u32],
    io: &ProgramIO,
    last: bool,
    transcript: &mut Transcript,
) -> (OutputProof<F>, (Vec<F>, F)) {
    let k = space.io_num_vars();
    let r_z: Vec<F> = transcript.challenge_vector(b"memory output r", k);
    let size = 1usize << k;
    let mut mask = vec![0u8; size];
    let mut claimed = vec![0u32; size];
    for (i, w) in claimed_words(space, io, last) {
        mask[i] = 1;
        claimed[i] = w;
    }
    let polys = vec![
        DensePolynomial::new(EqPolynomial::new(r_z).evals()),
        DensePolynomial::from_u8s(&mask),
        DensePolynomial::from_u32s(&final_value[..size]),
        DensePolynomial::from_u32s(&claimed),
    ];
    // The honest sum is zero; the prover states what it computed, and the
    // verifier insists on zero.
    let mut instance = DenseSumcheck::new(polys, 3, |v: &[F]| v[0] * v[1] * (v[2] - v[3]));
    let (sumcheck, r_low) = SumcheckProof::prove(&mut instance, transcript);
    let final_value_eval = instance.final_evals()[2];
    transcript.append_scalar(b"memory output eval", &final_value_eval);
    let point = full_point(space, &r_low);
    (
        OutputProof {
            sumcheck,
            final_value_eval,
        },
        (point, final_value_eval),
    )
}

/// Verifies the output check against the verifier's `io` (`last`) or that
/// the run goes on (not `last`); returns the claim (point, value) on
/// `FinalValue`.
pub fn verify_outputs<F: JoltField>(
    proof: &OutputProof<F>,
    space: &AddressSpace,
    io: &ProgramIO,
    last: bool,
    transcript: &mut Transcript,
) -> Result<(Vec<F>, F), VerifyError> {
    let k = space.io_num_vars();
    let r_z: Vec<F> = transcript.challenge_vector(b"memory output r", k);
    let claim = SumcheckClaim {
        claim: F::zero(),
        num_rounds: k,
        degree: 3,
    };
    let (r_low, expected) = proof.sumcheck.verify(PROTOCOL, claim, transcript)?;
    let summand = EqPolynomial::new(r_z).evaluate(&r_low)
        * io_mask_eval(space, last, &r_low)
        * (proof.final_value_eval - claimed_eval(space, io, last, &r_low));
    if summand != expected {
        return Err(VerifyError::FinalClaimMismatch { protocol: PROTOCOL });
    }
    transcript.append_scalar(b"memory output eval", &proof.final_value_eval);
    Ok((full_point(space, &r_low), proof.final_value_eval))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracer::MemoryLayout;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn small_space() -> AddressSpace {
        AddressSpace::full(MemoryLayout::new(1 << 12, 1 << 10, 64, 64).unwrap())
    }

    #[test]
    fn init_eval_matches_the_dense_initial_memory() {
        let space = small_space();
        let mut rng = ChaCha20Rng::seed_from_u64(73);
        let base = space.ram_region().start + 40;
        let image: Vec<(usize, u32)> = (0..300).map(|i| (base + 3 * i, 7 + i as u32)).collect();
        let inputs: Vec<u8> = (1..=23).collect();
        let dense = initial_memory(&space, &image, &inputs);
        let r: Vec<Fr> = (0..space.num_vars()).map(|_| Fr::rand(&mut rng)).collect();
        assert_eq!(
            init_eval(&space, &image, &inputs, &r),
            DensePolynomial::<Fr>::from_u32s(&dense).evaluate(&r)
        );
    }

    #[test]
    fn io_mask_and_claimed_values_match_their_tables() {
        let space = small_space();
        let io = ProgramIO {
            inputs: vec![1, 2],
            outputs: vec![9, 0, 0, 0, 5],
            panicked: true,
        };
        let size = 1 << space.io_num_vars();
        let tables = |last: bool| {
            let mut mask = vec![0u32; size];
            let mut claimed = vec![0u32; size];
            for (i, w) in claimed_words(&space, &io, last) {
                mask[i] = 1;
                claimed[i] = w;
            }
            (mask, claimed)
        };
        let (mask, claimed) = tables(true);
        assert_eq!(claimed[space.output_start()], 9);
        assert_eq!(claimed[space.output_start() + 1], 5);
        assert_eq!(claimed[space.panic_word()], 1);
        assert_eq!(claimed[space.termination_word()], 1);
        assert_eq!(mask[space.output_start() - 1], 0);
        let mut rng = ChaCha20Rng::seed_from_u64(74);
        let r: Vec<Fr> = (0..space.io_num_vars())
            .map(|_| Fr::rand(&mut rng))
            .collect();
        for last in [true, false] {
            let (mask, claimed) = tables(last);
            assert_eq!(
                io_mask_eval(&space, last, &r),
                DensePolynomial::<Fr>::from_u32s(&mask).evaluate(&r)
            );
            assert_eq!(
                claimed_eval(&space, &io, last, &r),
                DensePolynomial::<Fr>::from_u32s(&claimed).evaluate(&r)
            );
        }
        // A segment that goes on claims only x0 and a zero termination word.
        let (mask, claimed) = tables(false);
        assert_eq!(mask.iter().sum::<u32>(), 2);
        assert_eq!(mask[space.termination_word()], 1);
        assert!(claimed.iter().all(|&w| w == 0));
    }
}
