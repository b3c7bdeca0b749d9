//! Lasso on the traces of the example guests: every step's lookup (rows
//! built from the trace as the end-to-end prover builds them) proves, and
//! every opening claim it hands on is a true evaluation of its column.

use ark_bn254::Fr;
use example_tests::build;
use instructions::lookups::LookupParams;
use jolt_core::lasso::{LassoColumn, LassoWitness};
use jolt_core::opening::OpeningClaim;
use jolt_core::testing::lasso as lasso_alone;
use jolt_core::tracer::trace;
use jolt_core::transcript::Transcript;
use jolt_core::zkvm::padded_trace_length;
use jolt_core::zkvm::witness::lookup_rows;
use jolt_sdk::host::{serialize_input, DEFAULT_MAX_CYCLES};

fn claims_hold(witness: &LassoWitness, claims: &[OpeningClaim<LassoColumn, Fr>]) -> bool {
    jolt_core::testing::claims_hold(|c| witness.column::<Fr>(c), claims)
}

#[test]
fn example_traces_prove() {
    let p = LookupParams::RV32;
    for (example, input) in [
        ("fibonacci", serialize_input(&40u32).unwrap()),
        (
            "muldiv",
            serialize_input(&vec![(7u32, 0u32), (0x8000_0000, 0xffff_ffff), (12345, 67)]).unwrap(),
        ),
        (
            "sha2",
            serialize_input(&(0..32u8).collect::<Vec<u8>>()).unwrap(),
        ),
    ] {
        let program = build(example);
        let t = trace(&program, &input, DEFAULT_MAX_CYCLES).unwrap();
        let trace_length = padded_trace_length(t.steps.len()).unwrap();
        let rows = lookup_rows(&t.steps, trace_length);
        let witness = LassoWitness::new(&rows, p).unwrap();
        let layout = witness.layout();
        let (proof, _) = lasso_alone::prove::<Fr>(&witness, &mut Transcript::new(b"e2e"));
        let claims =
            lasso_alone::verify(layout, trace_length, &proof, &mut Transcript::new(b"e2e"))
                .unwrap_or_else(|e| panic!("{example}: {e}"));
        assert!(
            claims_hold(&witness, &claims),
            "{example}: a claim is false"
        );
    }
}
