//! Exports: the table and the γ-sweep as CSV, every plot as PNG or SVG, and
//! the file downloads behind them.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::app_state::{use_app_state, AppState};
use crate::state::export::{sweep_csv, sweep_csv_has_classes, table_csv, MAX_SWEEP_CSV_CELLS};

/// A file format the plots export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// The canvas's pixels.
    Png,
    /// The plot drawn again on plotters' SVG backend.
    Svg,
}

/// Shared through context: each request asks every plot to download itself
/// in that format (signals notify on every set, so repeated requests count).
#[derive(Clone, Copy)]
pub struct ExportRequests(pub RwSignal<Option<ImageFormat>>);

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

/// What the γ-sweep's CSV holds, said on its button.
fn sweep_title(state: AppState) -> String {
    let classes = state.sweep.with(|s| s.as_ref().map(sweep_csv_has_classes));
    match classes {
        None => "No γ-sweep for these classes".to_string(),
        Some(true) => "Per γ: μ, focal-entropies, entropies, findings and q* of every class".to_string(),
        Some(false) => format!(
            "Per γ: μ, focal-entropies, entropies and findings; q* per class is left out above {MAX_SWEEP_CSV_CELLS} cells (classes × γ values)"
        ),
    }
}

/// Downloads: the per-class table and the γ-sweep as CSV (full precision),
/// and every plot on the page as PNG or SVG.
#[component]
pub fn ExportBar() -> impl IntoView {
    let state = use_app_state();
    // Downloads the CSV made from the current labels, when there is data.
    let save_csv = move |name: &str, make: &dyn Fn(&[String]) -> Option<String>| {
        if let Some(csv) = state
            .labels
            .with_untracked(|labels| make(labels.as_slice()))
        {
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
    let ExportRequests(requests) = expect_context::<ExportRequests>();
    let images = move |format: ImageFormat| requests.set(Some(format));
    view! {
        <div class="share-row">
            <button class="secondary" data-testid="export-csv" on:click=table>"Table as CSV"</button>
            <button class="secondary" data-testid="export-sweep-csv" on:click=sweep
                disabled=move || state.sweep.with(Option::is_none)
                title=move || sweep_title(state)>"γ-sweep as CSV"</button>
            <button class="secondary" data-testid="export-png" on:click=move |_| images(ImageFormat::Png)>"Plots as PNG"</button>
            <button class="secondary" data-testid="export-svg" on:click=move |_| images(ImageFormat::Svg)>"Plots as SVG"</button>
        </div>
    }
}
