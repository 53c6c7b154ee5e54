//! The `focal` command-line tool: argument parsing, solving and printing, kept
//! in the library so that it is unit-tested; `src/bin/focal.rs` only calls [`run`].

use std::fmt;
use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use crate::core::{FocalError, FocalProblem, Solution, MAX_GAMMA};
use crate::state::classes::{entries_from_json, is_json, parse_class_list, ParseError};
use crate::state::config::{ClassLabels, ClassRow, Units};
use crate::state::findings::AtGamma;
use crate::state::format::format_significant;
use crate::state::narrative::{captions, rare_mass_sentence};

/// Most γ values one sweep may have.
pub const MAX_SWEEP_POINTS: usize = 100_001;

/// Usage text printed by `--help`.
pub const USAGE: &str = "\
focal: the exact focal-entropy minimiser Q* of a class distribution

usage:
  focal [solve] --counts 99,1 --gamma 2 [--alpha 1,1] [--json]
  focal [solve] --counts-file classes.csv --gammas 0:10:0.5 [--alpha ...] [--json]
  focal invert --gamma 2 --probs 0.8,0.15,0.05 [--alpha ...] [--json]
  focal invert --gamma 2 --probs-file preds.csv [--alpha ...] [--json]

solve: the distribution Q* that focal loss drives a model toward, for class counts.
invert: back from a focal-trained model's outputs Q to class-posterior probabilities P
  (one CSV row per example, K columns, optional header; one row out per row in).

  --counts LIST         class counts separated by commas
  --counts-file FILE    one class per line: `count` or `label,count`
  --gamma G             focal parameter, 0 to 100
  --gammas A:B:STEP     a sweep from A to B (inclusive) in steps of STEP
  --alpha LIST          α weights, one per class (α-balanced focal loss)
  --probs LIST          invert: one row of model outputs, separated by commas
  --probs-file FILE     invert: a CSV of model outputs, one row per example (- for stdin)
  --json                one JSON object per γ (solve) or per row (invert)
  -h, --help            this text
  -V, --version         the version

Values can follow their option as the next argument or after `=` (--gamma=2).
";

/// The version printed by `--version`.
pub const VERSION: &str = concat!("focal ", env!("CARGO_PKG_VERSION"), "\n");

mod invert;
pub use invert::{run_invert, InvertOptions, InvertSummary, ProbsSource};

/// What went wrong on the command line; printed as one line, exit status 2.
#[derive(Debug, Clone, PartialEq)]
pub enum CliError {
    /// An argument is unknown, repeated, missing its value or missing.
    Usage(String),
    /// The class list could not be read.
    Parse(ParseError),
    /// The counts file could not be opened.
    File(String),
    /// The core rejected the input.
    Focal(FocalError),
    /// Standard output could not be written (a closed pipe is not reported).
    Output(std::io::ErrorKind),
    /// A line of an input file is wrong (1-based line number).
    Line {
        /// The line.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(message) => write!(f, "{message} (see focal --help)"),
            CliError::Parse(error) => write!(f, "counts: {error}"),
            CliError::File(message) => write!(f, "{message}"),
            CliError::Focal(error) => write!(f, "{error}"),
            CliError::Output(kind) => write!(f, "cannot write the output: {kind}"),
            CliError::Line { line, message } => write!(f, "line {line}: {message}"),
        }
    }
}

impl From<lexopt::Error> for CliError {
    fn from(error: lexopt::Error) -> Self {
        CliError::Usage(error.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        CliError::Output(error.kind())
    }
}

impl From<FocalError> for CliError {
    fn from(error: FocalError) -> Self {
        CliError::Focal(error)
    }
}

/// Where the classes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum CountsSource {
    /// A comma-separated list on the command line.
    Inline(String),
    /// A file of `count` or `label,count` lines.
    File(String),
}

/// The γ values to solve at.
#[derive(Debug, Clone, PartialEq)]
pub enum Gammas {
    /// One γ.
    Single(f64),
    /// `start:stop:step`, inclusive of both ends.
    Sweep {
        /// First γ.
        start: f64,
        /// Last γ.
        stop: f64,
        /// Spacing.
        step: f64,
    },
}

