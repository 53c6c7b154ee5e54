//! The sentences about the numbers, rendered from the findings
//! (`state::findings`) and from nothing else: each names the direction its
//! finding holds, so a sentence cannot contradict the numbers it describes.

use super::config::{ClassLabels, Units};
use super::findings::{AlongGamma, AtGamma, ClassShift, Direction, Lift};
use super::format::{format_significant, gamma_text};

/// A change of probability in percent, rounded for reading: "12%", "6.5%",
/// "0.39%", "0.0010%".
fn percent(ratio: f64) -> String {
    let change = (ratio - 1.0).abs() * 100.0;
    if change >= 9.5 {
        format!("{change:.0}%")
    } else if change >= 0.95 {
        let tenths = format!("{change:.1}");
        format!("{}%", tenths.strip_suffix(".0").unwrap_or(&tenths))
    } else {
        // Two significant digits, so that a small change never reads as 0%.
        format!("{}%", format_significant(change, 2))
    }
}

/// `a–b%` for a range of ratios, smaller change first, or one value when
/// they round alike.
fn percent_range(low: f64, high: f64) -> String {
    let (small, large) = if (low - 1.0).abs() <= (high - 1.0).abs() {
        (low, high)
    } else {
        (high, low)
    };
    let (a, b) = (percent(small), percent(large));
    if a == b {
        a
    } else {
        format!("{}–{b}", a.trim_end_matches('%'))
    }
}

/// A share of probability in percent with three significant digits: "38.1%".
fn share(mass: f64) -> String {
    format!("{}%", format_significant(mass * 100.0, 3))
}

/// Labels of up to `most` of the `first` classes of `total` joined by
/// commas, then "and N more".
pub fn class_names(first: &[usize], total: usize, labels: &ClassLabels, most: usize) -> String {
    let shown: Vec<String> = first
        .iter()
        .take(most)
        .map(|&c| labels.get(c).unwrap_or_else(|| "?".into()))
        .collect();
    let mut text = shown.join(", ");
    if total > shown.len() {
        text.push_str(&format!(" and {} more", total - shown.len()));
    }
    text
}

/// "c3 (frequency rank 3 of 10)", "5 classes (frequency ranks 2–6 of 10)" or
/// "5 classes (tied at frequency rank 1 of 10)", with "between" when other
/// classes hold ranks inside the span.
fn who(shift: &ClassShift, at: &AtGamma, labels: &ClassLabels) -> String {
    let (best, worst) = shift.ranks;
    let of = at.class_count;
    let span = if best == worst && shift.count > 1 {
        format!("tied at frequency rank {best} of {of}")
    } else if best == worst {
        format!("frequency rank {best} of {of}")
    } else if shift.contiguous {
        format!("frequency ranks {best}–{worst} of {of}")
    } else {
        format!("frequency ranks between {best} and {worst} of {of}")
    };
    if shift.count == 1 {
        format!(
            "{} ({span})",
            class_names(&shift.first_classes, shift.count, labels, 1)
        )
    } else {
        format!("{} classes ({span})", shift.count)
    }
}

/// Who gains and who loses at γ, and how much probability changes hands.
pub fn movement_sentence(at: &AtGamma, labels: &ClassLabels) -> String {
    let gamma = gamma_text(at.gamma, 2);
    let movement = &at.movement;
    let parts: Vec<String> = [
        (&movement.gainers, "gain"),
        (&movement.head_losers, "lose"),
        (&movement.tail_losers, "lose"),
    ]
    .into_iter()
    .filter_map(|(shift, verb)| {
        let shift = shift.as_ref()?;
        let verb = if shift.count == 1 {
            format!("{verb}s")
        } else {
            verb.to_string()
        };
        Some(format!(
            "{} {verb} {}",
            who(shift, at, labels),
            percent_range(shift.ratio_low, shift.ratio_high)
        ))
    })
    .collect();
    if parts.is_empty() {
        let why = if at.class_count == 1 {
            "a single class"
        } else if at.gamma == 0.0 {
            "γ = 0 is cross-entropy"
        } else {
            "equally frequent classes stay equal"
        };
        return format!("At γ = {gamma} nothing moves: Q* = P ({why}).");
    }
    format!(
        "At γ = {gamma}, {}. In all, {} of the probability changes hands.",
        parts.join("; "),
        share(movement.moved)
    )
}

