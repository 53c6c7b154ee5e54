//! The host-page API: `focal-entropy:set` messages from the parent page
//! change the state (read by the state layer's decoder), and a
//! `focal-entropy:state` message with the results and findings goes to the
//! parent on every change.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::app_state::AppState;
use crate::state::findings::{AlongGamma, AtGamma, ClassShift, Lift, Movement};
use crate::state::messages::{message_query, STATE_MESSAGE};
use crate::state::url::{decode_onto, encode};

/// A host page's message as the state layer's decoder reads it.
/// The host-page API: `focal-entropy:set` messages change the state, and a
/// `focal-entropy:state` message goes to the parent page on every change.
pub fn connect_host(state: AppState) {
    let listener =
        window_event_listener(leptos::ev::message, move |event: web_sys::MessageEvent| {
            let Some(query) = message_query(&event.data()) else {
                return;
            };
            let (config, notices) = decode_onto(state.config.get_untracked(), &query);
            state.config.set(config);
            if !notices.is_empty() {
                state.notices.set(notices);
            }
        });
    on_cleanup(move || listener.remove());
    let Some(window) = web_sys::window() else {
        return;
    };
    let embedded = window
        .parent()
        .ok()
        .flatten()
        .is_some_and(|parent| parent != window);
    if !embedded {
        return;
    }
    Effect::new(move |_| {
        let share = state.config.get();
        let report = state.solution.with(|s| {
            s.as_ref().map(|s| {
                let numbers = |values: &[f64]| {
                    values
                        .iter()
                        .map(|&v| JsValue::from_f64(v))
                        .collect::<js_sys::Array>()
                };
                let labels = state.labels.get_untracked();
                let findings = state.findings_at.with(|at| {
                    state
                        .findings_along
                        .with(|along| Some(findings_value(at.as_ref()?, along.as_ref())))
                });
                let fields: [(&str, JsValue); 10] = [
                    ("type", STATE_MESSAGE.into()),
                    ("query", encode(&share).into()),
                    ("gamma", share.gamma.into()),
                    ("counts", numbers(s.problem().counts()).into()),
                    (
                        "labels",
                        labels
                            .iter()
                            .map(|l| JsValue::from_str(&l))
                            .collect::<js_sys::Array>()
                            .into(),
                    ),
                    ("p", numbers(&s.p_all()).into()),
                    ("q", numbers(&s.q_all()).into()),
                    ("mu", s.mu().into()),
                    (
                        "regime",
                        s.regimes()
                            .iter()
                            .map(|r| JsValue::from_str(r.name()))
                            .collect::<js_sys::Array>()
                            .into(),
                    ),
                    ("findings", findings.unwrap_or(JsValue::NULL)),
                ];
                let message = js_sys::Object::new();
                for (key, value) in fields {
                    let _ = js_sys::Reflect::set(&message, &key.into(), &value);
                }
                message
            })
        });
        let (Some(message), Some(window)) = (report, web_sys::window()) else {
            return;
        };
        if let Ok(Some(parent)) = window.parent() {
            let _ = parent.post_message(&message, "*");
        }
    });
}

/// A JavaScript object of named values.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    object.into()
}

/// `[from, to]` γ-ranges as a JavaScript array of pairs.
fn ranges(ranges: &[(f64, f64)]) -> JsValue {
    ranges
        .iter()
        .map(|&(from, to)| js_sys::Array::of2(&from.into(), &to.into()))
        .collect::<js_sys::Array>()
        .into()
}

/// One group of moved classes, or `null`.
fn shift(shift: Option<&ClassShift>) -> JsValue {
    shift.map_or(JsValue::NULL, |s| {
        object(&[
            ("count", (s.count as f64).into()),
            (
                "ranks",
                js_sys::Array::of2(&(s.ranks.0 as f64).into(), &(s.ranks.1 as f64).into()).into(),
            ),
            ("ratio_low", s.ratio_low.into()),
            ("ratio_high", s.ratio_high.into()),
            ("mass_p", s.mass_p.into()),
            ("mass_q", s.mass_q.into()),
        ])
    })
}

/// The findings as the state message carries them: the same shape and names
/// as their JSON in the CLI (`state::findings`), built as JavaScript values
/// directly, so that the page needs no JSON serialiser.
fn findings_value(at: &AtGamma, along: Option<&AlongGamma>) -> JsValue {
    let Movement {
        gainers,
        head_losers,
        tail_losers,
        moved,
    } = &at.movement;
    let rare = &at.rare_mass;
    let at_value = object(&[
        ("gamma", at.gamma.into()),
        ("class_count", (at.class_count as f64).into()),
        ("mu", at.mu.into()),
        (
            "movement",
            object(&[
                ("gainers", shift(gainers.as_ref())),
                ("head_losers", shift(head_losers.as_ref())),
                ("tail_losers", shift(tail_losers.as_ref())),
                ("moved", (*moved).into()),
            ]),
        ),
        (
            "entropy",
            object(&[
                ("shannon_p", at.entropy.shannon_p.into()),
                ("shannon_q", at.entropy.shannon_q.into()),
                ("delta", at.entropy.delta.into()),
                ("uniform", at.entropy.uniform.into()),
            ]),
        ),
        (
            "rare_mass",
            object(&[
                ("classes", (rare.classes as f64).into()),
                ("mass_p", rare.mass_p.into()),
                ("mass_q", rare.mass_q.into()),
                (
                    "mass_target",
                    rare.mass_target.map_or(JsValue::NULL, JsValue::from),
                ),
                ("direction", rare.direction.name().into()),
            ]),
        ),
        ("weighted", at.weighted.into()),
        ("order_preserved", at.order_preserved.into()),
    ]);
    let along_value = along.map_or(JsValue::NULL, |along| {
        let (kind, from) = match along.lift {
            Lift::Unmoved => ("unmoved", None),
            Lift::From { from } => ("from", Some(from)),
            Lift::Beyond { from } => ("beyond", Some(from)),
            Lift::NotBy100 => ("not-by-100", None),
        };
        let mut lift = vec![("kind", JsValue::from(kind))];
        lift.extend(from.map(|from| ("from", JsValue::from(from))));
        object(&[
            ("gamma_max", along.gamma_max.into()),
            ("rarest", (along.rarest as f64).into()),
            ("entropy_below", ranges(&along.entropy_below)),
            ("over_suppression", ranges(&along.over_suppression)),
            ("rarest_suppressed", ranges(&along.rarest_suppressed)),
            ("lift", object(&lift)),
        ])
    });
    object(&[("at", at_value), ("along", along_value)])
}