impl Gammas {
    /// The γ values in increasing order.
    pub fn values(&self) -> Vec<f64> {
        match *self {
            Gammas::Single(gamma) => vec![gamma],
            Gammas::Sweep { start, stop, step } => {
                let intervals = ((stop - start) / step + 1e-9).floor() as usize;
                (0..=intervals)
                    .map(|i| (start + i as f64 * step).min(stop))
                    .collect()
            }
        }
    }
}

/// Parsed command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The classes.
    pub counts: CountsSource,
    /// The γ grid.
    pub gammas: Gammas,
    /// α weights, if given.
    pub alpha: Option<Vec<f64>>,
    /// JSON lines instead of a table.
    pub json: bool,
}

/// The result of parsing: a subcommand (`solve` when none is named) or help.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Solve with these options.
    Solve(Options),
    /// Turn model outputs back into class posteriors.
    Invert(InvertOptions),
    /// `--help` was given.
    Help,
    /// `--version` was given.
    Version,
}

fn number(flag: &str, text: &str) -> Result<f64, CliError> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| CliError::Usage(format!("{flag}: “{text}” is not a number")))
}

fn number_list(flag: &str, text: &str) -> Result<Vec<f64>, CliError> {
    text.split(',').map(|part| number(flag, part)).collect()
}

fn parse_sweep(text: &str) -> Result<Gammas, CliError> {
    let parts: Vec<&str> = text.split(':').collect();
    let [start, stop, step] = parts.as_slice() else {
        return Err(CliError::Usage(format!(
            "--gammas: “{text}” is not of the form start:stop:step"
        )));
    };
    let (start, stop, step) = (
        number("--gammas", start)?,
        number("--gammas", stop)?,
        number("--gammas", step)?,
    );
    if !(start.is_finite() && stop.is_finite() && step.is_finite() && step > 0.0 && stop >= start) {
        return Err(CliError::Usage(
            "--gammas: need finite start ≤ stop and a positive step".into(),
        ));
    }
    if (stop - start) / step >= MAX_SWEEP_POINTS as f64 {
        return Err(CliError::Usage(format!(
            "--gammas: more than {MAX_SWEEP_POINTS} points"
        )));
    }
    for gamma in [start, stop] {
        crate::core::error::validate_gamma(gamma)?;
    }
    Ok(Gammas::Sweep { start, stop, step })
}

/// Sets an option that may be given once.
fn once<T>(slot: &mut Option<T>, what: &str, value: T) -> Result<(), CliError> {
    if slot.replace(value).is_some() {
        return Err(CliError::Usage(format!("{what} given twice")));
    }
    Ok(())
}

/// Parses the arguments after the program name.
pub fn parse_args<I>(args: I) -> Result<Command, CliError>
where
    I: IntoIterator,
    I::Item: Into<std::ffi::OsString>,
{
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut counts, mut gammas, mut alpha, mut probs) = (None, None, None, None);
    let mut json = false;
    let mut inverting = false;
    let mut first = true;
    while let Some(argument) = parser.next()? {
        let text = |parser: &mut lexopt::Parser| -> Result<String, CliError> {
            Ok(parser.value()?.string()?)
        };
        match argument {
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Value(name) if first && name == "solve" => {}
            Value(name) if first && name == "invert" => inverting = true,
            Long("json") => json = true,
            Long("counts") => once(
                &mut counts,
                "counts",
                CountsSource::Inline(text(&mut parser)?),
            )?,
            Long("counts-file") => once(
                &mut counts,
                "counts",
                CountsSource::File(text(&mut parser)?),
            )?,
            Long("probs") => once(
                &mut probs,
                "probabilities",
                ProbsSource::Inline(text(&mut parser)?),
            )?,
            Long("probs-file") => once(
                &mut probs,
                "probabilities",
                ProbsSource::File(text(&mut parser)?),
            )?,
            Long("gamma") => {
                let gamma = number("--gamma", &text(&mut parser)?)?;
                once(&mut gammas, "γ", Gammas::Single(gamma))?
            }
            Long("gammas") => once(&mut gammas, "γ", parse_sweep(&text(&mut parser)?)?)?,
            Long("alpha") => once(
                &mut alpha,
                "--alpha",
                number_list("--alpha", &text(&mut parser)?)?,
            )?,
            other => return Err(other.unexpected().into()),
        }
        first = false;
    }
    let usage = |message: &str| CliError::Usage(message.into());
    if inverting {
        if counts.is_some() {
            return Err(usage(
                "focal invert reads --probs or --probs-file, not counts",
            ));
        }
        let gamma = match gammas {
            Some(Gammas::Single(gamma)) => gamma,
            Some(Gammas::Sweep { .. }) => return Err(usage("focal invert takes one --gamma")),
            None => return Err(usage("give --gamma")),
        };
        return Ok(Command::Invert(InvertOptions {
            probs: probs.ok_or_else(|| usage("give --probs or --probs-file"))?,
            gamma,
            alpha,
            json,
        }));
    }
    if probs.is_some() {
        return Err(usage("--probs and --probs-file belong to focal invert"));
    }
    Ok(Command::Solve(Options {
        counts: counts.ok_or_else(|| usage("give --counts or --counts-file"))?,
        gammas: gammas.ok_or_else(|| usage("give --gamma or --gammas"))?,
        alpha,
        json,
    }))
}

