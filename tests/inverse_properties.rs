//! Property tests of the inverse transform: Q* of random long tails (Zipf,
//! exponential, step, Dirichlet, mixtures; γ from 0 to 100; with and without
//! α) is turned back into P to 1e-12, relative, for every class.
#![cfg(not(target_arch = "wasm32"))]

use focal_entropy_explorer::core::{invert, FocalProblem};
use proptest::prelude::*;

mod common;
use common::{case, gamma};

/// The largest relative error of the recovered P over the present classes.
fn round_trip_error(counts: &[f64], alpha: Option<&[f64]>, gamma: f64) -> f64 {
    let problem = FocalProblem::new(counts, alpha).unwrap();
    let solution = problem.solve(gamma).unwrap();
    let back = invert(&solution.q_all(), gamma, alpha).unwrap();
    assert!(
        !back.renormalised,
        "a solver's Q* sums to 1 within rounding"
    );
    (0..counts.len())
        .map(|class| match solution.p(class) {
            0.0 => {
                assert_eq!(back.p[class], 0.0);
                0.0
            }
            p => (back.p[class] / p - 1.0).abs(),
        })
        .fold(0.0, f64::max)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn inverting_the_minimiser_gives_back_the_data((counts, alpha) in case(1000), gamma in gamma()) {
        let error = round_trip_error(&counts, alpha.as_deref(), gamma);
        prop_assert!(error < 1e-12, "relative error {:e}", error);
    }
}

#[test]
fn extreme_heads_and_tails_round_trip() {
    for (counts, gamma) in [
        (vec![999_999.0, 1.0], 50.0),
        (vec![1e9, 1.0, 1.0], 3.0),
        (vec![0.3, 0.0875, 0.0875, 0.0875, 1e-6], 100.0),
        (vec![1.0, 1e12], 0.2),
        (vec![5.0, 0.0, 3.0], 1e-9),
    ] {
        let error = round_trip_error(&counts, None, gamma);
        assert!(error < 1e-12, "{counts:?} γ={gamma}: {error:e}");
    }
}
