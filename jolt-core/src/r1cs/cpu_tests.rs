//! The CPU constraints on real traces: every step of honest traces satisfies
//! them and proves; and for every constraint there is a one-value change of
//! the witness that violates that constraint and no other — so removing any
//! constraint from the builder makes one of these tampers pass (the
//! mutation check).

use ark_bn254::Fr;
use instructions::lookups::LookupParams;
use instructions::Opcode::*;

use super::builder::Variable;
use super::constraints::{cpu_r1cs, CpuInput, CpuR1cs};
use super::cpu_witness::{cpu_constants, cpu_inputs};
use super::spartan::verify;
use super::witness::OwnedR1csWitness;
use crate::testing::elf::{build_elf, ElfSegment};
use crate::testing::programs::{i, li, ProgramGenerator};
use crate::tracer::{trace, MemoryLayout, Program, Trace, RAM_BASE};
use crate::transcript::Transcript;
use instructions::flags::CircuitFlag;

// Just past the code, so that the image (and the zkVM tests' memory
// window) stays small: their proofs open at the window's size.
const DATA: u32 = RAM_BASE + 0x800;

/// A program touching every kind of step: ALU (register and immediate),
/// M, shifts, comparisons, branches taken and not, jumps, loads and stores
/// of every width, division sequences, writes to x0.
fn program() -> (Program, Trace) {
    program_in(MemoryLayout::default())
}

/// [`program`] under `layout` (at least 128 KiB of memory for its data).
pub(crate) fn program_in(layout: MemoryLayout) -> (Program, Trace) {
    let mut code = Vec::new();
    code.extend(li(10, DATA));
    code.extend(li(11, 0x8000_0007));
    // A lookup output equal to the RAM byte offset (io_start − 4·64): the
    // step where a lone non-boolean Load or Store flag changes nothing else.
    code.extend(li(9, layout.io_start() - 256));
    code.extend([
        i(Addi, 12, 0, 0, -5),
        i(Add, 13, 11, 12, 0),
        i(Sub, 14, 12, 11, 0),
        i(Mul, 15, 11, 12, 0),
        i(Mulhu, 16, 11, 12, 0),
        i(Mulh, 17, 11, 12, 0),
        i(Mulhsu, 8, 11, 12, 0),
        i(And, 18, 11, 12, 0),
        i(Ori, 19, 11, 0, 0x0f0),
        i(Xor, 20, 11, 12, 0),
        i(Slt, 21, 11, 12, 0),
        i(Sltiu, 22, 12, 0, 3),
        i(Slli, 23, 11, 0, 3),
        i(Sra, 24, 11, 12, 0),
        i(Srl, 25, 11, 12, 0),
        i(Div, 26, 11, 12, 0),
        i(Remu, 27, 11, 0, 0),
        i(Add, 0, 11, 12, 0),
        i(Add, 31, 11, 11, 0), // rs1 == rs2
        i(Sw, 0, 10, 11, 4),
        i(Sw, 0, 10, 0, 8), // a store of zero
        i(Lw, 28, 10, 0, 4),
        i(Sb, 0, 10, 12, 5),
        i(Lh, 29, 10, 0, 6),
        i(Lbu, 30, 10, 0, 7),
        i(Lw, 0, 10, 0, 4),
        i(Auipc, 5, 0, 0, 0x1000),
        i(Beq, 0, 11, 12, 8), // not taken
        i(Bne, 0, 11, 12, 8), // taken: skips the next
        i(Addi, 6, 0, 0, 99), // skipped
        i(Jal, 1, 0, 0, 8),   // skips the next
        i(Addi, 6, 0, 0, 98), // skipped
        i(Auipc, 7, 0, 0, 0),
        i(Jalr, 0, 7, 0, 9),  // to the instruction after next (bit 0 cleared)
        i(Addi, 6, 0, 0, 97), // skipped
        i(Fence, 0, 0, 0, 0xff),
    ]);
    // Halt.
    code.extend(li(5, RAM_BASE - 4));
    code.push(i(Addi, 6, 0, 0, 1));
    code.push(i(Sw, 0, 5, 6, 0));
    let elf = build_elf(
        RAM_BASE,
        &[
            ElfSegment::code(RAM_BASE, &code),
            ElfSegment::data(DATA, vec![0x5a; 16]),
        ],
    );
    let program = Program::from_elf(&elf, layout).unwrap();
    let t = trace(&program, &[], 10_000).unwrap();
    (program, t)
}

