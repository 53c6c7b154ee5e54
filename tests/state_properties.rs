//! Property tests of the state layer's text formats and decoders: class lists
//! round-trip for any labels, and no input reaches a panic.
#![cfg(not(target_arch = "wasm32"))]

use focal_entropy_explorer::state::classes::{
    classes_as_text, classes_from_text, parse_class_list,
};
use focal_entropy_explorer::state::config::ClassRow;
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
