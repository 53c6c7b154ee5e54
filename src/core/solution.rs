//! Q* at one γ and everything read off it: the regime of each class, μ, the
//! focal-entropies, H(Q*) and KL(P‖Q*), and the warm starts that let a nearby
//! γ begin from it. How Q* is found is in `solver.rs`.

use std::sync::{Arc, OnceLock};

use serde::Serialize;

use super::focal::focal_loss;
use super::numerics::{exp_minus_one_minus_identity, CompensatedSum, LogitPoint};
use super::problem::{ClassRanks, FocalProblem, Group};
use super::solver::SETTLED_STEP;

/// How focal loss moves one class's probability relative to the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    /// `q > p`: the class gains probability.
    Amplified,
    /// `q < p` for a class at least as frequent as every amplified class (the head).
    Suppressed,
    /// `q < p` for a class rarer than some amplified class: focal loss pushes a
    /// rare class further down.
    OverSuppressed,
    /// `q = p` exactly (γ = 0, balanced classes or a single class).
    Unchanged,
    /// The class has count zero, so `p = q = 0`.
    Absent,
}

impl Regime {
    /// The lower-case name used in JSON, CSV and the UI.
    pub fn name(self) -> &'static str {
        match self {
            Regime::Amplified => "amplified",
            Regime::Suppressed => "suppressed",
            Regime::OverSuppressed => "over-suppressed",
            Regime::Unchanged => "unchanged",
            Regime::Absent => "absent",
        }
    }
}

/// One group's equation evaluated at an offset: everything the solver's
/// steps read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Evaluation {
    /// Logit offset `d = logit(q) − logit(w)`.
    pub offset: f64,
    /// `d ln G / dt` there; it turns a change of λ into a change of `d`.
    pub slope: f64,
    /// The probability `q` there and its logs.
    pub point: LogitPoint,
    /// `ln(q / w)`.
    pub ln_q_over_w: f64,
    /// `q − w`, the class's share of the constraint `Σ m·(q − w) = 0`: from
    /// `q/w − 1` when exact (accurate relative to small offsets), the plain
    /// difference when rough.
    pub q_minus_w: f64,
}

/// One group's converged values: what a solution's readouts and a later
/// start read, 56 bytes where an [`Evaluation`] takes 80 (a solution keeps
/// one per distinct class, a sweep one per distinct class and γ).
#[derive(Debug, Clone, Copy)]
pub(crate) struct GroupSolution {
    /// Logit offset `d = logit(q) − logit(w)`.
    pub offset: f64,
    /// `d ln G / dt` at the solution; it turns a change of λ into a change of `d`.
    pub slope: f64,
    /// The reshaped probability `q`.
    pub q: f64,
    /// Its complement `1 − q`, accurate when `q` is close to 1.
    pub one_minus_q: f64,
    /// `−ln q`.
    pub neg_ln_q: f64,
    /// `r = −ln q · q / (1 − q)` (see [`LogitPoint::r`]).
    pub r: f64,
    /// `ln(q / w)`.
    pub ln_q_over_w: f64,
}

impl From<&Evaluation> for GroupSolution {
    fn from(evaluation: &Evaluation) -> Self {
        GroupSolution {
            offset: evaluation.offset,
            slope: evaluation.slope,
            q: evaluation.point.q,
            one_minus_q: evaluation.point.one_minus_q,
            neg_ln_q: evaluation.point.neg_ln_q,
            r: evaluation.point.r,
            ln_q_over_w: evaluation.ln_q_over_w,
        }
    }
}

impl GroupSolution {
    /// `ln(q/p) = ln(q/w) + ln(w/p)` for the classes of `group` (which this
    /// solves): positive when they are amplified.
    #[inline(always)]
    pub(crate) fn ln_q_over_p(&self, group: &Group) -> f64 {
        self.ln_q_over_w + group.ln_w_over_p
    }

    /// This solution moved by a tiny offset step (|step| ≲ 1e-8), to first
    /// order, which is exact there to a few ulps: each quantity moves by its
    /// derivative in the logit times the step, relative to its own size, so
    /// tails keep their precision (and no transcendental is paid); the slope,
    /// used only to aim the next steps, is kept.
    #[inline(always)]
    pub(crate) fn nudged(&self, step: f64) -> Self {
        // d ln(q/w)/d offset = d ln q/dt = 1 − q
        let growth = self.one_minus_q * step;
        GroupSolution {
            offset: self.offset + step,
            slope: self.slope,
            // dq/dt = q(1 − q), d(1 − q)/dt = −q(1 − q)
            q: self.q * (1.0 + growth),
            one_minus_q: self.one_minus_q * (1.0 - self.q * step),
            neg_ln_q: self.neg_ln_q - growth,
            // r = softplus(−t)·e^t: dr/dt = r − q
            r: self.r + (self.r - self.q) * step,
            ln_q_over_w: self.ln_q_over_w + growth,
        }
    }
}

/// Where the solver found Q*: λ and every group's solution, from which a
/// solution is assembled or the next γ is started.
#[derive(Debug, Clone)]
pub(crate) struct Located {
    pub lambda: f64,
    pub groups: Vec<GroupSolution>,
}

