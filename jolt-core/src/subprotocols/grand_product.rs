//! Batched grand products and sums of fractions as one layered binary
//! circuit (GKR).
//!
//! Proves, for a batch of leaf vectors of 2^n_k entries each, the product
//! Π_x V(x) of a product vector and the sum Σ_x p(x)/q(x) of a fraction
//! vector (as the pair P/Q, the sum's unreduced numerator and denominator),
//! and hands on the claims "leaf polynomial V (or p, q) evaluates to … at
//! `r`" ([`LeafClaims`]) for the caller to open with the PCS. A fraction
//! vector's numerators may all be 1 (a lookup's reads): then none are
//! committed, claimed or sent.
//!
//! **Layers.** Layer n_k holds vector k's leaves; layer m < n_k has 2^m
//! entries, each combining the two halves of layer m + 1 (the new variable
//! is the top one): V_m(x) = V(0, x)·V(1, x) for a product, and for a
//! fraction
//!   p_m(x) = p(0, x)·q(1, x) + p(1, x)·q(0, x),   q_m(x) = q(0, x)·q(1, x),
//! the sum of the two fractions p(0, x)/q(0, x) + p(1, x)/q(1, x). Layer 0
//! is the product, or P/Q.
//!
//! **One layer.** A product contributes one claim (its V) at the common
//! point r_m and a fraction two (its p and its q). The claims c_j, every
//! fraction's p first (in vector order), then every vector's V or q, are
//! combined with powers γ^j of one challenge (none for a single product),
//! and one degree-3 sumcheck over m variables proves
//!   Σ_j γ^j·c_j = Σ_x eq(r_m, x)·Σ_j γ^j·g_j(x),
//! where g_j is the layer's rule above for that claim, in the halves
//! L = (·)(0, x), R = (·)(1, x) of layer m + 1. The prover sends the halves'
//! evaluations at the sumcheck's point r' (`left`, `right` for V or q;
//! `left_num`, `right_num` for p); the verifier checks the sumcheck's final
//! value equals eq(r_m, r')·Σ_j γ^j·g_j of them, absorbs them, draws ρ and
//! continues with r_{m+1} = (ρ, r') and each claim L + ρ·(R − L): the two
//! halves' claims become one because ρ is exactly the top variable of
//! layer m + 1. Numerators that are all 1 are 1 at every point, so for
//! such a vector the last layer sends no `left_num`, `right_num`.
//!
//! Transcript labels, in order: `grand product outputs`, `fraction sum
//! numerators` (if any vector is a fraction); per layer `grand product
//! gamma` (more than one claim), the layer sumcheck's labels, `grand
//! product left`, `grand product right`, `fraction sum left`, `fraction sum
//! right` (the last two if numerators are sent), `grand product rho`.
//!
//! **Vectors of different sizes** share the layers from the output down:
//! layer m involves the vectors with more than m variables (in batch
//! order), and a vector of 2^n leaves leaves the circuit after layer
//! n − 1, with its leaf claims at r_n. So one sumcheck per layer serves
//! every vector, and a batch whose deepest vector has n variables costs
//! n(n − 1)/2 rounds however many depths it mixes; vectors of equal size
//! share their leaf point. At a vector's last layer its rule reads its
//! leaves (numerators 1 where they are all 1), as above.

use super::sumcheck::{SumcheckClaim, SumcheckInstance, SumcheckProof};
use crate::codec::ProofVec;
use crate::error::{check_shape, VerifyError};
use crate::field::JoltField;
use crate::poly::{
    par_chunk_len, par_chunk_len_at_least, DensePolynomial, EqPolynomial, SplitEqPolynomial,
    PAR_THRESHOLD,
};
use crate::transcript::Transcript;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rayon::prelude::*;

/// One vector of a batch, as the prover holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leaves<F> {
    /// Proves Π_x V(x).
    Product(Vec<F>),
    /// Proves Σ_x p(x)/q(x); `numerators: None` means every p(x) is 1.
    Fraction {
        numerators: Option<Vec<F>>,
        denominators: Vec<F>,
    },
}

/// What the verifier knows of a vector before reading the proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeafKind {
    Product,
    /// A fraction vector with committed numerators.
    Fraction,
    /// A fraction vector whose numerators are all 1.
    UnitFraction,
}

impl LeafKind {
    fn has_numerators(self) -> bool {
        self != LeafKind::Product
    }

    /// Whether the layer above the leaves gets the leaf numerators from the
    /// proof (not for products, nor for numerators that are all 1).
    fn sends_leaf_numerators(self) -> bool {
        self == LeafKind::Fraction
    }
}

impl<F> Leaves<F> {
    pub fn kind(&self) -> LeafKind {
        match self {
            Leaves::Product(_) => LeafKind::Product,
            Leaves::Fraction {
                numerators: Some(_),
                ..
            } => LeafKind::Fraction,
            Leaves::Fraction {
                numerators: None, ..
            } => LeafKind::UnitFraction,
        }
    }

    fn len(&self) -> usize {
        match self {
            Leaves::Product(v) => v.len(),
            Leaves::Fraction { denominators, .. } => denominators.len(),
        }
    }
}

/// The claims a batch hands on: `evals[k]` is vector k's V or q at the
/// point of its size, and `numerator_evals[j]` the j-th fraction vector's
/// p there (1 for numerators that are all 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafClaims<F> {
    /// `points[n]` is r_n, the point of the layer of 2^n entries, for n
    /// from 0 to the deepest vector's size: the leaves of every vector of
    /// 2^n entries are claimed there (`points[n][0]` the top variable).
    pub points: Vec<Vec<F>>,
    pub evals: Vec<F>,
    pub numerator_evals: Vec<F>,
}

impl<F> LeafClaims<F> {
    /// The point the leaves of a vector of 2^`num_vars` entries are
    /// claimed at.
    ///
    /// # Panics
    /// If no vector of the batch is that large (a caller's invariant).
    pub fn point(&self, num_vars: usize) -> &[F] {
        &self.points[num_vars]
    }
}

/// One layer: the batched sumcheck and the evaluations of both halves.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct GrandProductLayerProof<F: JoltField> {
    pub sumcheck: SumcheckProof<F>,
    /// V or q, per vector.
    pub left: ProofVec<F>,
    pub right: ProofVec<F>,
    /// p, per fraction vector (at the last layer only those whose leaf
    /// numerators are committed).
    pub left_num: ProofVec<F>,
    pub right_num: ProofVec<F>,
}

/// Layers are ordered from the output (layer 0, no sumcheck rounds) to the
/// deepest vector's leaves (n − 1 rounds); layer m carries the vectors
/// with more than m variables.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct GrandProductProof<F: JoltField> {
    /// Per vector: the product, or a fraction's Q.
    pub outputs: ProofVec<F>,
    /// Per fraction vector: its P.
    pub numerator_outputs: ProofVec<F>,
    pub layers: ProofVec<GrandProductLayerProof<F>>,
}

/// One layer of one vector: V or q, and p unless a product's or implicit
/// (all 1).
struct Layer<F> {
    num: Option<Vec<F>>,
    den: Vec<F>,
}

impl<F: JoltField> GrandProductProof<F> {
    /// Proves the products of all `leaves` vectors at once.
    ///
    /// # Panics
    /// As [`Self::prove_batch`].
    pub fn prove(leaves: Vec<Vec<F>>, transcript: &mut Transcript) -> (Self, LeafClaims<F>) {
        Self::prove_batch(
            leaves.into_iter().map(Leaves::Product).collect(),
            transcript,
        )
    }

