//! The URL is the state. One declared list of query fields ([`FIELDS`]) drives
//! both encoding and decoding, each with its default; only non-default values
//! are written. Decoding never fails: an invalid value falls back to its
//! default and yields a notice that says why; unknown parameters are ignored.

use std::collections::HashMap;

use super::classes::parse_number_list;
use super::config::{
    default_classes, default_label, ClassRow, Units, DEFAULT_GAMMA, DEFAULT_GAMMA_MAX,
    MAX_PAGE_CLASSES,
};
use super::format::shortest;
use super::generator::Generator;
use crate::core::{FocalProblem, MAX_GAMMA};

/// The link format version written as `v=1`.
pub const FORMAT_VERSION: &str = "1";

/// Longest query decoded; a longer one is ignored with a notice.
pub const MAX_QUERY_BYTES: usize = 2_000_000;

/// A panel that `hide=` can hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// The class editor and paste box.
    Counts,
    /// The per-class table.
    Table,
    /// The summary numbers.
    Summary,
    /// The reshaped-distribution plot.
    Distribution,
    /// The entropy-versus-γ plot.
    Entropy,
    /// The title, explanations, captions and reshaping map.
    Text,
    /// The tracked-class plot (q*/p of one class along γ).
    Tracked,
    /// The imbalance × γ heat map.
    Map,
}

impl Panel {
    /// Every panel, in page order.
    pub const ALL: [Panel; 8] = [
        Panel::Text,
        Panel::Counts,
        Panel::Distribution,
        Panel::Entropy,
        Panel::Tracked,
        Panel::Map,
        Panel::Summary,
        Panel::Table,
    ];

    /// The panel's name in `hide=`.
    pub fn name(self) -> &'static str {
        match self {
            Panel::Counts => "counts",
            Panel::Table => "table",
            Panel::Summary => "summary",
            Panel::Distribution => "distribution",
            Panel::Entropy => "entropy",
            Panel::Text => "text",
            Panel::Tracked => "tracked",
            Panel::Map => "map",
        }
    }

    fn from_name(name: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Where the classes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassSource {
    /// An explicit list.
    List(Vec<ClassRow>),
    /// A generator (short links for many classes).
    Generated(Generator),
}

impl ClassSource {
    /// The classes this source describes (an invalid generator gives none).
    pub fn classes(&self) -> Vec<ClassRow> {
        match self {
            ClassSource::List(rows) => rows.clone(),
            ClassSource::Generated(generator) => generator.classes().unwrap_or_default(),
        }
    }
}

/// Everything a link carries.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareState {
    /// The classes.
    pub classes: ClassSource,
    /// γ.
    pub gamma: f64,
    /// α weights, one per class.
    pub alpha: Option<Vec<f64>>,
    /// Upper end of the γ slider and sweep.
    pub gamma_max: f64,
    /// Log-scale distribution plot.
    pub log_scale: bool,
    /// Entropy unit.
    pub units: Units,
    /// The tracked class (zero-based), `None` for the rarest.
    pub track: Option<usize>,
    /// Embed mode: plots and the γ control only.
    pub embed: bool,
    /// Panels hidden on top of embed mode.
    pub hidden: Vec<Panel>,
}

impl Default for ShareState {
    fn default() -> Self {
        ShareState {
            classes: ClassSource::List(default_classes()),
            gamma: DEFAULT_GAMMA,
            alpha: None,
            gamma_max: DEFAULT_GAMMA_MAX,
            log_scale: false,
            units: Units::Nats,
            track: None,
            embed: false,
            hidden: Vec::new(),
        }
    }
}

/// Query parameters by name (the first occurrence wins).
type Params = HashMap<String, String>;

/// One declared piece of the link: how it is written and read back.
struct Field {
    /// The field's name in notices.
    name: &'static str,
    /// The query parameters it reads and writes (host messages may set them too).
    params: &'static [&'static str],
    /// The parameters to write; empty when the value is the default.
    write: fn(&ShareState) -> Vec<(&'static str, String)>,
    /// Reads the field from the parameters into the state; `Ok` when absent.
    read: fn(&Params, &mut ShareState) -> Result<(), String>,
}

fn numbers(values: impl Iterator<Item = f64>) -> String {
    values.map(shortest).collect::<Vec<_>>().join(",")
}

