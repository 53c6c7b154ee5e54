//! Sharing: the URL mirrors the state, a copy-link button, embed mode's link
//! back to the full explorer, the embed dialog, and the host-page message API.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::app_state::{use_app_state, AppState};
use super::canvas::{ExportRequests, ImageFormat};
use super::Debouncer;
use crate::state::export::{sweep_csv, table_csv};
use crate::state::findings::Findings;
use crate::state::messages::{message_query, MessageValue, STATE_MESSAGE};
use crate::state::url::{decode_onto, encode, Panel, ShareState};

/// Pause after the last change before the URL is rewritten, in milliseconds
/// (browsers throttle `history.replaceState` calls made on every slider step).
const URL_DELAY_MS: u64 = 120;

/// The page's address without its query: origin and path.
fn page_base() -> String {
    web_sys::window()
        .map(|w| w.location())
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default()
}

/// The link of a state: the page's address and the state's query.
pub fn link_for(share: &ShareState) -> String {
    let query = encode(share);
    if query.is_empty() {
        page_base()
    } else {
        format!("{}?{query}", page_base())
    }
}

/// Mirrors the state into the address bar with `history.replaceState` (no
/// history entry per change, no scroll jump).
pub fn sync_url(state: AppState) {
    let changes = Debouncer::new(URL_DELAY_MS);
    Effect::new(move |previous: Option<()>| {
        let query = encode(&state.share_state());
        if previous.is_none() {
            return;
        }
        changes.schedule(move || {
            let Some(window) = web_sys::window() else {
                return;
            };
            let path = window.location().pathname().unwrap_or_default();
            let url = if query.is_empty() {
                path
            } else {
                format!("{path}?{query}")
            };
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
            }
        });
    });
}

/// Copies text with the Clipboard API, falling back to a hidden text area and
/// `document.execCommand("copy")` where the API is missing or refused.
async fn copy_text(text: String) -> bool {
    if let Some(window) = web_sys::window() {
        let clipboard = window.navigator().clipboard();
        if js_sys::Reflect::has(&window.navigator(), &"clipboard".into()).unwrap_or(false)
            && wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
                .await
                .is_ok()
        {
            return true;
        }
        let copied = (|| {
            let document = window.document()?;
            let area = document
                .create_element("textarea")
                .ok()?
                .dyn_into::<web_sys::HtmlTextAreaElement>()
                .ok()?;
            area.set_value(&text);
            area.set_attribute("style", "position:fixed;top:-100px;opacity:0")
                .ok()?;
            document.body()?.append_child(&area).ok()?;
            area.select();
            let exec = js_sys::Reflect::get(&document, &"execCommand".into())
                .ok()?
                .dyn_into::<js_sys::Function>()
                .ok()?;
            let done = exec.call1(&document, &"copy".into()).ok()?.as_bool();
            area.remove();
            done
        })();
        return copied.unwrap_or(false);
    }
    false
}

/// A button that copies `text()` and confirms it visibly.
#[component]
pub fn CopyButton(
    /// Test id of the button.
    test_id: &'static str,
    /// Button text.
    label: &'static str,
    /// The text to copy, read when clicked.
    text: Callback<(), String>,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let click = move |_| {
        let value = text.run(());
        leptos::task::spawn_local(async move {
            let done = copy_text(value).await;
            status.set(if done {
                "Copied ✓".into()
            } else {
                "Copy failed: select and copy the text by hand".into()
            });
            set_timeout(
                move || status.set(String::new()),
                std::time::Duration::from_millis(2500),
            );
        });
    };
    view! {
        <button class="secondary" data-testid=test_id on:click=click>{label}</button>
        <span class="copy-status" role="status" aria-live="polite">{move || status.get()}</span>
    }
}

/// "Copy link": the address of exactly what is on screen.
#[component]
pub fn CopyLink() -> impl IntoView {
    let state = use_app_state();
    let text = Callback::new(move |_| link_for(&state.share_state_untracked()));
    view! { <CopyButton test_id="copy-link" label="Copy link" text=text /> }
}

/// In embed mode: opens the same state in the full explorer in a new tab.
#[component]
pub fn OpenFull() -> impl IntoView {
    let state = use_app_state();
    let href = move || {
        let share = ShareState {
            embed: false,
            hidden: Vec::new(),
            ..state.share_state()
        };
        link_for(&share)
    };
    view! {
        <a class="open-full" data-testid="open-full" href=href target="_blank" rel="noopener">"Open in full explorer ↗"</a>
    }
}

/// Panels offered in the embed dialog, with their names there.
const EMBED_PANELS: [(Panel, &str); 6] = [
    (Panel::Distribution, "Reshaped distribution"),
    (Panel::Entropy, "Entropy versus γ"),
    (Panel::Tracked, "Tracked class"),
    (Panel::Map, "Imbalance × γ map"),
    (Panel::Summary, "Summary"),
    (Panel::Table, "Per-class table"),
];

