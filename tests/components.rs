//! The Leptos components in real headless Chromium (wasm-bindgen-test): the app
//! mounts, shows the core's values, reacts to typing, keeps the last valid
//! result on bad input, and draws on its canvases.
#![cfg(target_arch = "wasm32")]

use focal_entropy_explorer::components::mount_on;
use focal_entropy_explorer::core::solve;
use focal_entropy_explorer::state::format::format_significant;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Waits until the page has opened, then for Leptos' scheduled effects and
/// an animation frame.
async fn settle() {
    // The page opens in stages, a task or more each (the model-outputs panel
    // last): waited for, up to 10 s, however slow the machine.
    for _ in 0..500 {
        if by_test_id("invert-input").is_some() {
            break;
        }
        pause(20).await;
    }
    for _ in 0..3 {
        pause(20).await;
    }
}

/// Waits `milliseconds` in a timer.
async fn pause(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn by_test_id(id: &str) -> Option<web_sys::Element> {
    document()
        .query_selector(&format!("#app-under-test [data-testid='{id}']"))
        .unwrap()
}

fn table_rows() -> Vec<Vec<String>> {
    let rows = document()
        .query_selector_all("#app-under-test [data-testid='class-table'] tbody tr")
        .unwrap();
    (0..rows.length())
        .map(|i| {
            let row = rows
                .item(i)
                .unwrap()
                .dyn_into::<web_sys::Element>()
                .unwrap();
            let cells = row.query_selector_all("td").unwrap();
            (0..cells.length())
                .map(|j| cells.item(j).unwrap().text_content().unwrap_or_default())
                .collect()
        })
        .collect()
}

fn type_into(id: &str, value: &str) {
    let element = by_test_id(id).unwrap();
    js_sys::Reflect::set(&element, &"value".into(), &value.into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    element.dispatch_event(&event).unwrap();
}

/// Mounts a fresh app in its own container (the test runner's output stays),
/// at the runner's address without a query: the app reads its state from the
/// URL, and an earlier test's app has written to it.
fn mount_fresh() {
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
    mount_fresh_keeping_url();
}

/// Mounts a fresh app in its own container, reading the current address.
fn mount_fresh_keeping_url() {
    if let Some(old) = document().get_element_by_id("app-under-test") {
        old.remove();
    }
    let container = document().create_element("div").unwrap();
    container.set_id("app-under-test");
    document().body().unwrap().append_child(&container).unwrap();
    let container = container.dyn_into::<web_sys::HtmlElement>().unwrap();
    mount_on(container);
}

#[wasm_bindgen_test]
async fn shows_the_cores_values_for_the_default_classes() {
    mount_fresh();
    settle().await;
    let rows = table_rows();
    assert_eq!(rows.len(), 2);
    let solution = solve(&[99.0, 1.0], 2.0, None).unwrap();
    assert_eq!(rows[1][0], "tiger");
    assert_eq!(rows[1][3], format_significant(solution.q(1), 6));
    assert_eq!(rows[1][5], "amplified");
    let summary = by_test_id("summary").unwrap().text_content().unwrap();
    assert!(
        summary.contains(&format_significant(solution.mu(), 6)),
        "{summary}"
    );
}

#[wasm_bindgen_test]
async fn typing_counts_and_gamma_recomputes() {
    mount_fresh();
    settle().await;
    type_into("counts-input", "5, 3, 2");
    type_into("gamma-input", "4.5");
    settle().await;
    let rows = table_rows();
    assert_eq!(rows.len(), 3);
    let solution = solve(&[5.0, 3.0, 2.0], 4.5, None).unwrap();
    for (class, row) in rows.iter().enumerate() {
        assert_eq!(row[0], format!("class {}", class + 1));
        assert_eq!(row[3], format_significant(solution.q(class), 6));
    }
}

#[wasm_bindgen_test]
async fn invalid_input_keeps_the_last_valid_result() {
    mount_fresh();
    settle().await;
    type_into("counts-input", "0, 0");
    settle().await;
    let message = by_test_id("error-message")
        .expect("an inline error")
        .text_content()
        .unwrap();
    assert!(message.contains("all counts are zero"), "{message}");
    assert_eq!(table_rows().len(), 2, "the last valid table stays");
    type_into("gamma-input", "250");
    settle().await;
    assert!(by_test_id("gamma-error").is_some());
}

#[wasm_bindgen_test]
async fn state_comes_from_the_link_and_goes_back_to_it() {
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}?counts=8,2&gamma=1.5&labels=a,b")),
        )
        .unwrap();
    mount_fresh_keeping_url();
    settle().await;
    let rows = table_rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "a");
    assert_eq!(
        rows[1][3],
        format_significant(solve(&[8.0, 2.0], 1.5, None).unwrap().q(1), 6)
    );
    type_into("gamma-input", "3");
    // The address is rewritten once edits pause (about 120 ms).
    let expected = "?v=1&counts=8%2C2&labels=a%2Cb&gamma=3";
    for _ in 0..20 {
        if window.location().search().unwrap() == expected {
            break;
        }
        settle().await;
    }
    assert_eq!(window.location().search().unwrap(), expected);
}

