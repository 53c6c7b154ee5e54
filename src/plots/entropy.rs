//! "Entropy versus γ": H(Q*_γ) and the minimal focal-entropy FE_γ(P, Q*_γ) over
//! the sweep, reference lines at H(P) and at ln K (the limit of H(Q*) as
//! γ → ∞, not a value it nears at every γ), the γ-ranges where H(Q*) is below
//! H(P) shaded, and a cursor at the current γ that reads H(Q*)/ln K.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_axes, draw_legend, nice_ticks, AxisSpec, LegendMark};
use super::gamma_frame::draw_gamma_cursor;
use super::gamma_frame::{GammaAxis, GammaFrame};
use super::{pixel_in, Theme};
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
    /// γ-ranges where H(Q*) < H(P), shaded.
    pub below: &'a [(f64, f64)],
    /// Unit name for the axis ("nats" or "bits").
    pub unit: &'a str,
}

/// Draws the curves and reference lines; returns the frame (for the marker)
/// and the γ axis position (for pointer input).
pub fn draw_entropy<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &EntropyCurves,
    theme: &Theme,
) -> Result<(GammaFrame, GammaAxis), DrawingAreaErrorKind<DB::ErrorType>> {
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
    let frame = GammaFrame {
        gamma_max,
        bottom: 0.0,
        top,
    };
    let mut chart = frame.chart(area, theme)?;
    let below_color = theme.tint(theme.over_suppressed, 0.14);
    frame.shade_ranges(&mut chart, curves.below, below_color)?;
    let y_label = |y: f64| format!("{y:.2}");
    draw_axes(
        area,
        &mut chart,
        &frame.gamma_axis_spec(true),
        &AxisSpec {
            ticks: nice_ticks(0.0, top, 6),
            label: &y_label,
            title: curves.unit,
            grid: true,
        },
        theme,
    )?;
    let width = theme.line_width();
    let dashed = |y: f64, color: RGBColor| {
        theme.dashed_level((0.0, gamma_max), y, color.stroke_width(width.div_ceil(2)))
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
    .into_iter()
    .chain(
        (!curves.below.is_empty()).then_some((LegendMark::Swatch(below_color), "H(Q*) below H(P)")),
    )
    .map(|(mark, text)| (mark, text.to_string()))
    .collect::<Vec<_>>();
    // The curves, and the two reference levels, are what the legend should not hide.
    let mut avoid = points(curves.shannon_q);
    avoid.extend(points(curves.fe_min));
    avoid.extend(
        curves
            .gammas
            .iter()
            .step_by(8)
            .flat_map(|&g| [(g, curves.uniform), (g, curves.shannon_p)]),
    );
    draw_legend(area, &chart, &legend, &avoid, theme)?;
    let axis = frame.axis(area, &chart);
    Ok((frame, axis))
}

/// Draws the cursor at the current γ over a drawn entropy plot: dots on
/// H(Q*) and FE, and how close Q* is to uniform as `H(Q*)/ln K` beside it.
pub fn draw_entropy_cursor<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &GammaFrame,
    (gamma, shannon, focal): (f64, f64, f64),
    uniform: f64,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    draw_gamma_cursor(area, frame, gamma, &[shannon, focal], theme)?;
    if uniform > 0.0 {
        let chart = frame.chart(area, theme)?;
        let (x, y) = pixel_in(area, &chart, &(gamma, frame.top));
        let right = frame.axis(area, &chart).right;
        let text = format!("H(Q*)/ln K = {:.3}", shannon / uniform);
        let anchor = if x > right - theme.px(130.0) {
            (HPos::Right, x - theme.px(6.0))
        } else {
            (HPos::Left, x + theme.px(6.0))
        };
        area.draw(&Text::new(
            text,
            (anchor.1, y + theme.px(4.0)),
            theme.font(11.0).pos(Pos::new(anchor.0, VPos::Top)),
        ))?;
    }
    Ok(())
}
