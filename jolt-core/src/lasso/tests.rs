//! Lasso tests. An "opening oracle" stands in for the PCS: it evaluates the
//! witness's own columns at every returned claim's point. Completeness =
//! verify succeeds and every claim is true; soundness = after a tamper,
//! verify fails or some claim is false (which the PCS opening would catch).

use super::*;
use crate::subprotocols::GrandProductProof;
use crate::testing::lasso::LassoAlone;
use crate::trace_length::TraceLength;
use ark_bn254::Fr;
use ark_ff::{BigInteger, One, PrimeField, Zero};
use instructions::lookups::{lookup_of, lookup_operands, LookupKind, LookupParams, QueryForm};
use instructions::subtables::SubtableId;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const REDUCED: LookupParams = LookupParams::new(8, 2);

fn transcript() -> Transcript {
    Transcript::new(b"lasso test")
}

/// T rows: every supported kind at least once (if T allows), a few rows
/// without a lookup, the rest random kinds; operands random words, half
/// of them small or equal to stress the comparisons.
fn random_rows(params: LookupParams, t: usize, rng: &mut ChaCha8Rng) -> Vec<LookupRow> {
    let layout = LassoLayout::new(params).unwrap();
    let mask = (1u64 << params.word_bits) - 1;
    (0..t)
        .map(|i| {
            let kind = if i < layout.kinds.len() {
                Some(layout.kinds[i])
            } else if rng.gen_bool(0.05) {
                None
            } else {
                Some(layout.kinds[rng.gen_range(0..layout.kinds.len())])
            };
            let Some(kind) = kind else {
                return LookupRow::none();
            };
            let x = rng.gen::<u64>() & mask;
            let y = match rng.gen_range(0..4) {
                0 => x,
                1 => rng.gen_range(0..32) & mask,
                _ => rng.gen::<u64>() & mask,
            };
            // Checked lookups only ever see operands that pass.
            let y = match kind {
                LookupKind::MulChecked => y % (mask / x.max(1) + 1),
                LookupKind::SubChecked => y % (x + 1),
                _ => y,
            };
            LookupRow::new(kind, x, y)
        })
        .collect()
}

fn witness(params: LookupParams, t: usize, seed: u64) -> LassoWitness {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    LassoWitness::new(&random_rows(params, t, &mut rng), params).unwrap()
}

/// The PCS stand-in: does every claim hold for the witness's columns?
fn claims_hold(witness: &LassoWitness, claims: &[OpeningClaim<LassoColumn, Fr>]) -> bool {
    crate::testing::claims_hold(|c| witness.column::<Fr>(c), claims)
}

type Proved = LassoAlone<Fr>;

fn prove_in(
    witness: &LassoWitness,
    t: &mut Transcript,
) -> (Proved, Vec<OpeningClaim<LassoColumn, Fr>>) {
    crate::testing::lasso::prove(witness, t)
}

fn verify_in(
    layout: &LassoLayout,
    trace_length: TraceLength,
    proof: &Proved,
    t: &mut Transcript,
) -> Result<Vec<OpeningClaim<LassoColumn, Fr>>, VerifyError> {
    crate::testing::lasso::verify(layout, trace_length, proof, t)
}

fn prove_fr(witness: &LassoWitness) -> (Proved, Vec<OpeningClaim<LassoColumn, Fr>>) {
    prove_in(witness, &mut transcript())
}

fn verify_fr(
    proof: &Proved,
    witness: &LassoWitness,
) -> Result<Vec<OpeningClaim<LassoColumn, Fr>>, VerifyError> {
    verify_in(
        &witness.layout,
        witness.trace_length(),
        proof,
        &mut transcript(),
    )
}

