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

/// A line of many points (x increasing) thinned to what `columns` pixel
/// columns across `[x_low, x_high]` can show: in each column its first,
/// lowest, highest and last point, in x order. Drawn, it covers the same
/// pixels as the whole line, with at most four points per column, so a
/// million classes cost no more to draw than a few thousand.
pub fn thin_line(
    points: &[(f64, f64)],
    (x_low, x_high): (f64, f64),
    columns: usize,
) -> Vec<(f64, f64)> {
    let span = x_high - x_low;
    if points.len() <= 4 * columns || span.is_nan() || span <= 0.0 {
        return points.to_vec();
    }
    let column_of = |x: f64| ((x - x_low) / span * columns as f64).floor() as i64;
    let mut thinned = Vec::with_capacity(4 * columns + 4);
    let mut start = 0;
    while start < points.len() {
        // One scan of the column's points: where it ends, its first lowest
        // and its last highest point.
        let column = column_of(points[start].0);
        let (mut lowest, mut highest, mut end) = (start, start, start + 1);
        while let Some(&(_, y)) = points.get(end).filter(|p| column_of(p.0) == column) {
            if y.total_cmp(&points[lowest].1).is_lt() {
                lowest = end;
            }
            if y.total_cmp(&points[highest].1).is_ge() {
                highest = end;
            }
            end += 1;
        }
        // In x order (the first and last bound the other two).
        let kept = [start, lowest.min(highest), lowest.max(highest), end - 1];
        for (i, &index) in kept.iter().enumerate() {
            if i == 0 || kept[i - 1] != index {
                thinned.push(points[index]);
            }
        }
        start = end;
    }
    thinned
}

/// Axis-label text of a probability: plain decimals down to 0.001, powers of ten below.
pub fn format_probability(value: f64) -> String {
    if value == 0.0 {
        "0".into()
    } else if value.abs() >= 1e-3 {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{value:.0e}")
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
        let thinned = thin_line(&points, range, 500);
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
        // Few points, or a degenerate range: the line as it is.
        assert_eq!(
            thin_line(&points[..1000], range, 500),
            points[..1000].to_vec()
        );
        assert_eq!(thin_line(&points, (1.0, 1.0), 500).len(), points.len());
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
    }

    #[test]
    fn scale_is_sanitised() {
        assert_eq!(Theme::light(f64::NAN).scale, 1.0);
        assert_eq!(Theme::dark(10.0).scale, 4.0);
        assert_eq!(Theme::light(2.0).px(3.0), 6);
    }
}
