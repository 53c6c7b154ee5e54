//! "Reshaping map": h(p) = p·G(p) at the current γ on a log p axis, the line at
//! μ, the band where h > μ (amplified) shaded, and every class as a marker at
//! (p, h). A class is amplified exactly when its marker lies above the line.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_axes, draw_legend, nice_ticks, AxisSpec, LegendMark};
use super::{draw_regime_marker, format_probability, pixel_in, Theme};
use crate::core::{Regime, ReshapingMap};

/// Most class markers a map is drawn with (see [`crate::core::reshaping_map`]).
pub const MAX_MAP_MARKERS: usize = 200;

/// Draws the map.
pub fn draw_reshaping_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map: &ReshapingMap,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;
    let x = |p: f64| p.log10();
    let (x_low, x_high) = (
        map.curve.first().map_or(-6.0, |c| x(c.0)),
        map.curve.last().map_or(0.0, |c| x(c.0)),
    );
    let top = map
        .curve
        .iter()
        .map(|c| c.1)
        .chain(map.markers.iter().map(|m| m.h))
        .chain([map.mu])
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(1e-3)
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(10.0))
        .x_label_area_size(theme.px(38.0))
        .y_label_area_size(theme.px(58.0))
        .build_cartesian_2d(x_low..x_high, 0.0..top)?;
    // The amplified band: every stretch of p where h(p) > μ.
    let band_color = theme.tint(theme.amplified, 0.18);
    let band = band_color.filled();
    let mut start: Option<f64> = None;
    for window in map.curve.windows(2) {
        let (a, b) = (window[0], window[1]);
        if a.1 > map.mu && start.is_none() {
            start = Some(x(a.0));
        }
        if start.is_some() && (b.1 <= map.mu || b.0 == map.curve[map.curve.len() - 1].0) {
            let end = if b.1 <= map.mu { x(a.0) } else { x(b.0) };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(start.unwrap_or(end), 0.0), (end, top)],
                band,
            )))?;
            start = None;
        }
    }
    let x_ticks: Vec<f64> = nice_ticks(x_low.ceil(), x_high.floor(), 7)
        .into_iter()
        .filter(|t| t.fract() == 0.0)
        .collect();
    let x_label = |t: f64| format_probability(10f64.powf(t));
    let y_label = |y: f64| format!("{y:.2}");
    draw_axes(
        area,
        &mut chart,
        &AxisSpec {
            ticks: x_ticks,
            label: &x_label,
            title: "p (log scale)",
            grid: true,
        },
        &AxisSpec {
            ticks: nice_ticks(0.0, top, 6),
            label: &y_label,
            title: "h(p) = p·G(p)",
            grid: true,
        },
        theme,
    )?;
    let width = theme.line_width();
    chart.draw_series(LineSeries::new(
        map.curve.iter().map(|&(p, h)| (x(p), h)),
        theme.text.stroke_width(width),
    ))?;
    chart.draw_series(theme.dashed_level(
        (x_low, x_high),
        map.mu,
        theme.over_suppressed.stroke_width(width),
    ))?;
    let mut shown: Vec<Regime> = Vec::new();
    for marker in &map.markers {
        let regime = marker.regime;
        let at = pixel_in(area, &chart, &(x(marker.p).clamp(x_low, x_high), marker.h));
        draw_regime_marker(area, at, regime, theme)?;
        if !shown.contains(&regime) {
            shown.push(regime);
        }
    }
    let mut legend = vec![
        (LegendMark::Line(theme.text), "h(p)".to_string()),
        (
            LegendMark::Dashed(theme.over_suppressed),
            format!("μ = {:.4}", map.mu),
        ),
        (
            LegendMark::Swatch(band_color),
            "h > μ: amplified".to_string(),
        ),
    ];
    for regime in [
        Regime::Amplified,
        Regime::Suppressed,
        Regime::OverSuppressed,
        Regime::Unchanged,
    ] {
        if shown.contains(&regime) {
            legend.push((LegendMark::Marker(regime), regime.name().to_string()));
        }
    }
    // The curve h(p), the line at μ and the class markers.
    let avoid: Vec<(f64, f64)> = map
        .curve
        .iter()
        .map(|&(p, h)| (x(p), h))
        .chain(map.curve.iter().step_by(6).map(|&(p, _)| (x(p), map.mu)))
        .chain(
            map.markers
                .iter()
                .map(|m| (x(m.p).clamp(x_low, x_high), m.h)),
        )
        .collect();
    draw_legend(area, &chart, &legend, &avoid, theme)
}
