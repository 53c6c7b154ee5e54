//! Class-count generators for long-tail profiles, so that a link can describe a
//! thousand classes in a few parameters.

use super::config::{ClassRow, MAX_PAGE_CLASSES};
use super::format::shortest;
use super::number::parse_decimal;
use super::piecewise::Piecewise;

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

/// Where a parameter's default comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParameterDefault {
    /// A fixed value.
    Fixed(f64),
    /// Half the number of classes (at least 1): the step's minority.
    HalfOfK,
}

/// One parameter of a profile: its name (in links, messages and the panel),
/// its range, whether it is a whole number, and its default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parameter {
    /// Name in links, host messages and the panel.
    pub name: &'static str,
    /// Smallest value.
    pub low: f64,
    /// Largest value (for `minority`, also at most k).
    pub high: f64,
    /// Whether only whole numbers are allowed.
    pub whole: bool,
    /// Value when none is given.
    pub default: ParameterDefault,
}

/// A profile kind: its link name, its title, and its parameters in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    /// Name in links (`dist=`).
    pub name: &'static str,
    /// Name shown to people.
    pub title: &'static str,
    /// Its parameters, in the order links and the panel show them.
    pub parameters: &'static [Parameter],
}

const K: Parameter = Parameter {
    name: "k",
    low: 1.0,
    high: MAX_PAGE_CLASSES as f64,
    whole: true,
    default: ParameterDefault::Fixed(10.0),
};

const fn nmax(default: f64) -> Parameter {
    Parameter {
        name: "nmax",
        low: 1.0,
        high: MAX_GENERATED_COUNT,
        whole: false,
        default: ParameterDefault::Fixed(default),
    }
}

const RATIO: Parameter = Parameter {
    name: "ratio",
    low: 1.0,
    high: 1e12,
    whole: false,
    default: ParameterDefault::Fixed(100.0),
};

/// Every profile, declared once: links, host messages, the generator panel
/// and validation all read this table.
pub const PROFILES: [Profile; 3] = [
    Profile {
        name: "exp",
        title: "exponential long tail (CIFAR-LT)",
        parameters: &[K, nmax(5000.0), RATIO],
    },
    Profile {
        name: "zipf",
        title: "Zipf",
        parameters: &[
            K,
            nmax(1000.0),
            Parameter {
                name: "s",
                low: 1e-9,
                high: 10.0,
                whole: false,
                default: ParameterDefault::Fixed(1.1),
            },
        ],
    },
    Profile {
        name: "step",
        title: "step imbalance",
        parameters: &[
            K,
            Parameter {
                name: "minority",
                low: 1.0,
                high: MAX_PAGE_CLASSES as f64,
                whole: true,
                default: ParameterDefault::HalfOfK,
            },
            nmax(5000.0),
            RATIO,
        ],
    },
];

/// Reads one parameter's text: a number in its range, whole where it must be.
fn read_parameter(parameter: &Parameter, text: &str) -> Result<f64, String> {
    let value = parse_decimal(text.trim()).ok_or_else(|| {
        let shown: String = text.trim().chars().take(20).collect();
        format!("{}: “{shown}” is not a number", parameter.name)
    })?;
    check_parameter(parameter, value)
}

/// Checks one parameter's value against its declared range (and wholeness).
fn check_parameter(parameter: &Parameter, value: f64) -> Result<f64, String> {
    let (low, high) = (parameter.low, parameter.high);
    let whole_enough = !parameter.whole || value.fract() == 0.0;
    if value.is_finite() && (low..=high).contains(&value) && whole_enough {
        Ok(value)
    } else {
        let kind = if parameter.whole {
            "a whole number"
        } else {
            "a number"
        };
        Err(format!(
            "{} must be {kind} from {low} to {high}",
            parameter.name
        ))
    }
}

