//! What the page shows as numbers: the per-class table (sortable) and the summary.

use crate::core::{Regime, Solution};

use super::config::Units;
use super::format::format_significant;

/// One row of the per-class table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Zero-based class index (input order).
    pub class: usize,
    /// Label.
    pub label: String,
    /// Count as entered.
    pub count: f64,
    /// Data probability.
    pub p: f64,
    /// Reshaped probability.
    pub q: f64,
    /// `q/p`, `None` for an absent class.
    pub ratio: Option<f64>,
    /// Regime.
    pub regime: Regime,
    /// Rank of `p` among the classes (1 = most frequent; ties share a rank).
    pub rank_p: usize,
    /// Rank of `q*` (1 = largest); equal to `rank_p` without α (order preserved).
    pub rank_q: usize,
}

/// Column the table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    /// Input order.
    #[default]
    Class,
    /// Label text.
    Label,
    /// Count.
    Count,
    /// p.
    P,
    /// q*.
    Q,
    /// q*/p.
    Ratio,
    /// Regime name.
    Regime,
    /// Rank of p.
    RankP,
    /// Rank of q*.
    RankQ,
}

/// Ranks (1 = most frequent) of each class by `values`, ties sharing the best rank.
pub fn ranks(values: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let mut rank = vec![0; values.len()];
    for (position, &class) in order.iter().enumerate() {
        rank[class] = if position > 0 && values[order[position - 1]] == values[class] {
            rank[order[position - 1]]
        } else {
            position + 1
        };
    }
    rank
}

/// Builds the table rows of a solution in input order; `labels` name the
/// solution's classes (missing labels are left empty).
pub fn table_rows(solution: &Solution, labels: &[String]) -> Vec<TableRow> {
    let rank_p = ranks(&solution.p_all());
    let rank_q = ranks(&solution.q_all());
    solution
        .problem()
        .counts()
        .iter()
        .enumerate()
        .map(|(class, &count)| TableRow {
            class,
            label: labels.get(class).cloned().unwrap_or_default(),
            count,
            p: solution.p(class),
            q: solution.q(class),
            ratio: solution.ratio(class),
            regime: solution.regime(class),
            rank_p: rank_p[class],
            rank_q: rank_q[class],
        })
        .collect()
}

/// The eight cells of a row as shown: label, count, p, q*, q*/p (6 significant
/// digits; "—" for an absent class), regime, and the ranks of p and q*.
pub fn row_cells(row: &TableRow) -> [String; 8] {
    [
        row.label.clone(),
        row.count.to_string(),
        format_significant(row.p, 6),
        format_significant(row.q, 6),
        row.ratio
            .map_or("—".to_string(), |r| format_significant(r, 6)),
        row.regime.name().to_string(),
        row.rank_p.to_string(),
        row.rank_q.to_string(),
    ]
}

/// A label in lower case, the key of the label sort. Natively Rust's
/// `to_lowercase`; in the web build the browser's `toLowerCase()`, the same
/// Unicode default case mapping, which spares the download Rust's case tables
/// (about 5 KB gzipped). A wasm test checks that both agree.
pub fn lower_case(label: &str) -> String {
    #[cfg(not(target_arch = "wasm32"))]
    {
        label.to_lowercase()
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(label).to_lower_case())
    }
}

