//! A validated focal-entropy problem: the class distribution P, the optional α
//! weights, and the classes grouped by equal probability (equal inputs have equal
//! outputs, so each group is solved once).

use std::cmp::Ordering;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::error::FocalError;
use super::error::MAX_CLASSES;
use super::numerics::{compensated_sum, CompensatedSum, LogitPoint};

/// Smallest and largest α weight accepted; outside this range the weighted
/// distribution would underflow or overflow.
pub const ALPHA_RANGE: (f64, f64) = (1e-12, 1e12);

/// Classes that share the data probability `p` and the target weight `w`.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// Number of classes in the group.
    pub multiplicity: f64,
    /// Data probability `p` of each member (its logit and logarithms, needed
    /// rarely, are [`FocalProblem::data_point`]: without α a million groups
    /// keep 40 MB less; with α they are kept beside the groups).
    pub p: f64,
    /// Target weight `w = α p / Σ α p` of each member (equal to `p` without α).
    pub w: LogitPoint,
    /// `ln(w / p)`, zero without α.
    pub ln_w_over_p: f64,
}

/// The group index of an absent class (count zero): no group has it, as
/// there are at most [`MAX_CLASSES`] classes.
const ABSENT: u32 = u32::MAX;
const _: () = assert!(MAX_CLASSES < ABSENT as usize);

#[derive(Debug)]
struct ProblemData {
    counts: Vec<f64>,
    alpha: Option<Vec<f64>>,
    /// Group of each class, [`ABSENT`] for classes with count zero (four
    /// bytes a class where `Option<u32>` takes eight).
    class_group: Vec<u32>,
    /// Groups sorted by increasing target weight.
    groups: Vec<Group>,
    /// Each group's data probability `p` with its logit and logarithms, kept
    /// only with α: without it `p = w` and [`Group::w`] holds them.
    data_points: Option<Vec<LogitPoint>>,
    shannon_p: f64,
    /// Classes with a positive count.
    positive_class_count: usize,
    /// Frequency ranks, computed when first asked for.
    frequency_ranks: OnceLock<ClassRanks>,
    /// With α, the groups by decreasing `p` ([`RankOrder`]),
    /// computed when first asked for; `None` inside when `p` rises strictly
    /// along the groups (√ inverse-frequency α on distinct counts, say), so
    /// that they stand in reverse as without α and need no sort (20 ms and
    /// 4 MB at a million groups in the page).
    rank_order: OnceLock<Option<Vec<usize>>>,
    /// The rarest class, found while grouping (a scan of its own cost 20 ms
    /// at a million classes in the browser).
    rarest_class: usize,
}

/// The indices `0..count` sorted by `compare`, equal ones in increasing
/// order (as a stable sort leaves them): one routine for the index sorts of
/// ranks, tables and plots, so that the web build carries one copy of the
/// sort, an unstable one (the standard library's stable sort, kept for this
/// alone, took 0.76 kB more of the gzipped download).
pub fn sorted_indices(count: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    sort_indices(&mut order, compare);
    order
}

/// Sorts indices by `compare`, equal ones in increasing order: the one sort
/// of [`sorted_indices`], for a part of an order sorted already by a coarser key.
pub fn sort_indices(indices: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    indices.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
}

/// Ranks of the classes by a value shared by all classes of a group (1 = the
/// largest; equal values share the best rank), kept per group, so that a
/// million classes with a few thousand distinct counts are ranked by sorting
/// a few thousand values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRanks {
    /// Rank of each group's classes.
    by_group: Vec<usize>,
    /// Rank of the absent classes (count zero).
    absent: usize,
}

impl ClassRanks {
    /// Ranks from one value per group of `problem` (`group_value` of the
    /// group's index) and the value of its absent classes (0 for p or q*).
    pub(crate) fn new(
        problem: &FocalProblem,
        group_value: impl Fn(usize) -> f64,
        absent_value: f64,
    ) -> Self {
        let groups = problem.groups();
        let absent_count = problem.class_count() - problem.positive_class_count();
        // Items: the groups, then the absent classes as one more item.
        let value = |item: usize| {
            if item < groups.len() {
                group_value(item)
            } else {
                absent_value
            }
        };
        let members = |item: usize| {
            groups
                .get(item)
                .map_or(absent_count, |g| g.multiplicity as usize)
        };
        // Ranks the items in `order` (by decreasing value); `None` when
        // `in_order_only` and an item's value is above the last one's.
        let rank_in = |order: &mut dyn Iterator<Item = usize>, in_order_only: bool| {
            let mut rank_of_item = vec![0; groups.len() + 1];
            let mut classes_before = 0;
            let mut previous: Option<(f64, usize)> = None;
            for item in order {
                let (value, members) = (value(item), members(item));
                if members == 0 {
                    continue;
                }
                let rank = match previous {
                    Some((last, rank)) if last == value => rank,
                    Some((last, _))
                        if in_order_only && value.partial_cmp(&last) != Some(Ordering::Less) =>
                    {
                        return None
                    }
                    _ => classes_before + 1,
                };
                rank_of_item[item] = rank;
                previous = Some((value, rank));
                classes_before += members;
            }
            Some(rank_of_item)
        };
        // The groups come by increasing weight, and p and q* (whose order
        // follows the weights') by increasing value: the items by decreasing
        // value are then the groups reversed, the absent classes last, and
        // a million distinct classes are ranked in one walk, with no sort
        // and no list of the items in order (20 ms, then 67 ms traced, in the
        // page), and the walk checks that order as it goes. Ties share a
        // rank whichever of them comes first.
        let mut walk = (0..groups.len()).rev().chain([groups.len()]);
        let mut rank_of_item = rank_in(&mut walk, true)
            .or_else(|| {
                let sorted =
                    sorted_indices(groups.len() + 1, &|a, b| value(b).total_cmp(&value(a)));
                rank_in(&mut sorted.into_iter(), false)
            })
            .unwrap_or_default();
        let absent = rank_of_item.pop().unwrap_or(0);
        ClassRanks {
            by_group: rank_of_item,
            absent,
        }
    }

