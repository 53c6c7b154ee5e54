//! Careful floating-point building blocks: compensated sums and the logistic
//! functions evaluated in the logit domain so that both `q` and `1 − q` keep full
//! relative precision, however close `q` is to 0 or 1.

/// Running sum with Neumaier's compensation: the error does not grow with the
/// number of terms, which matters for sums over up to a million classes.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    /// Adds one term.
    #[inline(always)]
    pub fn add(&mut self, term: f64) {
        let total = self.sum + term;
        if self.sum.abs() >= term.abs() {
            self.compensation += (self.sum - total) + term;
        } else {
            self.compensation += (term - total) + self.sum;
        }
        self.sum = total;
    }

    /// The compensated value of the sum so far.
    pub fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

impl FromIterator<f64> for CompensatedSum {
    fn from_iter<I: IntoIterator<Item = f64>>(terms: I) -> Self {
        let mut sum = CompensatedSum::default();
        for term in terms {
            sum.add(term);
        }
        sum
    }
}

/// Compensated sum of an iterator of terms.
pub fn compensated_sum<I: IntoIterator<Item = f64>>(terms: I) -> f64 {
    terms.into_iter().collect::<CompensatedSum>().value()
}

/// A probability given by its logit `t = ln(q / (1 − q))`, with the quantities the
/// focal-loss formulas need, each computed without cancellation.
#[derive(Debug, Clone, Copy)]
pub struct LogitPoint {
    /// The logit `t`.
    pub logit: f64,
    /// The probability `q = σ(t)`.
    pub q: f64,
    /// Its complement `1 − q = σ(−t)`, accurate even when `q` rounds to 1.
    pub one_minus_q: f64,
    /// `−ln(1 − q) = softplus(t)`.
    pub neg_ln_one_minus_q: f64,
    /// `−ln q = softplus(−t)`, the cross-entropy loss of `q`.
    pub neg_ln_q: f64,
    /// `r = −ln q · q / (1 − q) = softplus(−t)·e^t`, which lies in `[q, 1]`;
    /// it appears in the focal gradient once the common factors are taken out.
    pub r: f64,
}

impl LogitPoint {
    /// The point at `t = 0`, `q = ½`, exactly as [`LogitPoint::at`] gives it
    /// (the filler of the solver's staging array).
    pub(crate) const HALF: LogitPoint = LogitPoint {
        logit: 0.0,
        q: 0.5,
        one_minus_q: 0.5,
        neg_ln_one_minus_q: std::f64::consts::LN_2,
        neg_ln_q: std::f64::consts::LN_2,
        r: std::f64::consts::LN_2,
    };

    /// Evaluates every quantity at the logit `t` (any finite value).
    #[inline(always)]
    pub fn at(logit: f64) -> Self {
        Self::from_exponential(logit, (-logit.abs()).exp())
    }

    /// [`LogitPoint::at`] from `e^(−|t|)`, computed beforehand (the solver
    /// takes the exponentials of several groups before their logarithms,
    /// so that their latencies overlap).
    #[inline(always)]
    pub fn from_exponential(logit: f64, e: f64) -> Self {
        let log1p_e = e.ln_1p();
        let denominator = 1.0 + e;
        if logit >= 0.0 {
            LogitPoint {
                logit,
                q: 1.0 / denominator,
                one_minus_q: e / denominator,
                neg_ln_one_minus_q: logit + log1p_e,
                neg_ln_q: log1p_e,
                // ln(1 + e)/e with e = e^(−t); it tends to 1 as e → 0.
                r: if e > 0.0 { log1p_e / e } else { 1.0 },
            }
        } else {
            let neg_ln_q = -logit + log1p_e;
            LogitPoint {
                logit,
                q: e / denominator,
                one_minus_q: 1.0 / denominator,
                neg_ln_one_minus_q: log1p_e,
                neg_ln_q,
                r: neg_ln_q * e,
            }
        }
    }

    /// Evaluates every quantity from `q` and its complement `1 − q`, both
    /// given (`0 < q < 1`), each log taken of whichever of the two is accurate:
    /// two logarithms instead of the logit's exponentials.
    pub fn from_parts(q: f64, one_minus_q: f64) -> Self {
        let neg_ln_q = if q > 0.5 {
            -(-one_minus_q).ln_1p()
        } else {
            -q.ln()
        };
        let neg_ln_one_minus_q = if q < 0.5 {
            -(-q).ln_1p()
        } else {
            -one_minus_q.ln()
        };
        LogitPoint {
            logit: neg_ln_one_minus_q - neg_ln_q,
            q,
            one_minus_q,
            neg_ln_one_minus_q,
            neg_ln_q,
            r: neg_ln_q * q / one_minus_q,
        }
    }

