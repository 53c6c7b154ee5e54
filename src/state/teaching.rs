//! The paper's four findings as plain-language captions computed from the
//! current numbers, and the presets that show them.

use crate::core::{Regime, Solution};

use super::config::ClassRow;
use super::generator::Generator;

/// A change of probability in percent, rounded for reading: "7%", "0.4%".
fn percent(ratio: f64) -> String {
    let change = (ratio - 1.0).abs() * 100.0;
    if change >= 9.5 {
        format!("{change:.0}%")
    } else if change >= 0.95 {
        format!("{change:.1}%").replace(".0%", "%")
    } else {
        format!("{change:.2}%")
    }
}

/// `a–b%` for a range of ratios, or one value when they round alike.
fn percent_range(low: f64, high: f64) -> String {
    let (a, b) = (percent(low), percent(high));
    if a == b {
        a
    } else {
        format!("{}–{b}", a.trim_end_matches('%'))
    }
}

/// Labels of up to `most` classes joined by commas, then "and N more".
pub fn class_names(classes: &[usize], labels: &[String], most: usize) -> String {
    let shown: Vec<&str> = classes
        .iter()
        .take(most)
        .map(|&c| labels.get(c).map_or("?", String::as_str))
        .collect();
    let mut text = shown.join(", ");
    if classes.len() > most {
        text.push_str(&format!(" and {} more", classes.len() - most));
    }
    text
}

/// Names of up to three classes, as the captions give them.
fn names(classes: &[usize], labels: &[String]) -> String {
    class_names(classes, labels, 3)
}

/// One caption per finding, in the order: amplification of the middle and
/// suppression of the head; over-suppression; drift toward uniform; order.
pub fn captions(solution: &Solution, labels: &[String]) -> Vec<String> {
    let gamma = solution.gamma();
    let classes = solution.problem().class_count();
    let present: Vec<usize> = (0..classes)
        .filter(|&c| solution.regime(c) != Regime::Absent)
        .collect();
    let ratio = |c: usize| solution.ratio(c).unwrap_or(1.0);
    let of = |regime: Regime| -> Vec<usize> {
        present
            .iter()
            .copied()
            .filter(|&c| solution.regime(c) == regime)
            .collect()
    };
    let amplified = of(Regime::Amplified);
    let suppressed = of(Regime::Suppressed);
    let over = of(Regime::OverSuppressed);
    let gamma_text = format!("{}", (gamma * 100.0).round() / 100.0);

    let first = if amplified.is_empty() && suppressed.is_empty() && over.is_empty() {
        format!("At γ = {gamma_text} nothing moves: Q* = P (γ = 0 is cross-entropy; equal classes stay equal).")
    } else {
        let gain = amplified.iter().map(|&c| ratio(c));
        let (low, high) = gain.fold((f64::INFINITY, 0.0f64), |(lo, hi), r| {
            (lo.min(r), hi.max(r))
        });
        let head = present
            .iter()
            .copied()
            .max_by(|&a, &b| solution.p(a).total_cmp(&solution.p(b)));
        let mut text = format!("At γ = {gamma_text},");
        if !amplified.is_empty() {
            let who = if amplified.len() == 1 {
                format!("{} gains", names(&amplified, labels))
            } else {
                format!("{} classes gain", amplified.len())
            };
            text.push_str(&format!(" {who} {}", percent_range(low, high)));
        }
        if let Some(head) = head.filter(|&h| ratio(h) < 1.0) {
            let joiner = if amplified.is_empty() { " " } else { " and " };
            text.push_str(&format!(
                "{joiner}the head ({}) loses {}",
                names(&[head], labels),
                percent(ratio(head))
            ));
        }
        text.push('.');
        text
    };

    let second = if over.is_empty() {
        "No class is over-suppressed: no class rarer than an amplified one is pushed down."
            .to_string()
    } else {
        let rarest = over
            .iter()
            .copied()
            .min_by(|&a, &b| solution.p(a).total_cmp(&solution.p(b)))
            .unwrap_or(over[0]);
        format!(
            "Over-suppressed: {} — rarer than amplified classes, yet pushed further down (the rarest loses {}), because μ = {:.3} > h(0+) = 1.",
            names(&over, labels),
            percent(ratio(rarest)),
            solution.mu()
        )
    };

    let uniform = (present.len() as f64).ln();
    let third = if uniform > 0.0 {
        format!(
            "Toward uniform: H(Q*) is {:.0}% of ln K, up from {:.0}% for P; it approaches 100% as γ grows.",
            100.0 * solution.shannon_q() / uniform,
            100.0 * solution.shannon_p() / uniform
        )
    } else {
        "A single class: Q* = P = 1 for every γ.".to_string()
    };

    let fourth = if !order_preserved(solution) {
        "Order check failed: please report this bug.".to_string()
    } else if solution.problem().alpha().is_some() {
        "Order preserved for the α-weighted frequencies: a class with larger α·p always keeps the larger probability (α can reorder against p alone).".to_string()
    } else {
        "Order preserved: a more frequent class always keeps the larger probability.".to_string()
    };
    vec![first, second, third, fourth]
}