    /// The rank of a class of `problem` (the problem these ranks were made for).
    pub fn of(&self, problem: &FocalProblem, class: usize) -> usize {
        problem
            .group_index(class)
            .map_or(self.absent, |g| self.of_group(g))
    }

    /// The rank of the classes of a group.
    pub fn of_group(&self, group: usize) -> usize {
        self.by_group.get(group).copied().unwrap_or(self.absent)
    }

    /// How many present classes of `problem` rank within each of `ranges`
    /// (`(best, worst)`, both included), in one pass over the groups.
    pub fn present_classes_ranked<const N: usize>(
        &self,
        problem: &FocalProblem,
        ranges: [(usize, usize); N],
    ) -> [usize; N] {
        let mut counts = [0; N];
        for (group, &rank) in problem.groups().iter().zip(&self.by_group) {
            for (count, &(best, worst)) in counts.iter_mut().zip(&ranges) {
                if rank >= best && rank <= worst {
                    *count += group.multiplicity as usize;
                }
            }
        }
        counts
    }
}

/// The groups in a rank plot's order: by decreasing `p` (equal `p`, told
/// apart by α, by increasing weight). Without α the groups, which come by
/// increasing weight, that is `p`, stand in reverse, and so do they with α
/// when `p` rises strictly along them; otherwise they are sorted once per
/// problem.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RankOrder<'a> {
    /// The group at each position when sorted; `None` when they stand in reverse.
    sorted: Option<&'a [usize]>,
    /// The last position.
    last: usize,
}

impl RankOrder<'_> {
    /// The group at a position (from 0).
    pub(crate) fn group_at(self, position: usize) -> usize {
        match self.sorted {
            Some(sorted) => sorted[position],
            None => self.last - position,
        }
    }
}

/// A validated problem; cheap to clone (the data is shared).
#[derive(Debug, Clone)]
pub struct FocalProblem(Arc<ProblemData>);

/// The data probability of `groups[group]` with its logit and logarithms:
/// from `data_points` when α gave each group its own, else the target
/// weight's, which is `p` itself.
fn data_point_of<'a>(
    groups: &'a [Group],
    data_points: Option<&'a [LogitPoint]>,
    group: usize,
) -> &'a LogitPoint {
    match data_points {
        Some(points) => &points[group],
        None => &groups[group].w,
    }
}

/// Checks α weights: one per class, each in [`ALPHA_RANGE`].
pub(crate) fn validate_alpha(alpha: &[f64], classes: usize) -> Result<(), FocalError> {
    if alpha.len() != classes {
        return Err(FocalError::AlphaLength {
            given: alpha.len(),
            expected: classes,
        });
    }
    match alpha
        .iter()
        .enumerate()
        .find(|(_, a)| !(a.is_finite() && (ALPHA_RANGE.0..=ALPHA_RANGE.1).contains(*a)))
    {
        Some((index, &value)) => Err(FocalError::InvalidAlpha { index, value }),
        None => Ok(()),
    }
}

/// Probabilities `mass_i / Σ mass`, the largest one's complement summed
/// from the other masses so that a probability like `1 − 10⁻¹²` keeps an
/// accurate `1 − p`. Masses must be finite and ≥ 0 with a positive maximum.
/// The probabilities cost a division each; their logits and logarithms
/// ([`Shares::point`]) are computed only for the classes that need them (one
/// per group of equal classes).
#[derive(Debug, Default)]
struct Shares {
    /// The masses divided by the largest.
    scaled: Vec<f64>,
    /// Their compensated sum.
    total: f64,
    /// The class above ½, if any, with the sum of the others' scaled masses.
    head: Option<(usize, f64)>,
}

impl Shares {
    fn new(masses: &[f64]) -> Self {
        let largest = masses.iter().copied().fold(0.0, f64::max);
        let scaled: Vec<f64> = masses.iter().map(|m| m / largest).collect();
        let total = compensated_sum(scaled.iter().copied());
        let head = scaled.iter().position(|&m| m / total > 0.5).map(|index| {
            let rest: CompensatedSum = scaled
                .iter()
                .enumerate()
                .filter(|&(other, _)| other != index)
                .map(|(_, &m)| m)
                .collect();
            (index, rest.value())
        });
        Shares {
            scaled,
            total,
            head,
        }
    }

    /// The probability of class `index`.
    fn q(&self, index: usize) -> f64 {
        self.scaled[index] / self.total
    }

    /// The probability of class `index` with its logit and logarithms, from
    /// `p` and `1 − p` (two logarithms): `1 − p` is the others' share for the
    /// class above ½, and `1 − p` itself, exact to an ulp, for the others.
    fn point(&self, index: usize) -> LogitPoint {
        let p = self.q(index);
        let one_minus_p = match self.head {
            Some((head, rest)) if head == index => rest / self.total,
            _ => 1.0 - p,
        };
        if p > 0.0 && one_minus_p > 0.0 {
            LogitPoint::from_parts(p, one_minus_p)
        } else {
            // An absent class (p = 0) or the only class (p = 1).
            LogitPoint::endpoint(p)
        }
    }
}

