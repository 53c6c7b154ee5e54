//! "Imbalance × γ": a heat map of the rarest class's q*/p for the exponential
//! long tail over head-to-tail ratio (log scale) and γ, with the q*/p = 1
//! contour. Cells not yet computed stay blank, so the map fills in as it is
//! computed; the current configuration is drawn over it as a cursor.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_axes, draw_legend, nice_ticks, AxisSpec, LegendMark};
use super::gamma_frame::{draw_gamma_cursor, GammaAxis, GammaFrame};
use super::{format_factor, Theme};
use crate::core::{ImbalanceMap, MAP_RATIO_HIGH, MAP_RATIO_LOW};

/// The colour of a cell: the amplified colour for q*/p > 1, the
/// over-suppressed colour for q*/p < 1, stronger with |ln(q*/p)| relative to
/// the largest on its side (`limits` = (largest loss, largest gain) in |ln|),
/// so that a mild push-down stays as visible as a large lift.
fn cell_color(ln_ratio: f64, limits: (f64, f64), theme: &Theme) -> RGBColor {
    let (color, limit) = if ln_ratio >= 0.0 {
        (theme.amplified, limits.1)
    } else {
        (theme.over_suppressed, limits.0)
    };
    let strength = (ln_ratio.abs() / limit.max(1e-12)).clamp(0.0, 1.0).sqrt();
    theme.tint(color, 0.06 + 0.94 * strength)
}

/// Tick label of a head-to-tail ratio given as log₁₀.
fn ratio_label(log_ratio: f64) -> String {
    let ratio = 10f64.powf(log_ratio).round();
    if ratio < 1e4 {
        format!("{ratio}")
    } else {
        format!("1e{}", log_ratio.round())
    }
}

/// Draws the computed part of the map; returns the frame (y in log₁₀ of the
/// ratio) for the cursor and the γ axis for pointer input.
pub fn draw_imbalance_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map: &ImbalanceMap,
    theme: &Theme,
) -> Result<(GammaFrame, GammaAxis), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;
    let frame = GammaFrame {
        gamma_max: map.gamma_max(),
        bottom: MAP_RATIO_LOW.log10(),
        top: MAP_RATIO_HIGH.log10(),
    };
    let mut chart = frame.chart(area, theme)?;
    let (rows, columns) = (map.ratios().len(), map.gammas().len());
    let cells: Vec<(usize, usize, f64)> = (0..rows)
        .flat_map(|r| (0..columns).map(move |g| (r, g)))
        .filter_map(|(r, g)| map.ln_ratio(r, g).map(|v| (r, g, v)))
        .collect();
    let side_limit = |sign: f64| {
        cells
            .iter()
            .map(|c| c.2 * sign)
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
    };
    let limits = (side_limit(-1.0), side_limit(1.0));
    let gamma_step = frame.gamma_max / columns as f64;
    let ratio_step = (frame.top - frame.bottom) / rows as f64;
    chart.draw_series(cells.iter().map(|&(r, g, value)| {
        let (x, y) = (g as f64 * gamma_step, frame.bottom + r as f64 * ratio_step);
        Rectangle::new(
            [(x, y), (x + gamma_step, y + ratio_step)],
            cell_color(value, limits, theme).filled(),
        )
    }))?;
    draw_axes(
        area,
        &mut chart,
        &frame.gamma_axis_spec(false),
        &AxisSpec {
            ticks: nice_ticks(frame.bottom, frame.top, 6),
            label: &ratio_label,
            title: "head/tail ratio",
            grid: false,
        },
        theme,
    )?;
    let width = theme.line_width();
    chart.draw_series(
        map.break_even_contour()
            .into_iter()
            .map(|segment| PathElement::new(segment.to_vec(), theme.text.stroke_width(width))),
    )?;
    let mut legend = vec![(LegendMark::Line(theme.text), "q*/p = 1".to_string())];
    if !cells.is_empty() {
        let (lowest, highest) = ((-limits.0).exp(), limits.1.exp());
        if lowest < 1.0 {
            legend.push((
                LegendMark::Swatch(cell_color(-limits.0, limits, theme)),
                format!("rarest pushed down (to {}×)", format_factor(lowest)),
            ));
        }
        if highest > 1.0 {
            legend.push((
                LegendMark::Swatch(cell_color(limits.1, limits, theme)),
                format!("rarest lifted (up to {}×)", format_factor(highest)),
            ));
        }
    }
    // The map fills its whole area: no corner is emptier than another.
    draw_legend(area, &chart, &legend, &[], theme)?;
    let axis = frame.axis(area, &chart);
    Ok((frame, axis))
}

/// Marks the current configuration on a drawn map: γ and the classes'
/// head-to-tail ratio (clamped to the map's range).
pub fn draw_map_cursor<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &GammaFrame,
    gamma: f64,
    ratio: f64,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let y = ratio.log10().clamp(frame.bottom, frame.top);
    draw_gamma_cursor(area, frame, gamma.min(frame.gamma_max), &[y], theme)
}
