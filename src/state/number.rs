//! Decimal numbers as people, links and files write them, read to the nearest
//! `f64`. Natively this is Rust's own parser. In the web build the grammar is
//! checked here and the conversion is the browser's `Number()`, which rounds
//! correctly too: Rust's parser brings about 8 KB of tables and code into the
//! gzipped download. Whole numbers below 10¹⁵, exact as integers, are read
//! here (a million counts would otherwise be a million calls into the
//! browser). The browser suite's wasm tests check that both agree.

/// Reads `text` as Rust's `f64::from_str` does: an optional sign, then digits
/// with an optional decimal point (at least one digit) and an optional
/// exponent, or `inf`, `infinity` or `nan` in any case. No spaces.
pub fn parse_decimal(text: &str) -> Option<f64> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.parse().ok()
    }
    #[cfg(target_arch = "wasm32")]
    {
        let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
        let negative = text.starts_with('-');
        let special =
            if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
                Some(f64::INFINITY)
            } else if unsigned.eq_ignore_ascii_case("nan") {
                Some(f64::NAN)
            } else {
                None
            };
        // Whole numbers below 10^15 (counts, mostly) are exact as integers:
        // read here, without a call into the browser per number.
        let whole = (!unsigned.is_empty()
            && unsigned.len() <= 15
            && unsigned.bytes().all(|b| b.is_ascii_digit()))
        .then(|| {
            unsigned
                .bytes()
                .fold(0u64, |value, digit| value * 10 + u64::from(digit - b'0')) as f64
        });
        match special.or(whole) {
            Some(value) if negative => Some(-value),
            Some(value) => Some(value),
            None if is_decimal(unsigned) => {
                Some(js_sys::Number::from(wasm_bindgen::JsValue::from_str(text)).value_of())
            }
            None => None,
        }
    }
}

/// Whether `text` (without its sign) is digits with an optional point, at
/// least one digit, and an optional exponent (`e` or `E`, a sign, digits).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn is_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Hand-picked strings on both sides of Rust's grammar and at rounding edges,
/// for the tests (natively here, and in the browser in `tests/components.rs`).
pub const GRAMMAR_SAMPLES: [&str; 36] = [
    "0",
    "-0",
    "+5",
    "1.",
    ".5",
    "1.5e3",
    "1E-3",
    "2e+10",
    "007",
    "1e400",
    "-1e-400",
    "0.1",
    "9007199254740993",
    "2.2250738585072011e-308",
    "4.9406564584124654e-324",
    "1.7976931348623157e308",
    "1.7976931348623159e308",
    "inf",
    "-Infinity",
    "INF",
    "NaN",
    "",
    ".",
    "e5",
    "1e",
    "1e+",
    "--1",
    "1..2",
    "0x10",
    "1_000",
    " 1",
    "1 ",
    "+",
    "Infinity1",
    "0.30000000000000004",
    "123456789012345678901234567890e-10",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_check_agrees_with_rusts_parser() {
        for sample in GRAMMAR_SAMPLES {
            let unsigned = sample.strip_prefix(['+', '-']).unwrap_or(sample);
            let special = ["inf", "infinity", "nan"]
                .iter()
                .any(|s| unsigned.eq_ignore_ascii_case(s));
            assert_eq!(
                is_decimal(unsigned) || special,
                sample.parse::<f64>().is_ok(),
                "{sample:?}"
            );
        }
    }
}
