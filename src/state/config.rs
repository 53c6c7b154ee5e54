//! The configuration a person edits: classes, γ and view options, with defaults.

use std::sync::Arc;

use super::generator::Generator;
use super::number::parse_decimal;
use crate::core::{MAX_CLASSES, MAX_GAMMA};

/// One row of the class editor.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassRow {
    /// Its own label (plain text, never HTML), or `None` for the one its
    /// position gives ([`default_label`]): generated and pasted counts carry
    /// no label strings, so that a million of them are made, compared and
    /// dropped without a million small allocations (dropping a quarter of a
    /// million labels took 12 ms in the page).
    pub label: Option<String>,
    /// Count, validated by the core when solving.
    pub count: f64,
}

impl ClassRow {
    /// A row with the given label and count.
    pub fn new(label: impl Into<String>, count: f64) -> Self {
        ClassRow {
            label: Some(label.into()),
            count,
        }
    }

    /// A row with `count` and the label its position gives.
    pub fn unlabelled(count: f64) -> Self {
        ClassRow { label: None, count }
    }

    /// Its label as shown when it is the `index`-th (zero-based) class.
    pub fn label_at(&self, index: usize) -> String {
        self.label.clone().unwrap_or_else(|| default_label(index))
    }
}

/// The labels of a list of classes, read off the list itself (shared, never
/// copied: taking a million labels cost 25 ms in the page).
#[derive(Debug, Clone, Default)]
pub struct ClassLabels(Arc<Vec<ClassRow>>);

impl ClassLabels {
    /// The labels of `classes`.
    pub fn of(classes: Arc<Vec<ClassRow>>) -> Self {
        ClassLabels(classes)
    }

    /// How many classes there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no classes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The label of the `index`-th (zero-based) class, if there is one.
    pub fn get(&self, index: usize) -> Option<String> {
        self.0.get(index).map(|row| row.label_at(index))
    }

    /// The `index`-th (zero-based) class's label of its own, if it has one
    /// (none for a class named by its place), borrowed: reading a quarter of
    /// a million labels makes no copy of them.
    pub fn own(&self, index: usize) -> Option<&str> {
        self.0.get(index)?.label.as_deref()
    }

    /// Whether no class has a label of its own: every one is named by its
    /// place ("class 1", "class 2", …), as generated and pasted counts are.
    pub fn all_by_place(&self) -> bool {
        self.0.iter().all(|row| row.label.is_none())
    }

    /// The labels in order.
    pub fn iter(&self) -> impl Iterator<Item = String> + '_ {
        self.0.iter().enumerate().map(|(i, row)| row.label_at(i))
    }

    /// Whether both are the labels of the same list (compared by address).
    pub fn same_as(&self, other: &ClassLabels) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Labels named one by one (each class counted once), as tests name them.
impl<S: Into<String>> FromIterator<S> for ClassLabels {
    fn from_iter<I: IntoIterator<Item = S>>(names: I) -> Self {
        ClassLabels(Arc::new(
            names
                .into_iter()
                .map(|name| ClassRow::new(name, 1.0))
                .collect(),
        ))
    }
}

/// Unit of entropies and focal-entropies on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Units {
    /// Natural logarithms.
    #[default]
    Nats,
    /// Base-2 logarithms.
    Bits,
}

impl Units {
    /// Factor from nats to this unit.
    pub fn from_nats(self) -> f64 {
        match self {
            Units::Nats => 1.0,
            Units::Bits => std::f64::consts::LOG2_E,
        }
    }

    /// The unit's name.
    pub fn name(self) -> &'static str {
        match self {
            Units::Nats => "nats",
            Units::Bits => "bits",
        }
    }
}

/// Default upper end of the γ slider and of the sweep.
pub const DEFAULT_GAMMA_MAX: f64 = 20.0;

/// Default γ on first load.
pub const DEFAULT_GAMMA: f64 = 2.0;

/// Points of the γ-sweep behind the entropy plot (for up to
/// [`MAX_SWEEP_CELLS`] / 256 distinct classes; fewer above, see
/// [`sweep_points`]).
pub const SWEEP_POINTS: usize = 256;

/// Most solved classes a sweep keeps, summed over its γ values (56 bytes
/// each): above it the sweep takes fewer γ values, so that 20 000 distinct
/// classes keep about 72 MB instead of 290.
pub const MAX_SWEEP_CELLS: usize = 1 << 20;

/// Most distinct classes (groups of equal counts) the page sweeps along γ:
/// at [`MIN_SWEEP_POINTS`] γ values their solutions take about 120 MB. Above
/// it the plots along γ say so, and everything at the current γ still works.
pub const MAX_SWEEP_DISTINCT_CLASSES: usize = 32_768;

/// Fewest γ values of a sweep, however many classes.
pub const MIN_SWEEP_POINTS: usize = 64;

