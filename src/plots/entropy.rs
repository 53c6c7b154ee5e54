//! "Entropy versus γ": H(Q*_γ) and the minimal focal-entropy FE_γ(P, Q*_γ) over
//! the sweep, reference lines at H(P) and at ln K (the uniform limit), and a
//! marker at the current γ. Returns the pixel span of the γ axis so that a
//! click or drag on the plot can be turned back into a γ.

use plotters::coord::Shift;
use plotters::prelude::*;

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
    /// The current γ and its H(Q*) and FE values.
    pub current: (f64, f64, f64),
    /// Unit name for the axis ("nats" or "bits").
    pub unit: &'a str,
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

/// Draws the plot and returns the γ axis position.
pub fn draw_entropy<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &EntropyCurves,
    theme: &Theme,
) -> Result<GammaAxis, DrawingAreaErrorKind<DB::ErrorType>> {
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
    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(10.0))
        .x_label_area_size(theme.px(36.0))
        .y_label_area_size(theme.px(52.0))
        .build_cartesian_2d(0.0..gamma_max, 0.0..top)?;
    chart
        .configure_mesh()
        .light_line_style(theme.background)
        .bold_line_style(theme.grid)
        .axis_style(theme.text)
        .label_style(theme.font(11.0))
        .axis_desc_style(theme.font(12.0))
        .x_desc("γ")
        .y_desc(curves.unit)
        .x_label_formatter(&|x| format!("{}", (x * 100.0).round() / 100.0))
        .y_label_formatter(&|y| format!("{:.2}", y))
        .draw()?;
    let width = theme.px(2.0).max(1) as u32;
    let dashed = |y: f64, color: RGBColor| {
        DashedLineSeries::new(
            vec![(0.0, y), (gamma_max, y)],
            theme.px(6.0).max(1) as u32,
            theme.px(4.0).max(1) as u32,
            color.stroke_width(width.div_ceil(2)),
        )
    };
    let legend_line = |color: RGBColor| {
        let size = theme.px(14.0);
        move |(x, y): (i32, i32)| {
            PathElement::new(vec![(x, y), (x + size, y)], color.stroke_width(width))
        }
    };
    chart
        .draw_series(dashed(curves.uniform, theme.text))?
        .label("ln K (uniform)")
        .legend(legend_line(theme.text));
    chart
        .draw_series(dashed(curves.shannon_p, theme.data))?
        .label("H(P)")
        .legend(legend_line(theme.data));
    let points = |values: &[f64]| -> Vec<(f64, f64)> {
        curves
            .gammas
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect()
    };
    chart
        .draw_series(LineSeries::new(
            points(curves.shannon_q),
            theme.suppressed.stroke_width(width),
        ))?
        .label("H(Q*)")
        .legend(legend_line(theme.suppressed));
    chart
        .draw_series(LineSeries::new(
            points(curves.fe_min),
            theme.accent.stroke_width(width),
        ))?
        .label("FE(P, Q*)")
        .legend(legend_line(theme.accent));
    let (gamma, shannon, focal) = curves.current;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(gamma, 0.0), (gamma, top)],
        theme.over_suppressed.stroke_width(width),
    )))?;
    chart.draw_series(
        [shannon, focal]
            .map(|y| Circle::new((gamma, y), theme.px(4.0), theme.over_suppressed.filled())),
    )?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(theme.background.mix(0.85))
        .border_style(theme.grid)
        .label_font(theme.font(11.0))
        .draw()?;
    let (left, _) = chart.backend_coord(&(0.0, 0.0));
    let (right, _) = chart.backend_coord(&(gamma_max, 0.0));
    let (origin_x, _) = area.get_base_pixel();
    Ok(GammaAxis {
        left: left - origin_x,
        right: right - origin_x,
        gamma_max,
    })
}