fn setup() -> (CpuR1cs, Vec<Vec<Fr>>) {
    let p = LookupParams::RV32;
    let (program, t) = program();
    let cpu = cpu_r1cs(&p, cpu_constants(&program));
    let n = (t.steps.len() + 1).next_power_of_two();
    let inputs = cpu_inputs(&cpu, &program, &t, &p, n);
    (cpu, inputs)
}

/// The labels a step violates (including cross-step rules with the next step).
fn step_violations(
    cpu: &CpuR1cs,
    inputs: &[Vec<Fr>],
    aux: &[Vec<Fr>],
    s: usize,
) -> Vec<(usize, &'static str)> {
    let r1cs = &cpu.r1cs;
    let row: Vec<Fr> = inputs.iter().map(|c| c[s]).collect();
    let aux_row: Vec<Fr> = aux.iter().map(|c| c[s]).collect();
    let next = |j: usize| match inputs[j].get(s + 1) {
        Some(v) => *v,
        None => {
            super::builder::field_from_i128(r1cs.shifted.iter().find(|(k, _)| *k == j).unwrap().1)
        }
    };
    let read = |v: Variable| match v {
        Variable::Input(j) => row[j],
        Variable::Aux(k) => aux_row[k],
        Variable::Next(j) => next(j),
    };
    r1cs.constraints
        .iter()
        .enumerate()
        .filter(|(_, c)| c.a.evaluate(read) * c.b.evaluate(read) != c.c.evaluate(read))
        .map(|(k, c)| (k, c.label))
        .collect()
}

#[test]
fn honest_traces_satisfy_every_constraint_and_prove() {
    let (cpu, inputs) = setup();
    let witness = OwnedR1csWitness::new(&cpu.r1cs, inputs);
    for s in 0..witness.trace_length().t() {
        let v = step_violations(&cpu, &witness.inputs, &witness.aux, s);
        assert!(v.is_empty(), "step {s} violates {v:?}");
    }
    let (proof, _) = super::spartan::prove(
        &cpu.r1cs,
        &witness.narrowed().view(),
        &mut Transcript::new(b"cpu"),
    );
    verify(
        &cpu.r1cs,
        witness.trace_length(),
        &proof,
        &mut Transcript::new(b"cpu"),
    )
    .expect("honest trace proves");
}

/// A witness change: the columns after it, and the step it touched.
struct Tamper {
    inputs: Vec<Vec<Fr>>,
    aux: Vec<Vec<Fr>>,
    step: usize,
}

/// The auxiliary columns after step `s`'s inputs changed: only that step's
/// auxiliaries depend on them.
fn aux_after(cpu: &CpuR1cs, inputs: &[Vec<Fr>], honest_aux: &[Vec<Fr>], s: usize) -> Vec<Vec<Fr>> {
    let row: Vec<Fr> = inputs.iter().map(|c| c[s]).collect();
    let next = |j: usize| inputs[j].get(s + 1).copied().unwrap_or_default();
    let mut aux = honest_aux.to_vec();
    for (k, v) in cpu.r1cs.compute_aux(&row, next).into_iter().enumerate() {
        aux[k][s] = v;
    }
    aux
}