    /// Proves every vector's product or sum of fractions at once; the
    /// vectors may differ in size (see the module doc).
    ///
    /// An empty batch has no outputs and no layers.
    ///
    /// # Panics
    /// If a vector is not a power of two long, or a fraction's numerators
    /// differ in length from its denominators (prover-side invariants).
    pub fn prove_batch(
        leaves: Vec<Leaves<F>>,
        transcript: &mut Transcript,
    ) -> (Self, LeafClaims<F>) {
        let kinds: Vec<LeafKind> = leaves.iter().map(Leaves::kind).collect();
        let num_vars: Vec<usize> = leaves
            .iter()
            .map(|l| {
                let len = l.len();
                assert!(
                    len.is_power_of_two(),
                    "leaf count {len} is not a power of two"
                );
                len.trailing_zeros() as usize
            })
            .collect();
        // stacks[k] = vector k's layers, its leaves first and its output
        // last, so that popping yields them from the output down.
        let mut stacks: Vec<Vec<Layer<F>>> = leaves
            .into_par_iter()
            .zip(&kinds)
            .map(|(l, &kind)| {
                let leaf_layer = match l {
                    Leaves::Product(den) => Layer { num: None, den },
                    Leaves::Fraction {
                        numerators,
                        denominators,
                    } => Layer {
                        num: numerators,
                        den: denominators,
                    },
                };
                assert!(
                    leaf_layer
                        .num
                        .as_ref()
                        .is_none_or(|n| n.len() == leaf_layer.den.len()),
                    "numerators and denominators differ in length"
                );
                let mut stack = vec![leaf_layer];
                // Invariant: the stack is non-empty (the leaves are in it).
                while stack.last().unwrap().den.len() > 1 {
                    let above = combine_halves(kind, stack.last().unwrap());
                    stack.push(above);
                }
                stack
            })
            .collect();

        // Invariant: every stack holds at least its output layer.
        let top: Vec<Layer<F>> = stacks.iter_mut().map(|s| s.pop().unwrap()).collect();
        let outputs: Vec<F> = top.iter().map(|v| v.den[0]).collect();
        let numerator_outputs: Vec<F> = top
            .iter()
            .zip(&kinds)
            .filter(|(_, k)| k.has_numerators())
            .map(|(v, _)| v.num.as_ref().map_or(F::one(), |n| n[0]))
            .collect();
        absorb_outputs(transcript, &outputs, &numerator_outputs);

        let depth = num_vars.iter().copied().max().unwrap_or(0);
        let mut claims = Claims::new(&kinds, &outputs, &numerator_outputs);
        let mut points: Vec<Vec<F>> = vec![Vec::new()];
        let mut layer_proofs = Vec::with_capacity(depth);
        for m in 0..depth {
            let layer = LayerVectors::new(&kinds, &num_vars, m);
            // Layer m's sumcheck consumes layer m + 1 of each vector, which
            // is no longer needed after it.
            // Invariant: a vector with more than m variables still holds
            // its layers m + 1 and below.
            let below: Vec<Layer<F>> = layer
                .vectors
                .iter()
                .map(|&k| stacks[k].pop().unwrap())
                .collect();
            let gammas = layer_gammas(&layer.kinds, transcript);
            let claim = claims.combine(&layer, &gammas);
            let r = &points[m];
            let mut instance = LayerSumcheck::new(below, &layer.kinds, r, gammas, claim);
            debug_assert_eq!(instance.num_rounds(), m);
            let (sumcheck, r_prime) = SumcheckProof::prove(&mut instance, transcript);
            let halves = instance.final_evals();
            let rho = absorb_halves(transcript, &halves);
            claims.fold(&halves, &layer, rho);
            points.push(std::iter::once(rho).chain(r_prime).collect());
            layer_proofs.push(halves.into_proof(sumcheck));
        }

        let proof = Self {
            outputs: outputs.into(),
            numerator_outputs: numerator_outputs.into(),
            layers: layer_proofs.into(),
        };
        let (evals, numerator_evals) = claims.into_leaf_evals();
        let leaf_claims = LeafClaims {
            points,
            evals,
            numerator_evals,
        };
        (proof, leaf_claims)
    }

    /// Per vector: the claimed product, or a fraction's Q; meaningful once
    /// the proof verified.
    pub fn outputs(&self) -> &[F] {
        &self.outputs
    }

    /// Per fraction vector: the claimed P of P/Q.
    pub fn numerator_outputs(&self) -> &[F] {
        &self.numerator_outputs
    }

    /// Verifies a batch of `batch` products of 2^`num_vars` leaves each and
    /// returns the leaf claims to open. The caller then checks
    /// [`Self::outputs`] against whatever the products must satisfy.
    pub fn verify(
        &self,
        protocol: &'static str,
        batch: usize,
        num_vars: usize,
        transcript: &mut Transcript,
    ) -> Result<LeafClaims<F>, VerifyError> {
        self.verify_batch(
            protocol,
            &vec![LeafKind::Product; batch],
            &vec![num_vars; batch],
            transcript,
        )
    }

    /// Verifies a batch of vectors of the given kinds, vector k of
    /// 2^`num_vars[k]` leaves, and returns the leaf claims to open. The
    /// caller then checks the outputs against whatever they must satisfy.
    pub fn verify_batch(
        &self,
        protocol: &'static str,
        kinds: &[LeafKind],
        num_vars: &[usize],
        transcript: &mut Transcript,
    ) -> Result<LeafClaims<F>, VerifyError> {
        let batch = kinds.len();
        check_shape(protocol, "vector sizes", batch, num_vars.len())?;
        let fractions = kinds.iter().filter(|k| k.has_numerators()).count();
        let depth = num_vars.iter().copied().max().unwrap_or(0);
        check_shape(protocol, "grand product outputs", batch, self.outputs.len())?;
        check_shape(
            protocol,
            "fraction sum numerators",
            fractions,
            self.numerator_outputs.len(),
        )?;
        check_shape(protocol, "grand product layers", depth, self.layers.len())?;
        for (m, layer) in self.layers.iter().enumerate() {
            let vectors = LayerVectors::new(kinds, num_vars, m);
            let involved = vectors.vectors.len();
            let nums = (0..involved)
                .filter(|&j| vectors.sends_numerators(j))
                .count();
            check_shape(
                protocol,
                "left claims per layer",
                involved,
                layer.left.len(),
            )?;
            check_shape(
                protocol,
                "right claims per layer",
                involved,
                layer.right.len(),
            )?;
            check_shape(
                protocol,
                "left numerators per layer",
                nums,
                layer.left_num.len(),
            )?;
            check_shape(
                protocol,
                "right numerators per layer",
                nums,
                layer.right_num.len(),
            )?;
        }
        // A vector of one leaf is its output, so numerators that are all 1
        // must be claimed as 1.
        let mut fraction_outputs = self.numerator_outputs.iter();
        for (&kind, &n) in kinds.iter().zip(num_vars) {
            if !kind.has_numerators() {
                continue;
            }
            // Invariant: one numerator output per fraction (checked above).
            let p = fraction_outputs.next().unwrap();
            if n == 0 && !kind.sends_leaf_numerators() && !p.is_one() {
                return Err(VerifyError::OutputMismatch {
                    protocol,
                    what: "a sum of fractions whose numerators are 1",
                });
            }
        }

        absorb_outputs(transcript, &self.outputs, &self.numerator_outputs);
        let mut claims = Claims::new(kinds, &self.outputs, &self.numerator_outputs);
        let mut points: Vec<Vec<F>> = vec![Vec::new()];
        for (m, layer) in self.layers.iter().enumerate() {
            let vectors = LayerVectors::new(kinds, num_vars, m);
            let gammas = layer_gammas(&vectors.kinds, transcript);
            let claim = claims.combine(&vectors, &gammas);
            let sumcheck_claim = SumcheckClaim {
                claim,
                num_rounds: m,
                degree: 3,
            };
            let (r_prime, expected) =
                layer
                    .sumcheck
                    .verify(protocol, sumcheck_claim, transcript)?;
            let halves = Halves {
                left: layer.left.to_vec(),
                right: layer.right.to_vec(),
                left_num: layer.left_num.to_vec(),
                right_num: layer.right_num.to_vec(),
            };
            if EqPolynomial::new(points[m].clone()).evaluate(&r_prime)
                * halves.combine(&vectors, &gammas)
                != expected
            {
                return Err(VerifyError::LayerClaimMismatch { protocol, layer: m });
            }
            let rho = absorb_halves(transcript, &halves);
            claims.fold(&halves, &vectors, rho);
            points.push(std::iter::once(rho).chain(r_prime).collect());
        }
        let (evals, numerator_evals) = claims.into_leaf_evals();
        Ok(LeafClaims {
            points,
            evals,
            numerator_evals,
        })
    }
}