/// γ values of the sweep of a problem with `distinct` distinct classes:
/// [`SWEEP_POINTS`] up to 4096 of them, then fewer, down to [`MIN_SWEEP_POINTS`].
pub fn sweep_points(distinct: usize) -> usize {
    (MAX_SWEEP_CELLS / distinct.max(1)).clamp(MIN_SWEEP_POINTS, SWEEP_POINTS)
}

/// Largest number of classes the page takes: as many as the core solves.
/// Tables, plots and findings work over the distinct counts, so tied classes
/// (the long tail of real count data) cost little.
pub const MAX_PAGE_CLASSES: usize = MAX_CLASSES;

/// The default classes: 99 cows and 1 tiger.
pub fn default_classes() -> Vec<ClassRow> {
    vec![ClassRow::new("cows", 99.0), ClassRow::new("tiger", 1.0)]
}

/// Label given to the i-th (zero-based) class when none is entered:
/// "class 1", "class 2", …, written digit by digit (a generated vocabulary
/// names a quarter of a million classes at once, where `format!` took a
/// tenth of a second in the page).
pub fn default_label(index: usize) -> String {
    // The digits of index + 1, last first (a usize has at most 20).
    let mut digits = [0u8; 20];
    let mut count = 0;
    let mut number = index + 1;
    loop {
        digits[count] = b'0' + (number % 10) as u8;
        count += 1;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    let mut label = String::with_capacity(6 + count);
    label.push_str("class ");
    label.extend(digits[..count].iter().rev().map(|&digit| char::from(digit)));
    label
}

/// Parses the γ typed in the number box: a finite number in [0, 100].
pub fn parse_gamma(text: &str) -> Result<f64, String> {
    let value =
        parse_decimal(text.trim()).ok_or_else(|| format!("“{}” is not a number", text.trim()))?;
    if value.is_finite() && (0.0..=MAX_GAMMA).contains(&value) {
        Ok(value)
    } else {
        Err(format!("γ must be from 0 to {MAX_GAMMA}"))
    }
}

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
    /// From model outputs back to probabilities.
    Invert,
}

