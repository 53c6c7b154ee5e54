//! Analyses built on the solver: a warm-started γ-sweep, the γ-ranges where a
//! quantity is negative (ends found by root-finding), the story of one class
//! along γ, and the reshaping map `h(p)` that explains which classes gain.

use std::borrow::Cow;
use std::sync::Arc;

use super::error::{validate_gamma, FocalError};
use super::focal::ln_reshaping_map;
use super::numerics::LogitPoint;
use super::problem::FocalProblem;
use super::solution::{Regime, Solution, Trail, EXTRAPOLATION_POINTS};

/// Largest number of points in a γ grid.
pub const MAX_GRID_POINTS: usize = 100_001;

/// `points` evenly spaced γ values from 0 to `gamma_max` inclusive (at least 2 points).
pub fn gamma_grid(gamma_max: f64, points: usize) -> Result<Vec<f64>, FocalError> {
    validate_gamma(gamma_max)?;
    if gamma_max <= 0.0 {
        return Err(FocalError::InvalidGrid {
            reason: "γ_max must be positive",
        });
    }
    if !(2..=MAX_GRID_POINTS).contains(&points) {
        return Err(FocalError::InvalidGrid {
            reason: "a γ grid needs from 2 to 100001 points",
        });
    }
    let last = (points - 1) as f64;
    Ok((0..points).map(|i| gamma_max * (i as f64 / last)).collect())
}

/// Q* along an increasing grid of γ values; cheap to clone (the solutions
/// are shared).
#[derive(Debug, Clone)]
pub struct Sweep {
    solutions: Arc<Vec<Solution>>,
}

impl Sweep {
    /// The solutions, one per γ, in grid order.
    pub fn solutions(&self) -> &[Solution] {
        &self.solutions
    }

    /// The γ values.
    pub fn gammas(&self) -> Vec<f64> {
        self.solutions.iter().map(Solution::gamma).collect()
    }

    /// The largest γ of the sweep.
    pub fn gamma_max(&self) -> f64 {
        self.solutions.last().map_or(0.0, Solution::gamma)
    }
}

/// A number read off a solution along γ, named rather than computed by a
/// closure, so that a sweep that keeps only some numbers per γ (a
/// [`TracedSweep`]: a million distinct classes' solutions at 64 γ values
/// would take 3.6 GB) can be asked for the ones it kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Readout {
    /// H(Q*), in nats.
    ShannonQ,
    /// FE(W, Q*), the minimal focal-entropy, in nats.
    FeMin,
    /// H(Q*) − H(P), in nats: negative where focal loss lowers the entropy.
    EntropyChange,
    /// `ln(q*/p)` of a class (0 for an absent class): negative where it is suppressed.
    LnRatio(usize),
    /// `|ln(q*/p)|` of a class, negative where some class is over-suppressed
    /// (with α weights that class need not be this one): the sign is the
    /// condition's and the magnitude the class's, so that the ends of the
    /// condition where this class crosses `q*/p = 1` are its roots.
    OverSuppression(usize),
}

impl Readout {
    /// This number at one solution.
    pub fn of(self, solution: &Solution) -> f64 {
        let ln_ratio = |class| solution.ln_ratio(class).unwrap_or(0.0);
        match self {
            Readout::ShannonQ => solution.shannon_q(),
            Readout::FeMin => solution.fe_min(),
            Readout::EntropyChange => solution.shannon_q() - solution.shannon_p(),
            Readout::LnRatio(class) => ln_ratio(class),
            Readout::OverSuppression(class) => {
                let magnitude = ln_ratio(class).abs().max(f64::MIN_POSITIVE);
                if solution.has_over_suppressed_class() {
                    -magnitude
                } else {
                    magnitude
                }
            }
        }
    }
}

/// A sweep as the analyses along γ read it: its problem and γ grid, a
/// [`Readout`] at each γ, and the solution at a grid point, from which the
/// γ where a readout changes sign between two grid points is found. A
/// [`Sweep`] keeps every solution; a [`TracedSweep`] only the readouts it
/// was asked to trace, and solves again at a grid point when asked.
pub trait SweepReadouts {
    /// The problem swept (`None` for an empty sweep).
    fn problem(&self) -> Option<&FocalProblem>;

