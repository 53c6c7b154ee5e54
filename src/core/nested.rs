//! The safeguarded nested method, the solver's fallback: a bracketed Newton
//! iteration on λ = ln μ with every group's equation solved exactly, by its
//! own bracketed Newton iteration, at each λ. Slower than the joint method
//! but convergent from any start.

use super::focal::{ln_gradient, ln_reshaping_map};
use super::numerics::{CompensatedSum, LogitPoint};
use super::problem::Group;
use super::solution::{Evaluation, GroupSolution, WarmStart};
use super::solver::evaluate;

/// λ when every class keeps `q = w`: the w-weighted mean of ln h(w). Exact at
/// γ = 0 and a fair start elsewhere.
fn mean_ln_reshaping_map(gamma: f64, groups: &[Group]) -> f64 {
    groups
        .iter()
        .map(|g| g.multiplicity * g.w.q * ln_reshaping_map(gamma, &g.w))
        .collect::<CompensatedSum>()
        .value()
}

const MAX_OUTER_ITERATIONS: usize = 200;
const MAX_INNER_ITERATIONS: usize = 200;

/// Solves `ln h(q) − ln(q/w) = λ` for the offset, starting at `start`. The left
/// side decreases strictly in the offset; Newton steps are kept inside the
/// bracket found so far and their size is limited, so the iteration cannot diverge.
fn solve_group(gamma: f64, group: &Group, lambda: f64, start: f64) -> Evaluation {
    let (mut low, mut high) = (f64::NEG_INFINITY, f64::INFINITY);
    let mut offset = if start.is_finite() { start } else { 0.0 };
    // Newton converges quadratically: after a step this small the error is
    // far below one ulp, so the evaluation that follows it is the answer.
    let mut settled = false;
    let mut iterations = 0;
    loop {
        let (solution, value) = evaluate(gamma, group, offset);
        let residual = value - lambda;
        if settled || residual == 0.0 || iterations == MAX_INNER_ITERATIONS {
            return solution;
        }
        iterations += 1;
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
            return solution;
        }
        let mut next = offset + step;
        let newton = next > low && next < high;
        if !newton {
            if !(low.is_finite() && high.is_finite()) {
                return solution;
            }
            next = 0.5 * (low + high);
        }
        offset = next;
        settled = newton && step.abs() <= 1e-9 * offset.abs();
    }
}

/// The safeguarded nested method: a bracketed Newton iteration on λ with
/// every group solved exactly at each λ.
pub(super) fn solve_nested(
    gamma: f64,
    groups: &[Group],
    positive: f64,
    warm: Option<&WarmStart>,
) -> (f64, Vec<GroupSolution>) {
    // At μ = w·G(1/K) a class of weight w gets q = 1/K, so the smallest and
    // largest weights bracket μ.
    let uniform = LogitPoint::from_parts(1.0 / positive, (positive - 1.0) / positive);
    let ln_gradient_uniform = ln_gradient(gamma, &uniform);
    let first = &groups[0];
    let last = &groups[groups.len() - 1];
    let mut low = -first.w.neg_ln_q + ln_gradient_uniform;
    let mut high = -last.w.neg_ln_q + ln_gradient_uniform;
    let widen = 1e-12 * (1.0 + low.abs().max(high.abs()));
    low -= widen;
    high += widen;

    // Each group's offset and slope where it was last solved (at λ =
    // `solved_at`), from which its next solve is aimed; a cold start aims
    // every group from offset 0.
    let (mut lambda, mut aims, mut solved_at): (f64, Vec<(f64, f64)>, _) = match warm {
        Some(warm) => (warm.lambda, warm.aims.clone(), Some(warm.lambda)),
        None => (
            mean_ln_reshaping_map(gamma, groups),
            vec![(0.0, f64::NAN); groups.len()],
            None,
        ),
    };
    let mut solved: Vec<Evaluation> = Vec::with_capacity(groups.len());
    lambda = lambda.clamp(low, high);
    let mut finishing = false;
    for _ in 0..MAX_OUTER_ITERATIONS {
        let mut excess = CompensatedSum::default();
        let mut excess_slope = 0.0;
        solved.clear();
        for (group, aim) in groups.iter().zip(aims.iter_mut()) {
            let (offset, slope) = *aim;
            let predicted = match solved_at {
                Some(at) if slope.is_finite() && slope != 0.0 => offset + (lambda - at) / slope,
                _ => offset,
            };
            let current = solve_group(gamma, group, lambda, predicted);
            *aim = (current.offset, current.slope);
            excess.add(group.multiplicity * current.q_minus_w);
            let sensitivity =
                group.multiplicity * current.point.q * current.point.one_minus_q / current.slope;
            if sensitivity.is_finite() {
                excess_slope += sensitivity;
            }
            solved.push(current);
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
    (lambda, solved.iter().map(GroupSolution::from).collect())
}
