//! Typed errors of the core, each with a plain-language message for the user.

use std::fmt;

/// Largest γ the solver accepts. Above it `(1 − q)^γ` makes every class but the
/// head numerically indistinguishable, and the paper's findings are all visible well below.
pub const MAX_GAMMA: f64 = 100.0;

/// Largest number of classes accepted (one million).
pub const MAX_CLASSES: usize = 1_000_000;

/// Why an input cannot be solved.
#[derive(Debug, Clone, PartialEq)]
pub enum FocalError {
    /// No classes were given.
    NoClasses,
    /// More classes than [`MAX_CLASSES`].
    TooManyClasses {
        /// How many were given.
        given: usize,
    },
    /// A count is negative, NaN or infinite.
    InvalidCount {
        /// Zero-based class index.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Every count is zero.
    AllZero,
    /// γ is negative, NaN, infinite or above [`MAX_GAMMA`].
    InvalidGamma {
        /// The offending value.
        value: f64,
    },
    /// The α list does not have one entry per class.
    AlphaLength {
        /// Number of α values given.
        given: usize,
        /// Number of classes.
        expected: usize,
    },
    /// The multiplicities of a row's distinct entries are not one per entry.
    MultiplicityLength {
        /// Number of multiplicities given.
        given: usize,
        /// Number of distinct entries.
        expected: usize,
    },
    /// An α value is not a positive finite number.
    InvalidAlpha {
        /// Zero-based class index.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A class index (for example the tracked class) is out of range or has count zero.
    InvalidClass {
        /// Zero-based class index.
        index: usize,
    },
    /// A grid of γ values or probabilities is empty or badly ordered.
    InvalidGrid {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A model output is not a probability (negative, above 1, NaN or infinite).
    InvalidProbability {
        /// Zero-based class index.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Model outputs that sum too far from 1 to be a distribution.
    NotADistribution {
        /// Their sum.
        sum: f64,
    },
}

impl fmt::Display for FocalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FocalError::NoClasses => write!(f, "enter at least one class count"),
            FocalError::TooManyClasses { given } => write!(
                f,
                "{given} classes is more than the supported maximum of {MAX_CLASSES}"
            ),
            FocalError::InvalidCount { index, value } => write!(
                f,
                "the count of class {} is {value}; counts must be finite numbers ≥ 0",
                index + 1
            ),
            FocalError::AllZero => write!(
                f,
                "all counts are zero; at least one class needs a positive count"
            ),
            FocalError::InvalidGamma { value } => {
                write!(
                    f,
                    "γ = {value} is not allowed; γ must be a number from 0 to {MAX_GAMMA}"
                )
            }
            FocalError::AlphaLength { given, expected } => write!(
                f,
                "{given} α weights were given for {expected} classes; give one per class"
            ),
            FocalError::MultiplicityLength { given, expected } => write!(
                f,
                "{given} multiplicities were given for {expected} distinct values; give one per value"
            ),
            FocalError::InvalidAlpha { index, value } => write!(
                f,
                "α of class {} is {value}; α weights must be positive finite numbers",
                index + 1
            ),
            FocalError::InvalidClass { index } => {
                write!(f, "class {} does not exist or has count zero", index + 1)
            }
            FocalError::InvalidGrid { reason } => write!(f, "invalid grid: {reason}"),
            FocalError::InvalidProbability { index, value } => write!(
                f,
                "probability {} is {value}; probabilities must be numbers from 0 to 1",
                index + 1
            ),
            FocalError::NotADistribution { sum } => write!(
                f,
                "the probabilities sum to {sum}, not 1; a row within 1e-6 of 1 is renormalised, others are not distributions"
            ),
        }
    }
}

impl std::error::Error for FocalError {}

/// Checks that γ is a finite number in `[0, MAX_GAMMA]`.
pub fn validate_gamma(gamma: f64) -> Result<f64, FocalError> {
    if gamma.is_finite() && (0.0..=MAX_GAMMA).contains(&gamma) {
        Ok(gamma)
    } else {
        Err(FocalError::InvalidGamma { value: gamma })
    }
}
