//! The Surge primary sumcheck: for a random r (drawn after the commitments),
//!
//!   Output(r) = Σ_x eq(r, x) · Σ_f flag_f(x) · g_f(E(x)),
//!
//! where E(x) are the read values of the memories kind f reads, in the order
//! its g takes them. Because the multilinear extensions agree at a random
//! point, every step's output equals g of its own kind on its own reads
//! (flags are one-hot; the R1CS ties them to the bytecode).
//!
//! Hands on: Output(r) (the input claim), and at the sumcheck's point r'
//! flag_f(r') for every kind and E_m(r') for every memory some g reads
//! (`layout.primary_memories`); the verifier
//! checks the final value eq(r, r') · Σ_f flag_f(r') · g_f(E(r')).
//!
//! **Prover.** eq is factored out (Gruen, [`SplitEqPolynomial`]). Flags are
//! one-hot, so a pair of rows (i, i + half) involves at most two kinds; a
//! bit mask per entry tracks which flags may be non-zero (after binding, the
//! union over the rows the entry folds), and g is evaluated only for those.
//! Each kind of degree d contributes a polynomial of degree d + 1 in X; it is
//! evaluated at X = 0..=d + 1 only, summed over pairs per degree, and
//! extended to the full degree once per round. Affine g (most kinds) is
//! compiled to its coefficients and evaluated at two points; a kind whose g
//! is a + b·g' of another present kind with the same reads (SGE, SGEU, NE)
//! folds its flag into that kind's, so the pair's g' is evaluated once.
//! Round 0 reads the small-integer witness directly; its bind produces the
//! first field tables (half size). Kinds absent from the trace are skipped
//! entirely, and memories only they read are evaluated at r' at the end
//! instead of being bound.

use instructions::lookups::LookupKind;
use rayon::prelude::*;

use super::layout::LassoLayout;
use super::witness::LassoWitness;
use crate::field::JoltField;
use crate::poly::{
    par_chunk_len_at_least, DensePolynomial, EqPolynomial, SplitEqPolynomial, UniPoly,
    PAR_THRESHOLD,
};
use crate::subprotocols::SumcheckInstance;

/// Fewest step pairs one task of a primary-sumcheck round handles.
const MIN_PAIRS_PER_TASK: usize = 1 << 8;

/// g of one kind, in the form the prover evaluates fastest.
enum CompiledG<F> {
    /// g(v) = c0 + Σ_j coeffs[j] · v_j.
    Affine {
        c0: F,
        coeffs: Vec<Coeff>,
    },
    General(LookupKind),
}

/// An affine coefficient, applied without a full product when small.
#[derive(Clone, Copy)]
enum Coeff {
    One,
    Small(i64),
}

impl Coeff {
    fn new(c: i64) -> Self {
        if c == 1 {
            Coeff::One
        } else {
            Coeff::Small(c)
        }
    }

    #[inline]
    fn scale<F: JoltField>(&self, e: F) -> F {
        match self {
            Coeff::One => e,
            Coeff::Small(c) => e.mul_i64(*c),
        }
    }
}

/// Read access to the bound memories' E (by slot, see
/// `PrimarySumcheck::slots`) and the flags, from the witness (round 0) or
/// from the bound field tables.
trait Tables<F: JoltField>: Sync {
    fn e(&self, slot: usize, i: usize) -> F;
    fn flag(&self, k: usize, i: usize) -> F;
    /// w · flag_k at entry i.
    #[inline]
    fn weighted_flag(&self, w: F, k: usize, i: usize) -> F {
        w * self.flag(k, i)
    }
}

/// Round 0: the witness's small integers.
struct Unbound<'a> {
    witness: &'a LassoWitness,
    /// Memory index of each slot.
    slots: &'a [usize],
    /// Kind (position in `layout.kinds`) of each present kind.
    present: &'a [usize],
}

impl<F: JoltField> Tables<F> for Unbound<'_> {
    #[inline]
    fn e(&self, slot: usize, i: usize) -> F {
        self.witness.read_values[self.slots[slot]].field(i)
    }
    #[inline]
    fn flag(&self, k: usize, i: usize) -> F {
        F::from_bool(self.witness.flags[self.present[k]][i])
    }
    #[inline]
    fn weighted_flag(&self, w: F, k: usize, i: usize) -> F {
        if self.witness.flags[self.present[k]][i] {
            w
        } else {
            F::zero()
        }
    }
}

