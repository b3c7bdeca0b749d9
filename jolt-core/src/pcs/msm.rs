//! Multi-scalar multiplication Σ s_i·G_i over BN254 G1, specialised to the
//! small scalars that make up most of the witness.
//!
//! **Bucket method with batch-affine additions.** Scalars are cut into
//! c-bit digits (window w holds bits \[w·c, (w+1)·c)). For each window and
//! each non-zero digit d, the bucket B_{w,d} = Σ_{i: digit_w(s_i) = d} G_i;
//! then W_w = Σ_d d·B_{w,d} (running sums) and Σ_i s_i·G_i = Σ_w 2^{w·c}·W_w.
//!
//! Buckets are filled without projective arithmetic: the (window, digit)
//! entries are counting-sorted by bucket, then each bucket's run of points
//! is summed as a tree, one level at a time, with every addition of a level
//! in affine coordinates sharing one field inversion (Montgomery's trick,
//! `batch_add_level`). An affine addition then costs about 6
//! multiplications instead of the 11 of a mixed projective one. The
//! first level gathers bases in bucket order from an SRS far larger than
//! the caches, so each batch prefetches all the bases it reads first. A column of
//! b-bit values needs ⌈b/c⌉ windows, so 0/1 columns cost one affine
//! addition per set bit and 8/16-bit columns one per non-zero entry.
//!
//! The window width c is chosen per call from the number of points and the
//! bit length actually present (`window_bits`): a `u64` column whose
//! entries are bytes pays for bytes. Full field elements take the same
//! kernel, processed a few windows at a time to bound memory.
//!
//! **Signed digits for full-width scalars.** There the additions (one per
//! point and window) dominate, and fewer windows need wider ones, whose
//! 2^c buckets each cost a reduction. Digits in \[−2^{c−1}, 2^{c−1}] halve
//! the buckets, so a window one bit wider costs the same reduction: at
//! 2^18 points, 17 windows of 15 bits instead of 19 of 14. The recoding is
//! local (`signed_digit`): with raw_w the unsigned digit and b_w its top
//! bit, d_w = raw_w + b_{w−1} − 2^c·b_w, which telescopes to the scalar as
//! long as the top window's top bit is clear (⌈(b + 1)/c⌉ windows). A
//! negative digit adds the negated point, as a negative scalar does.
//!
//! Hands on: [`msm_column`], the commitment kernel behind
//! [`super::Column`].

