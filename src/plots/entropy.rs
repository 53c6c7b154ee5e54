//! "Entropy versus γ": H(Q*_γ) and the minimal focal-entropy FE_γ(P, Q*_γ) over
//! the sweep, reference lines at H(P) and at ln K (the uniform limit), and a
//! marker at the current γ. Returns the pixel span of the γ axis so that a
//! click or drag on the plot can be turned back into a γ.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_axes, draw_legend, nice_ticks, AxisSpec, Corner, LegendMark};
use super::Theme;

/// The curves, already in the display unit (nats or bits).
#[derive(Debug, Clone, Copy)]
pub struct EntropyCurves<'a> {
    /// γ grid, increasing from 0.
    pub gammas: &'a [f64],
    /// H(Q*) at each γ.
    pub shannon_q: &'a [f64],
    /// FE_γ(P, Q*) at each γ.
    pub fe_min: &'a [f64],
    /// H(P).
    pub shannon_p: f64,
    /// ln K, the entropy of the uniform distribution.
    pub uniform: f64,
    /// Unit name for the axis ("nats" or "bits").
    pub unit: &'a str,
}

/// The value ranges of a drawn entropy plot: enough to rebuild its coordinates
/// and draw the γ marker on top without redrawing the curves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EntropyFrame {
    /// γ_max (right end of the x axis).
    pub gamma_max: f64,
    /// Top of the y axis.
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

type EntropyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart layout shared by the curves and the marker: same margins, same coordinates.
fn entropy_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    frame: &EntropyFrame,
    theme: &Theme,
) -> Result<EntropyChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    ChartBuilder::on(area)
        .margin(theme.px(10.0))
        .x_label_area_size(theme.px(38.0))
        .y_label_area_size(theme.px(58.0))
        .build_cartesian_2d(0.0..frame.gamma_max, 0.0..frame.top)
}

/// Draws the curves and reference lines; returns the frame (for the marker)
/// and the γ axis position (for pointer input).
pub fn draw_entropy<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &EntropyCurves,
    theme: &Theme,
) -> Result<(EntropyFrame, GammaAxis), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;
    let gamma_max = curves.gammas.last().copied().unwrap_or(1.0).max(1e-9);
    let top = curves
        .shannon_q
        .iter()
        .chain(curves.fe_min)
        .copied()
        .chain([curves.uniform, curves.shannon_p])
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(1e-3)
        * 1.08;
    let frame = EntropyFrame { gamma_max, top };
    let mut chart = entropy_chart(area, &frame, theme)?;
    let x_label = |x: f64| format!("{}", (x * 100.0).round() / 100.0);
    let y_label = |y: f64| format!("{y:.2}");
    draw_axes(
        area,
        &mut chart,
        &AxisSpec {
            ticks: nice_ticks(0.0, gamma_max, 8),
            label: &x_label,
            title: "γ",
            grid: true,
        },
        &AxisSpec {
            ticks: nice_ticks(0.0, top, 6),
            label: &y_label,
            title: curves.unit,
            grid: true,
        },
        theme,
    )?;
    let width = theme.px(2.0).max(1) as u32;
    let dashed = |y: f64, color: RGBColor| {
        DashedLineSeries::new(
            vec![(0.0, y), (gamma_max, y)],
            theme.px(6.0).max(1) as u32,
            theme.px(4.0).max(1) as u32,
            color.stroke_width(width.div_ceil(2)),
        )
    };
    chart.draw_series(dashed(curves.uniform, theme.text))?;
    chart.draw_series(dashed(curves.shannon_p, theme.data))?;
    let points = |values: &[f64]| -> Vec<(f64, f64)> {
        curves
            .gammas
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect()
    };
    chart.draw_series(LineSeries::new(
        points(curves.shannon_q),
        theme.suppressed.stroke_width(width),
    ))?;
    chart.draw_series(LineSeries::new(
        points(curves.fe_min),
        theme.accent.stroke_width(width),
    ))?;
    let legend = [
        (LegendMark::Dashed(theme.text), "ln K (uniform)"),
        (LegendMark::Dashed(theme.data), "H(P)"),
        (LegendMark::Line(theme.suppressed), "H(Q*)"),
        (LegendMark::Line(theme.accent), "FE(P, Q*)"),
    ]
    .map(|(mark, text)| (mark, text.to_string()));
    draw_legend(area, &chart, &legend, Corner::LowerRight, theme)?;
    let (left, _) = chart.backend_coord(&(0.0, 0.0));
    let (right, _) = chart.backend_coord(&(gamma_max, 0.0));
    let (origin_x, _) = area.get_base_pixel();
    Ok((
        frame,
        GammaAxis {
            left: left - origin_x,
            right: right - origin_x,
            gamma_max,
        },
    ))
}

/// Draws the marker of the current γ over a drawn frame: a vertical line and a
/// dot on each curve at `(γ, H(Q*))` and `(γ, FE)`.
pub fn draw_gamma_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &EntropyFrame,
    (gamma, shannon, focal): (f64, f64, f64),
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = entropy_chart(area, frame, theme)?;
    let width = theme.px(2.0).max(1) as u32;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(gamma, 0.0), (gamma, frame.top)],
        theme.over_suppressed.stroke_width(width),
    )))?;
    chart.draw_series(
        [shannon, focal]
            .map(|y| Circle::new((gamma, y), theme.px(4.0), theme.over_suppressed.filled())),
    )?;
    Ok(())
}
