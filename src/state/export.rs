//! CSV exports with full precision: every number is written as the shortest
//! decimal that reads back to the same f64 (Rust's `{}` formatting).

use std::fmt::Write;

use crate::core::{Solution, Sweep};

use super::classes::label_field;
use super::config::ClassLabels;
use super::findings::AtGamma;
use super::piecewise::Piecewise;

/// A label as a CSV field: quoted as the paste box quotes it, and, when it
/// starts like a spreadsheet formula (`=`, `+`, `-`, `@`, tab or carriage
/// return: labels can come from a link), prefixed with `'` so that a
/// spreadsheet shows it as text instead of running it.
fn label_cell(label: &str) -> String {
    if label.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        label_field(&format!("'{label}"))
    } else {
        label_field(label)
    }
}

/// Rows of the table's CSV written per batch of the page's slices.
const TABLE_ROWS_PER_BATCH: usize = 512;

/// Cells of the γ-sweep's CSV written per batch of the page's slices.
const SWEEP_CELLS_PER_BATCH: usize = 2048;

/// The per-class table as CSV, `label,count,p,q,q_over_p,regime`, one line
/// per class, written a batch of rows at a time (it is [`Piecewise`]).
pub struct TableCsv {
    solution: Solution,
    labels: ClassLabels,
    next_class: usize,
    /// The text written and not yet taken, one part per batch.
    parts: Vec<String>,
}

impl TableCsv {
    /// The table of `solution`, its classes named by `labels`.
    pub fn new(solution: Solution, labels: ClassLabels) -> Self {
        TableCsv {
            solution,
            labels,
            next_class: 0,
            parts: vec![String::from("label,count,p,q,q_over_p,regime\n")],
        }
    }
}

impl Piecewise for TableCsv {
    fn advance(&mut self) -> Result<bool, String> {
        let counts = self.solution.problem().counts();
        let end = (self.next_class + TABLE_ROWS_PER_BATCH).min(counts.len());
        let mut out = String::new();
        for (class, count) in counts.iter().enumerate().take(end).skip(self.next_class) {
            let label = self.labels.get(class).unwrap_or_default();
            let _ = write!(
                out,
                "{},{count},{},{},",
                label_cell(&label),
                self.solution.p(class),
                self.solution.q(class),
            );
            if let Some(ratio) = self.solution.ratio(class) {
                let _ = write!(out, "{ratio}");
            }
            let _ = writeln!(out, ",{}", self.solution.regime(class).name());
        }
        self.parts.push(out);
        self.next_class = end;
        Ok(end == counts.len())
    }

    fn fraction_done(&self) -> f64 {
        self.next_class as f64 / self.solution.problem().class_count().max(1) as f64
    }

    fn take_written(&mut self) -> Vec<String> {
        std::mem::take(&mut self.parts)
    }
}

/// Most `q*` cells (classes × γ values) the γ-sweep's CSV carries, about
/// 80 MB of text: beyond it the per-class columns are left out (a quarter of
/// a million tokens over 256 γ values would be over a gigabyte).
pub const MAX_SWEEP_CSV_CELLS: usize = 4_000_000;

/// Whether the γ-sweep's CSV has a `q*` column per class ([`MAX_SWEEP_CSV_CELLS`]).
pub fn sweep_csv_has_classes(sweep: &Sweep) -> bool {
    let classes = sweep
        .solutions()
        .first()
        .map_or(0, |s| s.problem().class_count());
    classes * sweep.solutions().len() <= MAX_SWEEP_CSV_CELLS
}

/// The γ-sweep as CSV: `gamma,mu,fe_min,fe_at_p,shannon_q,kl_p_q`, the
/// findings at each γ (`delta_h` = H(Q*) − H(P); `rare_mass_p` and
/// `rare_mass_q`, the probability of the classes rarer than uniform under P
/// and Q*; `over_suppressed`, how many classes are), and then, when
/// [`sweep_csv_has_classes`], `q*` of every class (headed by its label), one
/// line per γ, written a batch of cells at a time (it is [`Piecewise`]).
pub struct SweepCsv {
    sweep: Sweep,
    /// Classes with a `q*` column (none when they are left out).
    classes: usize,
    /// The γ whose line is being written.
    next_gamma: usize,
    /// The classes of that line written so far, once its summary is.
    next_class: Option<usize>,
    /// The text written and not yet taken, one part per batch.
    parts: Vec<String>,
}

