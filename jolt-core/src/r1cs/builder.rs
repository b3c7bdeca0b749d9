//! The uniform constraint builder: constraints written once for a single
//! step, over that step's inputs, auxiliary variables the builder allocates,
//! and the *next* step's inputs (for cross-step rules such as "the next
//! step's pc is this step's next pc").
//!
//! Every constraint is A·z ∘ B·z = C·z with A, B, C linear combinations
//! with small integer coefficients. Auxiliary variables are defined by a
//! rule (a product or a linear combination of earlier variables), so the
//! prover computes them in order and a constraint enforces each rule.

use crate::field::JoltField;

/// A variable of one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variable {
    /// Input column j (committed elsewhere: bytecode, memory, lookups).
    Input(usize),
    /// Auxiliary column k, allocated by the builder.
    Aux(usize),
    /// Input column j at the next step.
    Next(usize),
}

/// Σ coeff·variable + constant, with integer coefficients.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinearCombination {
    pub terms: Vec<(Variable, i128)>,
    pub constant: i128,
}

impl LinearCombination {
    pub fn zero() -> Self {
        Self::default()
    }

    pub fn constant(c: i128) -> Self {
        LinearCombination {
            terms: Vec::new(),
            constant: c,
        }
    }

    pub fn var(v: Variable) -> Self {
        LinearCombination {
            terms: vec![(v, 1)],
            constant: 0,
        }
    }

    /// Σ coeff_k · v_k.
    pub fn sum(terms: impl IntoIterator<Item = (Variable, i128)>) -> Self {
        LinearCombination {
            terms: terms.into_iter().collect(),
            constant: 0,
        }
    }

    pub fn plus(mut self, other: &LinearCombination) -> Self {
        self.terms.extend_from_slice(&other.terms);
        self.constant += other.constant;
        self
    }

    pub fn minus(self, other: &LinearCombination) -> Self {
        self.plus(&other.scaled(-1))
    }

    pub fn scaled(&self, k: i128) -> Self {
        LinearCombination {
            terms: self.terms.iter().map(|&(v, c)| (v, c * k)).collect(),
            constant: self.constant * k,
        }
    }

    pub fn add_constant(mut self, c: i128) -> Self {
        self.constant += c;
        self
    }

    /// The value with variables read through `value`.
    pub fn evaluate<F: JoltField>(&self, value: impl Fn(Variable) -> F) -> F {
        let mut acc = field_from_i128::<F>(self.constant);
        for &(v, c) in &self.terms {
            acc += value(v) * field_from_i128::<F>(c);
        }
        acc
    }

    pub fn uses_next(&self) -> bool {
        self.terms
            .iter()
            .any(|(v, _)| matches!(v, Variable::Next(_)))
    }
}

impl From<Variable> for LinearCombination {
    fn from(v: Variable) -> Self {
        LinearCombination::var(v)
    }
}

/// A small integer as a field element.
pub fn field_from_i128<F: JoltField>(c: i128) -> F {
    let magnitude = F::from(c.unsigned_abs());
    if c < 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// Bit k of x read as an integer: of its low 64 bits (the rule's values
/// are below 2^64; anything else is not an honest witness).
pub fn bit_of_field<F: JoltField>(x: F, k: u32) -> u64 {
    let low = x.into_bigint().as_ref()[0];
    if k < 64 {
        (low >> k) & 1
    } else {
        0
    }
}

/// One rank-1 constraint of a step: A·z · B·z = C·z.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    pub label: &'static str,
    pub a: LinearCombination,
    pub b: LinearCombination,
    pub c: LinearCombination,
}

/// How an auxiliary variable is computed from earlier variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuxRule {
    /// a · b.
    Product(LinearCombination, LinearCombination),
    /// cond · x⁻¹, or 0 where x = 0: a prover hint, bound only by the
    /// constraints that use it (see [`Builder::is_zero_if`]).
    InverseIf(LinearCombination, LinearCombination),
    /// cond · (bit `k` of x), for x a non-negative integer below 2^64 where
    /// cond ≠ 0: a prover hint, bound only by the constraints that use it
    /// (see [`Builder::bit_if`]).
    BitIf(LinearCombination, LinearCombination, u32),
}

