//! Number formatting for the page, the CLI and the exports, in one place:
//! readable numbers with a fixed count of significant digits, γ values for
//! sentences, and the shortest decimal that reads back to the same f64 (for
//! links and exported files).

/// `value` with `digits` significant digits (at least 1), in fixed notation
/// from 10⁻³ up to 10⁶ and in scientific notation (`1.500e-7`) outside; "—"
/// for a value that is not finite. The notation and the decimals are chosen
/// from the value as rounded, so 9.9999996 with 6 digits is "10.0000", never
/// the 7 digits of "10.00000".
pub fn format_significant(value: f64, digits: usize) -> String {
    if !value.is_finite() {
        return "—".into();
    }
    if value == 0.0 {
        return "0".into();
    }
    let digits = digits.max(1);
    let scientific = format!("{value:.*e}", digits - 1);
    let exponent: i32 = scientific
        .rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if (-3..6).contains(&exponent) {
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        format!("{value:.decimals$}")
    } else {
        scientific
    }
}

/// γ with at most `decimals` decimals and no trailing zeros: "2.2436", "20".
pub fn gamma_text(gamma: f64, decimals: usize) -> String {
    without_trailing_zeros(&format!("{gamma:.decimals$}")).to_string()
}

/// A decimal number's text without the zeros that end its fraction, nor its
/// point when nothing is left after it ("0.0150" → "0.015", "2.0" → "2");
/// a number without a point is left as it is ("20").
pub fn without_trailing_zeros(decimal: &str) -> &str {
    if decimal.contains('.') {
        decimal.trim_end_matches('0').trim_end_matches('.')
    } else {
        decimal
    }
}

/// The shortest decimal that reads back to exactly `value` (Rust's `{}`),
/// for links and exported files.
pub fn shortest(value: f64) -> String {
    format!("{value}")
}

/// Pairs of finite numbers as a JSON list of `[a, b]` lists, each number its
/// shortest decimal (which JSON reads back to the same f64): γ-ranges for the
/// page's data attributes, without a JSON library in the page's download.
pub fn pairs_json(pairs: &[(f64, f64)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(a, b)| format!("[{},{}]", shortest(*a), shortest(*b)))
        .collect();
    format!("[{}]", items.join(","))
}

/// The status line of work done in slices: "Reading counts.csv: 45 %…", the
/// share done (0 to 1) in whole percent rounded down, so that 100 % shows
/// only once the work is done.
pub fn progress_status(doing: &str, what: &str, share: f64) -> String {
    format!("{doing} {what}: {} %…", (100.0 * share).floor())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_in_whole_percent_rounded_down() {
        assert_eq!(
            progress_status("Reading", "counts.csv", 0.0),
            "Reading counts.csv: 0 %…"
        );
        assert_eq!(
            progress_status("Writing", "sweep.csv", 0.4567),
            "Writing sweep.csv: 45 %…"
        );
        assert_eq!(
            progress_status("Reading", "the pasted counts", 0.99999),
            "Reading the pasted counts: 99 %…"
        );
    }

    #[test]
    fn pairs_are_json_that_reads_back_exactly() {
        let pairs = [
            (0.0, 2.2),
            (1e-7, 20.0),
            (0.1 + 0.2, 123456.789),
            (1e21, 5e-324),
        ];
        let ours = pairs_json(&pairs);
        let read: Vec<(f64, f64)> = serde_json::from_str(&ours).unwrap();
        assert_eq!(read, pairs);
        assert_eq!(pairs_json(&pairs[..2]), "[[0,2.2],[0.0000001,20]]");
        assert_eq!(pairs_json(&[]), "[]");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(format_significant(0.846375629, 6), "0.846376");
        assert_eq!(format_significant(15.3624, 4), "15.36");
        assert_eq!(format_significant(1.5e-7, 4), "1.500e-7");
        assert_eq!(format_significant(0.0, 4), "0");
        assert_eq!(format_significant(f64::NAN, 4), "—");
        assert_eq!(format_significant(1234567.0, 4), "1.235e6");
        assert_eq!(format_significant(-0.0123456, 3), "-0.0123");
    }

    #[test]
    fn decade_boundaries_keep_the_digit_count() {
        assert_eq!(format_significant(9.9999996, 6), "10.0000");
        assert_eq!(format_significant(0.099999996, 6), "0.100000");
        assert_eq!(format_significant(999_999.7, 6), "1.00000e6");
        assert_eq!(format_significant(0.000_999_999_7, 4), "0.001000");
        assert_eq!(format_significant(0.000_999_4, 3), "9.99e-4");
        assert_eq!(format_significant(99.95, 3), "100");
    }

    #[test]
    fn every_readout_has_the_asked_digits() {
        // Any value in fixed notation shows exactly `digits` significant digits.
        for i in 1..2000 {
            let value = 1.000_123_7f64.powi(i * 97) * 1e-3;
            let text = format_significant(value, 6);
            if !text.contains('e') {
                let significant = text
                    .trim_start_matches(['0', '.'])
                    .chars()
                    .filter(char::is_ascii_digit)
                    .count();
                assert_eq!(significant, 6, "{value} → {text}");
            }
        }
    }

    #[test]
    fn gammas_and_shortest_decimals() {
        assert_eq!(gamma_text(2.243_612, 4), "2.2436");
        assert_eq!(gamma_text(20.0, 2), "20");
        assert_eq!(shortest(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(shortest(1e-7).parse::<f64>(), Ok(1e-7));
    }
}
