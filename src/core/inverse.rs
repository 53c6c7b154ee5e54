//! The optimality condition read backwards: from a focal-trained model's
//! output Q back to the class posterior P for which Q is the focal minimiser.
//!
//! At the minimiser `w_i·G(q_i) = μ` for every class, with `w = α·p/Σα·p`
//! (`w = p` without α). So `w_i ∝ 1/G(q_i)` and `p_i ∝ 1/(α_i·G(q_i))`: the
//! closed-form transformation of Charoenphakdee, Vongkulbhisal, Chairatanakul
//! and Sugiyama (CVPR 2021) that turns focal-loss outputs, which are not
//! class-posterior probabilities, into ones. It is computed in logarithms with
//! the same `ln G` as the solver, accurate for `q` near 0 and near 1, and
//! normalised by a compensated log-sum-exp.

use super::error::{validate_gamma, FocalError, MAX_CLASSES};
use super::focal::ln_gradient;
use super::numerics::{compensated_sum, LogitPoint};
use super::problem::validate_alpha;

/// How far from 1 a row may sum and still be renormalised (and said so).
pub const SUM_TOLERANCE: f64 = 1e-6;

/// The posterior recovered from one row of model outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Inversion {
    /// The class posterior P, one probability per class, summing to 1.
    pub p: Vec<f64>,
    /// Whether the row summed to 1 only within [`SUM_TOLERANCE`] (beyond
    /// rounding) and was divided by its sum first.
    pub renormalised: bool,
}

/// Checks one row of outputs, given as its distinct entries each held by
/// `multiplicity` classes: finite numbers in `[0, 1]` with a positive sum
/// within [`SUM_TOLERANCE`] of 1. Returns the sum.
fn checked_sum(q: &[f64], multiplicity: &dyn Fn(usize) -> f64) -> Result<f64, FocalError> {
    if q.is_empty() {
        return Err(FocalError::NoClasses);
    }
    if q.len() > MAX_CLASSES {
        return Err(FocalError::TooManyClasses { given: q.len() });
    }
    if let Some((index, &value)) = q
        .iter()
        .enumerate()
        .find(|(_, v)| !(v.is_finite() && (0.0..=1.0).contains(*v)))
    {
        return Err(FocalError::InvalidProbability { index, value });
    }
    let sum = compensated_sum(q.iter().enumerate().map(|(i, &v)| multiplicity(i) * v));
    if sum == 0.0 {
        return Err(FocalError::AllZero);
    }
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        return Err(FocalError::NotADistribution { sum });
    }
    Ok(sum)
}

/// The class posterior P for which the row `q` of model outputs is the focal
/// minimiser at γ (with α weights, of the α-balanced focal loss). A class
/// with `q = 0` gets `p = 0`; a row that sums to 1 within [`SUM_TOLERANCE`]
/// is renormalised first.
pub fn invert(q: &[f64], gamma: f64, alpha: Option<&[f64]>) -> Result<Inversion, FocalError> {
    if let Some(alpha) = alpha {
        validate_alpha(alpha, q.len())?;
    }
    invert_row(q, &|_| 1.0, gamma, alpha)
}

/// [`invert`] of a row given by its distinct entries: `q[i]` is held by
/// `multiplicity[i]` classes, each with the weight `alpha[i]`; P is returned
/// per distinct entry. A million tied classes are inverted at the cost of
/// their distinct values.
pub fn invert_distinct(
    q: &[f64],
    multiplicity: &[usize],
    gamma: f64,
    alpha: Option<&[f64]>,
) -> Result<Inversion, FocalError> {
    if let Some(alpha) = alpha {
        validate_alpha(alpha, q.len())?;
    }
    if multiplicity.len() != q.len() {
        return Err(FocalError::MultiplicityLength {
            given: multiplicity.len(),
            expected: q.len(),
        });
    }
    invert_row(q, &|i| multiplicity[i] as f64, gamma, alpha)
}

