//! What focal loss does to the current classes, as data with its numbers: who
//! gains and who loses and by how much, the change of entropy and its sign,
//! the γ-ranges of over-suppression and where the rarest class is lifted, and
//! the probability mass of the rare classes. The page's captions and banner,
//! the CLI's summary, the exports and the host message are all rendered from
//! these values (see `state::narrative`), so no sentence assumes a direction.

use serde::Serialize;

use crate::core::{
    gamma_grid, negative_ranges, FocalError, FocalProblem, Readout, RegimeSums, Solution, Sweep,
    SweepReadouts, EMPTY_SWEEP, MAX_GAMMA, MOVED_REGIMES,
};

/// A set of classes that moved the same way, with the size of the move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassShift {
    /// The first of them in input order (zero-based), up to
    /// [`NAMED_CLASSES`], the most a sentence names. Left out of JSON, which
    /// carries their number and rank span instead.
    #[serde(skip)]
    pub first_classes: Vec<usize>,
    /// How many classes.
    pub count: usize,
    /// Best and worst frequency rank among them (1 = most frequent; ties share a rank).
    pub ranks: (usize, usize),
    /// Smallest `q*/p` among them.
    pub ratio_low: f64,
    /// Largest `q*/p` among them.
    pub ratio_high: f64,
    /// Their total probability under P.
    pub mass_p: f64,
    /// Their total probability under Q*.
    pub mass_q: f64,
    /// Whether the ranks form one unbroken run (`ranks.0..=ranks.1` holds only them).
    #[serde(skip)]
    pub contiguous: bool,
}

/// Who gains and who loses at one γ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Movement {
    /// Classes with `q* > p`.
    pub gainers: Option<ClassShift>,
    /// Classes with `q* < p` at least as frequent as every gainer (the head).
    pub head_losers: Option<ClassShift>,
    /// Classes with `q* < p` rarer than some gainer: over-suppressed.
    pub tail_losers: Option<ClassShift>,
    /// `Σ max(q* − p, 0)`: the probability that changes hands (0 to 1).
    pub moved: f64,
}

/// Shannon entropies at one γ, in nats.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EntropyShift {
    /// H(P).
    pub shannon_p: f64,
    /// H(Q*).
    pub shannon_q: f64,
    /// `H(Q*) − H(P)`: negative when focal loss makes the distribution more peaked.
    pub delta: f64,
    /// ln K, the entropy of the uniform distribution over the present classes.
    pub uniform: f64,
}

/// Which way probability moves for a set of classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// They hold more under Q* than under P.
    Toward,
    /// They hold less under Q* than under P.
    Away,
    /// They hold the same.
    Unchanged,
}

impl Direction {
    /// Its name in JSON and in the host message.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Toward => "toward",
            Direction::Away => "away",
            Direction::Unchanged => "unchanged",
        }
    }

    /// The direction of a change from `before` to `after`.
    pub fn of(before: f64, after: f64) -> Self {
        if after > before {
            Direction::Toward
        } else if after < before {
            Direction::Away
        } else {
            Direction::Unchanged
        }
    }
}

/// The classes rarer than uniform (`p_i < 1/K`, K the present classes) and
/// the probability they hold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RareMass {
    /// How many classes have `p < 1/K`.
    pub classes: usize,
    /// Their total probability under P.
    pub mass_p: f64,
    /// Their total probability under Q*.
    pub mass_q: f64,
    /// With α weights, their total under the target `α·p` normalised, which
    /// Q* is fitted to; `None` without α.
    pub mass_target: Option<f64>,
    /// Toward them, away from them, or neither.
    pub direction: Direction,
}

/// The findings at one γ, from one solution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtGamma {
    /// γ.
    pub gamma: f64,
    /// Number of present classes K.
    pub class_count: usize,
    /// μ.
    pub mu: f64,
    /// Who gains and who loses.
    pub movement: Movement,
    /// H(Q*) against H(P).
    pub entropy: EntropyShift,
    /// The rare classes' mass.
    pub rare_mass: RareMass,
    /// Whether α weights apply (Q* is then fitted to α·p, normalised).
    pub weighted: bool,
    /// Whether Q* keeps the order of the target weights (always, by theory).
    pub order_preserved: bool,
}

/// Most classes of a [`ClassShift`] named in a sentence (the rest are counted).
pub const NAMED_CLASSES: usize = 5;

