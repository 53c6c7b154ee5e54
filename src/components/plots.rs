//! The plot panels: each wires signals to a drawing function of `crate::plots`.

use leptos::prelude::*;

use super::app_state::use_app_state;
use std::rc::Rc;

use super::canvas::{CanvasArea, LayerFn, PlotCanvas};
use crate::core::{reshaping_map, Regime};
use crate::plots::distribution::draw_solution;
use crate::plots::entropy::{
    draw_entropy, draw_gamma_marker, EntropyCurves, EntropyFrame, GammaAxis,
};
use crate::plots::reshaping::draw_reshaping_map;
use crate::plots::Theme;
use crate::state::derived::entropy_series;

/// "Reshaped distribution": P and Q* per class.
#[component]
pub fn DistributionPlot() -> impl IntoView {
    let state = use_app_state();
    let draw = move |area: &CanvasArea, theme: &Theme| {
        let log_scale = state.log_scale.get();
        let labels = state.labels.get();
        state.solution.with(|solution| {
            let Some(solution) = solution else { return };
            if labels.len() != solution.problem().class_count() {
                return;
            }
            let _ = draw_solution(area, solution, &labels, log_scale, theme);
        });
    };
    let label = Signal::derive(move || {
        format!(
            "Bar chart of P and Q* for each class at γ = {:.2}",
            state.gamma.get()
        )
    });
    view! {
        <PlotCanvas test_id="plot-distribution" label=label aspect=0.5 draw=draw />
    }
}

/// "Entropy versus γ": curves in the base layer, the γ marker in the overlay;
/// click or drag to set γ.
#[component]
pub fn EntropyPlot() -> impl IntoView {
    let state = use_app_state();
    let layout = StoredValue::new(None::<(EntropyFrame, GammaAxis)>);
    let frame_version = RwSignal::new(0u64);
    let draw = move |area: &CanvasArea, theme: &Theme| {
        let units = state.units.get();
        state.sweep.with(|sweep| {
            let Some(sweep) = sweep else { return };
            let Some(problem) = sweep.solutions().first().map(|s| s.problem()) else {
                return;
            };
            let factor = units.from_nats();
            let (gammas, shannon_q, fe_min) = entropy_series(sweep, units);
            let curves = EntropyCurves {
                gammas: &gammas,
                shannon_q: &shannon_q,
                fe_min: &fe_min,
                shannon_p: problem.shannon_p() * factor,
                uniform: (problem.positive_class_count() as f64).ln() * factor,
                unit: units.name(),
            };
            if let Ok(drawn) = draw_entropy(area, &curves, theme) {
                layout.set_value(Some(drawn));
                frame_version.update(|v| *v += 1);
            }
        });
    };
    let overlay: LayerFn = Rc::new(move |area: &CanvasArea, theme: &Theme| {
        frame_version.track();
        let factor = state.units.get().from_nats();
        let gamma = state.gamma.get();
        let current = state.solution.with(|s| {
            s.as_ref()
                .map(|s| (gamma, s.shannon_q() * factor, s.fe_min() * factor))
        });
        if let (Some((frame, _)), Some(current)) = (layout.get_value(), current) {
            let _ = draw_gamma_marker(area, &frame, current, theme);
        }
    });
    let on_pointer = Callback::new(move |x: f64| {
        if let Some((_, axis)) = layout.get_value() {
            let gamma = (axis.gamma_at(x) * 100.0).round() / 100.0;
            state.gamma.set(gamma);
        }
    });
    let label = Signal::derive(move || {
        format!(
            "Line chart of H(Q*) and the minimal focal-entropy against γ; the marker is at γ = {:.2}. Click to set γ.",
            state.gamma.get()
        )
    });
    view! {
        <PlotCanvas test_id="plot-entropy" label=label aspect=0.42 draw=draw overlay=overlay on_pointer=on_pointer />
    }
}

/// "Reshaping map": why each class gains or loses (markers above the line at μ gain).
#[component]
pub fn ReshapingPlot() -> impl IntoView {
    let state = use_app_state();
    let draw = move |area: &CanvasArea, theme: &Theme| {
        state.solution.with(|solution| {
            let Some(solution) = solution else { return };
            let map = reshaping_map(solution, 240);
            let regimes: Vec<Regime> = map
                .markers
                .iter()
                .map(|m| solution.regime(m.class))
                .collect();
            let _ = draw_reshaping_map(area, &map, &regimes, theme);
        });
    };
    let label = Signal::derive(move || {
        format!(
            "Reshaping map h(p) at γ = {:.2} with the line at μ; classes above the line are amplified, below it suppressed.",
            state.gamma.get()
        )
    });
    view! { <PlotCanvas test_id="plot-reshaping" label=label aspect=0.42 draw=draw /> }
}
