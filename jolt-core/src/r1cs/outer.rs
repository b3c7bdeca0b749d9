//! The prover of Spartan's outer sumcheck over a uniform R1CS,
//!
//!   Σ_t eq(τ, t) · Σ_i ρ^i · (A_i·z_t · B_i·z_t − C_i·z_t) = 0,
//!
//! with eq factored out of every round ([`SplitEqPolynomial`]), so each
//! round needs q(X) = Σ_t' eq(τ_rest, t')·Σ_i ρ^i (a_i·b_i − c_i)(X, t')
//! at X = 0 and 2 only (q(1) follows from the running claim).
//!
//! **Round 1 in integers.** Before the first challenge every variable is
//! an entry of a committed column — a bit, a byte, a word — so A_i·z, B_i·z
//! and C_i·z at the two steps of a pair and at X = 2 are integers, and so
//! are the products. The field is touched once per nonzero product (ρ^i
//! times it), and an honest step's a·b − c is zero at X = 0. Columns of
//! field values (an inverse hint) take a field path for the constraints
//! that read them. A row whose A is 0 at both steps (a condition off, as
//! on most pairs) is q = −C without evaluating B.
//!
//! **Later rounds in the field.** Binding the first challenge turns each
//! bound column into T/2 field elements; the remaining rounds evaluate the
//! constraints on them with the matrices' small coefficients (additions
//! for ±1) and bind in place. A bound column is a slot, or a combination
//! of [`MIN_COMBINATION_TERMS`] or more slots that a row reads (a flag
//! sum, a word from its bytes): binding is linear, so the combination is
//! summed once, in integers, before the first bind, and a round reads one
//! value instead of summing it on both halves of every pair. Slots that
//! only combinations read are not bound; their final evaluations come
//! from one pass over the column against eq at the final point. A row
//! whose A (or B) is zero on both halves of a pair — a flag off at every
//! step the pair binds, as most flags are — contributes −C only, so its
//! other combination and products are skipped.

use rayon::prelude::*;

use super::builder::{field_from_i128, LinearCombination, UniformR1cs, Variable};
use super::witness::{column_value, R1csWitness, Value};
use crate::field::{JoltField, ProductSum};
use crate::pcs::Column;
use crate::poly::{par_chunk_len, EqPolynomial, SplitEqPolynomial, PAR_THRESHOLD};
use crate::subprotocols::SumcheckInstance;

/// A matrix coefficient, with the cheap cases apart.
#[derive(Clone, Copy, Debug)]
enum Coeff<F> {
    One,
    MinusOne,
    Small(i64),
    Field(F),
}

impl<F: JoltField> Coeff<F> {
    fn new(c: i128) -> Self {
        match c {
            1 => Coeff::One,
            -1 => Coeff::MinusOne,
            _ => match i64::try_from(c) {
                Ok(c) => Coeff::Small(c),
                Err(_) => Coeff::Field(field_from_i128(c)),
            },
        }
    }

    fn times(self, x: F) -> F {
        match self {
            Coeff::One => x,
            Coeff::MinusOne => -x,
            Coeff::Small(c) => x.mul_i64(c),
            Coeff::Field(c) => x * c,
        }
    }
}

/// A linear combination over the variable slots (inputs, auxiliaries,
/// shifted inputs), in both forms.
struct Lc<F> {
    terms: Vec<(usize, i128)>,
    coeffs: Vec<(usize, Coeff<F>)>,
    constant: i128,
    constant_f: F,
}

impl<F: JoltField> Lc<F> {
    fn new(lc: &LinearCombination, slot: impl Fn(Variable) -> usize) -> Self {
        let terms: Vec<(usize, i128)> = lc.terms.iter().map(|&(v, c)| (slot(v), c)).collect();
        Lc {
            coeffs: terms.iter().map(|&(j, c)| (j, Coeff::new(c))).collect(),
            terms,
            constant: lc.constant,
            constant_f: field_from_i128(lc.constant),
        }
    }