/// How many stages [`ProblemBuild::advance`] takes: validation, P's
/// shares, the target weights' shares, the classes listed with their
/// weights, sorted by weight (a piece at a time), then within equal weights,
/// their groups (a piece at a time), the problem made of them, and its two
/// sorts of the distinct classes (the frequency ranks and, with α, the rank
/// order), each 20 ms for a million in the browser, which would otherwise
/// come at their first use, in the page's first drawing.
const BUILD_STAGES: usize = 10;

/// The stage of [`ProblemBuild::advance`] that sorts the classes by weight,
/// a piece at a time.
const SORTING: usize = 4;

/// The stage of [`ProblemBuild::advance`] that groups equal classes, a
/// piece at a time.
const GROUPING: usize = 6;

/// Most classes sorted in one piece of the sorting stage: a longer range is
/// split around a pivot key instead ([`split_around_a_pivot`], one pass
/// over it), as sorting a million classes at once took a task of 45–70 ms
/// in the browser.
const SORTED_AT_ONCE: usize = 1 << 16;

/// Classes grouped per piece of the grouping stage: about 6 ms in the
/// browser when each is a group of its own with α (four logarithms).
const GROUPED_PER_PIECE: usize = 1 << 16;

/// A problem validated and grouped a stage at a time, each stage a pass or
/// two over the classes (at most about 30 ms for a million classes in the
/// browser; the sort and the grouping, which would be slower, a piece at a
/// time), so that the page takes in a million classes between frames.
/// [`FocalProblem::new`] runs the stages up to the problem at once.
#[derive(Debug)]
pub struct ProblemBuild {
    counts: Vec<f64>,
    alpha: Option<Vec<f64>>,
    /// Stages done so far, of [`BUILD_STAGES`].
    stages_done: usize,
    /// P's shares (stage 2).
    data: Shares,
    /// With α, the target weights' shares (stage 3).
    weighted: Option<Shares>,
    /// The present classes, each with its key, in order once sorted (see
    /// [`ProblemBuild::order_classes`]).
    order: Vec<(u64, u32)>,
    /// Ranges of `order` not sorted yet, each holding the keys between
    /// those of the ranges on either side.
    unsorted: Vec<Range<usize>>,
    /// Splits of ranges left before every range is sorted at once: four
    /// times as many as even splits would make, so that splits too uneven
    /// (which a cunning order of counts could make happen at each one)
    /// cannot repeat a pass over the classes much more often than that.
    splits_left: usize,
    /// The classes of `order` grouped so far.
    grouped: usize,
    /// The last group's key, (w bits, p bits).
    last_key: Option<(u64, u64)>,
    /// The groups made so far, with room for all of them.
    groups: Vec<Group>,
    /// With α, each group's data probability, beside `groups`.
    data_points: Option<Vec<LogitPoint>>,
    /// Each class's group, [`ABSENT`] until grouped.
    class_group: Vec<u32>,
    /// The rarest class grouped so far, after its `p`: the first of the
    /// smallest `p`.
    rarest: (f64, usize),
    /// The problem, once made (stage 6).
    built: Option<FocalProblem>,
}

impl ProblemBuild {
    /// A build of the problem of class counts (finite, ≥ 0, at least one
    /// positive, at most [`MAX_CLASSES`]) and optional α weights (one per
    /// class, in [`ALPHA_RANGE`]), checked by its first stage.
    pub fn new(counts: Vec<f64>, alpha: Option<Vec<f64>>) -> Self {
        ProblemBuild {
            counts,
            alpha,
            stages_done: 0,
            data: Shares::default(),
            weighted: None,
            order: Vec::new(),
            unsorted: Vec::new(),
            splits_left: 0,
            grouped: 0,
            last_key: None,
            groups: Vec::new(),
            data_points: None,
            class_group: Vec::new(),
            rarest: (f64::INFINITY, 0),
            built: None,
        }
    }

    /// Does the next stage, or the next piece of the grouping; returns
    /// whether every stage is done. A stage that fails leaves the build
    /// where it was.
    pub fn advance(&mut self) -> Result<bool, FocalError> {
        match self.stages_done {
            0 => self.validate()?,
            1 => self.data = Shares::new(&self.counts),
            2 => {
                self.weighted = self.alpha.as_ref().map(|alpha| {
                    let masses: Vec<f64> = alpha
                        .iter()
                        .enumerate()
                        .map(|(i, a)| self.data.q(i) * a)
                        .collect();
                    Shares::new(&masses)
                })
            }
            3 => self.order_classes(),
            SORTING => {
                self.sort_piece();
                if !self.unsorted.is_empty() {
                    return Ok(false);
                }
            }
            5 => self.order_within_weights(),
            GROUPING => {
                self.group_classes();
                if self.grouped < self.order.len() {
                    return Ok(false);
                }
            }
            7 => self.built = Some(self.assemble()),
            8 => {
                if let Some(problem) = &self.built {
                    problem.frequency_ranks();
                }
            }
            9 => {
                if let Some(problem) = &self.built {
                    problem.rank_order();
                }
            }
            _ => {}
        }
        self.stages_done = BUILD_STAGES.min(self.stages_done + 1);
        Ok(self.stages_done == BUILD_STAGES)
    }

    /// The share of the work done, from 0 to 1: the stages, and the grouping
    /// by the classes grouped.
    pub fn fraction_done(&self) -> f64 {
        let grouping = if self.stages_done == GROUPING {
            self.grouped as f64 / self.order.len().max(1) as f64
        } else {
            0.0
        };
        (self.stages_done as f64 + grouping) / BUILD_STAGES as f64
    }

