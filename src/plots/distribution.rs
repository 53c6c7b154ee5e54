//! "Reshaped distribution": P and Q* per class, coloured and marked by regime;
//! above [`RANK_PLOT_THRESHOLD`] classes, a rank plot of both.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{draw_regime_marker, format_probability, pixel_in, Theme};
use crate::core::Regime;

/// Above this many classes bars become unreadable and a rank plot is drawn.
pub const RANK_PLOT_THRESHOLD: usize = 40;

/// Most points drawn as markers in the rank plot; beyond it only lines are drawn.
const MAX_RANK_MARKERS: usize = 2_000;

/// The per-class data of the plot, all slices of equal length.
#[derive(Debug, Clone, Copy)]
pub struct ClassBars<'a> {
    /// Class labels.
    pub labels: &'a [String],
    /// Data distribution P.
    pub p: &'a [f64],
    /// Reshaped distribution Q*.
    pub q: &'a [f64],
    /// Regime of each class.
    pub regimes: &'a [Regime],
}

/// The y axis: linear probability or its base-10 logarithm.
#[derive(Debug, Clone, Copy)]
struct ProbabilityAxis {
    log_scale: bool,
    low: f64,
    high: f64,
}

impl ProbabilityAxis {
    fn new(bars: &ClassBars, log_scale: bool) -> Self {
        let positive = bars.p.iter().chain(bars.q).copied().filter(|&v| v > 0.0);
        let (smallest, largest) =
            positive.fold((1.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let largest = if largest > 0.0 { largest } else { 1.0 };
        if log_scale {
            let low = (smallest.max(1e-300).log10() - 0.3).floor();
            ProbabilityAxis {
                log_scale,
                low,
                high: (largest.log10() + 0.05).min(0.0).max(low + 1.0),
            }
        } else {
            ProbabilityAxis {
                log_scale,
                low: 0.0,
                high: largest * 1.08,
            }
        }
    }

    /// Chart y of a probability (the axis bottom for 0 on a log axis).
    fn y(&self, value: f64) -> f64 {
        if self.log_scale {
            if value > 0.0 {
                value.log10().max(self.low)
            } else {
                self.low
            }
        } else {
            value
        }
    }

    fn label(&self, y: f64) -> String {
        if self.log_scale {
            format_probability(10f64.powf(y))
        } else {
            format_probability(y)
        }
    }
}

/// Draws the plot. Labels longer than 10 characters are shortened with "…".
pub fn draw_distribution<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &ClassBars,
    log_scale: bool,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;
    let classes = bars.p.len();
    let axis = ProbabilityAxis::new(bars, log_scale);
    let rank_plot = classes > RANK_PLOT_THRESHOLD;
    let x_max = if rank_plot {
        classes as f64 + 0.5
    } else {
        classes.max(1) as f64
    };
    let x_min = if rank_plot { 0.5 } else { 0.0 };
    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(10.0))
        .x_label_area_size(theme.px(if rank_plot { 34.0 } else { 40.0 }))
        .y_label_area_size(theme.px(52.0))
        .build_cartesian_2d(x_min..x_max, axis.low..axis.high)?;
    let short = |label: &str| {
        if label.chars().count() > 10 {
            format!("{}…", label.chars().take(9).collect::<String>())
        } else {
            label.to_string()
        }
    };
    let x_label = |x: &f64| {
        if rank_plot {
            format!("{}", x.round())
        } else {
            let index = x.floor() as usize;
            bars.labels.get(index).map(|l| short(l)).unwrap_or_default()
        }
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(theme.background)
        .bold_line_style(theme.grid)
        .axis_style(theme.text)
        .label_style(theme.font(11.0))
        .axis_desc_style(theme.font(12.0))
        .x_desc(if rank_plot {
            "class rank (most frequent first)"
        } else {
            "class"
        })
        .y_desc(if log_scale {
            "probability (log scale)"
        } else {
            "probability"
        })
        .x_labels(if rank_plot { 8 } else { classes.max(1) * 2 + 1 })
        .x_label_formatter(&|x| {
            if rank_plot || (x.fract() - 0.5).abs() < 1e-6 {
                x_label(x)
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| axis.label(*y))
        .draw()?;

    if rank_plot {
        draw_ranks(area, &mut chart, bars, &axis, theme)?;
    } else {
        draw_bars(area, &mut chart, bars, &axis, theme)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(theme.background.mix(0.85))
        .border_style(theme.grid)
        .label_font(theme.font(11.0))
        .draw()?;
    Ok(())
}

type Chart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Regimes in legend order with their legend text.
const REGIMES: [(Regime, &str); 4] = [
    (Regime::Amplified, "Q* amplified ▲"),
    (Regime::Suppressed, "Q* suppressed ▼"),
    (Regime::OverSuppressed, "Q* over-suppressed ✕"),
    (Regime::Unchanged, "Q* unchanged ●"),
];

fn legend_box<DB: DrawingBackend>(
    color: RGBColor,
    theme: &Theme,
) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    let size = theme.px(10.0);
    move |(x, y)| {
        Rectangle::new(
            [(x, y - size / 2), (x + size, y + size / 2)],
            color.filled(),
        )
    }
}

fn draw_bars<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Chart<'a, DB>,
    bars: &ClassBars,
    axis: &ProbabilityAxis,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let bottom = axis.low;
    chart
        .draw_series(bars.p.iter().enumerate().map(|(i, &p)| {
            let x = i as f64;
            Rectangle::new(
                [(x + 0.08, bottom), (x + 0.48, axis.y(p))],
                theme.data.filled(),
            )
        }))?
        .label("P (data)")
        .legend(legend_box::<DB>(theme.data, theme));
    for (regime, name) in REGIMES {
        let members: Vec<usize> = (0..bars.q.len())
            .filter(|&i| bars.regimes[i] == regime)
            .collect();
        if members.is_empty() {
            continue;
        }
        let color = theme.regime_color(regime);
        chart
            .draw_series(members.iter().map(|&i| {
                let x = i as f64;
                Rectangle::new(
                    [(x + 0.52, bottom), (x + 0.92, axis.y(bars.q[i]))],
                    color.filled(),
                )
            }))?
            .label(name)
            .legend(legend_box::<DB>(color, theme));
        for &i in &members {
            let top = pixel_in(area, chart, &(i as f64 + 0.72, axis.y(bars.q[i])));
            draw_regime_marker(area, top, regime, theme)?;
        }
    }
    Ok(())
}

fn draw_ranks<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Chart<'a, DB>,
    bars: &ClassBars,
    axis: &ProbabilityAxis,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut order: Vec<usize> = (0..bars.p.len()).collect();
    order.sort_by(|&a, &b| bars.p[b].total_cmp(&bars.p[a]));
    let line = |values: &[f64]| -> Vec<(f64, f64)> {
        order
            .iter()
            .enumerate()
            .map(|(rank, &i)| (rank as f64 + 1.0, axis.y(values[i])))
            .collect()
    };
    let width = theme.px(2.0).max(1) as u32;
    chart
        .draw_series(LineSeries::new(
            line(bars.p),
            theme.data.stroke_width(width),
        ))?
        .label("P (data)")
        .legend(legend_box::<DB>(theme.data, theme));
    chart
        .draw_series(LineSeries::new(
            line(bars.q),
            theme.text.stroke_width(width),
        ))?
        .label("Q*")
        .legend(legend_box::<DB>(theme.text, theme));
    if order.len() <= MAX_RANK_MARKERS {
        for (regime, name) in REGIMES {
            let members: Vec<(usize, usize)> = order
                .iter()
                .enumerate()
                .filter(|&(_, &i)| bars.regimes[i] == regime)
                .map(|(rank, &i)| (rank, i))
                .collect();
            if members.is_empty() {
                continue;
            }
            let color = theme.regime_color(regime);
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
                .label(name)
                .legend(legend_box::<DB>(color, theme));
            for &(rank, i) in &members {
                let at = pixel_in(area, chart, &(rank as f64 + 1.0, axis.y(bars.q[i])));
                draw_regime_marker(area, at, regime, theme)?;
            }
        }
    }
    Ok(())
}
