//! The numbers: the summary and the sortable per-class table.

use leptos::prelude::*;

use super::app_state::use_app_state;
use crate::state::readout::{row_cells, sort_rows, table_rows, SortColumn, Summary};

/// Rows rendered before "show all" is pressed.
pub const TABLE_PAGE_ROWS: usize = 200;

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

/// The per-class table, sortable by any column (click a header twice to reverse).
#[component]
pub fn ClassTable() -> impl IntoView {
    let state = use_app_state();
    let sort = RwSignal::new((SortColumn::Class, false));
    let show_all = RwSignal::new(false);
    let rows = Memo::new(move |_| {
        let labels = state.labels.get();
        let (column, descending) = sort.get();
        state
            .solution
            .with(|s| {
                s.as_ref()
                    .filter(|s| s.problem().class_count() == labels.len())
                    .map(|s| {
                        let mut rows = table_rows(s, &labels);
                        sort_rows(&mut rows, column, descending);
                        rows
                    })
            })
            .unwrap_or_default()
    });
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
    let visible_count = move || {
        let total = rows.with(Vec::len);
        if show_all.get() {
            total
        } else {
            total.min(TABLE_PAGE_ROWS)
        }
    };
    // Rebuilding the shown rows is cheaper than updating hundreds of cells
    // through one reactive effect each (measured in the browser suite).
    let shown = move || {
        let count = visible_count();
        rows.with(|rows| {
            rows.iter()
                .take(count)
                .map(|row| (row.regime, row_cells(row)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-scroll">
            <table class="class-table" data-testid="class-table">
                <thead>
                    <tr>
                        {COLUMNS.map(|(name, column)| view! {
                            <th scope="col" aria-sort=move || aria_sort(column)>
                                <button class="sort" on:click=move |_| toggle(column)>{name}</button>
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || shown().into_iter().map(|(regime, [label, count, p, q, ratio, name, rank_p, rank_q])| view! {
                        <tr class=format!("regime-{}", regime.name())>
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
        <Show when=move || { rows.with(Vec::len) > TABLE_PAGE_ROWS && !show_all.get() }>
            <p class="hint">
                {move || format!("Showing {TABLE_PAGE_ROWS} of {} classes. ", rows.with(Vec::len))}
                <button class="secondary" on:click=move |_| show_all.set(true)>"Show all"</button>
            </p>
        </Show>
    }
}