    /// The γ values, increasing.
    fn gammas(&self) -> Vec<f64>;

    /// `readout` at each γ; an error for one a traced sweep did not trace.
    fn readouts(&self, readout: Readout) -> Result<Vec<f64>, FocalError>;

    /// The solution at the grid point `index`.
    fn solution_at(&self, index: usize) -> Result<Cow<'_, Solution>, FocalError>;
}

impl SweepReadouts for Sweep {
    fn problem(&self) -> Option<&FocalProblem> {
        self.solutions.first().map(Solution::problem)
    }

    fn gammas(&self) -> Vec<f64> {
        Sweep::gammas(self)
    }

    fn readouts(&self, readout: Readout) -> Result<Vec<f64>, FocalError> {
        Ok(self.solutions.iter().map(|s| readout.of(s)).collect())
    }

    fn solution_at(&self, index: usize) -> Result<Cow<'_, Solution>, FocalError> {
        self.solutions
            .get(index)
            .map(Cow::Borrowed)
            .ok_or(BEYOND_THE_SWEEP)
    }
}

/// An analysis asked of a sweep that solved no γ.
pub const EMPTY_SWEEP: FocalError = FocalError::InvalidGrid {
    reason: "the sweep is empty",
};

/// A grid point asked for that the sweep does not have.
const BEYOND_THE_SWEEP: FocalError = FocalError::InvalidGrid {
    reason: "a point beyond the sweep is asked for",
};

/// A sweep that kept, at each γ, only the [`Readout`]s it was asked to
/// trace: what the analyses along γ need of a problem too large to keep
/// every solution of.
#[derive(Debug, Clone)]
pub struct TracedSweep {
    problem: FocalProblem,
    gammas: Vec<f64>,
    /// Each traced readout with its value at each γ solved.
    traced: Vec<(Readout, Vec<f64>)>,
}

impl SweepReadouts for TracedSweep {
    fn problem(&self) -> Option<&FocalProblem> {
        Some(&self.problem)
    }

    fn gammas(&self) -> Vec<f64> {
        self.gammas.clone()
    }

    fn readouts(&self, readout: Readout) -> Result<Vec<f64>, FocalError> {
        self.traced
            .iter()
            .find(|(traced, _)| *traced == readout)
            .map(|(_, values)| values.clone())
            .ok_or(FocalError::InvalidGrid {
                reason: "a readout the sweep did not trace is asked for",
            })
    }

    /// Solved again (cold): the sweep keeps no solution.
    fn solution_at(&self, index: usize) -> Result<Cow<'_, Solution>, FocalError> {
        let gamma = *self.gammas.get(index).ok_or(BEYOND_THE_SWEEP)?;
        Ok(Cow::Owned(self.problem.solve(gamma)?))
    }
}

impl FocalProblem {
    /// Solves at every γ of an increasing grid, each solve starting from the
    /// previous ones extrapolated along γ.
    pub fn sweep(&self, gammas: &[f64]) -> Result<Sweep, FocalError> {
        let mut sweep = PartialSweep::new(self, gammas.to_vec())?;
        while sweep.advance()? {}
        Ok(sweep.into_sweep())
    }
}

/// A sweep computed one γ at a time, so that a page can spread it over short
/// tasks and drop it when it is no longer wanted. It keeps every solution,
/// or, inside a [`TracingSweep`], only the latest, and of the ones before it
/// the offsets the next start is extrapolated from.
#[derive(Debug, Clone)]
pub struct PartialSweep {
    problem: FocalProblem,
    gammas: Vec<f64>,
    /// Every solution, or only the latest (`keeps_all`).
    solutions: Vec<Solution>,
    /// What the next start needs of the solutions before the latest.
    trail: Trail,
    /// Whether every solution is kept.
    keeps_all: bool,
    /// How many γ values are solved.
    solved: usize,
    /// Whether the last start was within the settling bound of where it
    /// led: on an even grid the next usually is too, and then starts with an
    /// exact pass (see [`WarmStart::close`](super::solution::WarmStart)).
    starts_land_close: bool,
}