    /// The exact endpoint `q = 0` or `q = 1` (any other value is treated as 1).
    pub fn endpoint(q: f64) -> Self {
        let absent = q == 0.0;
        LogitPoint {
            logit: if absent {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            },
            q: if absent { 0.0 } else { 1.0 },
            one_minus_q: if absent { 1.0 } else { 0.0 },
            neg_ln_one_minus_q: if absent { 0.0 } else { f64::INFINITY },
            neg_ln_q: if absent { f64::INFINITY } else { 0.0 },
            r: if absent { 0.0 } else { 1.0 },
        }
    }
}

/// Offsets (in the logit) from which [`log_ratio`] takes the ratio from the
/// two probabilities' logarithms rather than from `e^d − 1`, which would
/// overflow or lose the smaller probability's digits there.
const FAR_OFFSET: f64 = 30.0;

/// The `e^d − 1` that [`log_ratio`] needs (an unused 0 from [`FAR_OFFSET`]
/// on, where the ratio comes from the logarithms). Taken apart so that the
/// solver can compute several groups' exponentials before their logarithms.
#[inline(always)]
pub fn offset_exp_m1(offset: f64) -> f64 {
    if offset.abs() < FAR_OFFSET {
        offset.exp_m1()
    } else {
        0.0
    }
}

/// `ln(q/p)` and `q/p − 1` for two probabilities given by logits
/// `t_q = t_p + offset`, with `exp_m1_offset` from [`offset_exp_m1`]:
/// `q/p − 1 = (1 − q)·(e^offset − 1)`, exact to a few ulps relative to the
/// offset even when the offset is tiny (γ close to 0); both come from one
/// `expm1`, which the solver's constraint reuses.
#[inline(always)]
pub fn log_ratio(offset: f64, exp_m1_offset: f64, at_q: &LogitPoint, neg_ln_p: f64) -> (f64, f64) {
    if offset.abs() < FAR_OFFSET {
        let ratio_minus_one = at_q.one_minus_q * exp_m1_offset;
        (ratio_minus_one.ln_1p(), ratio_minus_one)
    } else {
        let ln_ratio = neg_ln_p - at_q.neg_ln_q;
        (ln_ratio, ln_ratio.exp_m1())
    }
}

/// `1/n!` for n = 0 to 18, rounded once each (computed at compile time).
const INVERSE_FACTORIALS: [f64; 19] = {
    let mut coefficients = [1.0; 19];
    let mut factorial = 1.0;
    let mut n = 2;
    while n < 19 {
        factorial *= n as f64;
        coefficients[n] = 1.0 / factorial;
        n += 1;
    }
    coefficients
};