/// Sorts rows by a column, ascending or descending; ties keep input order.
/// Labels compare without regard to case, each lower-cased once.
pub fn sort_rows(rows: &mut Vec<TableRow>, column: SortColumn, descending: bool) {
    let lowered: Vec<String> = match column {
        SortColumn::Label => rows.iter().map(|row| lower_case(&row.label)).collect(),
        _ => Vec::new(),
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&rows[i], &rows[j]);
        let order = match column {
            SortColumn::Class => a.class.cmp(&b.class),
            SortColumn::Label => lowered[i].cmp(&lowered[j]),
            SortColumn::Count => a.count.total_cmp(&b.count),
            SortColumn::P => a.p.total_cmp(&b.p),
            SortColumn::Q => a.q.total_cmp(&b.q),
            SortColumn::Ratio => a.ratio.unwrap_or(-1.0).total_cmp(&b.ratio.unwrap_or(-1.0)),
            SortColumn::Regime => a.regime.name().cmp(b.regime.name()),
            SortColumn::RankP => a.rank_p.cmp(&b.rank_p),
            SortColumn::RankQ => a.rank_q.cmp(&b.rank_q),
        };
        let order = if descending { order.reverse() } else { order };
        order.then(a.class.cmp(&b.class))
    });
    let mut unsorted: Vec<Option<TableRow>> = std::mem::take(rows).into_iter().map(Some).collect();
    rows.extend(order.into_iter().filter_map(|index| unsorted[index].take()));
}

/// Height of one row of the per-class table, in CSS pixels (fixed in
/// style/main.css), which lets the page lay out every row but render only
/// those in view.
pub const TABLE_ROW_HEIGHT_PX: f64 = 30.0;

/// Rows rendered above and below those in view, so that scrolling never shows a gap.
pub const TABLE_OVERSCAN_ROWS: usize = 20;

/// The rows of a table of `total` rows to render when its scroll box, `view`
/// CSS pixels high, is scrolled `scroll_top` pixels down: a half-open range
/// with [`TABLE_OVERSCAN_ROWS`] on each side of those in view.
pub fn rows_in_view(scroll_top: f64, view: f64, total: usize) -> std::ops::Range<usize> {
    let row = |pixels: f64| (pixels.max(0.0) / TABLE_ROW_HEIGHT_PX) as usize;
    let first = row(scroll_top)
        .saturating_sub(TABLE_OVERSCAN_ROWS)
        .min(total);
    let last = (row(scroll_top + view) + 1 + TABLE_OVERSCAN_ROWS).min(total);
    first..last.max(first)
}

/// The summary numbers, with entropies in the chosen unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// μ (dimensionless).
    pub mu: f64,
    /// FE_γ(P, Q*).
    pub fe_min: f64,
    /// FE_γ(P, P).
    pub fe_at_p: f64,
    /// H(P).
    pub shannon_p: f64,
    /// H(Q*).
    pub shannon_q: f64,
    /// KL(P‖Q*).
    pub kl_p_q: f64,
    /// H(Q*)/ln K: 1 means uniform.
    pub uniformity: f64,
    /// The unit of the entropies.
    pub units: Units,
}

impl Summary {
    /// Collects the summary of a solution in a unit.
    pub fn new(solution: &Solution, units: Units) -> Self {
        let factor = units.from_nats();
        let classes = solution.problem().positive_class_count();
        let uniform = (classes as f64).ln();
        Summary {
            mu: solution.mu(),
            fe_min: solution.fe_min() * factor,
            fe_at_p: solution.fe_at_p() * factor,
            shannon_p: solution.shannon_p() * factor,
            shannon_q: solution.shannon_q() * factor,
            kl_p_q: solution.kl_p_q() * factor,
            uniformity: if uniform > 0.0 {
                solution.shannon_q() / uniform
            } else {
                1.0
            },
            units,
        }
    }

