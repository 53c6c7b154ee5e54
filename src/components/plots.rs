//! The plot panels. Each plot is a small figure type that reads the state and
//! calls a drawing function of `crate::plots`; being generic over the plotters
//! backend, the same figure draws on the page's canvas and into an SVG export.

use std::rc::Rc;

use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::app_state::{curves_current, use_app_state, AppState};
use super::canvas::{draw_error, now_ms, record_timing, LayerFn, LayerResult, PlotCanvas};
use super::map_workers::{MapWorkEvent, MapWorkers};
use crate::core::{reshaping_map, ImbalanceMap};
use crate::plots::distribution::draw_solution;
use crate::plots::entropy::{draw_entropy, draw_entropy_cursor, EntropyCurves};
use crate::plots::gamma_frame::{draw_gamma_cursor, GammaAxis, GammaFrame};
use crate::plots::imbalance::{draw_imbalance_map, draw_map_cursor};
use crate::plots::recording::RecordingArea;
use crate::plots::reshaping::{draw_reshaping_map, MAX_MAP_MARKERS};
use crate::plots::tracked::draw_tracked;
use crate::plots::Theme;
use crate::state::html::tracked_class_options;

/// A plot drawn from the page state in one layer, on any plotters backend.
pub trait Figure: Copy + 'static {
    /// Draws the whole plot (nothing while there is no data).
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, theme: &Theme)
        -> LayerResult;
}

/// A plot with γ on its x axis, drawn in two layers: the base (redrawn when
/// the data changes) and a cursor at the current γ (redrawn when γ moves).
trait GammaFigure: Copy + 'static {
    /// Draws the base layer; returns its frame and γ axis once drawn
    /// (`None` while there is no data).
    fn draw_base<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<Option<(GammaFrame, GammaAxis)>, String>;
    /// Draws the cursor over a base layer drawn with `frame`.
    fn draw_cursor<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        frame: &GammaFrame,
        theme: &Theme,
    ) -> LayerResult;
}

/// A one-layer figure on a canvas, exportable as SVG.
#[component]
pub(super) fn FigureCanvas<F: Figure>(
    /// Stable test id of the canvas.
    test_id: &'static str,
    /// Accessible description.
    label: Signal<String>,
    /// Height as a fraction of the width.
    aspect: f64,
    /// The figure.
    figure: F,
) -> impl IntoView {
    let draw: LayerFn =
        Rc::new(move |area: &RecordingArea, theme: &Theme| figure.draw(area, theme));
    let svg = Rc::clone(&draw);
    view! {
        <PlotCanvas test_id=test_id label=label aspect=aspect
            draw=draw svg=svg />
    }
}

/// Draws the base layer of a γ figure; returns its frame and γ axis once drawn.
type BaseFn = Rc<dyn Fn(&RecordingArea, &Theme) -> Result<Option<(GammaFrame, GammaAxis)>, String>>;

/// Draws the γ cursor over a base layer drawn with the given frame.
type CursorFn = Rc<dyn Fn(&RecordingArea, &GammaFrame, &Theme) -> LayerResult>;

/// A two-layer γ figure on a canvas: click or drag sets γ; exportable as SVG.
#[component]
fn GammaCanvas<F: GammaFigure>(
    /// Stable test id of the canvas.
    test_id: &'static str,
    /// Accessible description.
    label: Signal<String>,
    /// Height as a fraction of the width.
    aspect: f64,
    /// The figure.
    figure: F,
) -> impl IntoView {
    // Each figure's layers are compiled once, behind these two closures; the
    // canvas logic below is shared by every γ figure.
    let base: BaseFn = Rc::new(move |area, theme| figure.draw_base(area, theme));
    let cursor: CursorFn =
        Rc::new(move |area, frame, theme| figure.draw_cursor(area, frame, theme));
    gamma_canvas(test_id, label, aspect, base, cursor)
}