/// `e^u − 1 − u ≥ 0`, accurate for small `u`, where it is about `u²/2`.
/// `p·(e^u − 1 − u)` with `u = ln(q/p)` is a non-negative term of KL(P‖Q).
#[inline(always)]
pub fn exp_minus_one_minus_identity(u: f64) -> f64 {
    if u.abs() < 0.5 {
        // Σ_{n ≥ 2} uⁿ/n! in Horner form, by multiplications only (divisions
        // here once cost more than the rest of a solve's readouts); the terms
        // past n = 18 are below 1e-20 relative.
        let tail = INVERSE_FACTORIALS[3..]
            .iter()
            .rev()
            .fold(0.0, |tail, &coefficient| u * (coefficient + tail));
        u * u * (INVERSE_FACTORIALS[2] + tail)
    } else {
        u.exp_m1() - u
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn points_from_parts_agree_with_points_from_logits() {
        for logit in [-30.0, -5.0, -0.7, 0.0, 0.3, 4.0, 25.0] {
            let from_logit = super::LogitPoint::at(logit);
            let from_parts = super::LogitPoint::from_parts(from_logit.q, from_logit.one_minus_q);
            for (a, b) in [
                (from_logit.neg_ln_q, from_parts.neg_ln_q),
                (from_logit.neg_ln_one_minus_q, from_parts.neg_ln_one_minus_q),
                (from_logit.r, from_parts.r),
                (from_logit.logit, from_parts.logit),
            ] {
                assert!(
                    (a - b).abs() <= 4e-15 * a.abs().max(1e-300),
                    "t={logit}: {a} vs {b}"
                );
            }
        }
    }

    use super::*;

    #[test]
    fn compensated_sum_recovers_lost_bits() {
        let terms = [1.0, 1e-16, 1e-16, 1e-16, 1e-16, -1.0];
        assert_eq!(terms.iter().sum::<f64>(), 0.0);
        let sum = compensated_sum(terms);
        assert!((sum - 4e-16).abs() < 1e-30, "{sum}");
    }

    #[test]
    fn the_half_point_is_the_point_at_zero() {
        // Debug prints each f64's shortest round-trip digits: equal text, equal bits.
        assert_eq!(
            format!("{:?}", LogitPoint::HALF),
            format!("{:?}", LogitPoint::at(0.0))
        );
    }

    #[test]
    fn logit_point_keeps_both_tails() {
        let near_one = LogitPoint::at(40.0);
        assert_eq!(near_one.q, 1.0);
        assert!((near_one.one_minus_q / (-40.0f64).exp() - 1.0).abs() < 1e-15);
        assert!((near_one.neg_ln_one_minus_q - 40.0).abs() < 1e-14);
        let tiny = LogitPoint::at(-690.0);
        assert!((tiny.q / (-690.0f64).exp() - 1.0).abs() < 1e-13);
        assert!((tiny.neg_ln_q - 690.0).abs() < 1e-12);
        let half = LogitPoint::at(0.0);
        assert_eq!(half.q, 0.5);
        assert!((half.r - std::f64::consts::LN_2).abs() < 1e-16);
    }

    #[test]
    fn r_lies_between_q_and_one() {
        for t in [-50.0, -5.0, -0.3, 0.0, 0.7, 3.0, 20.0, 800.0] {
            let point = LogitPoint::at(t);
            assert!(
                point.r >= point.q * (1.0 - 1e-15) && point.r <= 1.0,
                "t={t}"
            );
        }
    }

    #[test]
    fn series_matches_direct_formula() {
        for u in [-0.49f64, -0.1, 1e-3, 0.2, 0.49] {
            let direct = u.exp_m1() - u;
            let series = exp_minus_one_minus_identity(u);
            assert!((series / direct - 1.0).abs() < 1e-12, "u={u}");
        }
        let tiny = exp_minus_one_minus_identity(1e-9);
        assert!((tiny / 5e-19 - 1.0).abs() < 1e-8);
        // Against the direct sum of the series in ascending order, close to
        // where it hands over to exp_m1 and well inside.
        for u in [-0.4999f64, -0.25, 0.01, 0.33, 0.4999] {
            let mut term = u;
            let terms: Vec<f64> = (2..40)
                .map(|n| {
                    term *= u / f64::from(n);
                    term
                })
                .collect();
            let sum = compensated_sum(terms.into_iter().rev());
            let error = (exp_minus_one_minus_identity(u) / sum - 1.0).abs();
            assert!(error < 5e-16, "u={u}: {error:e}");
        }
    }

    #[test]
    fn log_ratio_is_accurate_for_small_offsets() {
        let t_p = -2.0;
        let offset = 1e-12;
        let at_q = LogitPoint::at(t_p + offset);
        let neg_ln_p = LogitPoint::at(t_p).neg_ln_q;
        // d/dt ln σ(t) = 1 − σ(t)
        let expected = offset * (1.0 - LogitPoint::at(t_p).q);
        let (ln_ratio, ratio_minus_one) = log_ratio(offset, offset_exp_m1(offset), &at_q, neg_ln_p);
        assert!((ln_ratio / expected - 1.0).abs() < 1e-9);
        assert!((ratio_minus_one / expected - 1.0).abs() < 1e-9);
        // Far apart: the logs of both probabilities.
        let far = LogitPoint::at(t_p + 40.0);
        let (ln_far, minus_one_far) = log_ratio(40.0, offset_exp_m1(40.0), &far, neg_ln_p);
        assert!((ln_far - (neg_ln_p - far.neg_ln_q)).abs() < 1e-15);
        assert!((minus_one_far / (far.q / LogitPoint::at(t_p).q - 1.0) - 1.0).abs() < 1e-12);
    }
}