/// What [`AtGamma`] reads off the solution: the shift of the classes in each
/// regime of [`MOVED_REGIMES`] (`None` for a regime without classes), the
/// rare classes' mass, and whether Q* keeps the order of the target weights.
struct Tally {
    shifts: [Option<ClassShift>; 3],
    rare_mass: RareMass,
    order_preserved: bool,
}

/// How many present classes rank within the span of ranks of a regime's
/// classes (frequency ranks), from its best rank to its worst and the
/// classes at the worst: a rank is one plus the classes above it, so the
/// classes above the best rank number `best − 1`, and those down to the
/// worst, `worst − 1 + at_worst`. When p rises strictly along the groups,
/// the classes of equal rank are those of one group, all of which the tally
/// counts at that rank.
fn classes_within_span(sums: &RegimeSums) -> usize {
    let (best, worst) = sums.ranks;
    worst - best + sums.at_worst_rank
}

/// Gathers the [`Tally`] of `solution`. Sums, extremes and ranks come from
/// its [`SolutionTally`], one pass over the distinct classes (made while the
/// page read a worker's solution, or when first asked for): they cost no
/// more for a million tied classes than for a thousand. Then the first
/// classes of each shift, in input order, in one pass over the classes that
/// ends once every list is full, and whether each shift's classes are all
/// those of its span of ranks: from the tally (see [`classes_within_span`])
/// when p rises strictly along the groups ([`FocalProblem::p_rises_along_groups`]:
/// always without α, and with inverse-frequency α on distinct counts, where a
/// million classes took a pass of 15 ms in the page at every γ); otherwise,
/// where classes of equal `p` may shift differently, in one more pass over
/// the groups.
fn tally(solution: &Solution) -> Tally {
    let problem = solution.problem();
    let sums = solution.tally();
    let mut shifts = sums.moved.map(|sums| {
        sums.map(|sums| ClassShift {
            first_classes: Vec::new(),
            count: sums.classes,
            ranks: sums.ranks,
            // The extreme ratios were taken in logarithms (exp is
            // increasing): one exponential each, not one per class.
            ratio_low: sums.ln_ratios.0.exp(),
            ratio_high: sums.ln_ratios.1.exp(),
            mass_p: sums.mass_p,
            mass_q: sums.mass_q,
            contiguous: false,
        })
    });
    let slot = |regime| MOVED_REGIMES.iter().position(|&r| r == regime);
    let wanted = shifts
        .each_ref()
        .map(|shift| shift.as_ref().map_or(0, |s| s.count.min(NAMED_CLASSES)));
    let named = |s: &Option<ClassShift>| s.as_ref().map_or(0, |s| s.first_classes.len());
    for class in 0..problem.class_count() {
        if shifts.iter().zip(&wanted).all(|(s, &w)| named(s) >= w) {
            break;
        }
        if let Some(s) = slot(solution.regime(class)) {
            if let Some(shift) = shifts[s]
                .as_mut()
                .filter(|shift| shift.first_classes.len() < wanted[s])
            {
                shift.first_classes.push(class);
            }
        }
    }
    // A shift without classes spans no rank (1 to 0).
    let spans = shifts
        .each_ref()
        .map(|shift| shift.as_ref().map_or((1, 0), |s| s.ranks));
    let ranked = if problem.p_rises_along_groups() {
        std::array::from_fn(|s| sums.moved[s].as_ref().map_or(0, classes_within_span))
    } else {
        problem
            .frequency_ranks()
            .present_classes_ranked(problem, spans)
    };
    for (shift, ranked) in shifts.iter_mut().zip(ranked) {
        if let Some(shift) = shift {
            shift.contiguous = ranked == shift.count;
        }
    }
    let rare = sums.rare;
    Tally {
        shifts,
        rare_mass: RareMass {
            classes: rare.classes,
            mass_p: rare.mass_p,
            mass_q: rare.mass_q,
            mass_target: problem.alpha().is_some().then_some(rare.mass_target),
            direction: Direction::of(rare.mass_p, rare.mass_q),
        },
        order_preserved: sums.order_preserved,
    }
}

