//! The exact minimiser Q* of the focal-entropy over the probability simplex:
//! the entry points, the per-class equation, and the joint Newton method.
//!
//! Optimality says `w_i·G(q_i) = μ` for every class, with `Σ q_i = 1`. Each class
//! is solved in its logit offset `d = logit(q) − logit(w)` from the equation
//! `ln h(σ(t_w + d)) − ln(q/w) = ln μ` (both sides are O(γ) for small γ, so
//! nothing cancels). The joint Newton method here moves λ = ln μ and every
//! offset together, one evaluation per group of equal classes per step (the
//! first, rough steps bent to third order); when it does not settle, the
//! safeguarded nested method (`nested.rs`) takes over.
//! The result and its readouts are in `solution.rs`.

use super::error::{validate_gamma, FocalError};
use super::focal::{ln_gradient_curvature, ln_gradient_slope, ln_reshaping_map};
use super::nested::solve_nested;
use super::numerics::{log_ratio, offset_exp_m1, CompensatedSum, LogitPoint};
use super::problem::{FocalProblem, Group};
use super::solution::{along_tangent, Evaluation, GroupSolution, Located, Solution, WarmStart};

/// How an evaluation computes `ln(q/w)` and `q − w`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Precision {
    /// From the offset by one `expm1` and one `ln_1p`: a few ulps relative to
    /// them however small the offset is. The steps that finish a solve.
    Exact,
    /// As differences of what the point holds already: a few ulps of `ln q`
    /// absolute, ample to aim the first steps, two transcendentals cheaper.
    Rough,
}

/// Evaluates the inner equation exactly at offset `d`: returns the
/// evaluation and `ln h(q) − ln(q/w)`, which equals λ at the root. (A Newton
/// pass runs its stages over several groups in turn: [`newton_pass`].)
#[inline(always)]
pub(super) fn evaluate(gamma: f64, group: &Group, offset: f64) -> (Evaluation, f64) {
    let first = exponentials(group, offset, Precision::Exact);
    let (point, ratios) = point_and_ratios(group, offset, Precision::Exact, first);
    finish_evaluation(gamma, offset, point, ratios)
}

/// An evaluation's first stage: the exponentials at offset `d`, `e^(−|t|)`
/// of the point's logit `t` and, for an exact evaluation, `e^d − 1` (zeros
/// where they are not needed).
#[inline(always)]
fn exponentials(group: &Group, offset: f64, precision: Precision) -> (f64, f64) {
    if offset == 0.0 {
        return (0.0, 0.0);
    }
    let exp_m1_offset = match precision {
        Precision::Exact => offset_exp_m1(offset),
        Precision::Rough => 0.0,
    };
    ((-(group.w.logit + offset).abs()).exp(), exp_m1_offset)
}

/// An evaluation's second stage, from the first's exponentials: the group's
/// point at offset `d` (one `ln_1p`; at offset 0 `q = w` exactly, so γ = 0
/// returns P itself, bit for bit) and `ln(q/w)` and `q − w` there, as
/// `precision` says (exact: one `ln_1p` more).
#[inline(always)]
fn point_and_ratios(
    group: &Group,
    offset: f64,
    precision: Precision,
    (e, exp_m1_offset): (f64, f64),
) -> (LogitPoint, (f64, f64)) {
    let point = if offset == 0.0 {
        group.w
    } else {
        LogitPoint::from_exponential(group.w.logit + offset, e)
    };
    let ratios = match precision {
        Precision::Exact => {
            let (ln_ratio, ratio_minus_one) =
                log_ratio(offset, exp_m1_offset, &point, group.w.neg_ln_q);
            (ln_ratio, group.w.q * ratio_minus_one)
        }
        Precision::Rough => (group.w.neg_ln_q - point.neg_ln_q, point.q - group.w.q),
    };
    (point, ratios)
}

/// An evaluation's last stage: the equation's value and slope from the
/// point and its ratios to the weight (one `ln_1p`).
#[inline(always)]
fn finish_evaluation(
    gamma: f64,
    offset: f64,
    point: LogitPoint,
    (ln_q_over_w, q_minus_w): (f64, f64),
) -> (Evaluation, f64) {
    let value = ln_reshaping_map(gamma, &point) - ln_q_over_w;
    let slope = ln_gradient_slope(gamma, &point);
    (
        Evaluation {
            offset,
            slope,
            point,
            ln_q_over_w,
            q_minus_w,
        },
        value,
    )
}

