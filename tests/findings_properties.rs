//! Property tests of the findings and the sentences rendered from them, on
//! random long tails (Zipf, exponential, step, Dirichlet and mixtures of
//! these), K from 2 to 2000, γ from 0 to 100, with and without α. Each finding
//! is checked against the solver's own numbers, recomputed here directly, and
//! each sentence against the direction its finding holds.
#![cfg(not(target_arch = "wasm32"))]

use focal_entropy_explorer::core::{gamma_grid, FocalProblem, Solution};
use focal_entropy_explorer::state::config::{ClassLabels, Units};
use focal_entropy_explorer::state::findings::{
    AlongGamma, AtGamma, Direction, Lift, NAMED_CLASSES,
};
use focal_entropy_explorer::state::narrative::{
    entropy_sentence, movement_sentence, ranges_sentence, rare_mass_sentence,
};
use proptest::prelude::*;

mod common;
use common::{case, gamma};

/// Classes whose `q*/p` is above (`gain`) or below 1.
fn classes_where(solution: &Solution, gain: bool) -> Vec<usize> {
    (0..solution.problem().class_count())
        .filter(|&c| match solution.ln_ratio(c) {
            Some(r) if gain => r > 0.0,
            Some(r) => r < 0.0,
            None => false,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn findings_at_gamma_match_the_solver((counts, alpha) in case(2000), gamma in gamma()) {
        let problem = FocalProblem::new(&counts, alpha.as_deref()).unwrap();
        let solution = problem.solve(gamma).unwrap();
        let at = AtGamma::new(&solution);
        let k = problem.positive_class_count();

        // ΔH and its sign.
        let delta = solution.shannon_q() - solution.shannon_p();
        prop_assert_eq!(at.entropy.delta, delta);
        let sentence = entropy_sentence(&at, None, Units::Nats);
        prop_assert_eq!(sentence.contains(" below H(P)"), delta < 0.0, "{}", sentence);
        prop_assert_eq!(sentence.contains(" above H(P)"), delta > 0.0, "{}", sentence);
        prop_assert_eq!(sentence.contains("more peaked"), delta < 0.0);
        prop_assert_eq!(sentence.contains("flatter"), delta > 0.0);

        // Gainers and losers are exactly the classes the solver moved: their
        // numbers, and the first of them in input order.
        let gainers = classes_where(&solution, true);
        let losers = classes_where(&solution, false);
        let movement = &at.movement;
        let top_gainer = gainers.iter().map(|&c| solution.p(c)).fold(0.0, f64::max);
        let (head, tail): (Vec<usize>, Vec<usize>) =
            losers.iter().partition(|&&c| solution.p(c) >= top_gainer);
        // Frequency ranks, one plus the present classes more frequent.
        let mut p_descending: Vec<f64> = (0..counts.len()).map(|c| solution.p(c)).filter(|&p| p > 0.0).collect();
        p_descending.sort_by(|a, b| b.total_cmp(a));
        let rank = |c: usize| 1 + p_descending.partition_point(|&p| p > solution.p(c));
        for (shift, reference) in [(&movement.gainers, &gainers), (&movement.head_losers, &head), (&movement.tail_losers, &tail)] {
            let (count, first) = shift.as_ref().map_or((0, Vec::new()), |s| (s.count, s.first_classes.clone()));
            prop_assert_eq!(count, reference.len());
            prop_assert_eq!(&first[..], &reference[..reference.len().min(NAMED_CLASSES)]);
            // Their span of ranks, and whether it holds no other present class.
            if let Some(shift) = shift {
                let ranks: Vec<usize> = reference.iter().map(|&c| rank(c)).collect();
                let span = (*ranks.iter().min().unwrap(), *ranks.iter().max().unwrap());
                prop_assert_eq!(shift.ranks, span);
                let within = (0..counts.len())
                    .filter(|&c| solution.p(c) > 0.0 && (span.0..=span.1).contains(&rank(c)))
                    .count();
                prop_assert_eq!(shift.contiguous, within == reference.len(), "{:?}", span);
            }
        }
        if let Some(g) = &movement.gainers {
            prop_assert!(g.ratio_low > 1.0 && g.mass_q > g.mass_p);
            prop_assert_eq!(g.count, gainers.len());
        }
        for shift in [&movement.head_losers, &movement.tail_losers].into_iter().flatten() {
            prop_assert!(shift.ratio_high < 1.0 && shift.mass_q < shift.mass_p);
        }
        let labels: ClassLabels = (1..=counts.len()).map(|i| format!("c{i}")).collect();
        let text = movement_sentence(&at, &labels);
        prop_assert_eq!(text.contains(" gain"), !gainers.is_empty(), "{}", text);
        prop_assert_eq!(text.contains(" lose"), !losers.is_empty(), "{}", text);

        // The rare classes' mass, recomputed.
        let rare: Vec<usize> = (0..counts.len())
            .filter(|&c| solution.p(c) > 0.0 && solution.p(c) < 1.0 / k as f64)
            .collect();
        let mass_p: f64 = rare.iter().map(|&c| solution.p(c)).sum();
        let mass_q: f64 = rare.iter().map(|&c| solution.q(c)).sum();
        prop_assert_eq!(at.rare_mass.classes, rare.len());
        prop_assert!((at.rare_mass.mass_p - mass_p).abs() <= 1e-12);
        prop_assert!((at.rare_mass.mass_q - mass_q).abs() <= 1e-12);
        let verdict = rare_mass_sentence(&at);
        let direction = at.rare_mass.direction;
        prop_assert_eq!(direction, Direction::of(at.rare_mass.mass_p, at.rare_mass.mass_q));
        prop_assert_eq!(verdict.contains("toward the rare"), direction == Direction::Toward && !rare.is_empty(), "{}", verdict);
        prop_assert_eq!(verdict.contains("away from the rare"), direction == Direction::Away && !rare.is_empty(), "{}", verdict);
        prop_assert_eq!(verdict.contains("With α weights"), problem.alpha().is_some() && !rare.is_empty());
    }
}

/// Whether some class is over-suppressed at γ.
fn over_suppressed_at(problem: &FocalProblem, gamma: f64) -> bool {
    !problem
        .solve(gamma)
        .unwrap()
        .over_suppressed_classes()
        .is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn ranges_along_gamma_are_exact((counts, alpha) in case(400), gamma_max in 1.0f64..100.0) {
        let problem = FocalProblem::new(&counts, alpha.as_deref()).unwrap();
        let sweep = problem.sweep(&gamma_grid(gamma_max, 48).unwrap()).unwrap();
        let along = AlongGamma::new(&sweep).unwrap();
        let rarest = problem.rarest_class();
        prop_assert_eq!(along.rarest, rarest);
        let ratio_at = |g: f64| problem.solve(g).unwrap().ratio(rarest).unwrap();
        // A root of q*/p = 1 to the ends' tolerance of 1e-9 in γ: the ratio
        // reads 1 there, or crosses 1 within 1e-9 either side (where it is
        // steep, near γ = 0, 1e-9 in γ moves it by more than 1e-9).
        let ratio_root = |g: f64| {
            (ratio_at(g) - 1.0).abs() < 1e-9
                || (ratio_at(g - 1e-9) - 1.0) * (ratio_at(g + 1e-9) - 1.0) <= 0.0
        };
        let interior = |ranges: &[(f64, f64)]| -> Vec<f64> {
            ranges
                .iter()
                .flat_map(|&(from, to)| [from, to])
                .filter(|&g| g > 0.0 && g < gamma_max)
                .collect()
        };
        for ranges in [&along.over_suppression, &along.rarest_suppressed, &along.entropy_below] {
            for pair in ranges.windows(2) {
                prop_assert!(pair[0].1 < pair[1].0, "ranges ordered and apart: {:?}", ranges);
            }
            for &(from, to) in ranges.iter() {
                prop_assert!(0.0 <= from && from < to && to <= gamma_max);
            }
        }
        // Every interior end of the rarest class's ranges is a root of q*/p = 1.
        for end in interior(&along.rarest_suppressed) {
            prop_assert!(ratio_root(end), "q*/p = {} at γ = {}", ratio_at(end), end);
        }
        if problem.alpha().is_none() {
            prop_assert_eq!(&along.over_suppression, &along.rarest_suppressed);
        } else {
            // With α an end is a root of the rarest class's ratio or the
            // point where another class starts or stops being over-suppressed.
            for end in interior(&along.over_suppression) {
                let root = ratio_root(end);
                let flips = over_suppressed_at(&problem, end - 1e-7) != over_suppressed_at(&problem, end + 1e-7);
                prop_assert!(root || flips, "γ = {} is neither", end);
            }
        }
        // Interior ends of the entropy ranges are roots of ΔH.
        for end in interior(&along.entropy_below) {
            let at = problem.solve(end).unwrap();
            let delta = at.shannon_q() - at.shannon_p();
            prop_assert!(delta.abs() < 1e-9 * (1.0 + at.shannon_p()), "ΔH = {} at γ = {}", delta, end);
        }
        // At every grid point clear of an end, the ranges say what the solver says.
        let clear = |g: f64, ranges: &[(f64, f64)]| ranges.iter().all(|&(a, b)| (g - a).abs() > 1e-6 && (g - b).abs() > 1e-6);
        let inside = |g: f64, ranges: &[(f64, f64)]| ranges.iter().any(|&(a, b)| a <= g && g <= b);
        for solution in sweep.solutions().iter().filter(|s| s.gamma() > 0.0) {
            let g = solution.gamma();
            if clear(g, &along.over_suppression) {
                prop_assert_eq!(inside(g, &along.over_suppression), !solution.over_suppressed_classes().is_empty(), "γ = {}", g);
            }
            if clear(g, &along.entropy_below) {
                prop_assert_eq!(inside(g, &along.entropy_below), solution.shannon_q() < solution.shannon_p(), "γ = {}", g);
            }
        }
        // The lift agrees with the ranges and the solver.
        match along.lift {
            Lift::From { from } => {
                prop_assert!(ratio_at(gamma_max) > 1.0);
                if from > 0.0 {
                    prop_assert_eq!(along.rarest_suppressed.last().map(|r| r.1), Some(from));
                    prop_assert!(ratio_at((from + gamma_max) / 2.0) > 1.0);
                } else {
                    prop_assert!(along.rarest_suppressed.is_empty());
                }
            }
            Lift::Beyond { from } => {
                prop_assert!(ratio_at(gamma_max) < 1.0);
                prop_assert!(from > gamma_max && from < 100.0);
                prop_assert!((ratio_at(from) - 1.0).abs() < 1e-9);
                prop_assert!(ratio_at((from + 100.0) / 2.0) > 1.0);
            }
            Lift::NotBy100 => prop_assert!(ratio_at(100.0) <= 1.0),
            Lift::Unmoved => prop_assert!(along.rarest_suppressed.is_empty()),
        }
        // The sentence lists the ranges it was given and no other story.
        let labels: ClassLabels = (1..=counts.len()).map(|i| format!("c{i}")).collect();
        let text = ranges_sentence(&along, &labels);
        prop_assert_eq!(text.starts_with("No class is over-suppressed"), along.over_suppression.is_empty(), "{}", text);
    }
}