#[wasm_bindgen_test]
async fn canvases_are_drawn() {
    mount_fresh();
    settle().await;
    for id in ["plot-distribution", "plot-entropy"] {
        let canvas = by_test_id(id)
            .unwrap()
            .dyn_into::<web_sys::HtmlCanvasElement>()
            .unwrap();
        assert!(canvas.width() > 0 && canvas.height() > 0, "{id} has a size");
        let context = canvas
            .get_context("2d")
            .unwrap()
            .unwrap()
            .dyn_into::<web_sys::CanvasRenderingContext2d>()
            .unwrap();
        let pixels = context
            .get_image_data(
                0.0,
                0.0,
                f64::from(canvas.width()),
                f64::from(canvas.height()),
            )
            .unwrap()
            .data();
        let first = &pixels[0..4];
        let distinct = pixels.chunks(4).filter(|p| *p != first).count();
        assert!(
            distinct > 1000,
            "{id} is drawn ({distinct} non-background pixels)"
        );
    }
}

/// The web build reads numbers with the browser's `Number()` after checking
/// Rust's grammar (`state::number`): it must accept exactly what Rust's parser
/// accepts and give the same `f64`, bit for bit.
#[wasm_bindgen_test]
fn numbers_read_in_the_browser_equal_rusts_parser() {
    use focal_entropy_explorer::state::number::{parse_decimal, GRAMMAR_SAMPLES};
    let mut samples: Vec<String> = GRAMMAR_SAMPLES.map(String::from).to_vec();
    // Hard cases for rounding: many digits near halfway points, and random ones.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let digits = 1 + (seed % 25) as usize;
        let mantissa: String = (0..digits)
            .map(|i| char::from(b'0' + ((seed >> (i % 60)) % 10) as u8))
            .collect();
        let point = (seed >> 20) as usize % (digits + 1);
        let exponent = ((seed >> 30) % 700) as i64 - 350;
        samples.push(format!(
            "{}.{}e{exponent}",
            &mantissa[..point],
            &mantissa[point..]
        ));
        samples.push(format!("{}", f64::from_bits(seed)));
    }
    for sample in &samples {
        let ours = parse_decimal(sample);
        let rust = sample.parse::<f64>().ok();
        assert_eq!(ours.is_some(), rust.is_some(), "{sample:?}");
        if let (Some(a), Some(b)) = (ours, rust) {
            assert!(
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                "{sample:?}: {a} vs {b}"
            );
        }
    }
}

/// The web build lower-cases labels for sorting with the browser's
/// `toLowerCase()` (`state::label_order::push_lower_case`): it must give what Rust's
/// `to_lowercase` gives, for every character and for the context-dependent
/// final sigma.
#[wasm_bindgen_test]
fn labels_lower_cased_in_the_browser_equal_rusts_lower_case() {
    use focal_entropy_explorer::state::label_order::push_lower_case;
    let lower_case = |text: &str| {
        let mut lowered = Vec::new();
        push_lower_case(&mut lowered, text);
        String::from_utf8(lowered).unwrap()
    };
    let characters: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).collect();
    for chunk in characters.chunks(512) {
        // Spaces between them, so that no character is the context of another.
        let text: String = chunk.iter().flat_map(|&c| [c, ' ']).collect();
        assert_eq!(
            lower_case(&text),
            text.to_lowercase(),
            "from U+{:04X}",
            chunk[0] as u32
        );
    }
    for word in ["ΟΔΟΣ", "ΣΑΣ ΣΑΣ.", "Σ", "AΣb", "İstanbul", "ǅemal", "ẞ"] {
        assert_eq!(lower_case(word), word.to_lowercase(), "{word}");
    }
}
