//! The focal loss and its gradient, evaluated at a probability given by its logit.
//!
//! With `q = σ(t)` the loss is `ℓ_γ(q) = −(1 − q)^γ ln q`, its negative derivative is
//! `G(q) = (1 − q)^(γ−1)·((1 − q)/q − γ ln q)` and the reshaping map is `h(q) = q·G(q)`.
//! Everything is computed in logarithms so that `(1 − q)^γ` never underflows and
//! `ln h` is accurate to a few ulps even when γ is tiny and `h` is close to 1.

use super::numerics::LogitPoint;

/// The focal loss `ℓ_γ(q) = −(1 − q)^γ ln q` in nats.
#[inline(always)]
pub fn focal_loss(gamma: f64, point: &LogitPoint) -> f64 {
    if gamma == 0.0 {
        point.neg_ln_q
    } else {
        (-gamma * point.neg_ln_one_minus_q).exp() * point.neg_ln_q
    }
}

/// `ln h(q) = ln(q·G(q)) = −γ·softplus(t) + ln(1 + γ·r)`.
///
/// A class with probability `p` is amplified by the focal minimiser exactly when
/// `h(p)` exceeds the Lagrange multiplier μ.
#[inline(always)]
pub fn ln_reshaping_map(gamma: f64, point: &LogitPoint) -> f64 {
    -gamma * point.neg_ln_one_minus_q + (gamma * point.r).ln_1p()
}

/// `ln G(q) = ln h(q) − ln q`, the log of the negative loss gradient.
pub fn ln_gradient(gamma: f64, point: &LogitPoint) -> f64 {
    ln_reshaping_map(gamma, point) + point.neg_ln_q
}

/// `d ln G(σ(t)) / dt = −(γ − 1)·q − (1 + γq)/(1 + γr)`, always negative for `q < 1`.
#[inline(always)]
pub fn ln_gradient_slope(gamma: f64, point: &LogitPoint) -> f64 {
    -(gamma - 1.0) * point.q - (1.0 + gamma * point.q) / (1.0 + gamma * point.r)
}

/// `d² ln G(σ(t)) / dt²`, by differentiating [`ln_gradient_slope`] with
/// `dq/dt = q(1 − q)` and `dr/dt = r − q`: algebraic in what the point holds,
/// so the solver's third-order steps cost no transcendental.
#[inline(always)]
pub fn ln_gradient_curvature(gamma: f64, point: &LogitPoint) -> f64 {
    let share_slope = point.q * point.one_minus_q;
    let focus = 1.0 + gamma * point.r;
    -(gamma - 1.0) * share_slope
        - gamma * (share_slope * focus - (1.0 + gamma * point.q) * (point.r - point.q))
            / (focus * focus)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient_direct(gamma: f64, q: f64) -> f64 {
        (1.0 - q).powf(gamma) / q - gamma * (1.0 - q).powf(gamma - 1.0) * q.ln()
    }

    #[test]
    fn gradient_matches_direct_formula() {
        for gamma in [0.0, 0.5, 1.0, 2.0, 7.5] {
            for q in [1e-6f64, 0.01, 0.3, 0.5, 0.9] {
                let t = (q / (1.0 - q)).ln();
                let point = LogitPoint::at(t);
                let ours = ln_gradient(gamma, &point).exp();
                let direct = gradient_direct(gamma, q);
                assert!((ours / direct - 1.0).abs() < 1e-12, "γ={gamma} q={q}");
            }
        }
    }

    #[test]
    fn gradient_is_minus_the_loss_derivative() {
        let gamma = 2.5;
        let q: f64 = 0.2;
        let step = 1e-6;
        let loss = |x: f64| -(1.0 - x).powf(gamma) * x.ln();
        let numeric = -(loss(q + step) - loss(q - step)) / (2.0 * step);
        let point = LogitPoint::at((q / (1.0 - q)).ln());
        assert!((ln_gradient(gamma, &point).exp() / numeric - 1.0).abs() < 1e-8);
    }

    #[test]
    fn curvature_matches_finite_difference_of_the_slope() {
        for gamma in [0.0, 0.3, 1.0, 4.0, 60.0] {
            for t in [-30.0, -3.0, -0.2, 0.0, 2.0, 25.0] {
                let h = 1e-5;
                let numeric = (ln_gradient_slope(gamma, &LogitPoint::at(t + h))
                    - ln_gradient_slope(gamma, &LogitPoint::at(t - h)))
                    / (2.0 * h);
                let analytic = ln_gradient_curvature(gamma, &LogitPoint::at(t));
                assert!(
                    (numeric - analytic).abs() < 1e-7 * analytic.abs().max(1.0),
                    "γ={gamma} t={t}: {numeric} vs {analytic}"
                );
            }
        }
        // At γ = 0, ln G = −ln q: its slope is −(1 − q), its curvature q(1 − q).
        let point = LogitPoint::at(-1.3);
        assert!((ln_gradient_curvature(0.0, &point) - point.q * point.one_minus_q).abs() < 1e-16);
    }

    #[test]
    fn slope_matches_finite_difference() {
        for gamma in [0.3, 1.0, 4.0, 60.0] {
            for t in [-30.0, -3.0, 0.0, 2.0, 25.0] {
                let h = 1e-5;
                let numeric = (ln_gradient(gamma, &LogitPoint::at(t + h))
                    - ln_gradient(gamma, &LogitPoint::at(t - h)))
                    / (2.0 * h);
                let analytic = ln_gradient_slope(gamma, &LogitPoint::at(t));
                assert!(
                    (numeric - analytic).abs() < 1e-6 * analytic.abs().max(1.0),
                    "γ={gamma} t={t}"
                );
            }
        }
    }

    #[test]
    fn reshaping_map_limits() {
        // h(0+) = 1 for every γ, h(1) = 0, and h ≡ 1 at γ = 0.
        let tiny = LogitPoint::at(-60.0);
        assert!((ln_reshaping_map(3.0, &tiny)).abs() < 1e-20);
        assert!(ln_reshaping_map(3.0, &LogitPoint::at(40.0)) < -100.0);
        assert_eq!(ln_reshaping_map(0.0, &LogitPoint::at(1.3)), 0.0);
    }

    #[test]
    fn loss_is_cross_entropy_at_gamma_zero() {
        let point = LogitPoint::at(-1.0);
        assert!((focal_loss(0.0, &point) + point.q.ln()).abs() < 1e-15);
        let q = point.q;
        assert!((focal_loss(2.0, &point) - (-(1.0 - q).powi(2) * q.ln())).abs() < 1e-15);
    }
}