/// Whether `w_i > w_j ⇒ q_i ≥ q_j` and `w_i = w_j ⇒ q_i = q_j` for every pair,
/// where `w` is the target weight (`p` itself without α, `α·p` normalised with α).
pub fn order_preserved(solution: &Solution) -> bool {
    let problem = solution.problem();
    let mut classes: Vec<usize> = (0..problem.class_count()).collect();
    classes.sort_by(|&a, &b| problem.weight(a).total_cmp(&problem.weight(b)));
    classes.windows(2).all(|pair| {
        let (a, b) = (pair[0], pair[1]);
        if problem.weight(a) == problem.weight(b) {
            solution.q(a) == solution.q(b)
        } else {
            solution.q(a) <= solution.q(b)
        }
    })
}

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

    fn labels(k: usize) -> Vec<String> {
        (1..=k).map(|i| format!("c{i}")).collect()
    }

    #[test]
    fn captions_for_cows_and_tiger() {
        let solution = solve(&[99.0, 1.0], 2.0, None).unwrap();
        let text = captions(&solution, &["cows".into(), "tiger".into()]);
        assert_eq!(
            text[0],
            "At γ = 2, tiger gains 1436% and the head (cows) loses 15%."
        );
        assert_eq!(
            text[1],
            "No class is over-suppressed: no class rarer than an amplified one is pushed down."
        );
        assert_eq!(text[2], "Toward uniform: H(Q*) is 62% of ln K, up from 8% for P; it approaches 100% as γ grows.");
        assert!(text[3].starts_with("Order preserved"));
    }

    #[test]
    fn captions_name_the_over_suppressed_tail() {
        let counts: Vec<f64> = (0..10).map(|i| 100f64.powf(-(i as f64) / 9.0)).collect();
        let solution = solve(&counts, 1.0, None).unwrap();
        let text = captions(&solution, &labels(10));
        assert_eq!(
            text[0],
            "At γ = 1, 5 classes gain 1.7–7% and the head (c1) loses 6.5%."
        );
        assert_eq!(
            text[1],
            "Over-suppressed: c7, c8, c9 and 1 more — rarer than amplified classes, yet pushed further down (the rarest loses 4%), because μ = 1.060 > h(0+) = 1."
        );
    }

    #[test]
    fn captions_at_gamma_zero_and_for_one_class() {
        let solution = solve(&[3.0, 1.0], 0.0, None).unwrap();
        assert!(captions(&solution, &labels(2))[0].contains("nothing moves"));
        let single = solve(&[5.0], 2.0, None).unwrap();
        assert_eq!(
            captions(&single, &labels(1))[2],
            "A single class: Q* = P = 1 for every γ."
        );
    }

    #[test]
    fn with_alpha_the_order_follows_alpha_times_p() {
        // α = 1 : 200 makes the tiger the heavier target: q* reverses the
        // order of p but keeps the order of α·p, and the caption says so.
        let solution = solve(&[99.0, 1.0], 2.0, Some(&[1.0, 200.0])).unwrap();
        assert!(solution.q(1) > solution.q(0));
        assert!(order_preserved(&solution));
        let labels = ["cows".to_string(), "tiger".to_string()];
        assert!(captions(&solution, &labels)[3].starts_with("Order preserved for the α-weighted"));
        // Equal α is no weighting at all.
        let equal = solve(&[99.0, 1.0], 2.0, Some(&[3.0, 3.0])).unwrap();
        assert!(captions(&equal, &labels)[3].starts_with("Order preserved: a more frequent"));
    }

    #[test]
    fn presets_show_the_findings() {
        let all = presets();
        assert_eq!(all.len(), 7);
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
        assert!(order_preserved(&solve(&imagenet, 3.0, None).unwrap()));
    }
}
