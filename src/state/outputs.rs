//! Rows of model outputs as people paste or load them (one example per line,
//! K comma-separated probabilities, an optional header line of class names),
//! and their class posteriors recovered by the core's inverse transform. The
//! page's panel and `focal invert` read rows with the same functions.

use super::format::format_significant;
use super::html::push_row;
use super::number::parse_decimal;
use crate::core::{invert, invert_distinct, Inversion, Solution};

/// Most rows the page inverts at once (the command-line tool takes any number).
pub const MAX_PAGE_ROWS: usize = 10_000;

/// The fields of a line of outputs, trimmed.
fn fields(line: &str) -> impl Iterator<Item = &str> {
    line.split(',').map(str::trim)
}

/// Whether a line is a header: some field is not a number.
pub fn is_header(line: &str) -> bool {
    fields(line).any(|f| parse_decimal(f).is_none())
}

/// Reads one line of outputs into `row` (cleared first): `columns` numbers.
/// The message says what is wrong, without the line number.
pub fn read_row(line: &str, columns: usize, row: &mut Vec<f64>) -> Result<(), String> {
    row.clear();
    for field in fields(line) {
        row.push(parse_decimal(field).ok_or_else(|| format!("“{field}” is not a number"))?);
    }
    if row.len() == columns {
        Ok(())
    } else {
        Err(format!(
            "{} values, expected {columns} (one per class)",
            row.len()
        ))
    }
}

/// Number of columns a first line of outputs sets.
pub fn column_count(line: &str) -> usize {
    fields(line).count()
}

/// Pasted rows of outputs with their recovered posteriors.
#[derive(Debug, Clone, PartialEq)]
pub struct InvertedRows {
    /// Class names from a header line, or "class 1", "class 2", ….
    pub names: Vec<String>,
    /// Each row's outputs Q and its posterior P.
    pub rows: Vec<(Vec<f64>, Inversion)>,
}

impl InvertedRows {
    /// How many rows were renormalised (summed to 1 only within 1e-6).
    pub fn renormalised(&self) -> usize {
        self.rows.iter().filter(|(_, i)| i.renormalised).count()
    }

    /// What was read, in one sentence: rows, classes, and how many rows were
    /// renormalised.
    pub fn summary(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut text = format!(
            "{} of {}.",
            plural(self.rows.len(), "row", "rows"),
            plural(self.names.len(), "class", "classes")
        );
        let renormalised = self.renormalised();
        if renormalised > 0 {
            text.push_str(&format!(
                " {} to 1 only within 1e-6 and {} renormalised.",
                plural(renormalised, "row summed", "rows summed"),
                if renormalised == 1 { "was" } else { "were" }
            ));
        }
        text
    }

    /// The posteriors as CSV: the header, then one row of P per row of Q,
    /// each value the shortest decimal that reads back exactly.
    pub fn csv(&self) -> String {
        let mut out = self.names.join(",");
        out.push('\n');
        for (_, inversion) in &self.rows {
            let values: Vec<String> = inversion.p.iter().map(|p| format!("{p}")).collect();
            out.push_str(&values.join(","));
            out.push('\n');
        }
        out
    }

    /// Every output with its posterior, row by row: `(example, class, q, p)`,
    /// the example numbered from 1 and the class from 0.
    pub fn outputs(&self) -> impl Iterator<Item = (usize, usize, f64, f64)> + '_ {
        self.rows
            .iter()
            .enumerate()
            .flat_map(|(row, (q, inversion))| {
                q.iter()
                    .zip(&inversion.p)
                    .enumerate()
                    .map(move |(class, (q, p))| (row + 1, class, *q, *p))
            })
    }

    /// The first `most` (example, class) lines of the table as HTML rows:
    /// example number, class name (escaped: names come from pasted text),
    /// output q and posterior p with `digits` significant digits.
    pub fn table_html(&self, most: usize, digits: usize) -> String {
        let mut html = String::new();
        for (row, class, q, p) in self.outputs().take(most) {
            let name = self.names.get(class).map_or("", String::as_str);
            let (row, q, p) = (
                row.to_string(),
                format_significant(q, digits),
                format_significant(p, digits),
            );
            push_row(
                &mut html,
                [
                    (Some("num"), row.as_str()),
                    (None, name),
                    (Some("num"), q.as_str()),
                    (Some("num"), p.as_str()),
                ],
            );
        }
        html
    }
}

/// Pasted rows of model outputs, read (and checked to be numbers, one per
/// class) but not yet inverted: read once per edit, inverted again at each γ.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputRows {
    /// Class names from a header line, or "class 1", "class 2", ….
    pub names: Vec<String>,
    /// Each row's line number (1-based, for messages) and its outputs.
    rows: Vec<(usize, Vec<f64>)>,
}