/// A start of the solver: λ and each group's offset with the slope `F'`
/// there, which aims the nested method's first steps (16 bytes a group
/// where a solution keeps 56: a million groups are started at every γ).
#[derive(Debug, Clone)]
pub(crate) struct WarmStart {
    pub lambda: f64,
    pub aims: Vec<(f64, f64)>,
    /// Whether the start is likely within the exact pass's settling bound
    /// (extrapolated through all [`EXTRAPOLATION_POINTS`] positions, and
    /// along a sweep the last start [landed close](WarmStart::landed_close)),
    /// so that the solver starts with an exact pass, which then settles
    /// alone, instead of a rough one. A start that is not costs one exact
    /// pass more than a rough one, never accuracy.
    pub close: bool,
}

/// Where the solver stood at one γ: `(γ, λ, every group's solution)`.
pub(crate) type Position<'a> = (f64, f64, &'a [GroupSolution]);

/// Most earlier positions a start is extrapolated from: six, a quintic along
/// γ. On a sweep's even grid its error shrinks as the step to the sixth
/// power, so that a sweep's start is usually close enough for one exact pass
/// to settle (one pass per γ where a quadratic's start took a rough and an
/// exact one: the 256-point sweep of 100 classes 23.3 M → 17.2 M
/// instructions; three to nine points measured, with every full start
/// going exact first, six the fewest).
pub(crate) const EXTRAPOLATION_POINTS: usize = 6;

/// An earlier position of the solver, as a start needs it: `(γ, λ, every
/// group's offset)` (8 bytes a group where a solution keeps 56).
pub(crate) type EarlierPosition<'a> = (f64, f64, &'a [f64]);

/// A start for γ extrapolated along γ by the polynomial through `latest`
/// and the `earlier` positions (latest first, distinct γ values; at most
/// [`EXTRAPOLATION_POINTS`] in all are used, and only those of the latest's
/// size); a coordinate whose extrapolation is not finite keeps its latest
/// value. The latest alone gives itself (a warm start).
pub(crate) fn extrapolate(latest: Position, earlier: &[EarlierPosition], gamma: f64) -> WarmStart {
    let (latest_gamma, latest_lambda, latest_groups) = latest;
    let used = 1 + earlier
        .iter()
        .take(EXTRAPOLATION_POINTS - 1)
        .take_while(|(_, _, offsets)| offsets.len() == latest_groups.len())
        .count();
    let gamma_of = |j: usize| match j {
        0 => latest_gamma,
        _ => earlier[j - 1].0,
    };
    // Lagrange weights: the polynomial through the positions is
    // Σ weight_j · value_j at γ (the latest alone if two γ coincide).
    let mut weights = [0.0; EXTRAPOLATION_POINTS];
    for (j, weight) in weights.iter_mut().enumerate().take(used) {
        *weight = (0..used)
            .filter(|&k| k != j)
            .map(|k| (gamma - gamma_of(k)) / (gamma_of(j) - gamma_of(k)))
            .product();
    }
    let used = if weights.iter().all(|w| w.is_finite()) {
        used
    } else {
        weights[0] = 1.0;
        1
    };
    let (weights, earlier) = (&weights[..used], &earlier[..used - 1]);
    WarmStart {
        lambda: combine(
            weights,
            std::iter::once(latest_lambda).chain(earlier.iter().map(|p| p.1)),
            latest_lambda,
        ),
        close: used == EXTRAPOLATION_POINTS,
        aims: latest_groups
            .iter()
            .enumerate()
            .map(|(g, now)| {
                let values = std::iter::once(now.offset).chain(earlier.iter().map(|p| p.2[g]));
                (combine(weights, values, now.offset), now.slope)
            })
            .collect(),
    }
}

/// The positions a start is extrapolated from besides the latest, which its
/// owner keeps whole (a sweep's last solution, a map row's last position):
/// the earlier ones as their offsets only, latest first, at most `keep`.
#[derive(Debug, Clone)]
pub(crate) struct Trail {
    earlier: Vec<(f64, f64, Vec<f64>)>,
    keep: usize,
}

impl Trail {
    /// A trail of at most `keep` earlier positions.
    pub(crate) fn new(keep: usize) -> Self {
        Trail {
            earlier: Vec::new(),
            keep,
        }
    }

    /// Keeps the offsets of a position that a newer one replaces as the
    /// latest (in the buffer of the oldest one dropped, if any).
    pub(crate) fn push(&mut self, (gamma, lambda, groups): Position) {
        if self.keep == 0 {
            return;
        }
        let mut offsets = if self.earlier.len() == self.keep {
            self.earlier.pop().map(|(_, _, o)| o).unwrap_or_default()
        } else {
            Vec::new()
        };
        offsets.clear();
        offsets.extend(groups.iter().map(|g| g.offset));
        self.earlier.insert(0, (gamma, lambda, offsets));
    }

    /// A start for γ from `latest` and the earlier positions ([`extrapolate`]).
    pub(crate) fn start(&self, latest: Position, gamma: f64) -> WarmStart {
        let earlier: Vec<EarlierPosition> = self
            .earlier
            .iter()
            .map(|(g, lambda, offsets)| (*g, *lambda, offsets.as_slice()))
            .collect();
        extrapolate(latest, &earlier, gamma)
    }
}

impl WarmStart {
    /// Whether every offset of this start was within the exact pass's
    /// settling bound of the solution it led to.
    pub(crate) fn landed_close(&self, solution: &Solution) -> bool {
        self.aims
            .iter()
            .zip(solution.groups.iter())
            .all(|(&(start, _), solved)| {
                (start - solved.offset).abs() <= SETTLED_STEP * solved.offset.abs().min(1.0)
            })
    }
}

