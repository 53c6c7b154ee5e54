//! Parsing class lists typed or pasted by people: `99, 1`, one count per line, or
//! `label,count` lines. The same parser reads the CLI's `--counts-file`.

use std::fmt;

use super::config::{default_label, ClassRow, MAX_PAGE_CLASSES};
use super::format::shortest;
use super::json::JsonValue;
use super::number::parse_decimal;
use super::piecewise::Piecewise;

/// Why a class list could not be read; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Line of the text where the problem is.
    pub line: usize,
    /// What is wrong, in plain language.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Longest text accepted, so that a huge paste cannot stall the page (20 MB).
pub const MAX_TEXT_BYTES: usize = 20_000_000;

/// Parses a count: a decimal number, scientific notation allowed, `_` and thin
/// spaces as digit separators are not. NaN and infinities parse and are
/// rejected later with a message naming the class.
fn parse_number(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    parse_decimal(trimmed)
}

/// The count fields of an unquoted line, found without allocating (reading
/// a million lines allocated three vectors per line): the one after a label,
/// or those separated by commas, semicolons, tabs or spaces.
#[derive(Clone)]
enum CountFields<'a> {
    /// The count of a `label,count` line (until it is taken).
    One(Option<&'a str>),
    /// Counts separated by commas, semicolons or white space (empty fields
    /// are skipped).
    Listed(std::str::Split<'a, fn(char) -> bool>),
}

impl<'a> Iterator for CountFields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            CountFields::One(count) => count.take(),
            CountFields::Listed(fields) => fields.find(|field| !field.is_empty()),
        }
    }
}

/// Whether `c` separates counts listed on one line.
fn separates_counts(c: char) -> bool {
    c == ',' || c == ';' || c.is_whitespace()
}

/// Splits an unquoted line into a `label,count` pair when it has exactly two
/// fields separated by a comma, semicolon or tab and its first field is not a
/// finite number (tokens such as `NaN` or `inf` are labels in a vocabulary's
/// counts, never counts); otherwise into counts separated by commas,
/// semicolons, tabs or spaces.
fn split_line(line: &str) -> (Option<&str>, CountFields<'_>) {
    let mut fields = line.split([',', ';', '\t']);
    if let (Some(label), Some(count), None) = (fields.next(), fields.next(), fields.next()) {
        let label = label.trim();
        if !parse_number(label).is_some_and(f64::is_finite) {
            return (Some(label), CountFields::One(Some(count.trim())));
        }
    }
    let separator: fn(char) -> bool = separates_counts;
    (None, CountFields::Listed(line.split(separator)))
}

/// Column names a counts file may start with (case does not matter).
const COUNT_HEADERS: [&str; 12] = [
    "count",
    "counts",
    "n",
    "number",
    "frequency",
    "freq",
    "samples",
    "images",
    "instances",
    "examples",
    "support",
    "size",
];

/// Whether a line's count fields are a header: one field that names the
/// count column (`label,count`, `class,n`, or `count` alone).
fn is_header(mut counts: CountFields<'_>) -> bool {
    matches!((counts.next(), counts.next()), (Some(name), None) if COUNT_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name.trim())))
}

/// Reads a quoted label at the start of `text` (which begins with `"`), RFC
/// 4180 style: `""` stands for one quote, and commas, `#`, digits and line
/// breaks are plain text inside. Returns the label and the text after the
/// closing quote, or `None` when the quote is never closed.
fn quoted_label(text: &str) -> Option<(String, &str)> {
    let mut label = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((index, c)) = chars.next() {
        if c != '"' {
            label.push(c);
        } else if chars.peek().is_some_and(|&(_, next)| next == '"') {
            label.push('"');
            chars.next();
        } else {
            return Some((label, &text[index + 1..]));
        }
    }
    None
}