/// Reads pasted rows of outputs: an optional header line of class names, then
/// one row per line. Blank lines are skipped; errors name the line.
pub fn read_output_rows(text: &str) -> Result<OutputRows, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .peekable();
    let Some(&(_, first)) = lines.peek() else {
        return Err("paste at least one row of model outputs".into());
    };
    let columns = column_count(first);
    let names = if is_header(first) {
        lines.next();
        fields(first).map(str::to_string).collect()
    } else {
        (1..=columns).map(|i| format!("class {i}")).collect()
    };
    let mut rows = Vec::new();
    for (number, line) in lines {
        if rows.len() == MAX_PAGE_ROWS {
            return Err(format!(
                "more than {MAX_PAGE_ROWS} rows; the focal command-line tool inverts any number"
            ));
        }
        let mut row = Vec::with_capacity(columns);
        read_row(line, columns, &mut row).map_err(|message| format!("line {number}: {message}"))?;
        rows.push((number, row));
    }
    if rows.is_empty() {
        return Err("paste at least one row of model outputs".into());
    }
    Ok(OutputRows { names, rows })
}

impl OutputRows {
    /// Inverts every row at γ with optional α (one weight per column); an
    /// error names the line of the first row that is not a distribution.
    pub fn invert(&self, gamma: f64, alpha: Option<&[f64]>) -> Result<InvertedRows, String> {
        let rows = self
            .rows
            .iter()
            .map(|(number, row)| {
                invert(row, gamma, alpha)
                    .map(|inversion| (row.clone(), inversion))
                    .map_err(|e| format!("line {number}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(InvertedRows {
            names: self.names.clone(),
            rows,
        })
    }
}

/// Reads pasted rows of outputs and inverts each at γ with optional α (one
/// weight per column): [`read_output_rows`], then [`OutputRows::invert`].
pub fn invert_text(text: &str, gamma: f64, alpha: Option<&[f64]>) -> Result<InvertedRows, String> {
    read_output_rows(text)?.invert(gamma, alpha)
}

/// Rows of outputs as text, one per line (the shortest decimals that read
/// back exactly): how the page fills the box with Q* of the current classes.
pub fn rows_as_text(rows: &[Vec<f64>]) -> String {
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|q| format!("{q}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `(q, p)` of the two-class map at γ: the posterior of a class to which a
/// model trained with focal loss gave `q` of two classes, at `points` values
/// of q evenly spaced in (0, 1).
pub fn two_class_map(gamma: f64, points: usize) -> Vec<(f64, f64)> {
    (1..points)
        .filter_map(|i| {
            let q = i as f64 / points as f64;
            let p = invert(&[q, 1.0 - q], gamma, None).ok()?.p[0];
            Some((q, p))
        })
        .collect()
}

/// The round trip P → Q* → P: the largest relative difference between P and
/// the posterior recovered from Q* by the inverse transform, taken over the
/// distinct classes (tied classes recover the same value). `None` where the
/// inversion refuses the row.
pub fn round_trip_error(solution: &Solution) -> Option<f64> {
    // The columns read straight off the solution in one pass (no record per
    // class is collected: a million distinct classes would copy 56 MB).
    let weighted = solution.problem().alpha().is_some();
    let distinct = solution.problem().distinct_class_count();
    let mut q = Vec::with_capacity(distinct);
    let mut classes = Vec::with_capacity(distinct);
    let mut alpha = Vec::with_capacity(if weighted { distinct } else { 0 });
    for d in solution.distinct_classes() {
        q.push(d.q);
        classes.push(d.multiplicity);
        // α up to a common factor (w/p), which the inversion's normalisation cancels.
        if weighted {
            alpha.push(d.weight / d.p);
        }
    }
    let alpha = weighted.then_some(alpha);
    let back = invert_distinct(&q, &classes, solution.gamma(), alpha.as_deref()).ok()?;
    Some(
        back.p
            .iter()
            .zip(solution.distinct_classes())
            .map(|(recovered, d)| (recovered / d.p - 1.0).abs())
            .fold(0.0, f64::max),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::solve;

    #[test]
    fn pasted_rows_with_a_header_are_inverted_row_by_row() {
        let inverted = invert_text("cat, dog\n0.8,0.2\n\n0.3,0.7\n", 2.0, None).unwrap();
        assert_eq!(inverted.names, ["cat", "dog"]);
        assert_eq!(inverted.rows.len(), 2);
        assert_eq!(inverted.rows[1].1, invert(&[0.3, 0.7], 2.0, None).unwrap());
        let csv = inverted.csv();
        assert!(csv.starts_with("cat,dog\n"));
        assert_eq!(csv.lines().count(), 3);
        assert_eq!(inverted.summary(), "2 rows of 2 classes.");
        let unnamed = invert_text("0.5,0.5", 1.0, None).unwrap();
        assert_eq!(unnamed.names, ["class 1", "class 2"]);
        let nearly = invert_text("0.5,0.5000004", 1.0, None).unwrap();
        assert_eq!(
            nearly.summary(),
            "1 row of 2 classes. 1 row summed to 1 only within 1e-6 and was renormalised."
        );
    }

    #[test]
    fn the_round_trip_over_distinct_classes_equals_the_one_over_all_classes() {
        let counts = [5.0, 1.0, 0.0, 5.0, 1.0, 3.0, 1.0];
        let alpha = [1.0, 2.0, 1.0, 1.0, 2.0, 0.5, 2.0];
        for alpha in [None, Some(&alpha[..])] {
            let solution = solve(&counts, 2.5, alpha).unwrap();
            assert!(solution.problem().distinct_class_count() < 5);
            let back = invert(&solution.q_all(), 2.5, alpha).unwrap();
            let per_class = (0..counts.len())
                .filter(|&c| counts[c] > 0.0)
                .map(|c| (back.p[c] / solution.p(c) - 1.0).abs())
                .fold(0.0, f64::max);
            let distinct = round_trip_error(&solution).unwrap();
            assert!(distinct < 1e-14, "{distinct}");
            assert!(
                (distinct - per_class).abs() < 1e-15,
                "{distinct} {per_class}"
            );
        }
    }

    #[test]
    fn distinct_entries_invert_as_the_whole_row() {
        let whole = invert(&[0.1, 0.1, 0.6, 0.2, 0.0], 3.0, None).unwrap();
        let distinct = invert_distinct(&[0.1, 0.6, 0.2, 0.0], &[2, 1, 1, 1], 3.0, None).unwrap();
        for (d, w) in distinct.p.iter().zip([0, 2, 3, 4]) {
            assert!((d - whole.p[w]).abs() < 1e-16, "{d} {}", whole.p[w]);
        }
        assert_eq!(
            invert_distinct(&[0.5, 0.5], &[1], 1.0, None)
                .unwrap_err()
                .to_string(),
            "1 multiplicities were given for 2 distinct values; give one per value"
        );
    }

    #[test]
    fn the_table_escapes_pasted_names() {
        let inverted = invert_text("<b>x</b>,a&b\n0.6,0.4", 2.0, None).unwrap();
        let html = inverted.table_html(10, 6);
        assert!(html.starts_with("<tr><td class=\"num\">1</td><td>&lt;b&gt;x&lt;/b&gt;</td><td class=\"num\">0.600000</td>"));
        assert!(html.contains("<td>a&amp;b</td>"));
        assert_eq!(html.matches("<tr>").count(), 2);
        assert_eq!(inverted.table_html(1, 6).matches("<tr>").count(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            invert_text("a,b\n0.5,0.5\n0.5,0.3,0.2", 2.0, None).unwrap_err(),
            "line 3: 3 values, expected 2 (one per class)"
        );
        assert_eq!(
            invert_text("0.5,0.5\n0.5,zero", 2.0, None).unwrap_err(),
            "line 2: “zero” is not a number"
        );
        assert_eq!(
            invert_text("0.9,0.9", 2.0, None).unwrap_err(),
            "line 1: the probabilities sum to 1.8, not 1; a row within 1e-6 of 1 is renormalised, others are not distributions"
        );
        assert!(invert_text(" \n", 2.0, None).is_err());
        assert!(invert_text("a,b\n", 2.0, None).is_err());
    }

    #[test]
    fn the_round_trip_through_q_star_gives_back_the_classes() {
        let solution = solve(&[99.0, 1.0], 2.0, None).unwrap();
        let text = rows_as_text(&[solution.q_all()]);
        let inverted = invert_text(&text, 2.0, None).unwrap();
        let p = &inverted.rows[0].1.p;
        assert!((p[0] / 0.99 - 1.0).abs() < 1e-14 && (p[1] / 0.01 - 1.0).abs() < 1e-13);
        assert_eq!(inverted.renormalised(), 0);
    }

    #[test]
    fn the_two_class_map_is_the_diagonal_at_gamma_zero_and_sharpens_above() {
        for (q, p) in two_class_map(0.0, 20) {
            assert!((p - q).abs() < 1e-15);
        }
        let map = two_class_map(2.0, 20);
        assert_eq!(map.len(), 19);
        // A focal model's 0.75 is more confident than it says, 0.5 stays 0.5.
        let at = |q: f64| map.iter().find(|(x, _)| (x - q).abs() < 1e-12).unwrap().1;
        assert!(at(0.75) > 0.75 && at(0.25) < 0.25);
        assert!((at(0.5) - 0.5).abs() < 1e-15);
    }
}