/// The constraints of one step, and what the witness must supply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UniformR1cs {
    pub num_inputs: usize,
    pub constraints: Vec<Constraint>,
    /// Rule of each auxiliary variable, in allocation order.
    pub aux: Vec<(&'static str, AuxRule)>,
    /// Inputs read at the next step, each with the value its "next" takes
    /// after the last step.
    pub shifted: Vec<(usize, i128)>,
}

/// Writes the constraints of one step.
pub struct Builder {
    r1cs: UniformR1cs,
}

impl Builder {
    pub fn new(num_inputs: usize) -> Self {
        Builder {
            r1cs: UniformR1cs {
                num_inputs,
                ..Default::default()
            },
        }
    }

    /// The next step's value of input `j`; after the last step it reads
    /// as `boundary`.
    pub fn next(&mut self, input: usize, boundary: i128) -> Variable {
        match self.r1cs.shifted.iter().find(|(j, _)| *j == input) {
            Some(&(_, b)) => assert_eq!(b, boundary, "one boundary per shifted input"),
            None => self.r1cs.shifted.push((input, boundary)),
        }
        Variable::Next(input)
    }

    /// a · b = c.
    pub fn constrain(
        &mut self,
        label: &'static str,
        a: impl Into<LinearCombination>,
        b: impl Into<LinearCombination>,
        c: impl Into<LinearCombination>,
    ) {
        self.r1cs.constraints.push(Constraint {
            label,
            a: a.into(),
            b: b.into(),
            c: c.into(),
        });
    }

    /// lhs = rhs.
    pub fn constrain_eq(
        &mut self,
        label: &'static str,
        lhs: impl Into<LinearCombination>,
        rhs: impl Into<LinearCombination>,
    ) {
        let difference = lhs.into().minus(&rhs.into());
        self.constrain(
            label,
            difference,
            LinearCombination::constant(1),
            LinearCombination::zero(),
        );
    }

    /// cond · (lhs − rhs) = 0: lhs = rhs whenever cond = 1.
    pub fn constrain_eq_if(
        &mut self,
        label: &'static str,
        cond: impl Into<LinearCombination>,
        lhs: impl Into<LinearCombination>,
        rhs: impl Into<LinearCombination>,
    ) {
        let difference = lhs.into().minus(&rhs.into());
        self.constrain(label, cond, difference, LinearCombination::zero());
    }

    /// x · (1 − x) = 0.
    pub fn constrain_binary(&mut self, label: &'static str, x: impl Into<LinearCombination>) {
        let x = x.into();
        let one_minus = LinearCombination::constant(1).minus(&x);
        self.constrain(label, x, one_minus, LinearCombination::zero());
    }

    /// A new auxiliary variable equal to a · b, with its constraint.
    pub fn product(
        &mut self,
        label: &'static str,
        a: impl Into<LinearCombination>,
        b: impl Into<LinearCombination>,
    ) -> Variable {
        let (a, b) = (a.into(), b.into());
        let v = Variable::Aux(self.r1cs.aux.len());
        self.r1cs
            .aux
            .push((label, AuxRule::Product(a.clone(), b.clone())));
        self.constrain(label, a, b, v);
        v
    }

    /// A new auxiliary variable: bit k of x where cond = 1, constrained to
    /// be a bit there and 0 where cond = 0 (cond must be constrained
    /// boolean elsewhere). Nothing here ties it to x: the caller's
    /// constraints must.
    pub fn bit_if(
        &mut self,
        label: &'static str,
        cond: impl Into<LinearCombination>,
        x: impl Into<LinearCombination>,
        k: u32,
    ) -> Variable {
        let cond = cond.into();
        let v = Variable::Aux(self.r1cs.aux.len());
        self.r1cs
            .aux
            .push((label, AuxRule::BitIf(cond.clone(), x.into(), k)));
        // v·(cond − v) = 0: v ∈ {0, 1} where cond = 1, v = 0 where cond = 0.
        self.constrain(
            label,
            v,
            cond.minus(&LinearCombination::var(v)),
            LinearCombination::zero(),
        );
        v
    }

