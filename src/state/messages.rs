//! The host-page message API in plain Rust. A `focal-entropy:set` message is
//! turned into the link query it stands for, so that messages and links are
//! read and validated by the same declared fields (`state::url`), and a bad
//! value gets the same notice in both.

use super::format::shortest;
use super::json::JsonValue;
use super::url::{escape_label, parameter_names};

/// The type of a message from the host page that sets state.
pub const SET_MESSAGE: &str = "focal-entropy:set";

/// The type of the message the app sends to its host page on every change.
pub const STATE_MESSAGE: &str = "focal-entropy:state";

/// Message keys that differ from their link parameter.
const ALIASES: [(&str, &str); 1] = [("gammaMax", "gmax")];

/// One message value as link text: numbers as shortest decimals, flags as
/// 1 or 0, lists joined by commas (labels with their commas escaped as in a
/// link). Anything else becomes text that the link decoder rejects with a
/// notice.
fn link_text(parameter: &str, value: &impl JsonValue) -> String {
    if let Some(number) = value.number() {
        shortest(number)
    } else if let Some(flag) = value.flag() {
        if flag { "1" } else { "0" }.to_string()
    } else if let Some(text) = value.text() {
        text
    } else if let Some(items) = value.items() {
        items
            .iter()
            .map(|item| match item.text() {
                Some(text) if parameter == "labels" => escape_label(&text),
                _ => link_text("", item),
            })
            .collect::<Vec<_>>()
            .join(",")
    } else {
        "(an object)".to_string()
    }
}

/// The link query a host page's message stands for, or `None` when the
/// message is not a `focal-entropy:set` object (other messages are ignored).
/// Keys are the link's parameters (plus `gammaMax` for `gmax`); unknown keys
/// are ignored, as in a link.
pub fn message_query(message: &impl JsonValue) -> Option<String> {
    if message.member("type")?.text()? != SET_MESSAGE {
        return None;
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    let names = parameter_names().map(|name| (name, name)).chain(ALIASES);
    for (key, parameter) in names {
        if let Some(value) = message.member(key) {
            query.append_pair(parameter, &link_text(parameter, &value));
        }
    }
    Some(query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::config::ClassSource;
    use crate::state::url::{decode, decode_onto};
    use serde_json::json;

    #[test]
    fn a_set_message_is_the_query_it_stands_for() {
        let message = json!({
            "type": SET_MESSAGE,
            "gamma": 5,
            "counts": [500, 50, 5],
            "labels": ["a, b", "c%", "d"],
            "gammaMax": 30,
            "log": true,
            "units": "bits",
            "unknown": 1,
        });
        let query = message_query(&message).unwrap();
        let (state, notices) = decode(&query);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(state.gamma, 5.0);
        assert_eq!(state.gamma_max, 30.0);
        assert!(state.log_scale);
        let labels: Vec<String> = state
            .classes
            .classes()
            .iter()
            .enumerate()
            .map(|(i, c)| c.label_at(i))
            .collect();
        assert_eq!(labels, ["a, b", "c%", "d"]);
    }

    #[test]
    fn other_messages_are_ignored_and_bad_values_get_the_link_notice() {
        for ignored in [
            json!("garbage"),
            json!({"type": "other", "gamma": 9}),
            json!(3),
            json!({}),
        ] {
            assert_eq!(message_query(&ignored), None);
        }
        let query = message_query(&json!({"type": SET_MESSAGE, "gamma": "NaN"})).unwrap();
        let (state, notices) = decode(&query);
        assert_eq!(state.gamma, 2.0);
        assert_eq!(
            notices,
            ["gamma: γ must be from 0 to 100; the default is used."]
        );
    }

    #[test]
    fn new_counts_drop_alpha_weights_that_no_longer_fit() {
        // `?counts=3,2,1&alpha=1,2,3`, then a host sends four counts.
        let (base, _) = decode("counts=3,2,1&alpha=1,2,3");
        assert_eq!(base.alpha.as_deref(), Some(&vec![1.0, 2.0, 3.0]));
        let query = message_query(&json!({"type": SET_MESSAGE, "counts": [5, 4, 3, 2]})).unwrap();
        let (state, notices) = decode_onto(base, &query);
        assert_eq!(state.alpha, None);
        assert!(matches!(&state.classes, ClassSource::List(rows) if rows.len() == 4));
        assert_eq!(
            notices,
            ["alpha: 3 α weights do not fit 4 classes; they were dropped."]
        );
        assert!(!crate::state::url::encode(&state).contains("alpha"));
        // α sent with the counts is kept.
        let (base, _) = decode("counts=3,2,1&alpha=1,2,3");
        let query = message_query(
            &json!({"type": SET_MESSAGE, "counts": [5, 4, 3, 2], "alpha": [1, 1, 2, 2]}),
        )
        .unwrap();
        let (state, notices) = decode_onto(base, &query);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(state.alpha.as_deref(), Some(&vec![1.0, 1.0, 2.0, 2.0]));
    }
}
