//! `focal invert`: a focal-trained model's outputs back to class-posterior
//! probabilities, one row in and one row out, streamed (see `core::inverse`).

use std::io::{BufRead, Write};

use serde::Serialize;

use super::CliError;
use crate::core::invert;
use crate::state::outputs::{column_count, is_header, read_row};

/// Where the model outputs come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbsSource {
    /// One row on the command line, comma-separated.
    Inline(String),
    /// A CSV file (`-` for standard input): one row per example, K columns,
    /// an optional header.
    File(String),
}

/// Parsed `focal invert` command line.
#[derive(Debug, Clone, PartialEq)]
pub struct InvertOptions {
    /// The model outputs.
    pub probs: ProbsSource,
    /// γ the model was trained with.
    pub gamma: f64,
    /// α weights it was trained with, if any.
    pub alpha: Option<Vec<f64>>,
    /// One JSON object per row instead of CSV.
    pub json: bool,
}

/// What a run did, for the closing note on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InvertSummary {
    /// Rows inverted.
    pub rows: usize,
    /// Rows that summed to 1 only within 1e-6 and were renormalised.
    pub renormalised: usize,
}

/// One inverted row as the documented JSON object.
#[derive(Serialize)]
struct InvertReport<'a> {
    gamma: f64,
    q: &'a [f64],
    p: &'a [f64],
    #[serde(skip_serializing_if = "Option::is_none")]
    alpha: Option<&'a [f64]>,
}

/// Lines handed to the workers at a time.
const BATCH_LINES: usize = 16_384;

/// One line of input with its 1-based number.
type NumberedLine = (usize, String);

/// Inverts a slice of lines into output text: one row per non-blank line
/// (CSV, or JSON with `json`), and the count of renormalised rows.
fn invert_batch(
    options: &InvertOptions,
    columns: usize,
    lines: &[NumberedLine],
) -> Result<(String, usize), CliError> {
    let mut text = String::with_capacity(lines.len() * columns * 20);
    let mut renormalised = 0;
    let mut row: Vec<f64> = Vec::with_capacity(columns);
    let mut decimals = ryu::Buffer::new();
    for (line_number, line) in lines {
        let failed = |message: String| CliError::Line {
            line: *line_number,
            message,
        };
        read_row(line, columns, &mut row).map_err(failed)?;
        let inversion = invert(&row, options.gamma, options.alpha.as_deref())
            .map_err(|error| failed(error.to_string()))?;
        renormalised += usize::from(inversion.renormalised);
        if options.json {
            let report = InvertReport {
                gamma: options.gamma,
                q: &row,
                p: &inversion.p,
                alpha: options.alpha.as_deref(),
            };
            // Plain numbers serialise without fail.
            text.push_str(&serde_json::to_string(&report).unwrap_or_default());
        } else {
            for (column, &p) in inversion.p.iter().enumerate() {
                if column > 0 {
                    text.push(',');
                }
                // Shortest round-trip decimals, as everywhere; ryu writes
                // them several times faster than `{}` (millions of them).
                text.push_str(decimals.format(p));
            }
        }
        text.push('\n');
    }
    Ok((text, renormalised))
}

/// Reads up to [`BATCH_LINES`] non-blank lines into `batch`, reusing its
/// strings; returns whether input remains.
fn read_batch(
    input: &mut impl BufRead,
    batch: &mut Vec<NumberedLine>,
    line_number: &mut usize,
) -> Result<bool, CliError> {
    batch.clear();
    let mut line = String::new();
    while batch.len() < BATCH_LINES {
        line.clear();
        let read = input.read_line(&mut line).map_err(|error| CliError::Line {
            line: *line_number + 1,
            message: format!("cannot be read ({error})"),
        })?;
        if read == 0 {
            return Ok(false);
        }
        *line_number += 1;
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            batch.push((*line_number, trimmed.to_string()));
        }
    }
    Ok(true)
}

/// Reads the rows from `input` and writes one row of posteriors per row of
/// outputs to `out`, in order, batch by batch; each batch is shared among
/// the machine's cores (rows are independent). A first line that is not all
/// numbers is a header: it is written back unchanged (in CSV), so the
/// columns keep their names. Errors name the (first) bad line.
pub fn invert_rows(
    options: &InvertOptions,
    mut input: impl BufRead,
    out: &mut impl Write,
) -> Result<InvertSummary, CliError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    let mut summary = InvertSummary::default();
    let mut batch: Vec<NumberedLine> = Vec::new();
    let mut line_number = 0;
    let mut columns: Option<usize> = None;
    let mut more = true;
    while more {
        more = read_batch(&mut input, &mut batch, &mut line_number)?;
        let mut lines = batch.as_slice();
        if columns.is_none() {
            let Some((_, first)) = lines.first() else {
                continue;
            };
            columns = Some(column_count(first));
            if is_header(first) {
                if !options.json {
                    writeln!(out, "{first}")?;
                }
                lines = &lines[1..];
            }
        }
        let columns = columns.unwrap_or_default();
        let chunk = lines.len().div_ceil(workers).max(1);
        let results: Vec<Result<(String, usize), CliError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = lines
                .chunks(chunk)
                .map(|part| scope.spawn(move || invert_batch(options, columns, part)))
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|_| Err(CliError::Usage("a worker thread failed".into())))
                })
                .collect()
        });
        for (part, result) in lines.chunks(chunk).zip(results) {
            let (text, renormalised) = result?;
            out.write_all(text.as_bytes())?;
            summary.rows += part.len();
            summary.renormalised += renormalised;
        }
    }
    if summary.rows == 0 {
        return Err(CliError::Usage(
            "no rows of model outputs were given".into(),
        ));
    }
    out.flush()?;
    Ok(summary)
}

