//! The per-class table's order by label for classes with labels of their
//! own: the labels in lower case sorted as text, ties in input order in both
//! directions.

use super::config::{default_label, ClassLabels};
use super::readout::directed;
use crate::core::{key_of, sort_indices};

/// The classes of `labels` sorted by their labels in lower case (those
/// named by their place as "class 1", …), ascending or descending, ties in
/// input order both ways. The lowered labels are laid end to end in one
/// buffer; the classes are sorted by eight bytes of their labels read as one
/// number, the first after the beginning every label shares (the problem
/// build's sort of keyed pairs), and only runs that share those bytes by the
/// whole labels. On the 2-core test machine, a quarter of a million random
/// words, each copied and compared as a string, took one task of 312–414 ms
/// per click in the page; so, 64–114 ms. A million labels "class 0" …
/// "class 999999" take 139–349 ms, still one task. Labels that agree in a
/// long beginning not all of them share fall to whole-label comparisons
/// within runs, a profile not measured.
pub fn classes_in_label_order(labels: &ClassLabels, descending: bool) -> Vec<usize> {
    let classes = labels.len();
    let mut text: Vec<u8> = Vec::new();
    let mut starts: Vec<usize> = Vec::with_capacity(classes + 1);
    // How many bytes every lowered label begins with (so that labels such
    // as `sample_000001` are keyed by what tells them apart).
    let mut common = usize::MAX;
    for class in 0..classes {
        let start = text.len();
        starts.push(start);
        let by_place;
        let label = match labels.own(class) {
            Some(label) => label,
            None => {
                by_place = default_label(class);
                &by_place
            }
        };
        push_lower_case(&mut text, label);
        let first = &text[..starts.get(1).copied().unwrap_or(text.len())];
        let shared = first.iter().zip(&text[start..]).take_while(|(a, b)| a == b);
        common = common.min(shared.count());
    }
    starts.push(text.len());
    let lowered = |class: usize| &text[starts[class]..starts[class + 1]];
    // Eight bytes, big-endian, a shorter label padded with zeros: a smaller
    // number is a label that sorts first (descending, its complement); equal
    // numbers are settled by the whole labels.
    let key = |class: usize| {
        let mut bytes = [0u8; 8];
        // (Every label is at least `common` bytes long.)
        let label = &lowered(class)[common..];
        let length = label.len().min(8);
        bytes[..length].copy_from_slice(&label[..length]);
        u64::from_be_bytes(bytes) ^ u64::from(descending).wrapping_neg()
    };
    let by_label = |a: usize, b: usize| directed(lowered(a).cmp(lowered(b)), descending);
    // Sorted by key (equal keys in any order), then each run of equal keys
    // by whole labels, ties in input order.
    let mut keyed: Vec<(u64, u32)> = (0..classes)
        .map(|class| (key(class), class as u32))
        .collect();
    keyed.sort_unstable_by_key(key_of);
    let mut order: Vec<usize> = keyed.iter().map(|&(_, class)| class as usize).collect();
    let mut start = 0;
    while start < classes {
        let length = keyed[start..]
            .iter()
            .take_while(|k| k.0 == keyed[start].0)
            .count();
        sort_indices(&mut order[start..start + length], &by_label);
        start += length;
    }
    order
}

/// Appends `label` in lower case to `text`: the key of the label sort.
/// Natively Rust's `to_lowercase`; in the web build the browser's
/// `toLowerCase()`, the same Unicode default case mapping, which spares the
/// download Rust's case tables (about 5 KB gzipped). A wasm test checks that
/// both agree.
pub fn push_lower_case(text: &mut Vec<u8>, label: &str) {
    // ASCII text, as most labels are, is lowered here: no call to the browser
    // per label (with them, sorting a quarter of a million labels took
    // 391–585 ms in the page; without, 109–153), and no copy of it.
    if label.is_ascii() {
        let start = text.len();
        text.extend_from_slice(label.as_bytes());
        text[start..].make_ascii_lowercase();
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    let lowered = label.to_lowercase();
    #[cfg(target_arch = "wasm32")]
    let lowered = String::from(js_sys::JsString::from(label).to_lower_case());
    text.extend_from_slice(lowered.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::config::ClassRow;
    use std::sync::Arc;

    /// The definition: a stable sort of the classes by their lowered labels,
    /// ascending or descending (ties in input order both ways).
    fn by_definition(labels: &ClassLabels, descending: bool) -> Vec<usize> {
        let lowered: Vec<String> = (0..labels.len())
            .map(|class| labels.get(class).unwrap_or_default().to_lowercase())
            .collect();
        let mut order: Vec<usize> = (0..labels.len()).collect();
        order.sort_by(|&a, &b| directed(lowered[a].cmp(&lowered[b]), descending));
        order
    }

    /// Labels of their own, `None` for a class named by its place.
    fn labels_of(names: &[Option<String>]) -> ClassLabels {
        ClassLabels::of(Arc::new(
            names
                .iter()
                .map(|name| match name {
                    Some(name) => ClassRow::new(name.as_str(), 1.0),
                    None => ClassRow::unlabelled(1.0),
                })
                .collect(),
        ))
    }

    #[test]
    fn labels_sort_without_regard_to_case_and_ties_keep_input_order() {
        let labels: ClassLabels = ["beta", "Alpha", "alpha", "ÄRGER", "Gamma"]
            .into_iter()
            .collect();
        assert_eq!(classes_in_label_order(&labels, false), [1, 2, 0, 4, 3]);
        assert_eq!(classes_in_label_order(&labels, true), [3, 4, 0, 1, 2]);
        let mut text = b"x".to_vec();
        push_lower_case(&mut text, "ΟΔΟΣ Ärger");
        assert_eq!(String::from_utf8(text).unwrap(), "xοδος ärger");
    }

    #[test]
    fn many_labels_are_sorted_as_by_definition() {
        // 70 000 labels: words of a few letters (many ties, long runs of
        // equal keys), all beginning alike, a third with a long beginning
        // more in common.
        let names: Vec<Option<String>> = (0..70_000u64)
            .map(|i| {
                let word: String = (0..3 + i % 4)
                    .map(|place| char::from(b'a' + ((i * 7919 + place * 104_729) % 5) as u8))
                    .collect();
                let family = if i % 3 == 0 { "Long_Family_Name_" } else { "" };
                Some(format!("sample_{family}{word}"))
            })
            .collect();
        let labels = labels_of(&names);
        for descending in [false, true] {
            assert_eq!(
                classes_in_label_order(&labels, descending),
                by_definition(&labels, descending)
            );
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Labels drawn from a few letters, of either case, NUL and
        /// non-ASCII, with long beginnings in common (for all or for some),
        /// ties, and classes named by their place.
        #[test]
        fn the_label_order_is_a_stable_sort_by_the_lowered_labels(
            names in proptest::collection::vec(
                proptest::option::weighted(0.9, "(prefix_long_){0,1}[aAbB\\x00ÄäΣσ]{0,10}"),
                1..60,
            ),
            all_begin_alike: bool,
        ) {
            let names: Vec<Option<String>> = names
                .into_iter()
                .map(|name| name.map(|n| if all_begin_alike { format!("Shared {n}") } else { n }))
                .collect();
            let labels = labels_of(&names);
            for descending in [false, true] {
                proptest::prop_assert_eq!(classes_in_label_order(&labels, descending), by_definition(&labels, descending));
            }
        }
    }
}
