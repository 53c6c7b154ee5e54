//! Rows of model outputs as people write them (one example per line, K
//! comma-separated probabilities, an optional header line of class names),
//! read for the core's inverse transform by `focal invert`.

/// The fields of a line of outputs, trimmed.
fn fields(line: &str) -> impl Iterator<Item = &str> {
    line.split(',').map(str::trim)
}

/// Whether a line is a header: some field is not a number.
pub fn is_header(line: &str) -> bool {
    fields(line).any(|f| f.parse::<f64>().is_err())
}

/// Reads one line of outputs into `row` (cleared first): `columns` numbers.
/// The message says what is wrong, without the line number.
pub fn read_row(line: &str, columns: usize, row: &mut Vec<f64>) -> Result<(), String> {
    row.clear();
    for field in fields(line) {
        row.push(
            field
                .parse::<f64>()
                .map_err(|_| format!("“{field}” is not a number"))?,
        );
    }
    if row.len() == columns {
        Ok(())
    } else {
        Err(format!(
            "{} values, expected {columns} (one per class)",
            row.len()
        ))
    }
}

/// Number of columns a first line of outputs sets.
pub fn column_count(line: &str) -> usize {
    fields(line).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_against_the_column_count() {
        assert!(is_header("cat, dog"));
        assert!(!is_header("0.5, 0.5"));
        assert_eq!(column_count("0.2,0.3,0.5"), 3);
        let mut row = Vec::new();
        read_row(" 0.8, 0.2 ", 2, &mut row).unwrap();
        assert_eq!(row, vec![0.8, 0.2]);
        assert_eq!(
            read_row("0.5,0.3,0.2", 2, &mut row).unwrap_err(),
            "3 values, expected 2 (one per class)"
        );
        assert_eq!(
            read_row("0.5,zero", 2, &mut row).unwrap_err(),
            "“zero” is not a number"
        );
    }
}