/// Runs the honest prover on `witness` (possibly tampered) and reports
/// whether the verifier and the opening oracle would both accept.
fn accepts(witness: &LassoWitness) -> bool {
    let (proof, prover_claims) = prove_fr(witness);
    match verify_fr(&proof, witness) {
        Ok(claims) => {
            assert_eq!(claims, prover_claims, "prover and verifier claims differ");
            claims_hold(witness, &claims)
        }
        Err(_) => false,
    }
}

#[test]
fn layout_memories_cover_every_read() {
    for params in [REDUCED, LookupParams::new(8, 4), LookupParams::RV32] {
        let layout = LassoLayout::new(params).unwrap();
        for (k, kind) in layout.kinds.iter().enumerate() {
            let reads = kind.reads(&params);
            assert_eq!(reads.len(), layout.kind_reads[k].len());
            for (read, &m) in reads.iter().zip(&layout.kind_reads[k]) {
                assert_eq!(layout.memories[m], *read);
            }
        }
        for i in 0..params.chunks {
            // One-operand lookups read each chunk through its two halves
            // (MULHU the high chunks, the others the low ones).
            let left = layout.memory_index(SubtableId::LeftId, i).unwrap();
            let right = layout.memory_index(SubtableId::RightId, i).unwrap();
            assert!(layout.primary_memories.contains(&left));
            assert!(layout.primary_memories.contains(&right));
            assert!(layout.chunk_memories[i]
                .iter()
                .all(|&m| layout.memories[m].1 == i));
        }
        let total: usize = layout.chunk_memories.iter().map(Vec::len).sum();
        assert_eq!(total, layout.memories.len());
        assert!(layout
            .memories
            .windows(2)
            .all(|w| (w[0].1, w[0].0) < (w[1].1, w[1].0)));
        // Shifts only where the amount fits a chunk.
        let shifts = layout.kinds.iter().any(|k| k.query() == QueryForm::Shift);
        assert_eq!(shifts, params.supports_shifts());
    }
    assert!(LassoLayout::new(LookupParams::new(64, 4)).is_err());
    assert!(LassoLayout::new(LookupParams::new(32, 2)).is_err());
    assert!(LassoLayout::new(LookupParams::new(32, 0)).is_err());
    assert!(LassoLayout::new(LookupParams::new(30, 4)).is_err());
}

#[test]
fn entry_bits_bound_every_entry() {
    for params in [REDUCED, LookupParams::new(8, 4), LookupParams::RV32] {
        let layout = LassoLayout::new(params).unwrap();
        for &(table, _) in &layout.memories {
            let bits = entry_bits(table, &params);
            let max = table.materialize(&params).into_iter().max().unwrap();
            assert!(max < 1u64 << bits, "{table:?} at {params:?}");
        }
    }
}

#[test]
fn witness_columns_match_the_rows() {
    let params = REDUCED;
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let rows = random_rows(params, 256, &mut rng);
    let w = LassoWitness::new(&rows, params).unwrap();
    let m = params.subtable_size();
    for (t, row) in rows.iter().enumerate() {
        let chunks = match row.kind {
            Some(kind) => kind.query().chunks(row.x, row.y, &params),
            None => vec![0; params.chunks],
        };
        for (i, c) in chunks.iter().enumerate() {
            assert_eq!(w.dims[i][t] as u64, *c);
        }
        for (mem, &(table, chunk)) in w.layout.memories.iter().enumerate() {
            assert_eq!(
                w.read_values[mem].get(t) as u64,
                table.entry(chunks[chunk], &params)
            );
        }
        let expected: Fr = row
            .kind
            .map_or(Fr::zero(), |kind| kind.evaluate(row.x, row.y, &params));
        assert_eq!(Fr::from(w.outputs[t]), expected);
        for (k, kind) in w.layout.kinds.iter().enumerate() {
            assert_eq!(w.flags[k][t], row.kind == Some(*kind));
        }
    }
    for i in 0..params.chunks {
        assert_eq!(w.final_cts[i].len(), m);
        assert_eq!(w.final_cts[i].iter().sum::<u32>() as usize, rows.len());
        for (a, &count) in w.final_cts[i].iter().enumerate() {
            let reads = w.dims[i].iter().filter(|&&d| d as usize == a).count();
            assert_eq!(count as usize, reads);
        }
    }
    // Columns: every one listed once, at length T (M for final counts).
    let columns = w.columns::<Fr>();
    let layout = &w.layout;
    assert_eq!(
        columns.len(),
        params.chunks + layout.memories.len() + layout.kinds.len() + 1
    );
    for (column, values) in &columns {
        let expected = match column {
            LassoColumn::FinalCount(_) => m,
            _ => rows.len(),
        };
        assert_eq!(values.len(), expected, "{column:?}");
        assert_eq!(values.num_vars(), column.num_vars(8, &params));
    }
}