/// The canvas of a γ figure drawn by `base` and `cursor` (see [`GammaCanvas`]).
fn gamma_canvas(
    test_id: &'static str,
    label: Signal<String>,
    aspect: f64,
    base: BaseFn,
    cursor: CursorFn,
) -> impl IntoView {
    let state = use_app_state();
    let layout = StoredValue::new(None::<(GammaFrame, GammaAxis)>);
    let frame_version = RwSignal::new(0u64);
    let draw: LayerFn = {
        let base = Rc::clone(&base);
        Rc::new(move |area: &RecordingArea, theme: &Theme| {
            if let Some(drawn) = base(area, theme)? {
                layout.set_value(Some(drawn));
                frame_version.update(|v| *v += 1);
            }
            // The base layer is the same at every γ; the cursor shows γ.
            Ok(None)
        })
    };
    let overlay: LayerFn = {
        let cursor = Rc::clone(&cursor);
        Rc::new(move |area: &RecordingArea, theme: &Theme| {
            frame_version.track();
            match layout.get_value() {
                Some((frame, _)) => cursor(area, &frame, theme),
                None => Ok(None),
            }
        })
    };
    let svg: LayerFn =
        Rc::new(
            move |area: &RecordingArea, theme: &Theme| match base(area, theme)? {
                Some((frame, _)) => cursor(area, &frame, theme),
                None => Ok(None),
            },
        );
    let on_pointer = Callback::new(move |x: f64| {
        if let Some((_, axis)) = layout.get_value() {
            state.set_gamma((axis.gamma_at(x) * 100.0).round() / 100.0);
        }
    });
    view! {
        <PlotCanvas test_id=test_id label=label aspect=aspect draw=draw overlay=overlay
            on_pointer=on_pointer svg=svg />
    }
}

/// P and Q* per class.
#[derive(Clone, Copy)]
struct DistributionFigure(AppState);

impl Figure for DistributionFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> LayerResult {
        let state = self.0;
        let log_scale = state.log_scale.get();
        state.labels.with(|labels| {
            state.drawn.with(|solution| match solution {
                Some(solution) if labels.len() == solution.problem().class_count() => {
                    draw_solution(area, solution, &|class| labels.get(class), log_scale, theme)
                        .map(|()| Some(solution.gamma()))
                        .map_err(draw_error)
                }
                _ => Ok(None),
            })
        })
    }
}

/// "Reshaped distribution": P and Q* per class.
#[component]
pub fn DistributionPlot() -> impl IntoView {
    let state = use_app_state();
    let label = Signal::derive(move || {
        format!(
            "Bar chart of P and Q* for each class at γ = {:.2}",
            state.gamma.get()
        )
    });
    view! {
        <FigureCanvas test_id="plot-distribution" label=label aspect=0.5 figure=DistributionFigure(state) />
    }
}

/// H(Q*) and the minimal focal-entropy along γ.
#[derive(Clone, Copy)]
struct EntropyFigure(AppState);

impl GammaFigure for EntropyFigure {
    fn draw_base<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<Option<(GammaFrame, GammaAxis)>, String> {
        let units = self.0.units.get();
        let below = self.0.findings_along.with(|along| {
            along
                .as_ref()
                .map(|a| a.entropy_below.clone())
                .unwrap_or_default()
        });
        let Some((problem, along)) = self.0.entropy_along() else {
            return Ok(None);
        };
        let factor = units.from_nats();
        let (gammas, shannon_q, fe_min) = along.in_units(units);
        let curves = EntropyCurves {
            gammas: &gammas,
            shannon_q: &shannon_q,
            fe_min: &fe_min,
            shannon_p: problem.shannon_p() * factor,
            uniform: (problem.positive_class_count() as f64).ln() * factor,
            unit: units.name(),
            below: &below,
        };
        draw_entropy(area, &curves, theme)
            .map(Some)
            .map_err(draw_error)
    }

    fn draw_cursor<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        frame: &GammaFrame,
        theme: &Theme,
    ) -> LayerResult {
        let factor = self.0.units.get().from_nats();
        let gamma = self.0.gamma.get();
        self.0.solution.with(|s| {
            let Some(s) = s else { return Ok(None) };
            let uniform = (s.problem().positive_class_count() as f64).ln() * factor;
            let current = (gamma, s.shannon_q() * factor, s.fe_min() * factor);
            draw_entropy_cursor(area, frame, current, uniform, theme)
                .map(|()| Some(gamma))
                .map_err(draw_error)
        })
    }
}