    /// The value on integer slots, or `None` on overflow.
    fn small(&self, values: &[i128]) -> Option<i128> {
        let mut acc = self.constant;
        for &(j, c) in &self.terms {
            acc = acc.checked_add(c.checked_mul(values[j])?)?;
        }
        Some(acc)
    }

    fn field(&self, values: &[F]) -> F {
        self.coeffs
            .iter()
            .fold(self.constant_f, |acc, &(j, c)| acc + c.times(values[j]))
    }

    /// The linear part only (the constant cancels in a difference).
    fn field_linear(&self, values: &[F]) -> F {
        self.coeffs
            .iter()
            .fold(F::zero(), |acc, &(j, c)| acc + c.times(values[j]))
    }
}

struct Row<F> {
    a: Lc<F>,
    b: Lc<F>,
    c: Lc<F>,
    rho: F,
    /// Reads a slot whose column holds field values.
    reads_field: bool,
}

/// The outer sumcheck's prover state.
pub(super) struct Outer<'a, 'w, F> {
    r1cs: &'a UniformR1cs,
    witness: &'a R1csWitness<'w, F>,
    rows: Vec<Row<F>>,
    eq: SplitEqPolynomial<F>,
    /// Slots whose columns hold field values (before binding).
    field_slots: Vec<bool>,
    num_slots: usize,
    /// The rows over the bound columns (`bound_columns` indices).
    bound_rows: Vec<Row<F>>,
    /// What each bound column holds.
    bound_columns: Vec<BoundColumn>,
    /// The bound columns after the first round.
    bound: Vec<Vec<F>>,
    /// The challenges so far (the final point, at the end).
    challenges: Vec<F>,
    num_rounds: usize,
}

/// A column that the rounds after the first bind read: a slot, or a long
/// linear combination of slots that rows read (the constant stays in the
/// row).
#[derive(Clone, Debug, PartialEq, Eq)]
enum BoundColumn {
    Slot(usize),
    Combination(Vec<(usize, i128)>),
}

/// Combinations of at least this many terms get a bound column of their
/// own: binding is linear, so the bound combination is the combination of
/// the bound slots, and a round then reads one value where it evaluated
/// the whole combination (on both halves of every pair).
const MIN_COMBINATION_TERMS: usize = 3;

/// Steps of a combination summed at once, column by column.
const COMBINATION_BLOCK: usize = 1 << 10;

impl<'a, 'w, F: JoltField> Outer<'a, 'w, F> {
    pub(super) fn new(
        r1cs: &'a UniformR1cs,
        witness: &'a R1csWitness<'w, F>,
        tau: &[F],
        rho_powers: &[F],
    ) -> Self {
        let (n_in, n_aux) = (r1cs.num_inputs, r1cs.num_aux());
        let slot = |v: Variable| match v {
            Variable::Input(j) => j,
            Variable::Aux(k) => n_in + k,
            Variable::Next(j) => {
                // The builder registers every input it shifts.
                let s = r1cs
                    .shifted
                    .iter()
                    .position(|(i, _)| *i == j)
                    .expect("registered shift");
                n_in + n_aux + s
            }
        };
        let num_slots = n_in + n_aux + r1cs.shifted.len();
        let mut field_slots = vec![false; num_slots];
        for (j, column) in witness.inputs.iter().chain(&witness.aux).enumerate() {
            field_slots[j] = matches!(column, crate::pcs::Column::Field(_));
        }
        for (s, &(j, _)) in r1cs.shifted.iter().enumerate() {
            field_slots[n_in + n_aux + s] = field_slots[j];
        }
        let rows: Vec<Row<F>> = r1cs
            .constraints
            .iter()
            .zip(rho_powers)
            .map(|(c, &rho)| {
                let (a, b, c) = (
                    Lc::new(&c.a, slot),
                    Lc::new(&c.b, slot),
                    Lc::new(&c.c, slot),
                );
                let reads_field = [&a, &b, &c]
                    .iter()
                    .any(|lc| lc.terms.iter().any(|&(j, _)| field_slots[j]));
                Row {
                    a,
                    b,
                    c,
                    rho,
                    reads_field,
                }
            })
            .collect();
        let (bound_rows, bound_columns) = bound_layout(&rows);
        Outer {
            r1cs,
            witness,
            rows,
            eq: SplitEqPolynomial::new(tau),
            field_slots,
            num_slots,
            bound_rows,
            bound_columns,
            bound: Vec::new(),
            challenges: Vec::new(),
            num_rounds: tau.len(),
        }
    }

