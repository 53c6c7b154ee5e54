//! Counts files: a file picker on the classes panel that also takes a dropped file. A file
//! is read by the browser (off the main thread), JSON by the browser's own
//! parser, and the classes by the state layer's reader, the same one the
//! paste box and the command-line tool use.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::app_state::{use_app_state, AppState};
use super::canvas::{now_ms, record_timing};
use crate::state::classes::{page_classes_from_file, MAX_TEXT_BYTES};

/// What the last file did: a confirmation or why it was refused.
type Outcome = Option<Result<String, String>>;

/// JSON text parsed by the browser, or its complaint.
fn parse_json(text: &str) -> Result<JsValue, String> {
    js_sys::JSON::parse(text).map_err(|error| {
        let why = error
            .dyn_into::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_default();
        format!("not valid JSON: {why}")
    })
}

/// Reads `file` and, when its classes are valid, makes them the page's classes.
fn load(state: AppState, file: web_sys::File, outcome: RwSignal<Outcome>) {
    let name = file.name();
    if file.size() > MAX_TEXT_BYTES as f64 {
        outcome.set(Some(Err(format!(
            "{name}: the file is larger than {} MB",
            MAX_TEXT_BYTES / 1_000_000
        ))));
        return;
    }
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|text| text.as_string());
        let Some(text) = text else {
            outcome.set(Some(Err(format!("{name}: the browser could not read it"))));
            return;
        };
        let started = now_ms();
        let read = page_classes_from_file(&text, parse_json);
        outcome.set(Some(match read {
            Ok(classes) => {
                let count = classes.len();
                let noun = if count == 1 { "class" } else { "classes" };
                let message = format!("Loaded {name}: {count} {noun}.");
                state.edit_classes(classes);
                Ok(message)
            }
            Err(why) => Err(format!("{name}: {why}")),
        }));
        record_timing("counts-file", now_ms() - started);
    });
}

/// The first file of a list (a picker's or a drop's).
fn first_file(files: Option<web_sys::FileList>) -> Option<web_sys::File> {
    files.and_then(|files| files.get(0))
}

/// A counts-file picker that is also a drop target on the classes panel.
#[component]
pub fn CountsFile() -> impl IntoView {
    let state = use_app_state();
    let outcome = RwSignal::<Outcome>::new(None);
    let dragging = RwSignal::new(false);
    let on_pick = move |event: web_sys::Event| {
        let input = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            if let Some(file) = first_file(input.files()) {
                load(state, file, outcome);
            }
            // The same file picked again (after editing it) loads again.
            input.set_value("");
        }
    };
    let on_drag_over = move |event: web_sys::DragEvent| {
        event.prevent_default();
        dragging.set(true);
    };
    let on_drop = move |event: web_sys::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if let Some(file) = first_file(event.data_transfer().and_then(|d| d.files())) {
            load(state, file, outcome);
        }
    };
    view! {
        <div
            class="drop-zone"
            data-testid="counts-drop"
            class:dragging=move || dragging.get()
            on:dragover=on_drag_over
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label class="field-label" for="counts-file">"Counts file (or drop one here)"</label>
            <input
                id="counts-file"
                data-testid="counts-file"
                type="file"
                accept=".csv,.tsv,.txt,.json,text/csv,text/plain,application/json"
                aria-describedby="counts-file-help"
                on:change=on_pick
            />
            <p id="counts-file-help" class="hint">
                "CSV (" <code>"count"</code> " or " <code>"label,count"</code> " lines, a header allowed) or JSON (an array of counts, or " <code>"{\"label\": count}"</code> ")."
            </p>
            {move || outcome.get().map(|outcome| match outcome {
                Ok(message) => view! { <p class="hint" role="status" data-testid="counts-file-status">{message}</p> }.into_any(),
                Err(why) => view! { <p class="error" role="alert" data-testid="counts-file-error">{why}</p> }.into_any(),
            })}
        </div>
    }
}