fn parse_in_range(text: &str, low: f64, high: f64, what: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("“{}” is not a number", short(text)))?;
    if value.is_finite() && (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{what} must be from {low} to {high}"))
    }
}

/// The first 40 characters of a value, for notices.
fn short(text: &str) -> String {
    let head: String = text.chars().take(40).collect();
    if head.len() < text.len() {
        format!("{head}…")
    } else {
        head
    }
}

/// Escapes `%` and `,` inside one label of the comma-separated `labels` list.
pub(crate) fn escape_label(label: &str) -> String {
    label.replace('%', "%25").replace(',', "%2C")
}

fn unescape_label(label: &str) -> String {
    label
        .replace("%2C", ",")
        .replace("%2c", ",")
        .replace("%25", "%")
}

fn write_classes(state: &ShareState) -> Vec<(&'static str, String)> {
    match &state.classes {
        ClassSource::Generated(generator) => {
            let parameters = generator.profile().parameters.iter().map(|parameter| {
                let value = generator.get(parameter.name).unwrap_or_default();
                (parameter.name, shortest(value))
            });
            std::iter::once(("dist", generator.name().to_string()))
                .chain(parameters)
                .collect()
        }
        ClassSource::List(rows) if *rows == default_classes() => Vec::new(),
        ClassSource::List(rows) => {
            let mut out = vec![("counts", numbers(rows.iter().map(|r| r.count)))];
            let labelled = rows
                .iter()
                .enumerate()
                .any(|(i, r)| r.label != default_label(i));
            if labelled {
                out.push((
                    "labels",
                    rows.iter()
                        .map(|r| escape_label(&r.label))
                        .collect::<Vec<_>>()
                        .join(","),
                ));
            }
            out
        }
    }
}

fn read_generator(params: &Params) -> Result<Option<Generator>, String> {
    params
        .get("dist")
        .map(|dist| Generator::from_text(dist, &|name| params.get(name).cloned()))
        .transpose()
}

fn read_classes(params: &Params, state: &mut ShareState) -> Result<(), String> {
    if let Some(counts) = params.get("counts") {
        let counts = parse_number_list(counts)?;
        if counts.len() > MAX_PAGE_CLASSES {
            return Err(format!("more than {MAX_PAGE_CLASSES} classes"));
        }
        FocalProblem::new(&counts, None).map_err(|e| e.to_string())?;
        let labels: Vec<String> = match params.get("labels") {
            Some(text) => {
                let labels: Vec<String> = text.split(',').map(unescape_label).collect();
                if labels.len() != counts.len() {
                    return Err(format!(
                        "labels: {} labels for {} classes",
                        labels.len(),
                        counts.len()
                    ));
                }
                labels
            }
            None => (0..counts.len()).map(default_label).collect(),
        };
        state.classes = ClassSource::List(
            labels
                .into_iter()
                .zip(counts)
                .map(|(l, c)| ClassRow::new(l, c))
                .collect(),
        );
        return Ok(());
    }
    if let Some(generator) = read_generator(params).map_err(|e| format!("dist: {e}"))? {
        state.classes = ClassSource::Generated(generator);
    }
    Ok(())
}

fn write_alpha(state: &ShareState) -> Vec<(&'static str, String)> {
    state
        .alpha
        .as_ref()
        .map_or(Vec::new(), |a| vec![("alpha", numbers(a.iter().copied()))])
}

fn read_alpha(params: &Params, state: &mut ShareState) -> Result<(), String> {
    let Some(text) = params.get("alpha") else {
        return Ok(());
    };
    let alpha = parse_number_list(text)?;
    let counts: Vec<f64> = state.classes.classes().iter().map(|c| c.count).collect();
    FocalProblem::new(&counts, Some(&alpha)).map_err(|e| e.to_string())?;
    state.alpha = Some(alpha);
    Ok(())
}

fn write_gamma(state: &ShareState) -> Vec<(&'static str, String)> {
    if state.gamma == DEFAULT_GAMMA {
        Vec::new()
    } else {
        vec![("gamma", shortest(state.gamma))]
    }
}

fn read_gamma(params: &Params, state: &mut ShareState) -> Result<(), String> {
    if let Some(text) = params.get("gamma") {
        state.gamma = parse_in_range(text, 0.0, MAX_GAMMA, "γ")?;
        state.gamma_max = state.gamma_max.max(state.gamma.ceil());
    }
    Ok(())
}