impl FocalProblem {
    /// Solves for Q* at focal parameter γ ∈ [0, 100], from scratch.
    pub fn solve(&self, gamma: f64) -> Result<Solution, FocalError> {
        self.solve_from(gamma, None)
    }

    /// Solves for Q* at γ starting from a solution of the same problem at a
    /// nearby γ, moved along its tangent in γ (from scratch if `nearby` has
    /// another number of distinct classes).
    pub fn solve_near(&self, gamma: f64, nearby: &Solution) -> Result<Solution, FocalError> {
        let start = along_tangent(self.groups(), nearby.position(), gamma);
        self.solve_from(gamma, start.as_ref())
    }

    pub(crate) fn solve_from(
        &self,
        gamma: f64,
        warm: Option<&WarmStart>,
    ) -> Result<Solution, FocalError> {
        let position = self.locate(gamma, warm)?;
        Ok(Solution::assemble(
            self.clone(),
            gamma,
            position.lambda,
            position.groups,
        ))
    }

    /// Q* at γ without its readouts: λ and every group's solution, each to
    /// an ulp.
    pub(crate) fn locate(
        &self,
        gamma: f64,
        warm: Option<&WarmStart>,
    ) -> Result<Located, FocalError> {
        self.locate_to::<false>(gamma, warm)
    }

    /// Q* at γ for a picture, as the imbalance map draws it: by rough passes
    /// alone, up to where [`FocalProblem::locate`] would start its exact pass
    /// (the steps, Newton's, not bent, predict offsets within 1e-8 relative;
    /// the page's maps' `ln(q*/p)` measured within 5.4e-7 of exact solves at
    /// K = 10, 9e-10 at K = 100).
    /// The other quantities of each group's solution are moved to the last
    /// offsets to first order only (off by about the square of the last
    /// step, ≲ 1e-5 relative): enough to start the next γ from.
    pub(crate) fn locate_roughly(
        &self,
        gamma: f64,
        warm: Option<&WarmStart>,
    ) -> Result<Located, FocalError> {
        self.locate_to::<true>(gamma, warm)
    }

    /// [`FocalProblem::locate`] (`ROUGH_FINISH` false) or
    /// [`FocalProblem::locate_roughly`] (true).
    fn locate_to<const ROUGH_FINISH: bool>(
        &self,
        gamma: f64,
        warm: Option<&WarmStart>,
    ) -> Result<Located, FocalError> {
        let gamma = validate_gamma(gamma)?;
        let groups = self.groups();
        let positive: f64 = groups.iter().map(|g| g.multiplicity).sum();
        if positive == 1.0 {
            let only = GroupSolution::from(&Evaluation {
                offset: 0.0,
                slope: f64::NEG_INFINITY,
                point: LogitPoint::endpoint(1.0),
                ln_q_over_w: 0.0,
                q_minus_w: 0.0,
            });
            // μ = w·G(1): G(1) = 1 for cross-entropy (γ = 0), 0 for every γ > 0.
            let lambda = if gamma == 0.0 { 0.0 } else { f64::NEG_INFINITY };
            return Ok(Located {
                lambda,
                groups: vec![only],
            });
        }
        // When every present class has the same weight (one group), the
        // constraint alone says Q* = W, and λ is its equation's value there.
        if let [group] = groups {
            let (at_w, lambda) = evaluate(gamma, group, 0.0);
            return Ok(Located {
                lambda,
                groups: vec![GroupSolution::from(&at_w)],
            });
        }
        // At γ = 0 Q* = W, which the start q = w gives bit for bit; from
        // elsewhere a solve reaches it to within an ulp, and the classes
        // could read as moved.
        let warm =
            warm.filter(|w| gamma > 0.0 && w.aims.len() == groups.len() && w.lambda.is_finite());
        let (lambda, groups) = solve_lambda::<ROUGH_FINISH>(gamma, groups, positive, warm);
        Ok(Located { lambda, groups })
    }
}

/// Most iterations of the joint Newton method before the safeguarded nested
/// method takes over (it converges in 3–8 from the usual starts).
const MAX_JOINT_ITERATIONS: usize = 40;

/// Most rough passes of the joint Newton method before exact ones take over,
/// whatever the steps (the usual solve needs two or three).
const MAX_ROUGH_ITERATIONS: usize = 8;