    /// The problem, after the stages that remain until it is made (its
    /// sorts are then left to its first use).
    pub fn into_problem(mut self) -> Result<FocalProblem, FocalError> {
        loop {
            if let Some(problem) = self.built.take() {
                return Ok(problem);
            }
            self.advance()?;
        }
    }

    /// Checks the counts and α; α with every weight equal is dropped (it
    /// changes nothing).
    fn validate(&mut self) -> Result<(), FocalError> {
        let counts = &self.counts;
        if counts.is_empty() {
            return Err(FocalError::NoClasses);
        }
        if counts.len() > MAX_CLASSES {
            return Err(FocalError::TooManyClasses {
                given: counts.len(),
            });
        }
        if let Some((index, &value)) = counts
            .iter()
            .enumerate()
            .find(|(_, c)| !(c.is_finite() && **c >= 0.0))
        {
            return Err(FocalError::InvalidCount { index, value });
        }
        if counts.iter().all(|&c| c == 0.0) {
            return Err(FocalError::AllZero);
        }
        if let Some(alpha) = &self.alpha {
            validate_alpha(alpha, counts.len())?;
        }
        self.alpha = self.alpha.take().filter(|a| a.iter().any(|&x| x != a[0]));
        Ok(())
    }

    /// The present classes listed to be sorted by w, each compared through
    /// its bits (positive, where bits order as values do) kept beside its
    /// index: one key per item, so that a sort of a million reads 16 bytes an
    /// item and nothing else (11 ms natively, 19 with both keys in each item).
    fn order_classes(&mut self) {
        let (data, weighted) = (&self.data, self.weighted.as_ref());
        let weight = |i: usize| weighted.map_or(data.q(i), |shares| shares.q(i));
        let order = &mut self.order;
        order.reserve(self.counts.len());
        order.extend((0..self.counts.len()).filter_map(|i| {
            let w = weight(i);
            (data.q(i) > 0.0 && w > 0.0).then_some((w.to_bits(), i as u32))
        }));
        self.unsorted.push(0..order.len());
        self.splits_left = 4 * order.len() / SORTED_AT_ONCE;
    }

    /// Takes the last range left unsorted: leaves it when it is in order
    /// already and turns it round when in reverse order (a generator's
    /// classes, each a pass), sorts it when it is short enough
    /// ([`SORTED_AT_ONCE`]) or the splits are used up, and otherwise splits
    /// it around a pivot key into the keys below it and those above it, two
    /// ranges left unsorted.
    fn sort_piece(&mut self) {
        let Some(range) = self.unsorted.pop() else {
            return;
        };
        let part = &mut self.order[range.clone()];
        if part.is_sorted_by_key(key_of) {
            return;
        }
        if part.is_sorted_by(|a, b| a.0 >= b.0) {
            part.reverse();
        } else if part.len() > SORTED_AT_ONCE && self.splits_left > 0 {
            self.splits_left -= 1;
            let equal = split_around_a_pivot(part);
            self.unsorted.push(range.start..range.start + equal.start);
            self.unsorted.push(range.start + equal.end..range.end);
        } else {
            part.sort_unstable_by_key(key_of);
        }
    }

    /// With α, each run of equal w of the order sorted by p, its keys turned
    /// into p's bits (a stage of its own: with the sort by w, a million
    /// classes with α made a task of 25–28 ms in the page, profiled); equal
    /// keys, which the sorts leave in any order, become one group. Room is
    /// then made for the groups, counted: a million distinct classes would
    /// otherwise copy their growing list of groups (64 MB) over and over.
    fn order_within_weights(&mut self) {
        let (data, weighted, order) = (&self.data, self.weighted.as_ref(), &mut self.order);
        let same_key = |a: &(u64, u32), b: &(u64, u32)| a.0 == b.0;
        let mut group_count = 0;
        if weighted.is_some() {
            for run in order.chunk_by_mut(same_key) {
                for (key, class) in run.iter_mut() {
                    *key = data.q(*class as usize).to_bits();
                }
                run.sort_unstable_by_key(key_of);
                group_count += run.chunk_by(same_key).count();
            }
        } else {
            group_count = order.chunk_by(same_key).count();
        }
        self.groups.reserve_exact(group_count);
        self.data_points = weighted.map(|_| Vec::with_capacity(group_count));
        self.class_group = vec![ABSENT; self.counts.len()];
    }

    /// Groups the next [`GROUPED_PER_PIECE`] classes of the order by equal
    /// (w, p), with each new group's logits and logarithms.
    fn group_classes(&mut self) {
        let (data, weighted) = (&self.data, self.weighted.as_ref());
        let end = self.order.len().min(self.grouped + GROUPED_PER_PIECE);
        for &(p_bits, class) in &self.order[self.grouped..end] {
            let index = class as usize;
            let w_bits = weighted.map_or(p_bits, |shares| shares.q(index).to_bits());
            let key = (w_bits, p_bits);
            if self.last_key != Some(key) {
                self.last_key = Some(key);
                // Logits and logarithms once per group.
                let p = data.point(index);
                let w = weighted.map_or(p, |shares| shares.point(index));
                self.groups.push(Group {
                    multiplicity: 0.0,
                    p: p.q,
                    w,
                    ln_w_over_p: p.neg_ln_q - w.neg_ln_q,
                });
                if let Some(points) = &mut self.data_points {
                    points.push(p);
                }
            }
            let last = self.groups.len() - 1;
            let group = &mut self.groups[last];
            group.multiplicity += 1.0;
            self.class_group[index] = last as u32;
            if (group.p, index) < self.rarest {
                self.rarest = (group.p, index);
            }
        }
        self.grouped = end;
    }

