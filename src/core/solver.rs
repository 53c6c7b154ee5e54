//! The exact minimiser Q* of the focal-entropy over the probability simplex.
//!
//! Optimality says `w_i·G(q_i) = μ` for every class, with `Σ q_i = 1`. Each class
//! is solved in its logit offset `d = logit(q) − logit(w)` from the equation
//! `ln h(σ(t_w + d)) − ln(q/w) = ln μ` (both sides are O(γ) for small γ, so
//! nothing cancels), and `λ = ln μ` is found by a safeguarded Newton iteration on
//! `Σ w_i·(q_i/w_i − 1) = 0`. Every inner solve is a safeguarded Newton iteration
//! warm-started from a first-order prediction, so a whole solve costs a handful
//! of evaluations per group of equal classes.

use serde::Serialize;

use super::error::{validate_gamma, FocalError};
use super::focal::{focal_loss, ln_gradient, ln_gradient_slope, ln_reshaping_map};
use super::numerics::{exp_minus_one_minus_identity, log_ratio, CompensatedSum, LogitPoint};
use super::problem::{FocalProblem, Group};

const MAX_OUTER_ITERATIONS: usize = 200;
const MAX_INNER_ITERATIONS: usize = 200;

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

/// One group's converged values.
#[derive(Debug, Clone, Copy)]
struct GroupSolution {
    /// Logit offset `d = logit(q) − logit(w)`.
    offset: f64,
    /// `d ln G / dt` at the solution; it turns a change of λ into a change of `d`.
    slope: f64,
    /// The reshaped probability `q` and its logs.
    point: LogitPoint,
    /// `ln(q / w)`.
    ln_q_over_w: f64,
}

/// The solver's position, kept so that a nearby problem (the next γ of a sweep)
/// starts from it.
#[derive(Debug, Clone)]
pub(crate) struct WarmStart {
    lambda: f64,
    groups: Vec<GroupSolution>,
}

/// Q* and everything derived from it for one γ.
#[derive(Debug, Clone)]
pub struct Solution {
    problem: FocalProblem,
    gamma: f64,
    /// `λ = ln μ`; for a single class 0 at γ = 0 and `−∞` above.
    lambda: f64,
    groups: Vec<GroupSolution>,
    group_regime: Vec<Regime>,
    fe_min: f64,
    fe_at_p: f64,
    shannon_q: f64,
    kl_p_q: f64,
}

/// Evaluates the inner equation at offset `d`: returns the group solution and
/// `ln h(q) − ln(q/w)`, which equals λ at the root.
fn evaluate(gamma: f64, group: &Group, offset: f64) -> (GroupSolution, f64) {
    // At offset 0, q = w exactly (γ = 0 returns P itself, bit for bit).
    let point = if offset == 0.0 {
        group.w
    } else {
        LogitPoint::at(group.w.logit + offset)
    };
    let ln_q_over_w = log_ratio(offset, &point, group.w.neg_ln_q);
    let value = ln_reshaping_map(gamma, &point) - ln_q_over_w;
    let slope = ln_gradient_slope(gamma, &point);
    (
        GroupSolution {
            offset,
            slope,
            point,
            ln_q_over_w,
        },
        value,
    )
}

/// Solves `ln h(q) − ln(q/w) = λ` for the offset, starting at `start`. The left
/// side decreases strictly in the offset; Newton steps are kept inside the
/// bracket found so far and their size is limited, so the iteration cannot diverge.
fn solve_group(gamma: f64, group: &Group, lambda: f64, start: f64) -> GroupSolution {
    let (mut low, mut high) = (f64::NEG_INFINITY, f64::INFINITY);
    let mut offset = if start.is_finite() { start } else { 0.0 };
    let (mut solution, mut value) = evaluate(gamma, group, offset);
    for _ in 0..MAX_INNER_ITERATIONS {
        let residual = value - lambda;
        if residual == 0.0 {
            break;
        }
        if residual > 0.0 {
            low = offset;
        } else {
            high = offset;
        }
        let limit = 1.0 + offset.abs();
        let step = (-residual / solution.slope).clamp(-limit, limit);
        // A zero slope (q rounds to 1 at a tiny γ) gives no direction: step by
        // `limit` towards the root, which lies to the right when the residual is positive.
        let step = if step.is_nan() {
            limit.copysign(residual)
        } else {
            step
        };
        if step.abs() <= 2.0 * f64::EPSILON * offset.abs() || step == 0.0 {
            break;
        }
        let mut next = offset + step;
        let newton = next > low && next < high;
        if !newton {
            if !(low.is_finite() && high.is_finite()) {
                break;
            }
            next = 0.5 * (low + high);
        }
        offset = next;
        (solution, value) = evaluate(gamma, group, offset);
        if newton && step.abs() <= 1e-9 * offset.abs() {
            // Newton converges quadratically: after a step this small the error is
            // far below one ulp, so this evaluation is the answer.
            break;
        }
    }
    solution
}