impl PartialSweep {
    /// A sweep of `problem` over an increasing grid of 1 to
    /// [`MAX_GRID_POINTS`] γ values, nothing solved yet.
    pub fn new(problem: &FocalProblem, gammas: Vec<f64>) -> Result<Self, FocalError> {
        if gammas.is_empty() || gammas.len() > MAX_GRID_POINTS {
            return Err(FocalError::InvalidGrid {
                reason: "a γ grid needs from 1 to 100001 points",
            });
        }
        if gammas
            .windows(2)
            .any(|pair| pair[0] >= pair[1] || pair[1].is_nan())
        {
            return Err(FocalError::InvalidGrid {
                reason: "γ values must increase",
            });
        }
        Ok(PartialSweep {
            problem: problem.clone(),
            solutions: Vec::with_capacity(gammas.len()),
            trail: Trail::new(EXTRAPOLATION_POINTS - 1),
            keeps_all: true,
            solved: 0,
            gammas,
            starts_land_close: false,
        })
    }

    /// Solves the next γ (from the previous solutions extrapolated along γ);
    /// returns whether γ values remain.
    pub fn advance(&mut self) -> Result<bool, FocalError> {
        let Some(&gamma) = self.gammas.get(self.solved) else {
            return Ok(false);
        };
        let mut start = self
            .solutions
            .last()
            .map(|latest| self.trail.start(latest.position(), gamma));
        if let Some(start) = start.as_mut() {
            start.close &= self.starts_land_close;
        }
        let solution = self.problem.solve_from(gamma, start.as_ref())?;
        self.starts_land_close = start.is_some_and(|start| start.landed_close(&solution));
        if let Some(latest) = self.solutions.last() {
            self.trail.push(latest.position());
        }
        if !self.keeps_all {
            self.solutions.clear();
        }
        self.solutions.push(solution);
        self.solved += 1;
        Ok(self.solved < self.gammas.len())
    }

    /// The problem being swept.
    pub fn problem(&self) -> &FocalProblem {
        &self.problem
    }

    /// γ values solved so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.solved, self.gammas.len())
    }

    /// The sweep over the γ values solved so far (all of them once
    /// [`PartialSweep::advance`] has returned `false`).
    pub fn into_sweep(self) -> Sweep {
        Sweep {
            solutions: Arc::new(self.solutions),
        }
    }
}

/// A [`PartialSweep`] that keeps, at each γ, only the readouts asked for:
/// the same solves, each solution dropped once no start needs it.
#[derive(Debug, Clone)]
pub struct TracingSweep {
    sweep: PartialSweep,
    /// Each readout traced with its value at each γ solved.
    traced: Vec<(Readout, Vec<f64>)>,
}

impl TracingSweep {
    /// A sweep of `problem` over `gammas` (as [`PartialSweep::new`]) that
    /// traces `readouts`.
    pub fn new(
        problem: &FocalProblem,
        gammas: Vec<f64>,
        readouts: &[Readout],
    ) -> Result<Self, FocalError> {
        let mut sweep = PartialSweep::new(problem, gammas)?;
        sweep.keeps_all = false;
        Ok(TracingSweep {
            sweep,
            traced: readouts.iter().map(|&r| (r, Vec::new())).collect(),
        })
    }

    /// Solves the next γ and reads the readouts off its solution; returns
    /// whether γ values remain.
    pub fn advance(&mut self) -> Result<bool, FocalError> {
        let solved = self.sweep.solved;
        let more = self.sweep.advance()?;
        let latest = self.sweep.solutions.last();
        if let Some(latest) = latest.filter(|_| self.sweep.solved > solved) {
            for (readout, values) in &mut self.traced {
                values.push(readout.of(latest));
            }
        }
        Ok(more)
    }

    /// γ values solved so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        self.sweep.progress()
    }

    /// The readouts traced over the γ values solved so far.
    pub fn into_traced(self) -> TracedSweep {
        let PartialSweep {
            problem,
            mut gammas,
            solved,
            ..
        } = self.sweep;
        gammas.truncate(solved);
        TracedSweep {
            problem,
            gammas,
            traced: self.traced,
        }
    }
}

/// How one class fares along γ.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackedClass {
    /// The class (zero-based).
    pub class: usize,
    /// γ grid of the sweep.
    pub gammas: Vec<f64>,
    /// `q*/p` of the class at each γ.
    pub ratios: Vec<f64>,
    /// γ intervals `[start, end]` in which the class is suppressed (`q* < p`);
    /// ends strictly inside the sweep are solved to 1e-9.
    pub suppressed: Vec<(f64, f64)>,
}