fn write_gamma_max(state: &ShareState) -> Vec<(&'static str, String)> {
    if state.gamma_max == DEFAULT_GAMMA_MAX {
        Vec::new()
    } else {
        vec![("gmax", shortest(state.gamma_max))]
    }
}

fn read_gamma_max(params: &Params, state: &mut ShareState) -> Result<(), String> {
    if let Some(text) = params.get("gmax") {
        state.gamma_max = parse_in_range(text, 1.0, MAX_GAMMA, "γ max")?.max(state.gamma.ceil());
    }
    Ok(())
}

fn write_log(state: &ShareState) -> Vec<(&'static str, String)> {
    if state.log_scale {
        vec![("log", "1".into())]
    } else {
        Vec::new()
    }
}

fn read_flag(params: &Params, name: &str) -> Result<Option<bool>, String> {
    match params.get(name).map(String::as_str) {
        None => Ok(None),
        Some("1" | "true") => Ok(Some(true)),
        Some("0" | "false") => Ok(Some(false)),
        Some(other) => Err(format!("“{}” is not 0 or 1", short(other))),
    }
}

fn read_log(params: &Params, state: &mut ShareState) -> Result<(), String> {
    if let Some(value) = read_flag(params, "log")? {
        state.log_scale = value;
    }
    Ok(())
}

fn write_units(state: &ShareState) -> Vec<(&'static str, String)> {
    if state.units == Units::Nats {
        Vec::new()
    } else {
        vec![("units", state.units.name().into())]
    }
}

fn read_units(params: &Params, state: &mut ShareState) -> Result<(), String> {
    match params.get("units").map(String::as_str) {
        None => Ok(()),
        Some("nats") => {
            state.units = Units::Nats;
            Ok(())
        }
        Some("bits") => {
            state.units = Units::Bits;
            Ok(())
        }
        Some(other) => Err(format!("“{}” is not nats or bits", short(other))),
    }
}

fn write_track(state: &ShareState) -> Vec<(&'static str, String)> {
    state
        .track
        .map_or(Vec::new(), |t| vec![("track", (t + 1).to_string())])
}

fn read_track(params: &Params, state: &mut ShareState) -> Result<(), String> {
    if let Some(text) = params.get("track") {
        let classes = state.classes.classes().len();
        let class = parse_in_range(text, 1.0, classes as f64, "the tracked class")?;
        state.track = Some(class.round() as usize - 1);
    }
    Ok(())
}

fn write_embed(state: &ShareState) -> Vec<(&'static str, String)> {
    if state.embed {
        vec![("embed", "1".into())]
    } else {
        Vec::new()
    }
}

fn read_embed(params: &Params, state: &mut ShareState) -> Result<(), String> {
    if let Some(value) = read_flag(params, "embed")? {
        state.embed = value;
    }
    Ok(())
}

fn write_hide(state: &ShareState) -> Vec<(&'static str, String)> {
    if state.hidden.is_empty() {
        Vec::new()
    } else {
        vec![(
            "hide",
            state
                .hidden
                .iter()
                .map(|p| p.name())
                .collect::<Vec<_>>()
                .join(","),
        )]
    }
}

fn read_hide(params: &Params, state: &mut ShareState) -> Result<(), String> {
    let Some(text) = params.get("hide") else {
        return Ok(());
    };
    let mut hidden = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let panel =
            Panel::from_name(name).ok_or_else(|| format!("unknown panel “{}”", short(name)))?;
        if !hidden.contains(&panel) {
            hidden.push(panel);
        }
    }
    state.hidden = hidden;
    Ok(())
}

/// The link's fields, in the order they are written. Classes come first: the
/// fields after them (α, the tracked class) are checked against them.
const FIELDS: [Field; 9] = [
    Field {
        name: "counts",
        params: &[
            "counts", "labels", "dist", "k", "nmax", "ratio", "s", "minority",
        ],
        write: write_classes,
        read: read_classes,
    },
    Field {
        name: "gamma",
        params: &["gamma"],
        write: write_gamma,
        read: read_gamma,
    },
    Field {
        name: "alpha",
        params: &["alpha"],
        write: write_alpha,
        read: read_alpha,
    },
    Field {
        name: "gmax",
        params: &["gmax"],
        write: write_gamma_max,
        read: read_gamma_max,
    },
    Field {
        name: "log",
        params: &["log"],
        write: write_log,
        read: read_log,
    },
    Field {
        name: "units",
        params: &["units"],
        write: write_units,
        read: read_units,
    },
    Field {
        name: "track",
        params: &["track"],
        write: write_track,
        read: read_track,
    },
    Field {
        name: "embed",
        params: &["embed"],
        write: write_embed,
        read: read_embed,
    },
    Field {
        name: "hide",
        params: &["hide"],
        write: write_hide,
        read: read_hide,
    },
];