/// Candidate tampers: one input value changed (auxiliaries recomputed), one
/// auxiliary value changed (not recomputed), or one flag changed (with rd
/// following the write flags, so that only the flag's own rules notice).
fn tampers<'a>(cpu: &'a CpuR1cs, inputs: &'a [Vec<Fr>]) -> impl Iterator<Item = Tamper> + 'a {
    let steps = inputs[0].len();
    let honest_aux = OwnedR1csWitness::new(&cpu.r1cs, inputs.to_vec()).aux;
    let deltas = [
        Fr::from(1u64),
        -Fr::from(1u64),
        Fr::from(2u64),
        Fr::from(256u64),
        Fr::from(1u64 << 32),
    ];
    let honest_for_inputs = honest_aux.clone();
    let single_inputs = (0..inputs.len()).flat_map(move |j| {
        let honest_aux = honest_for_inputs.clone();
        (0..steps).flat_map(move |s| {
            let honest_aux = honest_aux.clone();
            deltas.into_iter().map(move |delta| {
                let mut t = inputs.to_vec();
                t[j][s] += delta;
                let aux = aux_after(cpu, &t, &honest_aux, s);
                Tamper {
                    inputs: t,
                    aux,
                    step: s,
                }
            })
        })
    });
    let honest_aux_for_aux = honest_aux.clone();
    let single_aux = (0..honest_aux.len()).flat_map(move |k| {
        let honest_aux = honest_aux_for_aux.clone();
        (0..steps).flat_map(move |s| {
            let honest_aux = honest_aux.clone();
            deltas.into_iter().map(move |delta| {
                let mut aux = honest_aux.clone();
                aux[k][s] += delta;
                Tamper {
                    inputs: inputs.to_vec(),
                    aux,
                    step: s,
                }
            })
        })
    });
    let rd_write = cpu.index(CpuInput::RdWrite);
    // An auxiliary value and the rd value built from it, changed together.
    let aux_and_rd = (0..honest_aux.len()).flat_map(move |k| {
        let honest_aux = honest_aux.clone();
        (0..steps).map(move |s| {
            let mut aux = honest_aux.clone();
            let mut t = inputs.to_vec();
            aux[k][s] += Fr::from(1u64);
            t[rd_write][s] += Fr::from(1u64);
            Tamper {
                inputs: t,
                aux,
                step: s,
            }
        })
    });
    single_inputs
        .chain(single_aux)
        .chain(aux_and_rd)
        .chain(termination_tampers(cpu, inputs))
        .chain(misaligned_halfword_tampers(cpu, inputs))
}

/// A halfword load made misaligned: rs1 one higher, so the address is odd,
/// with the chunks' right bytes carrying the new offset, the offset bits
/// recomputed, and rd and the lookup output 0 (what the select subtables
/// give a halfword at an odd offset). Only the alignment rule can object.
fn misaligned_halfword_tampers(cpu: &CpuR1cs, inputs: &[Vec<Fr>]) -> Vec<Tamper> {
    use instructions::lookups::LookupKind;
    let steps = inputs[0].len();
    let honest_aux = OwnedR1csWitness::new(&cpu.r1cs, inputs.to_vec()).aux;
    let halfword_loads: Vec<usize> = LookupKind::ALL
        .iter()
        .enumerate()
        .filter(|(_, k)| matches!(k, LookupKind::LoadHalf | LookupKind::LoadHalfU))
        .map(|(k, _)| cpu.index(CpuInput::LookupFlag(k)))
        .collect();
    let mut out = Vec::new();
    for s in 0..steps {
        if !halfword_loads
            .iter()
            .any(|&f| inputs[f][s] == Fr::from(1u64))
        {
            continue;
        }
        let mut t = inputs.to_vec();
        t[cpu.index(CpuInput::Rs1Value)][s] += Fr::from(1u64);
        for i in 0..4 {
            t[cpu.index(CpuInput::RightId(i))][s] += Fr::from(1u64);
        }
        t[cpu.index(CpuInput::LookupOutput)][s] = Fr::from(0u64);
        t[cpu.index(CpuInput::RdWrite)][s] = Fr::from(0u64);
        let aux = aux_after(cpu, &t, &honest_aux, s);
        out.push(Tamper {
            inputs: t,
            aux,
            step: s,
        });
    }
    out
}