/// A step of the joint Newton method below this, relative to its offset
/// (and absolute in the logit), leaves an error below 1e-18 after it
/// (`C·s²`) and is applied to first order ([`GroupSolution::nudged`], exact
/// to an ulp there) instead of with another pass.
pub(super) const SETTLED_STEP: f64 = 1e-8;

/// The constant C of the joint Newton method's convergence (`s' ≈ C·s²` for
/// relative steps, `C·s³` for bent ones) assumed after its first step.
/// Measured values of Newton's run from 3e-5 to 3e-3 on the benchmarked
/// problems; with it, a start extrapolated along a sweep (first step
/// ≲ 1e-3) takes one rough pass and one exact pass. (A cold start's first
/// step is 1 relative, from offsets 0: then it only says the next pass is
/// bent.) Too small a guess costs one more exact pass, never accuracy.
const ASSUMED_CONTRACTION: f64 = 1e-3;

/// Finds λ = ln μ with `Σ m·w·(e^{ln(q/w)} − 1) = 0` and returns every group's
/// solution: by the joint Newton method when it converges (finishing as
/// `ROUGH_FINISH` says), otherwise by the safeguarded nested method, which
/// always does.
fn solve_lambda<const ROUGH_FINISH: bool>(
    gamma: f64,
    groups: &[Group],
    positive: f64,
    warm: Option<&WarmStart>,
) -> (f64, Vec<GroupSolution>) {
    let (lambda, offsets, first) = match warm {
        Some(warm) => (
            warm.lambda,
            warm.aims.iter().map(|&(offset, _)| offset).collect(),
            // (The map finishes roughly and never evaluates exactly first.)
            if warm.close && !ROUGH_FINISH {
                Precision::Exact
            } else {
                Precision::Rough
            },
        ),
        // From offsets 0 the first step takes λ to the spread-weighted mean
        // of the equations' values wherever λ starts: it starts at 0.
        None => (0.0, vec![0.0; groups.len()], Precision::Rough),
    };
    joint_newton::<ROUGH_FINISH>(gamma, groups, lambda, offsets, first)
        .unwrap_or_else(|| solve_nested(gamma, groups, positive, warm))
}

/// Newton's method on the whole system — every group's equation and the
/// constraint — at one evaluation per group per iteration. Each step solves
/// the linearised system exactly: `δd_g = (δλ − F_g)/F'_g` and
/// `δλ = (Σ m s F/F' − R) / Σ m s/F'` with `s = q(1 − q)`, and rough steps
/// are then bent to third order ([`bend_steps`]). Returns `None` when a
/// step is not finite or the iteration does not settle. It evaluates with
/// `precision` first (exact for a close start), roughly until the next step
/// should settle, then exactly. With `ROUGH_FINISH`
/// it returns after the rough pass whose steps should leave less than
/// [`SETTLED_STEP`] (see [`FocalProblem::locate_roughly`]) instead of taking
/// an exact one.
fn joint_newton<const ROUGH_FINISH: bool>(
    gamma: f64,
    groups: &[Group],
    mut lambda: f64,
    mut offsets: Vec<f64>,
    mut precision: Precision,
) -> Option<(f64, Vec<GroupSolution>)> {
    // What an exact pass found, kept in case it settles (rough passes are
    // only aimed from).
    let mut solved: Vec<GroupSolution> = Vec::with_capacity(groups.len());
    // Each group's residual, then its step, beside 1/F' (one division per
    // group and pass, used twice).
    let mut steps: Vec<GroupStep> = Vec::with_capacity(groups.len());
    // Rough passes bend their steps to third order while the steps are
    // large ([`BEND_ABOVE`]), except for a picture, whose cells start so
    // close that a bend costs more than it saves (and the map's cells are far
    // more accurate than its tints without it).
    let mut bend_next = !ROUGH_FINISH && offsets.iter().all(|&d| d == 0.0);
    let mut previous_step: Option<f64> = None;
    for iteration in 0..MAX_JOINT_ITERATIONS {
        let exact = precision == Precision::Exact;
        let bent = bend_next && !exact;
        let step_lambda = newton_pass(
            gamma,
            groups,
            (lambda, &offsets),
            precision,
            (exact || ROUGH_FINISH).then_some(&mut solved),
            &mut steps,
            bent,
        )?;
        lambda += step_lambda;
        let scale = lambda.abs() + gamma.min(1.0);
        if exact {
            if settled(step_lambda, scale, &mut offsets, &mut steps)? {
                // Quadratic convergence: after steps this small the new point
                // is the root to far below an ulp, and first order moves every
                // quantity there exactly, without another evaluation pass.
                for (solution, step) in solved.iter_mut().zip(&steps) {
                    *solution = solution.nudged(step.residual);
                }
                return Some((lambda, solved));
            }
            continue;
        }
        // Newton's steps shrink quadratically, s' ≈ C·s², bent ones
        // cubically, s' ≈ C·s³, with C read off the last two (assumed before
        // then): go exact when the next step should settle.
        let largest_step = rough_step(step_lambda, scale, &mut offsets, &steps)?;
        let order = if bent { 3 } else { 2 };
        let next = match previous_step {
            Some(previous) if previous > 0.0 => largest_step.powi(order + 1) / previous.powi(order),
            _ => ASSUMED_CONTRACTION * largest_step.powi(order),
        };
        if ROUGH_FINISH && next <= SETTLED_STEP {
            for (solution, step) in solved.iter_mut().zip(&steps) {
                let (_, step_taken) = offset_step(step_lambda, step, solution.offset)?;
                *solution = solution.nudged(step_taken);
            }
            return Some((lambda, solved));
        }
        if next <= SETTLED_STEP || iteration + 1 >= MAX_ROUGH_ITERATIONS {
            precision = Precision::Exact;
        }
        previous_step = Some(largest_step);
        bend_next = !ROUGH_FINISH && next > BEND_ABOVE;
    }
    None
}