/// The `<iframe>` snippet of a state showing the chosen panels.
pub fn iframe_snippet(share: &ShareState, shown: &[Panel], class_count: usize) -> String {
    let chosen_extra = shown
        .iter()
        .any(|p| matches!(p, Panel::Summary | Panel::Table));
    let hidden: Vec<Panel> = Panel::ALL
        .into_iter()
        .filter(|p| !shown.contains(p))
        .collect();
    let embedded = ShareState {
        embed: !chosen_extra,
        hidden,
        ..share.clone()
    };
    let plots = shown
        .iter()
        .filter(|p| {
            matches!(
                p,
                Panel::Distribution | Panel::Entropy | Panel::Tracked | Panel::Map
            )
        })
        .count();
    let height = 110
        + 400 * plots
        + if shown.contains(&Panel::Summary) {
            170
        } else {
            0
        }
        + if shown.contains(&Panel::Table) {
            320
        } else {
            0
        };
    let title = format!(
        "Focal-Entropy Explorer: focal loss at γ = {} on {class_count} classes",
        share.gamma
    );
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{height}\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>",
        link_for(&embedded).replace('&', "&amp;").replace('"', "&quot;"),
        title.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
    )
}

/// The Embed button and dialog: choose panels, copy the snippet.
#[component]
pub fn EmbedDialog() -> impl IntoView {
    let state = use_app_state();
    let open = RwSignal::new(false);
    let shown = RwSignal::new(vec![Panel::Distribution, Panel::Entropy]);
    let snippet = Memo::new(move |_| {
        let share = state.share_state();
        iframe_snippet(&share, &shown.get(), state.classes.with(Vec::len))
    });
    let toggle_panel = move |panel: Panel, on: bool| {
        shown.update(|list| {
            list.retain(|p| *p != panel);
            if on {
                list.push(panel);
            }
        })
    };
    let copy = Callback::new(move |_| snippet.get_untracked());
    view! {
        <button class="secondary" data-testid="embed-button" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>"Embed…"</button>
        <Show when=move || open.get()>
            <div class="embed-dialog" role="group" aria-label="Embed this view">
                <p class="hint">"Paste this into a course page or slide. It shows:"</p>
                {EMBED_PANELS.map(|(panel, name)| view! {
                    <label class="check"><input type="checkbox" prop:checked=move || shown.with(|s| s.contains(&panel))
                        on:change=move |e| toggle_panel(panel, event_target_checked(&e)) />" " {name}</label>
                }).collect_view()}
                <textarea data-testid="embed-snippet" readonly rows="4" aria-label="iframe snippet" prop:value=move || snippet.get()></textarea>
                <CopyButton test_id="copy-embed" label="Copy snippet" text=copy />
            </div>
        </Show>
    }
}

/// Notices about values of the link (or a host message) that were replaced by defaults.
#[component]
pub fn Notices() -> impl IntoView {
    let state = use_app_state();
    view! {
        <Show when=move || state.notices.with(|n| !n.is_empty())>
            <div class="notice" role="status" data-testid="notice">
                <strong>"Some values of this link were not usable:"</strong>
                <ul>{move || state.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                <button class="icon" aria-label="dismiss" on:click=move |_| state.notices.set(Vec::new())>"×"</button>
            </div>
        </Show>
    }
}

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

/// Offers `contents` as a file download named `name`.
pub(super) fn download(name: &str, mime: &str, contents: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    save_url(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Clicks a temporary link that saves `url` as `name`.
pub(super) fn save_url(name: &str, url: &str) {
    let Some(link) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    link.set_href(url);
    link.set_download(name);
    link.click();
}

/// Downloads: the per-class table and the γ-sweep as CSV (full precision),
/// and every plot on the page as PNG or SVG.
#[component]
pub fn ExportBar() -> impl IntoView {
    let state = use_app_state();
    // Downloads the CSV made from the current labels, when there is data.
    let save_csv = move |name: &str, make: &dyn Fn(&[String]) -> Option<String>| {
        if let Some(csv) = state.labels.with_untracked(|labels| make(labels)) {
            download(name, "text/csv", &csv);
        }
    };
    let table = move |_| {
        save_csv("focal-entropy-classes.csv", &|labels| {
            state
                .solution
                .with_untracked(|s| s.as_ref().map(|s| table_csv(s, labels)))
        })
    };
    let sweep = move |_| {
        save_csv("focal-entropy-sweep.csv", &|labels| {
            state
                .sweep
                .with_untracked(|s| s.as_ref().map(|s| sweep_csv(s, labels)))
        })
    };
    let requests = use_context::<ExportRequests>();
    let images = move |format: ImageFormat| {
        if let Some(ExportRequests(requests)) = requests {
            requests.set(Some(format));
        }
    };
    view! {
        <div class="share-row">
            <button class="secondary" data-testid="export-csv" on:click=table>"Table as CSV"</button>
            <button class="secondary" data-testid="export-sweep-csv" on:click=sweep>"γ-sweep as CSV"</button>
            <button class="secondary" data-testid="export-png" on:click=move |_| images(ImageFormat::Png)>"Plots as PNG"</button>
            <button class="secondary" data-testid="export-svg" on:click=move |_| images(ImageFormat::Svg)>"Plots as SVG"</button>
        </div>
    }
}