/// The vectors layer m serves: those with more than m variables, in
/// batch order, with their kinds and whether the layer's halves are their
/// leaves (the layer is their last).
struct LayerVectors {
    /// Batch indices.
    vectors: Vec<usize>,
    kinds: Vec<LeafKind>,
    at_leaves: Vec<bool>,
}

impl LayerVectors {
    fn new(kinds: &[LeafKind], num_vars: &[usize], m: usize) -> Self {
        let vectors: Vec<usize> = (0..num_vars.len()).filter(|&k| num_vars[k] > m).collect();
        LayerVectors {
            kinds: vectors.iter().map(|&k| kinds[k]).collect(),
            at_leaves: vectors.iter().map(|&k| num_vars[k] == m + 1).collect(),
            vectors,
        }
    }

    /// Whether the layer's proof carries p's halves for its j-th vector:
    /// for every fraction, except at the last layer of one whose
    /// numerators are all 1 (its p there is L + R, its leaf numerator 1).
    fn sends_numerators(&self, j: usize) -> bool {
        let kind = self.kinds[j];
        kind.has_numerators() && (!self.at_leaves[j] || kind.sends_leaf_numerators())
    }
}

fn absorb_outputs<F: JoltField>(transcript: &mut Transcript, outputs: &[F], numerators: &[F]) {
    transcript.append_scalars(b"grand product outputs", outputs);
    if !numerators.is_empty() {
        transcript.append_scalars(b"fraction sum numerators", numerators);
    }
}

/// Absorbs a layer's halves and draws ρ.
fn absorb_halves<F: JoltField>(transcript: &mut Transcript, halves: &Halves<F>) -> F {
    transcript.append_scalars(b"grand product left", &halves.left);
    transcript.append_scalars(b"grand product right", &halves.right);
    if !halves.left_num.is_empty() {
        transcript.append_scalars(b"fraction sum left", &halves.left_num);
        transcript.append_scalars(b"fraction sum right", &halves.right_num);
    }
    transcript.challenge_scalar(b"grand product rho")
}

/// Every vector's claims, at the point of the last layer that involved it
/// (its leaves' point once it has left the circuit): V or q, and p for a
/// fraction.
struct Claims<F> {
    den: Vec<F>,
    num: Vec<Option<F>>,
}

impl<F: JoltField> Claims<F> {
    /// The output claims: each vector's product or Q, each fraction's P.
    fn new(kinds: &[LeafKind], outputs: &[F], numerator_outputs: &[F]) -> Self {
        let mut p = numerator_outputs.iter();
        Claims {
            den: outputs.to_vec(),
            // Invariant: one numerator output per fraction vector (the
            // prover builds them so; the verifier checked the shape).
            num: kinds
                .iter()
                .map(|k| k.has_numerators().then(|| *p.next().unwrap()))
                .collect(),
        }
    }

    /// Σ_j γ^j·c_j over the claims of the vectors a layer serves, in the
    /// order of [`layer_gammas`]: every fraction's p, then every V or q.
    fn combine(&self, layer: &LayerVectors, gammas: &[F]) -> F {
        let nums = layer.vectors.iter().filter_map(|&k| self.num[k]);
        let dens = layer.vectors.iter().map(|&k| self.den[k]);
        nums.chain(dens).zip(gammas).map(|(c, g)| *g * c).sum()
    }

    /// The claims of the vectors `layer` serves at the next layer's point,
    /// L + ρ·(R − L) each; a fraction whose numerators are all 1 and whose
    /// halves were its leaves has p = 1 there.
    fn fold(&mut self, halves: &Halves<F>, layer: &LayerVectors, rho: F) {
        let fold = |l: F, r: F| l + rho * (r - l);
        let mut sent = 0;
        for (j, &k) in layer.vectors.iter().enumerate() {
            self.den[k] = fold(halves.left[j], halves.right[j]);
            if layer.kinds[j].has_numerators() {
                self.num[k] = Some(if layer.sends_numerators(j) {
                    sent += 1;
                    fold(halves.left_num[sent - 1], halves.right_num[sent - 1])
                } else {
                    F::one()
                });
            }
        }
    }

    /// The leaf claims: V or q per vector, p per fraction vector.
    fn into_leaf_evals(self) -> (Vec<F>, Vec<F>) {
        (self.den, self.num.into_iter().flatten().collect())
    }
}

/// The halves' evaluations at a layer's sumcheck point.
struct Halves<F> {
    left: Vec<F>,
    right: Vec<F>,
    left_num: Vec<F>,
    right_num: Vec<F>,
}

impl<F: JoltField> Halves<F> {
    /// Σ_j γ^j·g_j(L, R), the layer rule of every claim of the vectors
    /// `layer` serves.
    fn combine(&self, layer: &LayerVectors, gammas: &[F]) -> F {
        let kinds = &layer.kinds;
        let (num_gammas, den_gammas) = gammas.split_at(gammas.len() - kinds.len());
        let mut sum = F::zero();
        let mut sent = 0;
        let mut fraction = 0;
        for (k, kind) in kinds.iter().enumerate() {
            let (l, r) = (self.left[k], self.right[k]);
            sum += den_gammas[k] * l * r;
            if kind.has_numerators() {
                let p = if layer.sends_numerators(k) {
                    let p = self.left_num[sent] * r + self.right_num[sent] * l;
                    sent += 1;
                    p
                } else {
                    l + r
                };
                sum += num_gammas[fraction] * p;
                fraction += 1;
            }
        }
        sum
    }

    fn into_proof(self, sumcheck: SumcheckProof<F>) -> GrandProductLayerProof<F> {
        GrandProductLayerProof {
            sumcheck,
            left: self.left.into(),
            right: self.right.into(),
            left_num: self.left_num.into(),
            right_num: self.right_num.into(),
        }
    }
}