    /// Every slot's value at step t.
    fn load(&self, t: usize, small: &mut [i128], field: &mut [F]) {
        let w = self.witness;
        let (n_in, n_aux) = (self.r1cs.num_inputs, self.r1cs.num_aux());
        let mut put = |slot: usize, v: Value<F>| match v {
            Value::Small(x) => {
                small[slot] = x;
                if self.field_slots[slot] {
                    field[slot] = field_from_i128(x);
                }
            }
            Value::Field(f) => field[slot] = f,
        };
        for (j, column) in w.inputs.iter().chain(&w.aux).enumerate() {
            put(j, column_value(column, t));
        }
        for (s, &(j, _)) in self.r1cs.shifted.iter().enumerate() {
            put(n_in + n_aux + s, w.next_value(self.r1cs, j, t));
        }
    }

    /// q(0), q(2) (and q(1) if `with_one`) of the first round's pair
    /// (t, t + half) before eq: Σ_i ρ^i (a·b − c) at those points.
    fn first_round_pair(
        &self,
        t: usize,
        half: usize,
        with_one: bool,
        buf: &mut PairBuffers<F>,
    ) -> [F; 3] {
        let PairBuffers { lo, hi, lo_f, hi_f } = buf;
        self.load(t, lo, lo_f);
        self.load(t + half, hi, hi_f);
        let mut out = [F::zero(); 3];
        // Σ_i ρ^i·q_i over the integer rows, reduced once per pair.
        let mut sums = [F::ProductSum::default(); 3];
        for row in &self.rows {
            let small = if row.reads_field {
                None
            } else {
                small_row(row, lo, hi, with_one)
            };
            match small {
                Some([0, 0, 0]) => {}
                Some(q) => {
                    for ((o, sum), q) in out.iter_mut().zip(&mut sums).zip(q) {
                        match u64::try_from(q.unsigned_abs()) {
                            Ok(n) if q < 0 => sum.sub_product(&row.rho, n),
                            Ok(n) => sum.add_product(&row.rho, n),
                            Err(_) => *o += mul_i128(row.rho, q),
                        }
                    }
                }
                None => {
                    // Field path, over the slots this row reads.
                    let value = |small: &[i128], field: &[F], j: usize| {
                        if self.field_slots[j] {
                            field[j]
                        } else {
                            field_from_i128(small[j])
                        }
                    };
                    let at = |lc: &Lc<F>| {
                        let eval = |small: &[i128], field: &[F]| {
                            lc.coeffs.iter().fold(lc.constant_f, |acc, &(j, c)| {
                                acc + c.times(value(small, field, j))
                            })
                        };
                        (eval(lo, lo_f), eval(hi, hi_f))
                    };
                    let (a, b, c) = (at(&row.a), at(&row.b), at(&row.c));
                    let q = |x: F| {
                        let v = |(l, h): (F, F)| l + x * (h - l);
                        v(a) * v(b) - v(c)
                    };
                    out[0] += row.rho * q(F::zero());
                    out[1] += row.rho * q(F::from_u64(2));
                    if with_one {
                        out[2] += row.rho * q(F::one());
                    }
                }
            }
        }
        for (o, sum) in out.iter_mut().zip(&sums) {
            *o += sum.reduce();
        }
        out
    }