/// Parses a class list. Blank lines and lines starting with `#` are skipped,
/// and so is a header line before the first class (`label,count`, `count`).
/// A line is either `label,count` (the first field not a number, or a quoted
/// label such as `"mid, one",5`) or one or more counts separated by commas,
/// semicolons, tabs or spaces.
pub fn parse_class_list(text: &str) -> Result<Vec<ClassRow>, ParseError> {
    let mut reader = ClassListReader::new(text)?;
    reader.read_lines(usize::MAX)?;
    Ok(reader.into_entries())
}

/// A class list read a few lines at a time ([`parse_class_list`]'s format),
/// so that the page can read a million-line counts file in slices between
/// which it stays responsive and shows how far it has got.
#[derive(Debug)]
pub struct ClassListReader<'a> {
    /// Length of the whole text in bytes.
    length: usize,
    /// The text not read yet.
    rest: &'a str,
    /// Lines read so far.
    line_number: usize,
    /// The classes read so far.
    entries: Vec<ClassRow>,
    /// Most classes the list may have: one more is refused as it is read.
    most_classes: usize,
}

impl<'a> ClassListReader<'a> {
    /// Starts reading `text`; refuses a text longer than [`MAX_TEXT_BYTES`].
    pub fn new(text: &'a str) -> Result<Self, ParseError> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(ParseError {
                line: 1,
                message: format!("the list is longer than {} MB", MAX_TEXT_BYTES / 1_000_000),
            });
        }
        Ok(ClassListReader {
            length: text.len(),
            rest: text,
            line_number: 0,
            entries: Vec::new(),
            most_classes: usize::MAX,
        })
    }

    /// The same reader refusing the list as soon as it reads a class past
    /// the first `most`: a counts file too large for the page is refused
    /// while it is read in slices (counting its lines first took a task of
    /// 75–90 ms for a million in the browser).
    pub fn refusing_more_than(self, most: usize) -> Self {
        ClassListReader {
            most_classes: most,
            ..self
        }
    }

    /// A reader with nothing left to read that holds `entries` (a JSON file,
    /// which the browser's parser reads at once).
    fn finished(entries: Vec<ClassRow>) -> Self {
        ClassListReader {
            length: 0,
            rest: "",
            line_number: 0,
            entries,
            most_classes: usize::MAX,
        }
    }

    /// The classes read so far (all of them once the text is read).
    pub fn into_entries(self) -> Vec<ClassRow> {
        self.entries
    }

    /// Reads up to `lines` more lines (a quoted label spanning lines counts
    /// as one); returns whether the whole text has been read.
    pub fn read_lines(&mut self, lines: usize) -> Result<bool, ParseError> {
        for _ in 0..lines {
            if self.rest.is_empty() {
                break;
            }
            self.read_line()?;
        }
        Ok(self.rest.is_empty())
    }

    /// Reads the next line (with a quoted label, the lines it spans).
    fn read_line(&mut self) -> Result<(), ParseError> {
        self.line_number += 1;
        let line_number = self.line_number;
        let error = |line: usize, message: String| ParseError { line, message };
        let start = self.rest.trim_start_matches([' ', '\t']);
        let (label, tail) = if start.starts_with('"') {
            let (label, after) = quoted_label(start).ok_or_else(|| {
                error(
                    line_number,
                    "a quoted label is not closed by \"".to_string(),
                )
            })?;
            // A label with line breaks spans lines: count them for the messages.
            self.line_number += start[..start.len() - after.len()].matches('\n').count();
            let after = after.trim_start_matches([' ', '\t']);
            let after = after.strip_prefix([',', ';', '\t']).ok_or_else(|| {
                error(
                    line_number,
                    format!("a comma must follow the label “{label}”"),
                )
            })?;
            (Some(label), after)
        } else {
            (None, self.rest)
        };
        let (line, next) = tail.split_once('\n').unwrap_or((tail, ""));
        self.rest = next;
        let line = line.trim();
        match label {
            Some(label) => self.push_class(Some(label), line),
            None if line.is_empty() || line.starts_with('#') => Ok(()),
            None => match split_line(line) {
                // `label,count` or `count` before the first class.
                (_, counts) if self.entries.is_empty() && is_header(counts.clone()) => Ok(()),
                (label, counts) => {
                    for part in counts {
                        self.push_class(label.map(str::to_string), part)?;
                    }
                    Ok(())
                }
            },
        }
    }

    /// Adds the class of a count field read on the current line.
    fn push_class(&mut self, label: Option<String>, part: &str) -> Result<(), ParseError> {
        let error = |message| ParseError {
            line: self.line_number,
            message,
        };
        let count = parse_number(part).ok_or_else(|| error(format!("“{part}” is not a number")))?;
        if self.entries.len() == self.most_classes {
            return Err(error(more_classes_than(self.most_classes)));
        }
        self.entries.push(ClassRow { label, count });
        Ok(())
    }
}

