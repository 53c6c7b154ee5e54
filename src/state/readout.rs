//! What the page shows as numbers: the per-class table (sortable) and the summary.

use std::cmp::Ordering;

use crate::core::{sorted_indices, ClassRanks, DistinctClass, Regime, Solution};

use super::config::{ClassLabels, Units};
use super::format::format_significant;
use super::label_order::classes_in_label_order;

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

impl SortColumn {
    /// Whether the order by this column changes with γ (it does for the
    /// columns read off Q*), so that other orders are kept while γ moves.
    pub fn follows_gamma(self) -> bool {
        matches!(
            self,
            SortColumn::Q | SortColumn::Ratio | SortColumn::Regime | SortColumn::RankQ
        )
    }
}

/// The row of one class; `q_ranks` are the solution's ([`Solution::q_ranks`])
/// and `labels` name its classes (a missing label is left empty).
pub fn table_row(
    solution: &Solution,
    q_ranks: &ClassRanks,
    labels: &ClassLabels,
    class: usize,
) -> TableRow {
    let problem = solution.problem();
    TableRow {
        class,
        label: labels.get(class).unwrap_or_default(),
        count: problem.counts().get(class).copied().unwrap_or(0.0),
        p: solution.p(class),
        q: solution.q(class),
        ratio: solution.ratio(class),
        regime: solution.regime(class),
        rank_p: problem.frequency_ranks().of(problem, class),
        rank_q: q_ranks.of(problem, class),
    }
}

/// The classes (zero-based, input order) in the order the table shows them,
/// sorted by a column, ascending or descending; ties keep input order.
/// Labels compare without regard to case. Columns that are the same for every
/// class of a group (p, q*, q*/p, regime, ranks) are sorted over the distinct
/// classes and then spread out, so a million classes with a few thousand
/// distinct counts cost a few thousand comparisons.
pub fn table_order(
    solution: &Solution,
    labels: &ClassLabels,
    column: SortColumn,
    descending: bool,
) -> Vec<usize> {
    let problem = solution.problem();
    let classes = problem.class_count();
    let by_class = |key: &dyn Fn(usize, usize) -> Ordering| {
        sorted_indices(classes, &|a, b| directed(key(a, b), descending))
    };
    match column {
        SortColumn::Class => in_direction((0..classes).collect(), descending),
        SortColumn::Label if labels.len() == classes && labels.all_by_place() => {
            in_direction(places_in_label_order(classes), descending)
        }
        SortColumn::Label => classes_in_label_order(labels, descending),
        SortColumn::Count => {
            let counts = problem.counts();
            by_class(&|a, b| counts[a].total_cmp(&counts[b]))
        }
        _ => order_by_distinct_class(solution, column, descending),
    }
}

/// The places 0 to `count − 1` of classes named by their place in the order
/// of their labels, "class 1", "class 10", "class 100", …, "class 11", …,
/// "class 2", …: the numbers 1 to `count` in the order of their digits as
/// text, read off in one walk of the tree of digits, where sorting the labels
/// of a quarter of a million classes as strings was one task of 170–480 ms
/// in the page.
fn places_in_label_order(count: usize) -> Vec<usize> {
    let mut order = Vec::with_capacity(count);
    let mut number = 1;
    for _ in 0..count {
        order.push(number - 1);
        if number <= count / 10 {
            // Next in the text's order: a digit more, "1" → "10".
            number *= 10;
        } else {
            // Else the next number on the last digit that can grow: "199" → "2".
            while number % 10 == 9 || number == count {
                number /= 10;
            }
            number += 1;
        }
    }
    order
}

/// An ascending order of distinct keys, reversed for a descending sort.
fn in_direction(mut order: Vec<usize>, descending: bool) -> Vec<usize> {
    if descending {
        order.reverse();
    }
    order
}

/// An ascending order, reversed for a descending sort.
pub(super) fn directed(order: Ordering, descending: bool) -> Ordering {
    if descending {
        order.reverse()
    } else {
        order
    }
}