/// γ^j for every claim of a layer: the numerator claims first (fraction
/// vectors in order), then the V or q claims (all vectors in order); a
/// single product needs no combination.
fn layer_gammas<F: JoltField>(kinds: &[LeafKind], transcript: &mut Transcript) -> Vec<F> {
    let claims = kinds.len() + kinds.iter().filter(|k| k.has_numerators()).count();
    if claims == 1 {
        vec![F::one()]
    } else {
        transcript.challenge_powers(b"grand product gamma", claims)
    }
}

/// The layer above `below`: products of the halves, and for a fraction
/// the sum of the halves' fractions.
fn combine_halves<F: JoltField>(kind: LeafKind, below: &Layer<F>) -> Layer<F> {
    let half = below.den.len() / 2;
    let (ql, qr) = below.den.split_at(half);
    let den = map_pairs(half, |i| ql[i] * qr[i]);
    let num = match (&below.num, kind.has_numerators()) {
        (_, false) => None,
        (None, true) => Some(map_pairs(half, |i| ql[i] + qr[i])),
        (Some(p), true) => {
            let (pl, pr) = p.split_at(half);
            // Numerators are often zero (a table's cells that no step
            // read, and every node above only such cells).
            Some(map_pairs(half, |i| {
                if pl[i].is_zero() && pr[i].is_zero() {
                    F::zero()
                } else {
                    pl[i] * qr[i] + pr[i] * ql[i]
                }
            }))
        }
    };
    Layer { num, den }
}

fn map_pairs<F: JoltField>(half: usize, f: impl Fn(usize) -> F + Sync + Send) -> Vec<F> {
    if half < PAR_THRESHOLD {
        (0..half).map(f).collect()
    } else {
        (0..half)
            .into_par_iter()
            .with_min_len(par_chunk_len(half))
            .map(f)
            .collect()
    }
}

/// Fewest (pair, vector) terms a layer-sumcheck task handles: about half a
/// millisecond of field work, far above rayon's cost of a task.
const PAR_MIN_PAIR_VECTORS: usize = 1 << 10;

/// One vector's halves of layer m + 1 in the layer sumcheck.
struct VectorHalves<F: JoltField> {
    left: DensePolynomial<F>,
    right: DensePolynomial<F>,
    /// p's halves, if the proof carries them at this layer.
    num: Option<(DensePolynomial<F>, DensePolynomial<F>)>,
    /// γ of the V or q claim.
    den_gamma: F,
    den_gamma_is_one: bool,
    /// γ of the p claim, for a fraction vector.
    num_gamma: Option<F>,
    /// Set if the halves were scaled by their γs (see [`scale_by_gammas`]):
    /// then the rule needs no γ multiplication per pair, and these factors
    /// turn the final evaluations of left, p's left and p's right back
    /// into those of the layer's own halves.
    unscale: Option<[F; 3]>,
}

/// Scales a vector's halves so that its γ-weighted rule is a plain one:
/// γ_q·L·R for products, and for fractions with numerators
/// γ_q·q_L·q_R + γ_p·(p_L·q_R + p_R·q_L) with q_L ← γ_q·q_L, p_L ← γ_p·p_L
/// and p_R ← (γ_p/γ_q)·p_R. Binding is linear, so the scaled halves stay
/// the scaled bindings of the layer's halves through every round. One
/// multiplication per entry of each scaled half, once per layer, instead
/// of two per pair and round. Returns the factors that undo the scaling
/// of the final evaluations (left, p's left, p's right), or `None` where
/// a γ is zero or 1 (no inverse, or nothing to save) or the numerators
/// are implicit.
fn scale_by_gammas<F: JoltField>(v: &mut VectorHalves<F>) -> Option<[F; 3]> {
    let g = v.den_gamma;
    if v.den_gamma_is_one {
        return None;
    }
    let g_inv = g.inverse()?;
    let scale = |p: &mut DensePolynomial<F>, by: F| {
        p.evals_mut()
            .par_iter_mut()
            .with_min_len(PAR_THRESHOLD)
            .for_each(|x| *x *= by);
    };
    match (&mut v.num, v.num_gamma) {
        (None, None) => {
            scale(&mut v.left, g);
            Some([g_inv, F::one(), F::one()])
        }
        (Some((pl, pr)), Some(gp)) => {
            let gp_inv = gp.inverse()?;
            scale(&mut v.left, g);
            scale(pl, gp);
            scale(pr, gp * g_inv);
            Some([g_inv, gp_inv, g * gp_inv])
        }
        _ => None,
    }
}

/// Σ_x eq(r_m, x)·Σ_j γ^j·g_j(L(x), R(x)) over the halves of layer m + 1.
/// The eq factor is split off ([`SplitEqPolynomial`]): per pair of entries
/// and claim, the rule at X = 0, 2 and the binds, instead of also three eq
/// multiplications and an eq bind.
struct LayerSumcheck<F: JoltField> {
    eq: SplitEqPolynomial<F>,
    vectors: Vec<VectorHalves<F>>,
    claim: F,
}

fn split_halves<F: JoltField>(mut v: Vec<F>) -> (DensePolynomial<F>, DensePolynomial<F>) {
    // The front half stays in place; the back half is copied out, in
    // parallel when it is large (a serial copy of the deep layers left a
    // core idle).
    let half = v.len() / 2;
    let right: Vec<F> = if half < PAR_THRESHOLD {
        v[half..].to_vec()
    } else {
        v[half..]
            .par_iter()
            .with_min_len(par_chunk_len(half))
            .copied()
            .collect()
    };
    v.truncate(half);
    (DensePolynomial::new(v), DensePolynomial::new(right))
}

impl<F: JoltField> LayerSumcheck<F> {
    fn new(below: Vec<Layer<F>>, kinds: &[LeafKind], r: &[F], gammas: Vec<F>, claim: F) -> Self {
        let (num_gammas, den_gammas) = gammas.split_at(gammas.len() - kinds.len());
        let mut num_gammas = num_gammas.iter();
        let vectors = below
            .into_iter()
            .zip(kinds)
            .zip(den_gammas)
            .map(|((layer, kind), &den_gamma)| {
                let (left, right) = split_halves(layer.den);
                VectorHalves {
                    left,
                    right,
                    num: layer.num.map(split_halves),
                    den_gamma,
                    den_gamma_is_one: den_gamma == F::one(),
                    // Invariant: one γ per fraction vector.
                    num_gamma: kind.has_numerators().then(|| *num_gammas.next().unwrap()),
                    unscale: None,
                }
            })
            .map(|mut v: VectorHalves<F>| {
                v.unscale = scale_by_gammas(&mut v);
                v
            })
            .collect();
        Self {
            eq: SplitEqPolynomial::new(r),
            vectors,
            claim,
        }
    }

    fn final_evals(&self) -> Halves<F> {
        let mut halves = Halves {
            left: Vec::new(),
            right: Vec::new(),
            left_num: Vec::new(),
            right_num: Vec::new(),
        };
        for v in &self.vectors {
            let [left, left_num, right_num] = v.unscale.unwrap_or([F::one(); 3]);
            halves.left.push(v.left.final_eval() * left);
            halves.right.push(v.right.final_eval());
            if let Some((l, r)) = &v.num {
                halves.left_num.push(l.final_eval() * left_num);
                halves.right_num.push(r.final_eval() * right_num);
            }
        }
        halves
    }