impl Generator {
    /// The URL name of the profile (`exp`, `zipf`, `step`).
    pub fn name(&self) -> &'static str {
        self.profile().name
    }

    /// The declaration of this generator's profile.
    pub fn profile(&self) -> &'static Profile {
        let index = match self {
            Generator::Exponential { .. } => 0,
            Generator::Zipf { .. } => 1,
            Generator::Step { .. } => 2,
        };
        &PROFILES[index]
    }

    /// Number of classes.
    pub fn class_count(&self) -> usize {
        match *self {
            Generator::Exponential { k, .. }
            | Generator::Zipf { k, .. }
            | Generator::Step { k, .. } => k,
        }
    }

    /// The value of a parameter by its declared name.
    pub fn get(&self, name: &str) -> Option<f64> {
        Some(match (*self, name) {
            (_, "k") => self.class_count() as f64,
            (
                Generator::Exponential { nmax, .. }
                | Generator::Zipf { nmax, .. }
                | Generator::Step { nmax, .. },
                "nmax",
            ) => nmax,
            (Generator::Exponential { ratio, .. } | Generator::Step { ratio, .. }, "ratio") => {
                ratio
            }
            (Generator::Zipf { s, .. }, "s") => s,
            (Generator::Step { minority, .. }, "minority") => minority as f64,
            _ => return None,
        })
    }

    /// The generator of profile `name` with each parameter read from `text`
    /// (by its declared name) or set to its default; the message names the
    /// parameter that is wrong.
    pub fn from_text(
        name: &str,
        text: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Generator, String> {
        let profile = PROFILES.iter().find(|p| p.name == name).ok_or_else(|| {
            let shown: String = name.chars().take(20).collect();
            format!("unknown profile “{shown}” (use exp, zipf or step)")
        })?;
        let mut values: Vec<f64> = Vec::with_capacity(profile.parameters.len());
        for parameter in profile.parameters {
            let value = match text(parameter.name) {
                Some(given) => read_parameter(parameter, &given)?,
                None => match parameter.default {
                    ParameterDefault::Fixed(value) => value,
                    // k is declared first in every profile.
                    ParameterDefault::HalfOfK => (values.first().copied().unwrap_or(2.0) / 2.0)
                        .floor()
                        .max(1.0),
                },
            };
            values.push(value);
        }
        let value = |name: &str| {
            profile
                .parameters
                .iter()
                .position(|p| p.name == name)
                .map_or(0.0, |i| values[i])
        };
        let k = value("k") as usize;
        let generator = match profile.name {
            "exp" => Generator::Exponential {
                k,
                nmax: value("nmax"),
                ratio: value("ratio"),
            },
            "zipf" => Generator::Zipf {
                k,
                nmax: value("nmax"),
                s: value("s"),
            },
            _ => Generator::Step {
                k,
                minority: value("minority") as usize,
                nmax: value("nmax"),
                ratio: value("ratio"),
            },
        };
        generator.validate()?;
        Ok(generator)
    }

    /// This generator with one parameter changed from text, validated.
    pub fn with(&self, name: &str, text: &str) -> Result<Generator, String> {
        Generator::from_text(self.name(), &|parameter| {
            if parameter == name {
                Some(text.to_string())
            } else {
                self.get(parameter).map(shortest)
            }
        })
    }

    /// Checks the parameters against their declared ranges, and the step's
    /// minority against k; the message says which one is wrong.
    pub fn validate(&self) -> Result<(), String> {
        for parameter in self.profile().parameters {
            let value = self.get(parameter.name).unwrap_or(f64::NAN);
            check_parameter(parameter, value)?;
        }
        match *self {
            Generator::Step { minority, k, .. } if minority > k => {
                Err("minority must be from 1 to k".into())
            }
            _ => Ok(()),
        }
    }

    /// The generated classes, unlabelled ("class 1", "class 2", … by position).
    pub fn classes(&self) -> Result<Vec<ClassRow>, String> {
        let mut made = GeneratedClasses::new(*self)?;
        made.run_to_end()?;
        Ok(made.into_classes())
    }

    /// The count of class `index` (0-based), rounded and at least 1.
    fn count(&self, index: usize) -> f64 {
        let k = self.class_count();
        let raw = match *self {
            Generator::Exponential { nmax, ratio, .. } => {
                if k == 1 {
                    nmax
                } else {
                    nmax * ratio.powf(-(index as f64) / (k - 1) as f64)
                }
            }
            Generator::Zipf { nmax, s, .. } => nmax / ((index + 1) as f64).powf(s),
            Generator::Step {
                minority,
                nmax,
                ratio,
                ..
            } => {
                if index < k - minority {
                    nmax
                } else {
                    nmax / ratio
                }
            }
        };
        raw.round().max(1.0)
    }
}

/// Classes made per piece of [`GeneratedClasses`]: about 3 ms in the browser.
const CLASSES_PER_PIECE: usize = 16_384;

