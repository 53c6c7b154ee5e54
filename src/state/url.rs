//! The URL is the state. One declared list of query fields ([`FIELDS`]) drives
//! both encoding and decoding, each with its default; only non-default values
//! are written. Decoding never fails: an invalid value falls back to its
//! default and yields a notice that says why; unknown parameters are ignored.

use super::classes::parse_number_list;
use super::config::{
    default_classes, default_label, ClassRow, ClassSource, Config, Panel, Units, MAX_PAGE_CLASSES,
};
use super::format::shortest;
use super::generator::{Generator, PROFILES};
use super::number::parse_decimal;
use crate::core::{FocalProblem, MAX_GAMMA};

/// The link format version written as `v=1`.
pub const FORMAT_VERSION: &str = "1";

/// Longest query decoded; a longer one is ignored with a notice.
pub const MAX_QUERY_BYTES: usize = 2_000_000;

/// Query parameters in the order given; a name's first occurrence wins.
/// (A list rather than a map: a link holds a dozen names, looked up a dozen
/// times, and a hash map would cost download size for nothing.)
struct Params(Vec<(String, String)>);

impl Params {
    /// The parameters of a query (without its `?`).
    fn parse(query: &str) -> Self {
        Params(
            form_urlencoded::parse(query.as_bytes())
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// The value of the first parameter called `name`.
    fn get(&self, name: &str) -> Option<&String> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// How one field's value is written into the link and read back: the typed
/// codecs every field is declared with.
enum Codec {
    /// The classes: `counts` and `labels`, or a generator (`dist` and the
    /// parameters its profile declares).
    Classes,
    /// A number from `low` to `high`; `what` names it in notices.
    Number {
        what: &'static str,
        low: f64,
        high: f64,
        get: fn(&Config) -> f64,
        set: fn(&mut Config, f64),
    },
    /// A flag, written as 1 (or 0 where the default is 1).
    Flag {
        get: fn(&Config) -> bool,
        set: fn(&mut Config, bool),
    },
    /// One of a few names.
    Choice {
        names: &'static [&'static str],
        get: fn(&Config) -> usize,
        set: fn(&mut Config, usize),
    },
    /// A list of numbers, checked against the rest of the state.
    NumberList {
        get: fn(&Config) -> Option<&[f64]>,
        set: fn(&mut Config, Vec<f64>),
        check: fn(&Config, &[f64]) -> Result<(), String>,
    },
    /// A class, written 1-based; `what` names it in notices.
    ClassIndex {
        what: &'static str,
        get: fn(&Config) -> Option<usize>,
        set: fn(&mut Config, usize),
    },
    /// A set of panels, by name.
    Panels {
        get: fn(&Config) -> &[Panel],
        set: fn(&mut Config, Vec<Panel>),
    },
}

/// One declared field of the link: its query parameter (its name in
/// notices) and its codec. Encoding, decoding and host messages all read
/// the declarations in [`FIELDS`].
struct Field {
    param: &'static str,
    codec: Codec,
}

/// The parameters of the classes field besides the generators' own.
const CLASS_PARAMS: [&str; 3] = ["counts", "labels", "dist"];

/// Most listed classes (and α weights) a link carries, about 300 KB of
/// query: browsers cut addresses of a few megabytes, and rewriting the
/// address bar at every γ would cost more than the rest of the page. Longer
/// lists are left out of links (the page says so, [`left_out_of_links`]);
/// generated classes always fit.
pub const MAX_LINK_CLASSES: usize = 20_000;

impl Field {
    /// The query parameters it reads and writes (host messages may set them too).
    fn params(&self) -> Vec<&'static str> {
        match self.codec {
            Codec::Classes => {
                let mut params = CLASS_PARAMS.to_vec();
                for parameter in PROFILES.iter().flat_map(|p| p.parameters) {
                    if !params.contains(&parameter.name) {
                        params.push(parameter.name);
                    }
                }
                params
            }
            _ => vec![self.param],
        }
    }

    /// The parameters to write; none when the value is the default.
    fn write(&self, state: &Config, default: &Config) -> Vec<(&'static str, String)> {
        let param = self.param;
        let value = match &self.codec {
            Codec::Classes => return write_classes(state),
            Codec::Number { get, .. } => (get(state) != get(default)).then(|| shortest(get(state))),
            Codec::Flag { get, .. } => {
                (get(state) != get(default)).then(|| if get(state) { "1" } else { "0" }.into())
            }
            Codec::Choice { names, get, .. } => {
                (get(state) != get(default)).then(|| names[get(state)].to_string())
            }
            Codec::NumberList { get, .. } => get(state)
                .filter(|list| list.len() <= MAX_LINK_CLASSES)
                .map(|list| numbers(list.iter().copied())),
            Codec::ClassIndex { get, .. } => get(state).map(|index| (index + 1).to_string()),
            Codec::Panels { get, .. } => {
                let panels = get(state);
                (!panels.is_empty()).then(|| {
                    panels
                        .iter()
                        .map(|p| p.name())
                        .collect::<Vec<_>>()
                        .join(",")
                })
            }
        };
        value.map(|value| vec![(param, value)]).unwrap_or_default()
    }

    /// Reads the field from the parameters into the state; `Ok` when absent.
    fn read(&self, params: &Params, state: &mut Config) -> Result<(), String> {
        if let Codec::Classes = self.codec {
            return read_classes(params, state);
        }
        let Some(text) = params.get(self.param) else {
            return Ok(());
        };
        match &self.codec {
            Codec::Classes => {}
            Codec::Number {
                what,
                low,
                high,
                set,
                ..
            } => set(state, parse_in_range(text, *low, *high, what)?),
            Codec::Flag { set, .. } => match text.as_str() {
                "1" | "true" => set(state, true),
                "0" | "false" => set(state, false),
                other => return Err(format!("“{}” is not 0 or 1", short(other))),
            },
            Codec::Choice { names, set, .. } => {
                let index = names
                    .iter()
                    .position(|n| n == text)
                    .ok_or_else(|| format!("“{}” is not {}", short(text), names.join(" or ")))?;
                set(state, index);
            }
            Codec::NumberList { set, check, .. } => {
                let list = parse_number_list(text)?;
                check(state, &list)?;
                set(state, list);
            }
            Codec::ClassIndex { what, set, .. } => {
                let classes = state.classes.len();
                let class = parse_in_range(text, 1.0, classes as f64, what)?;
                set(state, class.round() as usize - 1);
            }
            Codec::Panels { set, .. } => {
                let mut panels = Vec::new();
                for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let panel = Panel::from_name(name)
                        .ok_or_else(|| format!("unknown panel “{}”", short(name)))?;
                    if !panels.contains(&panel) {
                        panels.push(panel);
                    }
                }
                set(state, panels);
            }
        }
        Ok(())
    }
}