/// A plot drawn from the γ-sweep: dimmed and `aria-busy` while the sweep it
/// shows is of other classes or another γ range (or, for the plot of the
/// tracked class, of another tracked class) and a new one is computed; how
/// far a worker has traced the curves, while it traces them; in place of the
/// plot, why there is none when the curves cannot be computed.
#[component]
fn FollowsSweep(
    /// Whether the plot shows the tracked class.
    #[prop(optional)]
    tracked: bool,
    /// The plot.
    children: Children,
) -> impl IntoView {
    let state = use_app_state();
    let refused = move || state.curves_refused();
    view! {
        <div class="follows-sweep" data-testid="follows-sweep"
            aria-busy=move || {
                let current = curves_current(state.sweep_current, state.tracked, tracked);
                (!current && !refused()).to_string()
            }>
            // (Hidden while empty: see the style sheet.)
            <p class="hint sweep-note" data-testid="sweep-note">{move || state.sweep_note.get().unwrap_or_default()}</p>
            <div hidden=refused>{children()}</div>
        </div>
    }
}

/// "Entropy versus γ": curves in the base layer, the γ cursor in the overlay;
/// click or drag to set γ.
#[component]
pub fn EntropyPlot() -> impl IntoView {
    let state = use_app_state();
    let label = Signal::derive(move || {
        format!(
            "Line chart of H(Q*) and the minimal focal-entropy against γ; the marker is at γ = {:.2}. Click to set γ.",
            state.gamma.get()
        )
    });
    view! {
        <FollowsSweep>
            <GammaCanvas test_id="plot-entropy" label=label aspect=0.42 figure=EntropyFigure(state) />
        </FollowsSweep>
    }
}

/// h(p) with the line at μ and every class placed on it.
#[derive(Clone, Copy)]
struct ReshapingFigure(AppState);

impl Figure for ReshapingFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> LayerResult {
        self.0.drawn_last.with(|solution| {
            let Some(solution) = solution else {
                return Ok(None);
            };
            let map = reshaping_map(solution, 240, MAX_MAP_MARKERS);
            draw_reshaping_map(area, &map, theme)
                .map(|()| Some(solution.gamma()))
                .map_err(draw_error)
        })
    }
}

/// "Reshaping map": why each class gains or loses (markers above the line at μ gain).
#[component]
pub fn ReshapingPlot() -> impl IntoView {
    let state = use_app_state();
    let label = Signal::derive(move || {
        format!(
            "Reshaping map h(p) at γ = {:.2} with the line at μ; classes above the line are amplified, below it suppressed.",
            state.gamma.get()
        )
    });
    view! { <FigureCanvas test_id="plot-reshaping" label=label aspect=0.42 figure=ReshapingFigure(state) /> }
}

/// q*/p of the tracked class along γ.
#[derive(Clone, Copy)]
struct TrackedFigure(AppState);

impl GammaFigure for TrackedFigure {
    fn draw_base<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<Option<(GammaFrame, GammaAxis)>, String> {
        self.0.tracked.with(|tracked| {
            let Some(tracked) = tracked.as_ref() else {
                return Ok(None);
            };
            self.0.labels.with(|labels| {
                let label = labels.get(tracked.class).unwrap_or_else(|| "?".into());
                draw_tracked(area, tracked, &label, theme)
                    .map(Some)
                    .map_err(draw_error)
            })
        })
    }

    fn draw_cursor<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        frame: &GammaFrame,
        theme: &Theme,
    ) -> LayerResult {
        let gamma = self.0.gamma.get();
        let class = self.0.tracked.with(|t| t.as_ref().map(|t| t.class));
        let ratio = self
            .0
            .solution
            .with(|s| s.as_ref().zip(class).and_then(|(s, c)| s.ratio(c)));
        draw_gamma_cursor(area, frame, gamma, &[ratio.unwrap_or(f64::NAN)], theme)
            .map(|()| Some(gamma))
            .map_err(draw_error)
    }
}

/// Most classes offered by name in the tracked-class chooser.
const MAX_TRACK_OPTIONS: usize = 500;