/// One pass of the joint Newton method from λ and the groups' offsets:
/// evaluates every group with `precision`, fills `steps` (and `solved`, if
/// given, with what each evaluation found) and returns λ's step, bent to
/// third order if `bend` says so ([`bend_steps`]); `None` if not finite.
#[inline(always)]
fn newton_pass(
    gamma: f64,
    groups: &[Group],
    (lambda, offsets): (f64, &[f64]),
    precision: Precision,
    mut solved: Option<&mut Vec<GroupSolution>>,
    steps: &mut Vec<GroupStep>,
    bend: bool,
) -> Option<f64> {
    if let Some(solved) = solved.as_deref_mut() {
        solved.clear();
    }
    steps.clear();
    let mut excess = CompensatedSum::default();
    let (mut weighted_residuals, mut sensitivity) = (0.0, 0.0);
    // Each chunk's exponentials first, then its points and ratios, then its
    // equations ([`PASS_CHUNK`]).
    let mut exponentials_of = [(0.0, 0.0); PASS_CHUNK];
    let mut staged = [(LogitPoint::HALF, (0.0, 0.0)); PASS_CHUNK];
    for (chunk, chunk_offsets) in groups.chunks(PASS_CHUNK).zip(offsets.chunks(PASS_CHUNK)) {
        let chunk = chunk.iter().zip(chunk_offsets);
        for (slot, (group, &offset)) in exponentials_of.iter_mut().zip(chunk.clone()) {
            *slot = exponentials(group, offset, precision);
        }
        for ((slot, &first), (group, &offset)) in
            staged.iter_mut().zip(&exponentials_of).zip(chunk.clone())
        {
            *slot = point_and_ratios(group, offset, precision, first);
        }
        for (&(point, ratio), (group, &offset)) in staged.iter().zip(chunk) {
            let (solution, value) = finish_evaluation(gamma, offset, point, ratio);
            let residual = value - lambda;
            excess.add(group.multiplicity * solution.q_minus_w);
            let inverse_slope = 1.0 / solution.slope;
            let spread =
                group.multiplicity * solution.point.q * solution.point.one_minus_q * inverse_slope;
            if !(spread.is_finite() && residual.is_finite()) {
                return None;
            }
            weighted_residuals += spread * residual;
            sensitivity += spread;
            let point = &solution.point;
            steps.push(GroupStep {
                residual,
                inverse_slope,
                bend: if bend {
                    Bend {
                        half_curvature: 0.5 * ln_gradient_curvature(gamma, point),
                        half_share_curvature: 0.5
                            * group.multiplicity
                            * point.q
                            * point.one_minus_q
                            * (point.one_minus_q - point.q),
                        spread,
                    }
                } else {
                    Bend::default()
                },
            });
            if let Some(solved) = solved.as_deref_mut() {
                solved.push(GroupSolution::from(&solution));
            }
        }
    }
    let step_lambda = (weighted_residuals - excess.value()) / sensitivity;
    if !step_lambda.is_finite() {
        return None;
    }
    if bend {
        bend_steps(step_lambda, sensitivity, steps)
    } else {
        Some(step_lambda)
    }
}