/// The termination rule's two attacks: claiming a store hits the
/// termination word (its is-zero hints all 0), and running a real step
/// after the halting store (the padding step after it made a flagless step
/// at pc + 4, and the stated exit pc the one after it, so that the exit
/// rule is kept).
fn termination_tampers(cpu: &CpuR1cs, inputs: &[Vec<Fr>]) -> Vec<Tamper> {
    let steps = inputs[0].len();
    let honest_aux = OwnedR1csWitness::new(&cpu.r1cs, inputs.to_vec()).aux;
    let hints: Vec<usize> = cpu
        .r1cs
        .aux
        .iter()
        .enumerate()
        .filter(|(_, (label, _))| *label == "a store addresses the termination word")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(hints.len(), 3, "inverse, x·inverse, cond·x·inverse");
    let store = cpu.index(CpuInput::CircuitFlag(CircuitFlag::Store));
    let noop = cpu.index(CpuInput::CircuitFlag(CircuitFlag::NoOp));
    let pc = cpu.index(CpuInput::Pc);
    let mut out = Vec::new();
    for s in 0..steps {
        if inputs[store][s] == Fr::from(1u64) {
            let mut aux = honest_aux.clone();
            for &k in &hints {
                aux[k][s] = Fr::from(0u64);
            }
            out.push(Tamper {
                inputs: inputs.to_vec(),
                aux,
                step: s,
            });
        }
        if s + 1 < steps && inputs[noop][s + 1] == Fr::from(1u64) {
            let mut t = inputs.to_vec();
            t[noop][s + 1] -= Fr::from(1u64);
            t[pc][s + 1] = t[pc][s] + Fr::from(4u64);
            let exit = cpu.index(CpuInput::ExitPc);
            t[exit] = vec![t[pc][s] + Fr::from(8u64); steps];
            let aux = aux_after(cpu, &t, &honest_aux, s + 1);
            let aux = aux_after(cpu, &t, &aux, s);
            out.push(Tamper {
                inputs: t,
                aux,
                step: s + 1,
            });
        }
    }
    out
}

/// For every constraint, a witness change that violates exactly that
/// constraint (found among [`tampers`]). Each is rejected by the full
/// system, so deleting any constraint from the builder would let its tamper
/// through: a mutation check over the constraint list.
#[test]
fn every_constraint_is_needed() {
    let (cpu, inputs) = setup();
    let steps = inputs[0].len();
    let mut isolated = vec![false; cpu.r1cs.constraints.len()];
    for tamper in tampers(&cpu, &inputs) {
        let mut violated: Vec<usize> = Vec::new();
        for step in [tamper.step.wrapping_sub(1), tamper.step] {
            if step < steps {
                violated.extend(
                    step_violations(&cpu, &tamper.inputs, &tamper.aux, step)
                        .into_iter()
                        .map(|(k, _)| k),
                );
            }
        }
        violated.sort();
        violated.dedup();
        if let [only] = violated[..] {
            isolated[only] = true;
            if isolated.iter().all(|&b| b) {
                break;
            }
        }
    }
    let missing: Vec<(usize, &str)> = isolated
        .iter()
        .zip(&cpu.r1cs.constraints)
        .enumerate()
        .filter(|(_, (found, _))| !**found)
        .map(|(k, (_, c))| (k, c.label))
        .collect();
    assert!(missing.is_empty(), "no tamper isolates: {missing:?}");
}

/// A halfword load at an odd address, its witness consistent everywhere
/// else, violates only the alignment rule, and Spartan's proof of it fails
/// to verify: a misaligned access cannot be proven.
#[test]
fn a_misaligned_halfword_load_cannot_be_proven() {
    let (cpu, inputs) = setup();
    let tampers = misaligned_halfword_tampers(&cpu, &inputs);
    assert!(!tampers.is_empty(), "the trace has halfword loads");
    for tamper in tampers.iter().take(2) {
        let violated: Vec<&str> = step_violations(&cpu, &tamper.inputs, &tamper.aux, tamper.step)
            .into_iter()
            .map(|(_, label)| label)
            .collect();
        assert_eq!(violated, ["a halfword access is aligned"]);
        assert_spartan_rejects(&cpu, tamper.inputs.clone(), tamper.aux.clone());
    }
}

/// Spartan's proof of the witness (inputs, aux) fails to verify.
fn assert_spartan_rejects(cpu: &CpuR1cs, inputs: Vec<Vec<Fr>>, aux: Vec<Vec<Fr>>) {
    let witness = OwnedR1csWitness { inputs, aux };
    let (proof, _) = super::spartan::prove(
        &cpu.r1cs,
        &witness.narrowed().view(),
        &mut Transcript::new(b"cpu"),
    );
    assert!(verify(
        &cpu.r1cs,
        witness.trace_length(),
        &proof,
        &mut Transcript::new(b"cpu"),
    )
    .is_err());
}

