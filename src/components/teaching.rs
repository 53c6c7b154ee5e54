//! The teaching layer: presets, the findings in words (captions, the
//! over-suppression banner and γ-ranges, the rare-class verdict), the order
//! check, and the γ animation.

use leptos::prelude::*;

use super::app_state::use_app_state;
use super::plots::ReshapingPlot;
use crate::state::config::ClassSource;
use crate::state::format::pairs_json;
use crate::state::narrative::{
    banner, captions, order_sentence, ranges_sentence, rare_mass_sentence,
};
use crate::state::teaching::{presets, PresetClasses};

/// Chooses one of the presets.
#[component]
pub fn PresetSelect() -> impl IntoView {
    let state = use_app_state();
    let choose = move |key: String| {
        let Some(preset) = presets().into_iter().find(|p| p.key == key) else {
            return;
        };
        let classes = match preset.classes {
            PresetClasses::List(rows) => ClassSource::list(rows),
            PresetClasses::Generated(generator) => ClassSource::Generated(generator),
        };
        state.update(|c| {
            c.set_classes(classes);
            c.alpha = None;
            c.track = None;
        });
    };
    view! {
        <label class="field-label" for="preset-select">"Example"</label>
        <select id="preset-select" data-testid="preset-select" on:change=move |e| choose(event_target_value(&e))>
            <option value="" selected>"Choose an example…"</option>
            {presets().into_iter().map(|p| view! { <option value=p.key>{p.name}</option> }).collect_view()}
        </select>
    }
}

/// Captions, the over-suppression banner with its jump to where the rarest
/// class gains, the over-suppression γ-ranges, the rare-class verdict and the
/// order check, every sentence rendered from the findings.
#[component]
pub fn Findings() -> impl IntoView {
    let state = use_app_state();
    let texts = move || {
        let units = state.units.get();
        state.labels.with(|labels| {
            state.findings_along.with(|along| {
                state.findings_at.with(|at| {
                    at.as_ref()
                        .map(|at| captions(at, along.as_ref(), labels, units))
                        .unwrap_or_default()
                })
            })
        })
    };
    // Read by the banner's visibility, text and button: built once per change.
    let banner = Memo::new(move |_| {
        state.labels.with(|labels| {
            state.findings_along.with(|along| {
                state.findings_at.with(|at| {
                    at.as_ref()
                        .and_then(|at| banner(at, along.as_ref(), labels))
                })
            })
        })
    });
    // Beyond γ max the model raises γ max with it.
    let jump = move |gamma: f64| state.set_gamma(gamma);
    let ranges = move || {
        state.labels.with(|labels| {
            state.findings_along.with(|along| {
                along.as_ref().map(|along| {
                    (
                        pairs_json(&along.over_suppression),
                        ranges_sentence(along, labels),
                    )
                })
            })
        })
    };
    let rare = move || {
        state.findings_at.with(|at| {
            at.as_ref().map(|at| {
                let mass = at.rare_mass;
                (
                    mass.mass_p.to_string(),
                    mass.mass_q.to_string(),
                    rare_mass_sentence(at),
                )
            })
        })
    };
    let order_ok = Memo::new(move |_| {
        state
            .findings_at
            .with(|at| at.as_ref().is_none_or(|at| at.order_preserved))
    });
    view! {
        <ReshapingPlot />
        {move || banner.get().map(|banner| view! {
            <div class="banner" role="status" data-testid="oversuppression-banner">
                <span>{banner.text}</span>
                {banner.escape_gamma.map(|gamma| view! {
                    <button class="secondary" data-testid="escape-gamma-button" on:click=move |_| jump(gamma)>
                        {banner.button}
                    </button>
                })}
            </div>
        })}
        <ul class="captions" data-testid="captions">
            {move || texts().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
        </ul>
        {move || ranges().map(|(json, text)| view! {
            <p class="finding" data-testid="oversuppression-range" data-ranges=json>{text}</p>
        })}
        {move || rare().map(|(p, q, text)| view! {
            <p class="finding" data-testid="rare-mass" data-p=p data-q=q>{text}</p>
        })}
        <p class="order-check" data-testid="order-check" class:failed=move || !order_ok.get()>
            {move || state.findings_at.with(|at| at.as_ref().map(order_sentence))}
        </p>
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
                state.set_gamma(gamma_max);
                playing.set(false);
            } else {
                state.set_gamma((next * 1000.0).round() / 1000.0);
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
            state.set_gamma(0.0);
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
