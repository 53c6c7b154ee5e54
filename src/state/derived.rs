//! Results derived from the configuration: the validated problem, the γ-sweep
//! behind the entropy plot and the solution at the current γ.

use crate::core::{gamma_grid, FocalProblem, PartialSweep, ProblemBuild, Solution, Sweep};

use super::config::{sweep_points, ClassRow, MAX_SWEEP_DISTINCT_CLASSES};

/// The build of the classes' problem, to be done at once or a stage at a
/// time (many classes).
pub fn problem_build(classes: &[ClassRow], alpha: Option<&[f64]>) -> ProblemBuild {
    let counts = classes.iter().map(|c| c.count).collect();
    ProblemBuild::new(counts, alpha.map(<[f64]>::to_vec))
}

/// Validates the classes for solving (the core's checks, the class limit among them).
pub fn problem_for(classes: &[ClassRow], alpha: Option<&[f64]>) -> Result<FocalProblem, String> {
    problem_build(classes, alpha)
        .into_problem()
        .map_err(|e| e.to_string())
}

/// Why the page does not sweep a problem along γ itself, keeping every
/// solution, if it does not: more distinct classes than
/// [`MAX_SWEEP_DISTINCT_CLASSES`], whose curves a worker traces instead
/// ([`CurvesAlongGamma::trace`](super::along::CurvesAlongGamma::trace)).
pub fn sweep_refusal(problem: &FocalProblem) -> Option<String> {
    let distinct = problem.distinct_class_count();
    (distinct > MAX_SWEEP_DISTINCT_CLASSES).then(|| {
        format!(
            "The page sweeps up to {MAX_SWEEP_DISTINCT_CLASSES} distinct counts along γ itself; these classes have {distinct}, and a worker traces their curves."
        )
    })
}

/// The sweep over evenly spaced γ from 0 to `gamma_max` ([`sweep_points`] of
/// them for the problem's distinct classes), to be computed one γ at a time;
/// refused as [`sweep_refusal`] says.
pub fn start_sweep(problem: &FocalProblem, gamma_max: f64) -> Result<PartialSweep, String> {
    if let Some(refusal) = sweep_refusal(problem) {
        return Err(refusal);
    }
    let points = sweep_points(problem.distinct_class_count());
    let grid = gamma_grid(gamma_max, points).map_err(|e| e.to_string())?;
    PartialSweep::new(problem, grid).map_err(|e| e.to_string())
}