/// The tables after at least one bind: E per slot, flags row-major
/// (`flags[i · K + k]`, K present kinds) so one entry's flags are adjacent.
struct Bound<F> {
    e: Vec<DensePolynomial<F>>,
    flags: Vec<F>,
    num_kinds: usize,
}

impl<F: JoltField> Tables<F> for Bound<F> {
    #[inline]
    fn e(&self, slot: usize, i: usize) -> F {
        self.e[slot][i]
    }
    #[inline]
    fn flag(&self, k: usize, i: usize) -> F {
        self.flags[i * self.num_kinds + k]
    }
}

/// The prover's instance. Kinds are numbered among those present in the
/// trace (`present`; an absent kind's flag is zero everywhere and so is its
/// evaluation); `masks[i]` has bit k set if present kind k's flag may be
/// non-zero at entry i.
pub(super) struct PrimarySumcheck<'a, F: JoltField> {
    layout: &'a LassoLayout,
    witness: &'a LassoWitness,
    /// The memories whose E tables are bound: those read by a kind that
    /// occurs in the trace. The others enter no round message; their
    /// E(r') is evaluated directly at the end (cheaper than binding).
    slots: Vec<usize>,
    /// The kinds (positions in `layout.kinds`) with some flag set.
    present: Vec<usize>,
    /// Per present kind, its reads as slots.
    kind_slots: Vec<Vec<usize>>,
    /// The challenges so far (r').
    challenges: Vec<F>,
    /// Per present kind, its g.
    gs: Vec<CompiledG<F>>,
    /// Per present kind: the present kind whose g it is evaluated through
    /// (itself, or the leader of its `layout.g_alias`) ...
    leader: Vec<usize>,
    /// ... and (a, b) with g = a + b · g_leader ((0, 1) for a leader).
    alias: Vec<(i64, i64)>,
    /// Per present kind: the present kinds it leads (itself included).
    members: Vec<u64>,
    /// Per present kind: its degree group (index into `group_degrees`).
    kind_group: Vec<usize>,
    /// Distinct degrees of flag · g (= deg g + 1), ascending.
    group_degrees: Vec<usize>,
    max_reads: usize,
    eq: SplitEqPolynomial<F>,
    claim: F,
    num_vars: usize,
    masks: Vec<u64>,
    bound: Option<Bound<F>>,
}

impl<'a, F: JoltField> PrimarySumcheck<'a, F> {
    /// The instance for Σ_x eq(r, x) · Σ_f flag_f(x) · g_f(E(x)) = claim.
    ///
    /// # Panics
    /// If the witness columns do not have the layout's shape, or more than
    /// 64 kinds (prover-side invariants).
    pub(super) fn new(witness: &'a LassoWitness, r: &[F], claim: F) -> Self {
        let layout = &witness.layout;
        let t = witness.trace_length().t();
        assert_eq!(t, 1 << r.len(), "r has log2(T) coordinates");
        let present: Vec<usize> = (0..layout.kinds.len())
            .into_par_iter()
            .filter(|&k| witness.flags[k].iter().any(|&f| f))
            .collect();
        assert!(present.len() <= 64, "flag masks hold at most 64 kinds");
        let gs = present.iter().map(|&k| compile(k, layout)).collect();
        let degree = |k: usize| layout.kinds[k].degree(&layout.params) + 1;
        let mut group_degrees: Vec<usize> = present.iter().map(|&k| degree(k)).collect();
        group_degrees.sort();
        group_degrees.dedup();
        let kind_group = present
            .iter()
            // Invariant: every present kind's degree is in the list.
            .map(|&k| group_degrees.binary_search(&degree(k)).unwrap())
            .collect();
        let max_reads = layout.kind_reads.iter().map(Vec::len).max().unwrap_or(0);
        // A kind whose g is an affine image of a present kind's g goes
        // through that kind's evaluation.
        let (leader, alias): (Vec<usize>, Vec<(i64, i64)>) = present
            .iter()
            .enumerate()
            .map(|(j, &k)| {
                layout.g_alias[k]
                    .and_then(|a| {
                        let l = present.binary_search(&a.leader).ok()?;
                        Some((l, (a.a, a.b)))
                    })
                    .unwrap_or((j, (0, 1)))
            })
            .unzip();
        let mut members = vec![0u64; present.len()];
        for (j, &l) in leader.iter().enumerate() {
            members[l] |= 1 << j;
        }
        let masks: Vec<u64> = (0..t)
            .into_par_iter()
            .with_min_len(PAR_THRESHOLD)
            .map(|i| {
                present.iter().enumerate().fold(0u64, |mask, (j, &k)| {
                    mask | ((witness.flags[k][i] as u64) << j)
                })
            })
            .collect();
        let mut slots: Vec<usize> = present
            .iter()
            .flat_map(|&k| layout.kind_reads[k].iter().copied())
            .collect();
        slots.sort();
        slots.dedup();
        let kind_slots = present
            .iter()
            .map(|&k| {
                layout.kind_reads[k]
                    .iter()
                    // Invariant: a present kind's reads are all slots.
                    .map(|m| slots.binary_search(m).unwrap())
                    .collect()
            })
            .collect();
        Self {
            layout,
            witness,
            slots,
            present,
            kind_slots,
            challenges: Vec::with_capacity(r.len()),
            gs,
            leader,
            alias,
            members,
            kind_group,
            group_degrees,
            max_reads,
            eq: SplitEqPolynomial::new(r),
            claim,
            num_vars: r.len(),
            masks,
            bound: None,
        }
    }