    /// The problem made of the build's parts, with H(P).
    fn assemble(&mut self) -> FocalProblem {
        let groups = std::mem::take(&mut self.groups);
        let data_points = self.data_points.take();
        let shannon_p = compensated_sum((0..groups.len()).map(|g| {
            let point = data_point_of(&groups, data_points.as_deref(), g);
            groups[g].multiplicity * groups[g].p * point.neg_ln_q
        }));
        FocalProblem(Arc::new(ProblemData {
            counts: std::mem::take(&mut self.counts),
            alpha: self.alpha.take(),
            class_group: std::mem::take(&mut self.class_group),
            groups,
            data_points,
            shannon_p,
            positive_class_count: self.order.len(),
            frequency_ranks: OnceLock::new(),
            rank_order: OnceLock::new(),
            rarest_class: self.rarest.1,
        }))
    }
}

/// The key of a (key, index) pair, as in [`ProblemBuild`]'s order: one
/// function for every sort of such pairs (the build's, the table's by label),
/// which then share their code in the page's download.
pub fn key_of(&(key, _): &(u64, u32)) -> u64 {
    key
}

/// Reorders `part` (at least four items) into keys below a pivot, keys
/// equal to it and keys above it, the pivot being the median of its keys at
/// a quarter, half and three quarters of its length; returns where the keys
/// equal to the pivot (at least one) start and end. Dijkstra's three-way
/// partition, written here because the standard library's selection added
/// 2 kB to the page's download; the classes equal to the pivot are then in
/// place, as many are in real counts.
fn split_around_a_pivot(part: &mut [(u64, u32)]) -> Range<usize> {
    let quarter = part.len() / 4;
    let [a, b, c] = [quarter, 2 * quarter, 3 * quarter].map(|i| part[i].0);
    let pivot = a.min(b).max(a.max(b).min(c));
    let (mut below, mut next, mut above) = (0, 0, part.len());
    while next < above {
        let key = part[next].0;
        if key < pivot {
            part.swap(below, next);
            below += 1;
            next += 1;
        } else if key > pivot {
            above -= 1;
            part.swap(next, above);
        } else {
            next += 1;
        }
    }
    below..above
}

impl FocalProblem {
    /// Validates class counts (finite, ≥ 0, at least one positive, at most
    /// [`MAX_CLASSES`]) and optional α weights (one per class, in
    /// [`ALPHA_RANGE`]), and groups equal classes: [`ProblemBuild`] at once.
    pub fn new(counts: &[f64], alpha: Option<&[f64]>) -> Result<Self, FocalError> {
        ProblemBuild::new(counts.to_vec(), alpha.map(<[f64]>::to_vec)).into_problem()
    }

    /// Whether two handles share the same validated data (cheap pointer comparison).
    pub fn same_as(&self, other: &FocalProblem) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The class counts as given.
    pub fn counts(&self) -> &[f64] {
        &self.0.counts
    }

    /// The α weights, `None` when every class has the same weight.
    pub fn alpha(&self) -> Option<&[f64]> {
        self.0.alpha.as_deref()
    }

    /// Number of classes, including those with count zero.
    pub fn class_count(&self) -> usize {
        self.0.counts.len()
    }

    /// Number of classes with a positive count (a count so small relative to the
    /// others that its probability underflows to 0 counts as absent).
    pub fn positive_class_count(&self) -> usize {
        self.0.positive_class_count
    }

    /// Whether `p` rises strictly along the groups (always without α; with
    /// α when the weights keep p's order, as inverse-frequency weights on
    /// distinct counts do): classes of equal `p` are then one group, and the
    /// groups stand in reverse by decreasing `p` ([`RankOrder`]). Read
    /// off the rank order, so checked once per problem.
    pub(crate) fn p_rises_along_groups(&self) -> bool {
        self.rank_order().sorted.is_none()
    }

