//! The host-page API: `focal-entropy:set` messages from the parent page
//! change the state (read by the state layer's decoder), and a
//! `focal-entropy:state` message with the results and findings goes to the
//! parent on every change.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::app_state::AppState;
use crate::state::findings::Findings;
use crate::state::messages::{message_query, MessageValue, STATE_MESSAGE};
use crate::state::url::{decode_onto, encode};

/// A host page's message as the state layer's decoder reads it.
impl MessageValue for JsValue {
    fn member(&self, key: &str) -> Option<Self> {
        if !self.is_object() || self.is_array() {
            return None;
        }
        js_sys::Reflect::get(self, &key.into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn text(&self) -> Option<String> {
        self.as_string()
    }

    fn flag(&self) -> Option<bool> {
        self.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        self.dyn_ref::<js_sys::Array>().map(|a| a.iter().collect())
    }
}

/// The host-page API: `focal-entropy:set` messages change the state, and a
/// `focal-entropy:state` message goes to the parent page on every change.
pub fn connect_host(state: AppState) {
    let listener =
        window_event_listener(leptos::ev::message, move |event: web_sys::MessageEvent| {
            let Some(query) = message_query(&event.data()) else {
                return;
            };
            let (share, notices) = decode_onto(state.share_state_untracked(), &query);
            state.apply(share);
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
        let share = state.share_state();
        let report = state.solution.with(|s| {
            s.as_ref().map(|s| {
                let numbers = |values: &[f64]| {
                    values
                        .iter()
                        .map(|&v| JsValue::from_f64(v))
                        .collect::<js_sys::Array>()
                };
                let texts = |values: &[&str]| {
                    values
                        .iter()
                        .map(|&v| JsValue::from_str(v))
                        .collect::<js_sys::Array>()
                };
                let labels = state.labels.get_untracked();
                let regimes: Vec<&str> = s.regimes().iter().map(|r| r.name()).collect();
                let findings = state.findings_at.with(|at| {
                    state.findings_along.with(|along| {
                        let findings = Findings {
                            at: at.clone()?,
                            along: along.clone(),
                        };
                        let json = serde_json::to_string(&findings).ok()?;
                        js_sys::JSON::parse(&json).ok()
                    })
                });
                let fields: [(&str, JsValue); 10] = [
                    ("type", STATE_MESSAGE.into()),
                    ("query", encode(&share).into()),
                    ("gamma", share.gamma.into()),
                    ("counts", numbers(s.problem().counts()).into()),
                    (
                        "labels",
                        texts(&labels.iter().map(String::as_str).collect::<Vec<_>>()).into(),
                    ),
                    ("p", numbers(&s.p_all()).into()),
                    ("q", numbers(&s.q_all()).into()),
                    ("mu", s.mu().into()),
                    ("regime", texts(&regimes).into()),
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
