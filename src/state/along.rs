//! Everything the page shows along γ, read off one sweep: the entropy
//! curves, the findings along γ and the tracked class. The page reads them
//! off its own [`Sweep`](crate::core::Sweep) of a problem it can keep every
//! solution of; for one of more distinct classes, a worker traces the sweep
//! ([`TracedSweep`](crate::core::TracedSweep)) and sends these curves back
//! as a flat array of numbers ([`CurvesAlongGamma::encode`]).

use crate::core::{
    gamma_grid, track_class, FocalError, FocalProblem, Readout, SweepReadouts, TracedSweep,
    TracingSweep, TrackedClass,
};

use super::config::{sweep_points, Units};
use super::findings::{AlongGamma, Lift, BEYOND_POINTS};
use super::worker_messages::{whole_number, MessageError};

/// A message that ends before the curves it should hold.
const TOO_SHORT: MessageError = MessageError("is too short for the curves along γ");

/// H(Q*) and the minimal focal-entropy along a sweep, in nats.
#[derive(Debug, Clone, PartialEq)]
pub struct EntropyAlongGamma {
    /// The γ values.
    pub gammas: Vec<f64>,
    /// H(Q*) at each γ, in nats.
    pub shannon_q: Vec<f64>,
    /// FE(W, Q*) at each γ, in nats.
    pub fe_min: Vec<f64>,
}

impl EntropyAlongGamma {
    /// The curves of a sweep (which must trace [`Readout::ShannonQ`] and
    /// [`Readout::FeMin`]).
    pub fn new(sweep: &dyn SweepReadouts) -> Result<Self, FocalError> {
        Ok(EntropyAlongGamma {
            gammas: sweep.gammas(),
            shannon_q: sweep.readouts(Readout::ShannonQ)?,
            fe_min: sweep.readouts(Readout::FeMin)?,
        })
    }

    /// The curves in `units`: (γ, H(Q*), FE(W, Q*)).
    pub fn in_units(&self, units: Units) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let factor = units.from_nats();
        let scaled = |values: &[f64]| values.iter().map(|v| v * factor).collect();
        (
            self.gammas.clone(),
            scaled(&self.shannon_q),
            scaled(&self.fe_min),
        )
    }
}

/// The curves and findings along γ of one problem, γ range and tracked class.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvesAlongGamma {
    /// H(Q*) and FE(W, Q*).
    pub entropy: EntropyAlongGamma,
    /// The entropy and over-suppression γ-ranges, and where the rarest class is lifted.
    pub findings: AlongGamma,
    /// The tracked class's `q*/p` and where it is suppressed.
    pub tracked: TrackedClass,
}

impl CurvesAlongGamma {
    /// The readouts a sweep of `problem` traces for these curves with
    /// `class` tracked ([`TracingSweep`]).
    pub fn readouts(problem: &FocalProblem, class: usize) -> Vec<Readout> {
        let mut readouts = vec![Readout::ShannonQ, Readout::FeMin];
        readouts.extend(AlongGamma::readouts(problem));
        if !readouts.contains(&Readout::LnRatio(class)) {
            readouts.push(Readout::LnRatio(class));
        }
        readouts
    }

    /// Reads the curves off `sweep`, with `beyond` the look beyond γ_max
    /// that the findings need when [`AlongGamma::beyond_grid`] asks for one.
    pub fn new(
        sweep: &dyn SweepReadouts,
        beyond: Option<&dyn SweepReadouts>,
        class: usize,
    ) -> Result<Self, FocalError> {
        Ok(CurvesAlongGamma {
            entropy: EntropyAlongGamma::new(sweep)?,
            findings: AlongGamma::with_beyond(sweep, beyond)?,
            tracked: track_class(sweep, class)?,
        })
    }