    /// q(X) = Σ_{x'} eq(τ_{j+1..}, x')·Σ_j γ^j·g_j(L(X, x'), R(X, x')) at
    /// X = 0, 1 (only if `WITH_Q1`), 2, over pairs in [start, end).
    fn q_range<const WITH_Q1: bool>(&self, start: usize, end: usize, half: usize) -> [F; 3] {
        let w = self.eq.current_table();
        let mut q = [F::zero(); 3];
        let at = |p: &DensePolynomial<F>, i: usize| -> [F; 3] {
            let (a0, a1) = (p[i], p[i + half]);
            [a0, a1, a1 + a1 - a0]
        };
        // Numerator halves that are zero at both ends of the pair add
        // nothing at any X (a table's unread cells, and the nodes above
        // only such cells).
        let zero_pair = |p: &DensePolynomial<F>, i: usize| p[i].is_zero() && p[i + half].is_zero();
        for (i, &wi) in w.iter().enumerate().take(end).skip(start) {
            let mut acc = [F::zero(); 3];
            for v in &self.vectors {
                let (l, r) = (at(&v.left, i), at(&v.right, i));
                let mut g = [l[0] * r[0], F::zero(), l[2] * r[2]];
                if WITH_Q1 {
                    g[1] = l[1] * r[1];
                }
                if v.unscale.is_some() {
                    if let Some((pl, pr)) = v
                        .num
                        .as_ref()
                        .filter(|(pl, pr)| !(zero_pair(pl, i) && zero_pair(pr, i)))
                    {
                        let (pl, pr) = (at(pl, i), at(pr, i));
                        g[0] += pl[0] * r[0] + pr[0] * l[0];
                        if WITH_Q1 {
                            g[1] += pl[1] * r[1] + pr[1] * l[1];
                        }
                        g[2] += pl[2] * r[2] + pr[2] * l[2];
                    }
                    acc.iter_mut().zip(&g).for_each(|(a, x)| *a += x);
                    continue;
                }
                if !v.den_gamma_is_one {
                    g.iter_mut().for_each(|x| *x *= v.den_gamma);
                }
                if let Some(num_gamma) = v.num_gamma {
                    let halves = v.num.as_ref().map(|(pl, pr)| (at(pl, i), at(pr, i)));
                    let p = |x: usize| match &halves {
                        Some((pl, pr)) => pl[x] * r[x] + pr[x] * l[x],
                        None => l[x] + r[x],
                    };
                    g[0] += num_gamma * p(0);
                    if WITH_Q1 {
                        g[1] += num_gamma * p(1);
                    }
                    g[2] += num_gamma * p(2);
                }
                acc.iter_mut().zip(&g).for_each(|(a, x)| *a += x);
            }
            q[0] += wi * acc[0];
            if WITH_Q1 {
                q[1] += wi * acc[1];
            }
            q[2] += wi * acc[2];
        }
        q
    }

    fn q_evals<const WITH_Q1: bool>(&self) -> [F; 3] {
        let half = self.eq.current_table().len();
        // A pair costs a dozen or more multiplications per vector, so a
        // round is worth splitting well below the pool's usual threshold:
        // the deep layers' last rounds (thousands of pairs, several
        // vectors) otherwise run on one core while the other waits.
        let min_pairs = (PAR_MIN_PAIR_VECTORS / self.vectors.len().max(1)).max(1);
        if half < 2 * min_pairs {
            self.q_range::<WITH_Q1>(0, half, half)
        } else {
            let chunk = par_chunk_len_at_least(half, min_pairs);
            (0..half.div_ceil(chunk))
                .into_par_iter()
                .map(|c| self.q_range::<WITH_Q1>(c * chunk, ((c + 1) * chunk).min(half), half))
                .reduce(
                    || [F::zero(); 3],
                    |mut a, b| {
                        a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                        a
                    },
                )
        }
    }
}

impl<F: JoltField> SumcheckInstance<F> for LayerSumcheck<F> {
    fn degree(&self) -> usize {
        3
    }

    fn num_rounds(&self) -> usize {
        self.eq.num_rounds()
    }

    fn input_claim(&self) -> F {
        self.claim
    }

    fn compute_message(&mut self, _round: usize, previous_claim: F) -> Vec<F> {
        match self
            .eq
            .round_evals(&self.q_evals::<false>(), previous_claim)
        {
            Some(evals) => evals,
            None => self.eq.round_evals_full(&self.q_evals::<true>()),
        }
    }