/// A forger's MULH or MULHSU: the offset-binary step's chunks replaced
/// by those of another product of the same words (the unsigned one, or
/// the other offset-binary form), rd following the new chunks' high word.
/// Only the step's own product rule objects, and Spartan's proof of it
/// fails to verify: the query must be the signed product.
#[test]
fn an_offset_binary_product_takes_no_other_query() {
    use instructions::lookups::{LookupKind, QueryForm};
    let (cpu, inputs) = setup();
    let p = LookupParams::RV32;
    let honest_aux = OwnedR1csWitness::new(&cpu.r1cs, inputs.to_vec()).aux;
    let word = |v: Fr| -> u64 {
        use ark_ff::PrimeField;
        v.into_bigint().as_ref()[0]
    };
    let mut checked = 0;
    for (k, kind) in LookupKind::ALL.iter().enumerate() {
        let (label, others) = match kind {
            LookupKind::MulhBiased => (
                "z = (x − 2^(W−1))·(y − 2^(W−1)) + 2^(2W−1)",
                [QueryForm::Product, QueryForm::MixedProduct],
            ),
            LookupKind::MulhsuBiased => (
                "z = (x − 2^(W−1))·y + 2^(2W−1)",
                [QueryForm::Product, QueryForm::SignedProduct],
            ),
            _ => continue,
        };
        let flag = cpu.index(CpuInput::LookupFlag(k));
        let s = (0..inputs[0].len())
            .find(|&s| inputs[flag][s] == Fr::from(1u64))
            .expect("the program runs MULH and MULHSU");
        let x = word(inputs[cpu.index(CpuInput::Rs1Value)][s]);
        let y = word(inputs[cpu.index(CpuInput::Rs2Value)][s]);
        for other in others {
            let mut t = inputs.to_vec();
            let chunks = other.chunks(x, y, &p);
            for (i, c) in chunks.iter().enumerate() {
                t[cpu.index(CpuInput::LeftId(i))][s] = Fr::from(c >> 8);
                t[cpu.index(CpuInput::RightId(i))][s] = Fr::from(c & 0xff);
            }
            let high = Fr::from((chunks[0] << 16) | chunks[1]);
            assert_ne!(high, inputs[cpu.index(CpuInput::LookupOutput)][s]);
            t[cpu.index(CpuInput::LookupOutput)][s] = high;
            t[cpu.index(CpuInput::RdWrite)][s] = high;
            let aux = aux_after(&cpu, &t, &honest_aux, s);
            let violated: Vec<&str> = step_violations(&cpu, &t, &aux, s)
                .into_iter()
                .map(|(_, label)| label)
                .collect();
            assert_eq!(violated, [label], "{kind:?} given the {other:?} query");
            assert_spartan_rejects(&cpu, t, aux);
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}

/// The sizes docs/r1cs.md states.
#[test]
fn constraint_and_column_counts() {
    let (cpu, _) = setup();
    assert_eq!(cpu.r1cs.constraints.len(), 56);
    assert_eq!(cpu.inputs.len(), 78);
    assert_eq!(cpu.r1cs.num_aux(), 17);
    assert_eq!(cpu.r1cs.shifted.len(), 4);
}

/// Random programs (the shared generator: every ALU, M, immediate, shift,
/// load and store kind on random and edge values, branches, jumps, loops,
/// I/O, panics) satisfy every constraint at every step, and prove.
#[test]
fn random_programs_satisfy_the_constraints() {
    let p = LookupParams::RV32;
    for seed in 0..4 {
        let program =
            ProgramGenerator::new(seed, MemoryLayout::default()).program(1, 30, seed == 3);
        let t = trace(&program, &[7, 0, 0, 0, 9], 100_000).unwrap();
        let cpu = cpu_r1cs(&p, cpu_constants(&program));
        let n = (t.steps.len() + 1).next_power_of_two();
        let witness = OwnedR1csWitness::new(&cpu.r1cs, cpu_inputs(&cpu, &program, &t, &p, n));
        for s in 0..n {
            let v = step_violations(&cpu, &witness.inputs, &witness.aux, s);
            assert!(v.is_empty(), "seed {seed}, step {s} violates {v:?}");
        }
        let (proof, _) = super::spartan::prove(
            &cpu.r1cs,
            &witness.narrowed().view(),
            &mut Transcript::new(b"cpu"),
        );
        verify(
            &cpu.r1cs,
            witness.trace_length(),
            &proof,
            &mut Transcript::new(b"cpu"),
        )
        .expect("proves");
    }
}
