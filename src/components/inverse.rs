//! "From model outputs back to probabilities": paste a focal-trained model's
//! outputs and read the class posteriors they stand for, as a table and a
//! plot, with the round trip through Q* of the current classes and a CSV
//! export.

use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::app_state::{always_changed, use_app_state};
use super::canvas::{draw_error, LayerResult};
use super::exports::download;
use super::plots::{Figure, FigureCanvas};
use super::Debouncer;
use crate::plots::inverse::draw_inverse_map;
use crate::plots::Theme;
use crate::state::format::format_significant;
use crate::state::outputs::{read_output_rows, rows_as_text, two_class_map, InvertedRows};

/// Rows of the table shown (one per example and class).
const TABLE_LINES: usize = 300;

/// How long γ must rest before the panel follows it, in milliseconds.
const PANEL_DELAY_MS: u64 = 150;

/// Points of the two-class curve.
const CURVE_POINTS: usize = 200;

/// The map q ↦ p with the pasted outputs on it.
#[derive(Clone, Copy)]
struct InverseFigure {
    /// The γ the panel shows (it follows the page's γ once γ rests).
    gamma: RwSignal<f64>,
    result: Memo<Result<InvertedRows, String>>,
}

impl Figure for InverseFigure {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> LayerResult {
        let gamma = self.gamma.get();
        let points: Vec<(f64, f64)> = self.result.with(|result| {
            result.as_ref().map_or(Vec::new(), |inverted| {
                inverted.outputs().map(|(_, _, q, p)| (q, p)).collect()
            })
        });
        let curve = two_class_map(gamma, CURVE_POINTS);
        draw_inverse_map(area, gamma, &curve, &points, theme)
            .map(|()| Some(gamma))
            .map_err(draw_error)
    }
}

/// The panel: the box, the round trip, the plot, the table and the export.
#[component]
pub fn InversePanel() -> impl IntoView {
    let state = use_app_state();
    let text = RwSignal::new(String::new());
    // The panel follows γ once it rests for PANEL_DELAY_MS, so that moving γ
    // stays quick with thousands of pasted rows (each γ inverts them all and
    // redraws up to MAX_OUTPUT_POINTS points).
    let gamma = RwSignal::new(state.gamma.get_untracked());
    let settle = Debouncer::new(PANEL_DELAY_MS);
    Effect::new(move |_| {
        let now = state.gamma.get();
        settle.schedule(move || gamma.set(now));
    });
    // The rows are read once per edit and inverted again at each γ (or α,
    // used when there is one weight per column); every edit or γ gives new
    // rows, so comparing old and new would only cost.
    let read = Memo::new_with_compare(move |_| text.with(|t| read_output_rows(t)), always_changed);
    let result = Memo::new_with_compare(
        move |_| {
            let gamma = gamma.get();
            let alpha = state.alpha.get();
            read.with(|read| {
                let rows = read.as_ref().map_err(Clone::clone)?;
                let alpha = alpha.filter(|a| a.len() == rows.names.len());
                rows.invert(gamma, alpha.as_deref().map(Vec::as_slice))
            })
        },
        always_changed,
    );
    let use_q_star = move |_| {
        let rows = state
            .solution
            .with_untracked(|s| s.as_ref().map(|s| vec![s.q_all()]));
        if let Some(rows) = rows {
            text.set(rows_as_text(&rows));
        }
    };
    // P recovered from Q* of the current classes, against P itself: it
    // follows γ when γ rests, as the panel does (with many distinct classes
    // it costs about as much as the solve), computed from the solution at
    // that γ once it is on screen (from the worker, it may come later) and
    // left out while γ moves. For a problem the worker solves, the worker
    // computes it too, after the solution.
    let round_trip = move || {
        let settled = gamma.get();
        state.solution.with(|s| {
            let s = s.as_ref().filter(|s| s.gamma() == settled)?;
            let gamma = s.gamma();
            let worst = state.round_trip_error(s)?;
            Some(format!(
                "Round trip: P → Q* at γ = {} → back to P agrees with your classes to {} (largest relative difference).",
                (gamma * 100.0).round() / 100.0,
                format_significant(worst, 2)
            ))
        })
    };
    // Where the rows stand, and the round trip through Q*, in one line.
    let summary = move || {
        let round_trip = round_trip().unwrap_or_default();
        let rows = result.with(|result| {
            result
                .as_ref()
                .map_or(String::new(), |inverted| inverted.summary() + " ")
        });
        format!("{rows}{round_trip}")
    };
    let table = move || {
        result.with(|r| {
            r.as_ref().map_or(String::new(), |inverted| {
                inverted.table_html(TABLE_LINES, 6)
            })
        })
    };
    let export = move |_| {
        if let Some(csv) = result.with_untracked(|r| r.as_ref().ok().map(InvertedRows::csv)) {
            download("focal-entropy-posteriors.csv", "text/csv", csv);
        }
    };
    let label = Signal::derive(move || {
        format!(
            "Map from a model's output q to the posterior p for two classes at γ = {:.2}, with the diagonal p = q and the pasted outputs as points.",
            gamma.get()
        )
    });
    view! {
        <p class="hint">
            "A model trained with focal loss outputs Q*, not the class posterior. Paste its outputs (one example per line, one probability per class, an optional header line of class names) to get back the posterior each stands for, at the γ above (and the α weights, when there is one per column)."
        </p>
        <textarea
            class="paste" rows="5" spellcheck="false" data-testid="invert-input"
            aria-label="Model outputs, one example per line"
            placeholder="0.8, 0.15, 0.05"
            prop:value=move || text.get()
            on:input=move |e| text.set(event_target_value(&e))
        ></textarea>
        <div class="share-row">
            <button class="secondary" data-testid="invert-use-qstar" on:click=use_q_star>"Use Q* of the current classes"</button>
            <button class="secondary" data-testid="invert-export" on:click=export
                disabled=move || result.with(Result::is_err)>"Posteriors as CSV"</button>
        </div>
        <p class="error" role="alert" data-testid="invert-error"
            hidden=move || result.with(Result::is_ok) || text.with(|t| t.trim().is_empty())>
            {move || result.with(|r| r.as_ref().err().cloned().unwrap_or_default())}
        </p>
        // Marked as updating (dimmed, aria-busy) while γ has moved and the
        // panel has not followed yet.
        <div class="follows-gamma" data-testid="invert-results"
            aria-busy=move || (gamma.get() != state.gamma.get()).to_string()>
            <FigureCanvas test_id="invert-plot" label=label aspect=0.6 figure=InverseFigure { gamma, result } />
            <p class="hint" data-testid="invert-summary">{summary}</p>
            <div class="table-scroll">
                <table class="class-table" data-testid="invert-table">
                    <thead>
                        <tr><th scope="col">"Example"</th><th scope="col">"Class"</th><th scope="col">"output q"</th><th scope="col">"posterior p"</th></tr>
                    </thead>
                    // Built as escaped HTML text: one attribute instead of a typed
                    // element tree per row keeps the download small.
                    <tbody inner_html=table></tbody>
                </table>
            </div>
        </div>
    }
}