/// Lines a [`ClassListReader`] reads per batch of the page's slices.
const LINES_PER_BATCH: usize = 1024;

impl Piecewise for ClassListReader<'_> {
    fn advance(&mut self) -> Result<bool, String> {
        self.read_lines(LINES_PER_BATCH).map_err(|e| e.to_string())
    }

    fn fraction_done(&self) -> f64 {
        if self.length == 0 {
            1.0
        } else {
            1.0 - self.rest.len() as f64 / self.length as f64
        }
    }
}

/// A label as one field of the paste box, counts files and CSV: as it is when
/// it reads back unchanged, otherwise in double quotes with `"` doubled (RFC
/// 4180): labels with a comma, semicolon, tab, quote or line break, a leading
/// `#`, spaces at either end, no text, or text that reads as a number.
pub fn label_field(label: &str) -> String {
    let needs_quotes = label.is_empty()
        || label.contains([',', ';', '\t', '"', '\n', '\r'])
        || label.starts_with('#')
        || label.trim() != label
        || parse_number(label).is_some();
    if needs_quotes {
        format!("\"{}\"", label.replace('"', "\"\""))
    } else {
        label.to_string()
    }
}

/// Parses a comma-separated list of numbers (as in a link's `counts=` or `alpha=`).
pub fn parse_number_list(text: &str) -> Result<Vec<f64>, String> {
    text.split(',')
        .map(|part| {
            parse_number(part).ok_or_else(|| {
                let shown: String = part.trim().chars().take(20).collect();
                format!("“{shown}” is not a number")
            })
        })
        .collect()
}

/// α weights from the α box: one number per class, separated by commas.
pub fn alpha_from_text(text: &str, class_count: usize) -> Result<Vec<f64>, String> {
    let alpha = parse_number_list(text)?;
    if alpha.len() != class_count {
        return Err(format!(
            "give one α per class: {} given for {class_count} classes",
            alpha.len()
        ));
    }
    Ok(alpha)
}

