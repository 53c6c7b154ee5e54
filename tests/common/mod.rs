//! Random class profiles shared by the property tests: the long tails people
//! meet in practice (Zipf, exponential, step, Dirichlet) and mixtures of them,
//! with and without α weights.
#![allow(dead_code)]

use proptest::prelude::*;

/// A long-tailed profile of `k` classes: the shapes people meet in practice.
pub fn shape(k: usize) -> impl Strategy<Value = Vec<f64>> {
    let exponential = (1.0f64..1e5).prop_map(move |ratio| {
        (0..k)
            .map(|i| 1000.0 * ratio.powf(-(i as f64) / (k - 1) as f64))
            .collect::<Vec<_>>()
    });
    let zipf = (0.3f64..2.5).prop_map(move |s| {
        (1..=k)
            .map(|i| 1000.0 / (i as f64).powf(s))
            .collect::<Vec<_>>()
    });
    let step = (1..k, 1.0f64..1e4).prop_map(move |(minority, ratio)| {
        (0..k)
            .map(|i| {
                if i < k - minority {
                    1000.0
                } else {
                    1000.0 / ratio
                }
            })
            .collect::<Vec<_>>()
    });
    // Dirichlet(1): normalised exponential variates.
    let dirichlet = prop::collection::vec(1e-9f64..1.0, k)
        .prop_map(|u| u.into_iter().map(|x| -x.ln()).collect::<Vec<_>>());
    prop_oneof![exponential, zipf, step, dirichlet]
}

/// A profile, or a mixture of two (a scaled second shape appended).
pub fn profile(max_classes: usize) -> impl Strategy<Value = Vec<f64>> {
    let single = (2..=max_classes).prop_flat_map(shape);
    let half = (max_classes / 2).max(2);
    let mixture = (
        (2..=half).prop_flat_map(shape),
        (2..=half).prop_flat_map(shape),
        1e-3f64..1.0,
    )
        .prop_map(|(mut first, second, scale)| {
            first.extend(second.into_iter().map(|c| c * scale));
            first
        });
    prop_oneof![3 => single, 1 => mixture]
}

/// Optional α weights for `k` classes.
pub fn alpha_for(k: usize) -> impl Strategy<Value = Option<Vec<f64>>> {
    prop_oneof![
        Just(None),
        prop::collection::vec(0.05f64..20.0, k).prop_map(Some),
    ]
}

/// Counts with optional α weights: none, random ones, or inverse-frequency
/// ones, `(1 + count)^−power`, which keep p's order strictly (power < 1), as
/// the page's α buttons keep it on distinct counts.
pub fn case(max_classes: usize) -> impl Strategy<Value = (Vec<f64>, Option<Vec<f64>>)> {
    profile(max_classes).prop_flat_map(|counts| {
        let k = counts.len();
        let of_counts = counts.clone();
        let inverse_frequency = (0.05f64..1.0).prop_map(move |power| {
            Some(of_counts.iter().map(|c| (1.0 + c).powf(-power)).collect())
        });
        (
            Just(counts),
            prop_oneof![2 => alpha_for(k), 1 => inverse_frequency],
        )
    })
}

/// γ from 0 to 100, with γ = 0 itself.
pub fn gamma() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), 0.0f64..5.0, 5.0f64..100.0]
}
