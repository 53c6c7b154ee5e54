//! Table rows as HTML text, for the model-outputs table: it sets its rows as
//! one string (one attribute is smaller in the download than a typed view
//! per cell, and its rows change only when the pasted text or the panel's γ
//! does). Every cell is escaped, so text from people (pasted headers) is
//! never read as HTML.

/// Text made safe to place in HTML: `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Appends one `<tr>` to `html`: each cell's text escaped, with its class
/// (if any).
pub fn push_row<'a>(
    html: &mut String,
    cells: impl IntoIterator<Item = (Option<&'static str>, &'a str)>,
) {
    html.push_str("<tr>");
    for (class, text) in cells {
        match class {
            Some(class) => {
                html.push_str("<td class=\"");
                html.push_str(class);
                html.push_str("\">");
            }
            None => html.push_str("<td>"),
        }
        html.push_str(&escape_html(text));
        html.push_str("</td>");
    }
    html.push_str("</tr>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_escape_every_cell_and_carry_their_classes() {
        let mut html = String::new();
        push_row(
            &mut html,
            [(None, "<b>cat</b> & 'dog'"), (Some("num"), "0.5")],
        );
        push_row(&mut html, [(None, "\"x\"")]);
        assert_eq!(
            html,
            "<tr><td>&lt;b&gt;cat&lt;/b&gt; &amp; &#39;dog&#39;</td><td class=\"num\">0.5</td></tr>\
             <tr><td>&quot;x&quot;</td></tr>"
        );
    }
}
