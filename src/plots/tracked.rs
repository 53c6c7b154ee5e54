//! "Tracked class": q*/p of one class along γ, the line q*/p = 1, the γ
//! intervals in which the class is suppressed shaded, and the γ above which
//! it gains for the rest of the slider marked.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{draw_axes, draw_legend, nice_ticks, AxisSpec, LegendMark};
use super::gamma_frame::{gamma_label, GammaAxis, GammaFrame};
use super::{pixel_in, Theme};
use crate::core::TrackedClass;

/// Draws the tracked class named `label`; returns the frame (for the cursor)
/// and the γ axis (for pointer input).
pub fn draw_tracked<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tracked: &TrackedClass,
    label: &str,
    theme: &Theme,
) -> Result<(GammaFrame, GammaAxis), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;
    let gamma_max = tracked.gammas.last().copied().unwrap_or(1.0).max(1e-9);
    let (low, high) = tracked
        .ratios
        .iter()
        .copied()
        .filter(|r| r.is_finite())
        .fold((1.0f64, 1.0f64), |(lo, hi), r| (lo.min(r), hi.max(r)));
    let pad = ((high - low) * 0.08).max(0.01);
    let frame = GammaFrame {
        gamma_max,
        bottom: (low - pad).max(0.0),
        top: high + pad,
    };
    let mut chart = frame.chart(area, theme)?;
    let band_color = theme.tint(theme.suppressed, 0.16);
    frame.shade_ranges(&mut chart, &tracked.suppressed, band_color)?;
    let y_label = |y: f64| format!("{}", (y * 1000.0).round() / 1000.0);
    draw_axes(
        area,
        &mut chart,
        &frame.gamma_axis_spec(true),
        &AxisSpec {
            ticks: nice_ticks(frame.bottom, frame.top, 6),
            label: &y_label,
            title: "q*/p",
            grid: true,
        },
        theme,
    )?;
    let width = theme.line_width();
    chart.draw_series(theme.dashed_level(
        (0.0, gamma_max),
        1.0,
        theme.text.stroke_width(width.div_ceil(2)),
    ))?;
    chart.draw_series(LineSeries::new(
        tracked
            .gammas
            .iter()
            .copied()
            .zip(tracked.ratios.iter().copied()),
        theme.amplified.stroke_width(width),
    ))?;
    // Where the class is lifted for good: a diamond on q*/p = 1 with its γ.
    let lifted = tracked.lifted_from().filter(|&g| g > 0.0);
    if let Some(gamma) = lifted {
        let (x, y) = pixel_in(area, &chart, &(gamma, 1.0));
        let size = theme.px(6.0);
        area.draw(&Polygon::new(
            vec![(x, y - size), (x + size, y), (x, y + size), (x - size, y)],
            theme.accent.filled(),
        ))?;
        let right_half = f64::from(x) > f64::from(frame.axis(area, &chart).right) * 0.6;
        let (hpos, dx) = if right_half {
            (HPos::Right, -size - theme.px(4.0))
        } else {
            (HPos::Left, size + theme.px(4.0))
        };
        area.draw(&Text::new(
            format!("gains above γ = {}", gamma_label(gamma)),
            (x + dx, y - size - theme.px(4.0)),
            theme.font(11.0).pos(Pos::new(hpos, VPos::Bottom)),
        ))?;
    }
    let legend = [
        (
            LegendMark::Line(theme.amplified),
            format!("q*/p of {label}"),
        ),
        (LegendMark::Dashed(theme.text), "q*/p = 1".to_string()),
        (LegendMark::Swatch(band_color), "suppressed".to_string()),
    ]
    .into_iter()
    .chain(lifted.map(|_| (LegendMark::Swatch(theme.accent), "lifted from".to_string())))
    .collect::<Vec<_>>();
    // The class's curve and the line q*/p = 1.
    let avoid: Vec<(f64, f64)> = tracked
        .gammas
        .iter()
        .copied()
        .zip(tracked.ratios.iter().copied())
        .chain(tracked.gammas.iter().step_by(6).map(|&g| (g, 1.0)))
        .collect();
    draw_legend(area, &chart, &legend, &avoid, theme)?;
    let axis = frame.axis(area, &chart);
    Ok((frame, axis))
}
