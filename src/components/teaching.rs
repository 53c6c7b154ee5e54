//! The teaching layer: presets, captions, the over-suppression banner with a
//! jump to the tracked class's best γ, the order check, and the γ animation.

use leptos::prelude::*;

use super::app_state::use_app_state;
use super::plots::ReshapingPlot;
use crate::state::teaching::{captions, class_names, order_preserved, presets, PresetClasses};

/// Chooses one of the presets.
#[component]
pub fn PresetSelect() -> impl IntoView {
    let state = use_app_state();
    let choose = move |key: String| {
        let Some(preset) = presets().into_iter().find(|p| p.key == key) else {
            return;
        };
        match preset.classes {
            PresetClasses::List(rows) => state.edit_classes(rows),
            PresetClasses::Generated(generator) => state.set_generator(generator),
        }
        state.alpha.set(None);
        state.track.set(None);
    };
    view! {
        <label class="field-label" for="preset-select">"Example"</label>
        <select id="preset-select" data-testid="preset-select" on:change=move |e| choose(event_target_value(&e))>
            <option value="" selected>"Choose an example…"</option>
            {presets().into_iter().map(|p| view! { <option value=p.key>{p.name}</option> }).collect_view()}
        </select>
    }
}

/// Captions, the over-suppression banner and the order check.
#[component]
pub fn Findings() -> impl IntoView {
    let state = use_app_state();
    let texts = move || {
        let labels = state.labels.get();
        state
            .solution
            .with(|s| s.as_ref().map(|s| captions(s, &labels)).unwrap_or_default())
    };
    // Read by the banner's visibility and its text: computed once per change.
    let over_suppressed = Memo::new(move |_| {
        state.solution.with(|s| {
            s.as_ref()
                .map(|s| s.over_suppressed_classes())
                .unwrap_or_default()
        })
    });
    let best = move || {
        state.tracked.with(|tracked| {
            tracked.as_ref().map(|t| {
                (
                    t.class,
                    (t.best_gamma * 100.0).round() / 100.0,
                    t.best_ratio,
                )
            })
        })
    };
    let banner_text = move || {
        let named = state
            .labels
            .with(|labels| over_suppressed.with(|classes| class_names(classes, labels, 5)));
        format!(
            "Over-suppression at γ = {:.2}: {named} get less probability than in the data.",
            state.gamma.get(),
        )
    };
    // Read by the line's class and its text: checked once per change.
    let order_ok = Memo::new(move |_| {
        state
            .solution
            .with(|s| s.as_ref().is_none_or(order_preserved))
    });
    view! {
        <Show when=move || over_suppressed.with(|c| !c.is_empty())>
            <div class="banner" role="status" data-testid="oversuppression-banner">
                <span>{banner_text}</span>
                {move || best().map(|(class, gamma, ratio)| {
                    let label = state.labels.with(|l| l.get(class).cloned().unwrap_or_default());
                    view! {
                        <button class="secondary" data-testid="best-gamma-button" on:click=move |_| state.gamma.set(gamma)>
                            {format!("Jump to γ = {gamma}, best for {label} (q/p = {ratio:.3})")}
                        </button>
                    }
                })}
            </div>
        </Show>
        <ReshapingPlot />
        <ul class="captions" data-testid="captions">
            {move || texts().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
        </ul>
        <p class="order-check" data-testid="order-check" class:failed=move || !order_ok.get()>
            {move || order_text(order_ok.get(), state.problem.with(|p| p.as_ref().is_some_and(|p| p.alpha().is_some())))}
        </p>
    }
}

/// The order check's line: what is compared depends on whether α weights apply.
fn order_text(preserved: bool, weighted: bool) -> &'static str {
    match (preserved, weighted) {
        (true, false) => "✓ Order preserved: the ranks of p and q* agree for every class (see the rank columns).",
        (true, true) => "✓ Order preserved for α·p: with α weights, q* keeps the order of α·p, not of p (see the rank columns).",
        (false, _) => "✗ Order changed — please report this bug.",
    }
}

/// Sweeps γ from 0 to γ_max in about eight seconds; pressing again pauses.
#[component]
pub fn PlayButton() -> impl IntoView {
    let state = use_app_state();
    let playing = RwSignal::new(false);
    let last_frame = StoredValue::new(None::<f64>);
    // One animation frame: advance γ by the time elapsed, schedule the next.
    fn step(
        state: super::app_state::AppState,
        playing: RwSignal<bool>,
        last_frame: StoredValue<Option<f64>>,
    ) {
        request_animation_frame(move || {
            if !playing.get_untracked() {
                return;
            }
            let now = super::canvas::now_ms();
            let elapsed = last_frame.get_value().map_or(0.0, |t| (now - t).min(100.0));
            last_frame.set_value(Some(now));
            let gamma_max = state.gamma_max.get_untracked();
            let next = state.gamma.get_untracked() + gamma_max * elapsed / 8000.0;
            if next >= gamma_max {
                state.gamma.set(gamma_max);
                playing.set(false);
            } else {
                state.gamma.set((next * 1000.0).round() / 1000.0);
                step(state, playing, last_frame);
            }
        });
    }
    let toggle = move |_| {
        if playing.get_untracked() {
            playing.set(false);
            return;
        }
        if state.gamma.get_untracked() >= state.gamma_max.get_untracked() {
            state.gamma.set(0.0);
        }
        last_frame.set_value(None);
        playing.set(true);
        step(state, playing, last_frame);
    };
    view! {
        <button class="secondary" data-testid="play-button" aria-pressed=move || playing.get().to_string() on:click=toggle>
            {move || if playing.get() { "❚❚ Pause" } else { "▶ Play γ" }}
        </button>
    }
}