    /// flag_k(r') for every kind and E_m(r') for every memory of
    /// `layout.primary_memories`, once every variable is bound.
    pub(super) fn final_evals(&self) -> (Vec<F>, Vec<F>) {
        let w = self.witness;
        let mut flags = vec![F::zero(); self.layout.kinds.len()];
        for (j, &k) in self.present.iter().enumerate() {
            flags[k] = match &self.bound {
                Some(b) => b.flags[j],
                // No variables (T = 1): the single row.
                None => F::from_bool(w.flags[k][0]),
            };
        }
        let unbound = self
            .layout
            .primary_memories
            .iter()
            .any(|m| self.slots.binary_search(m).is_err());
        let eq = match (&self.bound, unbound) {
            (Some(_), false) => Vec::new(),
            _ => EqPolynomial::new(self.challenges.clone()).evals(),
        };
        let e = self
            .layout
            .primary_memories
            .par_iter()
            .map(|&m| match (&self.bound, self.slots.binary_search(&m)) {
                (Some(b), Ok(slot)) => b.e[slot].final_eval(),
                _ => w.read_values[m].as_column().evaluate_with_eq(&eq),
            })
            .collect();
        (flags, e)
    }

    /// Per degree group, Σ over pairs in [start, end) of
    /// eq(τ_{j+1..}, i) · flag_f(X) · g_f(E(X)) at X = 0..=d.
    fn q_range<T: Tables<F>>(
        &self,
        tables: &T,
        start: usize,
        end: usize,
        half: usize,
    ) -> Vec<Vec<F>> {
        let w_table = self.eq.current_table();
        let params = &self.layout.params;
        let mut acc: Vec<Vec<F>> = self
            .group_degrees
            .iter()
            .map(|&d| vec![F::zero(); d + 1])
            .collect();
        let mut vals = vec![F::zero(); self.max_reads];
        let mut diffs = vec![F::zero(); self.max_reads];
        for (i, &w) in w_table.iter().enumerate().take(end).skip(start) {
            let mask = self.masks[i] | self.masks[i + half];
            let mut leaders = 0u64;
            let mut m = mask;
            while m != 0 {
                leaders |= 1 << self.leader[m.trailing_zeros() as usize];
                m &= m - 1;
            }
            while leaders != 0 {
                let k = leaders.trailing_zeros() as usize;
                leaders &= leaders - 1;
                // w · Σ_j b_j·flag_j(X) = wf0 + X·dwf multiplies g_k, and
                // w · Σ_j a_j·flag_j(X) = c0 + X·dc is added, over the kinds
                // j in this pair that k leads.
                let (mut wf0, mut wf1, mut c0, mut c1) =
                    (F::zero(), F::zero(), F::zero(), F::zero());
                let mut members = mask & self.members[k];
                while members != 0 {
                    let j = members.trailing_zeros() as usize;
                    members &= members - 1;
                    let f0 = tables.weighted_flag(w, j, i);
                    let f1 = tables.weighted_flag(w, j, i + half);
                    let (a, b) = self.alias[j];
                    wf0 += scale_i64(f0, b);
                    wf1 += scale_i64(f1, b);
                    if a != 0 {
                        c0 += scale_i64(f0, a);
                        c1 += scale_i64(f1, a);
                    }
                }
                let dwf = wf1 - wf0;
                let reads = &self.kind_slots[k];
                let group = &mut acc[self.kind_group[k]];
                if !(c0.is_zero() && c1.is_zero()) {
                    let dc = c1 - c0;
                    let mut c = c0;
                    for slot in group.iter_mut() {
                        *slot += c;
                        c += dc;
                    }
                }
                match &self.gs[k] {
                    CompiledG::Affine { c0, coeffs } => {
                        let (mut g0, mut g1) = (*c0, *c0);
                        for (&m, c) in reads.iter().zip(coeffs) {
                            g0 += c.scale(tables.e(m, i));
                            g1 += c.scale(tables.e(m, i + half));
                        }
                        let g2 = g1 + g1 - g0;
                        group[0] += wf0 * g0;
                        group[1] += wf1 * g1;
                        group[2] += (wf1 + dwf) * g2;
                    }
                    CompiledG::General(kind) => {
                        let n = reads.len();
                        for (j, &m) in reads.iter().enumerate() {
                            vals[j] = tables.e(m, i);
                            diffs[j] = tables.e(m, i + half) - vals[j];
                        }
                        let mut wf = wf0;
                        for (x, slot) in group.iter_mut().enumerate() {
                            if x > 0 {
                                vals[..n]
                                    .iter_mut()
                                    .zip(&diffs[..n])
                                    .for_each(|(v, d)| *v += d);
                                wf += dwf;
                            }
                            *slot += wf * kind.combine(&vals[..n], params);
                        }
                    }
                }
            }
        }
        acc
    }