#[test]
fn witness_rejects_bad_rows() {
    let p = REDUCED;
    let row = LookupRow::new(LookupKind::Add, 1, 2);
    assert_eq!(
        LassoWitness::new(&[row; 3], p).unwrap_err(),
        LassoError::RowCount(3)
    );
    assert_eq!(
        LassoWitness::new(&[], p).unwrap_err(),
        LassoError::RowCount(0)
    );
    let wide = LookupRow::new(LookupKind::Add, 256, 2);
    assert!(matches!(
        LassoWitness::new(&[row, wide], p),
        Err(LassoError::OperandTooWide { row: 1, .. })
    ));
    let shift = LookupRow::new(LookupKind::Sll, 1, 2);
    assert!(matches!(
        LassoWitness::new(&[row, shift], LookupParams::new(8, 4)),
        Err(LassoError::UnsupportedKind { row: 1, .. })
    ));
}

#[test]
fn complete_on_random_rows_reduced() {
    // T = 2 (one step and its padding) is the shortest trace.
    for (log_t, seed) in [(1, 11), (2, 12), (5, 13), (10, 14)] {
        let w = witness(REDUCED, 1 << log_t, seed);
        assert!(accepts(&w), "T = 2^{log_t}");
    }
    // C = 4 at 8 bits: no shifts, 2-bit operand chunks.
    let w = witness(LookupParams::new(8, 4), 1 << 9, 15);
    assert!(accepts(&w));
}

#[test]
fn complete_on_random_rows_rv32() {
    let w = witness(LookupParams::RV32, 1 << 8, 20);
    assert!(accepts(&w));
}

/// A checked lookup whose check fails has no witness: a typed error, not
/// a panic (an honest trace never has one).
#[test]
fn a_failed_check_is_a_witness_error() {
    for (kind, x, y) in [
        (LookupKind::SubChecked, 3, 4),
        (LookupKind::MulChecked, 1 << 16, 1 << 16),
    ] {
        let mut rows = vec![LookupRow::none(); 4];
        rows[1] = LookupRow::new(kind, x, y);
        let err = LassoWitness::new(&rows, LookupParams::RV32).unwrap_err();
        assert_eq!(
            err,
            LassoError::OutputTooWide {
                row: 1,
                kind,
                word_bits: 32
            }
        );
    }
}

/// Kinds absent from the trace leave their memories unbound in the primary
/// sumcheck (evaluated directly at r'): a trace with two kinds only.
#[test]
fn complete_with_few_kinds() {
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    for params in [REDUCED, LookupParams::RV32] {
        let mask = (1u64 << params.word_bits) - 1;
        let rows: Vec<LookupRow> = (0..1 << 7)
            .map(|i| {
                let kind = [LookupKind::Add, LookupKind::Sltu][i % 2];
                LookupRow::new(kind, rng.gen::<u64>() & mask, rng.gen::<u64>() & mask)
            })
            .collect();
        let w = LassoWitness::new(&rows, params).unwrap();
        assert!(accepts(&w));
    }
}

