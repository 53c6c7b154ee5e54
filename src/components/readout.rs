//! The numbers: the summary and the sortable per-class table.

use leptos::prelude::*;

use super::app_state::{always_changed, use_app_state};
use crate::core::Solution;
use crate::state::readout::{
    row_cells, rows_in_view, table_order, table_row, SortColumn, Summary, TABLE_ROW_HEIGHT_PX,
};

/// Height of the table's scroll box before it is first scrolled, in CSS
/// pixels (its `max-height` in style/main.css).
const TABLE_VIEW_PX: f64 = 512.0;

/// μ, focal-entropies, entropies and KL at the current γ.
#[component]
pub fn SummaryPanel() -> impl IntoView {
    let state = use_app_state();
    let entries = move || {
        let units = state.units.get();
        state
            .solution
            .with(|s| s.as_ref().map(|s| Summary::new(s, units).entries()))
            .unwrap_or_default()
    };
    view! {
        <dl class="summary" data-testid="summary">
            {move || entries().into_iter().map(|(name, value)| view! {
                <div class="summary-item"><dt>{name}</dt><dd>{value}</dd></div>
            }).collect_view()}
        </dl>
    }
}

/// Column headers with their sort keys, in the documented order.
const COLUMNS: [(&str, SortColumn); 8] = [
    ("Label", SortColumn::Label),
    ("Count", SortColumn::Count),
    ("p", SortColumn::P),
    ("q*", SortColumn::Q),
    ("q*/p", SortColumn::Ratio),
    ("Regime", SortColumn::Regime),
    ("rank p", SortColumn::RankP),
    ("rank q*", SortColumn::RankQ),
];

/// The per-class table, sortable by any column (click a header twice to
/// reverse). Every class is laid out, in rows of a fixed height, but only the
/// rows in view (and a few around them) are rendered, so that scrolling
/// through tens of thousands of classes stays smooth; the table says how many
/// rows it has (`aria-rowcount`) and where each rendered row is (`aria-rowindex`).
#[component]
pub fn ClassTable() -> impl IntoView {
    let state = use_app_state();
    let sort = RwSignal::new((SortColumn::Class, false));
    // Scroll position and height of the table's box, in CSS pixels.
    let view = RwSignal::new((0.0, TABLE_VIEW_PX));
    // The classes in the order shown. An order that does not follow γ (by
    // label, count, p or its rank) is kept while γ moves. Not compared: the
    // rows shown follow every solution anyway, and comparing the orders of a
    // quarter of a million classes took 3 ms a γ in the page.
    let order = Memo::new_with_compare(
        move |_| {
            let (column, descending) = sort.get();
            state.problem.track();
            let order_of = |solution: &Option<Solution>| {
                state.labels.with(|labels| {
                    solution
                        .as_ref()
                        .filter(|s| s.problem().class_count() == labels.len())
                        .map(|s| table_order(s, labels, column, descending))
                })
            };
            // An order that does not follow γ still waits for the first solution
            // of the current problem (from the worker it comes later).
            let solved = state.problem.with(|p| {
                state.drawn_last.with_untracked(
                    |s| matches!((p, s), (Some(p), Some(s)) if s.problem().same_as(p)),
                )
            });
            if column.follows_gamma() || !solved {
                state.drawn_last.with(order_of)
            } else {
                state.drawn_last.with_untracked(order_of)
            }
            .unwrap_or_default()
        },
        always_changed,
    );
    // Not compared: ranks of a million classes would be compared at every γ.
    let q_ranks = Memo::new_with_compare(
        move |_| state.drawn_last.with(|s| s.as_ref().map(Solution::q_ranks)),
        always_changed,
    );
    let toggle = move |column: SortColumn| {
        sort.update(|(current, descending)| {
            if *current == column {
                *descending = !*descending;
            } else {
                *current = column;
                *descending = matches!(
                    column,
                    SortColumn::Count | SortColumn::P | SortColumn::Q | SortColumn::Ratio
                );
            }
        })
    };
    let aria_sort = move |column: SortColumn| {
        let (current, descending) = sort.get();
        if current != column {
            "none"
        } else if descending {
            "descending"
        } else {
            "ascending"
        }
    };
    let total = move || order.with(Vec::len);
    // A plain closure, not a memo: with a memo between `order` and `shown`, a
    // new sort that left the range as it was did not redraw the rows (seen
    // in the browser suite after typed classes).
    let range = move || {
        let (top, height) = view.get();
        rows_in_view(top, height, total())
    };
    // Space for the rows above and below those rendered, in CSS pixels.
    let space = move |rows: usize| format!("{}px", rows as f64 * TABLE_ROW_HEIGHT_PX);
    let space_above = move || space(range().start);
    let space_below = move || space(total() - range().end);
    // Rebuilding the shown rows is cheaper than updating their cells through
    // one reactive effect each (measured in the browser suite).
    let shown = move || {
        let range = range();
        let classes = order.with(|order| order.get(range.clone()).unwrap_or_default().to_vec());
        state.drawn_last.with(|solution| {
            let Some(solution) = solution else {
                return Vec::new();
            };
            q_ranks.with(|ranks| {
                let Some(ranks) = ranks else {
                    return Vec::new();
                };
                state.labels.with(|labels| {
                    classes
                        .iter()
                        .zip(range)
                        .map(|(&class, index)| {
                            let row = table_row(solution, ranks, labels, class);
                            (index, row.regime, row_cells(&row))
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    };
    let on_scroll = move |event: leptos::ev::Event| {
        let target = event_target::<web_sys::Element>(&event);
        view.set((
            f64::from(target.scroll_top()),
            f64::from(target.client_height()),
        ));
    };
    view! {
        <div class="table-scroll" on:scroll=on_scroll>
            <div style:padding-top=space_above style:padding-bottom=space_below>
            <table class="class-table" data-testid="class-table"
                aria-rowcount=move || (total() + 1).to_string()>
                <thead>
                    <tr aria-rowindex="1">
                        {COLUMNS.map(|(name, column)| view! {
                            <th scope="col" aria-sort=move || aria_sort(column)>
                                <button class="sort" on:click=move |_| toggle(column)>{name}</button>
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || shown().into_iter().map(|(index, regime, [label, count, p, q, ratio, name, rank_p, rank_q])| view! {
                        <tr class=format!("regime-{}", regime.name()) aria-rowindex=(index + 2).to_string()>
                            <td>{label}</td>
                            <td class="num">{count}</td>
                            <td class="num">{p}</td>
                            <td class="num">{q}</td>
                            <td class="num">{ratio}</td>
                            <td class="regime">{name}</td>
                            <td class="num">{rank_p}</td>
                            <td class="num">{rank_q}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </div>
        <p class="hint" data-testid="table-size">
            {move || match total() {
                // No rows yet: the first solution of many classes is on its way.
                0 if state.solution_pending() => {
                    // (Counted without making them: they may still be being made.)
                    let classes = state.config.with(|c| c.classes.len());
                    format!("Computing the rows of {classes} classes…")
                }
                1 => "1 class.".to_string(),
                classes => format!("{classes} classes."),
            }}
        </p>
    }
}