    /// (name, formatted value) pairs in display order.
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        let unit = self.units.name();
        let with_unit = |v: f64| format!("{} {unit}", format_significant(v, 6));
        vec![
            ("μ", format_significant(self.mu, 6)),
            ("FE(P, Q*)", with_unit(self.fe_min)),
            ("FE(P, P)", with_unit(self.fe_at_p)),
            ("H(P)", with_unit(self.shannon_p)),
            ("H(Q*)", with_unit(self.shannon_q)),
            ("KL(P‖Q*)", with_unit(self.kl_p_q)),
            ("H(Q*)/ln K", format_significant(self.uniformity, 4)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::solve;

    #[test]
    fn table_rows_carry_the_solution() {
        let labels = vec!["cows".to_string(), "tiger".to_string()];
        let solution = solve(&[99.0, 1.0], 2.0, None).unwrap();
        let mut rows = table_rows(&solution, &labels);
        assert_eq!(rows[0].count, 99.0);
        assert_eq!(rows[1].label, "tiger");
        assert_eq!(rows[1].q, solution.q(1));
        assert_eq!(rows[1].regime, Regime::Amplified);
        assert_eq!(
            row_cells(&rows[1]),
            [
                "tiger",
                "1",
                "0.0100000",
                "0.153624",
                "15.3624",
                "amplified",
                "2",
                "2"
            ]
            .map(String::from)
        );
        sort_rows(&mut rows, SortColumn::Ratio, true);
        assert_eq!(rows[0].label, "tiger");
        sort_rows(&mut rows, SortColumn::Label, false);
        assert_eq!(rows[0].label, "cows");
    }

    #[test]
    fn labels_sort_without_regard_to_case_and_ties_keep_input_order() {
        let labels: Vec<String> = ["beta", "Alpha", "alpha", "ÄRGER", "Gamma"]
            .map(String::from)
            .to_vec();
        let solution = solve(&[1.0, 2.0, 3.0, 4.0, 5.0], 2.0, None).unwrap();
        let mut rows = table_rows(&solution, &labels);
        let order = |rows: &[TableRow]| rows.iter().map(|r| r.class).collect::<Vec<_>>();
        sort_rows(&mut rows, SortColumn::Label, false);
        assert_eq!(order(&rows), [1, 2, 0, 4, 3]);
        sort_rows(&mut rows, SortColumn::Label, true);
        assert_eq!(order(&rows), [3, 4, 0, 1, 2]);
        sort_rows(&mut rows, SortColumn::Class, false);
        assert_eq!(order(&rows), [0, 1, 2, 3, 4]);
        assert_eq!(lower_case("ΟΔΟΣ Ärger"), "οδος ärger");
    }

    #[test]
    fn the_rows_in_view_have_overscan_on_each_side_and_stay_in_the_table() {
        // 512 px of 30 px rows: rows 0–17 in view, 20 more below.
        assert_eq!(rows_in_view(0.0, 512.0, 20_000), 0..38);
        // Scrolled to row 1000: rows 980 to 1038.
        assert_eq!(rows_in_view(30_000.0, 512.0, 20_000), 980..1038);
        // At the bottom, and past it (elastic scrolling), the last rows.
        assert_eq!(rows_in_view(599_488.0, 512.0, 20_000), 19_962..20_000);
        assert_eq!(rows_in_view(1e9, 512.0, 20_000), 20_000..20_000);
        // A short table is rendered whole; odd inputs give an empty or whole range.
        assert_eq!(rows_in_view(0.0, 512.0, 10), 0..10);
        assert_eq!(rows_in_view(-50.0, 512.0, 10), 0..10);
        assert_eq!(rows_in_view(f64::NAN, f64::NAN, 10), 0..10);
        assert_eq!(rows_in_view(0.0, 512.0, 0), 0..0);
    }

    #[test]
    fn ranks_share_ties() {
        assert_eq!(ranks(&[0.1, 0.5, 0.1, 0.3]), vec![3, 1, 3, 2]);
    }

    #[test]
    fn alpha_can_reorder_q_against_p() {
        // α = 1 : 30 lifts the rare class above the frequent one.
        let solution = solve(&[3.0, 1.0], 2.0, Some(&[1.0, 30.0])).unwrap();
        let rows = table_rows(&solution, &[]);
        assert_eq!((rows[0].rank_p, rows[0].rank_q), (1, 2));
        assert_eq!((rows[1].rank_p, rows[1].rank_q), (2, 1));
    }

    #[test]
    fn summary_converts_units() {
        let solution = solve(&[1.0, 1.0], 0.0, None).unwrap();
        let bits = Summary::new(&solution, Units::Bits);
        assert!((bits.shannon_p - 1.0).abs() < 1e-15);
        assert!((bits.uniformity - 1.0).abs() < 1e-15);
        assert_eq!(bits.entries()[3], ("H(P)", "1.00000 bits".to_string()));
    }
}
