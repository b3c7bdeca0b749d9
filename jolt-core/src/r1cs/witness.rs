//! The R1CS witness as the prover reads it: every input column at the width
//! its owner committed it (bits, bytes, words), and the auxiliary columns
//! the builder's rules define, computed in integers and kept at the
//! narrowest width their values allow. Nothing here is a field column
//! unless its values need the field (an inverse, a product past 64 bits).

use rayon::prelude::*;

use super::builder::{
    bit_of_field, field_from_i128, AuxRule, LinearCombination, UniformR1cs, Variable,
};
use crate::field::JoltField;
use crate::pcs::Column;
use crate::poly::PAR_THRESHOLD;
use crate::trace_length::TraceLength;

/// A value of one variable at one step: a small integer when it is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<F> {
    Small(i128),
    Field(F),
}

impl<F: JoltField> Value<F> {
    pub fn to_field(self) -> F {
        match self {
            Value::Small(v) => field_from_i128(v),
            Value::Field(f) => f,
        }
    }
}

/// Entry `t` of a committed column, as a small integer where it is one.
pub fn column_value<F: JoltField>(column: &Column<'_, F>, t: usize) -> Value<F> {
    match column {
        Column::Bits(v) => Value::Small(v[t] as i128),
        Column::U8(v) => Value::Small(v[t] as i128),
        Column::U16(v) => Value::Small(v[t] as i128),
        Column::U32(v) => Value::Small(v[t] as i128),
        Column::U64(v) => Value::Small(v[t] as i128),
        Column::I64(v) => Value::Small(v[t] as i128),
        Column::Field(v) => Value::Field(v[t]),
    }
}

/// An owned column at the narrowest width its values allow: how the
/// auxiliary columns are kept (most are products of a flag and a small
/// value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NarrowColumn<F> {
    U64(Vec<u64>),
    I64(Vec<i64>),
    Field(Vec<F>),
}

impl<F: JoltField> NarrowColumn<F> {
    /// The narrowest column holding `values`.
    pub fn narrow(values: Vec<Value<F>>) -> Self {
        let small: Option<Vec<i128>> = values
            .iter()
            .map(|v| match v {
                Value::Small(x) => Some(*x),
                Value::Field(_) => None,
            })
            .collect();
        if let Some(small) = small {
            if let Some(u) = small
                .iter()
                .map(|&x| u64::try_from(x).ok())
                .collect::<Option<Vec<u64>>>()
            {
                return NarrowColumn::U64(u);
            }
            if let Some(i) = small
                .iter()
                .map(|&x| i64::try_from(x).ok())
                .collect::<Option<Vec<i64>>>()
            {
                return NarrowColumn::I64(i);
            }
        }
        NarrowColumn::Field(values.into_iter().map(Value::to_field).collect())
    }

    /// The narrowest column of field values (small where they are).
    pub fn from_field(values: &[F]) -> Self {
        let small = |f: &F| -> Option<i128> {
            let limbs = |x: &F| {
                let b = x.into_bigint();
                let l = b.as_ref();
                l[1..].iter().all(|&w| w == 0).then_some(l[0])
            };
            match limbs(f) {
                Some(v) => Some(v as i128),
                None => limbs(&-*f).map(|v| -(v as i128)),
            }
        };
        Self::narrow(
            values
                .iter()
                .map(|f| small(f).map_or(Value::Field(*f), Value::Small))
                .collect(),
        )
    }

    pub fn as_column(&self) -> Column<'_, F> {
        match self {
            NarrowColumn::U64(v) => Column::U64(v),
            NarrowColumn::I64(v) => Column::I64(v),
            NarrowColumn::Field(v) => Column::Field(v),
        }
    }
}

/// The witness Spartan proves: input columns (owned by the subprotocols
/// that commit them), then auxiliary columns, T entries each.
#[derive(Clone, Debug)]
pub struct R1csWitness<'a, F> {
    pub inputs: Vec<Column<'a, F>>,
    pub aux: Vec<Column<'a, F>>,
}

