//! "Reshaped distribution": P and Q* per class, coloured and marked by regime;
//! above [`RANK_PLOT_THRESHOLD`] classes, a rank plot of both.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{draw_axes, draw_legend, nice_ticks, AxisSpec, Chart2d, LegendMark};
use super::{draw_regime_marker, format_probability, pixel_in, LineThinner, Theme};
use std::borrow::Cow;

use crate::core::{ClassRun, Regime, Solution};

/// Above this many classes bars become unreadable and a rank plot is drawn.
pub const RANK_PLOT_THRESHOLD: usize = 40;

/// Most classes drawn with a marker each in the rank plot; beyond it the Q*
/// line itself is coloured by regime (markers would overlap and cost time).
pub const MAX_RANK_MARKERS: usize = 200;

/// The plot's runs of a solution: each class in input order for a bar plot
/// (up to [`RANK_PLOT_THRESHOLD`] classes), or [`Solution::runs_by_rank`]
/// for a rank plot (computed once per solution).
pub fn class_runs(solution: &Solution) -> Cow<'_, [ClassRun]> {
    let classes = solution.problem().class_count();
    if classes > RANK_PLOT_THRESHOLD {
        return Cow::Borrowed(solution.runs_by_rank());
    }
    (0..classes)
        .map(|class| ClassRun {
            classes: 1,
            p: solution.p(class),
            q: solution.q(class),
            regime: solution.regime(class),
        })
        .collect()
}

/// The smallest positive and the largest of the probabilities seen (1 and 0
/// before any positive one), which the y axis must show.
#[derive(Debug, Clone, Copy)]
struct Extremes {
    smallest: f64,
    largest: f64,
}

impl Extremes {
    const NONE: Extremes = Extremes {
        smallest: 1.0,
        largest: 0.0,
    };

    /// Takes in a probability. Plain comparisons: `f64::min` and `max` also
    /// order NaN, which costs a call each in wasm (a million runs pass here).
    fn include(&mut self, value: f64) {
        if value > 0.0 && value < self.smallest {
            self.smallest = value;
        }
        if value > self.largest {
            self.largest = value;
        }
    }
}

/// The y axis: linear probability or its base-10 logarithm.
#[derive(Debug, Clone, Copy)]
struct ProbabilityAxis {
    log_scale: bool,
    low: f64,
    high: f64,
}