    /// Traces the sweep of `problem` from 0 to `gamma_max` (at
    /// [`sweep_points`] γ values) keeping only these curves' readouts, and
    /// the look beyond γ_max if the findings need it, and reads the curves
    /// off them: what a worker does for a problem with too many distinct
    /// classes to keep every solution of. After each γ solved, `progress` is
    /// told the share of the γ values solved, counting those beyond γ_max,
    /// which are looked at only when needed.
    pub fn trace(
        problem: &FocalProblem,
        gamma_max: f64,
        class: usize,
        progress: &mut dyn FnMut(f64),
    ) -> Result<Self, FocalError> {
        let grid = gamma_grid(gamma_max, sweep_points(problem.distinct_class_count()))?;
        let all = (grid.len() + BEYOND_POINTS) as f64;
        let mut solved = 0;
        let mut traced = |grid, readouts: &[Readout]| {
            let mut sweep = TracingSweep::new(problem, grid, readouts)?;
            while sweep.advance()? {
                solved += 1;
                progress(solved as f64 / all);
            }
            solved += 1;
            Ok::<TracedSweep, FocalError>(sweep.into_traced())
        };
        let sweep = traced(grid, &Self::readouts(problem, class))?;
        let beyond = match AlongGamma::beyond_grid(&sweep) {
            Some(grid) => Some(traced(grid, &[Readout::LnRatio(problem.rarest_class())])?),
            None => None,
        };
        Self::new(
            &sweep,
            beyond.as_ref().map(|b| b as &dyn SweepReadouts),
            class,
        )
    }

    /// The curves as numbers: the grid's length n, the n γ values, H(Q*),
    /// FE(W, Q*) and the tracked class's q*/p at each; γ_max, the rarest
    /// class and the tracked one; the four lists of γ-ranges (entropy below,
    /// over-suppression, rarest suppressed, tracked suppressed), each its
    /// length and its ends; then how the rarest class is lifted (0 unmoved,
    /// 1 from a γ, 2 from a γ beyond γ_max, 3 not by γ = 100) and that γ.
    pub fn encode(&self) -> Vec<f64> {
        let n = self.entropy.gammas.len();
        let mut numbers = Vec::with_capacity(16 + 4 * n);
        numbers.push(n as f64);
        for values in [
            &self.entropy.gammas,
            &self.entropy.shannon_q,
            &self.entropy.fe_min,
            &self.tracked.ratios,
        ] {
            numbers.extend_from_slice(values);
        }
        let findings = &self.findings;
        numbers.extend([
            findings.gamma_max,
            findings.rarest as f64,
            self.tracked.class as f64,
        ]);
        for ranges in [
            &findings.entropy_below,
            &findings.over_suppression,
            &findings.rarest_suppressed,
            &self.tracked.suppressed,
        ] {
            numbers.push(ranges.len() as f64);
            numbers.extend(ranges.iter().flat_map(|&(from, to)| [from, to]));
        }
        let (kind, from) = match findings.lift {
            Lift::Unmoved => (0, 0.0),
            Lift::From { from } => (1, from),
            Lift::Beyond { from } => (2, from),
            Lift::NotBy100 => (3, 0.0),
        };
        numbers.extend([f64::from(kind), from]);
        numbers
    }

    /// Reads curves written by [`CurvesAlongGamma::encode`].
    pub fn decode(numbers: &[f64]) -> Result<Self, MessageError> {
        let mut numbers = Numbers(numbers);
        let n = numbers.whole()?;
        let gammas = numbers.list(n)?;
        let shannon_q = numbers.list(n)?;
        let fe_min = numbers.list(n)?;
        let ratios = numbers.list(n)?;
        let gamma_max = numbers.next()?;
        let (rarest, class) = (numbers.whole()?, numbers.whole()?);
        let (entropy_below, over_suppression) = (numbers.ranges()?, numbers.ranges()?);
        let (rarest_suppressed, suppressed) = (numbers.ranges()?, numbers.ranges()?);
        let lift = match (numbers.whole()?, numbers.next()?) {
            (0, _) => Lift::Unmoved,
            (1, from) => Lift::From { from },
            (2, from) => Lift::Beyond { from },
            (3, _) => Lift::NotBy100,
            _ => return Err(MessageError("names a lift that does not exist")),
        };
        if !numbers.0.is_empty() {
            return Err(MessageError("is too long for the curves along γ"));
        }
        Ok(CurvesAlongGamma {
            entropy: EntropyAlongGamma {
                gammas: gammas.clone(),
                shannon_q,
                fe_min,
            },
            findings: AlongGamma {
                gamma_max,
                rarest,
                entropy_below,
                over_suppression,
                rarest_suppressed,
                lift,
            },
            tracked: TrackedClass {
                class,
                gammas,
                ratios,
                suppressed,
            },
        })
    }
}