impl SweepCsv {
    /// The CSV of `sweep`, its classes named by `labels`.
    pub fn new(sweep: Sweep, labels: &ClassLabels) -> Self {
        let mut out = String::from(
            "gamma,mu,fe_min,fe_at_p,shannon_q,kl_p_q,delta_h,rare_mass_p,rare_mass_q,over_suppressed",
        );
        let classes = match sweep.solutions().first() {
            Some(first) if sweep_csv_has_classes(&sweep) => first.problem().class_count(),
            _ => 0,
        };
        for class in 0..classes {
            let label = labels.get(class).unwrap_or_default();
            out.push(',');
            out.push_str(&label_field(&format!("q[{label}]")));
        }
        out.push('\n');
        SweepCsv {
            sweep,
            classes,
            next_gamma: 0,
            next_class: None,
            parts: vec![out],
        }
    }
}

impl Piecewise for SweepCsv {
    fn advance(&mut self) -> Result<bool, String> {
        let mut budget = SWEEP_CELLS_PER_BATCH;
        let mut out = String::new();
        while let Some(solution) = self.sweep.solutions().get(self.next_gamma) {
            if budget == 0 {
                self.parts.push(out);
                return Ok(false);
            }
            let written = match self.next_class {
                Some(written) => written,
                None => {
                    let at = AtGamma::new(solution);
                    let _ = write!(
                        out,
                        "{},{},{},{},{},{},{},{},{},{}",
                        solution.gamma(),
                        solution.mu(),
                        solution.fe_min(),
                        solution.fe_at_p(),
                        solution.shannon_q(),
                        solution.kl_p_q(),
                        at.entropy.delta,
                        at.rare_mass.mass_p,
                        at.rare_mass.mass_q,
                        at.movement.tail_losers.as_ref().map_or(0, |t| t.count),
                    );
                    // The findings cost about a cell per distinct class.
                    let findings = 10 + solution.problem().distinct_class_count();
                    budget = budget.saturating_sub(findings);
                    0
                }
            };
            let end = (written + budget).min(self.classes);
            for class in written..end {
                let _ = write!(out, ",{}", solution.q(class));
            }
            budget -= end - written;
            if end == self.classes {
                out.push('\n');
                self.next_gamma += 1;
                self.next_class = None;
            } else {
                self.next_class = Some(end);
            }
        }
        self.parts.push(out);
        Ok(true)
    }

    fn fraction_done(&self) -> f64 {
        let line = self.next_class.unwrap_or(0) as f64 / self.classes.max(1) as f64;
        (self.next_gamma as f64 + line) / self.sweep.solutions().len().max(1) as f64
    }