impl<'a, F: JoltField> R1csWitness<'a, F> {
    /// # Panics
    /// If the columns differ in length or their length is not a valid
    /// trace length (prover-side invariants).
    pub fn new(inputs: Vec<Column<'a, F>>, aux: Vec<Column<'a, F>>) -> Self {
        let witness = R1csWitness { inputs, aux };
        let t = witness.trace_length().t();
        assert!(
            witness
                .inputs
                .iter()
                .chain(&witness.aux)
                .all(|c| c.len() == t),
            "R1CS columns of different lengths"
        );
        witness
    }

    /// T.
    ///
    /// # Panics
    /// If the columns are not 2 to 2^29 steps long (a prover-side
    /// invariant: witnesses are built from a padded trace).
    pub fn trace_length(&self) -> TraceLength {
        let t = self.inputs.first().map_or(1, Column::len);
        TraceLength::from_log(t.trailing_zeros() as usize)
            .filter(|l| l.t() == t)
            .expect("an R1CS witness of a valid trace length")
    }

    /// Input j at step t + 1, or its boundary value after the last step.
    pub fn next_value(&self, r1cs: &UniformR1cs, j: usize, t: usize) -> Value<F> {
        if t + 1 < self.inputs[j].len() {
            column_value(&self.inputs[j], t + 1)
        } else {
            Value::Small(boundary(r1cs, j))
        }
    }
}

/// The value "next" reads for input j after the last step.
pub fn boundary(r1cs: &UniformR1cs, j: usize) -> i128 {
    r1cs.shifted
        .iter()
        .find(|(i, _)| *i == j)
        .map_or(0, |(_, b)| *b)
}

/// A linear combination of integers, or `None` on overflow.
fn evaluate_small(lc: &LinearCombination, value: impl Fn(Variable) -> Value<()>) -> Option<i128> {
    let mut acc = lc.constant;
    for &(v, c) in &lc.terms {
        let Value::Small(x) = value(v) else {
            return None;
        };
        acc = acc.checked_add(c.checked_mul(x)?)?;
    }
    Some(acc)
}

/// cond · (bit k of x) for field cond and x, where cond is 0 or 1 (the
/// only values an honest witness gives it).
fn field_bit_if<F: JoltField>(cond: F, x: F, k: u32) -> i128 {
    if cond.is_zero() {
        0
    } else {
        bit_of_field(x, k) as i128
    }
}

