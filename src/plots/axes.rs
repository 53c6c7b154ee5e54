//! Axes, grid and legends drawn directly from text anchors. plotters' own mesh
//! and legend measure every label's size, which in a browser costs a forced
//! page reflow per label (several milliseconds a plot); anchored text needs no
//! measurement, so a redraw stays well under a frame.

use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::{draw_regime_marker, pixel_in, Theme};
use crate::core::Regime;

/// A chart with linear f64 coordinates on both axes.
pub type Chart2d<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// About `target` evenly spaced round values (1, 2 or 5 × 10ⁿ apart) in `[low, high]`.
pub fn nice_ticks(low: f64, high: f64, target: usize) -> Vec<f64> {
    let span = high - low;
    if !(span.is_finite() && span > 0.0) || target == 0 {
        return vec![low];
    }
    let rough = span / target as f64;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= rough)
        .unwrap_or(10.0 * magnitude);
    let first = (low / step).ceil() as i64;
    let last = (high / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// One axis: where its ticks are, how they read, and its title.
pub struct AxisSpec<'a> {
    /// Tick positions in chart coordinates.
    pub ticks: Vec<f64>,
    /// The label of a tick.
    pub label: &'a dyn Fn(f64) -> String,
    /// The axis title.
    pub title: &'a str,
    /// Whether to draw grid lines at the ticks.
    pub grid: bool,
}