/// How many groups a pass evaluates together, in three stages: every
/// group's exponentials (`exp`, and `expm1` in an exact pass), then every
/// group's point and ratios to its weight (the logarithms that need them),
/// then the rest of each group's equation and step. One group's
/// transcendental functions wait for one another, different groups' do not,
/// so the processor overlaps them where one group at a time waits for each
/// result in turn. Natively, on the benchmarked problems, two stages against
/// one: 3–10 % more instructions, 10–20 % less time (K = 1000 −10 %, the
/// 256-point sweep −9 %, the map −20 %, the million-class solve −15 %; 8, 16
/// and 32 measured: 8 the best, 32 the least gain); the third stage, against
/// two: K = 10 −7 %, the sweep −7 %, K = 1000 −2 %, the million unchanged.
const PASS_CHUNK: usize = 8;

/// A rough pass is bent when the step it should take (as the last pass
/// predicts it) is above this, relative; below it a Newton step lands close
/// enough for the exact pass anyway, and a bend would cost more than it saves.
/// The first pass of a cold start (from q = w) is always bent; a warm start's
/// first pass is not (its start was extrapolated close).
const BEND_ABOVE: f64 = 1e-4;

/// Most a bend may change a group's Newton step, relative to it.
const MAX_BEND: f64 = 0.5;

/// A group's share of a pass of the joint Newton method.
#[derive(Debug, Clone, Copy)]
struct GroupStep {
    /// The group's equation's value less λ, then (after an exact pass) the
    /// group's offset step.
    residual: f64,
    /// `1/F'`, F' the slope of the group's equation in its offset.
    inverse_slope: f64,
    /// On a bent pass, the second-order terms (zeros otherwise).
    bend: Bend,
}

/// A group's second-order terms at a rough pass's point, which bend its
/// Newton step ([`bend_steps`]).
#[derive(Debug, Clone, Copy, Default)]
struct Bend {
    /// `½ F''`, the curvature of the group's equation.
    half_curvature: f64,
    /// `½ m·d²q/dt² = ½ m q(1 − q)(1 − 2q)`, the curvature of the group's
    /// share of the constraint.
    half_share_curvature: f64,
    /// `m q(1 − q)/F'`, the group's weight in λ's step.
    spread: f64,
}

/// Turns a rough pass's Newton steps into third-order ones (Chebyshev's
/// correction, applied to the whole system): each equation and the
/// constraint are expanded to second order with the squares taken at the
/// Newton step `δ⁰`, which moves each group's residual by `½ F''·δ⁰²` and λ's
/// step by `(Σ spread·½F''δ⁰² − Σ ½m q''δ⁰²)/Σ spread`. The error after a
/// step then falls as its cube, not its square: from a cold start a solve at
/// K = 1000 is aimed close enough for its exact pass after two rough passes
/// (three before). Returns λ's new step, `None` if it is not finite.
fn bend_steps(step_lambda: f64, sensitivity: f64, steps: &mut [GroupStep]) -> Option<f64> {
    let (mut bent_residuals, mut bent_constraint) = (0.0, 0.0);
    for step in steps.iter_mut() {
        let newton = (step_lambda - step.residual) * step.inverse_slope;
        // Far from the root the expansion misleads: a group whose bend would
        // change its step by more than half keeps Newton's.
        if (step.bend.half_curvature * newton * step.inverse_slope).abs() <= MAX_BEND {
            let square = newton * newton;
            let bend = step.bend.half_curvature * square;
            bent_residuals += step.bend.spread * bend;
            bent_constraint += step.bend.half_share_curvature * square;
            step.residual += bend;
        }
    }
    let bent = step_lambda + (bent_residuals - bent_constraint) / sensitivity;
    bent.is_finite().then_some(bent)
}

