//! Exports: the table and the γ-sweep as CSV (written in slices, with the
//! share written shown), every plot as PNG or SVG, and the file downloads
//! behind them.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::app_state::{use_app_state, AppState};
use super::slices::run_in_slices;
use super::Newest;
use crate::state::export::{sweep_csv_has_classes, SweepCsv, TableCsv, MAX_SWEEP_CSV_CELLS};
use crate::state::format::progress_status;
use crate::state::piecewise::Piecewise;

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

/// Bytes of text gathered before they are made into one blob: about a
/// megabyte, a few milliseconds' work for the browser.
const BLOB_BYTES: usize = 1 << 20;

/// A file put together in the browser's memory from parts of text, turned
/// into blobs of about [`BLOB_BYTES`] as they come: a blob of tens of
/// megabytes made at once would be one long task. The bytes go in as they
/// are (a JavaScript string would cost a decoding pass).
struct FileParts {
    /// The blobs made so far.
    blobs: js_sys::Array,
    /// The parts not yet in a blob, as byte arrays.
    pending: js_sys::Array,
    /// Their size in bytes.
    pending_bytes: usize,
    /// Whether the browser refused to make a blob (the file is then not saved).
    failed: bool,
}

impl FileParts {
    fn new() -> Self {
        FileParts {
            blobs: js_sys::Array::new(),
            pending: js_sys::Array::new(),
            pending_bytes: 0,
            failed: false,
        }
    }

    /// Appends `parts`, in order.
    fn add(&mut self, parts: Vec<String>) {
        for part in parts {
            self.pending_bytes += part.len();
            self.pending
                .push(&js_sys::Uint8Array::from(part.as_bytes()));
        }
        if self.pending_bytes >= BLOB_BYTES {
            self.seal();
        }
    }

    /// Makes the pending parts into one blob.
    fn seal(&mut self) {
        match web_sys::Blob::new_with_u8_array_sequence(&self.pending) {
            Ok(blob) => {
                self.blobs.push(&blob);
            }
            Err(_) => self.failed = true,
        }
        self.pending = js_sys::Array::new();
        self.pending_bytes = 0;
    }

    /// Offers the file as a download named `name` of type `mime`.
    fn save(mut self, name: &str, mime: &str) {
        self.seal();
        if self.failed {
            return;
        }
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let Ok(file) = web_sys::Blob::new_with_blob_sequence_and_options(&self.blobs, &options)
        else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&file) else {
            return;
        };
        save_url(name, &url);
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// Offers `contents` as a file download named `name`.
pub(super) fn download(name: &str, mime: &str, contents: String) {
    let mut file = FileParts::new();
    file.add(vec![contents]);
    file.save(name, mime);
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

/// Writes a CSV in slices (the share written shown in `status`) and then
/// offers it as `name`; a newer export started meanwhile (`exports`) takes
/// its place.
fn save_in_slices(
    name: &'static str,
    mut csv: Box<dyn Piecewise>,
    status: RwSignal<Option<String>>,
    exports: Newest,
) {
    let current = exports.start();
    leptos::task::spawn_local(async move {
        let progress = |share| status.set(Some(progress_status("Writing", name, share)));
        let mut file = FileParts::new();
        let mut written = |parts| file.add(parts);
        if let Some(Ok(())) = run_in_slices(csv.as_mut(), &mut written, &progress, &current).await {
            file.save(name, "text/csv");
            status.set(None);
        }
    });
}

/// Downloads: the per-class table and the γ-sweep as CSV (full precision),
/// and every plot on the page as PNG or SVG.
#[component]
pub fn ExportBar() -> impl IntoView {
    let state = use_app_state();
    // How far a large CSV has been written, while it is.
    let status = RwSignal::new(None::<String>);
    let exports = Newest::default();
    let table = move |_| {
        if let Some(solution) = state.solution.get_untracked() {
            let csv = TableCsv::new(solution, state.labels.get_untracked());
            save_in_slices("focal-entropy-classes.csv", Box::new(csv), status, exports);
        }
    };
    let sweep = move |_| {
        if let Some(sweep) = state.sweep.get_untracked() {
            let csv = state
                .labels
                .with_untracked(|labels| SweepCsv::new(sweep, labels));
            save_in_slices("focal-entropy-sweep.csv", Box::new(csv), status, exports);
        }
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
            <p class="hint" role="status" data-testid="export-status">{move || status.get().unwrap_or_default()}</p>
        </div>
    }
}
