//! Thin Leptos views wiring signals to the state, core and plots layers
//! (WebAssembly only).

pub mod app_state;
pub mod canvas;
pub mod counts_file;
pub mod embed;
pub mod exports;
pub mod host_messages;
pub mod inputs;
pub mod inverse;
pub mod js_json;
pub mod links;
pub mod map_workers;
pub mod plots;
pub mod readout;
pub mod slices;
pub mod solve_worker;
pub mod teaching;
pub mod trace_worker;
pub mod worker;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::config::{Config, Panel};
use crate::state::url::decode;
use app_state::{use_app_state, AppState, EDITORS_STAGE, LAST_OPENING_STAGE};
use counts_file::CountsFile;
use embed::EmbedDialog;
use exports::ExportBar;
use inputs::{AlphaEditor, ClassEditor, GammaControl, GeneratorPanel, PasteBox, ViewOptions};
use inverse::InversePanel;
use links::{CopyLink, Notices, OpenFull};
use plots::{DistributionPlot, EntropyPlot, MapPlot, TrackedPlot};
use readout::{ClassTable, SummaryPanel};
use teaching::{Findings, PlayButton, PresetSelect};

/// Which of a series of jobs is the newest: starting one takes the place of
/// those before it (a newer file, export, sweep or debounced action).
#[derive(Clone, Copy)]
pub struct Newest(StoredValue<u64>);

impl Default for Newest {
    /// A series with no job started yet.
    fn default() -> Self {
        Newest(StoredValue::new(0))
    }
}

impl Newest {
    /// Starts a job; the check it returns says whether it is still the newest.
    pub fn start(self) -> impl Fn() -> bool + Copy + 'static {
        let job = self.0.get_value() + 1;
        self.0.set_value(job);
        move || self.0.get_value() == job
    }
}

/// Runs only the last of a burst of actions, once the burst has paused.
#[derive(Clone, Copy)]
pub struct Debouncer {
    /// The latest scheduled action.
    latest: Newest,
    /// The pause that lets an action run, in milliseconds.
    delay_ms: u64,
}

impl Debouncer {
    /// A debouncer waiting for a pause of `delay_ms` milliseconds.
    pub fn new(delay_ms: u64) -> Self {
        Debouncer {
            latest: Newest::default(),
            delay_ms,
        }
    }

    /// Drops the action scheduled, if any (one about to be overtaken by
    /// work done at once).
    pub fn cancel(self) {
        // Starting a job with nothing to run supersedes the one scheduled.
        let _ = self.latest.start();
    }

    /// Runs `action` after the pause unless another action is scheduled first.
    pub fn schedule(self, action: impl FnOnce() + 'static) {
        let current = self.latest.start();
        set_timeout(
            move || {
                if current() {
                    action();
                }
            },
            std::time::Duration::from_millis(self.delay_ms),
        );
    }
}

/// Shows a panic as a visible message instead of a dead page (a panic is a bug).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("focal-entropy explorer panicked: {info}").into());
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

/// The stage of the page's opening at which a panel is mounted
/// ([`AppState::opened`]), one panel a stage: the γ bar and the page's frame
/// come first (stage 0, with the page's state), then the first plot, the
/// editors ([`EDITORS_STAGE`], see [`page`]), the plots along γ with the
/// findings and the summary, the other plots, and last the table and the
/// model-outputs panel ([`LAST_OPENING_STAGE`]).
fn opening_stage(panel: Panel) -> u8 {
    match panel {
        Panel::Distribution => 1,
        Panel::Counts => EDITORS_STAGE,
        Panel::Entropy => 3,
        Panel::Text => 4,
        Panel::Summary => 5,
        Panel::Tracked => 6,
        Panel::Map => 7,
        Panel::Table => 8,
        Panel::Invert => LAST_OPENING_STAGE,
    }
}

/// A titled panel of the page, shown unless embed mode or `hide=` hides it,
/// once the page's opening reaches its stage ([`opening_stage`]).
#[component]
fn PanelSection(
    /// Which panel this is.
    panel: Panel,
    /// Its heading.
    title: &'static str,
    /// Whether it spans the full width.
    #[prop(optional)]
    wide: bool,
    /// Its content.
    children: ChildrenFn,
) -> impl IntoView {
    let state = use_app_state();
    let heading = format!("{}-heading", panel.name());
    view! {
        <Show when=move || state.opened(opening_stage(panel)) && state.shows(panel)>
            <section class="panel" class:wide=wide aria-labelledby=heading.clone() data-panel=panel.name()>
                <h2 id=heading.clone()>{title}</h2>
                {children()}
            </section>
        </Show>
    }
}