/// Every query parameter of the link, as the fields declare them.
pub fn parameter_names() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().flat_map(|field| field.params.iter().copied())
}

impl ShareState {
    /// Restores the invariants that a change of one field can break, with a
    /// notice for each value dropped: α weights fit the classes (one each),
    /// γ ≤ γ max, and the tracked class exists.
    pub fn keep_invariants(&mut self) -> Vec<String> {
        let mut notices = Vec::new();
        let classes = self.classes.classes().len();
        if let Some(alpha) = self.alpha.as_ref().filter(|a| a.len() != classes) {
            notices.push(format!(
                "alpha: {} α weights do not fit {classes} classes; they were dropped.",
                alpha.len()
            ));
            self.alpha = None;
        }
        if self.track.is_some_and(|t| t >= classes) {
            notices.push(format!(
                "track: there is no class {} among {classes}; the rarest is tracked.",
                self.track.map_or(0, |t| t + 1)
            ));
            self.track = None;
        }
        self.gamma_max = self.gamma_max.max(self.gamma.ceil()).min(MAX_GAMMA);
        notices
    }
}

/// The query string of a state, without the leading `?`: `v=1` and every
/// non-default field, or empty for the default state.
pub fn encode(state: &ShareState) -> String {
    let pairs: Vec<(&str, String)> = FIELDS.iter().flat_map(|f| (f.write)(state)).collect();
    if pairs.is_empty() {
        return String::new();
    }
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    serializer.append_pair("v", FORMAT_VERSION);
    for (name, value) in pairs {
        serializer.append_pair(name, &value);
    }
    serializer.finish()
}

/// Reads a query string (with or without the leading `?`). Returns the state
/// and one plain-language notice per value that was invalid and replaced by its default.
pub fn decode(query: &str) -> (ShareState, Vec<String>) {
    decode_onto(ShareState::default(), query)
}

