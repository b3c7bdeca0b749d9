//! The CPU constraints on the traces of every example guest: each step
//! satisfies every constraint, and small traces prove and verify.

use ark_bn254::Fr;
use example_tests::build;
use instructions::lookups::LookupParams;
use jolt_core::r1cs::constraints::cpu_r1cs;
use jolt_core::r1cs::cpu_witness::{cpu_constants, cpu_inputs};
use jolt_core::r1cs::spartan::{prove, verify};
use jolt_core::r1cs::OwnedR1csWitness;
use jolt_core::tracer::trace;
use jolt_core::transcript::Transcript;
use jolt_sdk::host::{serialize_input, DEFAULT_MAX_CYCLES};
use serde::Serialize;

fn check<I: Serialize>(example: &str, input: &I, prove_it: bool) {
    let p = LookupParams::RV32;
    let program = build(example);
    let t = trace(
        &program,
        &serialize_input(input).unwrap(),
        DEFAULT_MAX_CYCLES,
    )
    .unwrap();
    let cpu = cpu_r1cs(&p, cpu_constants(&program));
    let n = (t.steps.len() + 1).next_power_of_two();
    let witness = OwnedR1csWitness::new(&cpu.r1cs, cpu_inputs::<Fr>(&cpu, &program, &t, &p, n));
    for s in 0..n {
        let row: Vec<Fr> = witness.inputs.iter().map(|c| c[s]).collect();
        let aux: Vec<Fr> = witness.aux.iter().map(|c| c[s]).collect();
        let next = |j: usize| {
            witness.inputs[j].get(s + 1).copied().unwrap_or_else(|| {
                let boundary = cpu.r1cs.shifted.iter().find(|(k, _)| *k == j).unwrap().1;
                Fr::from(boundary as u64)
            })
        };
        let violated = cpu.r1cs.violations(&row, &aux, next);
        assert!(
            violated.is_empty(),
            "{example}: step {s} violates {violated:?}"
        );
    }
    if prove_it {
        let (proof, _) = prove(
            &cpu.r1cs,
            &witness.narrowed().view(),
            &mut Transcript::new(b"e2e"),
        );
        verify(
            &cpu.r1cs,
            witness.trace_length(),
            &proof,
            &mut Transcript::new(b"e2e"),
        )
        .expect("the trace proves");
    }
}

#[test]
fn every_example_satisfies_the_cpu_constraints() {
    check("fibonacci", &60u32, true);
    check(
        "muldiv",
        &vec![(7u32, 0u32), (0x8000_0000, 0xffff_ffff), (12345, 67)],
        true,
    );
    check("sha2", &(0..64u8).collect::<Vec<u8>>(), false);
    check("sha3", &(0..64u8).collect::<Vec<u8>>(), false);
    check("sort", &(3u32, 40u32), false);
    #[derive(Serialize)]
    enum Query {
        Steps(u64),
    }
    check("collatz", &Query::Steps(27), false);
}

/// The R1CS's inputs are the columns memory checking commits: computed
/// from the trace both ways, they agree on every step.
#[test]
fn cpu_inputs_agree_with_the_memory_witness() {
    use instructions::flags::CircuitFlag;
    use jolt_core::memory::bytecode::BytecodeColumn;
    use jolt_core::memory::{MemoryColumn, MemoryPreprocessing, MemoryWitness, Slot};
    use jolt_core::r1cs::constraints::CpuInput;

    let p = LookupParams::RV32;
    for (example, input) in [
        (
            "muldiv",
            serialize_input(&vec![(7u32, 0u32), (0x8000_0000, 0xffff_ffff)]).unwrap(),
        ),
        ("sort", serialize_input(&(5u32, 30u32)).unwrap()),
    ] {
        let program = build(example);
        let t = trace(&program, &input, DEFAULT_MAX_CYCLES).unwrap();
        let n = (t.steps.len() + 1).next_power_of_two();
        let cpu = cpu_r1cs(&p, cpu_constants(&program));
        let inputs = cpu_inputs::<Fr>(&cpu, &program, &t, &p, n);
        let pre = MemoryPreprocessing::new(&program);
        let trace_length = jolt_core::zkvm::padded_trace_length(n).unwrap();
        let memory = MemoryWitness::new(&pre, &t, trace_length).unwrap();
        let flags = CircuitFlag::ALL
            .iter()
            .map(|&f| (CpuInput::CircuitFlag(f), BytecodeColumn::CircuitFlag(f)))
            .map(|(i, c)| (i, MemoryColumn::Bytecode(c)));
        for (input, column) in flags.chain([
            (
                CpuInput::BytecodeAddress,
                MemoryColumn::Bytecode(BytecodeColumn::Address),
            ),
            (CpuInput::Pc, MemoryColumn::Bytecode(BytecodeColumn::Pc)),
            (CpuInput::Imm, MemoryColumn::Bytecode(BytecodeColumn::Imm)),
            (CpuInput::Rs1Value, MemoryColumn::ReadValue(Slot::Rs1)),
            (CpuInput::Rs2Value, MemoryColumn::ReadValue(Slot::Rs2)),
            (CpuInput::RdWrite, MemoryColumn::RdWriteValue),
            (CpuInput::RamAddress, MemoryColumn::RamAddress),
            (CpuInput::RamRead, MemoryColumn::ReadValue(Slot::Ram)),
            (CpuInput::RamWrite, MemoryColumn::RamWriteValue),
        ]) {
            let theirs = memory.column::<Fr>(column).to_field();
            assert_eq!(
                inputs[cpu.index(input)],
                theirs[..n],
                "{example}: {input:?} vs {column:?}"
            );
        }
    }
}