/// [`table_order`] for a column whose value is shared by each group's classes.
fn order_by_distinct_class(
    solution: &Solution,
    column: SortColumn,
    descending: bool,
) -> Vec<usize> {
    let problem = solution.problem();
    let distinct: Vec<DistinctClass> = solution.distinct_classes().collect();
    let q_ranks = (column == SortColumn::RankQ).then(|| solution.q_ranks());
    let rank_p = problem.frequency_ranks();
    // Items: the groups, then the absent classes as one more item.
    let absent = distinct.len();
    // Each item's key, computed once.
    let numbers: Vec<f64> = (0..=absent)
        .map(|item| match (column, distinct.get(item)) {
            (SortColumn::RankP, _) => rank_p.of_group(item) as f64,
            (SortColumn::RankQ, _) => q_ranks.as_ref().map_or(0.0, |r| r.of_group(item) as f64),
            (SortColumn::P, Some(d)) => d.p,
            (SortColumn::Q, Some(d)) => d.q,
            (SortColumn::Ratio, Some(d)) => d.ln_ratio.exp(),
            (SortColumn::Ratio, None) => -1.0,
            _ => 0.0,
        })
        .collect();
    let regime = |item: usize| distinct.get(item).map_or(Regime::Absent, |d| d.regime);
    let compare = |a: usize, b: usize| match column {
        SortColumn::Regime => regime(a).name().cmp(regime(b).name()),
        _ => numbers[a].total_cmp(&numbers[b]),
    };
    let items = sorted_indices(absent + 1, &|a, b| directed(compare(a, b), descending));
    // Items that compare equal share a bucket, so that their classes
    // interleave in input order; buckets are then filled class by class.
    let mut bucket_of_item = vec![0; absent + 1];
    let mut bucket_sizes: Vec<usize> = Vec::new();
    for (position, &item) in items.iter().enumerate() {
        let same = position > 0 && compare(items[position - 1], item).is_eq();
        if !same {
            bucket_sizes.push(0);
        }
        bucket_of_item[item] = bucket_sizes.len() - 1;
    }
    let bucket = |class: usize| bucket_of_item[problem.group_index(class).unwrap_or(absent)];
    for class in 0..problem.class_count() {
        bucket_sizes[bucket(class)] += 1;
    }
    let mut next: Vec<usize> = bucket_sizes
        .iter()
        .scan(0, |start, &size| {
            let this = *start;
            *start += size;
            Some(this)
        })
        .collect();
    let mut order = vec![0; problem.class_count()];
    for class in 0..problem.class_count() {
        let slot = &mut next[bucket(class)];
        order[*slot] = class;
        *slot += 1;
    }
    order
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
    use crate::state::config::{default_label, ClassRow};
    use std::sync::Arc;

    #[test]
    fn table_rows_carry_the_solution() {
        let labels: ClassLabels = ["cows", "tiger"].into_iter().collect();
        let solution = solve(&[99.0, 1.0], 2.0, None).unwrap();
        let q_ranks = solution.q_ranks();
        let rows: Vec<TableRow> = (0..2)
            .map(|class| table_row(&solution, &q_ranks, &labels, class))
            .collect();
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
        assert_eq!(
            table_order(&solution, &labels, SortColumn::Ratio, true),
            [1, 0]
        );
        assert_eq!(
            table_order(&solution, &labels, SortColumn::Label, false),
            [0, 1]
        );
    }

    #[test]
    fn labels_sort_without_regard_to_case_and_ties_keep_input_order() {
        let labels: ClassLabels = ["beta", "Alpha", "alpha", "ÄRGER", "Gamma"]
            .into_iter()
            .collect();
        let solution = solve(&[1.0, 2.0, 3.0, 4.0, 5.0], 2.0, None).unwrap();
        let order = |column, descending| table_order(&solution, &labels, column, descending);
        assert_eq!(order(SortColumn::Label, false), [1, 2, 0, 4, 3]);
        assert_eq!(order(SortColumn::Label, true), [3, 4, 0, 1, 2]);
        assert_eq!(order(SortColumn::Class, false), [0, 1, 2, 3, 4]);
        assert_eq!(order(SortColumn::Class, true), [4, 3, 2, 1, 0]);
    }

    #[test]
    fn classes_named_by_their_place_sort_as_their_labels_do() {
        for count in (1..=1200).chain([9_999, 10_000, 10_001, 262_144]) {
            let mut by_text: Vec<usize> = (0..count).collect();
            by_text.sort_by_cached_key(|&class| default_label(class));
            assert_eq!(places_in_label_order(count), by_text, "{count} classes");
        }
        assert_eq!(
            places_in_label_order(12),
            [0, 9, 10, 11, 1, 2, 3, 4, 5, 6, 7, 8]
        );
        // table_order takes that walk when no class has a label of its own,
        // and sorts the labels as text when one has.
        let solution = solve(&[1.0; 12], 2.0, None).unwrap();
        let by_place = ClassLabels::of(Arc::new(vec![ClassRow::unlabelled(1.0); 12]));
        let mut named = vec![ClassRow::unlabelled(1.0); 12];
        named[3] = ClassRow::new("Class 0", 1.0);
        let named = ClassLabels::of(Arc::new(named));
        let order =
            |labels, descending| table_order(&solution, labels, SortColumn::Label, descending);
        assert_eq!(
            order(&by_place, false),
            [0, 9, 10, 11, 1, 2, 3, 4, 5, 6, 7, 8]
        );
        assert_eq!(
            order(&by_place, true),
            [8, 7, 6, 5, 4, 3, 2, 1, 11, 10, 9, 0]
        );
        assert_eq!(order(&named, false), [3, 0, 9, 10, 11, 1, 2, 4, 5, 6, 7, 8]);
        assert_eq!(order(&named, true), [8, 7, 6, 5, 4, 2, 1, 11, 10, 9, 0, 3]);
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
    fn tied_classes_sort_in_input_order_and_absent_ones_as_zero() {
        // Groups: count 1 (classes 1, 4), count 5 (0, 3), absent (2, 5).
        let solution = solve(&[5.0, 1.0, 0.0, 5.0, 1.0, 0.0], 2.0, None).unwrap();
        let order = |column, descending| {
            table_order(&solution, &ClassLabels::default(), column, descending)
        };
        assert_eq!(order(SortColumn::P, false), [2, 5, 1, 4, 0, 3]);
        assert_eq!(order(SortColumn::P, true), [0, 3, 1, 4, 2, 5]);
        assert_eq!(order(SortColumn::Ratio, true), [1, 4, 0, 3, 2, 5]);
        assert_eq!(order(SortColumn::RankQ, false), [0, 3, 1, 4, 2, 5]);
        assert_eq!(order(SortColumn::Regime, false), [2, 5, 1, 4, 0, 3]);
        assert_eq!(order(SortColumn::Count, true), [0, 3, 1, 4, 2, 5]);
    }

    #[test]
    fn alpha_can_reorder_q_against_p() {
        // α = 1 : 30 lifts the rare class above the frequent one.
        let solution = solve(&[3.0, 1.0], 2.0, Some(&[1.0, 30.0])).unwrap();
        let q_ranks = solution.q_ranks();
        let rows: Vec<TableRow> = (0..2)
            .map(|class| table_row(&solution, &q_ranks, &ClassLabels::default(), class))
            .collect();
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