impl TrackedClass {
    /// The γ above which the class gains at every γ of the sweep: the end of
    /// its last suppressed interval when that ends before γ_max, 0 when it is
    /// never suppressed and gains at γ_max; `None` when it is suppressed at
    /// γ_max or never moves (balanced classes).
    pub fn lifted_from(&self) -> Option<f64> {
        let gamma_max = self.gammas.last().copied()?;
        match self.suppressed.last() {
            Some(&(_, end)) => (end < gamma_max).then_some(end),
            None => self.ratios.last().is_some_and(|&r| r > 1.0).then_some(0.0),
        }
    }
}

/// Tolerance in γ of the refined interval ends.
const GAMMA_TOLERANCE: f64 = 1e-9;

/// The γ in `(low, high)` where `readout` changes sign, by the Illinois
/// method, each trial solved from `near`. A readout with a jump (a yes/no condition
/// given a magnitude) is bracketed just as well: the iteration then ends at
/// the jump, to the same tolerance.
fn sign_change(
    near: &Solution,
    readout: Readout,
    (mut low, mut f_low): (f64, f64),
    (mut high, mut f_high): (f64, f64),
) -> Result<f64, FocalError> {
    let mut side = 0;
    for _ in 0..200 {
        if high - low <= GAMMA_TOLERANCE {
            break;
        }
        let mut guess = (low * f_high - high * f_low) / (f_high - f_low);
        if !(guess > low && guess < high) {
            guess = 0.5 * (low + high);
        }
        let trial = readout.of(&near.problem().solve_near(guess, near)?);
        if (trial < 0.0) == (f_low < 0.0) {
            low = guess;
            f_low = trial;
            if side == -1 {
                f_high *= 0.5;
            }
            side = -1;
        } else {
            high = guess;
            f_high = trial;
            if side == 1 {
                f_low *= 0.5;
            }
            side = 1;
        }
    }
    Ok(0.5 * (low + high))
}

/// The γ intervals `[start, end]` of a sweep on which `readout` is negative.
/// A value of exactly 0 at a grid point (as at γ = 0, where Q* = P) takes
/// the side of the next point. Ends strictly inside the sweep are roots of
/// the readout, found to 1e-9 in γ; an interval still open at the last grid
/// point ends at γ_max. A sign change between two grid points and back again
/// is not seen: the sweep's spacing is the resolution.
pub fn negative_ranges(
    sweep: &dyn SweepReadouts,
    readout: Readout,
) -> Result<Vec<(f64, f64)>, FocalError> {
    let gammas = sweep.gammas();
    let values = sweep.readouts(readout)?;
    let negative_at = |k: usize| {
        let here = if values[k] == 0.0 && k + 1 < values.len() {
            values[k + 1]
        } else {
            values[k]
        };
        here < 0.0
    };
    let mut ranges = Vec::new();
    let (Some(&first), Some(&last)) = (gammas.first(), gammas.last()) else {
        return Ok(ranges);
    };
    let mut open: Option<f64> = negative_at(0).then_some(first);
    for k in 1..values.len() {
        if negative_at(k) == open.is_some() {
            continue;
        }
        let crossing = sign_change(
            &*sweep.solution_at(k - 1)?,
            readout,
            (gammas[k - 1], values[k - 1]),
            (gammas[k], values[k]),
        )?;
        match open.take() {
            Some(start) => ranges.push((start, crossing)),
            None => open = Some(crossing),
        }
    }
    if let Some(start) = open {
        ranges.push((start, last));
    }
    Ok(ranges)
}

/// Traces a class along the sweep: its `q*/p` and where it is suppressed.
pub fn track_class(sweep: &dyn SweepReadouts, class: usize) -> Result<TrackedClass, FocalError> {
    let problem = sweep.problem().ok_or(EMPTY_SWEEP)?;
    if problem.group_index(class).is_none() {
        return Err(FocalError::InvalidClass { index: class });
    }
    let readout = Readout::LnRatio(class);
    Ok(TrackedClass {
        class,
        gammas: sweep.gammas(),
        ratios: sweep.readouts(readout)?.into_iter().map(f64::exp).collect(),
        suppressed: negative_ranges(sweep, readout)?,
    })
}