/// Runs `focal invert` on its source of outputs.
pub fn run_invert(
    options: &InvertOptions,
    out: &mut impl Write,
) -> Result<InvertSummary, CliError> {
    match &options.probs {
        ProbsSource::Inline(text) => invert_rows(options, text.as_bytes(), out),
        ProbsSource::File(path) if path == "-" => {
            invert_rows(options, std::io::stdin().lock(), out)
        }
        ProbsSource::File(path) => {
            let file = std::fs::File::open(path)
                .map_err(|error| CliError::File(format!("cannot read {path}: {error}")))?;
            invert_rows(options, std::io::BufReader::new(file), out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{parse_args, Command};

    fn options(text: &str) -> InvertOptions {
        let args: Vec<String> = text.split_whitespace().map(String::from).collect();
        match parse_args(args).unwrap() {
            Command::Invert(options) => options,
            other => panic!("{other:?}"),
        }
    }

    fn run(options: &InvertOptions, input: &str) -> Result<(String, InvertSummary), CliError> {
        let mut out = Vec::new();
        let summary = invert_rows(options, input.as_bytes(), &mut out)?;
        Ok((String::from_utf8(out).unwrap(), summary))
    }

    #[test]
    fn parses_the_subcommand() {
        let parsed = options("invert --gamma=2 --probs 0.8,0.15,0.05 --alpha 1,2,3 --json");
        assert_eq!(parsed.gamma, 2.0);
        assert_eq!(parsed.probs, ProbsSource::Inline("0.8,0.15,0.05".into()));
        assert_eq!(parsed.alpha, Some(vec![1.0, 2.0, 3.0]));
        assert!(parsed.json);
        let usage = |text: &str| {
            let args: Vec<String> = text.split_whitespace().map(String::from).collect();
            parse_args(args).unwrap_err().to_string()
        };
        assert_eq!(
            usage("invert --probs 0.5,0.5"),
            "give --gamma (see focal --help)"
        );
        assert_eq!(
            usage("invert --gamma 1 --counts 1,2"),
            "focal invert reads --probs or --probs-file, not counts (see focal --help)"
        );
        assert_eq!(
            usage("--gamma 1 --probs 0.5,0.5"),
            "--probs and --probs-file belong to focal invert (see focal --help)"
        );
    }

    #[test]
    fn one_row_in_one_row_out_with_the_header_kept() {
        let csv = "cat,dog,bird\n0.8,0.15,0.05\n\n0.5,0.3,0.2\n";
        let (text, summary) = run(&options("invert --gamma 2 --probs-file x"), csv).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "cat,dog,bird");
        let first: Vec<f64> = lines[1].split(',').map(|v| v.parse().unwrap()).collect();
        assert_eq!(first, invert(&[0.8, 0.15, 0.05], 2.0, None).unwrap().p);
        assert_eq!(
            summary,
            InvertSummary {
                rows: 2,
                renormalised: 0
            }
        );
    }

    #[test]
    fn json_rows_carry_gamma_q_p_and_alpha() {
        let (text, _) = run(
            &options("invert --gamma 2 --probs x --alpha 1,3 --json"),
            "0.6,0.4",
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(value["gamma"], serde_json::json!(2.0));
        assert_eq!(value["q"], serde_json::json!([0.6, 0.4]));
        assert_eq!(value["alpha"], serde_json::json!([1.0, 3.0]));
        let p = invert(&[0.6, 0.4], 2.0, Some(&[1.0, 3.0])).unwrap().p;
        assert_eq!(value["p"], serde_json::json!(p));
        let (plain, _) = run(&options("invert --gamma 2 --probs x --json"), "0.6,0.4").unwrap();
        assert!(!plain.contains("alpha"));
    }

    #[test]
    fn errors_name_the_line_and_near_rows_are_counted() {
        let invert_options = options("invert --gamma 2 --probs-file x");
        let error = |input: &str| run(&invert_options, input).unwrap_err().to_string();
        assert_eq!(
            error("0.5,0.5\n0.2,0.8,0.0\n"),
            "line 2: 3 values, expected 2 (one per class)"
        );
        assert_eq!(
            error("a,b\n0.5,0.5\n0.5,x\n"),
            "line 3: “x” is not a number"
        );
        assert_eq!(
            error("0.5,0.5\n0.5,0.4\n"),
            "line 2: the probabilities sum to 0.9, not 1; a row within 1e-6 of 1 is renormalised, others are not distributions"
        );
        assert_eq!(
            error("a,b\n"),
            "no rows of model outputs were given (see focal --help)"
        );
        let (_, summary) = run(&invert_options, "0.5,0.5000001\n0.5,0.5\n").unwrap();
        assert_eq!(
            summary,
            InvertSummary {
                rows: 2,
                renormalised: 1
            }
        );
    }
}