/// The numbers of a message not yet read, read in order.
struct Numbers<'a>(&'a [f64]);

impl<'a> Numbers<'a> {
    /// The next `count` numbers.
    fn take(&mut self, count: usize) -> Result<&'a [f64], MessageError> {
        if self.0.len() < count {
            return Err(TOO_SHORT);
        }
        let (taken, rest) = self.0.split_at(count);
        self.0 = rest;
        Ok(taken)
    }

    /// The next number.
    fn next(&mut self) -> Result<f64, MessageError> {
        Ok(self.take(1)?[0])
    }

    /// The next number, a whole one.
    fn whole(&mut self) -> Result<usize, MessageError> {
        whole_number(self.next()?)
    }

    /// The next `count` numbers, as a list.
    fn list(&mut self, count: usize) -> Result<Vec<f64>, MessageError> {
        Ok(self.take(count)?.to_vec())
    }

    /// A count of γ-ranges, then their ends.
    fn ranges(&mut self) -> Result<Vec<(f64, f64)>, MessageError> {
        let count = self.whole()?;
        let ends = self.take(count.checked_mul(2).ok_or(TOO_SHORT)?)?;
        Ok(ends.chunks_exact(2).map(|end| (end[0], end[1])).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::exponential_tail;

    /// The curves the page reads off its own sweep (every solution kept),
    /// with the look beyond γ_max when the findings ask for one.
    fn from_whole_sweep(problem: &FocalProblem, gamma_max: f64, class: usize) -> CurvesAlongGamma {
        let grid = gamma_grid(gamma_max, sweep_points(problem.distinct_class_count())).unwrap();
        let sweep = problem.sweep(&grid).unwrap();
        let beyond = AlongGamma::beyond_grid(&sweep).map(|grid| problem.sweep(&grid).unwrap());
        let beyond = beyond.as_ref().map(|b| b as &dyn SweepReadouts);
        CurvesAlongGamma::new(&sweep, beyond, class).unwrap()
    }

    /// Whether two lists of γ-ranges agree to the tolerance of their ends.
    fn same_ranges(a: &[(f64, f64)], b: &[(f64, f64)]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x.0 - y.0).abs() < 2e-9 && (x.1 - y.1).abs() < 2e-9)
    }

    #[test]
    fn traced_curves_are_those_of_the_whole_sweep() {
        let tail: Vec<f64> = exponential_tail(300, 1e3)
            .iter()
            .map(|p| (p * 1e6).round())
            .collect();
        let weights: Vec<f64> = (0..300).map(|i| 1.0 + (i % 7) as f64 / 3.0).collect();
        let zipf: Vec<f64> = (1..=1000)
            .map(|i| (1000.0 / f64::from(i).powf(1.1)).round().max(1.0))
            .collect();
        // CIFAR-10-LT: the rarest class is over-suppressed up to γ ≈ 2.24.
        let cifar: Vec<f64> = (0..10)
            .map(|i| (5000.0 * 100f64.powf(-f64::from(i) / 9.0)).round())
            .collect();
        // Counts, α weights, γ_max and the tracked class.
        type Case<'a> = (&'a [f64], Option<&'a [f64]>, f64, usize);
        let cases: [Case; 6] = [
            // The rarest class still loses at γ_max: a look beyond, which
            // finds it lifted (CIFAR-10-LT) or not by γ = 100 (Zipf).
            (&cifar, None, 2.0, 9),
            (&zipf, None, 20.0, 150),
            (&tail, None, 2.0, 150),
            (&tail, None, 20.0, 299),
            (&tail, Some(&weights), 8.0, 3),
            (&[99.0, 1.0], None, 20.0, 0),
        ];
        let mut looked_beyond = false;
        for (counts, alpha, gamma_max, class) in cases {
            let problem = FocalProblem::new(counts, alpha).unwrap();
            let mut shares = Vec::new();
            let traced =
                CurvesAlongGamma::trace(&problem, gamma_max, class, &mut |f| shares.push(f))
                    .unwrap();
            let whole = from_whole_sweep(&problem, gamma_max, class);
            // The same solves at each γ: bit for bit.
            assert_eq!(traced.entropy, whole.entropy);
            assert_eq!(traced.tracked.ratios, whole.tracked.ratios);
            assert_eq!(traced.tracked.gammas, whole.tracked.gammas);
            // Ends between grid points, found from a solution solved again.
            let (t, w) = (&traced.findings, &whole.findings);
            assert!(same_ranges(&t.entropy_below, &w.entropy_below));
            assert!(same_ranges(&t.over_suppression, &w.over_suppression));
            assert!(same_ranges(&t.rarest_suppressed, &w.rarest_suppressed));
            assert!(same_ranges(
                &traced.tracked.suppressed,
                &whole.tracked.suppressed
            ));
            assert_eq!((t.gamma_max, t.rarest), (w.gamma_max, w.rarest));
            match (t.lift, w.lift) {
                (Lift::From { from: a }, Lift::From { from: b })
                | (Lift::Beyond { from: a }, Lift::Beyond { from: b }) => {
                    assert!((a - b).abs() < 2e-9)
                }
                (a, b) => assert_eq!(a, b),
            }
            let looked_beyond_here = matches!(t.lift, Lift::Beyond { .. } | Lift::NotBy100);
            looked_beyond |= matches!(t.lift, Lift::Beyond { .. });
            // Progress after every γ but the last of each sweep, rising.
            let points = traced.entropy.gammas.len();
            let beyond = if looked_beyond_here { BEYOND_POINTS } else { 0 };
            let all = (points + BEYOND_POINTS) as f64;
            assert_eq!(shares.len(), points + beyond - 1 - usize::from(beyond > 0));
            assert!(shares.windows(2).all(|pair| pair[0] < pair[1]));
            assert_eq!(shares.last(), Some(&((points + beyond - 1) as f64 / all)));
        }
        assert!(looked_beyond);
    }

    #[test]
    fn curves_go_through_numbers_unchanged_and_broken_numbers_are_refused() {
        let problem = FocalProblem::new(&[500.0, 120.0, 30.0, 7.0, 1.0], None).unwrap();
        for gamma_max in [1.0, 20.0] {
            let curves = CurvesAlongGamma::trace(&problem, gamma_max, 2, &mut |_| {}).unwrap();
            let numbers = curves.encode();
            assert_eq!(CurvesAlongGamma::decode(&numbers), Ok(curves));
            assert_eq!(
                CurvesAlongGamma::decode(&numbers[..numbers.len() - 1]),
                Err(TOO_SHORT)
            );
            let mut longer = numbers.clone();
            longer.push(0.0);
            assert_eq!(
                CurvesAlongGamma::decode(&longer),
                Err(MessageError("is too long for the curves along γ"))
            );
            let mut no_lift = numbers;
            let kind = no_lift.len() - 2;
            no_lift[kind] = 4.0;
            assert_eq!(
                CurvesAlongGamma::decode(&no_lift),
                Err(MessageError("names a lift that does not exist"))
            );
        }
    }
}