/// One solve as the documented JSON object.
#[derive(Debug, Serialize)]
pub struct SolveReport<'a> {
    /// Class counts as given.
    pub counts: &'a [f64],
    /// γ.
    pub gamma: f64,
    /// Data distribution P.
    pub p: Vec<f64>,
    /// Reshaped distribution Q*.
    pub q: Vec<f64>,
    /// Lagrange multiplier μ.
    pub mu: f64,
    /// FE_γ(P, Q*) in nats.
    pub fe_min: f64,
    /// FE_γ(P, P) in nats.
    pub fe_at_p: f64,
    /// H(P) in nats.
    pub shannon_p: f64,
    /// H(Q*) in nats.
    pub shannon_q: f64,
    /// KL(P‖Q*) in nats.
    pub kl_p_q: f64,
    /// Regime name of each class.
    pub regime: Vec<&'static str>,
    /// Who gains and loses, the entropy change, the rare classes' mass.
    pub findings: AtGamma,
}

impl<'a> SolveReport<'a> {
    /// Collects the report of a solution.
    pub fn new(solution: &'a Solution) -> Self {
        SolveReport {
            counts: solution.problem().counts(),
            gamma: solution.gamma(),
            p: solution.p_all(),
            q: solution.q_all(),
            mu: solution.mu(),
            fe_min: solution.fe_min(),
            fe_at_p: solution.fe_at_p(),
            shannon_p: solution.shannon_p(),
            shannon_q: solution.shannon_q(),
            kl_p_q: solution.kl_p_q(),
            regime: solution.regimes().into_iter().map(|r| r.name()).collect(),
            findings: AtGamma::new(solution),
        }
    }
}

/// Formats a number with 6 significant digits for the table (as the page does).
fn significant(value: f64) -> String {
    format_significant(value, 6)
}

/// An aligned, readable table of one solve of `classes` (a class without a
/// label of its own shown by its number), then the findings at its γ in words.
pub fn format_table(solution: &Solution, classes: &Arc<Vec<ClassRow>>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "γ = {}   μ = {}   FE(P,Q*) = {}   FE(P,P) = {}   H(P) = {}   H(Q*) = {}   KL(P‖Q*) = {}   (nats)",
        solution.gamma(),
        significant(solution.mu()),
        significant(solution.fe_min()),
        significant(solution.fe_at_p()),
        significant(solution.shannon_p()),
        significant(solution.shannon_q()),
        significant(solution.kl_p_q()),
    );
    let header = ["class", "count", "p", "q*", "q*/p", "regime"];
    let rows: Vec<[String; 6]> = (0..solution.problem().class_count())
        .map(|class| {
            [
                classes
                    .get(class)
                    .and_then(|c| c.label.clone())
                    .unwrap_or_else(|| (class + 1).to_string()),
                solution.problem().counts()[class].to_string(),
                significant(solution.p(class)),
                significant(solution.q(class)),
                solution.ratio(class).map_or("—".into(), significant),
                solution.regime(class).name().to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .chain([header[column].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, &width))| {
                let pad = " ".repeat(width - cell.chars().count());
                if column == 0 || column == 5 {
                    format!("{cell}{pad}")
                } else {
                    format!("{pad}{cell}")
                }
            })
            .collect();
        let _ = writeln!(out, "{}", padded.join("  ").trim_end());
    };
    line(&header.map(String::from));
    for row in &rows {
        line(row);
    }
    let names = ClassLabels::of(Arc::clone(classes));
    let at = AtGamma::new(solution);
    out.push('\n');
    for sentence in captions(&at, None, &names, Units::Nats)
        .into_iter()
        .chain([rare_mass_sentence(&at)])
    {
        let _ = writeln!(out, "{sentence}");
    }
    out
}

