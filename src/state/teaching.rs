//! The presets, each showing a finding on a familiar shape (or a case that
//! contradicts the usual story).

use super::config::ClassRow;
use super::generator::Generator;

/// Where a preset's classes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum PresetClasses {
    /// A fixed list.
    List(Vec<ClassRow>),
    /// A generator.
    Generated(Generator),
}

/// A named example.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// Stable key (the select's value).
    pub key: &'static str,
    /// Name shown to people.
    pub name: &'static str,
    /// Its classes.
    pub classes: PresetClasses,
}

/// The presets, each showing one of the paper's findings on a familiar shape.
pub fn presets() -> Vec<Preset> {
    let rows = |pairs: &[(&str, f64)]| {
        PresetClasses::List(pairs.iter().map(|&(l, c)| ClassRow::new(l, c)).collect())
    };
    let mut head_middle_tail = vec![("head", 0.3)];
    let middle: Vec<String> = (1..=8).map(|i| format!("middle {i}")).collect();
    head_middle_tail.extend(middle.iter().map(|m| (m.as_str(), 0.0875)));
    head_middle_tail.push(("tiny tail", 1e-6));
    let balanced: Vec<(String, f64)> = (1..=10).map(|i| (format!("class {i}"), 100.0)).collect();
    vec![
        Preset {
            key: "cows",
            name: "99 cows : 1 tiger",
            classes: rows(&[("cows", 99.0), ("tiger", 1.0)]),
        },
        Preset {
            key: "million",
            name: "1,000,000 : 1",
            classes: rows(&[("common", 1e6), ("rare", 1.0)]),
        },
        Preset {
            key: "cifar10lt",
            name: "CIFAR-10-LT (ratio 100)",
            classes: PresetClasses::Generated(Generator::Exponential {
                k: 10,
                nmax: 5000.0,
                ratio: 100.0,
            }),
        },
        Preset {
            key: "cifar100lt",
            name: "CIFAR-100-LT (ratio 100)",
            classes: PresetClasses::Generated(Generator::Exponential {
                k: 100,
                nmax: 500.0,
                ratio: 100.0,
            }),
        },
        Preset {
            key: "imagenetlt",
            name: "ImageNet-LT-like (1000 classes, 1280 → 5)",
            classes: PresetClasses::Generated(Generator::Exponential {
                k: 1000,
                nmax: 1280.0,
                ratio: 256.0,
            }),
        },
        Preset {
            key: "step",
            name: "Step: 5 × 5000, 5 × 50 (the majority gains)",
            classes: PresetClasses::Generated(Generator::Step {
                k: 10,
                minority: 5,
                nmax: 5000.0,
                ratio: 100.0,
            }),
        },
        Preset {
            key: "zipf",
            name: "Zipf tail, 1000 classes (the entropy falls)",
            classes: PresetClasses::Generated(Generator::Zipf {
                k: 1000,
                nmax: 1000.0,
                s: 1.1,
            }),
        },
        Preset {
            key: "gpt2",
            name: "GPT-2-size vocabulary (Zipf, 50 257 tokens)",
            classes: PresetClasses::Generated(Generator::Zipf {
                k: 50_257,
                nmax: 1e6,
                s: 1.0,
            }),
        },
        Preset {
            key: "vocab256k",
            name: "256k-token vocabulary (Zipf, 262 144 tokens)",
            classes: PresetClasses::Generated(Generator::Zipf {
                k: 262_144,
                nmax: 1e6,
                s: 1.0,
            }),
        },
        Preset {
            key: "tinytail",
            name: "Head, 8 middle classes, tiny tail",
            classes: rows(&head_middle_tail),
        },
        Preset {
            key: "balanced",
            name: "Balanced (10 classes)",
            classes: rows(
                &balanced
                    .iter()
                    .map(|(l, c)| (l.as_str(), *c))
                    .collect::<Vec<_>>(),
            ),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::solve;
    use crate::state::findings::AtGamma;

    #[test]
    fn with_alpha_the_order_follows_alpha_times_p() {
        // α = 1 : 200 makes the tiger the heavier target: q* reverses the
        // order of p but keeps the order of α·p.
        let solution = solve(&[99.0, 1.0], 2.0, Some(&[1.0, 200.0])).unwrap();
        assert!(solution.q(1) > solution.q(0));
        assert!(AtGamma::new(&solution).order_preserved);
        // Equal α is no weighting at all.
        let equal = solve(&[99.0, 1.0], 2.0, Some(&[3.0, 3.0])).unwrap();
        assert!(equal.problem().alpha().is_none());
        assert!(AtGamma::new(&equal).order_preserved);
    }

    #[test]
    fn presets_show_the_findings() {
        let all = presets();
        assert_eq!(all.len(), 11);
        let classes = |key: &str| -> Vec<f64> {
            match &all.iter().find(|p| p.key == key).unwrap().classes {
                PresetClasses::List(rows) => rows.iter().map(|r| r.count).collect(),
                PresetClasses::Generated(g) => {
                    g.classes().unwrap().iter().map(|r| r.count).collect()
                }
            }
        };
        let tiny = solve(&classes("tinytail"), 5.0, None).unwrap();
        assert_eq!(tiny.over_suppressed_classes(), vec![9]);
        assert!(solve(&classes("cows"), 5.0, None)
            .unwrap()
            .over_suppressed_classes()
            .is_empty());
        let imagenet = classes("imagenetlt");
        assert_eq!(
            (imagenet[0], imagenet[999], imagenet.len()),
            (1280.0, 5.0, 1000)
        );
        assert!(AtGamma::new(&solve(&imagenet, 3.0, None).unwrap()).order_preserved);
        // The counter-intuitive cases: under the step the majority gains; on
        // the Zipf tail the entropy falls.
        // The vocabularies: a few top tokens gain, every other token loses.
        for (key, tokens) in [("gpt2", 50_257), ("vocab256k", 262_144)] {
            let vocabulary = classes(key);
            assert_eq!(vocabulary.len(), tokens);
            let at = crate::state::findings::AtGamma::new(&solve(&vocabulary, 2.0, None).unwrap());
            assert!(at.entropy.delta < 0.0);
            let gainers = at.movement.gainers.unwrap();
            assert!(gainers.count < 20 && gainers.ranks.0 == 1, "{key}");
            assert_eq!(
                at.movement.tail_losers.unwrap().count,
                tokens - gainers.count
            );
        }
        let step = solve(&classes("step"), 2.0, None).unwrap();
        assert!(step.ratio(0).unwrap() > 1.0 && step.ratio(9).unwrap() < 1.0);
        let zipf = solve(&classes("zipf"), 3.0, None).unwrap();
        assert!(zipf.shannon_q() < zipf.shannon_p());
    }
}