/// The offset step of a group from λ's step and the group's residual and 1/F' (`None`
/// if not finite), and the move it makes: the step, limited far from the
/// solution (as the nested method limits it).
#[inline(always)]
fn offset_step(step_lambda: f64, group: &GroupStep, offset: f64) -> Option<(f64, f64)> {
    let step = (step_lambda - group.residual) * group.inverse_slope;
    if !step.is_finite() {
        return None;
    }
    let limit = 1.0 + offset.abs();
    let step_taken = if step > limit {
        limit
    } else if step < -limit {
        -limit
    } else {
        step
    };
    Some((step, step_taken))
}

/// Takes a rough pass's steps and returns the largest, relative to where it
/// goes (offsets below 1e-6 count as 1e-6: rough evaluations cannot pin them
/// relatively; λ's step counts a tenth, as its settling bound is ten times
/// tighter).
#[inline(always)]
fn rough_step(
    step_lambda: f64,
    scale: f64,
    offsets: &mut [f64],
    steps: &[GroupStep],
) -> Option<f64> {
    // (At γ = 0, λ and its scale are 0.)
    let mut largest = if scale > 0.0 {
        0.1 * step_lambda.abs() / scale
    } else {
        0.0
    };
    for (offset, group) in offsets.iter_mut().zip(steps) {
        let (step, step_taken) = offset_step(step_lambda, group, *offset)?;
        *offset += step_taken;
        let size = offset.abs();
        let relative = step.abs() / if size > 1e-6 { size } else { 1e-6 };
        if relative > largest {
            largest = relative;
        }
    }
    Some(largest)
}

