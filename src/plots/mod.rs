//! Drawing functions, generic over plotters' `DrawingBackend`: the same function
//! draws on the page's canvas, into an SVG file for export, and into an SVG
//! string in native tests.

pub mod axes;
pub mod distribution;
pub mod entropy;
pub mod gamma_frame;
pub mod imbalance;
pub mod inverse;
pub mod recording;
pub mod reshaping;
pub mod tracked;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use crate::core::Regime;
use crate::state::format::without_trailing_zeros;

/// Colours and sizes of a plot. Colours follow the Okabe–Ito palette, which
/// stays distinguishable with the common forms of colour blindness; regimes are
/// told apart by marker shape as well.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    /// Background fill.
    pub background: RGBColor,
    /// Axis labels and text.
    pub text: RGBColor,
    /// Light grid lines.
    pub grid: RGBColor,
    /// The data distribution P.
    pub data: RGBColor,
    /// Amplified classes.
    pub amplified: RGBColor,
    /// Suppressed (head) classes.
    pub suppressed: RGBColor,
    /// Over-suppressed (rare) classes.
    pub over_suppressed: RGBColor,
    /// Classes left unchanged.
    pub unchanged: RGBColor,
    /// Second curve colour (focal-entropy).
    pub accent: RGBColor,
    /// Device pixels per CSS pixel: sizes and fonts are multiplied by it.
    pub scale: f64,
}

impl Theme {
    /// Light theme at the given device-pixel ratio.
    pub fn light(scale: f64) -> Self {
        Theme {
            background: RGBColor(255, 255, 255),
            text: RGBColor(34, 34, 34),
            grid: RGBColor(230, 230, 230),
            data: RGBColor(153, 153, 153),
            amplified: RGBColor(0, 158, 115),
            suppressed: RGBColor(0, 114, 178),
            over_suppressed: RGBColor(213, 94, 0),
            unchanged: RGBColor(120, 120, 120),
            accent: RGBColor(230, 159, 0),
            scale: sanitize_scale(scale),
        }
    }

    /// Dark theme at the given device-pixel ratio.
    pub fn dark(scale: f64) -> Self {
        Theme {
            background: RGBColor(24, 26, 31),
            text: RGBColor(225, 225, 225),
            grid: RGBColor(55, 58, 66),
            data: RGBColor(120, 124, 132),
            amplified: RGBColor(0, 190, 140),
            suppressed: RGBColor(86, 180, 233),
            over_suppressed: RGBColor(240, 130, 40),
            unchanged: RGBColor(160, 160, 160),
            accent: RGBColor(240, 180, 40),
            scale: sanitize_scale(scale),
        }
    }

    /// The colour of a regime.
    pub fn regime_color(&self, regime: Regime) -> RGBColor {
        match regime {
            Regime::Amplified => self.amplified,
            Regime::Suppressed => self.suppressed,
            Regime::OverSuppressed => self.over_suppressed,
            Regime::Unchanged | Regime::Absent => self.unchanged,
        }
    }

    /// `color` blended into the background by `amount` (0 = background, 1 = color),
    /// for light fills that read the same on light and dark themes.
    pub fn tint(&self, color: RGBColor, amount: f64) -> RGBColor {
        let mix =
            |a: u8, b: u8| (f64::from(b) + (f64::from(a) - f64::from(b)) * amount).round() as u8;
        RGBColor(
            mix(color.0, self.background.0),
            mix(color.1, self.background.1),
            mix(color.2, self.background.2),
        )
    }

    /// A length in device pixels for `css_pixels` CSS pixels.
    pub fn px(&self, css_pixels: f64) -> i32 {
        (css_pixels * self.scale).round() as i32
    }

    /// Width of curves and marker strokes: 2 CSS pixels, at least one device pixel.
    pub fn line_width(&self) -> u32 {
        self.px(2.0).max(1) as u32
    }

    /// A dashed horizontal line at `y` from `x_from` to `x_to` in the plots'
    /// dash pattern (6 px dashes, 4 px gaps).
    pub fn dashed_level(
        &self,
        (x_from, x_to): (f64, f64),
        y: f64,
        style: ShapeStyle,
    ) -> DashedLineSeries<std::vec::IntoIter<(f64, f64)>, u32> {
        DashedLineSeries::new(
            vec![(x_from, y), (x_to, y)],
            self.px(6.0).max(1) as u32,
            self.px(4.0).max(1) as u32,
            style,
        )
    }

    /// Font of the given CSS size in the theme's text colour.
    pub fn font(&self, css_size: f64) -> TextStyle<'static> {
        FontDesc::new(
            FontFamily::SansSerif,
            css_size * self.scale,
            FontStyle::Normal,
        )
        .color(&self.text)
    }
}

/// A device-pixel ratio clamped to 0.5–4 (NaN becomes 1).
fn sanitize_scale(scale: f64) -> f64 {
    if scale.is_finite() {
        scale.clamp(0.5, 4.0)
    } else {
        1.0
    }
}