use super::{Column, StepIndex};
use ark_bn254::{Fq, Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{AdditiveGroup, BigInt, BigInteger, Field, One, PrimeField, Zero};
use rayon::prelude::*;

/// Below this many points, a direct double-and-add per point is cheaper
/// than sorting into buckets.
const DIRECT_MSM_MAX: usize = 32;

/// Additions per shared inversion: large enough that the inversion
/// (≈ 20 multiplications' worth of a binary GCD) is noise, small enough that
/// a batch's points stay in L2.
const BATCH: usize = 1024;

/// Most (window, point) entries sorted in one pass; bounds the memory of a
/// pass to about 2^21 · (4 + 36) bytes.
const MAX_ENTRIES_PER_PASS: usize = 1 << 21;

/// A full-width column with fewer than 1/SPARSE_FRACTION non-zero scalars
/// is committed over those alone.
const SPARSE_FRACTION: usize = 8;

/// Smallest output slice handed to one rayon task in a reduction level.
const MIN_LEVEL_CHUNK: usize = 1 << 11;

/// Σ_i column\[i]·bases\[i]. Chooses the kernel by the widest value present.
///
/// # Panics
/// If `bases` is shorter than the column (callers check this against the
/// key and return [`super::PcsError::SrsTooSmall`] first).
pub fn msm_column(bases: &[G1Affine], column: Column<'_, Fr>) -> G1Projective {
    assert!(bases.len() >= column.len(), "more scalars than bases");
    match column {
        Column::Bits(s) => msm_small(bases, s),
        Column::U8(s) => msm_small(bases, s),
        Column::U16(s) => msm_small(bases, s),
        Column::U32(s) => msm_small(bases, s),
        Column::U64(s) => msm_small(bases, s),
        Column::I64(s) => msm_small(bases, s),
        Column::Field(s) => msm_field(bases, s),
    }
}

/// Σ s_i·G_i for scalars that fit in 64 bits (signed or unsigned).
pub fn msm_small<S: Scalars + ?Sized>(bases: &[G1Affine], scalars: &S) -> G1Projective {
    let num_bits = scalars.max_bits();
    bucket_msm(bases, scalars, num_bits)
}

/// Σ s_i·G_i for field elements: the small-value kernel if every scalar
/// fits in 64 bits (a field column that happens to hold small values),
/// otherwise the full-width bucket kernel — over the non-zero scalars
/// only when they are few (an R1CS hint that is an inverse on a handful
/// of steps and 0 elsewhere would otherwise pay every window's pass over
/// all of its zeros).
pub fn msm_field(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    let bigints: Vec<BigInt<4>> = scalars.par_iter().map(|s| s.into_bigint()).collect();
    let num_bits = bigints.par_iter().map(|b| b.num_bits()).max().unwrap_or(0) as usize;
    if num_bits <= 64 {
        let small: Vec<u64> = bigints.par_iter().map(|b| b.0[0]).collect();
        return bucket_msm(bases, small.as_slice(), num_bits);
    }
    let nonzero = bigints.par_iter().filter(|b| !b.is_zero()).count();
    if nonzero * SPARSE_FRACTION < bigints.len() {
        let (sparse_bases, sparse_scalars): (Vec<G1Affine>, Vec<BigInt<4>>) = bigints
            .iter()
            .zip(bases)
            .filter(|(b, _)| !b.is_zero())
            .map(|(b, g)| (*g, *b))
            .unzip();
        return bucket_msm(&sparse_bases, sparse_scalars.as_slice(), num_bits);
    }
    bucket_msm(bases, bigints.as_slice(), num_bits)
}

/// The bucket sums of a step index (see [`super::table_read`]): for each
/// table row a that some step reads, B_a = Σ_{t: index\[t] = a} G_t.
pub struct IndexBuckets {
    /// The rows read at least once, increasing.
    rows: Vec<u32>,
    /// B_a for each of `rows`.
    sums: Vec<G1Affine>,
}

/// Most steps summed in one tree of [`index_buckets`]: bounds the
/// temporary memory (about 60 bytes per step) and keeps the concatenated
/// offsets within u32.
const MAX_STEPS_PER_TREE: usize = 1 << 22;

/// The bucket sums of several step indices: one counting sort of the steps
/// by row per index, then trees of batch-affine additions over the buckets
/// of as many indices as fit in [`MAX_STEPS_PER_TREE`] (about T additions
/// per index, whatever the number of rows; a shared tree keeps every
/// thread busy on the small indices too).
///
/// # Panics
/// If `bases` is shorter than an index (callers check each column's
/// length against the prover key's powers first), or an index has 2^31
/// steps or more (T ≤ 2^29).
pub fn index_buckets(bases: &[G1Affine], indices: &[StepIndex<'_>]) -> Vec<IndexBuckets> {
    buckets_in_trees(bases, indices, MAX_STEPS_PER_TREE)
}

fn buckets_in_trees(
    bases: &[G1Affine],
    indices: &[StepIndex<'_>],
    max_steps: usize,
) -> Vec<IndexBuckets> {
    let mut out = Vec::with_capacity(indices.len());
    let mut first = 0;
    while first < indices.len() {
        let mut end = first + 1;
        let mut steps = indices[first].len();
        while end < indices.len() && steps + indices[end].len() <= max_steps {
            steps += indices[end].len();
            end += 1;
        }
        out.extend(index_buckets_tree(bases, &indices[first..end]));
        first = end;
    }
    out
}

/// [`index_buckets`] for indices whose steps are summed in one tree (at
/// most [`MAX_STEPS_PER_TREE`] steps, or one index).
fn index_buckets_tree(bases: &[G1Affine], indices: &[StepIndex<'_>]) -> Vec<IndexBuckets> {
    // Per index: its rows' offsets into its own sorted steps.
    let sorts: Vec<(Vec<u32>, Vec<u32>)> = indices
        .par_iter()
        .map(|index| {
            let n = index.len();
            assert!(bases.len() >= n, "more steps than bases");
            // The top bit of an entry of `Indexed` is its sign.
            assert!(n < 1 << 31, "an index of 2^31 steps or more");
            let num_rows = (0..n).map(|t| index.get(t)).max().map_or(0, |m| m + 1);
            let mut offsets = vec![0u32; num_rows + 1];
            for t in 0..n {
                offsets[index.get(t) + 1] += 1;
            }
            for a in 0..num_rows {
                offsets[a + 1] += offsets[a];
            }
            let mut next = offsets[..num_rows].to_vec();
            let mut sorted = vec![0u32; n];
            for t in 0..n {
                let a = index.get(t);
                sorted[next[a] as usize] = t as u32;
                next[a] += 1;
            }
            (offsets, sorted)
        })
        .collect();
    let mut all_offsets = vec![0u32];
    let mut all_sorted = Vec::with_capacity(sorts.iter().map(|(_, s)| s.len()).sum());
    let mut row_offsets = Vec::with_capacity(sorts.len());
    for (offsets, sorted) in sorts {
        // At most 2^22 steps in a tree of several indices, under 2^31 in
        // a tree of one: the sums fit u32.
        let base = all_sorted.len() as u32;
        all_offsets.extend(offsets[1..].iter().map(|o| o + base));
        all_sorted.extend_from_slice(&sorted);
        row_offsets.push(offsets);
    }
    let all = segmented_sums(
        &Indexed {
            bases,
            sorted: &all_sorted,
        },
        all_offsets,
    );
    let mut first = 0;
    row_offsets
        .iter()
        .map(|offsets| {
            let num_rows = offsets.len() - 1;
            let rows: Vec<u32> = (0..num_rows as u32)
                .filter(|&a| offsets[a as usize + 1] > offsets[a as usize])
                .collect();
            let sums = rows.iter().map(|&a| all[first + a as usize]).collect();
            first += num_rows;
            IndexBuckets { rows, sums }
        })
        .collect()
}

/// Σ_t table\[index\[t]]·G_t = Σ_a table\[a]·B_a over the rows read.
///
/// # Panics
/// If a row read lies past the table's end (callers check the read first
/// with [`TableRead::holds_for`](super::TableRead::holds_for)).
pub fn msm_table_read(buckets: &IndexBuckets, table: Column<'_, Fr>) -> G1Projective {
    let rows = &buckets.rows;
    let gather_u64 = |value: &dyn Fn(usize) -> u64| -> Vec<u64> {
        rows.iter().map(|&a| value(a as usize)).collect()
    };
    let scalars: Vec<u64> = match table {
        Column::Bits(v) => gather_u64(&|a| v[a] as u64),
        Column::U8(v) => gather_u64(&|a| v[a] as u64),
        Column::U16(v) => gather_u64(&|a| v[a] as u64),
        Column::U32(v) => gather_u64(&|a| v[a] as u64),
        Column::U64(v) => gather_u64(&|a| v[a]),
        Column::I64(v) => {
            let signed: Vec<i64> = rows.iter().map(|&a| v[a as usize]).collect();
            return msm_small(&buckets.sums, signed.as_slice());
        }
        Column::Field(v) => {
            let field: Vec<Fr> = rows.iter().map(|&a| v[a as usize]).collect();
            return msm_field(&buckets.sums, &field);
        }
    };
    msm_small(&buckets.sums, scalars.as_slice())
}

/// Σ s_i·G_i by ark-ec's generic Pippenger (the reference the small-value
/// kernels are measured against).
pub fn msm_ark(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    use ark_ec::VariableBaseMSM;
    let n = scalars.len().min(bases.len());
    G1Projective::msm_unchecked(&bases[..n], &scalars[..n])
}

/// A column of scalars, read digit by digit.
pub trait Scalars: Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Bit length of the largest |s_i|.
    fn max_bits(&self) -> usize;
    /// The `c`-bit digit number `window` of |s_i| (window 0 least significant).
    fn digit(&self, i: usize, window: usize, c: usize) -> u32;
    /// Whether s_i is negative (its point is negated).
    fn is_negative(&self, _i: usize) -> bool {
        false
    }
    /// |s_i| as little-endian 64-bit limbs.
    fn limbs(&self, i: usize) -> [u64; 4];
}

#[inline]
fn digit_u64(v: u64, window: usize, c: usize) -> u32 {
    let shift = window * c;
    if shift >= 64 {
        0
    } else {
        ((v >> shift) & ((1u64 << c) - 1)) as u32
    }
}

fn max_bits_by<T: Sync>(values: &[T], abs: impl Fn(&T) -> u64 + Sync) -> usize {
    let or = values
        .par_iter()
        .with_min_len(1 << 14)
        .map(&abs)
        .reduce(|| 0, |a, b| a | b);
    (64 - or.leading_zeros()) as usize
}

macro_rules! unsigned_scalars {
    ($($t:ty),*) => {$(
        impl Scalars for [$t] {
            fn len(&self) -> usize {
                <[$t]>::len(self)
            }
            fn max_bits(&self) -> usize {
                max_bits_by(self, |&v| v as u64)
            }
            #[inline]
            fn digit(&self, i: usize, window: usize, c: usize) -> u32 {
                digit_u64(self[i] as u64, window, c)
            }
            fn limbs(&self, i: usize) -> [u64; 4] {
                [self[i] as u64, 0, 0, 0]
            }
        }
    )*};
}
unsigned_scalars!(bool, u8, u16, u32, u64);

impl Scalars for [i64] {
    fn len(&self) -> usize {
        <[i64]>::len(self)
    }
    fn max_bits(&self) -> usize {
        max_bits_by(self, |v| v.unsigned_abs())
    }
    #[inline]
    fn digit(&self, i: usize, window: usize, c: usize) -> u32 {
        digit_u64(self[i].unsigned_abs(), window, c)
    }
    fn is_negative(&self, i: usize) -> bool {
        self[i] < 0
    }
    fn limbs(&self, i: usize) -> [u64; 4] {
        [self[i].unsigned_abs(), 0, 0, 0]
    }
}

impl Scalars for [BigInt<4>] {
    fn len(&self) -> usize {
        <[BigInt<4>]>::len(self)
    }
    fn max_bits(&self) -> usize {
        self.par_iter().map(|b| b.num_bits()).max().unwrap_or(0) as usize
    }
    #[inline]
    fn digit(&self, i: usize, window: usize, c: usize) -> u32 {
        let limbs = &self[i].0;
        let shift = window * c;
        let (limb, offset) = (shift / 64, shift % 64);
        if limb >= 4 {
            return 0;
        }
        let mut v = limbs[limb] >> offset;
        if offset + c > 64 && limb + 1 < 4 {
            v |= limbs[limb + 1] << (64 - offset);
        }
        (v & ((1u64 << c) - 1)) as u32
    }
    fn limbs(&self, i: usize) -> [u64; 4] {
        self[i].0
    }
}

/// The window width minimising ⌈b/c⌉·(n + 4·2^c): one affine addition per
/// entry plus the running-sum reduction (≈ 2 projective additions, each
/// about twice an affine one, per bucket).
pub(crate) fn window_bits(n: usize, num_bits: usize) -> usize {
    (1..=16usize.min(num_bits))
        .min_by_key(|&c| num_bits.div_ceil(c) * (n + 4 * (1usize << c)))
        // Invariant: num_bits ≥ 1 here, so the range is non-empty.
        .expect("at least one window width")
}

/// Scalars wider than this take signed digits (see the module doc): below
/// it the windows are few and the unsigned kernel needs no extra bit.
const SIGNED_ABOVE_BITS: usize = 64;

/// How a column's scalars are cut into digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Windows {
    /// Digit width c.
    c: usize,
    /// Number of windows.
    count: usize,
    /// Digits in \[−2^{c−1}, 2^{c−1}] instead of \[0, 2^c).
    signed: bool,
}

impl Windows {
    /// The cheaper of the two digit kinds for n scalars of `num_bits` bits
    /// (unsigned below [`SIGNED_ABOVE_BITS`]), by the same cost model as
    /// [`window_bits`] with 2^{c−1} buckets for signed digits.
    fn choose(n: usize, num_bits: usize) -> Self {
        if num_bits <= SIGNED_ABOVE_BITS {
            let c = window_bits(n, num_bits);
            return Windows {
                c,
                count: num_bits.div_ceil(c),
                signed: false,
            };
        }
        // One more bit than the scalars: the top window's top bit is clear.
        // Ties go to the wider digit: fewer windows gather fewer points.
        let c = (2..=16usize)
            .rev()
            .min_by_key(|&c| (num_bits + 1).div_ceil(c) * (n + 4 * (1usize << (c - 1))))
            // Invariant: the range is non-empty.
            .expect("at least one window width");
        Windows {
            c,
            count: (num_bits + 1).div_ceil(c),
            signed: true,
        }
    }

    /// Bucket slots per window; slot 0 (digit 0) stays empty.
    fn buckets(&self) -> usize {
        if self.signed {
            (1 << (self.c - 1)) + 1
        } else {
            1 << self.c
        }
    }

    /// |digit| and whether the digit is negative, for scalar i in `window`.
    #[inline]
    fn digit<S: Scalars + ?Sized>(&self, scalars: &S, i: usize, window: usize) -> (u32, bool) {
        let raw = scalars.digit(i, window, self.c);
        if !self.signed {
            return (raw, false);
        }
        let below = if window == 0 {
            0
        } else {
            scalars.digit(i, window - 1, self.c)
        };
        signed_digit(raw, below, self.c)
    }
}

/// The signed digit of a window from its raw c-bit digit and the raw digit
/// below it (0 for window 0): raw + b_below − 2^c·b, where b is a raw
/// digit's top bit. Returns (|d|, d < 0); |d| ≤ 2^{c−1}.
#[inline]
fn signed_digit(raw: u32, below: u32, c: usize) -> (u32, bool) {
    let d = raw as i64 + ((below >> (c - 1)) & 1) as i64
        - (((raw >> (c - 1)) & 1) as i64) * (1i64 << c);
    (d.unsigned_abs() as u32, d < 0)
}

/// The bucket method for `num_bits`-bit scalars; see the module doc.
fn bucket_msm<S: Scalars + ?Sized>(
    bases: &[G1Affine],
    scalars: &S,
    num_bits: usize,
) -> G1Projective {
    let n = scalars.len();
    if n == 0 || num_bits == 0 {
        return G1Projective::zero();
    }
    if n <= DIRECT_MSM_MAX {
        return direct_msm(bases, scalars);
    }
    let kind = Windows::choose(n, num_bits);
    let (c, num_windows) = (kind.c, kind.count);
    let per_pass = (MAX_ENTRIES_PER_PASS / n).clamp(1, num_windows);

    let mut window_sums = Vec::with_capacity(num_windows);
    for first in (0..num_windows).step_by(per_pass) {
        let windows = first..(first + per_pass).min(num_windows);
        let buckets = bucket_sums(bases, scalars, kind, windows.clone());
        window_sums.extend(reduce_windows(&buckets, kind.buckets(), windows.len()));
    }

    // Σ_w 2^{w·c}·W_w by Horner from the top window.
    let mut acc = G1Projective::zero();
    for w in window_sums.iter().rev() {
        for _ in 0..c {
            acc.double_in_place();
        }
        acc += w;
    }
    acc
}

/// Σ s_i·G_i one scalar multiplication at a time (tiny inputs, tests).
pub(crate) fn direct_msm<S: Scalars + ?Sized>(bases: &[G1Affine], scalars: &S) -> G1Projective {
    (0..scalars.len())
        .map(|i| {
            let p = bases[i].mul_bigint(scalars.limbs(i));
            if scalars.is_negative(i) {
                -p
            } else {
                p
            }
        })
        .sum()
}

/// B_{w,d} for the windows in `windows`, as one vector indexed by
/// (w − windows.start)·buckets + |d| (entries with d = 0 stay the
/// identity); a point whose digit is negative enters negated.
fn bucket_sums<S: Scalars + ?Sized>(
    bases: &[G1Affine],
    scalars: &S,
    kind: Windows,
    windows: std::ops::Range<usize>,
) -> Vec<G1Affine> {
    let n = scalars.len();
    let buckets_per_window = kind.buckets();

    // Counting sort of the non-zero (window, point) entries by bucket. Each
    // window sorts into its own region, so windows run in parallel.
    let counts: Vec<Vec<u32>> = windows
        .clone()
        .into_par_iter()
        .map(|w| {
            let mut counts = vec![0u32; buckets_per_window];
            for i in 0..n {
                counts[kind.digit(scalars, i, w).0 as usize] += 1;
            }
            counts[0] = 0;
            counts
        })
        .collect();
    let mut offsets = Vec::with_capacity(windows.len() * buckets_per_window + 1);
    let mut total = 0u32;
    for window_counts in &counts {
        for &count in window_counts {
            offsets.push(total);
            total += count;
        }
    }
    offsets.push(total);

    // Entry = point index, top bit set if the point is negated.
    let mut sorted = vec![0u32; total as usize];
    let mut regions = Vec::with_capacity(windows.len());
    let mut rest = sorted.as_mut_slice();
    for (k, _) in windows.clone().enumerate() {
        let len =
            (offsets[(k + 1) * buckets_per_window] - offsets[k * buckets_per_window]) as usize;
        let (region, tail) = rest.split_at_mut(len);
        regions.push(region);
        rest = tail;
    }
    regions
        .into_par_iter()
        .zip(windows.clone().into_par_iter())
        .enumerate()
        .for_each(|(k, (region, w))| {
            let start = offsets[k * buckets_per_window];
            let mut next: Vec<u32> = offsets[k * buckets_per_window..(k + 1) * buckets_per_window]
                .iter()
                .map(|o| o - start)
                .collect();
            for i in 0..n {
                let (d, negative) = kind.digit(scalars, i, w);
                if d != 0 {
                    let d = d as usize;
                    let sign = ((scalars.is_negative(i) != negative) as u32) << 31;
                    region[next[d] as usize] = i as u32 | sign;
                    next[d] += 1;
                }
            }
        });

    segmented_sums(
        &Indexed {
            bases,
            sorted: &sorted,
        },
        offsets,
    )
}

/// Points read through the sorted index (first tree level).
struct Indexed<'a> {
    bases: &'a [G1Affine],
    sorted: &'a [u32],
}

trait PointSource: Sync {
    fn get(&self, i: usize) -> G1Affine;
    /// Asks for point i to be brought into cache (a no-op where points are
    /// read in order).
    #[inline]
    fn prefetch(&self, _i: usize) {}
}

impl PointSource for Indexed<'_> {
    #[inline]
    fn get(&self, i: usize) -> G1Affine {
        let entry = self.sorted[i];
        let p = self.bases[(entry & 0x7fff_ffff) as usize];
        if entry >> 31 == 1 {
            -p
        } else {
            p
        }
    }

    #[inline]
    fn prefetch(&self, i: usize) {
        prefetch_point(&self.bases[(self.sorted[i] & 0x7fff_ffff) as usize]);
    }
}