#[test]
fn complete_on_padding_only() {
    let w = LassoWitness::new(&[LookupRow::none(); 16], REDUCED).unwrap();
    assert!(w.outputs.iter().all(|&o| o == 0));
    assert!(accepts(&w));
}

/// A program exercising every lookup (with the virtual sequences of MUL*,
/// DIV*, REM*, sub-word loads and stores, and register shifts), traced and
/// mapped to rows as the zkVM does.
#[test]
fn complete_on_a_traced_program() {
    use crate::testing::elf::{build_elf, ElfSegment};
    use crate::testing::programs::{i, li};
    use crate::tracer::{trace, MemoryLayout, Program, RAM_BASE};
    use instructions::{Instruction, Opcode::*};

    const DATA: u32 = RAM_BASE + 0x10_0000;
    let mut code: Vec<Instruction> = Vec::new();
    code.extend(li(31, DATA + 64));
    code.extend(li(5, 0x8000_0000));
    code.extend(li(6, 0xffff_ffff));
    code.extend(li(7, 12345));
    code.extend(li(8, 67));
    // A loop of 3 iterations over every ALU operation on changing values.
    code.extend(li(30, 3));
    let loop_start = code.len();
    for op in [
        Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And, Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem,
        Remu,
    ] {
        code.push(i(op, 9, 7, 8, 0));
        code.push(i(op, 10, 5, 6, 0));
        code.push(i(op, 11, 6, 0, 0));
        code.push(i(Add, 7, 7, 9, 0));
    }
    for op in [Addi, Slti, Sltiu, Xori, Ori, Andi] {
        code.push(i(op, 12, 7, 0, -3));
    }
    for (op, amount) in [(Slli, 3), (Srli, 31), (Srai, 7)] {
        code.push(i(op, 13, 5, 0, amount));
    }
    code.push(i(Sw, 0, 31, 7, 0));
    code.push(i(Sh, 0, 31, 8, 6));
    code.push(i(Sb, 0, 31, 5, 3));
    for (op, off) in [(Lw, 0), (Lh, 2), (Lhu, 6), (Lb, 3), (Lbu, 1)] {
        code.push(i(op, 14, 31, 0, off));
    }
    code.push(i(Auipc, 15, 0, 0, 0x1000));
    code.push(i(Beq, 0, 7, 7, 8));
    code.push(i(Add, 0, 0, 0, 0));
    code.push(i(Bne, 0, 7, 7, 8));
    code.push(i(Blt, 0, 5, 6, 8));
    code.push(i(Add, 0, 0, 0, 0));
    code.push(i(Bge, 0, 5, 6, 8));
    code.push(i(Bltu, 0, 5, 6, 8));
    code.push(i(Add, 0, 0, 0, 0));
    code.push(i(Bgeu, 0, 5, 6, 8));
    code.push(i(Jal, 16, 0, 0, 8));
    code.push(i(Add, 0, 0, 0, 0));
    code.push(i(Fence, 0, 0, 0, 0));
    code.push(i(Addi, 30, 30, 0, -1));
    let back = -4 * (code.len() - loop_start) as i32;
    code.push(i(Bne, 0, 30, 0, back));
    // JALR to the next instruction, then halt.
    code.push(i(Auipc, 17, 0, 0, 0));
    code.push(i(Jalr, 18, 17, 0, 8));
    code.extend(li(28, RAM_BASE - 4));
    code.push(i(Addi, 29, 0, 0, 1));
    code.push(i(Sw, 0, 28, 29, 0));

    let segments = [
        ElfSegment::code(RAM_BASE, &code),
        ElfSegment::data(DATA, vec![0xa5; 256]),
    ];
    let program =
        Program::from_elf(&build_elf(RAM_BASE, &segments), MemoryLayout::default()).unwrap();
    let trace = trace(&program, &[], 100_000).unwrap();

    let mut rows: Vec<LookupRow> = trace
        .steps
        .iter()
        .map(|step| {
            let inst = step.instruction;
            let Some(kind) = lookup_of(inst.opcode) else {
                return LookupRow::none();
            };
            let (x, y) = lookup_operands(&inst, &step.lookup_values());
            LookupRow::new(kind, x, y)
        })
        .collect();
    let kinds: std::collections::BTreeSet<LookupKind> =
        rows.iter().filter_map(|r| r.kind).collect();
    assert_eq!(kinds.len(), LookupKind::ALL.len(), "{kinds:?}");
    rows.resize(rows.len().next_power_of_two(), LookupRow::none());
    let w = LassoWitness::new(&rows, LookupParams::RV32).unwrap();
    assert!(accepts(&w));
}