impl FocalProblem {
    /// Solves for Q* at focal parameter γ ∈ [0, 100], from scratch.
    pub fn solve(&self, gamma: f64) -> Result<Solution, FocalError> {
        self.solve_from(gamma, None)
    }

    /// Solves for Q* at γ starting from a solution of the same problem at a
    /// nearby γ, which saves most of the work in a sweep.
    pub fn solve_near(&self, gamma: f64, nearby: &Solution) -> Result<Solution, FocalError> {
        self.solve_from(gamma, Some(&nearby.warm_start()))
    }

    pub(crate) fn solve_from(
        &self,
        gamma: f64,
        warm: Option<&WarmStart>,
    ) -> Result<Solution, FocalError> {
        let gamma = validate_gamma(gamma)?;
        let groups = self.groups();
        let positive: f64 = groups.iter().map(|g| g.multiplicity).sum();
        let (lambda, solved) = if positive == 1.0 {
            let point = LogitPoint::endpoint(1.0);
            let only = GroupSolution {
                offset: 0.0,
                slope: f64::NEG_INFINITY,
                point,
                ln_q_over_w: 0.0,
            };
            // μ = w·G(1): G(1) = 1 for cross-entropy (γ = 0), 0 for every γ > 0.
            let lambda = if gamma == 0.0 { 0.0 } else { f64::NEG_INFINITY };
            (lambda, vec![only])
        } else {
            let warm = warm.filter(|w| w.groups.len() == groups.len() && w.lambda.is_finite());
            solve_lambda(gamma, groups, positive, warm)
        };
        Ok(Solution::assemble(self.clone(), gamma, lambda, solved))
    }
}

/// Most iterations of the joint Newton method before the safeguarded nested
/// method takes over (it converges in 3–8 from the usual starts).
const MAX_JOINT_ITERATIONS: usize = 40;

/// Finds λ = ln μ with `Σ m·w·(e^{ln(q/w)} − 1) = 0` and returns every group's
/// solution: by the joint Newton method when it converges, otherwise by the
/// safeguarded nested method, which always does.
fn solve_lambda(
    gamma: f64,
    groups: &[Group],
    positive: f64,
    warm: Option<&WarmStart>,
) -> (f64, Vec<GroupSolution>) {
    let (lambda, offsets) = match warm {
        Some(warm) => (warm.lambda, warm.groups.iter().map(|g| g.offset).collect()),
        None => (
            mean_ln_reshaping_map(gamma, groups),
            vec![0.0; groups.len()],
        ),
    };
    joint_newton(gamma, groups, lambda, offsets)
        .unwrap_or_else(|| solve_nested(gamma, groups, positive, warm))
}

/// λ when every class keeps `q = w`: the w-weighted mean of ln h(w). Exact at
/// γ = 0 and a fair start elsewhere.
fn mean_ln_reshaping_map(gamma: f64, groups: &[Group]) -> f64 {
    groups
        .iter()
        .map(|g| g.multiplicity * g.w.q * ln_reshaping_map(gamma, &g.w))
        .collect::<CompensatedSum>()
        .value()
}