/// The auxiliary columns of `r1cs` for the inputs `inputs` (T entries
/// each), computed in integers where the values are integers.
pub fn compute_aux<F: JoltField>(
    r1cs: &UniformR1cs,
    inputs: &[Column<'_, F>],
) -> Vec<NarrowColumn<F>> {
    let t_len = inputs.first().map_or(0, Column::len);
    let witness = R1csWitness {
        inputs: inputs.to_vec(),
        aux: Vec::new(),
    };
    let rows: Vec<Vec<Value<F>>> = (0..t_len)
        .into_par_iter()
        .with_min_len(PAR_THRESHOLD / 16)
        .map(|t| {
            let mut aux: Vec<Value<F>> = Vec::with_capacity(r1cs.num_aux());
            for (_, rule) in &r1cs.aux {
                let read = |v: Variable| -> Value<F> {
                    match v {
                        Variable::Input(j) => column_value(&inputs[j], t),
                        Variable::Aux(k) => aux[k],
                        Variable::Next(j) => witness.next_value(r1cs, j, t),
                    }
                };
                let shape = |v: Variable| match read(v) {
                    Value::Small(x) => Value::Small(x),
                    Value::Field(_) => Value::Field(()),
                };
                let value = match rule {
                    AuxRule::Product(a, b) => {
                        match (evaluate_small(a, shape), evaluate_small(b, shape)) {
                            (Some(x), Some(y)) => match x.checked_mul(y) {
                                Some(p) => Value::Small(p),
                                None => {
                                    Value::Field(field_from_i128::<F>(x) * field_from_i128::<F>(y))
                                }
                            },
                            _ => Value::Field(
                                a.evaluate(|v| read(v).to_field())
                                    * b.evaluate(|v| read(v).to_field()),
                            ),
                        }
                    }
                    AuxRule::BitIf(cond, x, k) => {
                        let bit = match (evaluate_small(cond, shape), evaluate_small(x, shape)) {
                            (Some(0), _) => 0,
                            (Some(c), Some(x)) if (0..1 << 64).contains(&x) => c * ((x >> k) & 1),
                            _ => {
                                let cond: F = cond.evaluate(|v| read(v).to_field());
                                let x: F = x.evaluate(|v| read(v).to_field());
                                field_bit_if(cond, x, *k)
                            }
                        };
                        Value::Small(bit)
                    }
                    AuxRule::InverseIf(cond, x) => {
                        let cond: F = cond.evaluate(|v| read(v).to_field());
                        if cond.is_zero() {
                            Value::Small(0)
                        } else {
                            let x: F = x.evaluate(|v| read(v).to_field());
                            let inv = x.inverse().map_or(F::zero(), |inv| cond * inv);
                            if inv.is_one() {
                                Value::Small(1)
                            } else if inv.is_zero() {
                                Value::Small(0)
                            } else {
                                Value::Field(inv)
                            }
                        }
                    }
                };
                aux.push(value);
            }
            aux
        })
        .collect();
    (0..r1cs.num_aux())
        .map(|k| NarrowColumn::narrow(rows.iter().map(|row| row[k]).collect()))
        .collect()
}

/// An R1CS witness of field columns it owns, for tests and benchmarks
/// that build inputs by hand; [`Self::narrowed`] gives the prover's view
/// (small columns where the values are small).
#[derive(Clone, Debug)]
pub struct OwnedR1csWitness<F> {
    pub inputs: Vec<Vec<F>>,
    pub aux: Vec<Vec<F>>,
}

/// Narrowed copies of an [`OwnedR1csWitness`]'s columns.
pub struct NarrowedR1csWitness<F> {
    inputs: Vec<NarrowColumn<F>>,
    aux: Vec<NarrowColumn<F>>,
}

impl<F: JoltField> OwnedR1csWitness<F> {
    /// The inputs and the auxiliaries the builder's rules give them.
    pub fn new(r1cs: &UniformR1cs, inputs: Vec<Vec<F>>) -> Self {
        assert_eq!(inputs.len(), r1cs.num_inputs, "one column per input");
        let narrow: Vec<NarrowColumn<F>> =
            inputs.iter().map(|c| NarrowColumn::from_field(c)).collect();
        let columns: Vec<Column<'_, F>> = narrow.iter().map(NarrowColumn::as_column).collect();
        let aux = compute_aux(r1cs, &columns)
            .iter()
            .map(|c| c.as_column().to_field())
            .collect();
        OwnedR1csWitness { inputs, aux }
    }

    pub fn narrowed(&self) -> NarrowedR1csWitness<F> {
        NarrowedR1csWitness {
            inputs: self
                .inputs
                .iter()
                .map(|c| NarrowColumn::from_field(c))
                .collect(),
            aux: self
                .aux
                .iter()
                .map(|c| NarrowColumn::from_field(c))
                .collect(),
        }
    }

    pub fn trace_length(&self) -> TraceLength {
        self.narrowed().view().trace_length()
    }
}

impl<F: JoltField> NarrowedR1csWitness<F> {
    pub fn view(&self) -> R1csWitness<'_, F> {
        R1csWitness::new(
            self.inputs.iter().map(NarrowColumn::as_column).collect(),
            self.aux.iter().map(NarrowColumn::as_column).collect(),
        )
    }
}