/// A start for γ from one solution of the same problem at `from.0`, moved
/// along its tangent: differentiating every group's equation `F_g = λ` and
/// the constraint in γ gives the linear system of a Newton step with
/// `∂F_g/∂γ = ∂ ln h/∂γ = −softplus(t) + r/(1 + γr)` in place of the
/// residuals, so `dλ/dγ = Σ s_g ∂F_g/∂γ / Σ s_g` with `s = m·q(1 − q)/F'` and
/// `dd_g/dγ = (dλ/dγ − ∂F_g/∂γ)/F'_g`. Its error is second order in the
/// change of γ where the solution itself (a constant start) is off by the
/// first. `None` when the solution has another number of groups than
/// `groups` (another problem's). An offset that is not finite (from a slope
/// that is not) sends the solver to its nested method, which starts that
/// group afresh.
pub(crate) fn along_tangent(groups: &[Group], from: Position, gamma: f64) -> Option<WarmStart> {
    let (from_gamma, lambda, solved) = from;
    if solved.len() != groups.len() {
        return None;
    }
    let gamma_derivative = |group: &Group, solved: &GroupSolution| {
        let softplus = solved.neg_ln_q + group.w.logit + solved.offset;
        solved.r / (1.0 + from_gamma * solved.r) - softplus
    };
    let (mut weighted, mut sensitivity) = (0.0, 0.0);
    for (group, solved) in groups.iter().zip(solved) {
        let spread = group.multiplicity * solved.q * solved.one_minus_q / solved.slope;
        weighted += spread * gamma_derivative(group, solved);
        sensitivity += spread;
    }
    let step = gamma - from_gamma;
    let lambda_rate = weighted / sensitivity;
    let aims = groups
        .iter()
        .zip(solved)
        .map(|(group, solved)| {
            let rate = (lambda_rate - gamma_derivative(group, solved)) / solved.slope;
            (solved.offset + rate * step, solved.slope)
        })
        .collect();
    Some(WarmStart {
        lambda: lambda + lambda_rate * step,
        aims,
        close: false,
    })
}

/// `Σ weight_j · value_j`, or `latest` if that is not finite.
fn combine(weights: &[f64], values: impl Iterator<Item = f64>, latest: f64) -> f64 {
    let guess: f64 = weights.iter().zip(values).map(|(w, v)| w * v).sum();
    if guess.is_finite() {
        guess
    } else {
        latest
    }
}

/// Classes that share `p` and the target weight, hence `q*` and the regime:
/// the unit in which large problems are summed, ranked and drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DistinctClass {
    /// Index of the group (see [`FocalProblem::group_index`]).
    pub group: usize,
    /// How many classes share these values.
    pub multiplicity: usize,
    /// Data probability `p` of each.
    pub p: f64,
    /// Target weight `w` of each (`p` without α).
    pub weight: f64,
    /// Reshaped probability `q*` of each.
    pub q: f64,
    /// `ln(q*/p)`.
    pub ln_ratio: f64,
    /// Their regime.
    pub regime: Regime,
}

impl DistinctClass {
    /// The classes of group `group`, from its data, its solution and its regime.
    pub(crate) fn of(group: usize, data: &Group, solved: &GroupSolution, regime: Regime) -> Self {
        DistinctClass {
            group,
            multiplicity: data.multiplicity as usize,
            p: data.p,
            weight: data.w.q,
            q: solved.q,
            ln_ratio: solved.ln_q_over_p(data),
            regime,
        }
    }
}

/// The regimes whose classes moved, in the order of [`SolutionTally::moved`].
pub const MOVED_REGIMES: [Regime; 3] = [
    Regime::Amplified,
    Regime::Suppressed,
    Regime::OverSuppressed,
];

/// Sums over the classes of one regime.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegimeSums {
    /// How many classes.
    pub classes: usize,
    /// Best and worst frequency rank among them (1 = most frequent).
    pub ranks: (usize, usize),
    /// How many of them have the worst rank.
    pub at_worst_rank: usize,
    /// Smallest and largest `ln(q*/p)` among them.
    pub ln_ratios: (f64, f64),
    /// Their total probability under P.
    pub mass_p: f64,
    /// Their total probability under Q*.
    pub mass_q: f64,
}

/// Sums over the classes rarer than uniform (`p < 1/K`, K the present classes).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RareSums {
    /// How many classes.
    pub classes: usize,
    /// Their total probability under P.
    pub mass_p: f64,
    /// Their total probability under Q*.
    pub mass_q: f64,
    /// Their total target weight (`mass_p` without α).
    pub mass_target: f64,
}