    fn bind(&mut self, r_j: F, _round: usize) {
        self.eq.bind(r_j);
        self.vectors.par_iter_mut().for_each(|v| {
            v.left.bind_top(r_j);
            v.right.bind_top(r_j);
            if let Some((l, r)) = &mut v.num {
                // A table's numerators (its multiplicities) are mostly
                // zero when T is below its size.
                l.bind_top_sparse(r_j);
                r.bind_top_sparse(r_j);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    const P: &str = "test grand product";

    fn random_leaves(batch: usize, n: usize, rng: &mut ChaCha20Rng) -> Vec<Vec<Fr>> {
        (0..batch)
            .map(|_| (0..1 << n).map(|_| Fr::rand(rng)).collect())
            .collect()
    }

    fn prove(leaves: &[Vec<Fr>]) -> (GrandProductProof<Fr>, LeafClaims<Fr>) {
        GrandProductProof::prove(leaves.to_vec(), &mut Transcript::new(b"gp"))
    }

    fn verify(
        proof: &GrandProductProof<Fr>,
        batch: usize,
        n: usize,
    ) -> Result<LeafClaims<Fr>, VerifyError> {
        proof.verify(P, batch, n, &mut Transcript::new(b"gp"))
    }

    /// The leaf claims a verifier returns are true evaluations of the leaves.
    fn check_leaf_claims(leaves: &[Vec<Fr>], claims: &LeafClaims<Fr>) {
        for (l, v) in leaves.iter().zip(&claims.evals) {
            let point = claims.point(l.len().trailing_zeros() as usize);
            assert_eq!(DensePolynomial::new(l.clone()).evaluate(point), *v);
        }
    }

    #[test]
    fn products_match_direct_products_on_random_sizes() {
        let mut rng = ChaCha20Rng::seed_from_u64(60);
        for n in 0..=16 {
            let batch = 1 + (rng.next_u32() % 3) as usize;
            let leaves = random_leaves(batch, n, &mut rng);
            let (proof, prover_claims) = prove(&leaves);
            for (l, out) in leaves.iter().zip(proof.outputs()) {
                assert_eq!(l.iter().product::<Fr>(), *out, "n = {n}");
            }
            let claims = verify(&proof, batch, n).unwrap();
            assert_eq!(claims, prover_claims);
            assert_eq!(claims.point(n).len(), n);
            check_leaf_claims(&leaves, &claims);
        }
    }

    /// Prover and verifier transcripts end in the same state.
    #[test]
    fn prover_and_verifier_transcripts_stay_in_sync() {
        let mut rng = ChaCha20Rng::seed_from_u64(67);
        let leaves = random_leaves(3, 5, &mut rng);
        let mut tp = Transcript::new(b"gp");
        let (proof, _) = GrandProductProof::prove(leaves, &mut tp);
        let mut tv = Transcript::new(b"gp");
        proof.verify(P, 3, 5, &mut tv).unwrap();
        assert_eq!(tp.log(), tv.log());
        assert_eq!(
            tp.challenge_scalar::<Fr>(b"end"),
            tv.challenge_scalar::<Fr>(b"end")
        );
    }

    #[test]
    fn larger_batches() {
        let mut rng = ChaCha20Rng::seed_from_u64(61);
        let leaves = random_leaves(7, 6, &mut rng);
        let (proof, _) = prove(&leaves);
        check_leaf_claims(&leaves, &verify(&proof, 7, 6).unwrap());
    }

    /// A prover who lies about a product must lie about some layer; every
    /// changed value is caught at that layer or at the leaf opening.
    #[test]
    fn tampered_values_are_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(62);
        let n = 4;
        let leaves = random_leaves(2, n, &mut rng);
        let (proof, _) = prove(&leaves);
        let one = Fr::from(1u64);

        for k in 0..2 {
            let mut bad = proof.clone();
            bad.outputs[k] += one;
            assert!(matches!(
                verify(&bad, 2, n),
                Err(VerifyError::LayerClaimMismatch { layer: 0, .. })
            ));
        }
        for m in 0..n {
            for k in 0..2 {
                for side in 0..2 {
                    let mut bad = proof.clone();
                    let values = if side == 0 {
                        &mut bad.layers[m].left
                    } else {
                        &mut bad.layers[m].right
                    };
                    values[k] += one;
                    assert!(
                        matches!(verify(&bad, 2, n), Err(VerifyError::LayerClaimMismatch { layer, .. }) if layer == m),
                        "layer {m}, product {k}, side {side}"
                    );
                }
            }
            for round in 0..m {
                for c in 0..3 {
                    let mut bad = proof.clone();
                    bad.layers[m].sumcheck.round_polys[round].coeffs_except_linear_term[c] += one;
                    assert!(
                        matches!(verify(&bad, 2, n), Err(VerifyError::LayerClaimMismatch { layer, .. }) if layer == m)
                    );
                }
            }
        }
    }

    /// The last layer's values are only checked against the leaves by the
    /// caller's opening: a changed final claim must not verify as true.
    #[test]
    fn wrong_leaf_claims_fail_the_opening() {
        let mut rng = ChaCha20Rng::seed_from_u64(63);
        let leaves = random_leaves(1, 5, &mut rng);
        let (proof, _) = prove(&leaves);
        let claims = verify(&proof, 1, 5).unwrap();
        // Different leaves with the same product give different leaf claims.
        let mut other = leaves.clone();
        other[0].swap(0, 1);
        let (proof2, _) = prove(&other);
        let claims2 = verify(&proof2, 1, 5).unwrap();
        assert_eq!(proof.outputs, proof2.outputs);
        assert_ne!(
            DensePolynomial::new(leaves[0].clone()).evaluate(claims2.point(5)),
            claims2.evals[0]
        );
        check_leaf_claims(&leaves, &claims);
    }

    /// The layer sumcheck falls back to computing q(1) when it cannot be
    /// derived (a zero coordinate in the layer's point).
    #[test]
    fn layer_sumcheck_with_degenerate_point() {
        let mut rng = ChaCha20Rng::seed_from_u64(66);
        let m = 5;
        let below = random_leaves(2, m + 1, &mut rng);
        let mut r: Vec<Fr> = (0..m).map(|_| Fr::rand(&mut rng)).collect();
        r[2] = Fr::from(0u64);
        let gammas = vec![Fr::from(1u64), Fr::rand(&mut rng)];
        let eq = EqPolynomial::new(r.clone()).evals();
        let half = 1 << m;
        let claim: Fr = (0..half)
            .map(|x| {
                eq[x]
                    * (0..2)
                        .map(|k| gammas[k] * below[k][x] * below[k][x + half])
                        .sum::<Fr>()
            })
            .sum();
        let below = below
            .into_iter()
            .map(|den| Layer { num: None, den })
            .collect();
        let kinds = [LeafKind::Product; 2];
        let mut instance = LayerSumcheck::new(below, &kinds, &r, gammas.clone(), claim);
        let (proof, _) = SumcheckProof::prove(&mut instance, &mut Transcript::new(b"layer"));
        let Halves { left, right, .. } = instance.final_evals();
        let sc = SumcheckClaim {
            claim,
            num_rounds: m,
            degree: 3,
        };
        let (r_prime, expected) = proof.verify(P, sc, &mut Transcript::new(b"layer")).unwrap();
        let products: Fr = (0..2).map(|k| gammas[k] * left[k] * right[k]).sum();
        assert_eq!(EqPolynomial::new(r).evaluate(&r_prime) * products, expected);
    }

    #[test]
    fn wrong_shape_is_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(64);
        let leaves = random_leaves(2, 3, &mut rng);
        let (proof, _) = prove(&leaves);
        assert!(matches!(
            verify(&proof, 3, 3),
            Err(VerifyError::Shape { .. })
        ));
        assert!(matches!(
            verify(&proof, 2, 4),
            Err(VerifyError::Shape { .. })
        ));
        assert!(matches!(
            verify(&proof, 2, 2),
            Err(VerifyError::Shape { .. })
        ));
        let mut bad = proof.clone();
        bad.layers[1].left.pop();
        assert!(matches!(verify(&bad, 2, 3), Err(VerifyError::Shape { .. })));
        let mut bad = proof.clone();
        bad.layers[2].sumcheck.round_polys.pop();
        assert!(matches!(verify(&bad, 2, 3), Err(VerifyError::Shape { .. })));
        let mut bad = proof.clone();
        bad.layers[2].sumcheck.round_polys[0]
            .coeffs_except_linear_term
            .push(Fr::from(0u64));
        assert!(matches!(
            verify(&bad, 2, 3),
            Err(VerifyError::DegreeTooHigh { .. })
        ));
    }

    #[test]
    fn serialization_round_trip_and_truncation() {
        let mut rng = ChaCha20Rng::seed_from_u64(65);
        let leaves = random_leaves(2, 4, &mut rng);
        let (proof, _) = prove(&leaves);
        let mut bytes = Vec::new();
        proof.serialize_compressed(&mut bytes).unwrap();
        let back = GrandProductProof::<Fr>::deserialize_compressed(&bytes[..]).unwrap();
        assert_eq!(back, proof);
        verify(&back, 2, 4).unwrap();
        for cut in 0..bytes.len() {
            assert!(GrandProductProof::<Fr>::deserialize_compressed(&bytes[..cut]).is_err());
        }
        for _ in 0..200 {
            let mut garbage = vec![0u8; (rng.next_u32() % 2000) as usize];
            rng.fill_bytes(&mut garbage);
            if let Ok(p) = GrandProductProof::<Fr>::deserialize_compressed(&garbage[..]) {
                assert!(verify(&p, 2, 4).is_err());
            }
        }
    }

    fn random_fraction(n: usize, unit: bool, rng: &mut ChaCha20Rng) -> Leaves<Fr> {
        Leaves::Fraction {
            numerators: (!unit).then(|| (0..1 << n).map(|_| Fr::rand(rng)).collect()),
            denominators: (0..1 << n).map(|_| Fr::rand(rng)).collect(),
        }
    }

    /// A product, a fraction and a unit fraction of every size in one batch.
    fn mixed(n: usize, rng: &mut ChaCha20Rng) -> Vec<Leaves<Fr>> {
        vec![
            random_fraction(n, true, rng),
            Leaves::Product((0..1 << n).map(|_| Fr::rand(rng)).collect()),
            random_fraction(n, false, rng),
        ]
    }

    fn kinds(leaves: &[Leaves<Fr>]) -> Vec<LeafKind> {
        leaves.iter().map(Leaves::kind).collect()
    }

    fn verify_mixed(
        proof: &GrandProductProof<Fr>,
        kinds: &[LeafKind],
        n: usize,
    ) -> Result<LeafClaims<Fr>, VerifyError> {
        proof.verify_batch(P, kinds, &vec![n; kinds.len()], &mut Transcript::new(b"gp"))
    }

    /// Each vector's outputs are its product, or P/Q its sum of fractions
    /// with Q the product of the denominators, and its leaf claims are its
    /// leaves' evaluations (numerators 1 where implicit) at the point of
    /// its size.
    fn check_outputs_and_leaf_claims(
        leaves: &[Leaves<Fr>],
        num_vars: &[usize],
        proof: &GrandProductProof<Fr>,
        claims: &LeafClaims<Fr>,
    ) {
        let mut fraction = 0;
        for (k, l) in leaves.iter().enumerate() {
            let at =
                |v: &[Fr]| DensePolynomial::new(v.to_vec()).evaluate(claims.point(num_vars[k]));
            match l {
                Leaves::Product(v) => {
                    assert_eq!(proof.outputs()[k], v.iter().product::<Fr>());
                    assert_eq!(claims.evals[k], at(v));
                }
                Leaves::Fraction {
                    numerators,
                    denominators,
                } => {
                    let ones = vec![Fr::from(1u64); denominators.len()];
                    let p = numerators.as_ref().unwrap_or(&ones);
                    let sum: Fr = p.iter().zip(denominators).map(|(p, q)| *p / q).sum();
                    let (big_p, big_q) = (proof.numerator_outputs()[fraction], proof.outputs()[k]);
                    assert_eq!(big_p / big_q, sum, "vector {k}");
                    assert_eq!(big_q, denominators.iter().product::<Fr>());
                    assert_eq!(claims.evals[k], at(denominators));
                    assert_eq!(claims.numerator_evals[fraction], at(p));
                    fraction += 1;
                }
            }
        }
    }

    /// P/Q is the sum of the fractions, the leaf claims are the leaves'
    /// evaluations (numerators 1 where implicit), and the transcripts agree.
    #[test]
    fn fraction_sums_match_direct_sums_on_random_sizes() {
        let mut rng = ChaCha20Rng::seed_from_u64(70);
        for n in 0..=10 {
            prove_and_check_sums(&mixed(n, &mut rng), n);
        }
    }

    /// Proves `leaves` (each of 2^`n`), verifies, and checks the outputs
    /// and leaf claims against the leaves and the transcripts in sync.
    fn prove_and_check_sums(leaves: &[Leaves<Fr>], n: usize) -> GrandProductProof<Fr> {
        let num_vars = vec![n; leaves.len()];
        let mut tp = Transcript::new(b"gp");
        let (proof, prover_claims) = GrandProductProof::prove_batch(leaves.to_vec(), &mut tp);
        let mut tv = Transcript::new(b"gp");
        let claims = proof
            .verify_batch(P, &kinds(leaves), &num_vars, &mut tv)
            .unwrap();
        assert_eq!(claims, prover_claims);
        assert_eq!(tp.log(), tv.log());
        check_outputs_and_leaf_claims(leaves, &num_vars, &proof, &claims);
        proof
    }

    /// Numerators that are mostly zero (a table's multiplicities when few
    /// cells were read; the prover skips their zero pairs) give the same
    /// sums, leaf claims and transcript as any others, and their proof's
    /// every value is still checked.
    #[test]
    fn mostly_zero_numerators_sum_and_are_checked() {
        let mut rng = ChaCha20Rng::seed_from_u64(72);
        for n in [1usize, 6, 13] {
            let sparse = Leaves::Fraction {
                numerators: Some(
                    (0..1usize << n)
                        .map(|i| {
                            if i % 37 == 5 || rng.next_u32() % 16 == 0 {
                                Fr::from(1 + u64::from(rng.next_u32() % 9))
                            } else {
                                Fr::from(0u64)
                            }
                        })
                        .collect(),
                ),
                denominators: (0..1 << n).map(|_| Fr::rand(&mut rng)).collect(),
            };
            let leaves = vec![random_fraction(n, true, &mut rng), sparse];
            let kinds = kinds(&leaves);
            let proof = prove_and_check_sums(&leaves, n);
            if n == 6 {
                every_layer_value_is_rejected_at_its_layer(&proof, |bad, _| {
                    verify_mixed(bad, &kinds, n).is_err()
                });
            }
        }
    }

    /// Every half (numerator halves included) and every round coefficient
    /// of every layer, changed, is rejected at that layer.
    fn every_layer_value_is_rejected_at_its_layer(
        proof: &GrandProductProof<Fr>,
        rejected_at: impl Fn(&GrandProductProof<Fr>, usize) -> bool,
    ) {
        let one = Fr::from(1u64);
        for (m, layer) in proof.layers.iter().enumerate() {
            for k in 0..layer.left.len() {
                let mut bad = proof.clone();
                bad.layers[m].left[k] += one;
                assert!(rejected_at(&bad, m), "layer {m} left {k}");
                let mut bad = proof.clone();
                bad.layers[m].right[k] += one;
                assert!(rejected_at(&bad, m), "layer {m} right {k}");
            }
            for j in 0..layer.left_num.len() {
                let mut bad = proof.clone();
                bad.layers[m].left_num[j] += one;
                assert!(rejected_at(&bad, m), "layer {m} left numerator {j}");
                let mut bad = proof.clone();
                bad.layers[m].right_num[j] += one;
                assert!(rejected_at(&bad, m), "layer {m} right numerator {j}");
            }
            for round in 0..m {
                for c in 0..3 {
                    let mut bad = proof.clone();
                    bad.layers[m].sumcheck.round_polys[round].coeffs_except_linear_term[c] += one;
                    assert!(rejected_at(&bad, m), "layer {m} round {round}");
                }
            }
        }
    }

    /// Every value of a mixed batch's proof is checked: outputs, every half
    /// of every layer (numerators included), every round coefficient.
    #[test]
    fn tampered_fraction_values_are_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(71);
        let n = 3;
        let leaves = mixed(n, &mut rng);
        let kinds = kinds(&leaves);
        let (proof, _) = GrandProductProof::prove_batch(leaves, &mut Transcript::new(b"gp"));
        verify_mixed(&proof, &kinds, n).unwrap();
        let one = Fr::from(1u64);
        let rejected_at = |bad: &GrandProductProof<Fr>, layer: usize| matches!(verify_mixed(bad, &kinds, n), Err(VerifyError::LayerClaimMismatch { layer: l, .. }) if l == layer);
        for k in 0..3 {
            let mut bad = proof.clone();
            bad.outputs[k] += one;
            assert!(rejected_at(&bad, 0), "output {k}");
        }
        for j in 0..2 {
            let mut bad = proof.clone();
            bad.numerator_outputs[j] += one;
            assert!(rejected_at(&bad, 0), "numerator output {j}");
        }
        every_layer_value_is_rejected_at_its_layer(&proof, rejected_at);
        // The unit fraction sends no numerators at the last layer; the
        // committed one does.
        assert_eq!(proof.layers[n - 1].left_num.len(), 1);
        assert_eq!(proof.layers[n - 2].left_num.len(), 2);
    }

    /// Vectors of 2^0 … 2^5 leaves of every kind in one batch, in an order
    /// that mixes the sizes.
    fn mixed_sizes(rng: &mut ChaCha20Rng) -> (Vec<Leaves<Fr>>, Vec<usize>) {
        let num_vars = vec![3, 0, 5, 2, 5, 1, 3, 0];
        let leaves = num_vars
            .iter()
            .enumerate()
            .map(|(k, &n)| match k % 3 {
                0 => random_fraction(n, true, rng),
                1 => Leaves::Product((0..1 << n).map(|_| Fr::rand(rng)).collect()),
                _ => random_fraction(n, false, rng),
            })
            .collect();
        (leaves, num_vars)
    }

    /// Vectors of different sizes share the layers from the output down:
    /// one sumcheck per layer of the deepest, each vector's outputs are
    /// its product or sum and its leaf claims are its leaves' evaluations
    /// at the point of its size.
    #[test]
    fn vectors_of_different_sizes_share_the_layers() {
        let mut rng = ChaCha20Rng::seed_from_u64(73);
        let (leaves, num_vars) = mixed_sizes(&mut rng);
        let kinds = kinds(&leaves);
        let mut tp = Transcript::new(b"gp");
        let (proof, prover_claims) = GrandProductProof::prove_batch(leaves.clone(), &mut tp);
        let mut tv = Transcript::new(b"gp");
        let claims = proof.verify_batch(P, &kinds, &num_vars, &mut tv).unwrap();
        assert_eq!(claims, prover_claims);
        assert_eq!(tp.log(), tv.log());
        assert_eq!(proof.layers.len(), 5);
        for (m, layer) in proof.layers.iter().enumerate() {
            assert_eq!(layer.sumcheck.round_polys.len(), m);
            let involved = num_vars.iter().filter(|&&n| n > m).count();
            assert_eq!(layer.left.len(), involved, "layer {m}");
        }
        check_outputs_and_leaf_claims(&leaves, &num_vars, &proof, &claims);
        // Every size has its own point: layer n − 1's (ρ, r'), with r'
        // fresh from that layer's sumcheck.
        for n in 2..=5 {
            assert_eq!(claims.point(n).len(), n);
            assert_ne!(claims.point(n)[1..], claims.point(n - 1)[..]);
        }
    }

    /// In a batch of mixed sizes every value is checked where it is used:
    /// outputs at layer 0, each layer's halves and numerator halves (a
    /// vector's leaf halves at its own last layer) and round coefficients
    /// at that layer.
    #[test]
    fn tampered_values_of_mixed_sizes_are_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(74);
        let (leaves, num_vars) = mixed_sizes(&mut rng);
        let kinds = kinds(&leaves);
        let (proof, _) = GrandProductProof::prove_batch(leaves, &mut Transcript::new(b"gp"));
        let verify = |bad: &GrandProductProof<Fr>| {
            bad.verify_batch(P, &kinds, &num_vars, &mut Transcript::new(b"gp"))
        };
        verify(&proof).unwrap();
        let one = Fr::from(1u64);
        let rejected_at = |bad: &GrandProductProof<Fr>, layer: usize| matches!(verify(bad), Err(VerifyError::LayerClaimMismatch { layer: l, .. }) if l == layer);
        for (k, &n) in num_vars.iter().enumerate() {
            let mut bad = proof.clone();
            bad.outputs[k] += one;
            // A vector of one leaf is its output: it is checked by the
            // caller's opening, not by a layer.
            if n > 0 {
                assert!(rejected_at(&bad, 0), "output {k}");
            }
        }
        // Every fraction here has more than one leaf, so its P is checked
        // by layer 0.
        for j in 0..proof.numerator_outputs.len() {
            let mut bad = proof.clone();
            bad.numerator_outputs[j] += one;
            assert!(rejected_at(&bad, 0), "numerator output {j}");
        }
        every_layer_value_is_rejected_at_its_layer(&proof, rejected_at);
        // The fractions: unit ones of 2^3, 2^2, 2^3 leaves (vectors 0, 3,
        // 6), committed ones of 2^5 and 2^1 (vectors 2, 5). A layer sends
        // p's halves for those it involves, except at a unit fraction's
        // last layer: all five at layer 0 (vector 5's last, committed),
        // vectors 0, 2, 6 at layer 1 (vector 3's last), then only 2.
        let sends = |m: usize| proof.layers[m].left_num.len();
        assert_eq!(
            (sends(0), sends(1), sends(2), sends(3), sends(4)),
            (5, 3, 1, 1, 1)
        );
        // Sizes the proof was not made for.
        let mut other = num_vars.clone();
        other.swap(0, 1);
        assert!(proof
            .verify_batch(P, &kinds, &other, &mut Transcript::new(b"gp"))
            .is_err());
        let mut other = num_vars.clone();
        other[2] = 4;
        assert!(matches!(
            proof.verify_batch(P, &kinds, &other, &mut Transcript::new(b"gp")),
            Err(VerifyError::Shape { .. })
        ));
        assert!(matches!(
            proof.verify_batch(P, &kinds, &num_vars[1..], &mut Transcript::new(b"gp")),
            Err(VerifyError::Shape { .. })
        ));
    }

