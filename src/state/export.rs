//! CSV exports with full precision: every number is written as the shortest
//! decimal that reads back to the same f64 (Rust's `{}` formatting).

use crate::core::{Solution, Sweep};

use super::classes::label_field;
use super::findings::AtGamma;

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

/// The per-class table: `label,count,p,q,q_over_p,regime`, one line per class.
pub fn table_csv(solution: &Solution, labels: &[String]) -> String {
    let mut out = String::from("label,count,p,q,q_over_p,regime\n");
    for (class, count) in solution.problem().counts().iter().enumerate() {
        let label = labels.get(class).map_or("", String::as_str);
        let ratio = solution
            .ratio(class)
            .map_or(String::new(), |r| format!("{r}"));
        out.push_str(&format!(
            "{},{count},{},{},{ratio},{}\n",
            label_cell(label),
            solution.p(class),
            solution.q(class),
            solution.regime(class).name()
        ));
    }
    out
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

/// The γ-sweep: `gamma,mu,fe_min,fe_at_p,shannon_q,kl_p_q`, the findings at
/// each γ (`delta_h` = H(Q*) − H(P); `rare_mass_p` and `rare_mass_q`, the
/// probability of the classes rarer than uniform under P and Q*;
/// `over_suppressed`, how many classes are), and then, when
/// [`sweep_csv_has_classes`], `q*` of every class (headed by its label), one
/// line per γ.
pub fn sweep_csv(sweep: &Sweep, labels: &[String]) -> String {
    let mut out = String::from(
        "gamma,mu,fe_min,fe_at_p,shannon_q,kl_p_q,delta_h,rare_mass_p,rare_mass_q,over_suppressed",
    );
    let with_classes = sweep_csv_has_classes(sweep);
    let labels = if with_classes { labels } else { &[] };
    for label in labels {
        out.push(',');
        out.push_str(&label_field(&format!("q[{label}]")));
    }
    out.push('\n');
    for solution in sweep.solutions() {
        let at = AtGamma::new(solution);
        out.push_str(&format!(
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
        ));
        if with_classes {
            for class in 0..solution.problem().class_count() {
                out.push_str(&format!(",{}", solution.q(class)));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{gamma_grid, solve, FocalProblem};

    #[test]
    fn table_csv_round_trips_every_number() {
        let solution = solve(&[99.0, 1.0, 0.0], 2.0, None).unwrap();
        let labels = vec![
            "cows, brown".to_string(),
            "the \"tiger\"".to_string(),
            "none".to_string(),
        ];
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
        let hostile_labels: Vec<String> = hostile.iter().map(|l| l.to_string()).collect();
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
        let labels: Vec<String> = (0..16_000).map(|i| format!("c{i}")).collect();
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
        let csv = sweep_csv(&sweep, &["a".into(), "b".into()]);
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