/// What a solution's findings read off its distinct classes, gathered in one
/// pass over them by increasing weight ([`SolutionTally::take`]): at a
/// million distinct classes a pass reads about 120 MB, so the page gathers
/// it while it reads a worker's solution, in slices, rather than in one task.
#[derive(Debug, Clone, PartialEq)]
pub struct SolutionTally {
    /// The classes of each of [`MOVED_REGIMES`] (`None` when it has none).
    pub moved: [Option<RegimeSums>; 3],
    /// The classes rarer than uniform.
    pub rare: RareSums,
    /// Whether Q* keeps the order of the target weights: `w_i > w_j ⇒ q_i ≥
    /// q_j` and `w_i = w_j ⇒ q_i = q_j` (absent classes, with w = q = 0,
    /// keep it trivially).
    pub order_preserved: bool,
    /// Whether q* is positive and both it and p rise strictly from each
    /// distinct class to the next: q* then ranks the classes as p does
    /// (without α p always rises along them; with α it does when the weights
    /// keep the order of p, as inverse-frequency weights on distinct counts do).
    pub ranks_as_p: bool,
    /// The weight, p and q* of the distinct class taken last.
    previous: Option<(f64, f64, f64)>,
    /// `1/K`, below which a class is rare.
    rare_threshold: f64,
}

impl SolutionTally {
    /// A tally of no classes yet, of a solution of `problem`.
    pub(crate) fn new(problem: &FocalProblem) -> Self {
        SolutionTally {
            moved: [None; 3],
            rare: RareSums::default(),
            order_preserved: true,
            ranks_as_p: true,
            previous: None,
            rare_threshold: 1.0 / problem.positive_class_count() as f64,
        }
    }

    /// Takes in the next distinct class (by increasing weight), of frequency
    /// rank `rank` (kept out of line: the page calls it in two places).
    #[inline(never)]
    pub(crate) fn take(&mut self, d: &DistinctClass, rank: usize) {
        let m = d.multiplicity as f64;
        // The distinct classes come by increasing weight: each is compared
        // with the one before.
        if let Some((weight, p, q)) = self.previous {
            self.order_preserved &= if weight == d.weight {
                q == d.q
            } else {
                q <= d.q
            };
            self.ranks_as_p &= p < d.p && q < d.q;
        } else {
            self.ranks_as_p = d.q > 0.0;
        }
        self.previous = Some((d.weight, d.p, d.q));
        if d.p < self.rare_threshold {
            let rare = &mut self.rare;
            rare.classes += d.multiplicity;
            rare.mass_p += m * d.p;
            rare.mass_q += m * d.q;
            rare.mass_target += m * d.weight;
        }
        let Some(slot) = MOVED_REGIMES.iter().position(|&r| r == d.regime) else {
            return;
        };
        let sums = match &mut self.moved[slot] {
            Some(sums) => sums,
            none => none.insert(RegimeSums {
                classes: 0,
                ranks: (rank, rank),
                at_worst_rank: 0,
                ln_ratios: (d.ln_ratio, d.ln_ratio),
                mass_p: 0.0,
                mass_q: 0.0,
            }),
        };
        sums.classes += d.multiplicity;
        if rank > sums.ranks.1 {
            sums.ranks.1 = rank;
            sums.at_worst_rank = 0;
        }
        if rank == sums.ranks.1 {
            sums.at_worst_rank += d.multiplicity;
        }
        // Plain comparisons: `f64::min` and `max` also order NaN, a call
        // each in wasm.
        if rank < sums.ranks.0 {
            sums.ranks.0 = rank;
        }
        if d.ln_ratio < sums.ln_ratios.0 {
            sums.ln_ratios.0 = d.ln_ratio;
        }
        if d.ln_ratio > sums.ln_ratios.1 {
            sums.ln_ratios.1 = d.ln_ratio;
        }
        sums.mass_p += m * d.p;
        sums.mass_q += m * d.q;
    }
}

/// Classes next to each other in rank order (by decreasing `p`) that share
/// `p`, `q*` and the regime: a rank plot draws a million tied classes as a
/// few thousand runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassRun {
    /// How many classes.
    pub classes: usize,
    /// Data probability of each.
    pub p: f64,
    /// Reshaped probability of each.
    pub q: f64,
    /// Their regime.
    pub regime: Regime,
}

impl ClassRun {
    /// The runs of the distinct classes at `positions` by decreasing `p`
    /// ([`Solution::runs_by_rank`]), from each group's solution and regime
    /// (one per group of `problem`). Made in rank order, so that a list of
    /// them is written front to back: a million runs fill 24 MB, whose pages
    /// the browser then provides a batch at a time.
    pub(crate) fn by_rank<'a>(
        problem: &'a FocalProblem,
        solved: &'a [GroupSolution],
        regimes: &'a [Regime],
        positions: std::ops::Range<usize>,
    ) -> impl Iterator<Item = ClassRun> + 'a {
        let (order, groups) = (problem.rank_order(), problem.groups());
        positions.map(move |position| {
            let group = order.group_at(position);
            ClassRun {
                classes: groups[group].multiplicity as usize,
                p: groups[group].p,
                q: solved[group].q,
                regime: regimes[group],
            }
        })
    }

    /// The run of a problem's absent classes, if it has any.
    pub(crate) fn absent(problem: &FocalProblem) -> Option<Self> {
        let absent = problem.class_count() - problem.positive_class_count();
        (absent > 0).then_some(ClassRun {
            classes: absent,
            p: 0.0,
            q: 0.0,
            regime: Regime::Absent,
        })
    }
}

/// Q* and everything derived from it for one γ. Cloning it is cheap: its
/// per-class records are shared (a million of them are not copied when the
/// page hands a solution from its worker to the views).
#[derive(Debug, Clone)]
pub struct Solution {
    problem: FocalProblem,
    gamma: f64,
    /// `λ = ln μ`; for a single class 0 at γ = 0 and `−∞` above.
    lambda: f64,
    groups: Arc<Vec<GroupSolution>>,
    group_regime: Arc<Vec<Regime>>,
    fe_min: f64,
    shannon_q: f64,
    /// What is computed when first asked for (or given by the code that read
    /// the solution from its worker), shared by clones.
    computed: Arc<Computed>,
}