/// Newton's method on the whole system — every group's equation and the
/// constraint — at one evaluation per group per iteration. Each step solves
/// the linearised system exactly: `δd_g = (δλ − F_g)/F'_g` and
/// `δλ = (Σ m s F/F' − R) / Σ m s/F'` with `s = q(1 − q)`. Returns `None` when a
/// step is not finite or the iteration does not settle.
fn joint_newton(
    gamma: f64,
    groups: &[Group],
    mut lambda: f64,
    mut offsets: Vec<f64>,
) -> Option<(f64, Vec<GroupSolution>)> {
    let mut solved: Vec<GroupSolution> = Vec::with_capacity(groups.len());
    let mut residuals: Vec<f64> = Vec::with_capacity(groups.len());
    let mut finishing = false;
    for _ in 0..MAX_JOINT_ITERATIONS {
        solved.clear();
        residuals.clear();
        let mut excess = CompensatedSum::default();
        let (mut weighted_residuals, mut sensitivity) = (0.0, 0.0);
        for (group, &offset) in groups.iter().zip(&offsets) {
            let (solution, value) = evaluate(gamma, group, offset);
            let residual = value - lambda;
            excess.add(group.multiplicity * group.w.q * solution.ln_q_over_w.exp_m1());
            let spread =
                group.multiplicity * solution.point.q * solution.point.one_minus_q / solution.slope;
            if !(spread.is_finite() && residual.is_finite()) {
                return None;
            }
            weighted_residuals += spread * residual;
            sensitivity += spread;
            solved.push(solution);
            residuals.push(residual);
        }
        if finishing {
            return Some((lambda, solved));
        }
        let step_lambda = (weighted_residuals - excess.value()) / sensitivity;
        if !step_lambda.is_finite() {
            return None;
        }
        let mut settled = step_lambda.abs() <= 1e-10 * (lambda.abs() + gamma.min(1.0));
        for ((offset, solution), residual) in offsets.iter_mut().zip(&solved).zip(&residuals) {
            let step = (step_lambda - residual) / solution.slope;
            if !step.is_finite() {
                return None;
            }
            // Far from the solution, limit each move (as the nested method does).
            let limit = 1.0 + offset.abs();
            *offset += step.clamp(-limit, limit);
            settled &= step.abs() <= 1e-9 * offset.abs();
        }
        lambda += step_lambda;
        // Quadratic convergence: after steps this small one more evaluation
        // pass at the new point gives the answer to a few ulps.
        finishing = settled;
    }
    None
}

/// The safeguarded nested method: a bracketed Newton iteration on λ with
/// every group solved exactly at each λ.
fn solve_nested(
    gamma: f64,
    groups: &[Group],
    positive: f64,
    warm: Option<&WarmStart>,
) -> (f64, Vec<GroupSolution>) {
    // At μ = w·G(1/K) a class of weight w gets q = 1/K, so the smallest and
    // largest weights bracket μ.
    let uniform = LogitPoint::at(-(positive - 1.0).ln());
    let ln_gradient_uniform = ln_gradient(gamma, &uniform);
    let first = &groups[0];
    let last = &groups[groups.len() - 1];
    let mut low = -first.w.neg_ln_q + ln_gradient_uniform;
    let mut high = -last.w.neg_ln_q + ln_gradient_uniform;
    let widen = 1e-12 * (1.0 + low.abs().max(high.abs()));
    low -= widen;
    high += widen;

    let (mut lambda, mut solved, mut solved_at) = match warm {
        Some(warm) => (warm.lambda, warm.groups.clone(), Some(warm.lambda)),
        None => {
            let initial = groups
                .iter()
                .map(|g| evaluate(gamma, g, 0.0).0)
                .collect::<Vec<_>>();
            (mean_ln_reshaping_map(gamma, groups), initial, None)
        }
    };
    lambda = lambda.clamp(low, high);
    let mut finishing = false;
    for _ in 0..MAX_OUTER_ITERATIONS {
        let mut excess = CompensatedSum::default();
        let mut excess_slope = 0.0;
        for (group, current) in groups.iter().zip(solved.iter_mut()) {
            let predicted = match solved_at {
                Some(at) if current.slope.is_finite() && current.slope != 0.0 => {
                    current.offset + (lambda - at) / current.slope
                }
                _ => current.offset,
            };
            *current = solve_group(gamma, group, lambda, predicted);
            let mass = group.multiplicity * group.w.q;
            excess.add(mass * current.ln_q_over_w.exp_m1());
            let sensitivity =
                group.multiplicity * current.point.q * current.point.one_minus_q / current.slope;
            if sensitivity.is_finite() {
                excess_slope += sensitivity;
            }
        }
        solved_at = Some(lambda);
        let residual = excess.value();
        if finishing || residual == 0.0 {
            break;
        }
        if residual > 0.0 {
            low = lambda;
        } else {
            high = lambda;
        }
        let step = -residual / excess_slope;
        let tolerance = 1e-10 * (lambda.abs() + gamma.min(1.0)) + f64::MIN_POSITIVE;
        let mut next = lambda + step;
        if step.abs() <= tolerance {
            // Newton converges quadratically: after a step this small only a
            // final pass of the inner solves at the new λ remains.
            finishing = true;
        } else if !(next > low && next < high) {
            next = 0.5 * (low + high);
            finishing = high - low <= 4.0 * f64::EPSILON * lambda.abs();
        }
        lambda = next;
    }
    (lambda, solved)
}