/// Over-suppression at γ: which classes, and why (they lie below the line at μ).
pub fn over_suppression_sentence(at: &AtGamma, labels: &ClassLabels) -> String {
    match &at.movement.tail_losers {
        None => format!(
            "At γ = {}, no class is over-suppressed: no class rarer than a gaining class loses probability.",
            gamma_text(at.gamma, 2)
        ),
        Some(tail) => format!(
            "Over-suppressed at γ = {}: {} — rarer than classes that gain, yet pushed further down (by {}); on the reshaping map they lie below the line at μ = {}.",
            gamma_text(at.gamma, 2),
            class_names(&tail.first_classes, tail.count, labels, 3),
            percent_range(tail.ratio_low, tail.ratio_high),
            format_significant(at.mu, 4),
        ),
    }
}

/// `γ from a to b and from c to d`, ends with `decimals` decimals.
fn ranges_text(ranges: &[(f64, f64)], decimals: usize) -> String {
    let parts: Vec<String> = ranges
        .iter()
        .map(|&(from, to)| {
            format!(
                "from {} to {}",
                gamma_text(from, decimals),
                gamma_text(to, decimals)
            )
        })
        .collect();
    format!("γ {}", parts.join(" and "))
}

/// H(Q*) against H(P) at γ, where H(Q*) is below H(P) along γ, and the limit.
pub fn entropy_sentence(at: &AtGamma, along: Option<&AlongGamma>, units: Units) -> String {
    let entropy = &at.entropy;
    let factor = units.from_nats();
    let unit = units.name();
    let value = |nats: f64| format!("{} {unit}", format_significant(nats * factor, 4));
    let gamma = gamma_text(at.gamma, 2);
    if at.class_count == 1 {
        return "A single class: Q* = P = 1 and H = 0 for every γ.".to_string();
    }
    let now = if entropy.delta == 0.0 {
        format!(
            "At γ = {gamma}, H(Q*) = H(P) = {}.",
            value(entropy.shannon_p)
        )
    } else {
        let side = if entropy.delta < 0.0 {
            "below"
        } else {
            "above"
        };
        format!(
            "At γ = {gamma}, H(Q*) = {} is {} {side} H(P) = {}: focal loss makes the distribution {}.",
            value(entropy.shannon_q),
            value(entropy.delta.abs()),
            value(entropy.shannon_p),
            if entropy.delta < 0.0 { "more peaked" } else { "flatter" },
        )
    };
    let ranges = along.map(|along| {
        let gamma_max = gamma_text(along.gamma_max, 2);
        if along.entropy_below.is_empty() {
            format!(" H(Q*) is not below H(P) anywhere from γ = 0 to {gamma_max}.")
        } else {
            format!(
                " H(Q*) is below H(P) for {} (shaded on the entropy plot).",
                ranges_text(&along.entropy_below, 2)
            )
        }
    });
    format!(
        "{now}{} Only in the limit γ → ∞ does Q* become uniform, with H = ln K = {}.",
        ranges.unwrap_or_default(),
        value(entropy.uniform)
    )
}

