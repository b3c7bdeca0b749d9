//! Spartan on small synthetic constraint systems: completeness, and
//! rejection of a violated constraint (within a step and across steps) and
//! of every tampered proof field.

use super::builder::{Builder, LinearCombination as Lc, UniformR1cs, Variable};
use super::spartan::{verify, R1csColumn, SpartanProof};
use super::witness::OwnedR1csWitness;
use crate::opening::OpeningClaim;
use crate::pcs::Column;
use crate::trace_length::TraceLength;
use crate::transcript::Transcript;
use ark_bn254::Fr;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rand::{Rng, SeedableRng};

const X: usize = 0; // a counter: x_{t+1} = x_t + 1
const A: usize = 1;
const B: usize = 2;
const C: usize = 3; // c = a·b + flag·a
const FLAG: usize = 4; // boolean

/// c = a·b + flag·a, flag boolean, and the counter steps by one.
fn system(t: usize) -> UniformR1cs {
    let mut b = Builder::new(5);
    b.constrain_binary("flag is boolean", Variable::Input(FLAG));
    let ab = b.product("a·b", Variable::Input(A), Variable::Input(B));
    let fa = b.product("flag·a", Variable::Input(FLAG), Variable::Input(A));
    b.constrain_eq(
        "c = a·b + flag·a",
        Variable::Input(C),
        Lc::sum([(ab, 1), (fa, 1)]),
    );
    let next_x = b.next(X, t as i128);
    b.constrain_eq(
        "counter",
        next_x,
        Lc::var(Variable::Input(X)).add_constant(1),
    );
    b.finish()
}

#[allow(clippy::needless_range_loop)] // s indexes five columns at once
fn inputs(t: usize, seed: u64) -> Vec<Vec<Fr>> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut cols = vec![vec![Fr::from(0u64); t]; 5];
    for s in 0..t {
        let (a, b, flag) = (
            rng.gen::<u32>() as u64,
            rng.gen::<u32>() as u64,
            rng.gen_bool(0.5) as u64,
        );
        cols[X][s] = Fr::from(s as u64);
        cols[A][s] = Fr::from(a);
        cols[B][s] = Fr::from(b);
        cols[FLAG][s] = Fr::from(flag);
        cols[C][s] = Fr::from(a) * Fr::from(b) + Fr::from(flag * a);
    }
    cols
}

/// The PCS's job in these tests: every claim must be the column's value.
fn claims_hold(witness: &OwnedR1csWitness<Fr>, claims: &[OpeningClaim<R1csColumn, Fr>]) -> bool {
    let column = |c: R1csColumn| {
        Some(Column::Field(match c {
            R1csColumn::Input(j) => &witness.inputs[j],
            R1csColumn::Aux(k) => &witness.aux[k],
        }))
    };
    crate::testing::claims_hold(column, claims)
}

/// The prover on the witness's narrowed columns (its integer path where
/// the values are small).
fn prove(
    r1cs: &UniformR1cs,
    witness: &OwnedR1csWitness<Fr>,
    transcript: &mut Transcript,
) -> (SpartanProof<Fr>, Vec<OpeningClaim<R1csColumn, Fr>>) {
    super::spartan::prove(r1cs, &witness.narrowed().view(), transcript)
}

fn accepts(r1cs: &UniformR1cs, witness: &OwnedR1csWitness<Fr>) -> bool {
    let (proof, _) = prove(r1cs, witness, &mut Transcript::new(b"test"));
    match verify(
        r1cs,
        witness.trace_length(),
        &proof,
        &mut Transcript::new(b"test"),
    ) {
        Ok(claims) => claims_hold(witness, &claims),
        Err(_) => false,
    }
}

#[test]
fn completeness_for_many_sizes() {
    // T = 2 (one step and its padding) is the shortest trace.
    for log_t in 1..8 {
        let t = 1 << log_t;
        let r1cs = system(t);
        let witness = OwnedR1csWitness::new(&r1cs, inputs(t, log_t as u64));
        let (proof, prover_claims) = prove(&r1cs, &witness, &mut Transcript::new(b"test"));
        let trace_length = TraceLength::from_log(log_t).unwrap();
        let claims = verify(&r1cs, trace_length, &proof, &mut Transcript::new(b"test"))
            .expect("honest proof");
        assert_eq!(claims, prover_claims);
        assert!(claims_hold(&witness, &claims), "log T = {log_t}");
    }
}

