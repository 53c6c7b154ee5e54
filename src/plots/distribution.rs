//! "Reshaped distribution": P and Q* per class, coloured and marked by regime;
//! above [`RANK_PLOT_THRESHOLD`] classes, a rank plot of both.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_axes, draw_legend, nice_ticks, AxisSpec, Chart2d, LegendMark};
use super::{draw_regime_marker, format_probability, pixel_in, thin_line, Theme};
use crate::core::{Regime, Solution};

/// Above this many classes bars become unreadable and a rank plot is drawn.
pub const RANK_PLOT_THRESHOLD: usize = 40;

/// Most classes drawn with a marker each in the rank plot; beyond it the Q*
/// line itself is coloured by regime (markers would overlap and cost time).
pub const MAX_RANK_MARKERS: usize = 200;

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

/// Draws the plot of a solution's classes: `labels` name them, in input order.
pub fn draw_solution<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    solution: &Solution,
    labels: &[String],
    log_scale: bool,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (p, q, regimes) = (solution.p_all(), solution.q_all(), solution.regimes());
    let bars = ClassBars {
        labels,
        p: &p,
        q: &q,
        regimes: &regimes,
    };
    draw_distribution(area, &bars, log_scale, theme)
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
        .x_label_area_size(theme.px(38.0))
        .y_label_area_size(theme.px(58.0))
        .build_cartesian_2d(x_min..x_max, axis.low..axis.high)?;
    let short = |label: &str| {
        if label.chars().count() > 10 {
            format!("{}…", label.chars().take(9).collect::<String>())
        } else {
            label.to_string()
        }
    };
    // Class names under the bars; with many bars only every n-th is named.
    let every = if rank_plot {
        1
    } else {
        classes.div_ceil(16).max(1)
    };
    let x_ticks: Vec<f64> = if rank_plot {
        nice_ticks(1.0, classes as f64, 8)
            .into_iter()
            .filter(|&x| x >= 1.0)
            .collect()
    } else {
        (0..classes)
            .step_by(every)
            .map(|i| i as f64 + 0.5)
            .collect()
    };
    let x_label = |x: f64| {
        if rank_plot {
            format!("{}", x.round())
        } else {
            bars.labels
                .get(x.floor() as usize)
                .map(|l| short(l))
                .unwrap_or_default()
        }
    };
    let y_ticks: Vec<f64> = if log_scale {
        let step = ((axis.high - axis.low) / 6.0).ceil().max(1.0);
        (0..)
            .map(|k| axis.high.floor() - step * f64::from(k))
            .take_while(|&y| y >= axis.low)
            .collect()
    } else {
        nice_ticks(axis.low, axis.high, 6)
    };
    let y_label = |y: f64| axis.label(y);
    let x_title = if rank_plot {
        "class rank (most frequent first)"
    } else {
        "class"
    };
    let y_title = if log_scale {
        "probability (log scale)"
    } else {
        "probability"
    };
    draw_axes(
        area,
        &mut chart,
        &AxisSpec {
            ticks: x_ticks,
            label: &x_label,
            title: x_title,
            grid: false,
        },
        &AxisSpec {
            ticks: y_ticks,
            label: &y_label,
            title: y_title,
            grid: true,
        },
        theme,
    )?;
    let legend = if rank_plot {
        draw_ranks(area, &mut chart, bars, &axis, theme)?
    } else {
        draw_bars(area, &mut chart, bars, &axis, theme)?
    };
    // The bars' areas (sampled up their heights) are what the legend should not hide.
    let x_of = |i: usize| {
        if rank_plot {
            i as f64 + 1.0
        } else {
            i as f64 + 0.5
        }
    };
    let stride = classes.div_ceil(400).max(1);
    let avoid: Vec<(f64, f64)> = (0..classes)
        .step_by(stride)
        .flat_map(|i| [bars.p[i], bars.q[i]].map(|v| (i, axis.y(v))))
        .flat_map(|(i, top)| {
            (0..=4).map(move |f| (x_of(i), axis.low + (top - axis.low) * f as f64 / 4.0))
        })
        .collect();
    draw_legend(area, &chart, &legend, &avoid, theme)
}

/// Regimes in legend order with their legend text.
const REGIMES: [(Regime, &str); 4] = [
    (Regime::Amplified, "Q* amplified"),
    (Regime::Suppressed, "Q* suppressed"),
    (Regime::OverSuppressed, "Q* over-suppressed"),
    (Regime::Unchanged, "Q* unchanged"),
];

/// Legend entries of a plot.
type Legend = Vec<(LegendMark, String)>;