/// Makes the page's state, of the configuration of its link and with the
/// link's notices, and provides it to the page ([`mount_on`] calls it once,
/// within the page's reactive owner, a task before [`page`]).
fn provide_page_state(config: Config, notices: Vec<String>) {
    let state = AppState::new(config, notices);
    provide_context(state);
    provide_context(exports::ExportRequests(RwSignal::new(None)));
    links::sync_url(state);
    host_messages::connect_host(state);
}

/// The whole page, of the state [`provide_page_state`] made (a plain
/// function: [`mount_on`] calls it once, within the page's reactive owner).
fn page() -> impl IntoView {
    let state = use_app_state();
    let shows = move |panel: Panel| move || state.shows(panel);
    // Opened from a link: on a phone the plots come before the editors.
    let from_link = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|query| !query.is_empty());
    let embedded = move || state.embed.get();
    view! {
        <Notices />
        <header class="page-header" hidden=move || !shows(Panel::Text)()>
            <h1>"Focal-Entropy Explorer"</h1>
            <p class="tagline">"What focal loss does to a class distribution: the exact minimiser Q* of the focal-entropy, computed in your browser."</p>
        </header>
        <main class="layout" class:embedded=embedded class:from-link=from_link>
            // γ stays at hand: a bar that sticks to the top while the page scrolls.
            <section class="panel gamma-bar" aria-label="Focal parameter γ" data-testid="gamma-bar">
                <GammaControl />
                <PlayButton />
            </section>
            <section class="panel inputs" aria-label="Inputs">
                <Show when=move || state.opened(opening_stage(Panel::Counts)) && shows(Panel::Counts)()>
                    <h2>"Classes"</h2>
                    <PresetSelect />
                    <GeneratorPanel />
                    <ClassEditor />
                    <PasteBox />
                    <CountsFile />
                    <AlphaEditor />
                    <p class="error" role="alert" data-testid="error-message"
                        hidden=move || state.input_error.with(Option::is_none)>
                        {move || state.input_error.get().unwrap_or_default()}
                        " — showing the last valid result."
                    </p>
                </Show>
                <Show when=move || !embedded() fallback=|| view! { <OpenFull /> }>
                    <ViewOptions />
                    <div class="share-row">
                        <CopyLink />
                        <EmbedDialog />
                    </div>
                </Show>
            </section>
            <PanelSection panel=Panel::Distribution title="Reshaped distribution"><DistributionPlot /></PanelSection>
            <PanelSection panel=Panel::Entropy title="Entropy versus γ"><EntropyPlot /></PanelSection>
            <PanelSection panel=Panel::Text title="What focal loss does here"><Findings /></PanelSection>
            <PanelSection panel=Panel::Tracked title="One class along γ"><TrackedPlot /></PanelSection>
            <PanelSection panel=Panel::Map title="Imbalance × γ"><MapPlot /></PanelSection>
            <PanelSection panel=Panel::Summary title="Summary"><SummaryPanel /></PanelSection>
            <PanelSection panel=Panel::Table title="Per class" wide=true><ClassTable /><ExportBar /></PanelSection>
            <PanelSection panel=Panel::Invert title="From model outputs back to probabilities" wide=true><InversePanel /></PanelSection>
        </main>
    }
}

/// Mounts the app on the page's `#app` element (or the body), in a task of
/// its own: the task that compiled and started the WebAssembly is not made
/// longer by the page's first views.
pub fn mount() {
    install_panic_hook();
    let document = web_sys::window().and_then(|w| w.document());
    let root = document
        .as_ref()
        .and_then(|d| d.get_element_by_id("app"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .or_else(|| document?.body());
    if let Some(root) = root {
        set_timeout(move || mount_on(root), std::time::Duration::ZERO);
    }
}

/// Mounts the app on `root`, for the configuration of the page's link
/// (`window.location.search`), in place of `root`'s `.loading` line: its
/// state in this task, its frame in the next. On a first visit the browser
/// compiles each WebAssembly function when it is first called; state and
/// frame together were one task of 60–106 ms on the 2-core test machine,
/// most of it compiling 680 functions (now 416 and 266 in two tasks).
pub fn mount_on(root: web_sys::HtmlElement) {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let (config, notices) = decode(&query);
    // The state is made within the reactive owner of a first mount, which
    // shows nothing; the page is mounted within it a task later.
    leptos::mount::mount_to(root.clone(), move || {
        provide_page_state(config, notices);
        let owner = Owner::current();
        set_timeout(
            move || {
                if let Ok(Some(loading)) = root.query_selector(":scope > .loading") {
                    loading.remove();
                }
                if let Some(owner) = owner {
                    owner.with(|| leptos::mount::mount_to(root, page).forget());
                }
            },
            std::time::Duration::ZERO,
        );
    })
    .forget();
}