#[test]
fn a_violated_constraint_in_any_step_is_rejected() {
    let t = 32;
    let r1cs = system(t);
    let honest = inputs(t, 7);
    for step in [0, 13, t - 1] {
        // c off by one: breaks "c = a·b + flag·a".
        let mut cols = honest.clone();
        cols[C][step] += Fr::from(1u64);
        assert!(
            !accepts(&r1cs, &OwnedR1csWitness::new(&r1cs, cols)),
            "c at step {step}"
        );
        // flag = 2 with c adjusted: only booleanity fails.
        let mut cols = honest.clone();
        cols[FLAG][step] = Fr::from(2u64);
        cols[C][step] = cols[A][step] * cols[B][step] + Fr::from(2u64) * cols[A][step];
        assert!(
            !accepts(&r1cs, &OwnedR1csWitness::new(&r1cs, cols)),
            "flag at step {step}"
        );
    }
    // An auxiliary value that breaks its own rule.
    let mut witness = OwnedR1csWitness::new(&r1cs, honest.clone());
    witness.aux[0][5] += Fr::from(1u64);
    assert!(!accepts(&r1cs, &witness));
}

#[test]
fn a_broken_cross_step_rule_is_rejected() {
    let t = 16;
    let r1cs = system(t);
    for step in [0, 7, t - 1] {
        let mut cols = inputs(t, 3);
        cols[X][step] += Fr::from(1u64);
        assert!(
            !accepts(&r1cs, &OwnedR1csWitness::new(&r1cs, cols)),
            "counter at step {step}"
        );
    }
    // The boundary: the last step's "next" is fixed by the statement.
    let mut cols = inputs(t, 3);
    for v in cols[X].iter_mut() {
        *v += Fr::from(1u64);
    }
    assert!(!accepts(&r1cs, &OwnedR1csWitness::new(&r1cs, cols)));
}

#[test]
fn every_tampered_proof_field_is_rejected() {
    let t = 16;
    let r1cs = system(t);
    let witness = OwnedR1csWitness::new(&r1cs, inputs(t, 11));
    let (proof, _) = prove(&r1cs, &witness, &mut Transcript::new(b"test"));
    let log_len = |log_t: usize| TraceLength::from_log(log_t).unwrap();
    let rejects =
        |p: &SpartanProof<Fr>| verify(&r1cs, log_len(4), p, &mut Transcript::new(b"test")).is_err();
    for i in 0..proof.evals.len() {
        let mut p = proof.clone();
        p.evals[i] += Fr::from(1u64);
        assert!(rejects(&p), "evaluation {i}");
    }
    for i in 0..proof.shift_evals.len() {
        let mut p = proof.clone();
        p.shift_evals[i] += Fr::from(1u64);
        assert!(rejects(&p), "shift evaluation {i}");
    }
    for round in 0..proof.outer.round_polys.len() {
        for k in 0..proof.outer.round_polys[round]
            .coeffs_except_linear_term
            .len()
        {
            let mut p = proof.clone();
            p.outer.round_polys[round].coeffs_except_linear_term[k] += Fr::from(1u64);
            assert!(rejects(&p), "outer round {round} coefficient {k}");
        }
    }
    for round in 0..proof.shift.round_polys.len() {
        let mut p = proof.clone();
        p.shift.round_polys[round].coeffs_except_linear_term[0] += Fr::from(1u64);
        assert!(rejects(&p), "shift round {round}");
    }
    // Shape: a missing evaluation is an error, not a panic.
    let mut p = proof.clone();
    p.evals.pop();
    assert!(rejects(&p));
    // The wrong number of steps.
    assert!(verify(&r1cs, log_len(5), &proof, &mut Transcript::new(b"test")).is_err());
}

#[test]
fn proofs_serialize_and_truncations_fail() {
    let r1cs = system(8);
    let witness = OwnedR1csWitness::new(&r1cs, inputs(8, 2));
    let (proof, _) = prove(&r1cs, &witness, &mut Transcript::new(b"test"));
    let mut bytes = Vec::new();
    proof.serialize_compressed(&mut bytes).unwrap();
    assert_eq!(
        SpartanProof::<Fr>::deserialize_compressed(&bytes[..]).unwrap(),
        proof
    );
    for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
        assert!(SpartanProof::<Fr>::deserialize_compressed(&bytes[..cut]).is_err());
    }
}
