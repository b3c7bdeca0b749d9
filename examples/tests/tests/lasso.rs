//! Lasso on the traces of the example guests: every step's lookup (rows
//! built from the trace the way the end-to-end prover will) proves, and
//! every opening claim it hands on is a true evaluation of its column.

use ark_bn254::Fr;
use instructions::lookups::{lookup_of, lookup_operands, LookupParams};
use jolt_core::lasso::{self, LassoColumn, LassoWitness, LookupRow};
use jolt_core::opening::OpeningClaim;
use jolt_core::poly::DensePolynomial;
use jolt_core::tracer::{trace, Trace};
use jolt_core::transcript::Transcript;
use jolt_sdk::host::{serialize_input, GuestBuilder, DEFAULT_MAX_CYCLES};

fn rows(t: &Trace) -> Vec<LookupRow> {
    let n = t.steps.len().next_power_of_two();
    let mut rows: Vec<LookupRow> = t
        .steps
        .iter()
        .map(|step| match lookup_of(step.instruction.opcode) {
            Some(kind) => {
                let rs1 = step.rs1.map_or(0, |r| r.value);
                let rs2 = step.rs2.map_or(0, |r| r.value);
                let rd = step.rd.map_or(0, |r| r.after);
                let (x, y) = lookup_operands(&step.instruction, step.pc, rs1, rs2, rd);
                LookupRow::new(kind, x, y)
            }
            None => LookupRow::none(),
        })
        .collect();
    rows.resize(n, LookupRow::none());
    rows
}

fn claims_hold(witness: &LassoWitness, claims: &[OpeningClaim<LassoColumn, Fr>]) -> bool {
    claims.iter().all(|claim| {
        let column = witness
            .column::<Fr>(claim.column)
            .expect("a claimed column exists");
        DensePolynomial::new_padded(column.to_field()).evaluate(&claim.point) == claim.value
    })
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
        let dir = format!("{}/../{example}/guest", env!("CARGO_MANIFEST_DIR"));
        let program = GuestBuilder::new(dir).build().unwrap();
        let t = trace(&program, &input, DEFAULT_MAX_CYCLES).unwrap();
        let rows = rows(&t);
        let witness = LassoWitness::new(&rows, p).unwrap();
        let (proof, _) = lasso::prove::<Fr>(&witness, &mut Transcript::new(b"e2e"));
        let claims = lasso::verify(&proof, rows.len(), p, &mut Transcript::new(b"e2e"))
            .unwrap_or_else(|e| panic!("{example}: {e}"));
        assert!(
            claims_hold(&witness, &claims),
            "{example}: a claim is false"
        );
    }
}