fn numbers(values: impl Iterator<Item = f64>) -> String {
    values.map(shortest).collect::<Vec<_>>().join(",")
}

fn parse_in_range(text: &str, low: f64, high: f64, what: &str) -> Result<f64, String> {
    let value =
        parse_decimal(text.trim()).ok_or_else(|| format!("“{}” is not a number", short(text)))?;
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

/// Undoes [`escape_label`] in one pass (`%2C` or `%2c` → `,`, `%25` → `%`),
/// so that an escape's output is never read again; any other `%` is kept.
fn unescape_label(label: &str) -> String {
    let mut plain = String::with_capacity(label.len());
    let mut rest = label;
    while let Some(at) = rest.find('%') {
        plain.push_str(&rest[..at]);
        let (character, skip) = match rest.as_bytes().get(at + 1..at + 3) {
            Some(b"2C" | b"2c") => (',', 3),
            Some(b"25") => ('%', 3),
            _ => ('%', 1),
        };
        plain.push(character);
        rest = &rest[at + skip..];
    }
    plain.push_str(rest);
    plain
}

fn write_classes(state: &Config) -> Vec<(&'static str, String)> {
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
        // Too many for a link (see `MAX_LINK_CLASSES`): left out.
        ClassSource::List(rows) if **rows == default_classes() || rows.len() > MAX_LINK_CLASSES => {
            Vec::new()
        }
        ClassSource::List(rows) => {
            let mut out = vec![("counts", numbers(rows.iter().map(|r| r.count)))];
            let labelled = rows
                .iter()
                .enumerate()
                .any(|(i, r)| r.label.as_ref().is_some_and(|l| *l != default_label(i)));
            if labelled {
                out.push((
                    "labels",
                    rows.iter()
                        .enumerate()
                        .map(|(i, r)| escape_label(&r.label_at(i)))
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

fn read_classes(params: &Params, state: &mut Config) -> Result<(), String> {
    if let Some(counts) = params.get("counts") {
        let counts = parse_number_list(counts)?;
        if counts.len() > MAX_PAGE_CLASSES {
            return Err(format!("more than {MAX_PAGE_CLASSES} classes"));
        }
        FocalProblem::new(&counts, None).map_err(|e| e.to_string())?;
        let rows = match params.get("labels") {
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
                    .into_iter()
                    .zip(counts)
                    .map(|(l, c)| ClassRow::new(l, c))
                    .collect()
            }
            None => counts.into_iter().map(ClassRow::unlabelled).collect(),
        };
        state.classes = ClassSource::list(rows);
        return Ok(());
    }
    if let Some(generator) = read_generator(params).map_err(|e| format!("dist: {e}"))? {
        state.classes = ClassSource::Generated(generator);
    }
    Ok(())
}

/// α fits the classes (one weight each, in range), as the core checks it.
fn alpha_fits(state: &Config, alpha: &[f64]) -> Result<(), String> {
    let counts: Vec<f64> = state.classes.classes().iter().map(|c| c.count).collect();
    FocalProblem::new(&counts, Some(alpha))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The link's fields, in the order they are written and read. Classes come
/// first: the fields after them (α, the tracked class) are checked against
/// them. A new field is its member of [`Config`] and one line here.
const FIELDS: [Field; 9] = [
    Field {
        param: "counts",
        codec: Codec::Classes,
    },
    Field {
        param: "gamma",
        codec: Codec::Number {
            what: "γ",
            low: 0.0,
            high: MAX_GAMMA,
            get: |s| s.gamma,
            set: |s, v| s.gamma = v,
        },
    },
    Field {
        param: "alpha",
        codec: Codec::NumberList {
            get: |s| s.alpha.as_deref().map(Vec::as_slice),
            set: |s, v| s.alpha = Some(v.into()),
            check: alpha_fits,
        },
    },
    Field {
        param: "gmax",
        codec: Codec::Number {
            what: "γ max",
            low: 1.0,
            high: MAX_GAMMA,
            get: |s| s.gamma_max,
            set: |s, v| s.gamma_max = v,
        },
    },
    Field {
        param: "log",
        codec: Codec::Flag {
            get: |s| s.log_scale,
            set: |s, v| s.log_scale = v,
        },
    },
    Field {
        param: "units",
        codec: Codec::Choice {
            names: &["nats", "bits"],
            get: |s| usize::from(s.units == Units::Bits),
            set: |s, i| s.units = if i == 1 { Units::Bits } else { Units::Nats },
        },
    },
    Field {
        param: "track",
        codec: Codec::ClassIndex {
            what: "the tracked class",
            get: |s| s.track,
            set: |s, i| s.track = Some(i),
        },
    },
    Field {
        param: "embed",
        codec: Codec::Flag {
            get: |s| s.embed,
            set: |s, v| s.embed = v,
        },
    },
    Field {
        param: "hide",
        codec: Codec::Panels {
            get: |s| &s.hidden,
            set: |s, v| s.hidden = v,
        },
    },
];

/// Every query parameter of the link, as the fields declare them.
pub fn parameter_names() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().flat_map(Field::params)
}

/// What a link of this state leaves out, in words, if anything: class lists
/// or α weights longer than [`MAX_LINK_CLASSES`].
pub fn left_out_of_links(state: &Config) -> Option<String> {
    let listed = match &state.classes {
        ClassSource::List(rows) => rows.len(),
        ClassSource::Generated(_) => 0,
    };
    let weights = state.alpha.as_ref().map_or(0, |a| a.len());
    let what = match (listed > MAX_LINK_CLASSES, weights > MAX_LINK_CLASSES) {
        (true, true) => format!("these {listed} classes and their α weights are"),
        (true, false) => format!("these {listed} classes are"),
        (false, true) => format!("these {weights} α weights are"),
        (false, false) => return None,
    };
    Some(format!(
        "Links carry up to {MAX_LINK_CLASSES} listed classes; {what} left out of this page's link and address (share the counts file, or a generator)."
    ))
}

/// The query string of a state, without the leading `?`: `v=1` and every
/// non-default field, or empty for the default state.
pub fn encode(state: &Config) -> String {
    let default = Config::default();
    let pairs: Vec<(&str, String)> = FIELDS
        .iter()
        .flat_map(|f| f.write(state, &default))
        .collect();
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
pub fn decode(query: &str) -> (Config, Vec<String>) {
    decode_onto(Config::default(), query)
}

/// Like [`decode`], but parameters that are absent (or invalid) keep their
/// value in `base` instead of the default: how a host page's message updates
/// the current state.
pub fn decode_onto(base: Config, query: &str) -> (Config, Vec<String>) {
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
    let params = Params::parse(query);
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
        if let Err(reason) = field.read(&params, &mut state) {
            state = before;
            notices.push(format!("{}: {reason}; the default is used.", field.param));
        }
    }
    notices.extend(state.keep_invariants());
    (state, notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(state: &Config) -> Config {
        let (decoded, notices) = decode(&encode(state));
        assert!(notices.is_empty(), "{notices:?}");
        decoded
    }

    #[test]
    fn default_state_is_an_empty_query() {
        assert_eq!(encode(&Config::default()), "");
        assert_eq!(decode(""), (Config::default(), vec![]));
    }

    #[test]
    fn only_non_default_values_are_written() {
        let state = Config {
            gamma: 5.0,
            ..Config::default()
        };
        assert_eq!(encode(&state), "v=1&gamma=5");
        assert_eq!(round_trip(&state), state);
    }

    #[test]
    fn every_field_round_trips() {
        let state = Config {
            classes: ClassSource::list(vec![
                ClassRow::new("cows, brown", 99.0),
                ClassRow::new("100% tiger", 1.0),
                ClassRow::new("<script>alert(1)</script>", 0.5),
            ]),
            gamma: 3.25,
            alpha: Some(vec![1.0, 2.0, 0.5].into()),
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
    fn labels_with_commas_and_percent_signs_round_trip() {
        for label in [
            "%", "%2C", "%252C", ",%", "%,", "a,,b", "%25", "100%", "%2", "é%2cé",
        ] {
            assert_eq!(unescape_label(&escape_label(label)), label, "{label}");
        }
        assert_eq!(unescape_label("a%2cb%41%"), "a,b%41%");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_label_round_trips(label in "[%,25Cc a-zé]{0,12}") {
            proptest::prop_assert_eq!(unescape_label(&escape_label(&label)), label);
        }
    }

    #[test]
    fn generators_make_short_links() {
        let state = Config {
            classes: ClassSource::Generated(Generator::Exponential {
                k: 100,
                nmax: 500.0,
                ratio: 100.0,
            }),
            ..Config::default()
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
        assert_eq!(state, Config::default());
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
    fn long_class_lists_are_left_out_of_links_and_said_so() {
        let list = |n: usize| Config {
            classes: ClassSource::list(
                (0..n)
                    .map(|i| ClassRow::new(default_label(i), 1.0 + i as f64))
                    .collect(),
            ),
            ..Config::default()
        };
        let fits = list(MAX_LINK_CLASSES);
        assert!(encode(&fits).contains("counts=1%2C2%2C3"));
        assert_eq!(left_out_of_links(&fits), None);
        let long = Config {
            alpha: Some(vec![2.0; MAX_LINK_CLASSES + 1].into()),
            gamma: 3.0,
            ..list(MAX_LINK_CLASSES + 1)
        };
        assert_eq!(encode(&long), "v=1&gamma=3");
        assert_eq!(
            left_out_of_links(&long).as_deref(),
            Some("Links carry up to 20000 listed classes; these 20001 classes and their α weights are left out of this page's link and address (share the counts file, or a generator).")
        );
        let generated = Config {
            classes: ClassSource::Generated(Generator::Zipf {
                k: 1_000_000,
                nmax: 1e6,
                s: 1.0,
            }),
            ..Config::default()
        };
        assert!(encode(&generated).contains("k=1000000"));
        assert_eq!(left_out_of_links(&generated), None);
    }

    #[test]
    fn hostile_links_never_panic() {
        let huge_list = vec!["1"; MAX_PAGE_CLASSES + 5].join(",");
        let (state, notices) = decode(&format!("counts={huge_list}"));
        assert_eq!(state.classes, Config::default().classes);
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
        assert_eq!(state.classes, Config::default().classes);
    }

    #[test]
    fn a_repeated_parameter_is_read_from_its_first_occurrence() {
        let (state, notices) = decode("gamma=3&gamma=7&log=1&gamma=oops");
        assert_eq!(notices, Vec::<String>::new());
        assert_eq!((state.gamma, state.log_scale), (3.0, true));
        // The first one is read even when it is invalid (and a later one is not).
        let (state, notices) = decode("gamma=oops&gamma=7");
        assert_eq!(state.gamma, Config::default().gamma);
        assert_eq!(notices.len(), 1);
        // Half a million names, the most a link of 2 MB holds: each field
        // looks them up once, so reading them stays linear.
        let many = "x=1&".repeat(MAX_QUERY_BYTES / 4 - 10) + "gamma=4";
        let (state, notices) = decode(&many);
        assert_eq!((state.gamma, notices.len()), (4.0, 0));
    }

    #[test]
    fn decoding_onto_a_state_changes_only_what_is_given() {
        let base = Config {
            gamma: 7.0,
            log_scale: true,
            ..Config::default()
        };
        let (state, notices) = decode_onto(base.clone(), "counts=3,1&gamma=oops");
        assert_eq!(notices.len(), 1);
        assert_eq!(state.gamma, 7.0);
        assert!(state.log_scale);
        assert_eq!(state.classes.classes().len(), 2);
        assert_eq!(state.classes.classes()[0], ClassRow::unlabelled(3.0));
        assert_eq!(state.classes.classes()[0].label_at(0), "class 1");
    }

    #[test]
    fn gamma_above_gamma_max_raises_it() {
        let (state, notices) = decode("gamma=37.5");
        assert!(notices.is_empty());
        assert_eq!(state.gamma_max, 38.0);
    }
}