/// Reads the classes of the options.
fn read_classes(source: &CountsSource) -> Result<Vec<ClassRow>, CliError> {
    let text = match source {
        CountsSource::Inline(text) => text.clone(),
        CountsSource::File(path) => std::fs::read_to_string(path)
            .map_err(|error| CliError::File(format!("cannot read {path}: {error}")))?,
    };
    if is_json(&text) {
        return classes_from_json(&text);
    }
    parse_class_list(&text).map_err(CliError::Parse)
}

/// Classes from a JSON counts file: an array of counts, or an object mapping
/// each label to its count (in the file's order).
fn classes_from_json(text: &str) -> Result<Vec<ClassRow>, CliError> {
    let failed = |message: String| CliError::File(format!("counts file: {message}"));
    let value: serde_json::Value = serde_json::from_str(text).map_err(|error| {
        failed(format!(
            "not valid JSON (line {}, column {})",
            error.line(),
            error.column()
        ))
    })?;
    entries_from_json(&value).map_err(failed)
}

/// Solves as the options say and writes the result to `out` as it goes: one
/// table (or JSON line) per γ, so a long sweep streams and a closed pipe
/// stops the work at the next write.
pub fn run(options: &Options, out: &mut impl std::io::Write) -> Result<(), CliError> {
    let classes = Arc::new(read_classes(&options.counts)?);
    let counts: Vec<f64> = classes.iter().map(|c| c.count).collect();
    let problem = FocalProblem::new(&counts, options.alpha.as_deref())?;
    let mut previous: Option<Solution> = None;
    for gamma in options.gammas.values() {
        if gamma > MAX_GAMMA {
            return Err(FocalError::InvalidGamma { value: gamma }.into());
        }
        let solution = match &previous {
            Some(nearby) => problem.solve_near(gamma, nearby)?,
            None => problem.solve(gamma)?,
        };
        if options.json {
            serde_json::to_writer(&mut *out, &SolveReport::new(&solution))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        } else {
            if previous.is_some() {
                writeln!(out)?;
            }
            out.write_all(format_table(&solution, &classes).as_bytes())?;
        }
        previous = Some(solution);
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    fn options(text: &str) -> Options {
        match parse_args(args(text)).unwrap() {
            Command::Solve(options) => options,
            other => panic!("{other:?}"),
        }
    }

    /// What `run` writes, as text.
    fn output(options: &Options) -> Result<String, CliError> {
        let mut out = Vec::new();
        run(options, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn parses_a_single_solve() {
        let parsed = options("--counts 99,1 --gamma 2 --alpha 1,3 --json");
        assert_eq!(parsed.counts, CountsSource::Inline("99,1".into()));
        assert_eq!(parsed.gammas, Gammas::Single(2.0));
        assert_eq!(parsed.alpha, Some(vec![1.0, 3.0]));
        assert!(parsed.json);
    }

    #[test]
    fn sweep_grid_includes_both_ends() {
        let parsed = options("--counts 1,2 --gammas 0:10:0.5");
        let values = parsed.gammas.values();
        assert_eq!(values.len(), 21);
        assert_eq!(values[0], 0.0);
        assert_eq!(values[20], 10.0);
        assert_eq!(values[3], 1.5);
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        for (bad, message) in [
            (
                "--counts 1,2",
                "give --gamma or --gammas (see focal --help)",
            ),
            (
                "--gamma 2",
                "give --counts or --counts-file (see focal --help)",
            ),
            (
                "--counts 1,2 --gamma x",
                "--gamma: “x” is not a number (see focal --help)",
            ),
            (
                "--counts 1,2 --gammas 0:1",
                "--gammas: “0:1” is not of the form start:stop:step (see focal --help)",
            ),
            (
                "--counts 1,2 --gammas 5:1:1",
                "--gammas: need finite start ≤ stop and a positive step (see focal --help)",
            ),
            (
                "--counts 1,2 --gammas 0:200:1",
                "γ = 200 is not allowed; γ must be a number from 0 to 100",
            ),
            (
                "--counts 1,2 --gamma 1 --frobnicate",
                "invalid option '--frobnicate' (see focal --help)",
            ),
            (
                "--counts 1,2 --gamma 1 --gamma 2",
                "γ given twice (see focal --help)",
            ),
            (
                "--counts",
                "missing argument for option '--counts' (see focal --help)",
            ),
            (
                "--counts 1,2 --gamma 1 extra",
                "unexpected argument \"extra\" (see focal --help)",
            ),
        ] {
            let error = parse_args(args(bad)).unwrap_err();
            assert_eq!(error.to_string(), message, "{bad}");
        }
    }

    #[test]
    fn values_after_equals_signs_help_version_and_the_solve_subcommand() {
        let parsed = options("--counts=99,1 --gamma=2 --alpha=1,3");
        assert_eq!(parsed.counts, CountsSource::Inline("99,1".into()));
        assert_eq!(parsed.gammas, Gammas::Single(2.0));
        assert_eq!(parsed.alpha, Some(vec![1.0, 3.0]));
        assert_eq!(
            options("solve --counts 99,1 --gamma 2"),
            options("--counts 99,1 --gamma 2")
        );
        assert_eq!(
            parse_args(args("--counts 1 --version")).unwrap(),
            Command::Version
        );
        assert_eq!(parse_args(args("-V")).unwrap(), Command::Version);
        assert_eq!(parse_args(args("--gamma 1 -h")).unwrap(), Command::Help);
        assert!(VERSION.starts_with("focal 0."));
    }

    /// A writer whose reader has gone away after `room` bytes.
    struct ClosedAfter {
        room: usize,
    }

    impl std::io::Write for ClosedAfter {
        fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            let taken = buffer.len().min(self.room);
            self.room -= taken;
            Ok(taken)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_stops_the_sweep_with_a_typed_error() {
        let sweep = options("--counts 99,1 --gammas 0:100:0.01 --json");
        let error = run(&sweep, &mut ClosedAfter { room: 500 }).unwrap_err();
        assert_eq!(error, CliError::Output(std::io::ErrorKind::BrokenPipe));
    }

    #[test]
    fn json_has_the_documented_fields_and_values() {
        let out = output(&options("--counts 3,1 --gamma 0 --json")).unwrap();
        let value: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(value["counts"], serde_json::json!([3.0, 1.0]));
        assert_eq!(value["p"], serde_json::json!([0.75, 0.25]));
        assert_eq!(value["q"], serde_json::json!([0.75, 0.25]));
        assert_eq!(value["mu"], serde_json::json!(1.0));
        let rare = &value["findings"]["rare_mass"];
        assert_eq!(rare["mass_p"], serde_json::json!(0.25));
        assert_eq!(rare["direction"], "unchanged");
        assert_eq!(
            value["findings"]["entropy"]["delta"],
            serde_json::json!(0.0)
        );
        assert_eq!(
            value["regime"],
            serde_json::json!(["unchanged", "unchanged"])
        );
        for key in [
            "fe_min",
            "fe_at_p",
            "shannon_p",
            "shannon_q",
            "kl_p_q",
            "gamma",
        ] {
            assert!(value[key].is_number(), "{key}");
        }
        let h = -(0.75f64 * 0.75f64.ln() + 0.25 * 0.25f64.ln());
        assert!((value["shannon_p"].as_f64().unwrap() - h).abs() < 1e-15);
    }

    #[test]
    fn sweep_prints_one_object_per_gamma() {
        let out = output(&options("--counts 99,1 --gammas 0:2:0.5 --json")).unwrap();
        let gammas: Vec<f64> = out
            .lines()
            .map(|line| {
                serde_json::from_str::<serde_json::Value>(line).unwrap()["gamma"]
                    .as_f64()
                    .unwrap()
            })
            .collect();
        assert_eq!(gammas, vec![0.0, 0.5, 1.0, 1.5, 2.0]);
    }

    #[test]
    fn table_is_aligned_and_labelled() {
        let out = output(&options("--counts cows,x --gamma 2")).unwrap_err();
        assert!(matches!(out, CliError::Parse(_)));
        let classes = Arc::new(vec![
            ClassRow::new("cows", 99.0),
            ClassRow::new("tiger", 1.0),
        ]);
        let solution = crate::core::solve(&[99.0, 1.0], 2.0, None).unwrap();
        let table = format_table(&solution, &classes);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("γ = 2"));
        assert!(lines[1].starts_with("class"));
        assert!(lines[2].starts_with("cows "));
        assert!(lines[3].starts_with("tiger"));
        assert!(lines[3].ends_with("amplified"));
        assert!(lines[2].ends_with("suppressed"));
        assert_eq!(lines[4], "");
        assert_eq!(
            lines[5],
            "At γ = 2, tiger (frequency rank 2 of 2) gains 1436%; cows (frequency rank 1 of 2) loses 15%. In all, 14.4% of the probability changes hands."
        );
        assert!(lines[7].contains("above H(P)"), "{}", lines[7]);
        assert!(lines[8].contains("toward the rare classes"), "{}", lines[8]);
        // A step imbalance: the summary says the majority gains.
        let mut step = vec![5000.0; 5];
        step.extend([50.0; 5]);
        let unlabelled = Arc::new(step.iter().map(|&c| ClassRow::unlabelled(c)).collect());
        let table = format_table(&crate::core::solve(&step, 2.0, None).unwrap(), &unlabelled);
        assert!(
            table.contains("5 classes (tied at frequency rank 1 of 10) gain 0.12%"),
            "{table}"
        );
        assert!(table.contains("away from the rare classes"), "{table}");
    }

    #[test]
    fn json_counts_files_keep_their_order_and_labels() {
        let directory = std::env::temp_dir();
        let write = |name: &str, text: &str| {
            let path = directory.join(format!("focal-{}-{name}", std::process::id()));
            std::fs::write(&path, text).unwrap();
            path.to_string_lossy().into_owned()
        };
        let object = write("object.json", r#"{"tiger": 1, "cows": 99, "ants": 0}"#);
        let classes = read_classes(&CountsSource::File(object.clone())).unwrap();
        let labels: Vec<Option<&str>> = classes.iter().map(|c| c.label.as_deref()).collect();
        assert_eq!(labels, [Some("tiger"), Some("cows"), Some("ants")]);
        assert_eq!(classes[1].count, 99.0);
        let array = write("array.json", " [5000, 2997, 50]");
        let counts: Vec<f64> = read_classes(&CountsSource::File(array.clone()))
            .unwrap()
            .iter()
            .map(|c| c.count)
            .collect();
        assert_eq!(counts, [5000.0, 2997.0, 50.0]);
        let bad = write("bad.json", "{\"a\": \"many\"}");
        assert_eq!(
            read_classes(&CountsSource::File(bad.clone()))
                .unwrap_err()
                .to_string(),
            "counts file: the count of “a” is \"many\", not a number"
        );
        let broken = write("broken.json", "[1, 2,\n 3");
        assert_eq!(
            read_classes(&CountsSource::File(broken.clone()))
                .unwrap_err()
                .to_string(),
            "counts file: not valid JSON (line 2, column 2)"
        );
        for path in [object, array, bad, broken] {
            std::fs::remove_file(path).unwrap();
        }
    }

    #[test]
    fn one_class_at_gamma_zero_has_mu_one() {
        let out = output(&options("--counts 7 --gamma 0 --json")).unwrap();
        let value: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(value["mu"], serde_json::json!(1.0));
        let above = output(&options("--counts 7 --gamma 0.5 --json")).unwrap();
        let value: serde_json::Value = serde_json::from_str(above.trim()).unwrap();
        assert_eq!(value["mu"], serde_json::json!(0.0));
    }
}