impl Solution {
    fn assemble(
        problem: FocalProblem,
        gamma: f64,
        lambda: f64,
        groups: Vec<GroupSolution>,
    ) -> Self {
        let data = problem.groups();
        let mut fe_min = CompensatedSum::default();
        let mut fe_at_p = CompensatedSum::default();
        let mut shannon_q = CompensatedSum::default();
        let mut kl_p_q = CompensatedSum::default();
        let mut largest_amplified_p = 0.0f64;
        for (group, solved) in data.iter().zip(&groups) {
            let m = group.multiplicity;
            fe_min.add(m * group.w.q * focal_loss(gamma, &solved.point));
            fe_at_p.add(m * group.w.q * focal_loss(gamma, &group.p));
            if solved.point.q > 0.0 {
                shannon_q.add(m * solved.point.q * solved.point.neg_ln_q);
            }
            let ln_ratio = solved.ln_q_over_w + group.ln_w_over_p;
            kl_p_q.add(m * group.p.q * exp_minus_one_minus_identity(ln_ratio));
            if ln_ratio > 0.0 {
                largest_amplified_p = largest_amplified_p.max(group.p.q);
            }
        }
        let group_regime = data
            .iter()
            .zip(&groups)
            .map(|(group, solved)| {
                let ln_ratio = solved.ln_q_over_w + group.ln_w_over_p;
                if ln_ratio > 0.0 {
                    Regime::Amplified
                } else if ln_ratio == 0.0 {
                    Regime::Unchanged
                } else if group.p.q < largest_amplified_p {
                    Regime::OverSuppressed
                } else {
                    Regime::Suppressed
                }
            })
            .collect();
        Solution {
            problem,
            gamma,
            lambda,
            groups,
            group_regime,
            fe_min: fe_min.value(),
            fe_at_p: fe_at_p.value(),
            shannon_q: shannon_q.value(),
            kl_p_q: kl_p_q.value().max(0.0),
        }
    }

    pub(crate) fn warm_start(&self) -> WarmStart {
        WarmStart {
            lambda: self.lambda,
            groups: self.groups.clone(),
        }
    }