    fn take_written(&mut self) -> Vec<String> {
        std::mem::take(&mut self.parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's CSV, written batch by batch to the end.
    fn table_csv(solution: &Solution, labels: &ClassLabels) -> String {
        let mut csv = TableCsv::new(solution.clone(), labels.clone());
        csv.run_to_end().unwrap();
        csv.take_written().concat()
    }

    /// The γ-sweep's CSV, written batch by batch to the end.
    fn sweep_csv(sweep: &Sweep, labels: &ClassLabels) -> String {
        let mut csv = SweepCsv::new(sweep.clone(), labels);
        csv.run_to_end().unwrap();
        csv.take_written().concat()
    }

    #[test]
    fn large_csvs_are_written_in_batches_with_every_value() {
        let counts: Vec<f64> = (0..3000).map(|i| 1.0 + i as f64).collect();
        let problem = FocalProblem::new(&counts, None).unwrap();
        let labels: ClassLabels = (0..3000).map(|i| format!("c{i}")).collect();
        let solution = problem.solve(2.0).unwrap();
        let mut table = TableCsv::new(solution.clone(), labels.clone());
        let mut shares = vec![table.fraction_done()];
        while !table.advance().unwrap() {
            shares.push(table.fraction_done());
        }
        shares.push(table.fraction_done());
        // 3000 rows in batches of 512: six batches, the share rising to 1.
        assert_eq!(
            shares,
            [0.0, 512.0, 1024.0, 1536.0, 2048.0, 2560.0, 3000.0].map(|n| n / 3000.0)
        );
        let csv = table.take_written().concat();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3001);
        for (class, line) in lines[1..].iter().enumerate() {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(Some(fields[0].into()), labels.get(class));
            assert_eq!(fields[3].parse::<f64>().unwrap(), solution.q(class));
        }
        // Three γ lines of 3000 q* cells, each split over batches of 2048
        // cells (the findings of 3000 distinct classes count as 3010), the
        // text taken batch by batch as the page takes it.
        let sweep = problem.sweep(&gamma_grid(2.0, 3).unwrap()).unwrap();
        let mut writer = SweepCsv::new(sweep.clone(), &labels);
        let mut shares = Vec::new();
        let mut parts = Vec::new();
        while !writer.advance().unwrap() {
            shares.push(writer.fraction_done());
            parts.extend(writer.take_written());
        }
        parts.extend(writer.take_written());
        // Per line: its findings; 2048 cells; the last 952 and the next findings.
        assert_eq!(shares.len(), 6);
        assert!(shares.windows(2).all(|w| w[0] <= w[1]) && shares[5] < 1.0);
        assert_eq!(writer.fraction_done(), 1.0);
        let csv = parts.concat();
        assert_eq!(csv, sweep_csv(&sweep, &labels));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].ends_with(",q[c2998],q[c2999]"));
        for (line, solution) in lines[1..].iter().zip(sweep.solutions()) {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), 10 + 3000);
            assert_eq!(fields[0].parse::<f64>().unwrap(), solution.gamma());
            for (class, field) in fields[10..].iter().enumerate() {
                assert_eq!(field.parse::<f64>().unwrap(), solution.q(class));
            }
        }
    }
    use crate::core::{gamma_grid, solve, FocalProblem};

    #[test]
    fn table_csv_round_trips_every_number() {
        let solution = solve(&[99.0, 1.0, 0.0], 2.0, None).unwrap();
        let labels: ClassLabels = ["cows, brown", "the \"tiger\"", "none"]
            .into_iter()
            .collect();
        let csv = table_csv(&solution, &labels);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "label,count,p,q,q_over_p,regime");
        assert_eq!(
            lines[1],
            format!(
                "\"cows, brown\",99,0.99,{},{},suppressed",
                solution.q(0),
                solution.ratio(0).unwrap()
            )
        );
        assert!(lines[2].starts_with("\"the \"\"tiger\"\"\",1,0.01,"));
        assert_eq!(lines[3], "none,0,0,0,,absent");
        // Labels from a link cannot become spreadsheet formulas.
        let hostile = ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "2024"];
        let balanced = solve(&[1.0; 5], 2.0, None).unwrap();
        let hostile_labels: ClassLabels = hostile.into_iter().collect();
        let csv = table_csv(&balanced, &hostile_labels);
        let cells: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.rsplitn(6, ',').last().unwrap())
            .collect();
        assert_eq!(
            cells,
            [
                "\"'=HYPERLINK(\"\"x\"\")\"",
                "'+1",
                "'-2",
                "'@SUM(A1)",
                "\"2024\""
            ]
        );
        let q: f64 = lines[2].split(',').nth(3).unwrap().parse().unwrap();
        assert_eq!(q, solution.q(1), "shortest round-trip decimals");
    }

    #[test]
    fn the_sweep_csv_leaves_out_class_columns_beyond_its_cells() {
        // 16 000 classes of 3 counts over 256 γ: 4 096 000 cells.
        let counts: Vec<f64> = (0..16_000).map(|i| (i % 3 + 1) as f64).collect();
        let problem = FocalProblem::new(&counts, None).unwrap();
        let sweep = problem.sweep(&gamma_grid(20.0, 256).unwrap()).unwrap();
        assert!(!sweep_csv_has_classes(&sweep));
        let labels: ClassLabels = (0..16_000).map(|i| format!("c{i}")).collect();
        let csv = sweep_csv(&sweep, &labels);
        assert_eq!(csv.lines().count(), 257);
        assert!(csv.lines().all(|line| line.split(',').count() == 10));
        let fewer = problem.sweep(&gamma_grid(20.0, 250).unwrap()).unwrap();
        assert!(sweep_csv_has_classes(&fewer));
        assert_eq!(
            sweep_csv(&fewer, &labels)
                .lines()
                .next()
                .unwrap()
                .split(',')
                .count(),
            16_010
        );
    }

    #[test]
    fn sweep_csv_has_a_line_per_gamma() {
        let problem = FocalProblem::new(&[3.0, 1.0], None).unwrap();
        let sweep = problem.sweep(&gamma_grid(2.0, 5).unwrap()).unwrap();
        let csv = sweep_csv(&sweep, &["a", "b"].into_iter().collect());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(
            lines[0],
            "gamma,mu,fe_min,fe_at_p,shannon_q,kl_p_q,delta_h,rare_mass_p,rare_mass_q,over_suppressed,q[a],q[b]"
        );
        assert!(lines[1].starts_with("0,1,"));
        // γ = 0: nothing moves, the rare class keeps its quarter.
        assert!(
            lines[1].ends_with(",0,0.25,0.25,0,0.75,0.25"),
            "{}",
            lines[1]
        );
        let last: Vec<f64> = lines[5].split(',').map(|v| v.parse().unwrap()).collect();
        let at_two = &sweep.solutions()[4];
        assert_eq!(last[0], 2.0);
        assert_eq!(last[6], at_two.shannon_q() - at_two.shannon_p());
        assert!(last[6] > 0.0, "two classes: the entropy rises");
        assert_eq!((last[7], last[8]), (0.25, at_two.q(1)));
        assert_eq!(last[9], 0.0);
        assert_eq!(last[11], at_two.q(1));
    }
}