fn draw_bars<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Chart2d<'a, DB>,
    bars: &ClassBars,
    axis: &ProbabilityAxis,
    theme: &Theme,
) -> Result<Legend, DrawingAreaErrorKind<DB::ErrorType>> {
    let bottom = axis.low;
    chart.draw_series(bars.p.iter().enumerate().map(|(i, &p)| {
        let x = i as f64;
        Rectangle::new(
            [(x + 0.08, bottom), (x + 0.48, axis.y(p))],
            theme.data.filled(),
        )
    }))?;
    let mut legend = vec![(LegendMark::Swatch(theme.data), "P (data)".to_string())];
    for (regime, name) in REGIMES {
        let members: Vec<usize> = (0..bars.q.len())
            .filter(|&i| bars.regimes[i] == regime)
            .collect();
        if members.is_empty() {
            continue;
        }
        let color = theme.regime_color(regime);
        chart.draw_series(members.iter().map(|&i| {
            let x = i as f64;
            Rectangle::new(
                [(x + 0.52, bottom), (x + 0.92, axis.y(bars.q[i]))],
                color.filled(),
            )
        }))?;
        for &i in &members {
            let top = pixel_in(area, chart, &(i as f64 + 0.72, axis.y(bars.q[i])));
            draw_regime_marker(area, top, regime, theme)?;
        }
        legend.push((LegendMark::Marker(regime), name.to_string()));
    }
    Ok(legend)
}

fn draw_ranks<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Chart2d<'a, DB>,
    bars: &ClassBars,
    axis: &ProbabilityAxis,
    theme: &Theme,
) -> Result<Legend, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut order: Vec<usize> = (0..bars.p.len()).collect();
    order.sort_by(|&a, &b| bars.p[b].total_cmp(&bars.p[a]));
    let thin = line_thinner(chart);
    let line = |values: &[f64]| -> Vec<(f64, f64)> {
        let points: Vec<(f64, f64)> = order
            .iter()
            .enumerate()
            .map(|(rank, &i)| (rank as f64 + 1.0, axis.y(values[i])))
            .collect();
        thin(&points)
    };
    let width = theme.line_width();
    chart.draw_series(LineSeries::new(
        line(bars.p),
        theme.data.stroke_width(width),
    ))?;
    let mut legend = vec![(LegendMark::Line(theme.data), "P (data)".to_string())];
    if order.len() > MAX_RANK_MARKERS {
        legend.extend(draw_regime_runs(chart, bars, &order, axis, theme)?);
        return Ok(legend);
    }
    chart.draw_series(LineSeries::new(
        line(bars.q),
        theme.text.stroke_width(width),
    ))?;
    legend.push((LegendMark::Line(theme.text), "Q*".to_string()));
    for (regime, name) in REGIMES {
        let mut present = false;
        for (rank, &i) in order.iter().enumerate() {
            if bars.regimes[i] == regime {
                present = true;
                let at = pixel_in(area, chart, &(rank as f64 + 1.0, axis.y(bars.q[i])));
                draw_regime_marker(area, at, regime, theme)?;
            }
        }
        if present {
            legend.push((LegendMark::Marker(regime), name.to_string()));
        }
    }
    Ok(legend)
}

/// Thins a rank plot's line (points by increasing rank) to what the chart's
/// pixel columns can show ([`thin_line`]).
fn line_thinner<'a, DB: DrawingBackend + 'a>(
    chart: &Chart2d<'a, DB>,
) -> impl Fn(&[(f64, f64)]) -> Vec<(f64, f64)> {
    let columns = chart.plotting_area().dim_in_pixel().0 as usize;
    let range = chart.x_range();
    move |points| thin_line(points, (range.start, range.end), columns.max(1))
}

/// The Q* line of a large rank plot, one polyline per run of classes in the
/// same regime, each in its regime's colour.
fn draw_regime_runs<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart2d<'a, DB>,
    bars: &ClassBars,
    order: &[usize],
    axis: &ProbabilityAxis,
    theme: &Theme,
) -> Result<Legend, DrawingAreaErrorKind<DB::ErrorType>> {
    let width = theme.px(2.5).max(1) as u32;
    let thin = line_thinner(chart);
    let mut legend: Legend = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let regime = bars.regimes[order[start]];
        let end = (start..order.len())
            .find(|&rank| bars.regimes[order[rank]] != regime)
            .unwrap_or(order.len());
        // Include the next class's point so that consecutive runs join up.
        let points: Vec<(f64, f64)> = (start..(end + 1).min(order.len()))
            .map(|rank| (rank as f64 + 1.0, axis.y(bars.q[order[rank]])))
            .collect();
        let color = theme.regime_color(regime);
        chart.draw_series(LineSeries::new(thin(&points), color.stroke_width(width)))?;
        let name = REGIMES
            .iter()
            .find(|(r, _)| *r == regime)
            .map_or("Q*", |(_, n)| *n);
        if !legend.iter().any(|(_, n)| n == name) {
            legend.push((LegendMark::Line(color), name.to_string()));
        }
        start = end;
    }
    Ok(legend)
}