/// A read hint for both cache lines a point may span.
#[inline]
fn prefetch_point(p: &G1Affine) {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let start = (p as *const G1Affine).cast::<i8>();
        // SAFETY: a prefetch is only a hint: it never faults and nothing
        // observes it; both addresses lie within `p` anyway.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(start);
            _mm_prefetch::<_MM_HINT_T0>(start.add(std::mem::size_of::<G1Affine>() - 1));
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

impl PointSource for [G1Affine] {
    #[inline]
    fn get(&self, i: usize) -> G1Affine {
        self[i]
    }
}

/// Sums each segment offsets\[b]..offsets\[b+1] of `source` into one point,
/// halving every segment per level with batch-affine additions.
fn segmented_sums<S: PointSource + ?Sized>(source: &S, mut offsets: Vec<u32>) -> Vec<G1Affine> {
    let num_segments = offsets.len() - 1;
    let (mut next_offsets, _) = halve(&offsets);
    // The first level always runs: it gathers the points out of `source`.
    // Later levels alternate between two buffers, so each level reuses
    // memory that is already mapped instead of faulting in fresh pages.
    let mut points = Vec::new();
    batch_add_level(source, &offsets, &next_offsets, &mut points);
    let mut spare = Vec::new();
    offsets = next_offsets;
    loop {
        let (halved, pairs) = halve(&offsets);
        if pairs == 0 {
            break;
        }
        // Once most segments are done, copying them each level costs more
        // than the few remaining additions save: finish projectively.
        if pairs < 512 || pairs * 16 < points.len() {
            return finish_projective(&points, &offsets);
        }
        next_offsets = halved;
        batch_add_level(points.as_slice(), &offsets, &next_offsets, &mut spare);
        std::mem::swap(&mut points, &mut spare);
        offsets = next_offsets;
    }
    (0..num_segments)
        .map(|b| {
            if offsets[b + 1] > offsets[b] {
                points[offsets[b] as usize]
            } else {
                G1Affine::identity()
            }
        })
        .collect()
}

/// Offsets after pairing up each segment, and the number of pairs.
fn halve(offsets: &[u32]) -> (Vec<u32>, usize) {
    let mut next = Vec::with_capacity(offsets.len());
    next.push(0u32);
    let mut pairs = 0usize;
    for w in offsets.windows(2) {
        let len = w[1] - w[0];
        pairs += (len / 2) as usize;
        next.push(next[next.len() - 1] + len.div_ceil(2));
    }
    (next, pairs)
}

/// Segment sums of the remaining points with projective additions.
fn finish_projective(points: &[G1Affine], offsets: &[u32]) -> Vec<G1Affine> {
    let sums: Vec<G1Projective> = offsets
        .par_windows(2)
        .with_min_len(1 << 10)
        .map(|w| {
            let mut acc = G1Projective::zero();
            for p in &points[w[0] as usize..w[1] as usize] {
                acc += p;
            }
            acc
        })
        .collect();
    G1Projective::normalize_batch(&sums)
}

/// One tree level: output t of segment b is source\[off_b + 2t] +
/// source\[off_b + 2t + 1] (or the lone last point of an odd segment).
fn batch_add_level<S: PointSource + ?Sized>(
    source: &S,
    offsets: &[u32],
    next: &[u32],
    out: &mut Vec<G1Affine>,
) {
    let total = next[next.len() - 1] as usize;
    // Sized in parallel: a serial fill of tens of MB (with its page faults)
    // was a visible serial fraction of a two-thread MSM.
    out.clear();
    out.par_extend(rayon::iter::repeat_n(G1Affine::identity(), total));
    let chunk = total
        .div_ceil(4 * rayon::current_num_threads())
        .max(MIN_LEVEL_CHUNK);
    out.par_chunks_mut(chunk).enumerate().for_each(|(k, out)| {
        add_level_chunk(source, offsets, next, k * chunk, out);
    });
}

/// How one output of a level is formed.
#[derive(Clone, Copy)]
enum Sum {
    /// The lone last point of an odd segment, or a sum with the identity.
    Copy(G1Affine),
    /// p + q with p.x ≠ q.x: λ = (q.y − p.y)/(q.x − p.x).
    Add(G1Affine, G1Affine),
    /// 2p: λ = 3·p.x²/(2·p.y) (BN254 has a = 0).
    Double(G1Affine),
}

impl Sum {
    #[inline]
    fn of(p: G1Affine, q: G1Affine) -> Self {
        if p.infinity {
            Sum::Copy(q)
        } else if q.infinity {
            Sum::Copy(p)
        } else if p.x != q.x {
            Sum::Add(p, q)
        } else if p.y == q.y && !p.y.is_zero() {
            Sum::Double(p)
        } else {
            // q = −p.
            Sum::Copy(G1Affine::identity())
        }
    }

    #[inline]
    fn denominator(&self) -> Fq {
        match self {
            Sum::Copy(_) => Fq::one(),
            Sum::Add(p, q) => q.x - p.x,
            Sum::Double(p) => p.y.double(),
        }
    }

    /// The sum, given 1/denominator.
    #[inline]
    fn finish(&self, inv: Fq) -> G1Affine {
        let (p, lambda, qx) = match *self {
            Sum::Copy(p) => return p,
            Sum::Add(p, q) => (p, (q.y - p.y) * inv, q.x),
            Sum::Double(p) => {
                let xx = p.x.square();
                (p, (xx.double() + xx) * inv, p.x)
            }
        };
        let x3 = lambda.square() - p.x - qx;
        let y3 = lambda * (p.x - x3) - p.y;
        G1Affine::new_unchecked(x3, y3)
    }
}

/// Fills `out` (outputs first..first + out.len() of a level) in batches
/// that share one inversion each.
fn add_level_chunk<S: PointSource + ?Sized>(
    source: &S,
    offsets: &[u32],
    next: &[u32],
    first: usize,
    out: &mut [G1Affine],
) {
    // Segment of output `first`: the last b with next[b] ≤ first.
    let mut seg = next.partition_point(|&x| x as usize <= first) - 1;
    let mut sums: Vec<Sum> = Vec::with_capacity(BATCH);
    let mut prefix: Vec<Fq> = Vec::with_capacity(BATCH);
    for (batch_index, out) in out.chunks_mut(BATCH).enumerate() {
        sums.clear();
        prefix.clear();
        // The batch reads one contiguous run of source entries; asking for
        // all of its points before touching any lets the first level's
        // random reads of the bases overlap (a no-op for later levels,
        // which read in order).
        let o_first = first + batch_index * BATCH;
        let o_last = o_first + out.len() - 1;
        let run = {
            let s0 = next.partition_point(|&x| x as usize <= o_first) - 1;
            let s1 = next.partition_point(|&x| x as usize <= o_last) - 1;
            let a0 = offsets[s0] as usize + 2 * (o_first - next[s0] as usize);
            let a1 = offsets[s1] as usize + 2 * (o_last - next[s1] as usize);
            a0..(a1 + 2).min(offsets[s1 + 1] as usize)
        };
        for a in run {
            source.prefetch(a);
        }
        // Gather first, multiply after: with no multiplication chain in
        // this loop the CPU keeps many cache misses in flight, which matters
        // when the first level reads bases in bucket order from an SRS far
        // larger than the caches.
        for k in 0..out.len() {
            let o = first + batch_index * BATCH + k;
            while next[seg + 1] as usize <= o {
                seg += 1;
            }
            let a = offsets[seg] as usize + 2 * (o - next[seg] as usize);
            sums.push(if a + 1 < offsets[seg + 1] as usize {
                Sum::of(source.get(a), source.get(a + 1))
            } else {
                Sum::Copy(source.get(a))
            });
        }
        let mut acc = Fq::one();
        for sum in &sums {
            prefix.push(acc);
            acc *= sum.denominator();
        }
        // Invariant: every denominator is non-zero (x-coordinates differ,
        // or 2y ≠ 0 for a doubling, or 1), so their product is invertible.
        let mut inv = acc.inverse().expect("product of non-zero denominators");
        for k in (0..out.len()).rev() {
            out[k] = sums[k].finish(inv * prefix[k]);
            inv *= sums[k].denominator();
        }
    }
}

/// W_w = Σ_d d·B_{w,d} for each window, with each window's digit range
/// split across threads: over digits \[lo, hi], running sums give
/// Σ (d − lo + 1)·B_d and T = Σ B_d, and Σ d·B_d = that + (lo − 1)·T.
fn reduce_windows(
    buckets: &[G1Affine],
    per_window: usize,
    num_windows: usize,
) -> Vec<G1Projective> {
    let parts = if per_window >= 1 << 10 {
        (2 * rayon::current_num_threads())
            .div_ceil(num_windows)
            .max(1)
    } else {
        1
    };
    let part_len = (per_window - 1).div_ceil(parts);
    let tasks: Vec<(usize, usize, usize)> = (0..num_windows)
        .flat_map(|w| {
            (1..per_window)
                .step_by(part_len)
                .map(move |lo| (w, lo, (lo + part_len).min(per_window)))
        })
        .collect();
    let partial: Vec<(usize, G1Projective)> = tasks
        .into_par_iter()
        .map(|(w, lo, hi)| {
            let window = &buckets[w * per_window..(w + 1) * per_window];
            let mut running = G1Projective::zero();
            let mut sum = G1Projective::zero();
            for b in window[lo..hi].iter().rev() {
                running += b;
                sum += running;
            }
            if lo > 1 {
                sum += running.mul_bigint([(lo - 1) as u64]);
            }
            (w, sum)
        })
        .collect();
    let mut sums = vec![G1Projective::zero(); num_windows];
    for (w, s) in partial {
        sums[w] += s;
    }
    sums
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::VariableBaseMSM;
    use ark_ff::UniformRand;
    use rand::Rng;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn random_bases(n: usize, rng: &mut ChaCha20Rng) -> Vec<G1Affine> {
        let points: Vec<G1Projective> = (0..n).map(|_| G1Projective::rand(rng)).collect();
        G1Projective::normalize_batch(&points)
    }

    fn reference(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
        G1Projective::msm(&bases[..scalars.len()], scalars).unwrap()
    }

    #[test]
    fn every_width_matches_ark_msm() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let bases = random_bases(3000, &mut rng);
        for &n in &[0usize, 1, 5, 32, 33, 100, 1000, 3000] {
            let bits: Vec<bool> = (0..n).map(|_| rng.gen()).collect();
            let to_fr = |v: &dyn Fn(usize) -> Fr| (0..n).map(v).collect::<Vec<Fr>>();
            let expected = reference(&bases, &to_fr(&|i| Fr::from(bits[i])));
            assert_eq!(msm_small(&bases, bits.as_slice()), expected, "bits n={n}");

            let u8s: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
            let expected = reference(&bases, &to_fr(&|i| Fr::from(u8s[i])));
            assert_eq!(msm_small(&bases, u8s.as_slice()), expected, "u8 n={n}");

            let u16s: Vec<u16> = (0..n).map(|_| rng.gen()).collect();
            let expected = reference(&bases, &to_fr(&|i| Fr::from(u16s[i])));
            assert_eq!(msm_small(&bases, u16s.as_slice()), expected, "u16 n={n}");

            let u32s: Vec<u32> = (0..n).map(|_| rng.gen()).collect();
            let expected = reference(&bases, &to_fr(&|i| Fr::from(u32s[i])));
            assert_eq!(msm_small(&bases, u32s.as_slice()), expected, "u32 n={n}");

            let u64s: Vec<u64> = (0..n).map(|_| rng.gen()).collect();
            let expected = reference(&bases, &to_fr(&|i| Fr::from(u64s[i])));
            assert_eq!(msm_small(&bases, u64s.as_slice()), expected, "u64 n={n}");

            let i64s: Vec<i64> = (0..n)
                .map(|_| rng.gen::<i64>() >> rng.gen_range(0..63))
                .collect();
            let expected = reference(&bases, &to_fr(&|i| Fr::from(i64s[i])));
            assert_eq!(msm_small(&bases, i64s.as_slice()), expected, "i64 n={n}");

            let full: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            assert_eq!(
                msm_field(&bases, &full),
                reference(&bases, &full),
                "field n={n}"
            );
        }
    }

    #[test]
    fn skewed_and_degenerate_columns() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let bases = random_bases(5000, &mut rng);
        // All in one bucket (deep tree), all zero, a field column of small
        // values (takes the small path), extreme values.
        let ones = vec![1u16; 5000];
        let expected: G1Projective = bases.iter().map(|b| b.into_group()).sum();
        assert_eq!(msm_small(&bases, ones.as_slice()), expected);
        assert_eq!(
            msm_small(&bases, vec![0u32; 5000].as_slice()),
            G1Projective::zero()
        );
        let small_field: Vec<Fr> = (0..5000).map(|i| Fr::from((i % 300) as u64)).collect();
        assert_eq!(
            msm_field(&bases, &small_field),
            reference(&bases, &small_field)
        );
        let extremes: Vec<Fr> = (0..5000)
            .map(|i| match i % 4 {
                0 => -Fr::one(),
                1 => Fr::zero(),
                2 => Fr::from(u64::MAX),
                _ => -Fr::from(u64::MAX),
            })
            .collect();
        assert_eq!(msm_field(&bases, &extremes), reference(&bases, &extremes));
        // Sparse full-width columns (the non-zero path) at both ends of the
        // threshold, with the non-zeros first, last and scattered.
        for nonzero in [
            1usize,
            7,
            5000 / SPARSE_FRACTION - 1,
            5000 / SPARSE_FRACTION,
        ] {
            for place in [0usize, 1, 2] {
                let mut sparse = vec![Fr::zero(); 5000];
                for k in 0..nonzero {
                    let i = match place {
                        0 => k,
                        1 => 4999 - k,
                        _ => (k * 7919) % 5000,
                    };
                    sparse[i] = Fr::rand(&mut rng);
                }
                assert_eq!(
                    msm_field(&bases, &sparse),
                    reference(&bases, &sparse),
                    "{nonzero} non-zeros, placement {place}"
                );
            }
        }
        let i64_extremes: Vec<i64> = (0..5000)
            .map(|i| [i64::MIN, i64::MAX, -1, 0, 1][i % 5])
            .collect();
        let as_fr: Vec<Fr> = i64_extremes.iter().map(|&v| Fr::from(v)).collect();
        assert_eq!(
            msm_small(&bases, i64_extremes.as_slice()),
            reference(&bases, &as_fr)
        );
    }

    #[test]
    fn repeated_and_opposite_points_in_one_bucket() {
        // P + P (doubling), P + (−P) (identity) and the identity itself
        // inside a bucket's tree.
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let p = random_bases(1, &mut rng)[0];
        let mut bases = vec![p; 64];
        bases.extend(vec![-p; 64]);
        bases.extend(vec![G1Affine::identity(); 64]);
        bases.extend(random_bases(64, &mut rng));
        let scalars: Vec<u8> = (0..bases.len()).map(|i| [1u8, 3, 1, 7][i % 4]).collect();
        let as_fr: Vec<Fr> = scalars.iter().map(|&v| Fr::from(v)).collect();
        assert_eq!(
            msm_small(&bases, scalars.as_slice()),
            reference(&bases, &as_fr)
        );
        let ones = vec![true; bases.len()];
        let as_fr: Vec<Fr> = vec![Fr::one(); bases.len()];
        assert_eq!(
            msm_small(&bases, ones.as_slice()),
            reference(&bases, &as_fr)
        );
    }

    #[test]
    fn large_single_window_goes_through_many_levels_and_chunks() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let n = 1 << 15;
        let bases = random_bases(n, &mut rng);
        let bits: Vec<bool> = (0..n).map(|_| rng.gen_bool(0.9)).collect();
        let as_fr: Vec<Fr> = bits.iter().map(|&b| Fr::from(b)).collect();
        assert_eq!(
            msm_small(&bases, bits.as_slice()),
            reference(&bases, &as_fr)
        );
        let u16s: Vec<u16> = (0..n).map(|_| rng.gen()).collect();
        let as_fr: Vec<Fr> = u16s.iter().map(|&v| Fr::from(v)).collect();
        assert_eq!(
            msm_small(&bases, u16s.as_slice()),
            reference(&bases, &as_fr)
        );
    }

    #[test]
    fn index_buckets_are_the_sums_per_row_in_any_grouping() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let bases = random_bases(64, &mut rng);
        let a: Vec<u16> = (0..64).map(|_| rng.gen_range(0..9u16)).collect();
        let b: Vec<u32> = (0..40).map(|_| rng.gen_range(0..300u32)).collect();
        let c: Vec<u16> = vec![5; 33];
        let indices = [StepIndex::U16(&a), StepIndex::U32(&b), StepIndex::U16(&c)];
        let one_tree = buckets_in_trees(&bases, &indices, 1 << 10);
        // A cap below two indices' steps: one tree per index.
        let apart = buckets_in_trees(&bases, &indices, 64);
        for ((index, x), y) in indices.iter().zip(&one_tree).zip(&apart) {
            let mut expected = std::collections::BTreeMap::new();
            for (t, base) in bases.iter().enumerate().take(index.len()) {
                *expected
                    .entry(index.get(t) as u32)
                    .or_insert(G1Projective::zero()) += base;
            }
            let rows: Vec<u32> = expected.keys().copied().collect();
            let sums: Vec<G1Affine> = expected.values().map(|p| p.into_affine()).collect();
            assert_eq!((&x.rows, &x.sums), (&rows, &sums));
            assert_eq!((&y.rows, &y.sums), (&rows, &sums));
        }
    }

    #[test]
    fn window_choice() {
        assert_eq!(window_bits(1 << 20, 1), 1);
        assert_eq!(window_bits(1 << 20, 8), 8);
        assert_eq!(window_bits(1 << 20, 16), 16);
        assert_eq!(window_bits(1 << 16, 16), 8);
        // Small scalars keep unsigned digits; full-width ones take signed
        // digits, with windows covering one bit more than the scalars.
        let small = Windows::choose(1 << 18, 32);
        assert!(!small.signed && small.count * small.c >= 32);
        let full = Windows::choose(1 << 18, 254);
        assert_eq!((full.c, full.count, full.signed), (15, 17, true));
        assert!(full.count * full.c > 254);
    }

    /// Scalars with every pattern the recoding cares about: zero, one, the
    /// largest (p − 1), powers of two at and around window edges, raw
    /// digits whose top bit is set in every window, and random ones.
    fn edge_scalars(rng: &mut ChaCha20Rng) -> Vec<Fr> {
        let mut v = vec![Fr::zero(), Fr::one(), -Fr::one(), -Fr::from(2u64)];
        for k in [14usize, 15, 16, 29, 30, 31, 127, 128, 239, 240, 252, 253] {
            let two_k = Fr::from(2u64).pow([k as u64]);
            v.extend([two_k, two_k - Fr::one(), two_k + Fr::one()]);
        }
        // 0b1000…0 and 0b1111…1 in every 15-bit window below 2^240.
        let mut tops = Fr::zero();
        let mut ones = Fr::zero();
        for w in 0..16u64 {
            tops += Fr::from(2u64).pow([15 * w + 14]);
            ones += Fr::from(2u64).pow([15 * w]) * Fr::from((1u64 << 15) - 1);
        }
        v.extend([tops, ones, -tops, -ones]);
        v.extend((0..40).map(|_| Fr::rand(rng)));
        v
    }

    #[test]
    fn signed_digits_telescope_to_the_scalar() {
        let mut rng = ChaCha20Rng::seed_from_u64(12);
        let scalars: Vec<BigInt<4>> = edge_scalars(&mut rng)
            .iter()
            .map(|s| s.into_bigint())
            .collect();
        for c in 2..=16usize {
            let kind = Windows {
                c,
                count: 255usize.div_ceil(c),
                signed: true,
            };
            for (i, s) in scalars.iter().enumerate() {
                let mut sum = Fr::zero();
                for w in 0..=kind.count {
                    let (d, negative) = kind.digit(scalars.as_slice(), i, w);
                    assert!(d <= 1 << (c - 1), "c={c} window {w}: |d| = {d}");
                    if w == kind.count {
                        assert_eq!(d, 0, "c={c}: a digit above the last window");
                    }
                    let term = Fr::from(d) * Fr::from(2u64).pow([(w * c) as u64]);
                    sum += if negative { -term } else { term };
                }
                assert_eq!(sum, Fr::from_bigint(*s).unwrap(), "c={c} scalar {i}");
            }
        }
    }

    #[test]
    fn full_width_edge_scalars_match_ark_msm() {
        let mut rng = ChaCha20Rng::seed_from_u64(13);
        let scalars = edge_scalars(&mut rng);
        let bases = random_bases(scalars.len(), &mut rng);
        assert!(scalars.len() > DIRECT_MSM_MAX, "the bucket kernel runs");
        assert_eq!(msm_field(&bases, &scalars), reference(&bases, &scalars));
        // Every scalar alone (the top window holding it) and all of them
        // negated.
        let negated: Vec<Fr> = scalars.iter().map(|s| -*s).collect();
        assert_eq!(msm_field(&bases, &negated), reference(&bases, &negated));
        for k in 0..scalars.len() {
            let mut one = vec![Fr::zero(); scalars.len()];
            one[k] = scalars[k];
            // Zeros force the dense path: keep the column dense.
            for z in one.iter_mut().take(DIRECT_MSM_MAX + 8) {
                if z.is_zero() {
                    *z = Fr::rand(&mut rng);
                }
            }
            assert_eq!(
                msm_field(&bases, &one),
                reference(&bases, &one),
                "scalar {k}"
            );
        }
    }
}