// ---------------------------------------------------------------------------
// Soundness: tampered witnesses, proved honestly.

/// A witness small enough to prove many times, with every kind present.
fn tamper_base() -> LassoWitness {
    let w = witness(REDUCED, 1 << 7, 30);
    assert!(accepts(&w));
    w
}

/// Rows whose kind is `kind`.
fn row_of(w: &LassoWitness, kind: LookupKind) -> usize {
    let k = w.layout.kind_position(kind).unwrap();
    w.flags[k].iter().position(|&f| f).unwrap()
}

/// Recomputes the final counts from the (tampered) dims, as a prover
/// trying to keep the counts consistent would.
fn recount(w: &mut LassoWitness) {
    let m = w.layout.params.subtable_size();
    for i in 0..w.layout.num_chunks() {
        let mut fin = vec![0u32; m];
        for t in 0..w.trace_length().t() {
            fin[w.dims[i][t] as usize] += 1;
        }
        w.final_cts[i] = fin;
    }
}

fn g_of(w: &LassoWitness, k: usize, t: usize) -> Fr {
    let values: Vec<Fr> = w.layout.kind_reads[k]
        .iter()
        .map(|&m| Fr::from(w.read_values[m].get(t)))
        .collect();
    w.layout.kinds[k].combine(&values, &w.layout.params)
}

#[test]
fn rejects_a_changed_output() {
    let base = tamper_base();
    for kind in [LookupKind::Add, LookupKind::Sltu, LookupKind::DivZeroSelect] {
        let mut w = base.clone();
        let t = row_of(&w, kind);
        w.outputs[t] ^= 1;
        assert!(!accepts(&w), "{kind:?}");
    }
    // A padding row claiming a non-zero output.
    let mut w = base.clone();
    let t = (0..w.trace_length().t())
        .find(|&t| w.flags.iter().all(|f| !f[t]))
        .unwrap();
    w.outputs[t] = 1;
    assert!(!accepts(&w));
}

#[test]
fn rejects_a_changed_dim_with_e_of_the_old_index() {
    let base = tamper_base();
    let m = base.layout.params.subtable_size() as u16;
    for chunk in 0..base.layout.num_chunks() {
        let mut w = base.clone();
        let t = row_of(&w, LookupKind::And);
        w.dims[chunk][t] = (w.dims[chunk][t] + 1) % m;
        assert!(!accepts(&w), "chunk {chunk}, counts unchanged");
        recount(&mut w);
        assert!(!accepts(&w), "chunk {chunk}, counts recomputed");
    }
}

#[test]
fn rejects_a_changed_read_value() {
    let base = tamper_base();
    let t = row_of(&base, LookupKind::Xor);
    for mem in 0..base.layout.memories.len() {
        let mut w = base.clone();
        let old = w.read_values[mem].get(t);
        w.read_values[mem].set(t, old ^ 1);
        assert!(!accepts(&w), "memory {mem}");
        // Also with the output made consistent with the changed value, so
        // only memory checking can notice.
        let k = w.layout.kind_position(LookupKind::Xor).unwrap();
        let out = g_of(&w, k, t).into_bigint();
        if out.num_bits() <= 32 {
            w.outputs[t] = out.as_ref()[0] as u32;
        }
        assert!(!accepts(&w), "memory {mem}, output consistent");
    }
}