impl ProbabilityAxis {
    /// The axis showing every value of `extremes`.
    fn new(extremes: Extremes, log_scale: bool) -> Self {
        let Extremes { smallest, largest } = extremes;
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

/// Draws the plot of a solution's classes: `label_of` names the class of a
/// (zero-based) index, in input order. Labels longer than 10 characters are
/// shortened with "…".
pub fn draw_solution<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    solution: &Solution,
    label_of: &dyn Fn(usize) -> Option<String>,
    log_scale: bool,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let runs = class_runs(solution);
    let classes = solution.problem().class_count();
    area.fill(&theme.background)?;
    let rank_plot = classes > RANK_PLOT_THRESHOLD;
    let (x_min, x_max) = if rank_plot {
        (0.5, classes as f64 + 0.5)
    } else {
        (0.0, classes.max(1) as f64)
    };
    // A rank plot's last tick, at K, is labelled at the right edge: room
    // for half of "1000000".
    let right_margin = if rank_plot { 26.0 } else { 10.0 };
    let chart_over = |y_range: std::ops::Range<f64>| {
        ChartBuilder::on(area)
            .margin(theme.px(10.0))
            .margin_right(theme.px(right_margin))
            .x_label_area_size(theme.px(38.0))
            .y_label_area_size(theme.px(58.0))
            .build_cartesian_2d(x_min..x_max, y_range)
    };
    // The lines are thinned to the plotting area's pixel columns (the same
    // whatever the y range) in the pass that finds the extremes.
    let columns = chart_over(0.0..1.0)?.plotting_area().dim_in_pixel().0;
    let first_x = if rank_plot { 1.0 } else { 0.5 };
    let lines = ClassLines::thin(&runs, first_x, (x_min, x_max), columns as usize);
    let axis = ProbabilityAxis::new(lines.extremes, log_scale);
    let mut chart = chart_over(axis.low..axis.high)?;
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
            label_of(x.floor() as usize)
                .map(|l| short(&l))
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
        draw_ranks(area, &mut chart, &lines, &runs, classes, &axis, theme)?
    } else {
        draw_bars(area, &mut chart, &runs, &axis, theme)?
    };
    // The data's tops, with the areas under them (sampled at five heights),
    // are what the legend should not hide.
    let avoid: Vec<(f64, f64)> = lines
        .tops()
        .into_iter()
        .flat_map(|(x, value)| {
            let top = axis.y(value);
            (0..=4).map(move |f| (x, axis.low + (top - axis.low) * f as f64 / 4.0))
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

/// Each run with the zero-based position of its first class along the x axis.
fn run_starts(runs: &[ClassRun]) -> impl Iterator<Item = (usize, &ClassRun)> + Clone {
    runs.iter().scan(0, |start, run| {
        let this = *start;
        *start += run.classes;
        Some((this, run))
    })
}

/// The plot's lines through the runs' P and Q*, as (x, probability)
/// points thinned to the plot's pixel columns ([`LineThinner`]); Q* is cut
/// into stretches of one regime, each joined up with the next stretch's
/// first class. A run's first class sits at `first_x` plus its position
/// (ranks from 1 in a rank plot, bar centres in a bar plot), and a run of
/// tied classes is a level segment from its first class to its last. The
/// lines are made in one pass over the runs, which also finds the
/// extremes: a million runs are read once. A rank plot draws them; a bar
/// plot keeps its legend off their points.
struct ClassLines {
    p: Vec<(f64, f64)>,
    /// Q*, stretch after stretch.
    q: Vec<(f64, f64)>,
    /// Each stretch's regime and where its points end in `q`.
    q_stretches: Vec<(Regime, usize)>,
    extremes: Extremes,
}

/// Pushes a run's level segment at `value` onto a line: the point of its
/// first class, at `x`, and for tied classes the point of its last.
fn push_run(line: &mut LineThinner, x: f64, run: &ClassRun, value: f64) {
    line.push((x, value));
    if run.classes > 1 {
        line.push((x + (run.classes - 1) as f64, value));
    }
}

impl ClassLines {
    /// The lines of `runs` over `columns` pixel columns across `x_range`.
    fn thin(runs: &[ClassRun], first_x: f64, x_range: (f64, f64), columns: usize) -> Self {
        let thinner = || LineThinner::new(x_range, columns);
        let mut p = thinner();
        let mut q = Vec::new();
        let mut q_stretches = Vec::new();
        let mut stretch: Option<(Regime, LineThinner)> = None;
        let mut extremes = Extremes::NONE;
        for (start, run) in run_starts(runs) {
            extremes.include(run.p);
            extremes.include(run.q);
            let x = start as f64 + first_x;
            push_run(&mut p, x, run, run.p);
            if let Some((regime, line)) = &mut stretch {
                if *regime != run.regime {
                    line.push((x, run.q));
                    if let Some((regime, line)) = stretch.take() {
                        q.extend(line.finish());
                        q_stretches.push((regime, q.len()));
                    }
                }
            }
            let (_, line) = stretch.get_or_insert_with(|| (run.regime, thinner()));
            push_run(line, x, run, run.q);
        }
        if let Some((regime, line)) = stretch {
            q.extend(line.finish());
            q_stretches.push((regime, q.len()));
        }
        ClassLines {
            p: p.finish(),
            q,
            q_stretches,
            extremes,
        }
    }

    /// Up to about 200 points of each line (P and Q*).
    fn tops(&self) -> Vec<(f64, f64)> {
        [&self.p, &self.q]
            .into_iter()
            .flat_map(|line| {
                line.iter()
                    .copied()
                    .step_by(line.len().div_ceil(200).max(1))
            })
            .collect()
    }
}

fn draw_bars<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Chart2d<'a, DB>,
    runs: &[ClassRun],
    axis: &ProbabilityAxis,
    theme: &Theme,
) -> Result<Legend, DrawingAreaErrorKind<DB::ErrorType>> {
    let bottom = axis.low;
    chart.draw_series(runs.iter().enumerate().map(|(i, run)| {
        let x = i as f64;
        Rectangle::new(
            [(x + 0.08, bottom), (x + 0.48, axis.y(run.p))],
            theme.data.filled(),
        )
    }))?;
    let mut legend = vec![(LegendMark::Swatch(theme.data), "P (data)".to_string())];
    for (regime, name) in REGIMES {
        let members: Vec<(usize, &ClassRun)> = runs
            .iter()
            .enumerate()
            .filter(|(_, run)| run.regime == regime)
            .collect();
        if members.is_empty() {
            continue;
        }
        let color = theme.regime_color(regime);
        chart.draw_series(members.iter().map(|&(i, run)| {
            let x = i as f64;
            Rectangle::new(
                [(x + 0.52, bottom), (x + 0.92, axis.y(run.q))],
                color.filled(),
            )
        }))?;
        for &(i, run) in &members {
            let top = pixel_in(area, chart, &(i as f64 + 0.72, axis.y(run.q)));
            draw_regime_marker(area, top, regime, theme)?;
        }
        legend.push((LegendMark::Marker(regime), name.to_string()));
    }
    Ok(legend)
}

fn draw_ranks<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Chart2d<'a, DB>,
    lines: &ClassLines,
    runs: &[ClassRun],
    classes: usize,
    axis: &ProbabilityAxis,
    theme: &Theme,
) -> Result<Legend, DrawingAreaErrorKind<DB::ErrorType>> {
    let width = theme.line_width();
    // Only the thinned points go through the (increasing) axis map: a
    // million classes cost no logarithm each.
    let draw_line = |chart: &mut Chart2d<'a, DB>, line: &[(f64, f64)], style: ShapeStyle| {
        let points = line.iter().map(|&(x, v)| (x, axis.y(v)));
        chart.draw_series(LineSeries::new(points, style)).map(drop)
    };
    draw_line(chart, &lines.p, theme.data.stroke_width(width))?;
    let mut legend = vec![(LegendMark::Line(theme.data), "P (data)".to_string())];
    if classes > MAX_RANK_MARKERS {
        // The Q* line itself, each stretch in its regime's colour.
        let regime_width = theme.px(2.5).max(1) as u32;
        let mut start = 0;
        for &(regime, end) in &lines.q_stretches {
            let color = theme.regime_color(regime);
            let name = REGIMES
                .iter()
                .find(|(r, _)| *r == regime)
                .map_or("Q*", |(_, n)| *n);
            if !legend.iter().any(|(_, n)| n == name) {
                legend.push((LegendMark::Line(color), name.to_string()));
            }
            draw_line(
                chart,
                &lines.q[start..end],
                color.stroke_width(regime_width),
            )?;
            start = end;
        }
        return Ok(legend);
    }
    draw_line(chart, &lines.q, theme.text.stroke_width(width))?;
    legend.push((LegendMark::Line(theme.text), "Q*".to_string()));
    for (regime, name) in REGIMES {
        let mut present = false;
        for (start, run) in run_starts(runs).filter(|(_, run)| run.regime == regime) {
            present = true;
            for rank in start + 1..=start + run.classes {
                let at = pixel_in(area, chart, &(rank as f64, axis.y(run.q)));
                draw_regime_marker(area, at, regime, theme)?;
            }
        }
        if present {
            legend.push((LegendMark::Marker(regime), name.to_string()));
        }
    }
    Ok(legend)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::solve;

