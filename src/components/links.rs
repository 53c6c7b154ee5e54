//! Links: the URL mirrors the state, "Copy link", embed mode's link back to
//! the full explorer, and the notices about link values that were not usable.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::app_state::{use_app_state, AppState};
use super::Debouncer;
use crate::state::config::Config;
use crate::state::url::{encode, left_out_of_links};

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
pub fn link_for(share: &Config) -> String {
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
        let query = state.config.with(encode);
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
    let text = Callback::new(move |_| state.config.with_untracked(link_for));
    let left_out = Memo::new(move |_| state.config.with(left_out_of_links));
    view! {
        <CopyButton test_id="copy-link" label="Copy link" text=text />
        <p class="hint" data-testid="link-left-out" hidden=move || left_out.with(Option::is_none)>
            {move || left_out.get().unwrap_or_default()}</p>
    }
}

/// In embed mode: opens the same state in the full explorer in a new tab.
#[component]
pub fn OpenFull() -> impl IntoView {
    let state = use_app_state();
    let href = move || {
        let share = Config {
            embed: false,
            hidden: Vec::new(),
            ..state.config.get()
        };
        link_for(&share)
    };
    view! {
        <a class="open-full" data-testid="open-full" href=href target="_blank" rel="noopener">"Open in full explorer ↗"</a>
    }
}

/// Notices about values of the link (or a host message) that were replaced by defaults.
#[component]
pub fn Notices() -> impl IntoView {
    let state = use_app_state();
    view! {
        <div class="notice" role="status" data-testid="notice" hidden=move || state.notices.with(Vec::is_empty)>
            <strong>"Some values of this link were not usable:"</strong>
            <ul>{move || state.notices.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            <button class="icon" aria-label="dismiss" on:click=move |_| state.notices.set(Vec::new())>"×"</button>
        </div>
    }
}