#[test]
fn rejects_a_flag_moved_to_another_kind() {
    let base = tamper_base();
    let mut checked = 0;
    for from in [LookupKind::Add, LookupKind::Slt, LookupKind::Sll] {
        let t = row_of(&base, from);
        let k_from = base.layout.kind_position(from).unwrap();
        for k_to in 0..base.layout.kinds.len() {
            // A move that gives the same output is not a lie.
            if k_to == k_from || g_of(&base, k_to, t) == Fr::from(base.outputs[t]) {
                continue;
            }
            let mut w = base.clone();
            w.flags[k_from][t] = false;
            w.flags[k_to][t] = true;
            assert!(!accepts(&w), "{from:?} -> {:?}", w.layout.kinds[k_to]);
            checked += 1;
        }
    }
    assert!(checked > 40);
    // A second flag set on the same row.
    let mut w = base.clone();
    let t = row_of(&w, LookupKind::Or);
    let k = w.layout.kind_position(LookupKind::Sub).unwrap();
    w.flags[k][t] = true;
    assert!(!accepts(&w));
}

#[test]
fn rejects_changed_counts() {
    let base = tamper_base();
    for chunk in 0..base.layout.num_chunks() {
        let mut w = base.clone();
        let a = w.dims[chunk][5] as usize;
        w.final_cts[chunk][a] += 1;
        assert!(!accepts(&w), "final count, chunk {chunk}");
        let mut w = base.clone();
        w.final_cts[chunk][a] -= 1;
        assert!(!accepts(&w), "final count down, chunk {chunk}");
        let mut w = base.clone();
        let m = w.final_cts[chunk].len();
        w.final_cts[chunk][(a + 1) % m] += 1;
        assert!(!accepts(&w), "final count of another cell, chunk {chunk}");
        // The total kept: one read moved to a cell nobody read.
        let mut w = base.clone();
        let unread = (0..m).find(|&b| w.final_cts[chunk][b] == 0).unwrap();
        w.final_cts[chunk][a] -= 1;
        w.final_cts[chunk][unread] += 1;
        assert!(!accepts(&w), "a count moved to another cell, chunk {chunk}");
    }
}

// ---------------------------------------------------------------------------
// Soundness: tampered proofs.

fn proof_base() -> (LassoWitness, Proved) {
    let w = witness(REDUCED, 1 << 6, 40);
    let (proof, _) = prove_fr(&w);
    verify_fr(&proof, &w).unwrap();
    (w, proof)
}

/// A change to a proof.
type Edit = Box<dyn Fn(&mut Proved)>;