/// [`invert_distinct`] after the weights are checked.
fn invert_row(
    q: &[f64],
    multiplicity: &dyn Fn(usize) -> f64,
    gamma: f64,
    alpha: Option<&[f64]>,
) -> Result<Inversion, FocalError> {
    let gamma = validate_gamma(gamma)?;
    let sum = checked_sum(q, multiplicity)?;
    let classes: f64 = (0..q.len()).map(multiplicity).sum();
    // Beyond rounding: a few ulps per term.
    let renormalised = (sum - 1.0).abs() > 4.0 * f64::EPSILON * classes;
    let scale = if renormalised { sum } else { 1.0 };
    // The head's complement from the rest of the row (a share above ½ is
    // held by one class).
    let head = q.iter().position(|&v| v / scale > 0.5);
    let head_complement = head.map(|h| {
        compensated_sum(
            q.iter()
                .enumerate()
                .filter(|&(c, _)| c != h)
                .map(|(c, &v)| multiplicity(c) * v),
        ) / scale
    });
    // ln(1/(α·G(q))) for every present class; an only class takes everything.
    let present: f64 = (0..q.len()).filter(|&i| q[i] > 0.0).map(multiplicity).sum();
    let ln_weights: Vec<Option<f64>> = q
        .iter()
        .enumerate()
        .map(|(class, &value)| {
            (value > 0.0).then(|| {
                if present == 1.0 {
                    return 0.0;
                }
                let ln_alpha = alpha.map_or(0.0, |a| a[class].ln());
                let share = value / scale;
                let complement = match (head, head_complement) {
                    (Some(h), Some(rest)) if h == class => rest,
                    _ => 1.0 - share,
                };
                // For the head of a row (the one class above ½) `1 − q` is the
                // sum of the other entries: full relative precision where the
                // f64 `q` itself has rounded close to 1.
                -ln_gradient(gamma, &LogitPoint::from_parts(share, complement)) - ln_alpha
            })
        })
        .collect();
    let largest = ln_weights
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let total = compensated_sum(
        ln_weights
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.map(|w| multiplicity(i) * (w - largest).exp())),
    );
    let p = ln_weights
        .iter()
        .map(|w| w.map_or(0.0, |w| (w - largest).exp() / total))
        .collect();
    Ok(Inversion { p, renormalised })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::solve;

    #[test]
    fn two_classes_match_the_closed_form() {
        // p₁/p₂ = G(q₂)/G(q₁) with G(q) = (1−q)^(γ−1)·((1−q)/q − γ ln q).
        let g = |gamma: f64, q: f64| (1.0 - q).powf(gamma - 1.0) * ((1.0 - q) / q - gamma * q.ln());
        for gamma in [0.0, 0.5, 1.0, 2.0, 5.0] {
            for q1 in [0.05, 0.3, 0.5, 0.8, 0.97] {
                let q = [q1, 1.0 - q1];
                let p = invert(&q, gamma, None).unwrap().p;
                let ratio = g(gamma, q[1]) / g(gamma, q[0]);
                let expected = ratio / (1.0 + ratio);
                assert!((p[0] / expected - 1.0).abs() < 1e-13, "γ={gamma} q={q1}");
                assert!((p[0] + p[1] - 1.0).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn cross_entropy_outputs_are_already_posteriors() {
        let q = [0.7, 0.2, 0.1];
        let p = invert(&q, 0.0, None).unwrap().p;
        for (a, b) in p.iter().zip(q) {
            assert!((a - b).abs() < 1e-16);
        }
    }

    #[test]
    fn undoes_the_solver() {
        let counts = [99.0, 1.0];
        let solution = solve(&counts, 2.0, None).unwrap();
        let back = invert(&solution.q_all(), 2.0, None).unwrap();
        assert!(!back.renormalised);
        assert!((back.p[0] / 0.99 - 1.0).abs() < 1e-14);
        assert!((back.p[1] / 0.01 - 1.0).abs() < 1e-13);
    }

    #[test]
    fn focal_outputs_are_under_confident_and_inversion_sharpens_them() {
        // A focal-trained model's 0.8 for the top class means more than 0.8.
        let p = invert(&[0.8, 0.15, 0.05], 2.0, None).unwrap().p;
        assert!(p[0] > 0.8 && p[2] < 0.05, "{p:?}");
    }

    #[test]
    fn rows_that_are_not_distributions_are_refused_and_near_ones_renormalised() {
        assert_eq!(
            invert(&[0.5, 0.4], 2.0, None).unwrap_err(),
            FocalError::NotADistribution { sum: 0.9 }
        );
        assert_eq!(
            invert(&[0.5, -0.1, 0.6], 2.0, None)
                .unwrap_err()
                .to_string(),
            "probability 2 is -0.1; probabilities must be numbers from 0 to 1"
        );
        assert!(matches!(
            invert(&[0.5, f64::NAN], 2.0, None),
            Err(FocalError::InvalidProbability { index: 1, .. })
        ));
        assert_eq!(invert(&[], 2.0, None).unwrap_err(), FocalError::NoClasses);
        assert_eq!(
            invert(&[0.0, 0.0], 2.0, None).unwrap_err(),
            FocalError::AllZero
        );
        let near = invert(&[0.7, 0.3000004], 2.0, None).unwrap();
        assert!(near.renormalised);
        assert!((near.p.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        let exact = invert(&[0.7, 0.3], 2.0, None).unwrap();
        assert!(!exact.renormalised, "rounding is not renormalisation");
        assert_eq!(
            invert(&[0.0, 1.0, 0.0], 3.0, None).unwrap().p,
            vec![0.0, 1.0, 0.0]
        );
        assert!(matches!(
            invert(&[0.5, 0.5], 101.0, None),
            Err(FocalError::InvalidGamma { .. })
        ));
        assert!(matches!(
            invert(&[0.5, 0.5], 1.0, Some(&[1.0])),
            Err(FocalError::AlphaLength { .. })
        ));
    }
}
