//! Thin Leptos views wiring signals to the state, core and plots layers
//! (WebAssembly only).

pub mod app_state;
pub mod canvas;
pub mod inputs;
pub mod plots;
pub mod readout;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use app_state::AppState;
use inputs::{ClassEditor, GammaControl, PasteBox, ViewOptions};
use plots::{DistributionPlot, EntropyPlot};
use readout::{ClassTable, SummaryPanel};

/// Shows a panic as a visible message instead of a dead page (a panic is a bug).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let banner = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("panic-banner"));
        if let Some(banner) = banner {
            banner.set_text_content(Some(&format!(
                "Something went wrong and the explorer stopped ({info}). Please reload the page and report this bug."
            )));
            let _ = banner.remove_attribute("hidden");
        }
    }));
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let first_draw = StoredValue::new(false);
    Effect::new(move |_| {
        if state.solution.with(Option::is_some) && !first_draw.get_value() {
            first_draw.set_value(true);
            canvas::record_timing("first-solution", canvas::now_ms());
        }
    });
    view! {
        <header class="page-header">
            <h1>"Focal-Entropy Explorer"</h1>
            <p class="tagline">"What focal loss does to a class distribution: the exact minimiser Q* of the focal-entropy, computed in your browser."</p>
        </header>
        <main class="layout">
            <section class="panel inputs" aria-labelledby="inputs-heading">
                <h2 id="inputs-heading">"Classes"</h2>
                <ClassEditor />
                <PasteBox />
                <Show when=move || state.input_error.with(Option::is_some)>
                    <p class="error" role="alert" data-testid="error-message">
                        {move || state.input_error.get().unwrap_or_default()}
                        " — showing the last valid result."
                    </p>
                </Show>
                <GammaControl />
                <ViewOptions />
            </section>
            <section class="panel" aria-labelledby="distribution-heading">
                <h2 id="distribution-heading">"Reshaped distribution"</h2>
                <DistributionPlot />
            </section>
            <section class="panel" aria-labelledby="entropy-heading">
                <h2 id="entropy-heading">"Entropy versus γ"</h2>
                <EntropyPlot />
            </section>
            <section class="panel" aria-labelledby="summary-heading">
                <h2 id="summary-heading">"Summary"</h2>
                <SummaryPanel />
            </section>
            <section class="panel wide" aria-labelledby="table-heading">
                <h2 id="table-heading">"Per class"</h2>
                <ClassTable />
            </section>
        </main>
    }
}

/// Mounts the app on the page's `#app` element (or the body).
pub fn mount() {
    install_panic_hook();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => leptos::mount::mount_to(root, App).forget(),
        None => leptos::mount::mount_to_body(App),
    }
}