/// Draws the marker of a regime centred at a pixel of `area`: ▲ amplified,
/// ▼ suppressed, ✕ over-suppressed, ● unchanged, so that regimes differ by shape
/// as well as colour.
pub fn draw_regime_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    regime: Regime,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let size = theme.px(4.5);
    let color = theme.regime_color(regime);
    match regime {
        Regime::Amplified => area.draw(&Polygon::new(
            vec![(x - size, y + size), (x + size, y + size), (x, y - size)],
            color.filled(),
        )),
        Regime::Suppressed => area.draw(&Polygon::new(
            vec![(x - size, y - size), (x + size, y - size), (x, y + size)],
            color.filled(),
        )),
        Regime::OverSuppressed => area.draw(&Cross::new(
            (x, y),
            size,
            color.stroke_width(theme.line_width()),
        )),
        Regime::Unchanged | Regime::Absent => {
            area.draw(&Circle::new((x, y), size - 1, color.filled()))
        }
    }
}

/// The pixel of `area` at which a chart draws a coordinate.
pub fn pixel_in<DB: DrawingBackend, X: Ranged, Y: Ranged>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    coord: &(X::ValueType, Y::ValueType),
) -> (i32, i32) {
    let (x, y) = chart.backend_coord(coord);
    let (base_x, base_y) = area.get_base_pixel();
    (x - base_x, y - base_y)
}

/// A line of many points thinned, as its points arrive by increasing x, to
/// what `columns` pixel columns across `[x_low, x_high]` can show: in each
/// column its first, lowest, highest and last point, in x order. Drawn, it
/// covers the same pixels as the whole line with at most four points per
/// column, so a million classes cost no more to draw than a few thousand,
/// and the whole line is never held. Any increasing map of y (such as a log
/// axis) can be applied after thinning: it keeps each column's extremes.
pub struct LineThinner {
    /// x at the left edge of the first column.
    x_low: f64,
    /// Columns per unit of x; `None` for a range without width, where every
    /// point is kept.
    columns_per_x: Option<f64>,
    /// The points kept so far.
    thinned: Vec<(f64, f64)>,
    /// The column being read, with its first, lowest, highest and last point.
    column: Option<(i64, [PlacedPoint; 4])>,
    /// An x a hair left of the column's right edge: a point before it is in
    /// the column, without working out its column (−∞ before the first).
    column_edge: f64,
    /// Points pushed so far.
    pushed: usize,
}

/// A point of a line with its position along it (from 0).
type PlacedPoint = (usize, (f64, f64));

impl LineThinner {
    /// A thinner for `columns` pixel columns across `[x_low, x_high]`.
    pub fn new((x_low, x_high): (f64, f64), columns: usize) -> Self {
        let span = x_high - x_low;
        LineThinner {
            x_low,
            columns_per_x: (span > 0.0).then(|| columns.max(1) as f64 / span),
            thinned: Vec::new(),
            column: None,
            column_edge: f64::NEG_INFINITY,
            pushed: 0,
        }
    }

    /// The next point of the line (x not below the last one's). Inlined: a
    /// rank plot pushes two million points, most of them into the column
    /// of the point before.
    #[inline(always)]
    pub fn push(&mut self, point: (f64, f64)) {
        let Some(columns_per_x) = self.columns_per_x else {
            self.thinned.push(point);
            return;
        };
        let at = (self.pushed, point);
        self.pushed += 1;
        let in_column = point.0 < self.column_edge || {
            let column = ((point.0 - self.x_low) * columns_per_x).floor() as i64;
            let same = matches!(self.column, Some((current, _)) if current == column);
            if !same {
                self.end_column();
                self.column = Some((column, [at; 4]));
                // A billionth of a column short of the edge: rounding in
                // either x cannot put a point before it in the next column.
                self.column_edge = self.x_low + (column as f64 + 1.0 - 1e-9) / columns_per_x;
            }
            same
        };
        if let (true, Some((_, [_, lowest, highest, last]))) = (in_column, &mut self.column) {
            // Plain comparisons (probabilities are never NaN).
            if point.1 < lowest.1 .1 {
                *lowest = at;
            }
            if point.1 >= highest.1 .1 {
                *highest = at;
            }
            *last = at;
        }
    }

    /// Keeps the points of the column read so far, in x order (its first and
    /// last bound the other two), each once.
    fn end_column(&mut self) {
        let Some((_, [first, lowest, highest, last])) = self.column.take() else {
            return;
        };
        let (left, right) = if lowest.0 <= highest.0 {
            (lowest, highest)
        } else {
            (highest, lowest)
        };
        let mut previous = None;
        for (position, point) in [first, left, right, last] {
            if previous != Some(position) {
                self.thinned.push(point);
                previous = Some(position);
            }
        }
    }

    /// The thinned line.
    pub fn finish(mut self) -> Vec<(f64, f64)> {
        self.end_column();
        self.thinned
    }
}