/// Draws the axis lines, grid lines, tick labels and titles of a chart.
pub fn draw_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Chart2d<'_, DB>,
    x: &AxisSpec,
    y: &AxisSpec,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let x_range: Range<f64> = chart.x_range();
    let y_range: Range<f64> = chart.y_range();
    let grid = theme.grid.stroke_width(theme.px(1.0).max(1) as u32);
    if y.grid {
        chart.draw_series(
            y.ticks
                .iter()
                .map(|&v| PathElement::new(vec![(x_range.start, v), (x_range.end, v)], grid)),
        )?;
    }
    if x.grid {
        chart.draw_series(
            x.ticks
                .iter()
                .map(|&v| PathElement::new(vec![(v, y_range.start), (v, y_range.end)], grid)),
        )?;
    }
    let axis = theme.text.stroke_width(theme.px(1.0).max(1) as u32);
    chart.draw_series([
        PathElement::new(
            vec![(x_range.start, y_range.start), (x_range.end, y_range.start)],
            axis,
        ),
        PathElement::new(
            vec![(x_range.start, y_range.start), (x_range.start, y_range.end)],
            axis,
        ),
    ])?;
    let gap = theme.px(5.0);
    let font = theme.font(11.0);
    for &value in &x.ticks {
        let (px, py) = pixel_in(area, chart, &(value, y_range.start));
        let text = (x.label)(value);
        if !text.is_empty() {
            area.draw(&Text::new(
                text,
                (px, py + gap),
                font.pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
    }
    for &value in &y.ticks {
        let (px, py) = pixel_in(area, chart, &(x_range.start, value));
        let text = (y.label)(value);
        if !text.is_empty() {
            area.draw(&Text::new(
                text,
                (px - gap, py),
                font.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
    }
    let title = theme.font(12.0);
    let (left, bottom) = pixel_in(area, chart, &(x_range.start, y_range.start));
    let (right, top) = pixel_in(area, chart, &(x_range.end, y_range.end));
    let (_, height) = area.dim_in_pixel();
    area.draw(&Text::new(
        x.title.to_string(),
        ((left + right) / 2, height as i32 - theme.px(4.0)),
        title.pos(Pos::new(HPos::Center, VPos::Bottom)),
    ))?;
    let _ = bottom;
    area.draw(&Text::new(
        y.title.to_string(),
        (theme.px(4.0), (top + bottom) / 2),
        title
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    Ok(())
}

/// What a legend entry shows beside its text.
#[derive(Debug, Clone, Copy)]
pub enum LegendMark {
    /// A filled square.
    Swatch(RGBColor),
    /// A short line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A regime's marker shape.
    Marker(Regime),
}

/// Which inner corner of the plotting area a legend sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    /// Top right.
    UpperRight,
    /// Top left.
    UpperLeft,
    /// Bottom right.
    LowerRight,
    /// Bottom left.
    LowerLeft,
}

impl Corner {
    /// The corners in the order preferred on ties.
    pub const ALL: [Corner; 4] = [
        Corner::UpperRight,
        Corner::UpperLeft,
        Corner::LowerRight,
        Corner::LowerLeft,
    ];
}

/// A rectangle in pixels: left, top, width, height.
pub type PixelBox = (i32, i32, i32, i32);

/// The corner whose box (of `size` pixels, `inset` from the edges of the
/// plotting area `plot`) holds the fewest of `points` (pixels); ties go to
/// the earlier corner of [`Corner::ALL`].
pub fn emptiest_corner(
    plot: PixelBox,
    size: (i32, i32),
    inset: i32,
    points: &[(i32, i32)],
) -> (Corner, PixelBox) {
    let (left, top, width, height) = plot;
    let place = |corner: Corner| {
        let x = match corner {
            Corner::UpperRight | Corner::LowerRight => left + width - size.0 - inset,
            Corner::UpperLeft | Corner::LowerLeft => left + inset,
        };
        let y = match corner {
            Corner::UpperRight | Corner::UpperLeft => top + inset,
            Corner::LowerRight | Corner::LowerLeft => top + height - size.1 - inset,
        };
        (x, y, size.0, size.1)
    };
    let covered = |(x, y, w, h): PixelBox| {
        points
            .iter()
            .filter(|&&(px, py)| px >= x && px <= x + w && py >= y && py <= y + h)
            .count()
    };
    Corner::ALL
        .into_iter()
        .map(|corner| (corner, place(corner)))
        .min_by_key(|&(_, placed)| covered(placed))
        .unwrap_or((Corner::UpperRight, place(Corner::UpperRight)))
}

/// Draws a legend box in the inner corner of the chart's plotting area that
/// covers the fewest of `avoid` (the plot's data: curve samples and markers,
/// in chart coordinates), so that it hides no data where it need not. Its
/// width is estimated from character counts (no text measurement needed).
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart2d<'_, DB>,
    entries: &[(LegendMark, String)],
    avoid: &[(f64, f64)],
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if entries.is_empty() {
        return Ok(());
    }
    let x_range = chart.x_range();
    let y_range = chart.y_range();
    let (left, bottom) = pixel_in(area, chart, &(x_range.start, y_range.start));
    let (right, top) = pixel_in(area, chart, &(x_range.end, y_range.end));
    let row = theme.px(17.0);
    let swatch = theme.px(14.0);
    let padding = theme.px(7.0);
    let longest = entries
        .iter()
        .map(|(_, t)| t.chars().count())
        .max()
        .unwrap_or(0);
    let width = padding * 3 + swatch + (longest as f64 * 6.3 * theme.scale).round() as i32;
    let height = padding * 2 + row * entries.len() as i32 - (row - swatch);
    let points: Vec<(i32, i32)> = avoid
        .iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|point| pixel_in(area, chart, point))
        .collect();
    let (_, (x0, y0, _, _)) = emptiest_corner(
        (left, top, right - left, bottom - top),
        (width, height),
        theme.px(6.0),
        &points,
    );
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + width, y0 + height)],
        theme.background.mix(0.88).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + width, y0 + height)],
        theme.grid.stroke_width(1),
    ))?;
    let font = theme.font(11.0).pos(Pos::new(HPos::Left, VPos::Center));
    let stroke = theme.line_width();
    for (index, (mark, text)) in entries.iter().enumerate() {
        let cy = y0 + padding + swatch / 2 + row * index as i32;
        let sx = x0 + padding;
        match *mark {
            LegendMark::Swatch(color) => area.draw(&Rectangle::new(
                [(sx, cy - swatch / 3), (sx + swatch, cy + swatch / 3)],
                color.filled(),
            ))?,
            LegendMark::Line(color) => area.draw(&PathElement::new(
                vec![(sx, cy), (sx + swatch, cy)],
                color.stroke_width(stroke),
            ))?,
            LegendMark::Dashed(color) => {
                let third = swatch / 3;
                area.draw(&PathElement::new(
                    vec![(sx, cy), (sx + third, cy)],
                    color.stroke_width(stroke),
                ))?;
                area.draw(&PathElement::new(
                    vec![(sx + 2 * third, cy), (sx + swatch, cy)],
                    color.stroke_width(stroke),
                ))?;
            }
            LegendMark::Marker(regime) => {
                draw_regime_marker(area, (sx + swatch / 2, cy), regime, theme)?
            }
        }
        area.draw(&Text::new(
            text.clone(),
            (sx + swatch + padding, cy),
            font.clone(),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_goes_where_the_data_is_not() {
        let plot = (0, 0, 400, 200);
        let size = (100, 50);
        // A peak in the upper right: the legend moves to the upper left.
        let peak: Vec<(i32, i32)> = (300..400).map(|x| (x, 20)).collect();
        assert_eq!(emptiest_corner(plot, size, 6, &peak).0, Corner::UpperLeft);
        // A curve along the top: a lower corner, the right one first.
        let top: Vec<(i32, i32)> = (0..400).map(|x| (x, 10)).collect();
        let (corner, placed) = emptiest_corner(plot, size, 6, &top);
        assert_eq!((corner, placed), (Corner::LowerRight, (294, 144, 100, 50)));
        // Nothing to avoid: the upper right.
        assert_eq!(emptiest_corner(plot, size, 6, &[]).0, Corner::UpperRight);
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let unit = nice_ticks(0.0, 1.0, 5);
        assert_eq!(unit.len(), 6);
        assert!(unit
            .iter()
            .zip([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
            .all(|(a, b)| (a - b).abs() < 1e-12));
        assert_eq!(nice_ticks(0.0, 20.0, 5), vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(nice_ticks(-6.3, 0.0, 6), vec![-6.0, -4.0, -2.0, 0.0]);
        assert_eq!(nice_ticks(1.0, 1.0, 5), vec![1.0]);
    }
}
