//! The embed dialog: choose the panels, copy the `<iframe>` snippet.

use leptos::prelude::*;

use super::app_state::use_app_state;
use super::links::{link_for, CopyButton};
use crate::state::config::{Config, Panel};

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
pub fn iframe_snippet(share: &Config, shown: &[Panel], class_count: usize) -> String {
    let chosen_extra = shown
        .iter()
        .any(|p| matches!(p, Panel::Summary | Panel::Table));
    let hidden: Vec<Panel> = Panel::ALL
        .into_iter()
        .filter(|p| !shown.contains(p))
        .collect();
    let embedded = Config {
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
        let share = state.config.get();
        iframe_snippet(&share, &shown.get(), state.classes.with(|c| c.len()))
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