    /// An empty batch proves and verifies with nothing in it; an output
    /// added to it is a shape error.
    #[test]
    fn an_empty_batch_has_no_outputs_and_no_layers() {
        let (proof, claims) =
            GrandProductProof::<Fr>::prove_batch(Vec::new(), &mut Transcript::new(b"gp"));
        assert!(proof.outputs.is_empty() && proof.layers.is_empty());
        let verified = proof
            .verify_batch(P, &[], &[], &mut Transcript::new(b"gp"))
            .unwrap();
        assert_eq!(verified, claims);
        let mut bad = proof.clone();
        bad.outputs.push(Fr::from(1u64));
        assert!(matches!(
            bad.verify_batch(P, &[], &[], &mut Transcript::new(b"gp")),
            Err(VerifyError::Shape { .. })
        ));
    }

    /// Kinds the proof was not made for, or numerators missing, are shape
    /// errors or fail; a unit fraction of one leaf must claim P = 1.
    #[test]
    fn fraction_kinds_and_shapes_are_checked() {
        let mut rng = ChaCha20Rng::seed_from_u64(72);
        let leaves = mixed(3, &mut rng);
        let kinds = kinds(&leaves);
        let (proof, _) = GrandProductProof::prove_batch(leaves, &mut Transcript::new(b"gp"));
        let mut swapped = kinds.clone();
        swapped.swap(0, 2);
        assert!(verify_mixed(&proof, &swapped, 3).is_err());
        assert!(matches!(
            verify_mixed(&proof, &[LeafKind::Product; 3], 3),
            Err(VerifyError::Shape { .. })
        ));
        let mut bad = proof.clone();
        bad.layers[1].right_num.pop();
        assert!(matches!(
            verify_mixed(&bad, &kinds, 3),
            Err(VerifyError::Shape { .. })
        ));
        let mut bad = proof.clone();
        bad.numerator_outputs.pop();
        assert!(matches!(
            verify_mixed(&bad, &kinds, 3),
            Err(VerifyError::Shape { .. })
        ));

        let single = vec![random_fraction(0, true, &mut rng)];
        let (proof, _) =
            GrandProductProof::prove_batch(single.clone(), &mut Transcript::new(b"gp"));
        verify_mixed(&proof, &[LeafKind::UnitFraction], 0).unwrap();
        let mut bad = proof.clone();
        bad.numerator_outputs[0] += Fr::from(1u64);
        assert!(matches!(
            verify_mixed(&bad, &[LeafKind::UnitFraction], 0),
            Err(VerifyError::OutputMismatch { .. })
        ));
    }
}