/// α weights as the α box shows them (shortest round-trip decimals).
pub fn alpha_as_text(alpha: &[f64]) -> String {
    alpha
        .iter()
        .map(f64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Inverse-frequency α weights, `α_i = (N / (K·n_i))^power` (N the total count,
/// K the number of classes with a count). With power 1, the usual
/// class-balancing choice, every α_i·p_i is 1/K: the weighted target is uniform.
/// Power ½ (square-root balancing) goes halfway on a log scale. Classes with
/// count zero get 1.
pub fn inverse_frequency_alpha(classes: &[ClassRow], power: f64) -> Vec<f64> {
    let (total, present) = classes
        .iter()
        .filter(|c| c.count > 0.0)
        .fold((0.0, 0usize), |(total, present), c| {
            (total + c.count, present + 1)
        });
    let present = present.max(1) as f64;
    // The square root by its own instruction: in wasm `powf` is a library
    // routine, and a million of them ran in the task of the button's click.
    let raise = |x: f64| {
        if power == 0.5 {
            x.sqrt()
        } else {
            x.powf(power)
        }
    };
    classes
        .iter()
        .map(|c| {
            if c.count > 0.0 {
                raise(total / (present * c.count))
            } else {
                1.0
            }
        })
        .collect()
}

/// Most classes the paste box shows as text: above it the box is left empty,
/// as a browser takes seconds to lay out megabytes of text; what is pasted
/// still replaces the classes.
pub const MAX_CLASSES_AS_TEXT: usize = 20_000;

/// Whether the paste box shows this many classes as text ([`MAX_CLASSES_AS_TEXT`]).
pub fn shown_as_text(class_count: usize) -> bool {
    class_count <= MAX_CLASSES_AS_TEXT
}

/// The classes as `label,count` lines, the paste box's format (labels quoted
/// where needed, and a class without a label of its own a count alone, so
/// that the text reads back to the same classes).
pub fn classes_as_text(classes: &[ClassRow]) -> String {
    classes
        .iter()
        .map(|c| match &c.label {
            Some(label) => format!("{},{}", label_field(label), shortest(c.count)),
            None => shortest(c.count),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Classes from pasted text; unlabelled counts are named "class N".
pub fn classes_from_text(text: &str) -> Result<Vec<ClassRow>, String> {
    classes_from_entries(parse_class_list(text).map_err(|e| e.to_string())?)
}

/// Classes as the page holds them: at least one (unlabelled counts are
/// named "class N" by their position, [`ClassRow::unlabelled`]).
pub fn classes_from_entries(entries: Vec<ClassRow>) -> Result<Vec<ClassRow>, String> {
    if entries.is_empty() {
        return Err("enter at least one class count".into());
    }
    Ok(entries)
}

/// Pasted text longer than this, in bytes, is read by the page a slice of
/// lines at a time instead of being inserted by the browser, which lays the
/// text out in one task (a real paste of 200 000 lines, 1.3 MB, took 3.4 s in
/// one task, and a million lines more than a minute).
pub const LARGE_PASTE_BYTES: usize = 64 * 1024;

/// What a text box holding `value` holds once `pasted` replaces its
/// selection from `start` to `end`, counted in UTF-16 code units as the
/// browser counts them (positions past the end, or reversed, are taken as
/// the browser would clamp them): what the browser's own paste makes it.
pub fn text_after_paste(value: &str, start: usize, end: usize, pasted: &str) -> String {
    // The byte offset of a UTF-16 position (the end of the text beyond it;
    // inside a surrogate pair, after the pair).
    let byte_offset = |position: usize| {
        let mut units = 0;
        value
            .char_indices()
            .find(|&(_, c)| {
                let found = units >= position;
                units += c.len_utf16();
                found
            })
            .map_or(value.len(), |(offset, _)| offset)
    };
    let start = byte_offset(start);
    let end = byte_offset(end).max(start);
    [&value[..start], pasted, &value[end..]].concat()
}

/// Whether a counts file is JSON (it starts with `[` or `{`).
pub fn is_json(text: &str) -> bool {
    text.trim_start().starts_with(['[', '{'])
}

/// The classes of a parsed JSON counts file: an array of counts (named
/// "class N"), or an object mapping each label to its count. A value that is
/// not a number is named by its label.
pub fn entries_from_json<V: JsonValue>(value: &V) -> Result<Vec<ClassRow>, String> {
    let count = |label: &str, item: &V| {
        item.number().ok_or_else(|| {
            format!(
                "the count of “{label}” is {}, not a number",
                item.json_text()
            )
        })
    };
    if let Some(items) = value.items() {
        items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                Ok(ClassRow {
                    label: None,
                    count: count(&default_label(index), item)?,
                })
            })
            .collect()
    } else if let Some(entries) = value.entries() {
        entries
            .into_iter()
            .map(|(label, item)| {
                let count = count(&label, &item)?;
                Ok(ClassRow {
                    label: Some(label),
                    count,
                })
            })
            .collect()
    } else {
        Err("a JSON counts file is an array of counts or an object of label: count".into())
    }
}

/// Why a class list with more than `most` classes, the most it may have,
/// is refused.
fn more_classes_than(most: usize) -> String {
    format!("more than {most} classes, the most this page takes")
}

/// A file's bytes as text, decoded as the browser's `File.text()` decodes
/// them (UTF-8, a byte-order mark dropped, invalid bytes replaced by U+FFFD),
/// in place: the page reads a file's bytes rather than a JavaScript string,
/// which would be re-encoded on its way into the page's memory.
pub fn text_of_file(bytes: Vec<u8>) -> String {
    let mut text = String::from_utf8(bytes)
        .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned());
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// Opens a counts file for the page: JSON (parsed at once by `parse_json`)
/// when it starts with `[` or `{`, otherwise the paste box's format (`count`
/// or `label,count` lines, an optional header, quoted labels), to be read a
/// few lines at a time (it is [`Piecewise`]) and then turned into the page's
/// classes by [`page_classes`]. A file with more classes than the page
/// takes is refused as soon as the reader reaches the first class too many.
pub fn open_counts_file<V: JsonValue>(
    text: &str,
    parse_json: impl FnOnce(&str) -> Result<V, String>,
) -> Result<ClassListReader<'_>, String> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(format!(
            "the file is larger than {} MB",
            MAX_TEXT_BYTES / 1_000_000
        ));
    }
    if is_json(text) {
        return Ok(ClassListReader::finished(entries_from_json(&parse_json(
            text,
        )?)?));
    }
    ClassListReader::new(text)
        .map(|reader| reader.refusing_more_than(MAX_PAGE_CLASSES))
        .map_err(|e| e.to_string())
}

