//! The frame shared by every plot whose x axis is γ (entropy, tracked class,
//! imbalance map): the same margins and coordinates for the base drawing and
//! for the cursor at the current γ drawn over it, and the pixel span of the γ
//! axis so that a click or drag can be turned back into a γ.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{nice_ticks, AxisSpec, Chart2d};
use super::Theme;

/// The value ranges of a drawn γ plot: enough to rebuild its coordinates and
/// draw the cursor on top without redrawing the plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaFrame {
    /// γ_max (right end of the x axis; the left end is 0).
    pub gamma_max: f64,
    /// Bottom of the y axis, in the plot's y unit.
    pub bottom: f64,
    /// Top of the y axis, in the plot's y unit.
    pub top: f64,
}

/// Where γ = 0 and γ = γ_max fall on the drawing, in the area's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaAxis {
    /// Pixel x of γ = 0.
    pub left: i32,
    /// Pixel x of γ = γ_max.
    pub right: i32,
    /// γ_max.
    pub gamma_max: f64,
}

impl GammaAxis {
    /// The γ under pixel x, clamped to `[0, γ_max]`.
    pub fn gamma_at(&self, x: f64) -> f64 {
        let span = f64::from(self.right - self.left).max(1.0);
        ((x - f64::from(self.left)) / span * self.gamma_max).clamp(0.0, self.gamma_max)
    }
}

/// Tick label of a γ, with at most two decimals.
pub(super) fn gamma_label(gamma: f64) -> String {
    format!("{}", (gamma * 100.0).round() / 100.0)
}

impl GammaFrame {
    /// The frame's γ axis: about eight round ticks from 0 to γ_max, titled "γ".
    pub fn gamma_axis_spec(&self, grid: bool) -> AxisSpec<'static> {
        AxisSpec {
            ticks: nice_ticks(0.0, self.gamma_max, 8),
            label: &gamma_label,
            title: "γ",
            grid,
        }
    }

    /// The chart of this frame on `area`: same margins for base and cursor.
    pub fn chart<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<Chart2d<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
        ChartBuilder::on(area)
            .margin(theme.px(10.0))
            .x_label_area_size(theme.px(38.0))
            .y_label_area_size(theme.px(58.0))
            .build_cartesian_2d(0.0..self.gamma_max, self.bottom..self.top)
    }

    /// Shades γ-ranges `[from, to]` over the frame's whole height (where a
    /// class is suppressed, where the entropy is below H(P)).
    pub fn shade_ranges<DB: DrawingBackend>(
        &self,
        chart: &mut Chart2d<'_, DB>,
        ranges: &[(f64, f64)],
        color: RGBColor,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        chart.draw_series(ranges.iter().map(|&(from, to)| {
            Rectangle::new([(from, self.bottom), (to, self.top)], color.filled())
        }))?;
        Ok(())
    }

    /// The γ axis of a chart built by [`GammaFrame::chart`], in the area's pixels.
    pub fn axis<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        chart: &Chart2d<'_, DB>,
    ) -> GammaAxis {
        let (left, _) = super::pixel_in(area, chart, &(0.0, self.bottom));
        let (right, _) = super::pixel_in(area, chart, &(self.gamma_max, self.bottom));
        GammaAxis {
            left,
            right,
            gamma_max: self.gamma_max,
        }
    }
}

/// Draws the cursor of the current γ over a drawn frame: a vertical line and a
/// dot at each of `values` (y coordinates at γ; non-finite ones are skipped).
pub fn draw_gamma_cursor<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &GammaFrame,
    gamma: f64,
    values: &[f64],
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = frame.chart(area, theme)?;
    let width = theme.line_width();
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(gamma, frame.bottom), (gamma, frame.top)],
        theme.over_suppressed.stroke_width(width),
    )))?;
    chart.draw_series(
        values
            .iter()
            .filter(|y| y.is_finite())
            .map(|&y| Circle::new((gamma, y), theme.px(4.0), theme.over_suppressed.filled())),
    )?;
    Ok(())
}
