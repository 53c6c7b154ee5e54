//! Property tests of the state layer's text formats and decoders (class lists
//! round-trip for any labels, and no input reaches a panic) and of the table's
//! order and ranks taken over distinct classes.
#![cfg(not(target_arch = "wasm32"))]

use focal_entropy_explorer::state::classes::{
    classes_as_text, classes_from_text, parse_class_list, ClassListReader,
};
use focal_entropy_explorer::state::config::Config;
use focal_entropy_explorer::state::config::{ClassLabels, ClassRow, Units};
use focal_entropy_explorer::state::messages::{message_query, SET_MESSAGE};
use focal_entropy_explorer::state::piecewise::Piecewise;
use focal_entropy_explorer::state::readout::{table_order, table_row, SortColumn};
use focal_entropy_explorer::state::url::{decode, decode_onto, encode, parameter_names};
use proptest::prelude::*;

/// Labels people and links produce: unicode, commas, quotes, `#`, numbers,
/// spaces, line breaks.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        "[a-z ,;\"#\t\r\n0-9.eE+-]{0,10}",
        (-1e9f64..1e9).prop_map(|n| n.to_string()),
        Just("#".to_string()),
        Just(String::new()),
    ]
}

fn count() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0f64..1e6,
        (0u32..1_000_000).prop_map(f64::from),
        Just(1e-300),
        Just(1e300)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn class_lists_round_trip_through_text(rows in prop::collection::vec((label(), count()), 1..20)) {
        let classes: Vec<ClassRow> = rows.into_iter().map(|(l, c)| ClassRow::new(l, c)).collect();
        let text = classes_as_text(&classes);
        let read = classes_from_text(&text);
        prop_assert_eq!(read.as_ref(), Ok(&classes), "{}", text);
        prop_assert_eq!(classes_as_text(&read.unwrap()), text);
    }

    #[test]
    fn any_text_reads_as_classes_or_a_line_numbered_error(text in "\\PC{0,200}|[0-9,;\" \t\n#.e-]{0,200}") {
        match classes_from_text(&text) {
            // Whatever was read is written back in a form that reads the same.
            Ok(classes) if classes.iter().all(|c| !c.count.is_nan()) => {
                prop_assert_eq!(classes_from_text(&classes_as_text(&classes)), Ok(classes));
            }
            Ok(_) => {}
            Err(_) => {
                let error = parse_class_list(&text).err();
                let lines = text.matches('\n').count() + 1;
                prop_assert!(error.is_none_or(|e| e.line >= 1 && e.line <= lines));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Read a few lines at a time (as the page reads counts files), any text
    /// gives what one reading gives: the same classes or the same error.
    #[test]
    fn reading_in_slices_equals_reading_at_once(
        rows in prop::collection::vec((label(), count()), 0..12),
        noise in "[0-9,;\" \t\n#.a-z-]{0,80}",
        slice in 1usize..4,
    ) {
        let classes: Vec<ClassRow> = rows.into_iter().map(|(l, c)| ClassRow::new(l, c)).collect();
        for text in [classes_as_text(&classes), noise.clone(), format!("{}\n{noise}", classes_as_text(&classes))] {
            let at_once = parse_class_list(&text);
            let mut fractions = Vec::new();
            let in_slices = ClassListReader::new(&text).and_then(|mut reader| {
                fractions.push(reader.fraction_done());
                while !reader.read_lines(slice)? {
                    fractions.push(reader.fraction_done());
                }
                fractions.push(reader.fraction_done());
                Ok(reader.into_entries())
            });
            if in_slices.is_ok() {
                prop_assert!(fractions.windows(2).all(|w| w[0] <= w[1]), "{:?}", fractions);
                prop_assert_eq!(fractions.last(), Some(&1.0));
            }
            prop_assert_eq!(in_slices, at_once, "{:?}", text);
        }
    }
}

/// Arbitrary JSON, of any shape and depth.
fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(|x| serde_json::json!(x)),
        (-1e20f64..1e20).prop_map(|x| serde_json::json!(x)),
        "\\PC{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::hash_map("\\PC{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A set message whose keys are the link's parameters, with arbitrary values.
fn set_message() -> impl Strategy<Value = serde_json::Value> {
    let keys: Vec<&'static str> = parameter_names().chain(["gammaMax"]).collect();
    prop::collection::vec((prop::sample::select(keys), json()), 0..8).prop_map(|pairs| {
        let mut object: serde_json::Map<String, serde_json::Value> =
            pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        object.insert("type".into(), SET_MESSAGE.into());
        serde_json::Value::Object(object)
    })
}

/// A query of link parameters with arbitrary values, and some noise.
fn query() -> impl Strategy<Value = String> {
    let keys: Vec<&'static str> = parameter_names().chain(["v", "junk"]).collect();
    let value = prop_oneof![
        "\\PC{0,30}",
        "[0-9.,e+-]{0,30}",
        Just("1e400".to_string()),
        Just("NaN".to_string())
    ];
    prop_oneof![
        prop::collection::vec((prop::sample::select(keys), value), 0..10).prop_map(|pairs| {
            let mut serializer = form_urlencoded::Serializer::new(String::new());
            for (k, v) in pairs {
                serializer.append_pair(k, &v);
            }
            serializer.finish()
        }),
        "\\PC{0,120}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn links_decode_to_a_valid_state_with_notices(query in query()) {
        let (state, notices) = decode(&query);
        // Whatever came in, the state obeys the model's invariants and its
        // own link reads back to it without a notice.
        let classes = state.classes.classes().len();
        prop_assert!(classes >= 1);
        prop_assert!(state.alpha.as_ref().is_none_or(|a| a.len() == classes));
        prop_assert!(state.track.is_none_or(|t| t < classes));
        prop_assert!(state.gamma >= 0.0 && state.gamma <= state.gamma_max && state.gamma_max <= 100.0);
        let (again, second) = decode(&encode(&state));
        prop_assert_eq!(&again, &state);
        prop_assert!(second.is_empty(), "{:?}", second);
        prop_assert!(notices.iter().all(|n| n.ends_with('.')));
    }

    #[test]
    fn host_messages_of_any_shape_give_a_valid_state(message in prop_oneof![json(), set_message()]) {
        let Some(query) = message_query(&message) else {
            prop_assert!(message.get("type").and_then(|t| t.as_str()) != Some(SET_MESSAGE));
            return Ok(());
        };
        let (base, _) = decode("counts=3,2,1&alpha=1,2,3&track=2");
        let (state, _) = decode_onto(base, &query);
        let classes = state.classes.classes().len();
        prop_assert!(state.alpha.as_ref().is_none_or(|a| a.len() == classes));
        prop_assert!(state.track.is_none_or(|t| t < classes));
        prop_assert_eq!(decode(&encode(&state)).0, state);
    }
}

/// Arbitrary valid states: classes (a list with any labels, or a generator),
/// γ ≤ γ max, α fitting the classes, the tracked class among them, any view
/// options and hidden panels.
fn valid_state() -> impl Strategy<Value = Config> {
    use focal_entropy_explorer::state::config::{ClassSource, Panel};
    use focal_entropy_explorer::state::generator::Generator;
    let list = prop::collection::vec((label(), 0.5f64..1e6), 1..8).prop_map(|rows| {
        ClassSource::list(rows.into_iter().map(|(l, c)| ClassRow::new(l, c)).collect())
    });
    let generated =
        (2usize..300, 1.0f64..1e4, 1.0f64..1e4, 0.1f64..3.0).prop_map(|(k, nmax, ratio, s)| {
            ClassSource::Generated(if ratio > 5000.0 {
                Generator::Zipf { k, nmax, s }
            } else {
                Generator::Exponential { k, nmax, ratio }
            })
        });
    let panels = prop::sample::subsequence(Panel::ALL.to_vec(), 0..4);
    (
        prop_oneof![list, generated],
        0.0f64..100.0,
        1.0f64..100.0,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        panels,
        any::<u64>(),
    )
        .prop_map(
            |(classes, gamma, gamma_max, log_scale, bits, embed, hidden, seed)| {
                let count = classes.classes().len();
                let alpha = (seed % 3 == 0).then(|| {
                    let weights: Vec<f64> = (0..count)
                        .map(|i| 1.0 + ((seed >> 8) % 7) as f64 + i as f64 * 0.5)
                        .collect();
                    weights.into()
                });
                let track = (seed % 5 == 0).then(|| (seed as usize >> 4) % count);
                Config {
                    classes,
                    gamma,
                    alpha,
                    gamma_max: gamma_max.max(gamma.ceil()).min(100.0),
                    log_scale,
                    units: if bits { Units::Bits } else { Units::Nats },
                    track,
                    embed,
                    hidden,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn every_valid_state_survives_its_link(state in valid_state()) {
        let (decoded, notices) = decode(&encode(&state));
        prop_assert!(notices.is_empty(), "{:?}", notices);
        prop_assert_eq!(decoded, state);
    }
}

/// The table's order, sorted class by class as a reference: keys per class,
/// reversed when descending, ties in input order.
fn reference_order(
    solution: &focal_entropy_explorer::core::Solution,
    column: SortColumn,
    descending: bool,
) -> Vec<usize> {
    let problem = solution.problem();
    let rank =
        |values: &[f64], class: usize| 1 + values.iter().filter(|&&v| v > values[class]).count();
    let (p, q) = (solution.p_all(), solution.q_all());
    let key = |class: usize| -> f64 {
        match column {
            SortColumn::P => p[class],
            SortColumn::Q => q[class],
            SortColumn::Ratio => solution.ratio(class).unwrap_or(-1.0),
            SortColumn::RankP => rank(&p, class) as f64,
            SortColumn::RankQ => rank(&q, class) as f64,
            SortColumn::Count => problem.counts()[class],
            _ => class as f64,
        }
    };
    let mut order: Vec<usize> = (0..problem.class_count()).collect();
    order.sort_by(|&a, &b| {
        let order = match column {
            SortColumn::Regime => solution.regime(a).name().cmp(solution.regime(b).name()),
            _ => key(a).total_cmp(&key(b)),
        };
        if descending {
            order.reverse()
        } else {
            order
        }
    });
    order
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Sorting over the distinct classes and ranking per group give what a
    /// sort of every class gives, with ties, absent classes and α.
    #[test]
    fn the_table_order_and_ranks_match_a_sort_of_every_class(
        counts in prop::collection::vec(prop_oneof![Just(0.0), Just(1.0), Just(5.0), 1.0f64..50.0], 1..40),
        weighted in any::<bool>(),
        gamma in 0.0f64..6.0,
        descending in any::<bool>(),
    ) {
        prop_assume!(counts.iter().any(|&c| c > 0.0));
        let alpha: Vec<f64> = (0..counts.len()).map(|i| [1.0, 3.0, 0.5][i % 3]).collect();
        let solution = focal_entropy_explorer::core::solve(&counts, gamma, weighted.then_some(&alpha[..])).unwrap();
        for column in [SortColumn::Class, SortColumn::Count, SortColumn::P, SortColumn::Q, SortColumn::Ratio,
                       SortColumn::Regime, SortColumn::RankP, SortColumn::RankQ] {
            prop_assert_eq!(
                table_order(&solution, &ClassLabels::default(), column, descending),
                reference_order(&solution, column, descending),
                "{:?}", column
            );
        }
        let q_ranks = solution.q_ranks();
        let (p, q) = (solution.p_all(), solution.q_all());
        for class in 0..counts.len() {
            let row = table_row(&solution, &q_ranks, &ClassLabels::default(), class);
            prop_assert_eq!(row.rank_p, 1 + p.iter().filter(|&&v| v > p[class]).count());
            prop_assert_eq!(row.rank_q, 1 + q.iter().filter(|&&v| v > q[class]).count());
        }
    }
}
