//! Exact values of the focal-entropy minimiser, checked against a reference
//! computed independently inside this file by plain nested bisection on the
//! textbook formulas, and against 40-digit values for 99 : 1 at γ = 2.
#![cfg(not(target_arch = "wasm32"))]

use focal_entropy_explorer::core::{
    gamma_grid, reshaping_map, solve, track_class, FocalProblem, Regime,
};

/// G(q) = (1−q)^γ/q − γ(1−q)^(γ−1) ln q, straight from the definition.
fn gradient(gamma: f64, q: f64) -> f64 {
    (1.0 - q).powf(gamma) / q - gamma * (1.0 - q).powf(gamma - 1.0) * q.ln()
}

/// q with G(q) = target by bisection on (0, 1).
fn invert_gradient(gamma: f64, target: f64) -> f64 {
    let (mut low, mut high) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if gradient(gamma, mid) > target {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// Q* and μ by bisection on ln μ; only for moderate inputs.
fn reference(counts: &[f64], gamma: f64) -> (Vec<f64>, f64) {
    let total: f64 = counts.iter().sum();
    let p: Vec<f64> = counts.iter().map(|c| c / total).collect();
    let q_at = |ln_mu: f64| -> Vec<f64> {
        p.iter()
            .map(|&pi| invert_gradient(gamma, ln_mu.exp() / pi))
            .collect()
    };
    let (mut low, mut high) = (-60.0f64, 60.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if q_at(mid).iter().sum::<f64>() > 1.0 {
            low = mid;
        } else {
            high = mid;
        }
    }
    let ln_mu = 0.5 * (low + high);
    (q_at(ln_mu), ln_mu.exp())
}

fn assert_close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    let error = ((actual - expected) / expected).abs();
    assert!(
        error <= tolerance,
        "{what}: {actual} vs {expected} (relative error {error:e})"
    );
}

#[test]
fn cows_and_tiger_at_gamma_two_matches_forty_digit_values() {
    let solution = solve(&[99.0, 1.0], 2.0, None).unwrap();
    // 40-digit values (mpmath bisection at 60 digits).
    assert_close(solution.q(0), 0.846_375_629_082_074_1, 1e-13, "q cows");
    assert_close(solution.q(1), 0.153_624_370_917_925_97, 1e-13, "q tiger");
    assert_close(solution.mu(), 0.078_339_457_295_470_14, 1e-13, "μ");
    assert_close(
        solution.fe_min(),
        0.017_316_023_549_091_362,
        1e-13,
        "FE(P,Q*)",
    );
    assert_close(
        solution.fe_at_p(),
        0.045_136_267_976_118_78,
        1e-13,
        "FE(P,P)",
    );
    assert_close(
        solution.shannon_q(),
        0.428_944_748_907_136_63,
        1e-13,
        "H(Q*)",
    );
    assert_eq!(solution.regime(0), Regime::Suppressed);
    assert_eq!(solution.regime(1), Regime::Amplified);
}

#[test]
fn matches_independent_bisection_on_varied_cases() {
    let cases: &[(&[f64], f64)] = &[
        (&[99.0, 1.0], 2.0),
        (&[99.0, 1.0], 0.37),
        (&[5.0, 3.0, 2.0], 1.0),
        (&[1000.0, 100.0, 10.0, 1.0], 4.5),
        (&[7.0, 7.0, 1.0], 10.0),
        (&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 0.05),
    ];
    for &(counts, gamma) in cases {
        let solution = solve(counts, gamma, None).unwrap();
        let (q, mu) = reference(counts, gamma);
        for (class, &expected) in q.iter().enumerate() {
            assert_close(
                solution.q(class),
                expected,
                1e-9,
                &format!("{counts:?} γ={gamma} q{class}"),
            );
        }
        assert_close(solution.mu(), mu, 1e-9, &format!("{counts:?} γ={gamma} μ"));
        let direct_fe: f64 = counts
            .iter()
            .enumerate()
            .map(|(i, c)| c / counts.iter().sum::<f64>() * -(1.0 - q[i]).powf(gamma) * q[i].ln())
            .sum();
        assert_close(solution.fe_min(), direct_fe, 1e-9, "FE");
    }
}

#[test]
fn geometric_long_tail_over_suppresses_the_rarest_class() {
    // 10 classes, geometric, head/tail ratio 100, at γ = 1 (the core issue's example).
    let counts: Vec<f64> = (0..10).map(|i| 100f64.powf(-(i as f64) / 9.0)).collect();
    let solution = solve(&counts, 1.0, None).unwrap();
    let tail = solution.ratio(9).unwrap();
    assert!((tail - 0.960_267).abs() < 1e-6, "tail q/p = {tail}");
    let middle = solution.ratio(2).unwrap();
    assert!((middle - 1.070_06).abs() < 1e-5, "middle q/p = {middle}");
    assert!(solution.mu() > 1.0);
    assert_eq!(solution.regime(0), Regime::Suppressed);
    assert_eq!(solution.regime(9), Regime::OverSuppressed);
    assert_eq!(solution.over_suppressed_classes(), vec![6, 7, 8, 9]);
}

#[test]
fn extreme_imbalance_keeps_full_relative_precision() {
    // p₂ = 1e-12: the complement of the head must not be lost.
    let solution = solve(&[999_999_999_999.0, 1.0], 0.5, None).unwrap();
    let sum = solution.q(0) + solution.q(1);
    assert!((sum - 1.0).abs() <= 2e-16);
    assert!(
        solution.q(1) > 1e-12,
        "the rare class is amplified in a two-class problem"
    );
    // 60-digit reference (mpmath bisection in the logit): q₂ = 7.631428594772528e-9.
    assert_close(solution.q(1), 7.631_428_594_772_528e-9, 1e-12, "q₂");
    assert_close(
        1.0 - solution.q(0),
        7.631_428_594_772_528e-9,
        1e-7,
        "1 − q₁",
    );
}

#[test]
fn special_cases_are_exact() {
    let gamma_zero = solve(&[3.0, 1.0, 0.0], 0.0, None).unwrap();
    assert_eq!(gamma_zero.q_all(), vec![0.75, 0.25, 0.0]);
    assert_eq!(gamma_zero.mu(), 1.0);
    assert_eq!(gamma_zero.regime(2), Regime::Absent);
    assert_eq!(gamma_zero.ratio(2), None);
    assert_eq!(gamma_zero.kl_p_q(), 0.0);

    let single = solve(&[0.0, 5.0], 3.0, None).unwrap();
    assert_eq!(single.q_all(), vec![0.0, 1.0]);
    assert_eq!(single.mu(), 0.0);
    // At γ = 0 focal loss is cross-entropy, whose G(1) = 1.
    assert_eq!(solve(&[0.0, 5.0], 0.0, None).unwrap().mu(), 1.0);
    assert_eq!(single.fe_min(), 0.0);
    assert_eq!(single.regime(1), Regime::Unchanged);

    let balanced = solve(&[4.0, 4.0, 4.0, 4.0], 7.0, None).unwrap();
    for class in 0..4 {
        assert!((balanced.q(class) - 0.25).abs() < 1e-16);
        assert_eq!(balanced.regime(class), Regime::Unchanged);
    }
}

#[test]
fn alpha_weights_solve_the_reweighted_problem() {
    // α = (1, 99) on 99 : 1 is the balanced target, so Q* is uniform.
    let solution = solve(&[99.0, 1.0], 2.0, Some(&[1.0, 99.0])).unwrap();
    assert!((solution.q(0) - 0.5).abs() < 1e-12);
    assert!((solution.ratio(1).unwrap() - 50.0).abs() < 1e-9);
    // The same as solving the reweighted counts directly.
    let direct = solve(&[2.0, 3.0, 5.0], 1.5, Some(&[3.0, 1.0, 2.0])).unwrap();
    let reweighted = solve(&[6.0, 3.0, 10.0], 1.5, None).unwrap();
    for class in 0..3 {
        assert!((direct.q(class) - reweighted.q(class)).abs() < 1e-14);
    }
}

#[test]
fn sweep_tracks_the_rare_class_and_where_it_is_lifted() {
    let counts: Vec<f64> = (0..10).map(|i| 100f64.powf(-(i as f64) / 9.0)).collect();
    let problem = FocalProblem::new(&counts, None).unwrap();
    let grid = gamma_grid(10.0, 101).unwrap();
    let sweep = problem.sweep(&grid).unwrap();
    for (solution, &gamma) in sweep.solutions().iter().zip(&grid) {
        let fresh = problem.solve(gamma).unwrap();
        assert!(
            (solution.q(9) / fresh.q(9) - 1.0).abs() < 1e-12,
            "γ={gamma}"
        );
    }
    let tracked = track_class(&sweep, problem.rarest_class()).unwrap();
    assert_eq!(tracked.class, 9);
    assert_eq!(tracked.ratios.len(), 101);
    assert_eq!(tracked.ratios[0], 1.0);
    // Suppressed from γ = 0+ until a crossing, which must be a true root.
    let (start, end) = tracked.suppressed[0];
    assert_eq!(start, 0.0);
    assert!(end > 0.0 && end < 10.0);
    let at_end = problem.solve(end).unwrap().ln_ratio(9).unwrap();
    assert!(at_end.abs() < 1e-8, "ln(q/p) at the crossing = {at_end}");
    // Lifted for the rest of the sweep from that crossing on.
    assert_eq!(tracked.suppressed.len(), 1);
    assert_eq!(tracked.lifted_from(), Some(end));
    assert!(problem.solve(end + 1e-6).unwrap().ratio(9).unwrap() > 1.0);
}

#[test]
fn two_class_rare_class_is_never_suppressed() {
    let problem = FocalProblem::new(&[99.0, 1.0], None).unwrap();
    let sweep = problem.sweep(&gamma_grid(20.0, 81).unwrap()).unwrap();
    let tracked = track_class(&sweep, 1).unwrap();
    assert!(tracked.suppressed.is_empty());
    assert!(tracked.ratios[1..].iter().all(|&r| r > 1.0));
    assert_eq!(tracked.lifted_from(), Some(0.0));
}

#[test]
fn reshaping_map_explains_every_regime() {
    let counts: Vec<f64> = (0..10).map(|i| 100f64.powf(-(i as f64) / 9.0)).collect();
    let solution = solve(&counts, 2.0, None).unwrap();
    let map = reshaping_map(&solution, 200, 10);
    assert_eq!(map.curve.len(), 200);
    assert!(map.curve[0].0 <= 1e-6);
    // h(0+) = 1.
    assert!((map.curve[0].1 - 1.0).abs() < 1e-4);
    assert_eq!(map.markers.len(), 10);
    for (class, marker) in map.markers.iter().enumerate() {
        // Distinct counts, increasing weight: the rarest class first.
        assert_eq!(marker.classes, 1);
        assert_eq!(
            marker.regime,
            solution.regime(9 - class),
            "class {}",
            9 - class
        );
        assert_eq!(marker.h > map.mu, marker.regime == Regime::Amplified);
    }
}

#[test]
fn a_reshaping_map_of_many_classes_places_every_nth_the_rarest_first() {
    let counts: Vec<f64> = (0..10).map(|i| 100f64.powf(-(i as f64) / 9.0)).collect();
    let solution = solve(&counts, 2.0, None).unwrap();
    let all = reshaping_map(&solution, 200, 10);
    // Four of ten: every third by increasing weight (classes 9, 6, 3 and 0),
    // each the same marker as in the full map.
    let some = reshaping_map(&solution, 200, 4);
    assert_eq!(
        some.markers,
        [
            all.markers[0],
            all.markers[3],
            all.markers[6],
            all.markers[9]
        ]
    );
    assert_eq!(some.markers[0].p, solution.p(9));
    assert_eq!(some.curve, all.curve);
    assert_eq!(some.mu, all.mu);
    // Asked for none, a map still places the rarest class.
    assert_eq!(reshaping_map(&solution, 200, 0).markers, [all.markers[0]]);
}