/// A [`Solution`]'s values computed when first asked for, each a pass over
/// every distinct class.
#[derive(Debug, Default)]
struct Computed {
    /// [`Solution::fe_at_p`].
    fe_at_p: OnceLock<f64>,
    /// [`Solution::kl_p_q`].
    kl_p_q: OnceLock<f64>,
    /// [`Solution::runs_by_rank`].
    runs_by_rank: OnceLock<Vec<ClassRun>>,
    /// [`Solution::tally`].
    tally: OnceLock<SolutionTally>,
}

impl Solution {
    pub(crate) fn assemble(
        problem: FocalProblem,
        gamma: f64,
        lambda: f64,
        groups: Vec<GroupSolution>,
    ) -> Self {
        let data = problem.groups();
        let mut fe_min = CompensatedSum::default();
        let mut shannon_q = CompensatedSum::default();
        let mut largest_amplified_p = 0.0f64;
        for (group, solved) in data.iter().zip(&groups) {
            let m = group.multiplicity;
            if solved.q > 0.0 {
                let cross_entropy = m * solved.q * solved.neg_ln_q;
                shannon_q.add(cross_entropy);
                // At the solution w·(1 − q)^γ = μ·q/(1 + γr) (the optimality
                // equation ln h(q) − ln(q/w) = λ), so FE(W, Q*) needs no
                // exponential per class: μ·Σ m q (−ln q)/(1 + γr).
                fe_min.add(cross_entropy / (1.0 + gamma * solved.r));
            }
            let ln_ratio = solved.ln_q_over_p(group);
            if ln_ratio > 0.0 {
                largest_amplified_p = largest_amplified_p.max(group.p);
            }
        }
        let group_regime = data
            .iter()
            .zip(&groups)
            .map(|(group, solved)| {
                let ln_ratio = solved.ln_q_over_p(group);
                if ln_ratio > 0.0 {
                    Regime::Amplified
                } else if ln_ratio == 0.0 {
                    Regime::Unchanged
                } else if group.p < largest_amplified_p {
                    Regime::OverSuppressed
                } else {
                    Regime::Suppressed
                }
            })
            .collect();
        let fe_min = lambda.exp() * fe_min.value();
        Self::from_parts(
            problem,
            gamma,
            lambda,
            groups,
            group_regime,
            [fe_min, shannon_q.value()],
        )
    }

    /// A solution from what [`Solution::assemble`] computed (in the worker
    /// that solved it): λ, each group's solution and regime, and the sums
    /// `[FE(W, Q*), H(Q*)]`, so that the page makes no pass over a million
    /// classes to take it in.
    pub(crate) fn from_parts(
        problem: FocalProblem,
        gamma: f64,
        lambda: f64,
        groups: Vec<GroupSolution>,
        group_regime: Vec<Regime>,
        [fe_min, shannon_q]: [f64; 2],
    ) -> Self {
        Solution {
            problem,
            gamma,
            lambda,
            groups: Arc::new(groups),
            group_regime: Arc::new(group_regime),
            fe_min,
            shannon_q,
            computed: Arc::default(),
        }
    }

    /// Each group's regime, in the problem's group order.
    pub(crate) fn group_regimes(&self) -> &[Regime] {
        &self.group_regime
    }

    /// This solution with [`Solution::fe_at_p`] and [`Solution::kl_p_q`] as
    /// the same code computed them elsewhere (in the worker that solved it),
    /// so that the page does not pass over a million classes again for them.
    pub(crate) fn with_readouts_computed(self, fe_at_p: f64, kl_p_q: f64) -> Self {
        let _ = self.computed.fe_at_p.set(fe_at_p);
        let _ = self.computed.kl_p_q.set(kl_p_q);
        self
    }

    /// This solution with [`Solution::runs_by_rank`] as read elsewhere (by
    /// the page, in slices, from the worker's reply).
    pub(crate) fn with_runs_by_rank(self, runs: Vec<ClassRun>) -> Self {
        let _ = self.computed.runs_by_rank.set(runs);
        self
    }

    /// This solution with [`Solution::tally`] as gathered elsewhere (by the
    /// page, in slices, while it read the worker's reply).
    pub(crate) fn with_tally(self, tally: SolutionTally) -> Self {
        let _ = self.computed.tally.set(tally);
        self
    }

    /// What its findings read off the distinct classes ([`SolutionTally`]).
    /// Computed once per solution (clones share it).
    pub fn tally(&self) -> &SolutionTally {
        self.computed.tally.get_or_init(|| {
            let ranks = self.problem.frequency_ranks();
            let mut tally = SolutionTally::new(&self.problem);
            for d in self.distinct_classes() {
                tally.take(&d, ranks.of_group(d.group));
            }
            tally
        })
    }