/// The solution at γ, started from the solution of the same problem nearest
/// in γ: the sweep's nearest point or `previous` (the one shown before, which
/// is all there is when the problem has too many distinct classes to sweep);
/// cold when neither is this problem's.
pub fn solve_at<'a>(
    problem: &FocalProblem,
    sweep: Option<&'a Sweep>,
    previous: Option<&'a Solution>,
    gamma: f64,
) -> Result<Solution, String> {
    let from_sweep = sweep.and_then(|sweep| {
        let solutions = sweep.solutions();
        let step = sweep.gamma_max() / (solutions.len().max(2) - 1) as f64;
        let index = ((gamma / step).round() as usize).min(solutions.len().checked_sub(1)?);
        solutions.get(index)
    });
    let usable = |s: Option<&'a Solution>| s.filter(|s| s.problem().same_as(problem));
    let nearest = match (usable(from_sweep), usable(previous)) {
        (Some(a), Some(b)) if (b.gamma() - gamma).abs() < (a.gamma() - gamma).abs() => Some(b),
        (a, b) => a.or(b),
    };
    match nearest {
        Some(near) => problem.solve_near(gamma, near),
        None => problem.solve(gamma),
    }
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::along::EntropyAlongGamma;
    use crate::state::config::MAX_PAGE_CLASSES;
    use crate::state::config::{default_classes, Units};

    /// The page's sweep, computed to the end.
    fn sweep_for(problem: &FocalProblem, gamma_max: f64) -> Sweep {
        let mut partial = start_sweep(problem, gamma_max).unwrap();
        while partial.advance().unwrap() {}
        partial.into_sweep()
    }

    #[test]
    fn many_distinct_classes_are_swept_at_fewer_gammas() {
        use crate::state::config::{MIN_SWEEP_POINTS, SWEEP_POINTS};
        assert_eq!(sweep_points(10), SWEEP_POINTS);
        assert_eq!(sweep_points(4096), SWEEP_POINTS);
        assert_eq!(sweep_points(8192), 128);
        assert_eq!(sweep_points(20_000), MIN_SWEEP_POINTS);
        assert_eq!(sweep_points(0), SWEEP_POINTS);
        // Distinct classes count, not classes: 20 000 classes of 3 counts sweep 256 γ.
        let rows = |count: &dyn Fn(usize) -> f64| -> Vec<ClassRow> {
            (0..20_000).map(|i| ClassRow::new("c", count(i))).collect()
        };
        let tied = problem_for(&rows(&|i| (i % 3 + 1) as f64), None).unwrap();
        assert_eq!(
            start_sweep(&tied, 20.0).unwrap().progress(),
            (0, SWEEP_POINTS)
        );
        let distinct = problem_for(&rows(&|i| 1.0 + i as f64), None).unwrap();
        assert_eq!(distinct.distinct_class_count(), 20_000);
        assert_eq!(
            start_sweep(&distinct, 20.0).unwrap().progress(),
            (0, MIN_SWEEP_POINTS)
        );
    }

    #[test]
    fn too_many_distinct_classes_are_not_swept() {
        let rows = |n: usize| -> Vec<ClassRow> {
            (0..n).map(|i| ClassRow::new("c", 1.0 + i as f64)).collect()
        };
        let most = problem_for(&rows(MAX_SWEEP_DISTINCT_CLASSES), None).unwrap();
        assert_eq!(sweep_refusal(&most), None);
        assert!(start_sweep(&most, 20.0).is_ok());
        let over = problem_for(&rows(MAX_SWEEP_DISTINCT_CLASSES + 1), None).unwrap();
        let refusal = "The page sweeps up to 32768 distinct counts along γ itself; these classes have 32769, and a worker traces their curves.";
        assert_eq!(sweep_refusal(&over).as_deref(), Some(refusal));
        assert_eq!(start_sweep(&over, 20.0).err().as_deref(), Some(refusal));
        // Ties do not count: a million classes of three counts are swept.
        let tied: Vec<ClassRow> = (0..1_000_000)
            .map(|i| ClassRow::new("c", (i % 3 + 1) as f64))
            .collect();
        assert_eq!(sweep_refusal(&problem_for(&tied, None).unwrap()), None);
    }

    #[test]
    fn warm_started_solution_equals_a_fresh_one() {
        let problem = problem_for(&default_classes(), None).unwrap();
        let sweep = sweep_for(&problem, 20.0);
        assert_eq!(sweep.solutions().len(), crate::state::config::SWEEP_POINTS);
        let warm = solve_at(&problem, Some(&sweep), None, 3.3).unwrap();
        let fresh = problem.solve(3.3).unwrap();
        assert!((warm.q(1) / fresh.q(1) - 1.0).abs() < 1e-13);
        // From the solution shown before, with or without a sweep.
        let previous = problem.solve(3.2).unwrap();
        for sweep in [None, Some(&sweep)] {
            let next = solve_at(&problem, sweep, Some(&previous), 3.3).unwrap();
            assert!((next.q(1) / fresh.q(1) - 1.0).abs() < 1e-13);
        }
        // A sweep or a solution of another problem is not used.
        let other = problem_for(&[ClassRow::new("a", 1.0), ClassRow::new("b", 3.0)], None).unwrap();
        let solution = solve_at(&other, Some(&sweep), Some(&previous), 3.3).unwrap();
        assert!((solution.p(1) - 0.75).abs() < 1e-15);
        assert_eq!(solution.q(1), other.solve(3.3).unwrap().q(1));
    }

    #[test]
    fn invalid_classes_are_messages() {
        let error = problem_for(&[ClassRow::new("a", -1.0)], None).unwrap_err();
        assert_eq!(
            error,
            "the count of class 1 is -1; counts must be finite numbers ≥ 0"
        );
        let many = vec![ClassRow::new("x", 1.0); MAX_PAGE_CLASSES + 1];
        assert_eq!(
            problem_for(&many, None).unwrap_err(),
            "1000001 classes is more than the supported maximum of 1000000"
        );
    }

    #[test]
    fn series_are_in_the_chosen_unit() {
        let problem = problem_for(&default_classes(), None).unwrap();
        let sweep = sweep_for(&problem, 10.0);
        let curves = EntropyAlongGamma::new(&sweep).unwrap();
        let (gammas, shannon_bits, _) = curves.in_units(Units::Bits);
        assert_eq!(gammas[0], 0.0);
        assert!((shannon_bits[0] - problem.shannon_p() / 2f64.ln()).abs() < 1e-15);
    }
}