/// The marker of a distinct class (the classes of equal `p` and weight) on
/// the reshaping-map plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapMarker {
    /// How many classes it stands for.
    pub classes: usize,
    /// Their data probability `p`.
    pub p: f64,
    /// `(α/Σαp)·h(p)`: the classes are amplified exactly when this exceeds μ.
    pub h: f64,
    /// Their regime.
    pub regime: Regime,
}

/// The reshaping map `h(p) = p·G(p)` at the solution's γ, for plotting.
#[derive(Debug, Clone, PartialEq)]
pub struct ReshapingMap {
    /// `(p, h(p))` on a logarithmic grid of p.
    pub curve: Vec<(f64, f64)>,
    /// μ of the solution: classes whose marker lies above it are amplified.
    pub mu: f64,
    /// A marker per distinct class, by increasing weight (every n-th of
    /// them when there are more than asked for).
    pub markers: Vec<MapMarker>,
}

/// Samples `h(p)` at `points` log-spaced probabilities from a decade below the
/// rarest class (at most 10⁻⁶) up to 1 − 10⁻⁶, and places the distinct classes
/// on it: all of them up to `max_markers`, beyond that every n-th by
/// increasing weight, the rarest first (a plot's markers would only overlap
/// along the curve, and each costs two transcendentals: a million distinct
/// classes took 0.1 s at every γ in the page).
pub fn reshaping_map(solution: &Solution, points: usize, max_markers: usize) -> ReshapingMap {
    let gamma = solution.gamma();
    let problem = solution.problem();
    let rarest = problem.p(problem.rarest_class());
    let low = (rarest / 10.0).clamp(1e-300, 1e-6).log10();
    let high = (1.0f64 - 1e-6).log10();
    let points = points.max(2);
    let curve = (0..points)
        .map(|i| {
            let p = 10f64.powf(low + (high - low) * i as f64 / (points - 1) as f64);
            let point = LogitPoint::from_parts(p, 1.0 - p);
            (p, ln_reshaping_map(gamma, &point).exp())
        })
        .collect();
    let groups = problem.groups();
    let stride = groups.len().div_ceil(max_markers.max(1)).max(1);
    // Only every stride-th group is read: a million are not walked for a
    // few hundred markers.
    let markers = groups
        .iter()
        .zip(solution.group_regimes())
        .enumerate()
        .step_by(stride)
        .map(|(g, (group, &regime))| MapMarker {
            classes: group.multiplicity as usize,
            p: group.p,
            h: (ln_reshaping_map(gamma, problem.data_point(g)) + group.ln_w_over_p).exp(),
            regime,
        })
        .collect();
    ReshapingMap {
        curve,
        mu: solution.mu(),
        markers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_taken_step_by_step_is_the_whole_sweep() {
        let problem = FocalProblem::new(&[50.0, 20.0, 5.0, 1.0], None).unwrap();
        let grid = gamma_grid(10.0, 9).unwrap();
        let whole = problem.sweep(&grid).unwrap();
        let mut partial = PartialSweep::new(&problem, grid.clone()).unwrap();
        assert_eq!(partial.progress(), (0, 9));
        assert!(partial.problem().same_as(&problem));
        for done in 1..9 {
            assert!(partial.advance().unwrap());
            assert_eq!(partial.progress(), (done, 9));
        }
        assert!(!partial.advance().unwrap());
        assert!(!partial.advance().unwrap());
        let stepped = partial.into_sweep();
        assert_eq!(stepped.gammas(), grid);
        for (a, b) in stepped.solutions().iter().zip(whole.solutions()) {
            assert_eq!(a.q(3).to_bits(), b.q(3).to_bits());
            assert_eq!(a.mu().to_bits(), b.mu().to_bits());
        }
        // Stopped early, it holds what was solved.
        let mut early = PartialSweep::new(&problem, grid).unwrap();
        early.advance().unwrap();
        assert_eq!(early.into_sweep().solutions().len(), 1);
        assert!(PartialSweep::new(&problem, vec![1.0, 1.0]).is_err());
        assert!(PartialSweep::new(&problem, Vec::new()).is_err());
    }
}