    fn first_round(&self, with_one: bool) -> [F; 3] {
        let table = self.eq.current_table();
        let half = table.len();
        let n = self.num_slots;
        (0..half)
            .into_par_iter()
            .with_min_len(par_chunk_len(half) / 8 + 1)
            .fold(
                || (PairBuffers::new(n), [F::zero(); 3]),
                |(mut buf, mut acc), t| {
                    let q = self.first_round_pair(t, half, with_one, &mut buf);
                    let e = table[t];
                    for (a, q) in acc.iter_mut().zip(q) {
                        if !q.is_zero() {
                            *a += e * q;
                        }
                    }
                    (buf, acc)
                },
            )
            .map(|(_, acc)| acc)
            .reduce(|| [F::zero(); 3], add3)
    }

    fn bound_round(&self, with_one: bool) -> [F; 3] {
        let table = self.eq.current_table();
        let half = table.len();
        let n = self.bound_columns.len();
        let bound = &self.bound;
        (0..half)
            .into_par_iter()
            .with_min_len(par_chunk_len(half) / 8 + 1)
            .fold(
                || (vec![F::zero(); n], vec![F::zero(); n], [F::zero(); 3]),
                |(mut lo, mut d, mut acc), i| {
                    for j in 0..n {
                        lo[j] = bound[j][i];
                        d[j] = bound[j][i + half] - lo[j];
                    }
                    let mut q = [F::zero(); 3];
                    for row in &self.bound_rows {
                        let (a0, ad) = (row.a.field(&lo), row.a.field_linear(&d));
                        // A vanishes on the whole pair (a flag off at every
                        // step it binds): only −C is left, and rows without
                        // C add nothing.
                        if a0.is_zero() && ad.is_zero() {
                            if row.c.terms.is_empty() && row.c.constant == 0 {
                                continue;
                            }
                            let (c0, cd) = (row.c.field(&lo), row.c.field_linear(&d));
                            q[0] -= row.rho * c0;
                            q[1] -= row.rho * (c0 + cd.double());
                            if with_one {
                                q[2] -= row.rho * (c0 + cd);
                            }
                            continue;
                        }
                        let (b0, bd) = (row.b.field(&lo), row.b.field_linear(&d));
                        let (c0, cd) = (row.c.field(&lo), row.c.field_linear(&d));
                        if b0.is_zero() && bd.is_zero() {
                            if c0.is_zero() && cd.is_zero() {
                                continue;
                            }
                            q[0] -= row.rho * c0;
                            q[1] -= row.rho * (c0 + cd.double());
                            if with_one {
                                q[2] -= row.rho * (c0 + cd);
                            }
                            continue;
                        }
                        let q0 = a0 * b0 - c0;
                        let q2 = (a0 + ad.double()) * (b0 + bd.double()) - (c0 + cd.double());
                        if !q0.is_zero() {
                            q[0] += row.rho * q0;
                        }
                        q[1] += row.rho * q2;
                        if with_one {
                            q[2] += row.rho * ((a0 + ad) * (b0 + bd) - (c0 + cd));
                        }
                    }
                    let e = table[i];
                    for (a, q) in acc.iter_mut().zip(q) {
                        *a += e * q;
                    }
                    (lo, d, acc)
                },
            )
            .map(|(_, _, acc)| acc)
            .reduce(|| [F::zero(); 3], add3)
    }