/// "Tracked class": q*/p of one class along γ, with a chooser (default: the rarest).
#[component]
pub fn TrackedPlot() -> impl IntoView {
    let state = use_app_state();
    let rarest_label = move || {
        state.labels.with(|labels| {
            state.problem.with(|p| {
                p.as_ref()
                    .and_then(|p| labels.get(p.rarest_class()))
                    .unwrap_or_default()
            })
        })
    };
    let choose = move |value: String| {
        let track = value.parse::<usize>().ok();
        state.update(|c| c.track = track);
    };
    // The options of classes as one string of HTML, set again only when it
    // changes (see [`tracked_class_options`]).
    let class_options = Memo::new(move |_| {
        state
            .labels
            .with(|labels| tracked_class_options(labels, state.track.get(), MAX_TRACK_OPTIONS))
    });
    let label = Signal::derive(move || {
        state.tracked.with(|t| match t {
            Some(t) => format!(
                "Line chart of q*/p of one class against γ; suppressed in {} interval(s); {}.",
                t.suppressed.len(),
                match t.lifted_from() {
                    Some(gamma) if gamma > 0.0 => format!("gains at every γ above {gamma:.2}"),
                    Some(_) => "gains at every γ > 0".to_string(),
                    None => "loses at γ max".to_string(),
                }
            ),
            None => "Tracked-class chart (no data yet)".to_string(),
        })
    });
    view! {
        <label class="field-label" for="track-select">"Class"</label>
        <select id="track-select" data-testid="track-select" on:change=move |e| choose(event_target_value(&e))>
            <option value="" selected=move || state.track.get().is_none()>
                {move || format!("Rarest class ({})", rarest_label())}
            </option>
            <optgroup label="Classes" inner_html=class_options></optgroup>
        </select>
        <FollowsSweep tracked=true>
            <GammaCanvas test_id="plot-tracked" label=label aspect=0.42 figure=TrackedFigure(state) />
        </FollowsSweep>
    }
}

/// The imbalance × γ map so far, with the current configuration marked.
#[derive(Clone, Copy)]
struct MapFigure {
    state: AppState,
    /// Head-to-tail ratio of the current classes (changes with the classes, not with γ).
    ratio: Memo<Option<f64>>,
    map: StoredValue<Option<ImbalanceMap>>,
    version: RwSignal<u64>,
}

impl GammaFigure for MapFigure {
    fn draw_base<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<Option<(GammaFrame, GammaAxis)>, String> {
        self.version.track();
        self.map.with_value(|map| match map {
            Some(map) => draw_imbalance_map(area, map, theme)
                .map(Some)
                .map_err(draw_error),
            None => Ok(None),
        })
    }

    fn draw_cursor<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        frame: &GammaFrame,
        theme: &Theme,
    ) -> LayerResult {
        let gamma = self.state.gamma.get();
        match self.ratio.get() {
            Some(ratio) => draw_map_cursor(area, frame, gamma, ratio, theme)
                .map(|()| Some(gamma))
                .map_err(draw_error),
            None => Ok(None),
        }
    }
}

/// Cells of the map (ratios × γ values) for a number of classes: coarser
/// above 2000 classes, where one solve takes milliseconds.
fn map_size(classes: usize) -> (usize, usize) {
    if classes > 2000 {
        (16, 24)
    } else {
        (32, 48)
    }
}

/// Least time between two redraws of a map that is still filling in, in ms.
const MAP_REDRAW_MS: f64 = 200.0;

/// Where a computation of the map stands.
#[derive(Debug, Clone, PartialEq)]
enum MapStatus {
    /// Computing: cells done, cells in all.
    Computing(usize, usize),
    /// Finished: cells and the time it took, in ms.
    Done(usize, f64),
    /// Could not be computed, and why.
    Failed(String),
}

impl MapStatus {
    /// Cells done and cells in all, for the progress bar.
    fn progress(&self) -> (usize, usize) {
        match *self {
            MapStatus::Computing(done, total) => (done, total),
            MapStatus::Done(cells, _) => (cells, cells),
            MapStatus::Failed(_) => (0, 1),
        }
    }
}

/// The map being filled in by the workers: the figure it shows in, its status,
/// and when it started and was last redrawn (ms since navigation).
#[derive(Clone, Copy)]
struct MapProgress {
    figure: MapFigure,
    status: RwSignal<MapStatus>,
    started: StoredValue<f64>,
    redrawn: StoredValue<f64>,
}

impl MapProgress {
    /// Puts in a row that a worker computed, redrawing now and then and at the
    /// end; records the main thread's share of the work ("map-row", ms).
    fn receive(&self, event: MapWorkEvent) {
        let received = now_ms();
        self.put_in(event);
        record_timing("map-row", now_ms() - received);
    }