impl AtGamma {
    /// Reads the findings off a solution.
    pub fn new(solution: &Solution) -> Self {
        let problem = solution.problem();
        let class_count = problem.positive_class_count();
        let Tally {
            shifts: [gainers, head_losers, tail_losers],
            rare_mass,
            order_preserved,
        } = tally(solution);
        let moved = gainers.as_ref().map_or(0.0, |g| g.mass_q - g.mass_p);
        let movement = Movement {
            gainers,
            head_losers,
            tail_losers,
            moved: moved.max(0.0),
        };
        let uniform = (class_count as f64).ln();
        let entropy = EntropyShift {
            shannon_p: solution.shannon_p(),
            shannon_q: solution.shannon_q(),
            delta: solution.shannon_q() - solution.shannon_p(),
            uniform,
        };
        AtGamma {
            gamma: solution.gamma(),
            class_count,
            mu: solution.mu(),
            movement,
            entropy,
            rare_mass,
            weighted: problem.alpha().is_some(),
            order_preserved,
        }
    }
}

/// Where the rarest class stands as γ grows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Lift {
    /// It never moves (all classes equally frequent, or a single class).
    Unmoved,
    /// It gains at every γ above `from` up to γ_max (`from` = 0: at every γ > 0).
    From {
        /// The γ above which it gains.
        from: f64,
    },
    /// It loses at γ_max but gains at every γ above `from`, up to γ = 100.
    Beyond {
        /// The γ above which it gains, beyond γ_max.
        from: f64,
    },
    /// It still loses at γ = 100, the largest γ solved.
    #[serde(rename = "not-by-100")]
    NotBy100,
}

/// The findings along γ, from a sweep over `[0, γ_max]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlongGamma {
    /// γ_max of the sweep.
    pub gamma_max: f64,
    /// The rarest present class (zero-based).
    pub rarest: usize,
    /// γ-ranges `[from, to]` where H(Q*) < H(P).
    pub entropy_below: Vec<(f64, f64)>,
    /// γ-ranges `[from, to]` where some class is over-suppressed; `to` is
    /// γ_max where a range runs to the end.
    pub over_suppression: Vec<(f64, f64)>,
    /// γ-ranges where the rarest class loses probability (the same as
    /// `over_suppression` without α).
    pub rarest_suppressed: Vec<(f64, f64)>,
    /// Where the rarest class is lifted.
    pub lift: Lift,
}

/// Grid points of the look beyond γ_max, up to γ = 100.
pub const BEYOND_POINTS: usize = 65;

impl AlongGamma {
    /// Reads the ranges off a sweep starting at γ = 0; ends inside the sweep
    /// are roots found to 1e-9 in γ. When the rarest class still loses at
    /// γ_max, a coarser sweep up to γ = 100 ([`AlongGamma::beyond_grid`])
    /// finds where it is lifted.
    pub fn new(sweep: &Sweep) -> Result<Self, FocalError> {
        let beyond = match (Self::beyond_grid(sweep), sweep.solutions().first()) {
            (Some(grid), Some(first)) => Some(first.problem().sweep(&grid)?),
            _ => None,
        };
        Self::with_beyond(sweep, beyond.as_ref().map(|b| b as &dyn SweepReadouts))
    }

    /// The readouts a sweep of `problem` must trace for the findings along
    /// it ([`TracingSweep`](crate::core::TracingSweep)).
    pub fn readouts(problem: &FocalProblem) -> Vec<Readout> {
        let rarest = problem.rarest_class();
        let mut readouts = vec![Readout::EntropyChange, Readout::LnRatio(rarest)];
        if problem.alpha().is_some() {
            readouts.push(Readout::OverSuppression(rarest));
        }
        readouts
    }

    /// The γ grid from the sweep's γ_max up to γ = 100 on which to look for
    /// where the rarest class is lifted: `Some` when it still loses at γ_max.
    /// The page computes that sweep in short tasks and hands it to
    /// [`AlongGamma::with_beyond`]; it needs [`Readout::LnRatio`] of the
    /// rarest class alone.
    pub fn beyond_grid(sweep: &dyn SweepReadouts) -> Option<Vec<f64>> {
        let rarest = sweep.problem()?.rarest_class();
        let start = *sweep.gammas().last()?;
        let ln_ratio = sweep.readouts(Readout::LnRatio(rarest)).ok()?;
        let losing = ln_ratio.last().is_some_and(|&r| r < 0.0);
        if !losing || start >= MAX_GAMMA {
            return None;
        }
        let grid = gamma_grid(MAX_GAMMA - start, BEYOND_POINTS).ok()?;
        Some(
            grid.into_iter()
                .map(|offset| (start + offset).min(MAX_GAMMA))
                .collect(),
        )
    }