/// Like [`decode`], but parameters that are absent (or invalid) keep their
/// value in `base` instead of the default: how a host page's message updates
/// the current state.
pub fn decode_onto(base: ShareState, query: &str) -> (ShareState, Vec<String>) {
    let mut state = base;
    let mut notices = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    if query.len() > MAX_QUERY_BYTES {
        notices.push(format!(
            "The link is longer than {} KB and was ignored.",
            MAX_QUERY_BYTES / 1000
        ));
        return (state, notices);
    }
    let mut params = Params::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        params
            .entry(name.into_owned())
            .or_insert_with(|| value.into_owned());
    }
    if let Some(version) = params.get("v") {
        if version != FORMAT_VERSION {
            notices.push(format!(
                "This link is of format version “{}”; it was read as version {FORMAT_VERSION}.",
                short(version)
            ));
        }
    }
    for field in &FIELDS {
        let before = state.clone();
        if let Err(reason) = (field.read)(&params, &mut state) {
            state = before;
            notices.push(format!("{}: {reason}; the default is used.", field.name));
        }
    }
    notices.extend(state.keep_invariants());
    (state, notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(state: &ShareState) -> ShareState {
        let (decoded, notices) = decode(&encode(state));
        assert!(notices.is_empty(), "{notices:?}");
        decoded
    }

    #[test]
    fn default_state_is_an_empty_query() {
        assert_eq!(encode(&ShareState::default()), "");
        assert_eq!(decode(""), (ShareState::default(), vec![]));
    }

    #[test]
    fn only_non_default_values_are_written() {
        let state = ShareState {
            gamma: 5.0,
            ..ShareState::default()
        };
        assert_eq!(encode(&state), "v=1&gamma=5");
        assert_eq!(round_trip(&state), state);
    }

    #[test]
    fn every_field_round_trips() {
        let state = ShareState {
            classes: ClassSource::List(vec![
                ClassRow::new("cows, brown", 99.0),
                ClassRow::new("100% tiger", 1.0),
                ClassRow::new("<script>alert(1)</script>", 0.5),
            ]),
            gamma: 3.25,
            alpha: Some(vec![1.0, 2.0, 0.5]),
            gamma_max: 40.0,
            log_scale: true,
            units: Units::Bits,
            track: Some(1),
            embed: true,
            hidden: vec![Panel::Table, Panel::Text],
        };
        assert_eq!(round_trip(&state), state);
        let query = encode(&state);
        assert!(
            query.starts_with("v=1&counts=99%2C1%2C0.5&labels="),
            "{query}"
        );
        assert!(query.contains("&gamma=3.25&alpha=1%2C2%2C0.5&gmax=40&log=1&units=bits&track=2&embed=1&hide=table%2Ctext"));
    }

    #[test]
    fn generators_make_short_links() {
        let state = ShareState {
            classes: ClassSource::Generated(Generator::Exponential {
                k: 100,
                nmax: 500.0,
                ratio: 100.0,
            }),
            ..ShareState::default()
        };
        assert_eq!(encode(&state), "v=1&dist=exp&k=100&nmax=500&ratio=100");
        assert_eq!(round_trip(&state), state);
        let (zipf, _) = decode("dist=zipf&k=1000&nmax=1000&s=1.1");
        assert_eq!(
            zipf.classes,
            ClassSource::Generated(Generator::Zipf {
                k: 1000,
                nmax: 1000.0,
                s: 1.1
            })
        );
        let (step, _) = decode("dist=step&k=10&minority=5&nmax=5000&ratio=100");
        assert_eq!(
            step.classes
                .classes()
                .iter()
                .filter(|c| c.count == 50.0)
                .count(),
            5
        );
    }

    #[test]
    fn invalid_values_fall_back_with_a_notice() {
        let (state, notices) = decode(
            "v=1&gamma=NaN&counts=1,-2&units=furlongs&log=maybe&hide=table,cockpit&track=99&zzz=1",
        );
        assert_eq!(state, ShareState::default());
        assert_eq!(notices.len(), 6, "{notices:?}");
        assert!(
            notices[0].starts_with("counts: the count of class 2 is -2"),
            "{}",
            notices[0]
        );
        assert!(notices
            .iter()
            .any(|n| n.starts_with("gamma: γ must be from 0 to 100")));
        assert!(notices
            .iter()
            .any(|n| n.contains("unknown panel “cockpit”")));
    }

    #[test]
    fn hostile_links_never_panic() {
        let huge_list = vec!["1"; MAX_PAGE_CLASSES + 5].join(",");
        let (state, notices) = decode(&format!("counts={huge_list}"));
        assert_eq!(state.classes, ShareState::default().classes);
        assert_eq!(notices.len(), 1);
        let long = "a".repeat(100_000);
        let (_, notices) = decode(&format!("labels={long}&gamma={long}&dist={long}"));
        assert!(notices.iter().all(|n| n.len() < 300), "notices stay short");
        let (_, notices) = decode(&"x".repeat(MAX_QUERY_BYTES + 1));
        assert_eq!(notices.len(), 1);
        for query in [
            "%",
            "&&&",
            "=",
            "counts=",
            "counts=,,",
            "gamma=1e999",
            "alpha=1",
            "dist=exp&k=0",
            "v=2",
            "labels=a,b",
        ] {
            let _ = decode(query);
        }
        let (state, notices) = decode("counts=1,2&labels=a,b,c");
        assert_eq!(notices.len(), 1);
        assert_eq!(state.classes, ShareState::default().classes);
    }

    #[test]
    fn decoding_onto_a_state_changes_only_what_is_given() {
        let base = ShareState {
            gamma: 7.0,
            log_scale: true,
            ..ShareState::default()
        };
        let (state, notices) = decode_onto(base.clone(), "counts=3,1&gamma=oops");
        assert_eq!(notices.len(), 1);
        assert_eq!(state.gamma, 7.0);
        assert!(state.log_scale);
        assert_eq!(state.classes.classes().len(), 2);
        assert_eq!(state.classes.classes()[0], ClassRow::new("class 1", 3.0));
    }

    #[test]
    fn gamma_above_gamma_max_raises_it() {
        let (state, notices) = decode("gamma=37.5");
        assert!(notices.is_empty());
        assert_eq!(state.gamma_max, 38.0);
    }
}