    /// Every class by decreasing `p` as runs of classes that share `p`, `q*`
    /// and the regime: each distinct class, and the absent classes last,
    /// what a rank plot draws. Equal `p` told apart by α keep increasing
    /// weight. Computed once per solution (clones share it).
    pub fn runs_by_rank(&self) -> &[ClassRun] {
        self.computed.runs_by_rank.get_or_init(|| {
            let positions = 0..self.groups.len();
            let mut runs = Vec::with_capacity(positions.end + 1);
            runs.extend(ClassRun::by_rank(
                &self.problem,
                &self.groups,
                &self.group_regime,
                positions,
            ));
            runs.extend(ClassRun::absent(&self.problem));
            runs
        })
    }

    /// Where the solver stood: the position a later γ extrapolates from.
    pub(crate) fn position(&self) -> Position<'_> {
        (self.gamma, self.lambda, &self.groups[..])
    }

    /// The problem this solves.
    pub fn problem(&self) -> &FocalProblem {
        &self.problem
    }

    /// The focal parameter γ.
    pub fn gamma(&self) -> f64 {
        self.gamma
    }

    /// The Lagrange multiplier μ of the constraint Σ q = 1 (for a single class
    /// `G(1)`: 1 at γ = 0, where focal loss is cross-entropy, and 0 above).
    /// A class is amplified exactly when `α·h(p)/Σαp > μ`; μ > 1 means the rarest
    /// classes are suppressed.
    pub fn mu(&self) -> f64 {
        self.lambda.exp()
    }

    /// `ln μ`, accurate even when μ is within rounding of 1.
    pub fn ln_mu(&self) -> f64 {
        self.lambda
    }

    /// The minimal focal-entropy `FE_γ(W, Q*)` in nats, `W` the α-weighted target
    /// (`W = P` without α).
    pub fn fe_min(&self) -> f64 {
        self.fe_min
    }

    /// `FE_γ(W, P)` in nats: the focal-entropy if the model predicted P itself.
    /// Computed when first asked for (one exponential per group of equal
    /// classes), so that a γ-sweep, which never reads it, does not pay for it.
    pub fn fe_at_p(&self) -> f64 {
        *self.computed.fe_at_p.get_or_init(|| {
            self.problem
                .groups()
                .iter()
                .enumerate()
                .map(|(index, group)| {
                    let p = self.problem.data_point(index);
                    group.multiplicity * group.w.q * focal_loss(self.gamma, p)
                })
                .collect::<CompensatedSum>()
                .value()
        })
    }

    /// Shannon entropy H(P) in nats.
    pub fn shannon_p(&self) -> f64 {
        self.problem.shannon_p()
    }

    /// Shannon entropy H(Q*) in nats.
    pub fn shannon_q(&self) -> f64 {
        self.shannon_q
    }

    /// Kullback–Leibler divergence KL(P‖Q*) in nats, as `Σ p·(e^u − 1 − u)` with
    /// `u = ln(q/p)` (non-negative terms). Computed when first asked for,
    /// like [`Solution::fe_at_p`].
    pub fn kl_p_q(&self) -> f64 {
        *self.computed.kl_p_q.get_or_init(|| {
            self.problem
                .groups()
                .iter()
                .zip(self.groups.iter())
                .map(|(group, solved)| {
                    let ln_ratio = solved.ln_q_over_p(group);
                    group.multiplicity * group.p * exp_minus_one_minus_identity(ln_ratio)
                })
                .collect::<CompensatedSum>()
                .value()
                .max(0.0)
        })
    }

    /// Reshaped probability `q*_i` of a class (0 for an absent class).
    pub fn q(&self, class: usize) -> f64 {
        self.problem
            .group_index(class)
            .map_or(0.0, |g| self.groups[g].q)
    }

    /// Data probability `p_i` of a class.
    pub fn p(&self, class: usize) -> f64 {
        self.problem.p(class)
    }

    /// `ln(q*_i / p_i)`, `None` for an absent class.
    pub fn ln_ratio(&self, class: usize) -> Option<f64> {
        self.problem
            .group_index(class)
            .map(|g| self.groups[g].ln_q_over_p(&self.problem.groups()[g]))
    }

    /// `q*_i / p_i`, `None` for an absent class.
    pub fn ratio(&self, class: usize) -> Option<f64> {
        self.ln_ratio(class).map(f64::exp)
    }

    /// The regime of a class.
    pub fn regime(&self, class: usize) -> Regime {
        self.problem
            .group_index(class)
            .map_or(Regime::Absent, |g| self.group_regime[g])
    }

    /// The distinct classes (groups of equal `p` and weight), by increasing
    /// weight; absent classes are in none.
    pub fn distinct_classes(&self) -> impl Iterator<Item = DistinctClass> + '_ {
        self.problem
            .groups()
            .iter()
            .zip(self.groups.iter())
            .zip(self.group_regime.iter())
            .enumerate()
            .map(|(group, ((data, solved), &regime))| {
                DistinctClass::of(group, data, solved, regime)
            })
    }

    /// Ranks of the classes by `q*` (1 = the largest; equal values share the
    /// best rank; the absent classes, at 0, rank last).
    pub fn q_ranks(&self) -> ClassRanks {
        // When q* is positive and both it and p rise strictly along the
        // groups, the two orders agree class for class, and so do the ranks:
        // the problem's frequency ranks, made once, are copied (a million
        // distinct classes were ranked again at every γ, 20 ms in the page).
        // Whether they rise is read off the tally, which the page gathers
        // while it reads a worker's solution.
        if self.tally().ranks_as_p {
            return self.problem.frequency_ranks().clone();
        }
        ClassRanks::new(&self.problem, |g| self.groups[g].q, 0.0)
    }

    /// `q*` of every class, in input order.
    pub fn q_all(&self) -> Vec<f64> {
        (0..self.problem.class_count()).map(|c| self.q(c)).collect()
    }

    /// `p` of every class, in input order.
    pub fn p_all(&self) -> Vec<f64> {
        (0..self.problem.class_count()).map(|c| self.p(c)).collect()
    }

    /// The regime of every class, in input order.
    pub fn regimes(&self) -> Vec<Regime> {
        (0..self.problem.class_count())
            .map(|c| self.regime(c))
            .collect()
    }

    /// Whether some class is over-suppressed (without listing them).
    pub fn has_over_suppressed_class(&self) -> bool {
        self.group_regime.contains(&Regime::OverSuppressed)
    }

    /// Classes rarer than some amplified class yet pushed down (over-suppressed).
    pub fn over_suppressed_classes(&self) -> Vec<usize> {
        (0..self.problem.class_count())
            .filter(|&c| self.regime(c) == Regime::OverSuppressed)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A group solution with only the offset set (all the start reads).
    fn at_offset(offset: f64) -> GroupSolution {
        let point = LogitPoint::at(offset);
        GroupSolution {
            offset,
            slope: -1.0,
            q: point.q,
            one_minus_q: point.one_minus_q,
            neg_ln_q: point.neg_ln_q,
            r: point.r,
            ln_q_over_w: 0.0,
        }
    }

    #[test]
    fn q_ranks_are_the_frequency_ranks_exactly_when_both_orders_agree() {
        let counts = [9.0, 5.0, 0.0, 3.0, 2.0, 2.0, 1.0];
        let by_definition = |solution: &Solution| -> Vec<usize> {
            let q = solution.q_all();
            q.iter()
                .map(|&v| 1 + q.iter().filter(|&&o| o > v).count())
                .collect()
        };
        // √ inverse-frequency α keeps the order of p (the shortcut); α that
        // lifts the rarest class above the others does not.
        let root: Vec<f64> = counts
            .iter()
            .map(|&c| 1.0 / f64::max(c, 1.0).sqrt())
            .collect();
        let scrambled = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 40.0];
        for (alpha, gamma, shortcut) in [
            (None, 2.0, true),
            (Some(&root[..]), 2.0, true),
            (Some(&scrambled[..]), 2.0, false),
        ] {
            let solution = crate::core::solve(&counts, gamma, alpha).unwrap();
            assert_eq!(solution.tally().ranks_as_p, shortcut, "{alpha:?}");
            let ranks = solution.q_ranks();
            let ranked: Vec<usize> = (0..counts.len())
                .map(|c| ranks.of(solution.problem(), c))
                .collect();
            assert_eq!(ranked, by_definition(&solution), "{alpha:?}");
        }
    }

    #[test]
    fn a_nudged_solution_equals_the_solution_evaluated_there() {
        // Against w = 1 (so that ln(q/w) = ln q moves too), offset = logit.
        let at = |logit: f64| GroupSolution {
            ln_q_over_w: -LogitPoint::at(logit).neg_ln_q,
            ..at_offset(logit)
        };
        for logit in [-700.0, -30.0, -2.0, 0.0, 0.5, 8.0, 36.0] {
            for step in [1e-9, -3e-10, 1e-12] {
                // The step as the sum t + step represents it (near t = −700 an
                // ulp of t is 1e-13).
                let step = (logit + step) - logit;
                let nudged = at(logit).nudged(step);
                let exact = at(logit + step);
                for (a, b) in [
                    (nudged.q, exact.q),
                    (nudged.one_minus_q, exact.one_minus_q),
                    (nudged.neg_ln_q, exact.neg_ln_q),
                    (nudged.r, exact.r),
                    (nudged.offset, exact.offset),
                    (nudged.ln_q_over_w, exact.ln_q_over_w),
                ] {
                    assert!(
                        (a - b).abs() <= 4e-16 * b.abs(),
                        "t={logit} step={step}: {a} vs {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_start_follows_the_quadratic_through_three_positions() {
        // λ(γ) = 1 − 2γ + γ², offset(γ) = 3γ²: a quadratic is extrapolated exactly.
        let lambda = |g: f64| 1.0 - 2.0 * g + g * g;
        let latest = [at_offset(3.0 * 1.5 * 1.5)];
        let latest = (1.5, lambda(1.5), &latest[..]);
        let offsets: Vec<[f64; 1]> = [1.0, 0.5].iter().map(|g| [3.0 * g * g]).collect();
        let earlier: Vec<EarlierPosition> = [1.0, 0.5]
            .iter()
            .zip(&offsets)
            .map(|(&g, offsets)| (g, lambda(g), &offsets[..]))
            .collect();
        let start = extrapolate(latest, &earlier, 2.0);
        assert!((start.lambda - lambda(2.0)).abs() < 1e-14);
        assert!((start.aims[0].0 - 12.0).abs() < 1e-13);
        // The slope is the latest position's.
        assert_eq!(start.aims[0].1, latest.2[0].slope);
        // Two positions give the line through them, one gives itself.
        let line = extrapolate(latest, &earlier[..1], 2.0);
        assert!((line.lambda - (lambda(1.5) + (lambda(1.5) - lambda(1.0)))).abs() < 1e-14);
        assert!((line.aims[0].0 - (6.75 + (6.75 - 3.0))).abs() < 1e-13);
        let only = extrapolate(latest, &[], 2.0);
        assert_eq!((only.lambda, only.aims[0].0), (lambda(1.5), 6.75));
        // Fewer positions than a full extrapolation: the solver starts with a
        // rough pass; with all six, with an exact one.
        assert!(!start.close && !line.close && !only.close);
        let five: Vec<EarlierPosition> = (1..EXTRAPOLATION_POINTS)
            .map(|j| (1.5 - 0.25 * j as f64, 0.0, &offsets[0][..]))
            .collect();
        assert!(extrapolate(latest, &five, 2.0).close);
    }

    #[test]
    fn a_trail_keeps_the_offsets_of_the_positions_before_the_latest() {
        // Offsets along γ = 0, 1, 2, 3 of 3γ²: a trail of two earlier
        // positions, with the latest, extrapolates the quadratic exactly.
        let solved: Vec<[GroupSolution; 1]> = (0..4)
            .map(|g| [at_offset(3.0 * f64::from(g * g))])
            .collect();
        let mut trail = Trail::new(2);
        for (g, groups) in solved.iter().enumerate().take(3) {
            trail.push((g as f64, 0.0, &groups[..]));
        }
        // It kept γ = 2 and 1, in the buffer of the one it dropped.
        assert_eq!(trail.earlier.len(), 2);
        assert_eq!(trail.earlier[0].2, [12.0]);
        assert_eq!(trail.earlier[1].2, [3.0]);
        let start = trail.start((3.0, 0.0, &solved[3][..]), 4.0);
        assert!((start.aims[0].0 - 48.0).abs() < 1e-12);
        // A trail that keeps nothing: the latest alone.
        let mut none = Trail::new(0);
        none.push((0.0, 0.0, &solved[0][..]));
        assert_eq!(none.start((3.0, 0.0, &solved[3][..]), 4.0).aims[0].0, 27.0);
    }

    #[test]
    fn a_start_landed_close_when_every_offset_was_within_the_settling_bound() {
        let problem = FocalProblem::new(&[5.0, 3.0, 2.0], None).unwrap();
        let solution = problem.solve(2.0).unwrap();
        let start = |nudge: f64| WarmStart {
            lambda: solution.lambda,
            aims: solution
                .groups
                .iter()
                .map(|g| (g.offset * (1.0 + nudge), g.slope))
                .collect(),
            close: false,
        };
        assert!(start(0.0).landed_close(&solution));
        assert!(start(0.5 * SETTLED_STEP).landed_close(&solution));
        assert!(!start(2.0 * SETTLED_STEP).landed_close(&solution));
    }

    #[test]
    fn a_start_along_the_tangent_is_off_by_the_square_of_the_step() {
        let counts: Vec<f64> = (0..50).map(|i| 1e4f64.powf(-(i as f64) / 49.0)).collect();
        let problem = FocalProblem::new(&counts, None).unwrap();
        let groups = problem.groups();
        for gamma in [0.0, 0.7, 2.0, 9.0] {
            let from = problem.solve(gamma).unwrap();
            // Off from the solution at γ + h by about h² in every offset and
            // λ (a constant start: by h).
            let mut errors = Vec::new();
            for step in [1e-2, 1e-3] {
                let there = problem.solve(gamma + step).unwrap();
                let start = along_tangent(groups, from.position(), gamma + step).unwrap();
                let error = start
                    .aims
                    .iter()
                    .zip(there.groups.iter())
                    .map(|(a, b)| (a.0 - b.offset).abs())
                    .fold((start.lambda - there.ln_mu()).abs(), f64::max);
                let constant = from
                    .groups
                    .iter()
                    .zip(there.groups.iter())
                    .map(|(a, b)| (a.offset - b.offset).abs())
                    .fold(0.0, f64::max);
                assert!(
                    error < 0.05 * constant,
                    "γ={gamma} h={step}: {error:e} vs {constant:e}"
                );
                errors.push(error);
            }
            // Ten times smaller a step, about a hundred times smaller an error.
            assert!(errors[1] < errors[0] / 30.0, "γ={gamma}: {errors:?}");
        }
        // Another problem's solution gives no start.
        let other = FocalProblem::new(&[3.0, 1.0], None)
            .unwrap()
            .solve(1.0)
            .unwrap();
        assert!(along_tangent(groups, other.position(), 1.1).is_none());
    }

    #[test]
    fn a_start_falls_back_to_the_latest_position_where_extrapolation_cannot_go() {
        let latest = vec![at_offset(2.0), at_offset(f64::MAX)];
        let earlier = [1.0, -f64::MAX];
        let other_size = [0.5];
        // The overflowing coordinate keeps its latest value; a position of
        // another size is not used.
        let start = extrapolate(
            (2.0, -1.0, &latest),
            &[(1.0, 0.0, &earlier), (0.5, 5.0, &other_size)],
            3.0,
        );
        assert_eq!(start.lambda, -2.0);
        assert_eq!(start.aims[0].0, 3.0);
        assert_eq!(start.aims[1].0, f64::MAX);
        // Two positions at the same γ: the latest alone.
        let start = extrapolate((2.0, -1.0, &latest), &[(2.0, 0.0, &earlier)], 3.0);
        assert_eq!((start.lambda, start.aims[0].0), (-1.0, 2.0));
    }
}
