//! The configuration a person edits: classes, γ and view options, with defaults.

use crate::core::MAX_GAMMA;

/// One row of the class editor.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassRow {
    /// Shown label (plain text, never HTML).
    pub label: String,
    /// Count, validated by the core when solving.
    pub count: f64,
}

impl ClassRow {
    /// A row with the given label and count.
    pub fn new(label: impl Into<String>, count: f64) -> Self {
        ClassRow {
            label: label.into(),
            count,
        }
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

/// Points of the γ-sweep behind the entropy plot.
pub const SWEEP_POINTS: usize = 256;

/// Largest number of classes the page edits (the core goes to a million; the
/// page's table and plots stay responsive up to this).
pub const MAX_PAGE_CLASSES: usize = 20_000;

/// The default classes: 99 cows and 1 tiger.
pub fn default_classes() -> Vec<ClassRow> {
    vec![ClassRow::new("cows", 99.0), ClassRow::new("tiger", 1.0)]
}

/// Label given to the i-th (zero-based) class when none is entered.
pub fn default_label(index: usize) -> String {
    format!("class {}", index + 1)
}

/// Parses the γ typed in the number box: a finite number in [0, 100].
pub fn parse_gamma(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("“{}” is not a number", text.trim()))?;
    if value.is_finite() && (0.0..=MAX_GAMMA).contains(&value) {
        Ok(value)
    } else {
        Err(format!("γ must be from 0 to {MAX_GAMMA}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