    fn q_groups<T: Tables<F>>(&self, tables: &T) -> Vec<Vec<F>> {
        let half = self.masks.len() / 2;
        // A pair evaluates its kinds' collations over every chunk read,
        // dozens of multiplications: the late rounds are worth splitting
        // well below the pool's usual threshold, or one core does them
        // alone.
        if half < 2 * MIN_PAIRS_PER_TASK {
            return self.q_range(tables, 0, half, half);
        }
        let chunk = par_chunk_len_at_least(half, MIN_PAIRS_PER_TASK);
        (0..half.div_ceil(chunk))
            .into_par_iter()
            .map(|c| self.q_range(tables, c * chunk, ((c + 1) * chunk).min(half), half))
            .reduce_with(|mut a, b| {
                for (ga, gb) in a.iter_mut().zip(&b) {
                    ga.iter_mut().zip(gb).for_each(|(x, y)| *x += y);
                }
                a
            })
            // Invariant: half ≥ 2·MIN_PAIRS_PER_TASK, so there is a chunk.
            .unwrap()
    }

    fn bind_first(&mut self, r: F) {
        let w = self.witness;
        let half = self.masks.len() / 2;
        let num_kinds = self.present.len();
        let e = self
            .slots
            .par_iter()
            .map(|&m| {
                let col = &w.read_values[m];
                // lo + r · (hi − lo) with small integers: one small product.
                let bind = |i: usize| {
                    let (lo, hi) = (col.get(i), col.get(i + half));
                    let lo_f: F = col.field(i);
                    if lo == hi {
                        lo_f
                    } else {
                        lo_f + r.mul_i64(hi as i64 - lo as i64)
                    }
                };
                let evals: Vec<F> = if half < PAR_THRESHOLD {
                    (0..half).map(bind).collect()
                } else {
                    (0..half)
                        .into_par_iter()
                        .with_min_len(PAR_THRESHOLD)
                        .map(bind)
                        .collect()
                };
                DensePolynomial::new(evals)
            })
            .collect();
        let one_minus_r = F::one() - r;
        let mut flags = vec![F::zero(); half * num_kinds];
        let (masks, present) = (&self.masks, &self.present);
        // No present kind: no flags (and chunks of zero rows are invalid).
        flags
            .par_chunks_mut(num_kinds.max(1))
            .with_min_len(PAR_THRESHOLD)
            .enumerate()
            .for_each(|(i, row)| {
                let mut mask = masks[i] | masks[i + half];
                while mask != 0 {
                    let k = mask.trailing_zeros() as usize;
                    mask &= mask - 1;
                    let f = &w.flags[present[k]];
                    row[k] = match (f[i], f[i + half]) {
                        (true, true) => F::one(),
                        (true, false) => one_minus_r,
                        (false, true) => r,
                        (false, false) => F::zero(),
                    };
                }
            });
        self.bound = Some(Bound {
            e,
            flags,
            num_kinds,
        });
    }
}