    /// A linear combination equal to 1 when cond = 1 and x = 0, and to 0
    /// otherwise (cond must be constrained boolean elsewhere).
    ///
    /// With a hint inv and e = x·inv, h = cond − cond·e and the constraint
    /// x·h = 0: for x ≠ 0 it forces h = 0 (so the prover must give
    /// inv = x⁻¹ when cond = 1); for x = 0, e = 0 and h = cond whatever inv.
    /// A last constraint inv·(1 − cond·e) = 0 sets the hint to 0 elsewhere.
    pub fn is_zero_if(
        &mut self,
        label: &'static str,
        cond: impl Into<LinearCombination>,
        x: impl Into<LinearCombination>,
    ) -> LinearCombination {
        let (cond, x) = (cond.into(), x.into());
        let inv = Variable::Aux(self.r1cs.aux.len());
        self.r1cs
            .aux
            .push((label, AuxRule::InverseIf(cond.clone(), x.clone())));
        let e = self.product(label, x.clone(), inv);
        let cond_e = self.product(label, cond.clone(), e);
        let h = cond.minus(&LinearCombination::var(cond_e));
        self.constrain(label, x, h.clone(), LinearCombination::zero());
        // The hint is 0 wherever it is not needed, so the witness is unique.
        self.constrain(
            label,
            inv,
            LinearCombination::constant(1).minus(&LinearCombination::var(cond_e)),
            LinearCombination::zero(),
        );
        h
    }

    pub fn finish(self) -> UniformR1cs {
        self.r1cs
    }
}

impl UniformR1cs {
    pub fn num_aux(&self) -> usize {
        self.aux.len()
    }

    /// Computes the auxiliary values of one step from its inputs and the
    /// next step's inputs (`next(j)`).
    pub fn compute_aux<F: JoltField>(&self, inputs: &[F], next: impl Fn(usize) -> F) -> Vec<F> {
        let mut aux: Vec<F> = Vec::with_capacity(self.aux.len());
        for (_, rule) in &self.aux {
            let value = {
                let read = |v: Variable| match v {
                    Variable::Input(j) => inputs[j],
                    Variable::Aux(k) => aux[k],
                    Variable::Next(j) => next(j),
                };
                match rule {
                    AuxRule::Product(a, b) => a.evaluate(read) * b.evaluate(read),
                    AuxRule::InverseIf(cond, x) => {
                        let cond = cond.evaluate(read);
                        if cond.is_zero() {
                            F::zero()
                        } else {
                            x.evaluate(read)
                                .inverse()
                                .map_or(F::zero(), |inv| cond * inv)
                        }
                    }
                    AuxRule::BitIf(cond, x, k) => {
                        let cond = cond.evaluate(read);
                        if cond.is_zero() {
                            F::zero()
                        } else {
                            cond * F::from(bit_of_field(x.evaluate(read), *k))
                        }
                    }
                }
            };
            aux.push(value);
        }
        aux
    }

    /// The labels of the constraints a step violates.
    pub fn violations<F: JoltField>(
        &self,
        inputs: &[F],
        aux: &[F],
        next: impl Fn(usize) -> F,
    ) -> Vec<&'static str> {
        let read = |v: Variable| match v {
            Variable::Input(j) => inputs[j],
            Variable::Aux(k) => aux[k],
            Variable::Next(j) => next(j),
        };
        self.constraints
            .iter()
            .filter(|c| c.a.evaluate(read) * c.b.evaluate(read) != c.c.evaluate(read))
            .map(|c| c.label)
            .collect()
    }
}
