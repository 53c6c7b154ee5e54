//! The imbalance × γ map: how the rarest class of an exponential long tail
//! fares over a range of head-to-tail ratios and γ. Computed one row (one
//! ratio, every γ) at a time, rows in any order, so that the page can hand rows
//! to Web Workers and fill the map in as they come back.

use super::error::{validate_gamma, FocalError};
use super::problem::FocalProblem;
use super::solution::{Located, Trail};

/// Earlier positions a map cell's start is extrapolated from: four, a cubic
/// along γ (the map's cells are far apart in γ, where higher orders gain
/// less than along a sweep). Instructions measured with three, four and six:
/// the K = 1000 map of 32 × 48 cells 870 M, 743 M, 766 M; a row of the
/// 16 × 24 map at K = 10⁵ 1.20 G, 1.23 G, 1.26 G. A million-class row keeps
/// 224 MB of them.
const MAP_EXTRAPOLATION_POINTS: usize = 4;

/// Smallest head-to-tail ratio of the map.
pub const MAP_RATIO_LOW: f64 = 10.0;
/// Largest head-to-tail ratio of the map.
pub const MAP_RATIO_HIGH: f64 = 1e6;

/// Relative class frequencies of the exponential long tail with `classes`
/// classes and head-to-tail `ratio`: `ratio^(−i/(K−1))`, head first.
pub fn exponential_tail(classes: usize, ratio: f64) -> Vec<f64> {
    let last = classes.saturating_sub(1).max(1) as f64;
    (0..classes)
        .map(|i| ratio.powf(-(i as f64) / last))
        .collect()
}

/// `ln(q*/p)` of the rarest class of the exponential long tail over a grid of
/// ratios (log-spaced, 10 to 10⁶) and γ (evenly spaced in `(0, γ_max]`).
/// Grid points are cell centres, so the cells tile the whole map.
#[derive(Debug, Clone)]
pub struct ImbalanceMap {
    classes: usize,
    gamma_max: f64,
    ratios: Vec<f64>,
    gammas: Vec<f64>,
    /// Row-major by ratio: `ln_ratios[r * gammas.len() + g]` (NaN until its row is in).
    ln_ratios: Vec<f64>,
    /// Which rows are in.
    rows_done: Vec<bool>,
}

impl ImbalanceMap {
    /// An empty map for `classes` classes (at least 2), γ up to `gamma_max`,
    /// with `ratio_points` × `gamma_points` cells (each at least 2).
    pub fn new(
        classes: usize,
        gamma_max: f64,
        ratio_points: usize,
        gamma_points: usize,
    ) -> Result<Self, FocalError> {
        validate_gamma(gamma_max)?;
        if classes < 2 {
            return Err(FocalError::InvalidGrid {
                reason: "the imbalance map needs at least two classes",
            });
        }
        if gamma_max <= 0.0 || ratio_points < 2 || gamma_points < 2 {
            return Err(FocalError::InvalidGrid {
                reason: "the imbalance map needs γ_max > 0 and at least 2×2 cells",
            });
        }
        if ratio_points.saturating_mul(gamma_points) > 1_000_000 {
            return Err(FocalError::InvalidGrid {
                reason: "the imbalance map is limited to a million cells",
            });
        }
        let (low, high) = (MAP_RATIO_LOW.log10(), MAP_RATIO_HIGH.log10());
        let ratios = (0..ratio_points)
            .map(|i| 10f64.powf(low + (high - low) * (i as f64 + 0.5) / ratio_points as f64))
            .collect();
        let gammas = (0..gamma_points)
            .map(|i| gamma_max * (i as f64 + 0.5) / gamma_points as f64)
            .collect();
        Ok(ImbalanceMap {
            classes,
            gamma_max,
            ratios,
            gammas,
            ln_ratios: vec![f64::NAN; ratio_points * gamma_points],
            rows_done: vec![false; ratio_points],
        })
    }

    /// Number of classes K of the family.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The head-to-tail ratios of the rows (cell centres, increasing).
    pub fn ratios(&self) -> &[f64] {
        &self.ratios
    }

    /// The γ of the columns (cell centres, increasing).
    pub fn gammas(&self) -> &[f64] {
        &self.gammas
    }

    /// γ_max, the right edge of the map.
    pub fn gamma_max(&self) -> f64 {
        self.gamma_max
    }