    /// Binds the first round's challenge: every bound column becomes T/2
    /// field elements (1 − r)·lo + r·hi, with small-integer products (bits
    /// choose among 0, r, 1 − r, 1).
    fn bind_first(&mut self, r: F) {
        let half = self.eq.current_table().len();
        let one_minus_r = F::one() - r;
        let bits = [F::zero(), r, one_minus_r, F::one()];
        let this = &*self;
        let bind = |l: Value<F>, h: Value<F>| match (l, h) {
            (Value::Small(l), Value::Small(h)) => mul_i128(one_minus_r, l) + mul_i128(r, h),
            (l, h) => {
                let (l, h) = (l.to_field(), h.to_field());
                l + r * (h - l)
            }
        };
        let bound: Vec<Vec<F>> = self
            .bound_columns
            .par_iter()
            .map(|column| {
                let steps = (0..half).into_par_iter().with_min_len(PAR_THRESHOLD);
                match column {
                    BoundColumn::Slot(slot) => {
                        let slot = *slot;
                        let column = this.slot_column(slot);
                        steps
                            .map(|t| {
                                if let Some(Column::Bits(v)) = column {
                                    return bits[(v[t] as usize) << 1 | v[t + half] as usize];
                                }
                                bind(this.slot_value(slot, t), this.slot_value(slot, t + half))
                            })
                            .collect()
                    }
                    BoundColumn::Combination(terms) => {
                        let mut out = vec![F::zero(); half];
                        out.par_chunks_mut(COMBINATION_BLOCK)
                            .enumerate()
                            .for_each(|(b, out)| {
                                let start = b * COMBINATION_BLOCK;
                                let (mut lo, mut hi) = (vec![0; out.len()], vec![0; out.len()]);
                                let small = terms.iter().all(|&(j, c)| {
                                    this.add_slot_block(j, c, start, &mut lo)
                                        && this.add_slot_block(j, c, start + half, &mut hi)
                                });
                                for (i, out) in out.iter_mut().enumerate() {
                                    *out = if small {
                                        bind(Value::Small(lo[i]), Value::Small(hi[i]))
                                    } else {
                                        let t = start + i;
                                        bind(
                                            this.combination(terms, t),
                                            this.combination(terms, t + half),
                                        )
                                    };
                                }
                            });
                        out
                    }
                }
            })
            .collect();
        self.bound = bound;
    }

    /// acc\[i] += c·slot at step start + i, column by column; false if the
    /// slot holds field values or a sum overflows (the caller then takes
    /// the field path).
    fn add_slot_block(&self, slot: usize, c: i128, start: usize, acc: &mut [i128]) -> bool {
        let Ok(c) = i64::try_from(c) else {
            return false;
        };
        let c = c as i128;
        let len = acc.len();
        let mut overflow = false;
        macro_rules! add {
            ($v:expr) => {
                for (a, &x) in acc.iter_mut().zip(&$v[start..start + len]) {
                    // |c| < 2^63 and |x| < 2^64: the product fits.
                    let (sum, o) = a.overflowing_add(c * x as i128);
                    *a = sum;
                    overflow |= o;
                }
            };
        }
        match self.slot_column(slot) {
            Some(Column::Bits(v)) => add!(v),
            Some(Column::U8(v)) => add!(v),
            Some(Column::U16(v)) => add!(v),
            Some(Column::U32(v)) => add!(v),
            Some(Column::U64(v)) => add!(v),
            Some(Column::I64(v)) => add!(v),
            Some(Column::Field(_)) => return false,
            None => {
                for (i, a) in acc.iter_mut().enumerate() {
                    let Value::Small(x) = self.slot_value(slot, start + i) else {
                        return false;
                    };
                    let Some(sum) = c.checked_mul(x).and_then(|p| a.checked_add(p)) else {
                        return false;
                    };
                    *a = sum;
                }
            }
        }
        !overflow
    }

    /// Σ c·slot at step t: an integer unless a slot holds a field value or
    /// the sum overflows.
    fn combination(&self, terms: &[(usize, i128)], t: usize) -> Value<F> {
        let small = terms
            .iter()
            .try_fold(0i128, |acc, &(j, c)| match self.slot_value(j, t) {
                Value::Small(v) => acc.checked_add(c.checked_mul(v)?),
                Value::Field(_) => None,
            });
        match small {
            Some(v) => Value::Small(v),
            None => Value::Field(terms.iter().fold(F::zero(), |acc, &(j, c)| {
                acc + field_from_i128::<F>(c) * self.slot_value(j, t).to_field()
            })),
        }
    }