    /// The groups by decreasing `p`, the order of a rank plot.
    pub(crate) fn rank_order(&self) -> RankOrder<'_> {
        let groups = self.groups();
        let sorted = self.0.alpha.as_ref().and_then(|_| {
            self.0
                .rank_order
                .get_or_init(|| {
                    if groups.windows(2).all(|pair| pair[0].p < pair[1].p) {
                        return None;
                    }
                    // Stable: equal p keep increasing weight.
                    Some(sorted_indices(groups.len(), &|a, b| {
                        groups[b].p.total_cmp(&groups[a].p)
                    }))
                })
                .as_deref()
        });
        RankOrder {
            sorted,
            last: groups.len().saturating_sub(1),
        }
    }

    /// Number of distinct classes: groups of equal probability (and α
    /// weight), each solved once; a solve's cost and memory follow it.
    pub fn distinct_class_count(&self) -> usize {
        self.0.groups.len()
    }

    /// Data probability `p_i` of a class (0 for classes with count zero).
    pub fn p(&self, class: usize) -> f64 {
        self.group_of(class).map_or(0.0, |g| g.p)
    }

    /// Target weight `w_i = α_i p_i / Σ α_j p_j` of a class (equal to `p_i`
    /// without α; 0 for classes with count zero). Q* keeps the order of `w`.
    pub fn weight(&self, class: usize) -> f64 {
        self.group_of(class).map_or(0.0, |g| g.w.q)
    }

    /// Shannon entropy H(P) in nats.
    pub fn shannon_p(&self) -> f64 {
        self.0.shannon_p
    }

    /// Head-to-tail ratio: the largest `p` over the smallest positive `p` (1 for one class).
    pub fn imbalance_ratio(&self) -> f64 {
        let (low, high) = self
            .groups()
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), g| {
                (lo.min(g.p), hi.max(g.p))
            });
        if low > 0.0 && low.is_finite() {
            high / low
        } else {
            1.0
        }
    }

    /// The rarest class with a positive count (the first one on ties).
    pub fn rarest_class(&self) -> usize {
        self.0.rarest_class
    }

    /// Frequency ranks of the classes by `p` (1 = the most frequent; equal
    /// counts share the best rank; the absent classes rank last).
    pub fn frequency_ranks(&self) -> &ClassRanks {
        self.0.frequency_ranks.get_or_init(|| {
            let groups = self.groups();
            ClassRanks::new(self, |g| groups[g].p, 0.0)
        })
    }

    pub(crate) fn groups(&self) -> &[Group] {
        &self.0.groups
    }

    /// The data probability `p` of a group's classes with its logit and
    /// logarithms (the group's target weight's when there is no α).
    pub(crate) fn data_point(&self, group: usize) -> &LogitPoint {
        data_point_of(&self.0.groups, self.0.data_points.as_deref(), group)
    }

    /// The group (distinct class, see [`crate::core::Solution::distinct_classes`])
    /// of a class; `None` for an absent class or an index past the end.
    pub fn group_index(&self, class: usize) -> Option<usize> {
        self.0
            .class_group
            .get(class)
            .filter(|&&g| g != ABSENT)
            .map(|&g| g as usize)
    }

    fn group_of(&self, class: usize) -> Option<&Group> {
        self.group_index(class).map(|g| &self.0.groups[g])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_and_complements_are_accurate() {
        let problem = FocalProblem::new(&[999_999_999_999.0, 1.0, 0.0], None).unwrap();
        assert_eq!(problem.positive_class_count(), 2);
        assert!((problem.data_point(1).one_minus_q / 1e-12 - 1.0).abs() < 1e-12);
        assert_eq!(problem.p(2), 0.0);
        assert_eq!(problem.rarest_class(), 1);
    }

    #[test]
    fn ranks_share_ties_and_put_absent_classes_last() {
        let problem = FocalProblem::new(&[1.0, 5.0, 0.0, 5.0, 3.0], None).unwrap();
        let ranks = problem.frequency_ranks();
        let of = |problem: &FocalProblem, ranks: &ClassRanks| -> Vec<usize> {
            (0..problem.class_count())
                .map(|c| ranks.of(problem, c))
                .collect()
        };
        assert_eq!(of(&problem, ranks), vec![4, 1, 5, 1, 3]);
        assert_eq!(
            ranks.present_classes_ranked(&problem, [(1, 3), (2, 3), (4, 5), (6, 9)]),
            [3, 1, 1, 0]
        );
        // Equal p in different groups (told apart by α) share a rank.
        let weighted = FocalProblem::new(&[2.0, 2.0, 1.0], Some(&[1.0, 3.0, 1.0])).unwrap();
        assert_eq!(weighted.distinct_class_count(), 3);
        assert_eq!(of(&weighted, weighted.frequency_ranks()), vec![1, 1, 3]);
    }

    #[test]
    fn ranks_are_one_plus_the_classes_above() {
        // Groups (by increasing p): counts 1, 2, 4, 7; two absent classes.
        let problem = FocalProblem::new(&[4.0, 1.0, 0.0, 4.0, 2.0, 7.0, 0.0, 2.0], None).unwrap();
        let classes = problem.class_count();
        let by_definition = |values: &[f64]| -> Vec<usize> {
            let value = |c: usize| problem.group_index(c).map_or(0.0, |g| values[g]);
            (0..classes)
                .map(|c| 1 + (0..classes).filter(|&o| value(o) > value(c)).count())
                .collect()
        };
        for values in [
            // In order, as p and q* come, with a tie and a zero.
            [0.1, 0.2, 0.2, 0.5],
            [0.0, 0.0, 0.3, 0.3],
            // Out of order: at once, late in the walk from the largest, or
            // only by the absent classes' 0 above the least.
            [0.5, 0.2, 0.3, 0.1],
            [0.3, 0.0, 0.3, 0.0],
            [0.2, 0.1, 0.3, 0.5],
            [-0.1, 0.1, 0.3, 0.5],
        ] {
            let ranks = ClassRanks::new(&problem, |g| values[g], 0.0);
            let ranked: Vec<usize> = (0..classes).map(|c| ranks.of(&problem, c)).collect();
            assert_eq!(ranked, by_definition(&values), "{values:?}");
        }
    }

    #[test]
    fn rank_order_puts_each_group_after_those_of_larger_p() {
        let counts = [9.0, 1.0, 4.0, 4.0, 0.0, 16.0, 2.0];
        let inverse_sqrt: Vec<f64> = counts
            .iter()
            .map(|c: &f64| 1.0 / c.max(1.0).sqrt())
            .collect();
        // With each α, whether the order is sorted.
        for (alpha, sorted) in [
            (None, false),
            // √ inverse frequency: p rises strictly along the groups, which
            // then stand in reverse without a sort.
            (Some(inverse_sqrt), false),
            // Scrambles p's order along the groups, and tells the equal
            // counts 4 and 4 apart.
            (Some(vec![1.0, 50.0, 2.0, 7.0, 1.0, 0.2, 1.0]), true),
        ] {
            let problem = FocalProblem::new(&counts, alpha.as_deref()).unwrap();
            let groups = problem.groups();
            let order = problem.rank_order();
            // Before a group: those of larger p, and those of equal p and
            // smaller weight (coming earlier).
            for (group, of) in groups.iter().enumerate() {
                let before = groups
                    .iter()
                    .enumerate()
                    .filter(|(other, g)| g.p > of.p || (g.p == of.p && *other < group))
                    .count();
                assert_eq!(order.group_at(before), group, "α {alpha:?}, group {group}");
            }
            assert_eq!(order.sorted.is_some(), sorted, "α {alpha:?}");
        }
    }

    #[test]
    fn data_points_are_those_of_p_with_or_without_alpha() {
        // Counts 3 : 1 with α = (1, 3): w = (1/2, 1/2) while p = (3/4, 1/4);
        // groups go by increasing w, then p.
        for (alpha, w) in [(None, [0.25, 0.75]), (Some([1.0, 3.0]), [0.5, 0.5])] {
            let problem = FocalProblem::new(&[3.0, 1.0], alpha.as_ref().map(|a| &a[..])).unwrap();
            for (group, &p) in [0.25, 0.75].iter().enumerate() {
                assert_eq!(problem.groups()[group].w.q, w[group]);
                let point = problem.data_point(group);
                assert_eq!(point.q, p, "α {alpha:?}");
                assert_eq!(problem.groups()[group].p, p);
                assert!((point.neg_ln_q + p.ln()).abs() < 1e-15);
                assert!((point.logit - (p / (1.0 - p)).ln()).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn imbalance_ratio_is_head_over_tail() {
        let problem = FocalProblem::new(&[99.0, 0.0, 1.0, 5.0], None).unwrap();
        assert!((problem.imbalance_ratio() - 99.0).abs() < 1e-12);
        assert_eq!(
            FocalProblem::new(&[3.0], None).unwrap().imbalance_ratio(),
            1.0
        );
    }

    #[test]
    fn equal_counts_share_a_group() {
        let problem = FocalProblem::new(&[5.0, 1.0, 5.0, 1.0, 3.0], None).unwrap();
        assert_eq!(problem.groups().len(), 3);
        assert_eq!(problem.group_index(0), problem.group_index(2));
        assert_eq!(problem.groups()[0].multiplicity, 2.0);
    }

    #[test]
    fn hostile_inputs_are_typed_errors() {
        assert_eq!(
            FocalProblem::new(&[], None).unwrap_err(),
            FocalError::NoClasses
        );
        assert_eq!(
            FocalProblem::new(&[0.0, 0.0], None).unwrap_err(),
            FocalError::AllZero
        );
        assert!(matches!(
            FocalProblem::new(&[1.0, f64::NAN], None),
            Err(FocalError::InvalidCount { index: 1, .. })
        ));
        assert!(matches!(
            FocalProblem::new(&[1.0, -2.0], None),
            Err(FocalError::InvalidCount { index: 1, .. })
        ));
        assert!(matches!(
            FocalProblem::new(&[1.0, 2.0], Some(&[1.0])),
            Err(FocalError::AlphaLength {
                given: 1,
                expected: 2
            })
        ));
        assert!(matches!(
            FocalProblem::new(&[1.0, 2.0], Some(&[1.0, 0.0])),
            Err(FocalError::InvalidAlpha { index: 1, .. })
        ));
        let huge = vec![1.0; MAX_CLASSES + 1];
        assert!(matches!(
            FocalProblem::new(&huge, None),
            Err(FocalError::TooManyClasses { .. })
        ));
    }

    #[test]
    fn extreme_magnitudes_do_not_overflow() {
        let problem = FocalProblem::new(&[f64::MAX, f64::MAX, 1e-300], None).unwrap();
        assert!((problem.p(0) - 0.5).abs() < 1e-15);
        assert!(problem.p(2) == 0.0 || problem.p(2) < 1e-300);
    }

    /// Everything a problem holds, to the bit, for comparing two builds.
    fn fingerprint(problem: &FocalProblem) -> Vec<u64> {
        let data = &problem.0;
        let mut bits: Vec<u64> = data.class_group.iter().map(|&g| g as u64).collect();
        for (g, group) in data.groups.iter().enumerate() {
            let point = problem.data_point(g);
            let values = [group.multiplicity, group.p, group.w.q, group.w.one_minus_q];
            let more = [group.w.neg_ln_q, group.ln_w_over_p, point.q, point.neg_ln_q];
            bits.extend(values.iter().chain(&more).map(|v| v.to_bits()));
        }
        bits.extend(data.alpha.iter().flatten().map(|a| a.to_bits()));
        bits.extend([data.shannon_p.to_bits(), data.positive_class_count as u64]);
        bits
    }

    #[test]
    fn a_build_a_stage_at_a_time_is_the_problem() {
        let counts = vec![5.0, 0.0, 3.0, 5.0, 1.0, 3.0, 1e-320, 40.0];
        let alpha = vec![1.0, 2.0, 1.0, 0.5, 1.0, 1.0, 3.0, 0.25];
        for alpha in [None, Some(alpha)] {
            let whole = FocalProblem::new(&counts, alpha.as_deref()).unwrap();
            let mut build = ProblemBuild::new(counts.clone(), alpha.clone());
            let mut shares = vec![build.fraction_done()];
            while !build.advance().unwrap() {
                shares.push(build.fraction_done());
            }
            shares.push(build.fraction_done());
            let tenths: Vec<f64> = (0..=10).map(|i| i as f64 / 10.0).collect();
            assert_eq!(shares, tenths);
            // Done means done: another stage changes nothing.
            assert!(build.advance().unwrap());
            let built = build.into_problem().unwrap();
            assert_eq!(fingerprint(&built), fingerprint(&whole));
            assert_eq!(built.rarest_class(), 6);
            assert_eq!(built.counts(), &counts[..]);
            assert_eq!(
                built.distinct_class_count(),
                if alpha.is_some() { 6 } else { 5 }
            );
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn a_split_puts_every_key_below_at_or_above_the_pivot(
            keys in proptest::collection::vec(0u64..40, 4..300),
            shape in 0..3,
        ) {
            let mut keys = keys;
            match shape {
                0 => keys.sort_unstable(),
                1 => keys.sort_unstable_by(|a, b| b.cmp(a)),
                _ => {}
            }
            let mut part: Vec<(u64, u32)> = keys.iter().zip(0..).map(|(&k, i)| (k, i)).collect();
            let equal = split_around_a_pivot(&mut part);
            proptest::prop_assert!(!equal.is_empty());
            let pivot = part[equal.start].0;
            proptest::prop_assert!(part[..equal.start].iter().all(|item| item.0 < pivot));
            proptest::prop_assert!(part[equal.clone()].iter().all(|item| item.0 == pivot));
            proptest::prop_assert!(part[equal.end..].iter().all(|item| item.0 > pivot));
            // The same items, moved.
            let mut indices: Vec<u32> = part.iter().map(|item| item.1).collect();
            indices.sort_unstable();
            proptest::prop_assert_eq!(indices, (0..keys.len() as u32).collect::<Vec<_>>());
            proptest::prop_assert!(part.iter().all(|&(key, i)| keys[i as usize] == key));
        }
    }

    #[test]
    fn classes_in_order_or_in_reverse_are_sorted_in_one_piece() {
        let classes = 3 * SORTED_AT_ONCE;
        let rising: Vec<f64> = (0..classes).map(|i| (i / 2 + 1) as f64).collect();
        let falling: Vec<f64> = rising.iter().rev().copied().collect();
        for counts in [rising, falling] {
            let mut build = ProblemBuild::new(counts, None);
            let mut pieces = 1;
            while !build.advance().unwrap() {
                pieces += 1;
            }
            // Ten stages, two more pieces of grouping, none more of sorting.
            assert_eq!(pieces, BUILD_STAGES + 2);
            let problem = build.into_problem().unwrap();
            assert_eq!(problem.distinct_class_count(), classes / 2);
            assert!(problem.groups().windows(2).all(|g| g[0].p < g[1].p));
        }
    }

    #[test]
    fn a_build_that_fails_stays_at_its_first_stage() {
        let mut build = ProblemBuild::new(vec![1.0, f64::NAN], None);
        for _ in 0..2 {
            assert!(matches!(
                build.advance(),
                Err(FocalError::InvalidCount { index: 1, .. })
            ));
            assert_eq!(build.fraction_done(), 0.0);
        }
        let uniform_alpha = ProblemBuild::new(vec![2.0, 1.0], Some(vec![3.0, 3.0]));
        assert_eq!(uniform_alpha.into_problem().unwrap().alpha(), None);
    }

    #[test]
    fn many_classes_are_sorted_and_grouped_a_piece_at_a_time() {
        let classes = 3 * GROUPED_PER_PIECE + 7;
        let counts: Vec<f64> = (0..classes)
            .map(|i| ((i + 500) % 1000 + 1) as f64)
            .collect();
        let alpha: Vec<f64> = (0..classes).map(|i| (i % 3 + 1) as f64).collect();
        for (alpha, distinct) in [(None, 1000), (Some(alpha), 3000)] {
            let mut build = ProblemBuild::new(counts.clone(), alpha.clone());
            let mut shares = Vec::new();
            while !build.advance().unwrap() {
                shares.push(build.fraction_done());
            }
            // Five stages; the sort in pieces (the classes split, their
            // parts split until no longer than SORTED_AT_ONCE, each sorted:
            // at least seven pieces here, at most fifteen); four pieces of
            // grouping (the last of 7 classes); two more stages before the
            // last.
            let sort_pieces = shares.len() - (5 + 4 + 2);
            assert!((7..=15).contains(&sort_pieces), "{sort_pieces}");
            // The share done stays put while the classes are sorted.
            assert!(shares.windows(2).all(|w| w[0] <= w[1]), "{shares:?}");
            let problem = build.into_problem().unwrap();
            assert_eq!(problem.distinct_class_count(), distinct);
            // The groups in increasing weight, then p: sorted.
            let order = |g: &Group| (g.w.q, g.p);
            assert!(problem
                .groups()
                .windows(2)
                .all(|g| order(&g[0]) < order(&g[1])));
            // Classes share a group exactly when their count and α are equal.
            let key = |i: usize| ((i + 500) % 1000, alpha.as_ref().map_or(0, |_| i % 3));
            let mut class_of_group = vec![None; distinct];
            for class in 0..classes {
                let group = problem.group_index(class).unwrap();
                let first = *class_of_group[group].get_or_insert(class);
                assert_eq!(key(first), key(class));
            }
            let members: f64 = problem.groups().iter().map(|g| g.multiplicity).sum();
            assert_eq!(members, classes as f64);
            assert!((problem.p(499) / problem.p(500) / 1000.0 - 1.0).abs() < 1e-14);
            // The first of the classes with the smallest count.
            assert_eq!(problem.rarest_class(), 500);
        }
    }
}