    /// Cells computed so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        let rows = self.rows_done.iter().filter(|&&done| done).count();
        (rows * self.gammas.len(), self.ln_ratios.len())
    }

    /// Whether every cell is computed.
    pub fn is_complete(&self) -> bool {
        self.rows_done.iter().all(|&done| done)
    }

    /// Whether row `ratio_index` is in.
    pub fn has_row(&self, ratio_index: usize) -> bool {
        self.rows_done.get(ratio_index).copied().unwrap_or(false)
    }

    /// `ln(q*/p)` of the rarest class at row `ratio_index`, column
    /// `gamma_index`, if that cell is computed.
    pub fn ln_ratio(&self, ratio_index: usize, gamma_index: usize) -> Option<f64> {
        if gamma_index >= self.gammas.len() || !self.has_row(ratio_index) {
            return None;
        }
        self.ln_ratios
            .get(ratio_index * self.gammas.len() + gamma_index)
            .copied()
    }

    /// Computes row `ratio_index`: `ln(q*/p)` of the rarest class at every γ
    /// of the map, each solve starting from the previous ones extrapolated
    /// along γ. Only the solver's position is kept per cell, not the readouts
    /// of a full [`Solution`](super::Solution): the map needs one class.
    pub fn compute_row(&self, ratio_index: usize) -> Result<Vec<f64>, FocalError> {
        let ratio = *self
            .ratios
            .get(ratio_index)
            .ok_or(FocalError::InvalidGrid {
                reason: "the imbalance map has no such row",
            })?;
        let problem = FocalProblem::new(&exponential_tail(self.classes, ratio), None)?;
        let rarest = problem
            .group_index(self.classes - 1)
            .ok_or(FocalError::InvalidGrid {
                reason: "the rarest class of the imbalance map underflows",
            })?;
        let mut values = Vec::with_capacity(self.gammas.len());
        // The latest position, and the earlier ones a start is extrapolated from.
        let mut latest: Option<(f64, Located)> = None;
        let mut trail = Trail::new(MAP_EXTRAPOLATION_POINTS - 1);
        for &gamma in &self.gammas {
            let start = latest
                .as_ref()
                .map(|(g, at)| trail.start((*g, at.lambda, &at.groups), gamma));
            let position = problem.locate_roughly(gamma, start.as_ref())?;
            // No α in the map, so ln(q/p) = ln(q/w).
            values.push(position.groups[rarest].ln_q_over_w);
            if let Some((g, at)) = latest.replace((gamma, position)) {
                trail.push((g, at.lambda, &at.groups));
            }
        }
        Ok(values)
    }

    /// Puts in row `ratio_index`, as computed by [`ImbalanceMap::compute_row`]
    /// (here or in a worker).
    pub fn set_row(&mut self, ratio_index: usize, values: &[f64]) -> Result<(), FocalError> {
        let columns = self.gammas.len();
        if ratio_index >= self.ratios.len() || values.len() != columns {
            return Err(FocalError::InvalidGrid {
                reason: "a row of the imbalance map does not fit it",
            });
        }
        self.ln_ratios[ratio_index * columns..(ratio_index + 1) * columns].copy_from_slice(values);
        self.rows_done[ratio_index] = true;
        Ok(())
    }

    /// The q*/p = 1 contour through the computed cells by marching squares:
    /// segments between points `(γ, log₁₀ ratio)`, interpolated linearly in
    /// `ln(q*/p)` between cell centres. Left of it the rarest class is pushed
    /// down, right of it lifted (or the reverse, as the map shows).
    pub fn break_even_contour(&self) -> Vec<[(f64, f64); 2]> {
        let columns = self.gammas.len();
        let point = |r: usize, g: usize| (self.gammas[g], self.ratios[r].log10());
        let mut segments = Vec::new();
        for r in 0..self.ratios.len().saturating_sub(1) {
            if !(self.rows_done[r] && self.rows_done[r + 1]) {
                continue;
            }
            for g in 0..columns - 1 {
                // Corners counter-clockwise from lower left.
                let corners = [(r, g), (r, g + 1), (r + 1, g + 1), (r + 1, g)];
                let values = corners.map(|(r, g)| self.ln_ratios[r * columns + g]);
                let mut crossings = Vec::with_capacity(4);
                for edge in 0..4 {
                    let (a, b) = (edge, (edge + 1) % 4);
                    let (va, vb) = (values[a], values[b]);
                    if (va < 0.0) != (vb < 0.0) {
                        let t = va / (va - vb);
                        let (pa, pb) = (
                            point(corners[a].0, corners[a].1),
                            point(corners[b].0, corners[b].1),
                        );
                        crossings.push((pa.0 + t * (pb.0 - pa.0), pa.1 + t * (pb.1 - pa.1)));
                    }
                }
                for pair in crossings.chunks_exact(2) {
                    segments.push([pair[0], pair[1]]);
                }
            }
        }
        segments
    }

    /// Computes every remaining row here, one after another.
    pub fn complete(mut self) -> Result<Self, FocalError> {
        for row in 0..self.ratios.len() {
            if !self.rows_done[row] {
                let values = self.compute_row(row)?;
                self.set_row(row, &values)?;
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::solve;

    #[test]
    fn grid_is_cell_centred() {
        let map = ImbalanceMap::new(10, 20.0, 5, 4).unwrap();
        assert_eq!(map.gammas(), &[2.5, 7.5, 12.5, 17.5]);
        assert!((map.ratios()[0] - 10f64.powf(1.5)).abs() < 1e-9);
        assert!((map.ratios()[4] - 10f64.powf(5.5)).abs() < 1e-6);
        assert_eq!(map.gamma_max(), 20.0);
        assert_eq!(map.progress(), (0, 20));
    }

    #[test]
    fn cells_match_independent_solves_to_far_below_a_colour() {
        let mut map = ImbalanceMap::new(10, 8.0, 4, 6).unwrap();
        // Rows come in any order (as from workers).
        let third = map.compute_row(2).unwrap();
        map.set_row(2, &third).unwrap();
        assert_eq!(map.progress(), (6, 24));
        assert!(map.has_row(2) && !map.has_row(0));
        assert_eq!(map.ln_ratio(0, 1), None);
        assert_eq!(map.ln_ratio(2, 1), Some(third[1]));
        assert!(map.set_row(4, &third).is_err());
        assert!(map.set_row(1, &third[1..]).is_err());
        assert!(map.compute_row(4).is_err());
        let map = map.complete().unwrap();
        assert!(map.is_complete());
        for &ratio in map.ratios() {
            let counts = exponential_tail(10, ratio);
            assert!((counts[0] / counts[9] - ratio).abs() < 1e-9 * ratio);
        }
        let error = largest_error(&map);
        assert!(error < 1e-9, "{error:e}");
        // The page's grid (32 × 48 cells up to γ = 20): the cells are solved
        // by rough passes alone (`locate_roughly`), measured within 5.4e-7
        // of exact solves at K = 10, 9e-10 at K = 100 and 1.3e-14 at
        // K = 1000. The map's 8-bit tints on a square-root scale resolve no
        // finer than about 2e-5 of the largest |ln(q*/p)| on a side (a few
        // units), and its contour is interpolated between cell centres.
        for (classes, bound) in [(10, 2e-6), (100, 5e-9)] {
            let map = ImbalanceMap::new(classes, 20.0, 32, 48)
                .unwrap()
                .complete()
                .unwrap();
            let error = largest_error(&map);
            assert!(error < bound, "K = {classes}: {error:e}");
        }
    }

    /// The largest difference of a complete map's `ln(q*/p)` from exact solves.
    fn largest_error(map: &ImbalanceMap) -> f64 {
        let rarest = map.classes() - 1;
        let mut largest = 0.0f64;
        for (r, &ratio) in map.ratios().iter().enumerate() {
            let counts = exponential_tail(map.classes(), ratio);
            for (g, &gamma) in map.gammas().iter().enumerate() {
                let exact = solve(&counts, gamma, None)
                    .unwrap()
                    .ln_ratio(rarest)
                    .unwrap();
                let cell = map.ln_ratio(r, g).unwrap();
                largest = largest.max((cell - exact).abs());
            }
        }
        largest
    }

    #[test]
    fn rarest_class_is_over_suppressed_at_small_gamma_and_amplified_later() {
        // K = 10, ratio 10^1.5: at γ = 1.25 the rarest class loses 5.3%
        // (`focal` CLI: q/p = 0.946509); at γ = 18.75 the drift toward
        // uniform lifts it (q/p > 1), and at ratio 10^5.5 it gains 29-fold.
        let map = ImbalanceMap::new(10, 20.0, 5, 8)
            .unwrap()
            .complete()
            .unwrap();
        assert!((map.ln_ratio(0, 0).unwrap().exp() - 0.946509).abs() < 1e-6);
        assert!(map.ln_ratio(0, 7).unwrap() > 0.0);
        assert!((map.ln_ratio(4, 7).unwrap().exp() - 29.0919).abs() < 1e-4);
    }

    #[test]
    fn contour_separates_signs() {
        let map = ImbalanceMap::new(10, 20.0, 6, 10)
            .unwrap()
            .complete()
            .unwrap();
        let contour = map.break_even_contour();
        assert!(!contour.is_empty());
        for segment in contour {
            for (gamma, log_ratio) in segment {
                // Every contour point lies where an independent solve gives q*/p ≈ 1
                // (to the accuracy of linear interpolation on a coarse grid).
                let counts = exponential_tail(10, 10f64.powf(log_ratio));
                let ratio = solve(&counts, gamma, None).unwrap().ratio(9).unwrap();
                assert!(
                    (ratio - 1.0).abs() < 0.05,
                    "({gamma}, {log_ratio}): {ratio}"
                );
            }
        }
    }

    #[test]
    fn bad_maps_are_refused() {
        assert!(ImbalanceMap::new(1, 20.0, 4, 4).is_err());
        assert!(ImbalanceMap::new(10, 0.0, 4, 4).is_err());
        assert!(ImbalanceMap::new(10, f64::NAN, 4, 4).is_err());
        assert!(ImbalanceMap::new(10, 20.0, 1, 4).is_err());
        assert!(ImbalanceMap::new(10, 20.0, 2000, 2000).is_err());
    }
}
