//! Analyses built on the solver: a warm-started γ-sweep, the story of one class
//! along γ, and the reshaping map `h(p)` that explains which classes gain.

use super::error::{validate_gamma, FocalError};
use super::focal::ln_reshaping_map;
use super::numerics::LogitPoint;
use super::problem::FocalProblem;
use super::solver::Solution;

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

/// Q* along an increasing grid of γ values.
#[derive(Debug, Clone)]
pub struct Sweep {
    solutions: Vec<Solution>,
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

impl FocalProblem {
    /// Solves at every γ of an increasing grid, each solve starting from the
    /// previous one extrapolated linearly along γ.
    pub fn sweep(&self, gammas: &[f64]) -> Result<Sweep, FocalError> {
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
        let mut solutions: Vec<Solution> = Vec::with_capacity(gammas.len());
        for &gamma in gammas {
            let solution = match solutions.as_slice() {
                [] => self.solve(gamma)?,
                [only] => self.solve_near(gamma, only)?,
                [.., before, last] => {
                    let warm = last.extrapolated_start(before, gamma);
                    self.solve_from(gamma, Some(&warm))?
                }
            };
            solutions.push(solution);
        }
        Ok(Sweep { solutions })
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
    /// The γ in `[0, γ_max]` where `q*/p` is largest.
    pub best_gamma: f64,
    /// `q*/p` at `best_gamma`.
    pub best_ratio: f64,
}

/// Tolerance in γ of the refined interval ends and best γ.
const GAMMA_TOLERANCE: f64 = 1e-9;

/// `ln(q*/p)` of the class at γ, solved from a nearby solution.
fn ln_ratio_at(near: &Solution, class: usize, gamma: f64) -> Result<f64, FocalError> {
    let solution = near.problem().solve_near(gamma, near)?;
    Ok(solution.ln_ratio(class).unwrap_or(0.0))
}

/// The γ in `(low, high)` where `ln(q*/p)` changes sign, by the Illinois method.
fn sign_change(
    near: &Solution,
    class: usize,
    mut low: f64,
    mut high: f64,
    mut f_low: f64,
    mut f_high: f64,
) -> Result<f64, FocalError> {
    let mut side = 0;
    for _ in 0..100 {
        if high - low <= GAMMA_TOLERANCE {
            break;
        }
        let mut guess = (low * f_high - high * f_low) / (f_high - f_low);
        if !(guess > low && guess < high) {
            guess = 0.5 * (low + high);
        }
        let value = ln_ratio_at(near, class, guess)?;
        if (value < 0.0) == (f_low < 0.0) {
            low = guess;
            f_low = value;
            if side == -1 {
                f_high *= 0.5;
            }
            side = -1;
        } else {
            high = guess;
            f_high = value;
            if side == 1 {
                f_low *= 0.5;
            }
            side = 1;
        }
    }
    Ok(0.5 * (low + high))
}

/// Traces a class along the sweep: its `q*/p`, where it is suppressed, and its best γ.
pub fn track_class(sweep: &Sweep, class: usize) -> Result<TrackedClass, FocalError> {
    let solutions = sweep.solutions();
    let first = solutions.first().ok_or(FocalError::InvalidGrid {
        reason: "the sweep is empty",
    })?;
    if first.problem().group_index(class).is_none() {
        return Err(FocalError::InvalidClass { index: class });
    }
    let gammas = sweep.gammas();
    let ln_ratios: Vec<f64> = solutions
        .iter()
        .map(|s| s.ln_ratio(class).unwrap_or(0.0))
        .collect();
    // At γ = 0 every ratio is exactly 1; the class's side is that of γ → 0+.
    let suppressed_at = |k: usize| {
        let value = if ln_ratios[k] == 0.0 && k + 1 < ln_ratios.len() {
            ln_ratios[k + 1]
        } else {
            ln_ratios[k]
        };
        value < 0.0
    };
    let mut suppressed = Vec::new();
    let mut open: Option<f64> = suppressed_at(0).then_some(gammas[0]);
    for k in 1..gammas.len() {
        let now = suppressed_at(k);
        if now == open.is_some() {
            continue;
        }
        let crossing = sign_change(
            &solutions[k - 1],
            class,
            gammas[k - 1],
            gammas[k],
            ln_ratios[k - 1],
            ln_ratios[k],
        )?;
        match open.take() {
            Some(start) => suppressed.push((start, crossing)),
            None => open = Some(crossing),
        }
    }
    if let Some(start) = open {
        suppressed.push((start, sweep.gamma_max()));
    }
    let (best_gamma, best_ln_ratio) = best_on_grid(&gammas, &ln_ratios, solutions, class)?;
    Ok(TrackedClass {
        class,
        gammas,
        ratios: ln_ratios.iter().map(|r| r.exp()).collect(),
        suppressed,
        best_gamma,
        best_ratio: best_ln_ratio.exp(),
    })
}

/// The maximum of `ln(q*/p)` over the sweep, refined by golden-section search
/// around the best grid point.
fn best_on_grid(
    gammas: &[f64],
    ln_ratios: &[f64],
    solutions: &[Solution],
    class: usize,
) -> Result<(f64, f64), FocalError> {
    let best = ln_ratios.iter().enumerate().fold(
        0,
        |best, (k, &value)| if value > ln_ratios[best] { k } else { best },
    );
    if gammas.len() < 3 || best == 0 || best == gammas.len() - 1 {
        return Ok((gammas[best], ln_ratios[best]));
    }
    let near = &solutions[best];
    let inverse_phi = (5f64.sqrt() - 1.0) / 2.0;
    let (mut low, mut high) = (gammas[best - 1], gammas[best + 1]);
    let mut left = high - inverse_phi * (high - low);
    let mut right = low + inverse_phi * (high - low);
    let mut f_left = ln_ratio_at(near, class, left)?;
    let mut f_right = ln_ratio_at(near, class, right)?;
    while high - low > GAMMA_TOLERANCE * 1e3 {
        if f_left > f_right {
            high = right;
            right = left;
            f_right = f_left;
            left = high - inverse_phi * (high - low);
            f_left = ln_ratio_at(near, class, left)?;
        } else {
            low = left;
            left = right;
            f_left = f_right;
            right = low + inverse_phi * (high - low);
            f_right = ln_ratio_at(near, class, right)?;
        }
    }
    let (gamma, value) = if f_left > f_right {
        (left, f_left)
    } else {
        (right, f_right)
    };
    Ok(if value >= ln_ratios[best] {
        (gamma, value)
    } else {
        (gammas[best], ln_ratios[best])
    })
}

/// One class's marker on the reshaping-map plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapMarker {
    /// The class (zero-based).
    pub class: usize,
    /// Its data probability `p`.
    pub p: f64,
    /// `(α/Σαp)·h(p)`: the class is amplified exactly when this exceeds μ.
    pub h: f64,
}

/// The reshaping map `h(p) = p·G(p)` at the solution's γ, for plotting.
#[derive(Debug, Clone, PartialEq)]
pub struct ReshapingMap {
    /// `(p, h(p))` on a logarithmic grid of p.
    pub curve: Vec<(f64, f64)>,
    /// μ of the solution: classes whose marker lies above it are amplified.
    pub mu: f64,
    /// Every present class's marker.
    pub markers: Vec<MapMarker>,
}

/// Samples `h(p)` at `points` log-spaced probabilities from a decade below the
/// rarest class (at most 10⁻⁶) up to 1 − 10⁻⁶, and places every class on it.
pub fn reshaping_map(solution: &Solution, points: usize) -> ReshapingMap {
    let gamma = solution.gamma();
    let problem = solution.problem();
    let rarest = problem.p(problem.rarest_class());
    let low = (rarest / 10.0).clamp(1e-300, 1e-6).log10();
    let high = (1.0f64 - 1e-6).log10();
    let points = points.max(2);
    let curve = (0..points)
        .map(|i| {
            let p = 10f64.powf(low + (high - low) * i as f64 / (points - 1) as f64);
            let point = LogitPoint::at(p.ln() - (-p).ln_1p());
            (p, ln_reshaping_map(gamma, &point).exp())
        })
        .collect();
    let markers = problem
        .classes_with_groups()
        .map(|(class, group)| MapMarker {
            class,
            p: group.p.q,
            h: (ln_reshaping_map(gamma, &group.p) + group.ln_w_over_p).exp(),
        })
        .collect();
    ReshapingMap {
        curve,
        mu: solution.mu(),
        markers,
    }
}