/// The page's classes from a counts file's entries: refused when there are
/// more than the page shows; unlabelled counts are named "class N".
pub fn page_classes(entries: Vec<ClassRow>) -> Result<Vec<ClassRow>, String> {
    if entries.len() > MAX_PAGE_CLASSES {
        return Err(more_classes_than(MAX_PAGE_CLASSES));
    }
    classes_from_entries(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JSON as the command-line tool parses it.
    fn json(text: &str) -> Result<serde_json::Value, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// A counts file read as the page reads it, a few lines at a time.
    fn page_classes_from_file(
        text: &str,
        parse_json: fn(&str) -> Result<serde_json::Value, String>,
    ) -> Result<Vec<ClassRow>, String> {
        let mut reader = open_counts_file(text, parse_json)?;
        let mut fractions = vec![reader.fraction_done()];
        while !reader.read_lines(2).map_err(|e| e.to_string())? {
            fractions.push(reader.fraction_done());
        }
        fractions.push(reader.fraction_done());
        assert!(fractions.windows(2).all(|w| w[0] <= w[1]), "{fractions:?}");
        assert_eq!(fractions.last(), Some(&1.0));
        page_classes(reader.into_entries())
    }

    #[test]
    fn counts_files_are_read_as_csv_or_json() {
        let from_csv =
            page_classes_from_file("label,count\n\"mid, one\",5\ncat,2\n", json).unwrap();
        assert_eq!(
            from_csv,
            [ClassRow::new("mid, one", 5.0), ClassRow::new("cat", 2.0)]
        );
        let from_array = page_classes_from_file(" [5000, 50.5, 0]", json).unwrap();
        assert_eq!(
            from_array,
            [
                ClassRow::unlabelled(5000.0),
                ClassRow::unlabelled(50.5),
                ClassRow::unlabelled(0.0)
            ]
        );
        let from_object = page_classes_from_file(r#"{"tiger": 1, "cow": 99}"#, json).unwrap();
        assert_eq!(
            from_object,
            [ClassRow::new("tiger", 1.0), ClassRow::new("cow", 99.0)]
        );
    }

    #[test]
    fn file_bytes_are_decoded_as_the_browser_decodes_them() {
        assert_eq!(text_of_file(b"cow,99\n".to_vec()), "cow,99\n");
        assert_eq!(
            text_of_file("\u{feff}caf\u{e9},2".as_bytes().to_vec()),
            "caf\u{e9},2"
        );
        // A byte that is not UTF-8 (Latin-1 é) becomes U+FFFD; the rest stays.
        assert_eq!(text_of_file(b"caf\xe9,2".to_vec()), "caf\u{fffd},2");
        assert_eq!(text_of_file(Vec::new()), "");
    }

    #[test]
    fn counts_file_errors_name_the_line_or_the_label() {
        assert_eq!(
            page_classes_from_file("cat,2\ndog,two\n", json).unwrap_err(),
            "line 2: “two” is not a number"
        );
        assert_eq!(
            page_classes_from_file(r#"{"cat": 2, "dog": "many"}"#, json).unwrap_err(),
            "the count of “dog” is \"many\", not a number"
        );
        assert_eq!(
            page_classes_from_file("[1, null]", json).unwrap_err(),
            "the count of “class 2” is null, not a number"
        );
        assert_eq!(
            page_classes_from_file("[1, 2", json).unwrap_err(),
            "EOF while parsing a list at line 1 column 5"
        );
        assert_eq!(
            page_classes_from_file("{}", json).unwrap_err(),
            "enter at least one class count"
        );
    }

    #[test]
    fn a_file_with_more_classes_than_the_page_takes_is_refused_where_it_passes_them() {
        let too_many = format!("more than {MAX_PAGE_CLASSES} classes, the most this page takes");
        let lines = format!("count\n\n{}", vec!["1"; MAX_PAGE_CLASSES + 2].join("\n"));
        assert_eq!(
            page_classes_from_file(&lines, json).unwrap_err(),
            format!("line {}: {too_many}", MAX_PAGE_CLASSES + 3)
        );
        let one_line = vec!["1"; MAX_PAGE_CLASSES + 1].join(",");
        assert_eq!(
            page_classes_from_file(&one_line, json).unwrap_err(),
            format!("line 1: {too_many}")
        );
        let json_list = format!("[{}]", vec!["1"; MAX_PAGE_CLASSES + 1].join(","));
        assert_eq!(
            page_classes_from_file(&json_list, json).unwrap_err(),
            too_many
        );
        let at_the_limit = format!("count\n{}", vec!["1"; MAX_PAGE_CLASSES].join("\n"));
        assert_eq!(
            page_classes_from_file(&at_the_limit, json).unwrap().len(),
            MAX_PAGE_CLASSES
        );
    }

    #[test]
    fn text_round_trips_through_the_paste_box_format() {
        let classes = vec![ClassRow::new("cows", 99.0), ClassRow::new("tiger", 1.0)];
        assert_eq!(classes_as_text(&classes), "cows,99\ntiger,1");
        assert_eq!(classes_from_text("cows,99\ntiger,1").unwrap(), classes);
        let unlabelled = classes_from_text("5, 3").unwrap();
        assert_eq!(unlabelled[1], ClassRow::unlabelled(3.0));
        assert_eq!(unlabelled[1].label_at(1), "class 2");
        assert_eq!(classes_as_text(&unlabelled), "5\n3");
        assert!(classes_from_text("").is_err());
    }

    #[test]
    fn a_paste_replaces_the_selection_as_the_browser_does() {
        let value = "cows,99\ntiger,1";
        // Into an empty box, at the end, at the start, over a selection.
        assert_eq!(text_after_paste("", 0, 0, "5\n3"), "5\n3");
        assert_eq!(
            text_after_paste(value, 15, 15, "\nowl,4"),
            "cows,99\ntiger,1\nowl,4"
        );
        assert_eq!(
            text_after_paste(value, 0, 0, "owl,4\n"),
            "owl,4\ncows,99\ntiger,1"
        );
        assert_eq!(text_after_paste(value, 5, 7, "12"), "cows,12\ntiger,1");
        assert_eq!(text_after_paste(value, 0, 15, "1"), "1");
        // Positions past the end are the end; a reversed selection is empty.
        assert_eq!(text_after_paste(value, 99, 120, "!"), "cows,99\ntiger,1!");
        assert_eq!(text_after_paste(value, 7, 5, "x"), "cows,99x\ntiger,1");
        // Positions count UTF-16 code units: "é" is one, "🐅" two, and each
        // takes more bytes in the page's UTF-8.
        let labels = "é,1\n🐅,2";
        assert_eq!(text_after_paste(labels, 4, 6, "🦁"), "é,1\n🦁,2");
        assert_eq!(text_after_paste(labels, 7, 8, "3"), "é,1\n🐅,3");
        // Inside a surrogate pair the paste goes after the pair.
        assert_eq!(text_after_paste(labels, 5, 5, "x"), "é,1\n🐅x,2");
        // What the page reads in slices is exactly what it would have read.
        let pasted: String = (0..20_000).map(|i| format!("{}\n", i + 1)).collect();
        assert!(pasted.len() > LARGE_PASTE_BYTES);
        let read = classes_from_text(&text_after_paste(value, 15, 15, &format!("\n{pasted}")));
        let read = read.unwrap();
        assert_eq!(read.len(), 20_002);
        assert_eq!(read[1], ClassRow::new("tiger", 1.0));
        assert_eq!(read[20_001], ClassRow::unlabelled(20_000.0));
        assert_eq!(read[20_001].label_at(20_001), "class 20002");
    }

    fn counts(text: &str) -> Vec<f64> {
        parse_class_list(text)
            .unwrap()
            .iter()
            .map(|c| c.count)
            .collect()
    }

    #[test]
    fn labels_with_commas_numbers_and_hashes_are_quoted_and_read_back() {
        // The labels of `?labels=mid%252C%20one,2024,%23tag`.
        let classes = vec![
            ClassRow::new("mid, one", 5.0),
            ClassRow::new("2024", 3.0),
            ClassRow::new("#tag", 1.0),
            ClassRow::new("say \"hi\"", 2.0),
            ClassRow::new(" padded ", 0.5),
            ClassRow::new("", 7.0),
            ClassRow::new("two\nlines", 1e-7),
        ];
        let text = classes_as_text(&classes);
        assert_eq!(
            text,
            "\"mid, one\",5\n\"2024\",3\n\"#tag\",1\n\"say \"\"hi\"\"\",2\n\" padded \",0.5\n\"\",7\n\"two\nlines\",0.0000001"
        );
        assert_eq!(classes_from_text(&text).unwrap(), classes);
    }

    #[test]
    fn words_that_read_as_numbers_but_not_finite_ones_are_labels() {
        let classes = classes_from_text("NaN,523\ninf,7\nInfinity;3\n-INF\t2\nthe,9").unwrap();
        assert_eq!(
            classes,
            vec![
                ClassRow::new("NaN", 523.0),
                ClassRow::new("inf", 7.0),
                ClassRow::new("Infinity", 3.0),
                ClassRow::new("-INF", 2.0),
                ClassRow::new("the", 9.0),
            ]
        );
        // Written back, they are quoted (they read as numbers) and read back.
        let text = classes_as_text(&classes);
        assert!(text.starts_with("\"NaN\",523\n\"inf\",7\n"), "{text}");
        assert_eq!(classes_from_text(&text).unwrap(), classes);
        // A finite number before a count is still a count of its own.
        assert_eq!(counts("5,3"), vec![5.0, 3.0]);
        // A lone NaN is a count (the problem's checks refuse it, naming the class).
        let lone = parse_class_list("4\nnan").unwrap();
        assert_eq!(lone[1].label, None);
        assert!(lone[1].count.is_nan());
    }

    #[test]
    fn a_header_line_is_skipped_before_the_first_class_only() {
        assert_eq!(counts("label,count\ncows,99\ntiger,1"), vec![99.0, 1.0]);
        assert_eq!(counts("# exported\nCount\n5000\n50"), vec![5000.0, 50.0]);
        assert_eq!(counts("class, n\n\"a, b\",3"), vec![3.0]);
        // After the first class it is a mistake, and so is any other word.
        assert_eq!(
            parse_class_list("cows,99\nlabel,count")
                .unwrap_err()
                .to_string(),
            "line 2: “count” is not a number"
        );
        assert_eq!(
            parse_class_list("cows,many").unwrap_err().to_string(),
            "line 1: “many” is not a number"
        );
    }

    #[test]
    fn quoted_labels_report_their_own_lines() {
        let error = parse_class_list("a,1\n\"open,2").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 2: a quoted label is not closed by \""
        );
        let error = parse_class_list("\"a\" 3").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1: a comma must follow the label “a”"
        );
        let error = parse_class_list("\"two\nlines\",1\nbad,x").unwrap_err();
        assert_eq!(error.to_string(), "line 3: “x” is not a number");
    }

    #[test]
    fn accepts_the_three_documented_forms() {
        assert_eq!(counts("99, 1"), vec![99.0, 1.0]);
        assert_eq!(counts("5000\n2997\n\n# tail\n3"), vec![5000.0, 2997.0, 3.0]);
        let labelled = parse_class_list("cows,99\ntiger, 1").unwrap();
        assert_eq!(labelled[0].label.as_deref(), Some("cows"));
        assert_eq!(labelled[1].count, 1.0);
        assert_eq!(counts("1 2\t3;4"), vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(counts("1e6, 2.5"), vec![1e6, 2.5]);
    }

    #[test]
    fn labels_may_contain_spaces_and_markup_as_text() {
        let parsed = parse_class_list("snow leopard, 3\n<b>x</b>,2").unwrap();
        assert_eq!(parsed[0].label.as_deref(), Some("snow leopard"));
        assert_eq!(parsed[1].label.as_deref(), Some("<b>x</b>"));
    }

    #[test]
    fn reports_the_line_of_a_bad_number() {
        let error = parse_class_list("1\n2\nthree four").unwrap_err();
        assert_eq!(error.line, 3);
        assert_eq!(error.to_string(), "line 3: “three” is not a number");
        assert!(parse_class_list("a,b").is_err());
    }

    #[test]
    fn alpha_box_parses_one_weight_per_class() {
        assert_eq!(alpha_from_text("1, 2.5", 2).unwrap(), vec![1.0, 2.5]);
        assert_eq!(
            alpha_from_text("1", 2).unwrap_err(),
            "give one α per class: 1 given for 2 classes"
        );
        assert!(alpha_from_text("1, x", 2).is_err());
        assert_eq!(alpha_as_text(&[0.5, 50.0]), "0.5, 50");
    }

    #[test]
    fn inverse_frequency_balances_the_weighted_target() {
        let classes = vec![
            ClassRow::new("cows", 99.0),
            ClassRow::new("tiger", 1.0),
            ClassRow::new("ghost", 0.0),
        ];
        let alpha = inverse_frequency_alpha(&classes, 1.0);
        assert_eq!(alpha, vec![100.0 / 198.0, 50.0, 1.0]);
        let root = inverse_frequency_alpha(&classes, 0.5);
        assert_eq!(root, vec![(100.0f64 / 198.0).sqrt(), 50f64.sqrt(), 1.0]);
        // α·p equal for the present classes: Q* is uniform over them at every γ.
        let solution = crate::core::solve(&[99.0, 1.0, 0.0], 2.0, Some(&alpha)).unwrap();
        assert!((solution.q(0) - 0.5).abs() < 1e-14);
        assert!((solution.q(1) - 0.5).abs() < 1e-14);
    }

    #[test]
    fn empty_text_is_an_empty_list() {
        assert!(parse_class_list("  \n# nothing\n").unwrap().is_empty());
    }
}