/// Every field element of the proof, by a path for messages.
fn tamper_sites(proof: &Proved) -> Vec<(String, Edit)> {
    let one = Fr::one();
    let mut sites: Vec<(String, Edit)> = vec![
        (
            "output claim".into(),
            Box::new(move |p| p.lasso.output_claim += one),
        ),
        (
            "primary round 0".into(),
            Box::new(move |p| p.lasso.primary.round_polys[0].coeffs_except_linear_term[0] += one),
        ),
        (
            "primary last round, top coefficient".into(),
            Box::new(move |p| {
                let last = p.lasso.primary.round_polys.last_mut().unwrap();
                *last.coeffs_except_linear_term.last_mut().unwrap() += one;
            }),
        ),
    ];
    for k in [0, proof.lasso.flag_evals.len() - 1] {
        sites.push((
            format!("flag eval {k}"),
            Box::new(move |p| p.lasso.flag_evals[k] += one),
        ));
    }
    for m in [0, 3, proof.lasso.read_value_evals.len() - 1] {
        sites.push((
            format!("primary E eval {m}"),
            Box::new(move |p| p.lasso.read_value_evals[m] += one),
        ));
        sites.push((
            format!("memory-checking E eval {m}"),
            Box::new(move |p| p.lasso.memory.read_value_evals[m] += one),
        ));
    }
    type Gp = fn(&mut Proved) -> &mut GrandProductProof<Fr>;
    let gps: [(&str, Gp); 1] = [("circuit", |p| &mut p.products)];
    for (name, gp) in gps {
        let g = gp(&mut proof.clone()).clone();
        for k in 0..g.outputs.len() {
            sites.push((
                format!("{name} output {k}"),
                Box::new(move |p| gp(p).outputs[k] += one),
            ));
        }
        // Every chunk's reads and table are fraction sums: their P.
        assert_eq!(g.numerator_outputs.len(), g.outputs.len());
        for k in 0..g.numerator_outputs.len() {
            sites.push((
                format!("{name} numerator output {k}"),
                Box::new(move |p| gp(p).numerator_outputs[k] += one),
            ));
        }
        // The top layers carry every chunk's reads and table; the deepest
        // ones only the larger of the two.
        for layer in [0, 1, g.layers.len() / 2, g.layers.len() - 1] {
            sites.push((
                format!("{name} layer {layer} left"),
                Box::new(move |p| gp(p).layers[layer].left[0] += one),
            ));
            sites.push((
                format!("{name} layer {layer} right"),
                Box::new(move |p| *gp(p).layers[layer].right.last_mut().unwrap() += one),
            ));
            // Numerator halves: the fractions' p (at the last layer only
            // the tables' multiplicities; the reads' are 1 and not sent).
            if !g.layers[layer].left_num.is_empty() {
                sites.push((
                    format!("{name} layer {layer} left numerator"),
                    Box::new(move |p| gp(p).layers[layer].left_num[0] += one),
                ));
                sites.push((
                    format!("{name} layer {layer} right numerator"),
                    Box::new(move |p| *gp(p).layers[layer].right_num.last_mut().unwrap() += one),
                ));
            }
            if layer > 0 {
                sites.push((
                    format!("{name} layer {layer} sumcheck"),
                    Box::new(move |p| {
                        gp(p).layers[layer].sumcheck.round_polys[0].coeffs_except_linear_term[0] +=
                            one
                    }),
                ));
            }
        }
    }
    sites
}

/// Each chunk's table numerators are the committed final counts: the
/// claims include FinalCount(i) at the sum's numerator leaf claim, so a
/// committed column other than the one the sums used fails the opening.
#[test]
fn the_final_counts_the_sums_use_are_opened() {
    let (w, proof) = proof_base();
    let claims = verify_fr(&proof, &w).unwrap();
    assert!(claims_hold(&w, &claims));
    for chunk in 0..w.layout.num_chunks() {
        let mut committed = w.clone();
        committed.final_cts[chunk][0] += 1;
        assert!(!claims_hold(&committed, &claims), "chunk {chunk}");
    }
}

#[test]
fn rejects_every_tampered_proof_value() {
    let (w, proof) = proof_base();
    let sites = tamper_sites(&proof);
    assert!(sites.len() > 36);
    for (name, tamper) in sites {
        let mut bad = proof.clone();
        tamper(&mut bad);
        assert!(verify_fr(&bad, &w).is_err(), "{name}");
    }
}