/// The rare-class verdict: toward or away from the classes rarer than uniform.
pub fn rare_mass_sentence(at: &AtGamma) -> String {
    let rare = &at.rare_mass;
    if rare.classes == 0 {
        return "No class is rarer than uniform (p < 1/K): all classes are equally frequent."
            .to_string();
    }
    let gamma = gamma_text(at.gamma, 2);
    let classes = if rare.classes == 1 {
        "the 1 class rarer than uniform (p < 1/K) holds".to_string()
    } else {
        format!(
            "the {} classes rarer than uniform (p < 1/K) hold",
            rare.classes
        )
    };
    let verdict = match rare.direction {
        Direction::Unchanged => format!(
            "At γ = {gamma}, focal loss moves no probability to or from the rare classes: {classes} {} under P and under Q*.",
            share(rare.mass_p)
        ),
        direction => {
            let word = if direction == Direction::Toward {
                "toward"
            } else {
                "away from"
            };
            let points = (rare.mass_q - rare.mass_p) * 100.0;
            format!(
                "At γ = {gamma}, focal loss moves probability {word} the rare classes: {classes} {} of P and {} of Q* ({}{} points, {}{} of their mass).",
                share(rare.mass_p),
                share(rare.mass_q),
                if points > 0.0 { "+" } else { "−" },
                format_significant(points.abs(), 3),
                if points > 0.0 { "+" } else { "−" },
                percent(rare.mass_q / rare.mass_p),
            )
        }
    };
    match rare.mass_target {
        Some(target) => format!(
            "{verdict} With α weights the target is α·p, normalised, which gives them {}: Q* is fitted to it, not to P.",
            share(target)
        ),
        None => verdict,
    }
}

/// The order check's line: whether Q* keeps the order of P (or of α·p with α).
pub fn order_sentence(at: &AtGamma) -> &'static str {
    match (at.order_preserved, at.weighted) {
        (true, false) => "✓ Order preserved: the ranks of p and q* agree for every class (see the rank columns).",
        (true, true) => "✓ Order preserved for α·p: with α weights, q* keeps the order of α·p, not of p (see the rank columns).",
        (false, _) => "✗ Order changed — please report this bug.",
    }
}

/// The captions in order: movement, over-suppression, entropy.
pub fn captions(
    at: &AtGamma,
    along: Option<&AlongGamma>,
    labels: &ClassLabels,
    units: Units,
) -> Vec<String> {
    vec![
        movement_sentence(at, labels),
        over_suppression_sentence(at, labels),
        entropy_sentence(at, along, units),
    ]
}

/// Over-suppression along γ and where the rarest class is lifted.
pub fn ranges_sentence(along: &AlongGamma, labels: &ClassLabels) -> String {
    let rarest = class_names(&[along.rarest], 1, labels, 1);
    let gamma_max = gamma_text(along.gamma_max, 2);
    let ranges = if along.over_suppression.is_empty() {
        format!("No class is over-suppressed at any γ from 0 to {gamma_max}.")
    } else {
        format!(
            "Some class is over-suppressed for {}.",
            ranges_text(&along.over_suppression, 4)
        )
    };
    let lift = match along.lift {
        Lift::Unmoved => "The classes are equally frequent, so none moves.".to_string(),
        Lift::From { from: 0.0 } => {
            format!("The rarest class ({rarest}) gains at every γ > 0 up to {gamma_max}.")
        }
        Lift::From { from } => format!(
            "The rarest class ({rarest}) gains at every γ above {} up to {gamma_max}.",
            gamma_text(from, 4)
        ),
        Lift::Beyond { from } => format!(
            "The rarest class ({rarest}) {} up to γ max = {gamma_max}; it gains at every γ above {} (up to 100).",
            lost_up_to_max(along),
            gamma_text(from, 4)
        ),
        Lift::NotBy100 => format!(
            "The rarest class ({rarest}) {} up to γ max = {gamma_max}, and it still loses at γ = 100.",
            lost_up_to_max(along)
        ),
    };
    format!("{ranges} {lift}")
}

/// "is not lifted anywhere" when the rarest class loses over the whole
/// slider, otherwise "loses again".
fn lost_up_to_max(along: &AlongGamma) -> &'static str {
    let whole =
        along.rarest_suppressed.len() == 1 && along.rarest_suppressed[0] == (0.0, along.gamma_max);
    if whole {
        "is not lifted anywhere"
    } else {
        "loses again"
    }
}

