//! Class-count generators for long-tail profiles, so that a link can describe a
//! thousand classes in a few parameters.

use super::config::{default_label, ClassRow, MAX_PAGE_CLASSES};

/// A parametric class-count profile. Counts are rounded and at least 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Generator {
    /// Exponential long tail (the CIFAR-LT profile): `n_i = nmax·ratio^(−i/(K−1))`.
    Exponential {
        /// Number of classes K.
        k: usize,
        /// Count of the largest class.
        nmax: f64,
        /// Head-to-tail ratio.
        ratio: f64,
    },
    /// Zipf profile: `n_i = nmax / (i+1)^s`.
    Zipf {
        /// Number of classes K.
        k: usize,
        /// Count of the largest class.
        nmax: f64,
        /// Exponent s.
        s: f64,
    },
    /// Step imbalance: `K − minority` classes of `nmax`, `minority` classes of `nmax/ratio`.
    Step {
        /// Number of classes K.
        k: usize,
        /// Number of minority classes.
        minority: usize,
        /// Count of a majority class.
        nmax: f64,
        /// Majority-to-minority ratio.
        ratio: f64,
    },
}

/// Largest count a generator accepts.
pub const MAX_GENERATED_COUNT: f64 = 1e15;

impl Generator {
    /// The URL name of the profile (`exp`, `zipf`, `step`).
    pub fn name(&self) -> &'static str {
        match self {
            Generator::Exponential { .. } => "exp",
            Generator::Zipf { .. } => "zipf",
            Generator::Step { .. } => "step",
        }
    }

    /// Number of classes.
    pub fn class_count(&self) -> usize {
        match *self {
            Generator::Exponential { k, .. }
            | Generator::Zipf { k, .. }
            | Generator::Step { k, .. } => k,
        }
    }

    /// Checks the parameters; the message says which one is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let k = self.class_count();
        if !(1..=MAX_PAGE_CLASSES).contains(&k) {
            return Err(format!(
                "k must be a whole number from 1 to {MAX_PAGE_CLASSES}"
            ));
        }
        let nmax = match *self {
            Generator::Exponential { nmax, .. }
            | Generator::Zipf { nmax, .. }
            | Generator::Step { nmax, .. } => nmax,
        };
        if !(nmax.is_finite() && (1.0..=MAX_GENERATED_COUNT).contains(&nmax)) {
            return Err("nmax must be a number from 1 to 1e15".into());
        }
        match *self {
            Generator::Exponential { ratio, .. } | Generator::Step { ratio, .. }
                if !(ratio.is_finite() && (1.0..=1e12).contains(&ratio)) =>
            {
                Err("ratio must be a number from 1 to 1e12".into())
            }
            Generator::Zipf { s, .. } if !(s.is_finite() && s > 0.0 && s <= 10.0) => {
                Err("s must be a number above 0 and at most 10".into())
            }
            Generator::Step { minority, k, .. } if !(1..=k).contains(&minority) => {
                Err("minority must be from 1 to k".into())
            }
            _ => Ok(()),
        }
    }

    /// The generated classes, labelled "class 1", "class 2", ….
    pub fn classes(&self) -> Result<Vec<ClassRow>, String> {
        self.validate()?;
        let k = self.class_count();
        let count = |i: usize| -> f64 {
            let raw = match *self {
                Generator::Exponential { nmax, ratio, .. } => {
                    if k == 1 {
                        nmax
                    } else {
                        nmax * ratio.powf(-(i as f64) / (k - 1) as f64)
                    }
                }
                Generator::Zipf { nmax, s, .. } => nmax / ((i + 1) as f64).powf(s),
                Generator::Step {
                    minority,
                    nmax,
                    ratio,
                    ..
                } => {
                    if i < k - minority {
                        nmax
                    } else {
                        nmax / ratio
                    }
                }
            };
            raw.round().max(1.0)
        };
        Ok((0..k)
            .map(|i| ClassRow::new(default_label(i), count(i)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cifar_lt_profile() {
        let rows = Generator::Exponential {
            k: 10,
            nmax: 5000.0,
            ratio: 100.0,
        }
        .classes()
        .unwrap();
        let counts: Vec<f64> = rows.iter().map(|r| r.count).collect();
        assert_eq!(
            counts,
            vec![5000.0, 2997.0, 1797.0, 1077.0, 646.0, 387.0, 232.0, 139.0, 83.0, 50.0]
        );
        assert_eq!(rows[9].label, "class 10");
    }

    #[test]
    fn zipf_and_step_profiles() {
        let zipf = Generator::Zipf {
            k: 4,
            nmax: 1000.0,
            s: 1.0,
        }
        .classes()
        .unwrap();
        assert_eq!(
            zipf.iter().map(|r| r.count).collect::<Vec<_>>(),
            vec![1000.0, 500.0, 333.0, 250.0]
        );
        let step = Generator::Step {
            k: 4,
            minority: 1,
            nmax: 5000.0,
            ratio: 100.0,
        }
        .classes()
        .unwrap();
        assert_eq!(
            step.iter().map(|r| r.count).collect::<Vec<_>>(),
            vec![5000.0, 5000.0, 5000.0, 50.0]
        );
    }

    #[test]
    fn bad_parameters_are_named() {
        assert!(Generator::Zipf {
            k: 0,
            nmax: 10.0,
            s: 1.0
        }
        .classes()
        .unwrap_err()
        .starts_with("k "));
        assert!(Generator::Exponential {
            k: 5,
            nmax: 10.0,
            ratio: 0.5
        }
        .classes()
        .unwrap_err()
        .starts_with("ratio"));
        assert!(Generator::Step {
            k: 5,
            minority: 6,
            nmax: 10.0,
            ratio: 2.0
        }
        .classes()
        .unwrap_err()
        .starts_with("minority"));
        assert!(Generator::Zipf {
            k: 5,
            nmax: f64::NAN,
            s: 1.0
        }
        .classes()
        .unwrap_err()
        .starts_with("nmax"));
    }
}