/// g in its fastest form: the layout's integer affine form if there is
/// one, else the kind's own combine.
fn compile<F: JoltField>(k: usize, layout: &LassoLayout) -> CompiledG<F> {
    match &layout.affine_g[k] {
        Some(a) => CompiledG::Affine {
            c0: F::from_i64(a.c0),
            coeffs: a.coeffs.iter().map(|&c| Coeff::new(c)).collect(),
        },
        None => CompiledG::General(layout.kinds[k]),
    }
}

/// x · c for a small integer c, without a full product for 0 and ±1.
#[inline]
fn scale_i64<F: JoltField>(x: F, c: i64) -> F {
    match c {
        1 => x,
        -1 => -x,
        0 => F::zero(),
        _ => x.mul_i64(c),
    }
}

/// Folds the masks of the two halves: the flags of entry i after binding
/// may be non-zero wherever either row's were.
fn fold_masks(masks: &mut Vec<u64>) {
    let half = masks.len() / 2;
    let (lo, hi) = masks.split_at_mut(half);
    lo.iter_mut().zip(hi.iter()).for_each(|(l, h)| *l |= h);
    masks.truncate(half);
}

impl<F: JoltField> SumcheckInstance<F> for PrimarySumcheck<'_, F> {
    fn degree(&self) -> usize {
        self.layout.primary_degree()
    }

    fn num_rounds(&self) -> usize {
        self.num_vars
    }

    fn input_claim(&self) -> F {
        self.claim
    }

    fn compute_message(&mut self, _round: usize, previous_claim: F) -> Vec<F> {
        let groups = match &self.bound {
            None => self.q_groups(&Unbound {
                witness: self.witness,
                slots: &self.slots,
                present: &self.present,
            }),
            Some(b) => self.q_groups(b),
        };
        // Extend every group to X = 0..=D, D = max degree of flag · g.
        let d_max = self.layout.max_g_degree + 1;
        let mut q = vec![F::zero(); d_max + 1];
        for evals in &groups {
            let poly = UniPoly::from_evals(evals);
            for (x, qx) in q.iter_mut().enumerate() {
                *qx += if x < evals.len() {
                    evals[x]
                } else {
                    poly.evaluate(&F::from_u64(x as u64))
                };
            }
        }
        // q(1) is recomputed from the claim when possible, so every message
        // satisfies s(0) + s(1) = claim even for an inconsistent witness
        // (the final check then rejects it).
        self.eq
            .round_evals(&q, previous_claim)
            .unwrap_or_else(|| self.eq.round_evals_full(&q))
    }

    fn bind(&mut self, r_j: F, _round: usize) {
        self.challenges.push(r_j);
        match &mut self.bound {
            None => self.bind_first(r_j),
            Some(b) => {
                b.e.par_iter_mut().for_each(|p| p.bind_top(r_j));
                let k = b.num_kinds;
                let half = self.masks.len() / 2;
                let (lo, hi) = b.flags.split_at_mut(half * k);
                let masks = &self.masks;
                lo.par_chunks_mut(k.max(1))
                    .zip(hi.par_chunks(k.max(1)))
                    .with_min_len(PAR_THRESHOLD)
                    .enumerate()
                    .for_each(|(i, (lo, hi))| {
                        // Flags outside the mask are zero in both rows and stay zero.
                        let mut mask = masks[i] | masks[i + half];
                        while mask != 0 {
                            let f = mask.trailing_zeros() as usize;
                            mask &= mask - 1;
                            lo[f] += r_j * (hi[f] - lo[f]);
                        }
                    });
                b.flags.truncate(half * k);
            }
        }
        fold_masks(&mut self.masks);
        self.eq.bind(r_j);
    }
}

/// The verifier's value of the summand without eq at r':
/// Σ_f flag_f(r') · g_f(E(r')), with `e_evals` per primary memory.
pub(super) fn flags_times_g<F: JoltField>(
    layout: &LassoLayout,
    flag_evals: &[F],
    e_evals: &[F],
) -> F {
    layout
        .kinds
        .iter()
        .zip(&layout.kind_primary_reads)
        .zip(flag_evals)
        .map(|((kind, reads), flag)| {
            let values: Vec<F> = reads.iter().map(|&m| e_evals[m]).collect();
            *flag * kind.combine(&values, &layout.params)
        })
        .sum()
}