    /// The column behind an input or auxiliary slot (shifted slots read
    /// their input one step later and have none).
    fn slot_column(&self, slot: usize) -> Option<Column<'_, F>> {
        let (n_in, n_aux) = (self.r1cs.num_inputs, self.r1cs.num_aux());
        if slot < n_in {
            Some(self.witness.inputs[slot])
        } else if slot < n_in + n_aux {
            Some(self.witness.aux[slot - n_in])
        } else {
            None
        }
    }

    fn slot_value(&self, slot: usize, t: usize) -> Value<F> {
        let (n_in, n_aux) = (self.r1cs.num_inputs, self.r1cs.num_aux());
        let w = self.witness;
        if slot < n_in {
            column_value(&w.inputs[slot], t)
        } else if slot < n_in + n_aux {
            column_value(&w.aux[slot - n_in], t)
        } else {
            let j = self.r1cs.shifted[slot - n_in - n_aux].0;
            w.next_value(self.r1cs, j, t)
        }
    }

    /// Every slot's value at the final point (after the last round): the
    /// bound slots' last entries, and for slots that only combinations
    /// read, one pass over the column against eq at that point.
    pub(super) fn final_evals(&self) -> Vec<F> {
        let mut evals: Vec<Option<F>> = vec![None; self.num_slots];
        for (column, bound) in self.bound_columns.iter().zip(&self.bound) {
            if let BoundColumn::Slot(slot) = column {
                evals[*slot] = Some(bound[0]);
            }
        }
        if evals.iter().all(Option::is_some) {
            return evals.into_iter().flatten().collect();
        }
        let eq = EqPolynomial::new(self.challenges.clone()).evals();
        evals
            .into_iter()
            .enumerate()
            .map(|(slot, eval)| {
                eval.unwrap_or_else(|| match self.slot_column(slot) {
                    Some(column) => column.evaluate_with_eq(&eq),
                    // A shifted slot: input j one step later.
                    None => eq
                        .par_iter()
                        .enumerate()
                        .with_min_len(PAR_THRESHOLD)
                        .map(|(t, e)| match self.slot_value(slot, t) {
                            Value::Small(v) => mul_i128(*e, v),
                            Value::Field(v) => *e * v,
                        })
                        .sum(),
                })
            })
            .collect()
    }
}

/// The rows the rounds after the first evaluate, and the bound columns they
/// read: a row that reads a field-valued slot keeps its slots; elsewhere a
/// combination of [`MIN_COMBINATION_TERMS`] or more becomes one bound
/// column (shared by every row that has it). Slots no remaining row reads
/// directly are not bound at all.
fn bound_layout<F: JoltField>(rows: &[Row<F>]) -> (Vec<Row<F>>, Vec<BoundColumn>) {
    let mut columns: Vec<BoundColumn> = Vec::new();
    let mut index = |column: BoundColumn| match columns.iter().position(|c| *c == column) {
        Some(i) => i,
        None => {
            columns.push(column);
            columns.len() - 1
        }
    };
    let mut remap = |lc: &Lc<F>, keep: bool| -> Lc<F> {
        let terms: Vec<(usize, i128)> = if keep || lc.terms.len() < MIN_COMBINATION_TERMS {
            lc.terms
                .iter()
                .map(|&(j, c)| (index(BoundColumn::Slot(j)), c))
                .collect()
        } else {
            let mut combination = lc.terms.clone();
            combination.sort_unstable();
            vec![(index(BoundColumn::Combination(combination)), 1)]
        };
        Lc {
            coeffs: terms.iter().map(|&(j, c)| (j, Coeff::new(c))).collect(),
            terms,
            constant: lc.constant,
            constant_f: lc.constant_f,
        }
    };
    let bound_rows = rows
        .iter()
        .map(|row| Row {
            a: remap(&row.a, row.reads_field),
            b: remap(&row.b, row.reads_field),
            c: remap(&row.c, row.reads_field),
            rho: row.rho,
            reads_field: row.reads_field,
        })
        .collect();
    (bound_rows, columns)
}

/// Per-thread slot values of the two steps of a pair.
struct PairBuffers<F> {
    lo: Vec<i128>,
    hi: Vec<i128>,
    lo_f: Vec<F>,
    hi_f: Vec<F>,
}

impl<F: JoltField> PairBuffers<F> {
    fn new(n: usize) -> Self {
        PairBuffers {
            lo: vec![0; n],
            hi: vec![0; n],
            lo_f: vec![F::zero(); n],
            hi_f: vec![F::zero(); n],
        }
    }
}