/// The over-suppression banner: its text, and the button's γ and text.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    /// What is over-suppressed now.
    pub text: String,
    /// The γ just above the lift point, when there is one.
    pub escape_gamma: Option<f64>,
    /// The button's text.
    pub button: String,
}

/// The banner, shown while some class is over-suppressed at the current γ.
pub fn banner(at: &AtGamma, along: Option<&AlongGamma>, labels: &ClassLabels) -> Option<Banner> {
    let tail = at.movement.tail_losers.as_ref()?;
    let text = format!(
        "Over-suppression at γ = {}: {} get less probability than in the data.",
        gamma_text(at.gamma, 2),
        class_names(&tail.first_classes, tail.count, labels, 5)
    );
    let escape_gamma = along.and_then(AlongGamma::escape_gamma);
    let button = match (along, escape_gamma) {
        (Some(along), Some(gamma)) => {
            let raise = if gamma > along.gamma_max {
                " (raises γ max)"
            } else {
                ""
            };
            format!(
                "Jump to γ = {}, where {} gains{raise}",
                gamma_text(gamma, 2),
                class_names(&[along.rarest], 1, labels, 1)
            )
        }
        _ => String::new(),
    };
    Some(Banner {
        text,
        escape_gamma,
        button,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{gamma_grid, solve, FocalProblem};

    fn labels(k: usize) -> ClassLabels {
        (1..=k).map(|i| format!("c{i}")).collect()
    }

    fn along(counts: &[f64], gamma_max: f64) -> AlongGamma {
        let problem = FocalProblem::new(counts, None).unwrap();
        AlongGamma::new(&problem.sweep(&gamma_grid(gamma_max, 256).unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn cows_and_tiger() {
        let at = AtGamma::new(&solve(&[99.0, 1.0], 2.0, None).unwrap());
        let names: ClassLabels = ["cows", "tiger"].into_iter().collect();
        assert_eq!(
            movement_sentence(&at, &names),
            "At γ = 2, tiger (frequency rank 2 of 2) gains 1436%; cows (frequency rank 1 of 2) loses 15%. In all, 14.4% of the probability changes hands."
        );
        assert_eq!(
            rare_mass_sentence(&at),
            "At γ = 2, focal loss moves probability toward the rare classes: the 1 class rarer than uniform (p < 1/K) holds 1.00% of P and 15.4% of Q* (+14.4 points, +1436% of their mass)."
        );
        let along = along(&[99.0, 1.0], 20.0);
        assert_eq!(
            entropy_sentence(&at, Some(&along), Units::Nats),
            "At γ = 2, H(Q*) = 0.4289 nats is 0.3729 nats above H(P) = 0.05600 nats: focal loss makes the distribution flatter. H(Q*) is not below H(P) anywhere from γ = 0 to 20. Only in the limit γ → ∞ does Q* become uniform, with H = ln K = 0.6931 nats."
        );
        assert_eq!(
            ranges_sentence(&along, &names),
            "No class is over-suppressed at any γ from 0 to 20. The rarest class (tiger) gains at every γ > 0 up to 20."
        );
        assert!(banner(&at, Some(&along), &names).is_none());
    }

    #[test]
    fn cifar10_lt_names_the_over_suppressed_tail_and_the_escape() {
        let counts: Vec<f64> = (0..10).map(|i| 100f64.powf(-(i as f64) / 9.0)).collect();
        let at = AtGamma::new(&solve(&counts, 1.0, None).unwrap());
        let names = labels(10);
        assert_eq!(
            movement_sentence(&at, &names),
            "At γ = 1, 5 classes (frequency ranks 2–6 of 10) gain 1.7–7%; c1 (frequency rank 1 of 10) loses 6.5%; 4 classes (frequency ranks 7–10 of 10) lose 0.39–4%. In all, 2.68% of the probability changes hands."
        );
        assert_eq!(
            over_suppression_sentence(&at, &names),
            "Over-suppressed at γ = 1: c7, c8, c9 and 1 more — rarer than classes that gain, yet pushed further down (by 0.39–4%); on the reshaping map they lie below the line at μ = 1.060."
        );
        let along = along(&counts, 20.0);
        let sentence = ranges_sentence(&along, &names);
        assert!(
            sentence.starts_with("Some class is over-suppressed for γ from 0 to 2.233."),
            "{sentence}"
        );
        assert!(sentence.ends_with("The rarest class (c10) gains at every γ above 2.233 up to 20."));
        let banner = banner(&at, Some(&along), &names).unwrap();
        let escape = banner.escape_gamma.unwrap();
        assert_eq!(
            banner.button,
            format!("Jump to γ = {}, where c10 gains", gamma_text(escape, 2))
        );
    }

    #[test]
    fn step_imbalance_says_the_majority_gains() {
        let mut counts = vec![5000.0; 5];
        counts.extend([50.0; 5]);
        let at = AtGamma::new(&solve(&counts, 2.0, None).unwrap());
        let text = movement_sentence(&at, &labels(10));
        assert!(
            text.starts_with("At γ = 2, 5 classes (tied at frequency rank 1 of 10) gain 0.12%; 5 classes (tied at frequency rank 6 of 10) lose 12%."),
            "{text}"
        );
        assert!(rare_mass_sentence(&at).contains("away from the rare classes"));
    }

    #[test]
    fn zipf_entropy_falls_and_the_tail_is_not_lifted_on_the_slider() {
        let counts: Vec<f64> = (1..=1000)
            .map(|i| (1000.0 / (i as f64).powf(1.1)).round().max(1.0))
            .collect();
        let at = AtGamma::new(&solve(&counts, 3.0, None).unwrap());
        let along = along(&counts, 20.0);
        let text = entropy_sentence(&at, Some(&along), Units::Nats);
        assert!(text.contains("is 0.18"), "{text}");
        assert!(text.contains("below H(P)"), "{text}");
        assert!(
            text.contains("H(Q*) is below H(P) for γ from 0 to 18."),
            "{text}"
        );
        let ranges = ranges_sentence(&along, &labels(1000));
        assert!(
            ranges.contains("is not lifted anywhere up to γ max = 20"),
            "{ranges}"
        );
    }

    #[test]
    fn nothing_moves_at_gamma_zero_or_for_one_class() {
        let at = AtGamma::new(&solve(&[3.0, 1.0], 0.0, None).unwrap());
        assert_eq!(
            movement_sentence(&at, &labels(2)),
            "At γ = 0 nothing moves: Q* = P (γ = 0 is cross-entropy)."
        );
        assert!(rare_mass_sentence(&at).contains("moves no probability"));
        assert!(entropy_sentence(&at, None, Units::Bits).starts_with("At γ = 0, H(Q*) = H(P)"));
        let single = AtGamma::new(&solve(&[5.0], 2.0, None).unwrap());
        assert_eq!(
            entropy_sentence(&single, None, Units::Nats),
            "A single class: Q* = P = 1 and H = 0 for every γ."
        );
    }

    #[test]
    fn alpha_changes_the_order_sentence_and_the_verdict() {
        let at = AtGamma::new(&solve(&[99.0, 1.0], 2.0, Some(&[1.0, 200.0])).unwrap());
        assert!(order_sentence(&at).starts_with("✓ Order preserved for α·p"));
        assert!(rare_mass_sentence(&at).contains("With α weights the target is α·p, normalised"));
    }

    #[test]
    fn small_numbers_keep_their_digits() {
        assert_eq!(percent(1.000_001), "1.0e-4%");
        assert_eq!(percent_range(0.96, 0.996), "0.40–4%");
        assert_eq!(percent(0.999_98), "0.0020%");
        assert_eq!(percent(1.0), "0%");
    }
}