#[test]
fn rejects_misshapen_proofs_without_panicking() {
    let (w, proof) = proof_base();
    let params = w.layout.params;
    let shape = |p: &Proved, log_t: usize, params: LookupParams| {
        let layout = LassoLayout::new(params).unwrap();
        let trace_length = TraceLength::from_log(log_t).unwrap();
        matches!(
            verify_in(&layout, trace_length, p, &mut transcript()),
            Err(VerifyError::Shape { .. })
        )
    };
    // Other sizes and parameters than the proof's (2^6 rows).
    assert!(shape(&proof, 5, params));
    assert!(shape(&proof, 7, params));
    assert!(shape(&proof, 6, LookupParams::RV32));
    // Vectors of the wrong length.
    let edits: Vec<Edit> = vec![
        Box::new(|p| {
            p.lasso.flag_evals.pop();
        }),
        Box::new(|p| p.lasso.read_value_evals.push(Fr::one())),
        Box::new(|p| {
            p.products.numerator_outputs.push(Fr::one());
        }),
        Box::new(|p| p.lasso.memory.read_value_evals.clear()),
        Box::new(|p| {
            p.products.layers.last_mut().unwrap().left_num.pop();
        }),
        Box::new(|p| {
            p.lasso.primary.round_polys.pop();
        }),
        Box::new(|p| {
            p.lasso.primary.round_polys[2]
                .coeffs_except_linear_term
                .push(Fr::one())
        }),
        Box::new(|p| {
            p.lasso.primary.round_polys[2]
                .coeffs_except_linear_term
                .pop();
        }),
        Box::new(|p| {
            p.products.layers.pop();
        }),
        Box::new(|p| {
            p.products.outputs.pop();
        }),
        Box::new(|p| {
            p.products.layers[3].left.pop();
        }),
        Box::new(|p| {
            let last = p.products.layers.len() - 1;
            p.products.layers[last].right.push(Fr::one());
        }),
    ];
    for (i, edit) in edits.iter().enumerate() {
        let mut bad = proof.clone();
        edit(&mut bad);
        assert!(verify_fr(&bad, &w).is_err(), "edit {i}");
    }
}

#[test]
fn proof_serialization_round_trip_and_garbage() {
    use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
    let (w, proof) = proof_base();
    // The chunks' sums and the Lasso proof together.
    let mut whole = Vec::new();
    proof.serialize_compressed(&mut whole).unwrap();
    let back = Proved::deserialize_compressed(&whole[..]).unwrap();
    assert_eq!(back, proof);
    verify_fr(&back, &w).unwrap();
    for cut in (0..whole.len()).step_by(97) {
        assert!(Proved::deserialize_compressed(&whole[..cut]).is_err());
    }
    let mut bytes = Vec::new();
    proof.lasso.serialize_compressed(&mut bytes).unwrap();
    for cut in (0..bytes.len()).step_by(97) {
        assert!(LassoProof::<Fr>::deserialize_compressed(&bytes[..cut]).is_err());
    }
    // A forged length prefix must not allocate: the first vector's length
    // sits after the output claim and the first sumcheck's length.
    let mut forged = bytes.clone();
    forged[32..40].copy_from_slice(&(1u64 << 62).to_le_bytes());
    assert!(LassoProof::<Fr>::deserialize_compressed(&forged[..]).is_err());
}

/// The proof is bound to the transcript it was made in: the verifier with
/// anything else absorbed first rejects it.
#[test]
fn rejects_a_proof_from_another_transcript() {
    let (w, proof) = proof_base();
    let mut t = transcript();
    t.append_u64(b"something else", 1);
    assert!(verify_in(&w.layout, w.trace_length(), &proof, &mut t).is_err());
    // A proof of other rows of the same size verifies, but its claims are
    // false for these rows' columns.
    let other = witness(REDUCED, 1 << 6, 41);
    let claims = verify_fr(&proof, &other).unwrap();
    assert!(!claims_hold(&other, &claims));
}

/// Prover and verifier make the same transcript operations, in order.
#[test]
fn prover_and_verifier_transcripts_agree() {
    let w = witness(REDUCED, 1 << 4, 50);
    let mut tp = transcript();
    let (proof, _) = prove_in(&w, &mut tp);
    let mut tv = transcript();
    verify_in(&w.layout, w.trace_length(), &proof, &mut tv).unwrap();
    assert_eq!(tp.log(), tv.log());
    let a: Fr = tp.challenge_scalar(b"next");
    let b: Fr = tv.challenge_scalar(b"next");
    assert_eq!(a, b);
}