/// Takes an exact pass's steps (each group's step replaces its residual in
/// `steps`) and says whether every one has settled: what the step leaves,
/// second order in it, is far below an ulp of the offset, and the step is
/// small enough for the first-order finish — below 1e-8 of the offset and
/// 1e-8 in the logit (or 1e-9 of a larger offset), or with a square below
/// 1e-19 of the offset (tiny offsets, where the rough passes leave steps of
/// a few ulps of ln q). λ settles within 1e-10 of its scale.
#[inline(always)]
fn settled(
    step_lambda: f64,
    scale: f64,
    offsets: &mut [f64],
    steps: &mut [GroupStep],
) -> Option<bool> {
    let mut settled = step_lambda.abs() <= 1e-10 * scale;
    for (offset, group) in offsets.iter_mut().zip(steps) {
        let (step, step_taken) = offset_step(step_lambda, group, *offset)?;
        group.residual = step;
        *offset += step_taken;
        let size = offset.abs();
        let bound = if size < 1.0 {
            SETTLED_STEP * size
        } else if size > 10.0 {
            0.1 * SETTLED_STEP * size
        } else {
            SETTLED_STEP
        };
        settled &= step.abs() <= bound || step * step <= 1e-19 * size;
    }
    Some(settled)
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
        let joint = joint_newton::<false>(
            gamma,
            groups,
            0.0,
            vec![0.0; groups.len()],
            Precision::Rough,
        )
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
                    (a.q / b.q - 1.0).abs() < 1e-12,
                    "{counts:?} γ={gamma}: {} vs {}",
                    a.q,
                    b.q
                );
            }
        }
    }

    #[test]
    fn bent_rough_passes_converge_cubically() {
        // One rough pass from a start ε away from the solution (every offset
        // and λ moved by ε relative) leaves an error of order ε² with
        // Newton's steps and ε³ with bent ones: halving ε divides it by four
        // or by eight.
        let problem = FocalProblem::new(&[60.0, 25.0, 10.0, 4.0, 1.0], None).unwrap();
        let groups = problem.groups();
        let gamma = 2.0;
        let root = problem.locate(gamma, None).unwrap();
        let error_after_one_pass = |epsilon: f64, bend: bool| {
            let mut offsets: Vec<f64> = root
                .groups
                .iter()
                .enumerate()
                .map(|(g, solved)| {
                    solved.offset * (1.0 + if g % 2 == 0 { epsilon } else { -epsilon })
                })
                .collect();
            let lambda = root.lambda * (1.0 + epsilon);
            let mut steps = Vec::new();
            let step_lambda = newton_pass(
                gamma,
                groups,
                (lambda, &offsets),
                Precision::Rough,
                None,
                &mut steps,
                bend,
            )
            .unwrap();
            rough_step(step_lambda, 1.0, &mut offsets, &steps).unwrap();
            offsets
                .iter()
                .zip(&root.groups)
                .map(|(offset, solved)| (offset / solved.offset - 1.0).abs())
                .fold(((lambda + step_lambda) / root.lambda - 1.0).abs(), f64::max)
        };
        for (bend, order) in [(false, 2.0), (true, 3.0)] {
            let coarse = error_after_one_pass(0.02, bend);
            let fine = error_after_one_pass(0.01, bend);
            let measured = (coarse / fine).log2();
            assert!(
                (measured - order).abs() < 0.2,
                "bend {bend}: {coarse:e} → {fine:e}, order {measured}"
            );
        }
        assert!(error_after_one_pass(0.02, true) < 2e-7);
    }

    #[test]
    fn equal_classes_stay_exactly_equal() {
        // Found by the property tests (three counts of 7 at this γ): a start
        // that leaves λ an ulp off moves every class by ~1e-17, and a class
        // whose q/p reads 1 is then called amplified.
        // Started from another γ as well, as the page starts each γ from the
        // solution shown before (10 classes from γ = 4.07 to 12.93 read as
        // moved when that start was taken).
        for k in [2, 3, 7, 10, 49, 100] {
            let problem = FocalProblem::new(&vec![7.0; k], None).unwrap();
            let elsewhere = problem.solve(4.07).unwrap();
            for gamma in [0.5, 2.0, 12.93, 26.448_604_379_795_412, 100.0] {
                let cold = problem.solve(gamma).unwrap();
                let warm = problem.solve_near(gamma, &elsewhere).unwrap();
                for solution in [cold, warm] {
                    for class in 0..k {
                        assert_eq!(solution.q(class), solution.p(class), "K={k} γ={gamma}");
                        assert_eq!(
                            solution.regime(class),
                            crate::core::Regime::Unchanged,
                            "K={k} γ={gamma}"
                        );
                    }
                }
            }
        }
        // At γ = 0, Q* = P bit for bit from any start (from γ = 2 it was not).
        let problem = FocalProblem::new(&[5.0, 3.0, 2.0, 2.0], None).unwrap();
        let from = problem.solve(2.0).unwrap();
        let at_zero = problem.solve_near(0.0, &from).unwrap();
        for class in 0..4 {
            assert_eq!(at_zero.q(class), at_zero.p(class));
        }
    }

    #[test]
    fn at_gamma_zero_the_first_pass_goes_straight_to_the_exact_one() {
        // At γ = 0 every step is 0 and so are λ and its scale: the largest
        // step reads 0, not 0/0 (which kept the method on rough passes until
        // their limit, eight of them).
        let step = |residual| GroupStep {
            residual,
            inverse_slope: -1.0,
            bend: Bend::default(),
        };
        let mut offsets = vec![0.0; 3];
        assert_eq!(
            rough_step(0.0, 0.0, &mut offsets, &[step(0.0); 3]),
            Some(0.0)
        );
        assert_eq!(offsets, [0.0; 3]);
        // Elsewhere λ's step counts a tenth, relative to its scale.
        assert_eq!(
            rough_step(0.5, 2.0, &mut offsets, &[step(0.5); 3]),
            Some(0.025)
        );
        let solution = solve(&[5.0, 3.0, 2.0], 0.0, None).unwrap();
        assert_eq!(
            [solution.q(0), solution.q(1), solution.q(2)],
            [0.5, 0.3, 0.2]
        );
    }

    #[test]
    fn joint_newton_recovers_from_far_starts_and_declines_broken_ones() {
        let problem = FocalProblem::new(&[99.0, 1.0], None).unwrap();
        let groups = problem.groups();
        let (_, far) = joint_newton::<false>(2.0, groups, 1e6, vec![0.0; 2], Precision::Rough)
            .expect("damped steps recover");
        assert!((far[0].q - 0.153_624_370_917_925_97).abs() < 1e-14);
        assert!(
            joint_newton::<false>(2.0, groups, f64::NAN, vec![0.0; 2], Precision::Rough).is_none()
        );
        // The nested method, the fallback, is safe from any start too.
        let warm = WarmStart {
            lambda: 1e6,
            ..crate::core::solution::extrapolate(problem.solve(0.5).unwrap().position(), &[], 2.0)
        };
        let (_, nested) = solve_nested(2.0, groups, 2.0, Some(&warm));
        assert!((nested[0].q - 0.153_624_370_917_925_97).abs() < 1e-14);
    }
}