    /// A start for γ extrapolated linearly from this solution and an earlier one.
    pub(crate) fn extrapolated_start(&self, earlier: &Solution, gamma: f64) -> WarmStart {
        let span = self.gamma - earlier.gamma;
        let fraction = if span != 0.0 {
            (gamma - self.gamma) / span
        } else {
            0.0
        };
        let extrapolate = |now: f64, before: f64| {
            let guess = now + (now - before) * fraction;
            if guess.is_finite() {
                guess
            } else {
                now
            }
        };
        WarmStart {
            lambda: extrapolate(self.lambda, earlier.lambda),
            groups: self
                .groups
                .iter()
                .zip(&earlier.groups)
                .map(|(now, before)| GroupSolution {
                    offset: extrapolate(now.offset, before.offset),
                    ..*now
                })
                .collect(),
        }
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
    pub fn fe_at_p(&self) -> f64 {
        self.fe_at_p
    }

    /// Shannon entropy H(P) in nats.
    pub fn shannon_p(&self) -> f64 {
        self.problem.shannon_p()
    }

    /// Shannon entropy H(Q*) in nats.
    pub fn shannon_q(&self) -> f64 {
        self.shannon_q
    }

    /// Kullback–Leibler divergence KL(P‖Q*) in nats.
    pub fn kl_p_q(&self) -> f64 {
        self.kl_p_q
    }

    /// Reshaped probability `q*_i` of a class (0 for an absent class).
    pub fn q(&self, class: usize) -> f64 {
        self.problem
            .group_index(class)
            .map_or(0.0, |g| self.groups[g].point.q)
    }

    /// Data probability `p_i` of a class.
    pub fn p(&self, class: usize) -> f64 {
        self.problem.p(class)
    }

    /// `ln(q*_i / p_i)`, `None` for an absent class.
    pub fn ln_ratio(&self, class: usize) -> Option<f64> {
        self.problem
            .group_index(class)
            .map(|g| self.groups[g].ln_q_over_w + self.problem.groups()[g].ln_w_over_p)
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

    /// Classes rarer than some amplified class yet pushed down (over-suppressed).
    pub fn over_suppressed_classes(&self) -> Vec<usize> {
        (0..self.problem.class_count())
            .filter(|&c| self.regime(c) == Regime::OverSuppressed)
            .collect()
    }
}

/// Solves Q* for class counts at γ with optional α weights: the one-call entry point.
pub fn solve(counts: &[f64], gamma: f64, alpha: Option<&[f64]>) -> Result<Solution, FocalError> {
    FocalProblem::new(counts, alpha)?.solve(gamma)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both_methods(
        counts: &[f64],
        gamma: f64,
    ) -> ((f64, Vec<GroupSolution>), (f64, Vec<GroupSolution>)) {
        let problem = FocalProblem::new(counts, None).unwrap();
        let groups = problem.groups();
        let positive: f64 = groups.iter().map(|g| g.multiplicity).sum();
        let start = mean_ln_reshaping_map(gamma, groups);
        let joint = joint_newton(gamma, groups, start, vec![0.0; groups.len()])
            .expect("joint Newton converges");
        let nested = solve_nested(gamma, groups, positive, None);
        (joint, nested)
    }

    #[test]
    fn joint_and_nested_methods_agree() {
        let geometric: Vec<f64> = (0..50).map(|i| 1e4f64.powf(-(i as f64) / 49.0)).collect();
        let cases: Vec<(Vec<f64>, f64)> = vec![
            (vec![99.0, 1.0], 2.0),
            (vec![999_999_999_999.0, 1.0], 50.0),
            (vec![1.0, 1e15], 3.7),
            (vec![1e-15, 0.3, 0.3, 1.0], 60.0),
            (geometric.clone(), 0.01),
            (geometric, 100.0),
        ];
        for (counts, gamma) in cases {
            let ((lambda_joint, joint), (lambda_nested, nested)) = both_methods(&counts, gamma);
            assert!(
                (lambda_joint - lambda_nested).abs() <= 1e-12 * (1.0 + lambda_nested.abs()),
                "{counts:?} γ={gamma}"
            );
            for (a, b) in joint.iter().zip(&nested) {
                assert!(
                    (a.point.q / b.point.q - 1.0).abs() < 1e-12,
                    "{counts:?} γ={gamma}: {} vs {}",
                    a.point.q,
                    b.point.q
                );
            }
        }
    }

    #[test]
    fn joint_newton_recovers_from_far_starts_and_declines_broken_ones() {
        let problem = FocalProblem::new(&[99.0, 1.0], None).unwrap();
        let groups = problem.groups();
        let (_, far) = joint_newton(2.0, groups, 1e6, vec![0.0; 2]).expect("damped steps recover");
        assert!((far[0].point.q - 0.153_624_370_917_925_97).abs() < 1e-14);
        assert!(joint_newton(2.0, groups, f64::NAN, vec![0.0; 2]).is_none());
        // The nested method, the fallback, is safe from any start too.
        let warm = WarmStart {
            lambda: 1e6,
            groups: problem.solve(0.5).unwrap().groups,
        };
        let (_, nested) = solve_nested(2.0, groups, 2.0, Some(&warm));
        assert!((nested[0].point.q - 0.153_624_370_917_925_97).abs() < 1e-14);
    }
}