/// Axis-label text of a probability: plain decimals down to 0.001, powers of
/// ten below (with two significant digits at most, as ticks need).
pub fn format_probability(value: f64) -> String {
    if value == 0.0 {
        "0".into()
    } else if value.abs() >= 1e-3 {
        without_trailing_zeros(&format!("{value:.4}")).to_string()
    } else {
        // Two significant digits, a tick 1.5 × 10ⁿ among ticks 5 × 10ⁿ⁻¹
        // apart being the most a tick needs (with one, 1.5e-6 read 2e-6,
        // as the tick above it did).
        let text = format!("{value:.1e}");
        let (mantissa, exponent) = text.split_at(text.find('e').unwrap_or(text.len()));
        format!("{}{exponent}", without_trailing_zeros(mantissa))
    }
}

/// A factor such as q*/p with three significant digits, in powers of ten from 10⁴ up.
pub fn format_factor(value: f64) -> String {
    if value >= 1e4 {
        format!("{value:.2e}")
    } else {
        let digits = (2 - value.abs().log10().floor() as i32).clamp(0, 6) as usize;
        format!("{value:.digits$}")
    }
}

#[cfg(test)]
mod tests {
    use super::axes::nice_ticks;
    use super::*;

    #[test]
    fn a_thinned_line_keeps_every_columns_extremes_and_ends() {
        // 100 000 points of a wiggly falling line over 500 pixel columns.
        let points: Vec<(f64, f64)> = (0..100_000)
            .map(|i| {
                let x = i as f64 + 1.0;
                (x, -(x.ln()) + 0.3 * (x * 0.37).sin())
            })
            .collect();
        let range = (0.5, 100_000.5);
        let thin = |points: &[(f64, f64)], range| {
            let mut thinner = LineThinner::new(range, 500);
            points.iter().for_each(|&point| thinner.push(point));
            thinner.finish()
        };
        let thinned = thin(&points, range);
        assert!(thinned.len() <= 4 * 500, "{}", thinned.len());
        assert_eq!(thinned.first(), points.first());
        assert_eq!(thinned.last(), points.last());
        assert!(thinned.windows(2).all(|w| w[0].0 < w[1].0));
        let column = |x: f64| ((x - range.0) / (range.1 - range.0) * 500.0).floor() as usize;
        let extremes = |line: &[(f64, f64)]| {
            let mut by_column = vec![(f64::INFINITY, f64::NEG_INFINITY); 500];
            for &(x, y) in line {
                let c = &mut by_column[column(x)];
                *c = (c.0.min(y), c.1.max(y));
            }
            by_column
        };
        assert_eq!(extremes(&thinned), extremes(&points));
        // At most four points per column (here two), or a range without
        // width: the line as it is.
        let sparse: Vec<(f64, f64)> = points.iter().copied().step_by(100).collect();
        assert_eq!(thin(&sparse, range), sparse);
        assert_eq!(thin(&points, (1.0, 1.0)), points);
        // Points on the columns' edges, four to a column (x = 0, ¼, ½, ¾ in
        // the first): each column keeps its own first, last and extremes,
        // and none of the next column's points.
        let on_edges: Vec<(f64, f64)> = (0..2000)
            .map(|i| (f64::from(i) / 4.0, f64::from(i % 7)))
            .collect();
        let thinned = thin(&on_edges, (0.0, 500.0));
        for column in on_edges.chunks(4) {
            let kept: Vec<(f64, f64)> = thinned
                .iter()
                .filter(|point| point.0.floor() == column[0].0)
                .copied()
                .collect();
            assert_eq!((kept.first(), kept.last()), (column.first(), column.last()));
            let low_and_high = |line: &[(f64, f64)]| {
                line.iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), p| {
                        (low.min(p.1), high.max(p.1))
                    })
            };
            assert_eq!(low_and_high(&kept), low_and_high(column), "{column:?}");
        }
    }

    #[test]
    fn factors_keep_three_significant_digits() {
        assert_eq!(format_factor(282260.71), "2.82e5");
        assert_eq!(format_factor(15.3624), "15.4");
        assert_eq!(format_factor(0.946509), "0.947");
        assert_eq!(format_factor(1.0), "1.00");
    }

    #[test]
    fn probabilities_format_compactly() {
        assert_eq!(format_probability(0.5), "0.5");
        assert_eq!(format_probability(0.125), "0.125");
        assert_eq!(format_probability(1e-6), "1e-6");
        assert_eq!(format_probability(0.0), "0");
        assert_eq!(format_probability(0.0015), "0.0015");
        assert_eq!(format_probability(10f64.powf(-8.0)), "1e-8");
        // Ticks 5 × 10⁻⁷ apart read apart.
        let ticks: Vec<String> = nice_ticks(0.0, 2.6e-6, 6)
            .into_iter()
            .map(format_probability)
            .collect();
        assert_eq!(ticks, ["0", "5e-7", "1e-6", "1.5e-6", "2e-6", "2.5e-6"]);
        let ticks: Vec<String> = nice_ticks(0.0, 0.0026, 6)
            .into_iter()
            .map(format_probability)
            .collect();
        assert_eq!(ticks, ["0", "5e-4", "0.001", "0.0015", "0.002", "0.0025"]);
    }

    #[test]
    fn scale_is_sanitised() {
        assert_eq!(Theme::light(f64::NAN).scale, 1.0);
        assert_eq!(Theme::dark(10.0).scale, 4.0);
        assert_eq!(Theme::light(2.0).px(3.0), 6);
    }
}