fn add3<F: JoltField>(a: [F; 3], b: [F; 3]) -> [F; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

/// q(0), q(2) (and q(1)) of one constraint on integer slots, or `None` if
/// an intermediate overflows i128 (then the field path runs).
fn small_row<F: JoltField>(
    row: &Row<F>,
    lo: &[i128],
    hi: &[i128],
    with_one: bool,
) -> Option<[i128; 3]> {
    let (a0, a1) = (row.a.small(lo)?, row.a.small(hi)?);
    let (c0, c1) = (row.c.small(lo)?, row.c.small(hi)?);
    if a0 == 0 && a1 == 0 {
        // A vanishes at both steps, so on the whole line through them: q is
        // −C there, and B (often the longest combination) is not needed.
        // Most constraints are conditional and their condition is 0 on most
        // pairs.
        let c2 = c1.checked_mul(2)?.checked_sub(c0)?;
        return Some([-c0, -c2, if with_one { -c1 } else { 0 }]);
    }
    let (b0, b1) = (row.b.small(lo)?, row.b.small(hi)?);
    let q0 = a0.checked_mul(b0)?.checked_sub(c0)?;
    let two = |l: i128, h: i128| h.checked_mul(2)?.checked_sub(l);
    let (a2, b2, c2) = (two(a0, a1)?, two(b0, b1)?, two(c0, c1)?);
    let q2 = a2.checked_mul(b2)?.checked_sub(c2)?;
    let q1 = if with_one {
        a1.checked_mul(b1)?.checked_sub(c1)?
    } else {
        0
    };
    Some([q0, q2, q1])
}

/// x · v for a signed 128-bit v.
pub(super) fn mul_i128<F: JoltField>(x: F, v: i128) -> F {
    match i64::try_from(v) {
        Ok(v) => x.mul_i64(v),
        Err(_) => x * field_from_i128::<F>(v),
    }
}

impl<F: JoltField> SumcheckInstance<F> for Outer<'_, '_, F> {
    fn degree(&self) -> usize {
        3
    }

    fn num_rounds(&self) -> usize {
        self.num_rounds
    }

    fn input_claim(&self) -> F {
        F::zero()
    }

    fn compute_message(&mut self, round: usize, previous_claim: F) -> Vec<F> {
        let q = if round == 0 {
            self.first_round(false)
        } else {
            self.bound_round(false)
        };
        match self
            .eq
            .round_evals(&[q[0], F::zero(), q[1]], previous_claim)
        {
            Some(evals) => evals,
            None => {
                let q = if round == 0 {
                    self.first_round(true)
                } else {
                    self.bound_round(true)
                };
                self.eq.round_evals_full(&[q[0], q[2], q[1]])
            }
        }
    }

    fn bind(&mut self, r_j: F, round: usize) {
        self.challenges.push(r_j);
        if round == 0 {
            self.bind_first(r_j);
        } else {
            let bind = |v: &mut Vec<F>| {
                let half = v.len() / 2;
                let (lo, hi) = v.split_at_mut(half);
                lo.iter_mut()
                    .zip(hi.iter())
                    .for_each(|(l, h)| *l += r_j * (*h - *l));
                v.truncate(half);
            };
            self.bound.par_iter_mut().for_each(bind);
        }
        self.eq.bind(r_j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::DensePolynomial;
    use crate::r1cs::builder::{Builder, LinearCombination as L};
    use crate::r1cs::witness::OwnedR1csWitness;
    use crate::subprotocols::SumcheckProof;
    use crate::transcript::Transcript;
    use ark_bn254::Fr;
    use ark_ff::UniformRand;
    use rand::{Rng, SeedableRng};

    const X: usize = 0; // a counter: x_{t+1} = x_t + z_t + 1
    const Z: usize = 1; // zeros
    const BYTES: [usize; 3] = [2, 3, 4];
    const W: usize = 5; // the word of the three bytes
    const FLAG: usize = 6;
    const V: usize = 7; // a field value

    fn system(t: usize) -> UniformR1cs {
        let mut b = Builder::new(8);
        b.constrain_binary("flag is boolean", Variable::Input(FLAG));
        let word = L::sum(
            BYTES
                .iter()
                .zip([1, 1 << 8, 1 << 16])
                .map(|(&j, c)| (Variable::Input(j), c)),
        );
        b.constrain_eq_if("word", Variable::Input(FLAG), Variable::Input(W), word);
        b.product("v·v", Variable::Input(V), Variable::Input(V));
        let next_x = b.next(X, t as i128);
        b.constrain_eq(
            "counter",
            next_x,
            L::sum([(Variable::Input(X), 1), (Variable::Input(Z), 1)]).add_constant(1),
        );
        b.finish()
    }

    #[allow(clippy::needless_range_loop)] // s indexes eight columns at once
    fn witness(t: usize, rng: &mut impl Rng) -> Vec<Vec<Fr>> {
        let mut cols = vec![vec![Fr::from(0u64); t]; 8];
        for s in 0..t {
            let bytes: [u64; 3] = [
                rng.gen::<u8>().into(),
                rng.gen::<u8>().into(),
                rng.gen::<u8>().into(),
            ];
            cols[X][s] = Fr::from(s as u64);
            for (&j, &v) in BYTES.iter().zip(&bytes) {
                cols[j][s] = Fr::from(v);
            }
            cols[W][s] = Fr::from(bytes[0] + (bytes[1] << 8) + (bytes[2] << 16));
            cols[FLAG][s] = Fr::from(rng.gen_bool(0.5) as u64);
            cols[V][s] = Fr::rand(rng);
        }
        cols
    }

    #[test]
    fn long_combinations_are_bound_once_and_final_evals_match_the_columns() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let log_t = 6;
        let t = 1 << log_t;
        let r1cs = system(t);
        let owned = OwnedR1csWitness::new(&r1cs, witness(t, &mut rng));
        let narrowed = owned.narrowed();
        let view = narrowed.view();
        let tau: Vec<Fr> = (0..log_t).map(|_| Fr::rand(&mut rng)).collect();
        let rho = Fr::rand(&mut rng);
        let rho_powers: Vec<Fr> = (0..r1cs.constraints.len())
            .scan(Fr::from(1u64), |p, _| {
                let q = *p;
                *p *= rho;
                Some(q)
            })
            .collect();
        let mut outer = Outer::new(&r1cs, &view, &tau, &rho_powers);

        // The word's and the counter's combinations are bound columns; the
        // slots only they read (bytes, word, counter, zeros, next counter)
        // are not; the flag and the field row's slots are.
        let n = r1cs.num_inputs + r1cs.num_aux();
        let bound_slots: Vec<usize> = outer
            .bound_columns
            .iter()
            .filter_map(|c| match c {
                BoundColumn::Slot(j) => Some(*j),
                BoundColumn::Combination(_) => None,
            })
            .collect();
        let combinations = outer.bound_columns.len() - bound_slots.len();
        assert_eq!(combinations, 2);
        for j in [X, Z, BYTES[0], BYTES[1], BYTES[2], W, n] {
            assert!(!bound_slots.contains(&j), "slot {j} bound");
        }
        for j in [FLAG, V, r1cs.num_inputs] {
            assert!(bound_slots.contains(&j), "slot {j} not bound");
        }

        let (_, r) = SumcheckProof::prove(&mut outer, &mut Transcript::new(b"test"));
        let evals = outer.final_evals();
        let at_r = |column: Vec<Fr>| DensePolynomial::new(column).evaluate(&r);
        let mut expected: Vec<Fr> = owned
            .inputs
            .iter()
            .chain(&owned.aux)
            .map(|c| at_r(c.clone()))
            .collect();
        let mut next_x: Vec<Fr> = owned.inputs[X][1..].to_vec();
        next_x.push(Fr::from(t as u64));
        expected.push(at_r(next_x));
        assert_eq!(evals, expected);
    }
}
