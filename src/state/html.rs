//! Table rows and a chooser's options as HTML text, for parts of the page
//! that are many alike elements replaced together: the model-outputs table
//! (its rows change only when the pasted text or the panel's γ does) and the
//! tracked-class chooser (its options only when the classes do). Each is set
//! as one string, which the browser parses at once, where a typed view made
//! every element, attribute and text through calls from WebAssembly (and
//! gave each of the chooser's 500 options an effect of its own), and is
//! smaller in the download. (Not the per-class table: its rows change with
//! every γ, and a typed view updates their text in place, where new HTML
//! made the browser lay out twice as many objects again.) Every text and
//! attribute value is escaped, so text from people (labels, pasted headers)
//! is never read as HTML.

use super::config::ClassLabels;

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

/// Appends one `<option>` of `value` showing `text` to `html` (both
/// escaped), marked as the one selected or not.
fn push_option(html: &mut String, value: &str, text: &str, selected: bool) {
    html.push_str("<option value=\"");
    html.push_str(&escape_html(value));
    html.push_str(if selected { "\" selected>" } else { "\">" });
    html.push_str(&escape_html(text));
    html.push_str("</option>");
}

/// The tracked-class chooser's options of classes as HTML: the first `most`
/// classes by their labels (value: the class's index), the `chosen` one
/// selected. (The chooser's first option, the rarest class, which changes
/// with the counts, is not among them: a generator's new classes are often
/// labelled as the last were, and the options then stay as they are.)
pub fn tracked_class_options(labels: &ClassLabels, chosen: Option<usize>, most: usize) -> String {
    let mut html = String::new();
    for (class, label) in labels.iter().take(most).enumerate() {
        push_option(&mut html, &class.to_string(), &label, chosen == Some(class));
    }
    html
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

    #[test]
    fn options_escape_their_value_and_text_and_say_which_is_selected() {
        let mut html = String::new();
        push_option(&mut html, "", "Rarest class (<tiger>)", false);
        push_option(&mut html, "1", "cows & \"calves\"", true);
        assert_eq!(
            html,
            "<option value=\"\">Rarest class (&lt;tiger&gt;)</option>\
             <option value=\"1\" selected>cows &amp; &quot;calves&quot;</option>"
        );
    }

    #[test]
    fn the_tracked_class_chooser_offers_the_first_classes() {
        let labels: ClassLabels = ["cows", "tiger", "ant"].into_iter().collect();
        assert_eq!(
            tracked_class_options(&labels, None, 2),
            "<option value=\"0\">cows</option><option value=\"1\">tiger</option>"
        );
        assert_eq!(
            tracked_class_options(&labels, Some(2), 5),
            "<option value=\"0\">cows</option><option value=\"1\">tiger</option>\
             <option value=\"2\" selected>ant</option>"
        );
    }
}