/// A generator's classes made a piece at a time, so that the page can make
/// a vocabulary or a million classes in slices (a million made at once took
/// 0.2 s in the browser).
pub struct GeneratedClasses {
    /// The generator, validated.
    generator: Generator,
    /// The classes made so far, in order.
    rows: Vec<ClassRow>,
}

impl GeneratedClasses {
    /// The classes of `generator`, none made yet; the message says which
    /// parameter is wrong.
    pub fn new(generator: Generator) -> Result<Self, String> {
        generator.validate()?;
        Ok(GeneratedClasses {
            generator,
            rows: Vec::with_capacity(generator.class_count()),
        })
    }

    /// The classes made (all of them once the work is done).
    pub fn into_classes(self) -> Vec<ClassRow> {
        self.rows
    }
}

impl Piecewise for GeneratedClasses {
    fn advance(&mut self) -> Result<bool, String> {
        let (made, k) = (self.rows.len(), self.generator.class_count());
        let end = (made + CLASSES_PER_PIECE).min(k);
        let generator = self.generator;
        self.rows
            .extend((made..end).map(|i| ClassRow::unlabelled(generator.count(i))));
        Ok(end == k)
    }

    fn fraction_done(&self) -> f64 {
        self.rows.len() as f64 / self.generator.class_count() as f64
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
        assert_eq!(rows[9].label_at(9), "class 10");
    }

    #[test]
    fn classes_are_made_a_piece_at_a_time() {
        let zipf = Generator::Zipf {
            k: 40_000,
            nmax: 1e6,
            s: 1.07,
        };
        let mut made = GeneratedClasses::new(zipf).unwrap();
        let mut shares = vec![made.fraction_done()];
        while !made.advance().unwrap() {
            shares.push(made.fraction_done());
        }
        assert_eq!(shares, [0.0, 16_384.0 / 40_000.0, 32_768.0 / 40_000.0]);
        let rows = made.into_classes();
        assert_eq!(rows.len(), 40_000);
        // Either side of each piece's end, as the formula gives them.
        for i in [0, 16_383, 16_384, 32_767, 32_768, 39_999] {
            let expected = (1e6 / ((i + 1) as f64).powf(1.07)).round().max(1.0);
            assert_eq!((rows[i].count, rows[i].label.as_deref()), (expected, None));
        }
        assert_eq!((rows[0].count, rows[39_999].count), (1e6, 12.0));
        let wrong = Generator::Zipf {
            k: 0,
            nmax: 1e6,
            s: 1.07,
        };
        assert_eq!(
            GeneratedClasses::new(wrong).err().unwrap(),
            wrong.validate().unwrap_err()
        );
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
    fn one_declaration_gives_one_set_of_defaults() {
        // A link and the panel both start a Zipf profile from the declaration.
        let from_link = Generator::from_text("zipf", &|_| None).unwrap();
        assert_eq!(
            from_link,
            Generator::Zipf {
                k: 10,
                nmax: 1000.0,
                s: 1.1
            }
        );
        let (state, _) = crate::state::url::decode("dist=zipf&k=1000");
        assert_eq!(
            state.classes,
            crate::state::config::ClassSource::Generated(Generator::Zipf {
                k: 1000,
                nmax: 1000.0,
                s: 1.1
            })
        );
        // The step's minority defaults to half the classes.
        let step = Generator::from_text("step", &|name| (name == "k").then(|| "7".into())).unwrap();
        assert_eq!(step.get("minority"), Some(3.0));
        // Every declared parameter is a link parameter (and so a message key).
        let link: Vec<&str> = crate::state::url::parameter_names().collect();
        for profile in PROFILES {
            for parameter in profile.parameters {
                assert!(link.contains(&parameter.name), "{}", parameter.name);
            }
        }
    }

    #[test]
    fn one_parameter_changes_at_a_time_and_is_checked() {
        let exp = Generator::from_text("exp", &|_| None).unwrap();
        let wider = exp.with("ratio", "1000").unwrap();
        assert_eq!(wider.get("ratio"), Some(1000.0));
        assert_eq!(wider.get("nmax"), exp.get("nmax"));
        assert_eq!(
            exp.with("k", "2.5").unwrap_err(),
            "k must be a whole number from 1 to 1000000"
        );
        assert_eq!(
            exp.with("nmax", "lots").unwrap_err(),
            "nmax: “lots” is not a number"
        );
        assert_eq!(
            Generator::from_text("pareto", &|_| None).unwrap_err(),
            "unknown profile “pareto” (use exp, zipf or step)"
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