impl Panel {
    /// Every panel, in page order.
    pub const ALL: [Panel; 9] = [
        Panel::Text,
        Panel::Counts,
        Panel::Distribution,
        Panel::Entropy,
        Panel::Tracked,
        Panel::Map,
        Panel::Summary,
        Panel::Table,
        Panel::Invert,
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
            Panel::Invert => "invert",
        }
    }

    /// The panel of a `hide=` name.
    pub fn from_name(name: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Where the classes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassSource {
    /// An explicit list, shared: the configuration is cloned and compared at
    /// every γ, which must not copy a million rows.
    List(Arc<Vec<ClassRow>>),
    /// A generator (short links for many classes).
    Generated(Generator),
}

impl ClassSource {
    /// A list of classes.
    pub fn list(rows: Vec<ClassRow>) -> Self {
        ClassSource::List(Arc::new(rows))
    }

    /// Whether two sources describe the same classes; the same shared list
    /// is recognised without comparing its rows.
    pub fn same_as(&self, other: &ClassSource) -> bool {
        match (self, other) {
            (ClassSource::List(a), ClassSource::List(b)) => Arc::ptr_eq(a, b) || a == b,
            _ => self == other,
        }
    }

    /// The classes this source describes (an invalid generator gives none),
    /// shared: a list's rows are not copied.
    pub fn classes(&self) -> Arc<Vec<ClassRow>> {
        match self {
            ClassSource::List(rows) => Arc::clone(rows),
            ClassSource::Generated(generator) => Arc::new(generator.classes().unwrap_or_default()),
        }
    }

    /// How many classes [`ClassSource::classes`] gives, without building them
    /// (checked on every change of the model, so on every slider step).
    pub fn len(&self) -> usize {
        match self {
            ClassSource::List(rows) => rows.len(),
            ClassSource::Generated(generator) if generator.validate().is_ok() => {
                generator.class_count()
            }
            ClassSource::Generated(_) => 0,
        }
    }

    /// Whether it gives no class (an invalid generator).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The configuration a person edits, and everything a link carries: the one
/// model of the page. Components read it and change it through its methods,
/// which keep it consistent; links and host messages encode and decode it.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The classes.
    pub classes: ClassSource,
    /// γ.
    pub gamma: f64,
    /// α weights, one per class (shared: a million of them are not copied
    /// whenever the configuration is, at every γ).
    pub alpha: Option<Arc<Vec<f64>>>,
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

impl Default for Config {
    fn default() -> Self {
        Config {
            classes: ClassSource::list(default_classes()),
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

impl Config {
    /// Sets γ (clamped to 0…100), raising γ max to it when needed.
    pub fn set_gamma(&mut self, gamma: f64) {
        if gamma.is_finite() {
            self.gamma = gamma.clamp(0.0, MAX_GAMMA);
            self.gamma_max = self.gamma_max.max(self.gamma.ceil()).min(MAX_GAMMA);
        }
    }

    /// Sets γ max (clamped to 1…100), lowering γ to it when needed.
    pub fn set_gamma_max(&mut self, gamma_max: f64) {
        if gamma_max.is_finite() {
            self.gamma_max = gamma_max.clamp(1.0, MAX_GAMMA);
            self.gamma = self.gamma.min(self.gamma_max);
        }
    }

    /// Replaces the classes; α weights and a tracked class that no longer
    /// fit are dropped (the returned notices say so).
    pub fn set_classes(&mut self, classes: ClassSource) -> Vec<String> {
        self.classes = classes;
        self.keep_invariants()
    }

    /// Restores the invariants that a change of one field can break, with a
    /// notice for each value dropped: α weights fit the classes (one each),
    /// γ ≤ γ max, and the tracked class exists.
    pub fn keep_invariants(&mut self) -> Vec<String> {
        let mut notices = Vec::new();
        let classes = self.classes.len();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_read_off_the_classes_by_position_where_none_is_given() {
        let rows = vec![
            ClassRow::unlabelled(5.0),
            ClassRow::new("tiger", 1.0),
            ClassRow::new("", 2.0),
            ClassRow::unlabelled(3.0),
        ];
        let classes = Arc::new(rows);
        let labels = ClassLabels::of(Arc::clone(&classes));
        assert_eq!(labels.len(), 4);
        assert_eq!(
            labels.iter().collect::<Vec<_>>(),
            ["class 1", "tiger", "", "class 4"]
        );
        assert_eq!(labels.get(3).as_deref(), Some("class 4"));
        assert_eq!(labels.get(4), None);
        // Shared, not copied: the same list, whichever copy of the labels.
        assert!(labels.clone().same_as(&labels));
        assert!(!labels.same_as(&ClassLabels::of(Arc::new(classes.to_vec()))));
        assert!(ClassLabels::default().is_empty());
    }

    #[test]
    fn default_labels_number_classes_from_one() {
        assert_eq!(default_label(0), "class 1");
        assert_eq!(default_label(9), "class 10");
        assert_eq!(default_label(262_143), "class 262144");
        for index in (0..2_000_000).step_by(997).chain([usize::MAX - 1]) {
            assert_eq!(default_label(index), format!("class {}", index + 1));
        }
    }

    #[test]
    fn the_model_keeps_gamma_within_gamma_max() {
        let mut config = Config::default();
        config.set_gamma(37.2);
        assert_eq!((config.gamma, config.gamma_max), (37.2, 38.0));
        config.set_gamma_max(10.0);
        assert_eq!((config.gamma, config.gamma_max), (10.0, 10.0));
        config.set_gamma(f64::NAN);
        config.set_gamma_max(500.0);
        assert_eq!((config.gamma, config.gamma_max), (10.0, 100.0));
        config.set_gamma(-3.0);
        assert_eq!(config.gamma, 0.0);
    }

    #[test]
    fn new_classes_drop_alpha_and_a_tracked_class_that_no_longer_fit() {
        let mut config = Config {
            alpha: Some(vec![1.0, 2.0].into()),
            track: Some(1),
            ..Config::default()
        };
        let three = ClassSource::list(vec![
            ClassRow::new("a", 1.0),
            ClassRow::new("b", 2.0),
            ClassRow::new("c", 3.0),
        ]);
        let notices = config.set_classes(three);
        assert_eq!(config.alpha, None);
        assert_eq!(config.track, Some(1));
        assert_eq!(
            notices,
            ["alpha: 2 α weights do not fit 3 classes; they were dropped."]
        );
        let one = ClassSource::list(vec![ClassRow::new("a", 1.0)]);
        assert_eq!(
            config.set_classes(one),
            ["track: there is no class 2 among 1; the rarest is tracked."]
        );
        assert_eq!(config.track, None);
    }

    #[test]
    fn gamma_text_is_validated() {
        assert_eq!(parse_gamma(" 2.5 "), Ok(2.5));
        assert_eq!(parse_gamma("100"), Ok(100.0));
        assert!(parse_gamma("101").is_err());
        assert!(parse_gamma("-1").is_err());
        assert!(parse_gamma("NaN").is_err());
        assert_eq!(parse_gamma("abc"), Err("“abc” is not a number".into()));
    }

    #[test]
    fn bits_convert_from_nats() {
        assert!((2f64.ln() * Units::Bits.from_nats() - 1.0).abs() < 1e-15);
        assert_eq!(Units::Nats.from_nats(), 1.0);
    }
}