    /// [`AlongGamma::new`] with the sweep beyond γ_max computed by the
    /// caller over [`AlongGamma::beyond_grid`] (`None` when that is `None`).
    pub fn with_beyond(
        sweep: &dyn SweepReadouts,
        beyond: Option<&dyn SweepReadouts>,
    ) -> Result<Self, FocalError> {
        let problem = sweep.problem().ok_or(EMPTY_SWEEP)?;
        let gamma_max = *sweep.gammas().last().ok_or(EMPTY_SWEEP)?;
        let rarest = problem.rarest_class();
        let entropy_below = negative_ranges(sweep, Readout::EntropyChange)?;
        let rarest_suppressed = negative_ranges(sweep, Readout::LnRatio(rarest))?;
        let over_suppression = if problem.alpha().is_none() {
            // Without α the rarest class loses exactly when some class is
            // over-suppressed: whoever gains is more frequent than it.
            rarest_suppressed.clone()
        } else {
            negative_ranges(sweep, Readout::OverSuppression(rarest))?
        };
        let last_ln_ratio = sweep
            .readouts(Readout::LnRatio(rarest))?
            .last()
            .copied()
            .unwrap_or(0.0);
        let lift = match rarest_suppressed.last() {
            Some(&(_, end)) if end < gamma_max => Lift::From { from: end },
            Some(_) => match beyond {
                Some(beyond) => lift_beyond(beyond, rarest)?,
                None if gamma_max >= MAX_GAMMA => Lift::NotBy100,
                None => {
                    return Err(FocalError::InvalidGrid {
                        reason: "the look beyond γ_max is missing",
                    })
                }
            },
            None if last_ln_ratio > 0.0 => Lift::From { from: 0.0 },
            None => Lift::Unmoved,
        };
        Ok(AlongGamma {
            gamma_max,
            rarest,
            entropy_below,
            over_suppression,
            rarest_suppressed,
            lift,
        })
    }

    /// The γ a person can jump to to see the rarest class lifted: just above
    /// the lift point (rounded up to 0.01), when there is one above 0.
    pub fn escape_gamma(&self) -> Option<f64> {
        match self.lift {
            Lift::From { from } | Lift::Beyond { from } if from > 0.0 => {
                Some(((from * 100.0).floor() + 1.0) / 100.0)
            }
            _ => None,
        }
    }
}