    fn put_in(&self, event: MapWorkEvent) {
        let row = match event {
            MapWorkEvent::Row(row) => row,
            MapWorkEvent::Failed(reason) => {
                self.status.set(MapStatus::Failed(reason));
                return;
            }
        };
        let stored = self.figure.map.try_update_value(|map| {
            map.as_mut().map_or(Ok((0, 0)), |map| {
                map.set_row(row.row, &row.values).map(|()| map.progress())
            })
        });
        let now = now_ms();
        match stored {
            Some(Err(error)) => self.status.set(MapStatus::Failed(error.to_string())),
            Some(Ok((done, total))) if done == total => {
                self.status
                    .set(MapStatus::Done(total, now - self.started.get_value()));
                self.figure.version.update(|v| *v += 1);
                record_timing("map-complete", now - self.started.get_value());
            }
            Some(Ok((done, total))) => {
                self.status.set(MapStatus::Computing(done, total));
                if now - self.redrawn.get_value() >= MAP_REDRAW_MS {
                    self.redrawn.set_value(now);
                    self.figure.version.update(|v| *v += 1);
                }
            }
            None => {}
        }
    }
}

/// "Imbalance × γ": the rarest class's q*/p for the exponential long tail with
/// the current number of classes, computed by Web Workers with progress.
#[component]
pub fn MapPlot() -> impl IntoView {
    let state = use_app_state();
    let figure = MapFigure {
        state,
        ratio: Memo::new(move |_| {
            state
                .problem
                .with(|p| p.as_ref().map(|p| p.imbalance_ratio()))
        }),
        map: StoredValue::new(None),
        version: RwSignal::new(0),
    };
    let progress = MapProgress {
        figure,
        status: RwSignal::new(MapStatus::Computing(0, 0)),
        started: StoredValue::new(0.0),
        redrawn: StoredValue::new(0.0),
    };
    let status = progress.status;
    let workers = MapWorkers::new(move |event| progress.receive(event));
    let job = StoredValue::new(0u32);
    let classes = Memo::new(move |_| {
        state
            .problem
            .with(|p| p.as_ref().map_or(0, |p| p.positive_class_count()))
    });
    let pool = workers.clone();
    Effect::new(move |_| {
        let classes = classes.get();
        let gamma_max = state.gamma_max.get();
        let (ratio_points, gamma_points) = map_size(classes);
        match ImbalanceMap::new(classes, gamma_max, ratio_points, gamma_points) {
            Ok(map) => {
                let started = now_ms();
                progress.started.set_value(started);
                progress.redrawn.set_value(started);
                status.set(MapStatus::Computing(0, map.progress().1));
                job.update_value(|j| *j = j.wrapping_add(1));
                pool.start(&map, job.get_value());
                figure.map.set_value(Some(map));
                figure.version.update(|v| *v += 1);
            }
            Err(error) => {
                figure.map.set_value(None);
                status.set(MapStatus::Failed(error.to_string()));
            }
        }
    });
    // The pool lives on this thread, as everything on the page does.
    let workers = send_wrapper::SendWrapper::new(workers);
    on_cleanup(move || workers.stop());
    let progress_text = move || match status.get() {
        MapStatus::Computing(done, total) => {
            format!("Computing… {}%", done * 100 / total.max(1))
        }
        MapStatus::Done(cells, ms) => format!(
            "{cells} cells, {:.1} s; the line marks q*/p = 1.",
            ms / 1000.0
        ),
        MapStatus::Failed(reason) => format!("No map: {reason}."),
    };
    let value = move || status.with(|s| s.progress().0);
    let max = move || status.with(|s| s.progress().1);
    let complete = move || matches!(status.get(), MapStatus::Done(..)).to_string();
    let label = Signal::derive(move || {
        format!(
            "Heat map of the rarest class's q*/p for an exponential long tail of {} classes, over head-to-tail ratio 10 to 10^6 and γ from 0 to {}; the current configuration is marked.",
            classes.get(),
            state.gamma_max.get()
        )
    });
    view! {
        <p class="hint">
            {move || format!("Exponential long tail with {} classes (n_i ∝ ratio^(−i/(K−1))): where is the rarest class lifted (green) or pushed down (orange)? The dot marks your γ and head/tail ratio; other profiles of the same ratio can differ (see the tracked class).", classes.get())}
        </p>
        <div class="map-progress">
            <progress data-testid="map-progress" data-complete=complete value=value max=max aria-label="Imbalance map progress"></progress>
            <span role="status">{progress_text}</span>
        </div>
        // Busy while rows are still coming in (the map fills in as they do).
        <div data-testid="map-frame" aria-busy=move || matches!(status.get(), MapStatus::Computing(..)).to_string()>
            <GammaCanvas test_id="plot-map" label=label aspect=0.5 figure=figure />
        </div>
    }
}
