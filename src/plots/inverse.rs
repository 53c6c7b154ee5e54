//! "From model outputs back to probabilities": the posterior p a model's
//! output q stands for. The two-class map at the current γ is drawn as a
//! curve beside the diagonal p = q (cross-entropy, γ = 0), and every pasted
//! output as a point at (q, p): above the diagonal a focal model was
//! under-confident, below it over-confident.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_axes, draw_legend, nice_ticks, AxisSpec, LegendMark};
use super::Theme;

/// Most points drawn; beyond it every n-th is drawn (they only overlap).
pub const MAX_OUTPUT_POINTS: usize = 4000;

/// Draws the map: `curve` is the two-class map at γ as `(q, p)` pairs and
/// `points` the `(q, p)` of each pasted output.
pub fn draw_inverse_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    gamma: f64,
    curve: &[(f64, f64)],
    points: &[(f64, f64)],
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;
    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(10.0))
        .x_label_area_size(theme.px(38.0))
        .y_label_area_size(theme.px(58.0))
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    let label = |v: f64| format!("{}", (v * 100.0).round() / 100.0);
    let axis = |title| AxisSpec {
        ticks: nice_ticks(0.0, 1.0, 5),
        label: &label,
        title,
        grid: true,
    };
    draw_axes(
        area,
        &mut chart,
        &axis("model output q"),
        &axis("posterior p"),
        theme,
    )?;
    let width = theme.line_width();
    chart.draw_series(DashedLineSeries::new(
        [(0.0, 0.0), (1.0, 1.0)],
        theme.px(6.0).max(1) as u32,
        theme.px(4.0).max(1) as u32,
        theme.text.stroke_width(width.div_ceil(2)),
    ))?;
    chart.draw_series(LineSeries::new(
        curve.iter().copied(),
        theme.amplified.stroke_width(width),
    ))?;
    let stride = points.len().div_ceil(MAX_OUTPUT_POINTS).max(1);
    let drawn: Vec<(f64, f64)> = points.iter().step_by(stride).copied().collect();
    chart.draw_series(
        drawn
            .iter()
            .map(|&at| Circle::new(at, theme.px(2.5), theme.accent.filled())),
    )?;
    let gamma_text = (gamma * 100.0).round() / 100.0;
    let mut legend = vec![
        (
            LegendMark::Dashed(theme.text),
            "p = q (cross-entropy)".to_string(),
        ),
        (
            LegendMark::Line(theme.amplified),
            format!("two classes, γ = {gamma_text}"),
        ),
    ];
    if !points.is_empty() {
        legend.push((LegendMark::Swatch(theme.accent), "your outputs".to_string()));
    }
    // The legend goes to the corner with the least of the diagonal, the
    // curve and the outputs under it.
    let diagonal = (0..=20).map(|i| (f64::from(i) / 20.0, f64::from(i) / 20.0));
    let avoid: Vec<(f64, f64)> = diagonal.chain(curve.iter().copied()).chain(drawn).collect();
    draw_legend(area, &chart, &legend, &avoid, theme)
}