    #[test]
    fn runs_go_by_decreasing_p_with_ties_in_increasing_weight_and_absent_last() {
        let counts: Vec<f64> = (0..50).map(|i| f64::from(i % 7)).collect();
        // Without α, and with α that ties p = 6 across weights and puts a
        // class of p = 5 above them in weight.
        let mut alpha = vec![1.0; 50];
        alpha[6] = 3.0;
        alpha[5] = 50.0;
        for alpha in [None, Some(&alpha[..])] {
            let solution = solve(&counts, 2.0, alpha).unwrap();
            let runs = class_runs(&solution);
            assert_eq!(runs.iter().map(|r| r.classes).sum::<usize>(), 50);
            let last = runs.last().unwrap();
            assert_eq!((last.classes, last.regime), (8, Regime::Absent));
            for pair in runs.windows(2) {
                assert!(pair[0].p >= pair[1].p, "{alpha:?}: {pair:?}");
                if pair[0].p == pair[1].p {
                    // Equal p: the lesser weight, hence the lesser q*, first.
                    assert!(pair[0].q < pair[1].q, "{pair:?}");
                }
            }
            let distinct = if alpha.is_some() { 8 } else { 6 };
            assert_eq!(runs.len(), distinct + 1, "{alpha:?}");
        }
    }
}
