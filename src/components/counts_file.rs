//! Counts files: a file picker on the classes panel that also takes a dropped file. A file's
//! bytes are read by the browser (off the main thread), JSON by the browser's own
//! parser, and the classes by the state layer's reader, the same one the
//! paste box and the command-line tool use, a slice of lines at a time with
//! the share read shown.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::app_state::{use_app_state, AppState};
use super::canvas::{now_ms, record_timing};
use super::slices::{give_the_browser_a_turn, read_class_list};
use super::Newest;
use crate::state::classes::{open_counts_file, page_classes, text_of_file, MAX_TEXT_BYTES};
use crate::state::config::ClassRow;
use crate::state::format::progress_status;

/// What the last file did.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Being read: what the status line says (how far it has got).
    Reading(String),
    /// Read: the confirmation.
    Loaded(String),
    /// Refused: why.
    Refused(String),
}

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

/// Reads `file` and, when its classes are valid, makes them the page's
/// classes: the lines in slices with the share read shown, given up when
/// another file is picked (`loads`).
fn load(state: AppState, file: web_sys::File, outcome: RwSignal<Option<Outcome>>, loads: Newest) {
    let name = file.name();
    // Whether no newer file has been picked since: a newer one takes the
    // place of this one however far it has got.
    let current = loads.start();
    if file.size() > MAX_TEXT_BYTES as f64 {
        outcome.set(Some(Outcome::Refused(format!(
            "{name}: the file is larger than {} MB",
            MAX_TEXT_BYTES / 1_000_000
        ))));
        return;
    }
    leptos::task::spawn_local(async move {
        let bytes = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .ok()
            .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec());
        if !current() {
            return;
        }
        let Some(text) = bytes.map(text_of_file) else {
            outcome.set(Some(Outcome::Refused(format!(
                "{name}: the browser could not read it"
            ))));
            return;
        };
        let started = now_ms();
        let Some(read) = read_in_slices(&text, &name, outcome, current)
            .await
            .filter(|_| current())
        else {
            return;
        };
        outcome.set(Some(match read {
            Ok(classes) => {
                let count = classes.len();
                let noun = if count == 1 { "class" } else { "classes" };
                let message = format!("Loaded {name}: {count} {noun}.");
                state.edit_classes(classes);
                Outcome::Loaded(message)
            }
            Err(why) => Outcome::Refused(format!("{name}: {why}")),
        }));
        record_timing("counts-file", now_ms() - started);
    });
}

/// The page's classes from a counts file's text, opened a task later and
/// read in slices with the share read shown in `outcome`; `None` once
/// `current` says a newer file has taken its place.
async fn read_in_slices(
    text: &str,
    name: &str,
    outcome: RwSignal<Option<Outcome>>,
    current: impl Fn() -> bool,
) -> Option<Result<Vec<ClassRow>, String>> {
    // The file's bytes came in the task before; opening it counts its lines
    // (30 ms for a million) in a task of its own.
    give_the_browser_a_turn().await;
    let reader = match open_counts_file(text, parse_json) {
        Ok(reader) => reader,
        Err(why) => return Some(Err(why)),
    };
    let progress = |share| {
        outcome.set(Some(Outcome::Reading(progress_status(
            "Reading", name, share,
        ))));
    };
    read_class_list(reader, page_classes, &progress, &current).await
}

/// The first file of a list (a picker's or a drop's).
fn first_file(files: Option<web_sys::FileList>) -> Option<web_sys::File> {
    files.and_then(|files| files.get(0))
}

/// A counts-file picker that is also a drop target on the classes panel.
#[component]
pub fn CountsFile() -> impl IntoView {
    let state = use_app_state();
    let outcome = RwSignal::<Option<Outcome>>::new(None);
    let loads = Newest::default();
    let dragging = RwSignal::new(false);
    let on_pick = move |event: web_sys::Event| {
        let input = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            if let Some(file) = first_file(input.files()) {
                load(state, file, outcome, loads);
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
            load(state, file, outcome, loads);
        }
    };
    view! {
        <div
            class="drop-zone"
            data-testid="counts-drop"
            class:dragging=move || dragging.get()
            aria-busy=move || matches!(outcome.get(), Some(Outcome::Reading(_))).to_string()
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
                Outcome::Reading(message) | Outcome::Loaded(message) => view! { <p class="hint" role="status" data-testid="counts-file-status">{message}</p> }.into_any(),
                Outcome::Refused(why) => view! { <p class="error" role="alert" data-testid="counts-file-error">{why}</p> }.into_any(),
            })}
        </div>
    }
}