/// Where a class that loses at the start of `beyond` (a sweep from γ_max to
/// γ = 100) is lifted for good.
fn lift_beyond(beyond: &dyn SweepReadouts, class: usize) -> Result<Lift, FocalError> {
    let ranges = negative_ranges(beyond, Readout::LnRatio(class))?;
    Ok(match ranges.last() {
        Some(&(_, end)) if end < MAX_GAMMA => Lift::Beyond { from: end },
        _ => Lift::NotBy100,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::solve;
    use crate::core::FocalProblem;
    use crate::state::generator::Generator;

    fn counts_of(generator: Generator) -> Vec<f64> {
        generator
            .classes()
            .unwrap()
            .iter()
            .map(|r| r.count)
            .collect()
    }

    fn along(counts: &[f64], alpha: Option<&[f64]>, gamma_max: f64) -> AlongGamma {
        let problem = FocalProblem::new(counts, alpha).unwrap();
        let sweep = problem.sweep(&gamma_grid(gamma_max, 256).unwrap()).unwrap();
        AlongGamma::new(&sweep).unwrap()
    }

    #[test]
    fn step_imbalance_majority_gains_minority_loses() {
        let counts = counts_of(Generator::Step {
            k: 10,
            minority: 5,
            nmax: 5000.0,
            ratio: 100.0,
        });
        let at = AtGamma::new(&solve(&counts, 2.0, None).unwrap());
        let gainers = at.movement.gainers.as_ref().unwrap();
        assert_eq!((gainers.count, gainers.ranks), (5, (1, 1)));
        assert!((gainers.ratio_high - 0.19825 / 0.19802).abs() < 2e-4);
        let losers = at.movement.tail_losers.as_ref().unwrap();
        assert_eq!((losers.count, losers.ranks), (5, (6, 6)));
        assert!(
            (losers.ratio_low - 0.88).abs() < 0.01,
            "{}",
            losers.ratio_low
        );
        assert!(at.movement.head_losers.is_none());
        assert_eq!(at.rare_mass.direction, Direction::Away);
        assert_eq!(at.rare_mass.classes, 5);
    }

    #[test]
    fn zipf_tail_entropy_falls_until_about_18_5() {
        let counts = counts_of(Generator::Zipf {
            k: 1000,
            nmax: 1000.0,
            s: 1.1,
        });
        let at = AtGamma::new(&solve(&counts, 3.0, None).unwrap());
        assert!((at.entropy.shannon_q - 4.625).abs() < 5e-4);
        assert!((at.entropy.shannon_p - 4.805).abs() < 5e-4);
        assert!(at.entropy.delta < 0.0);
        assert_eq!(at.rare_mass.direction, Direction::Away);
        let along = along(&counts, None, 20.0);
        assert_eq!(along.entropy_below.len(), 1);
        let (from, to) = along.entropy_below[0];
        assert_eq!(from, 0.0);
        assert!((to - 18.5).abs() < 0.1, "{to}");
        // The rarest class loses over the whole slider.
        assert_eq!(along.over_suppression, vec![(0.0, 20.0)]);
        assert!(matches!(along.lift, Lift::Beyond { .. } | Lift::NotBy100));
    }

    #[test]
    fn cifar10_lt_over_suppression_ends_near_2_24() {
        let counts = counts_of(Generator::Exponential {
            k: 10,
            nmax: 5000.0,
            ratio: 100.0,
        });
        let along = along(&counts, None, 20.0);
        assert_eq!(along.over_suppression.len(), 1);
        let (from, to) = along.over_suppression[0];
        assert_eq!(from, 0.0);
        assert!((to - 2.24).abs() < 0.01, "{to}");
        let at_end = solve(&counts, to, None).unwrap();
        assert!((at_end.ratio(9).unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(along.lift, Lift::From { from: to });
        // The jump goes just above the root, to a γ the slider can show.
        let escape = along.escape_gamma().unwrap();
        assert!(escape > to && escape - to <= 0.01, "{escape}");
        assert!(solve(&counts, escape, None).unwrap().ratio(9).unwrap() > 1.0);
    }

    #[test]
    fn two_classes_never_over_suppress() {
        let along = along(&[99.0, 1.0], None, 20.0);
        assert!(along.over_suppression.is_empty());
        assert_eq!(along.lift, Lift::From { from: 0.0 });
        assert_eq!(along.escape_gamma(), None);
        let balanced = super::AlongGamma::new(
            &FocalProblem::new(&[5.0, 5.0, 5.0], None)
                .unwrap()
                .sweep(&gamma_grid(20.0, 16).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(balanced.lift, Lift::Unmoved);
        assert!(balanced.entropy_below.is_empty());
    }

    #[test]
    fn rare_mass_with_alpha_names_the_target() {
        let solution = solve(&[90.0, 9.0, 1.0], 2.0, Some(&[1.0, 10.0, 90.0])).unwrap();
        let at = AtGamma::new(&solution);
        assert!(at.weighted);
        let rare = at.rare_mass;
        assert_eq!(rare.classes, 2);
        assert!((rare.mass_p - 0.1).abs() < 1e-15);
        let target = rare.mass_target.unwrap();
        assert!((target - (90.0 + 90.0) / (90.0 + 90.0 + 90.0)).abs() < 1e-12);
    }

    #[test]
    fn direction_names_are_their_json_names() {
        for direction in [Direction::Toward, Direction::Away, Direction::Unchanged] {
            assert_eq!(
                serde_json::to_value(direction).unwrap(),
                serde_json::json!(direction.name())
            );
        }
    }

    #[test]
    fn findings_serialise_to_json() {
        let solution = solve(&[99.0, 1.0], 2.0, None).unwrap();
        let findings = serde_json::json!({
            "at": AtGamma::new(&solution),
            "along": along(&[99.0, 1.0], None, 20.0),
        });
        let json: serde_json::Value = serde_json::to_value(&findings).unwrap();
        assert_eq!(json["at"]["rare_mass"]["direction"], "toward");
        assert_eq!(json["at"]["movement"]["gainers"]["count"], 1);
        assert_eq!(json["along"]["lift"]["kind"], "from");
        assert!(json["at"]["movement"]["gainers"].get("classes").is_none());
    }
}
