//! The CSV export's cells: the header, one user's row, and the rules that make a cell safe
//! to open in a spreadsheet (OWASP CSV injection) while keeping every byte of the users'
//! text. RFC 4180 quoting itself is the CSV writer's job; this module decides what each
//! cell says.

use std::borrow::Cow;

use chrono::SecondsFormat;

use crate::text::attribute_number;
use crate::time::{Micros, from_micros};

/// The UTF-8 byte order mark that starts every export file (Excel reads UTF-8 only with it).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The fixed columns, in order; one `attr:KEY` column per attribute key follows them.
pub const FIXED_COLUMNS: [&str; 15] = [
    "id",
    "first_name",
    "last_name",
    "channel",
    "external_id",
    "email",
    "phone",
    "sessions",
    "messages_sent",
    "clicks",
    "time_spent_secs",
    "average_sentiment",
    "last_message_at",
    "created_at",
    "tags",
];

/// How tags are joined in their one cell.
pub const TAG_SEPARATOR: &str = ", ";

/// One user as the export writes them. `attributes` are sorted by key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportUser {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub channel: String,
    pub external_id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub sessions: i64,
    pub messages_sent: i64,
    pub clicks: i64,
    pub time_spent_secs: i64,
    pub average_sentiment: Option<f64>,
    pub last_message_at: Option<Micros>,
    pub created_at: Micros,
    pub tags: Vec<String>,
    pub attributes: Vec<(String, String)>,
}

/// The header row for the attribute keys present among the exported users; the keys are
/// sorted by code point and deduplicated here.
pub fn header(keys: &[String]) -> Vec<String> {
    let mut keys: Vec<&String> = keys.iter().collect();
    keys.sort();
    keys.dedup();
    FIXED_COLUMNS
        .iter()
        .map(|column| (*column).to_owned())
        .chain(keys.into_iter().map(|key| format!("attr:{key}")))
        .collect()
}

/// Whether a text cell would be read as a formula by a spreadsheet: its first character
/// after leading Unicode white space is `=`, `+`, `-`, `@` or a full-width form of one, or
/// it starts with a tab, CR or LF.
pub fn is_formula_like(value: &str) -> bool {
    if value.starts_with(['\t', '\r', '\n']) {
        return true;
    }
    value
        .chars()
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠'))
}

/// A text cell: the value as stored, with a leading `'` when it looks like a formula.
pub fn text_cell(value: &str) -> Cow<'_, str> {
    if is_formula_like(value) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// An attribute's cell: a value that is a number by `attribute_number` is written plainly
/// (`-5`, `+3.5`), anything else is a text cell.
pub fn attribute_cell(value: &str) -> Cow<'_, str> {
    if attribute_number(value).is_some() {
        Cow::Borrowed(value)
    } else {
        text_cell(value)
    }
}

/// A time as RFC 3339 in UTC, as the API writes times.
pub fn time_cell(micros: Micros) -> String {
    from_micros(micros).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The user's row, cell by cell, for the attribute columns `keys` (sorted, as `header`
/// orders them); missing values are empty cells.
pub fn record<'a>(user: &'a ExportUser, keys: &[String]) -> Vec<Cow<'a, str>> {
    let mut cells: Vec<Cow<'a, str>> = Vec::with_capacity(FIXED_COLUMNS.len() + keys.len());
    cells.push(Cow::Owned(user.id.to_string()));
    cells.push(text_cell(&user.first_name));
    cells.push(text_cell(&user.last_name));
    cells.push(text_cell(&user.channel));
    cells.push(text_cell(&user.external_id));
    cells.push(user.email.as_deref().map_or(Cow::Borrowed(""), text_cell));
    cells.push(user.phone.as_deref().map_or(Cow::Borrowed(""), text_cell));
    cells.push(Cow::Owned(user.sessions.to_string()));
    cells.push(Cow::Owned(user.messages_sent.to_string()));
    cells.push(Cow::Owned(user.clicks.to_string()));
    cells.push(Cow::Owned(user.time_spent_secs.to_string()));
    cells.push(
        user.average_sentiment
            .map_or(Cow::Borrowed(""), |value| Cow::Owned(value.to_string())),
    );
    cells.push(
        user.last_message_at
            .map_or(Cow::Borrowed(""), |at| Cow::Owned(time_cell(at))),
    );
    cells.push(Cow::Owned(time_cell(user.created_at)));
    if user.tags.is_empty() {
        cells.push(Cow::Borrowed(""));
    } else {
        let joined = user.tags.join(TAG_SEPARATOR);
        cells.push(match text_cell(&joined) {
            Cow::Borrowed(_) => Cow::Owned(joined),
            Cow::Owned(escaped) => Cow::Owned(escaped),
        });
    }
    let mut attributes = user.attributes.iter().peekable();
    for key in keys {
        while attributes
            .peek()
            .is_some_and(|(have, _)| have.as_str() < key.as_str())
        {
            attributes.next();
        }
        match attributes.peek() {
            Some((have, value)) if have == key => {
                cells.push(attribute_cell(value));
                attributes.next();
            }
            _ => cells.push(Cow::Borrowed("")),
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_text(input: &str, expected: &str) {
        assert_eq!(text_cell(input), expected, "text {input:?}");
    }

    fn check_attribute(input: &str, expected: &str) {
        assert_eq!(attribute_cell(input), expected, "attribute {input:?}");
    }

    #[test]
    fn formula_like_text_gets_a_leading_quote() {
        check_text("=1+1", "'=1+1");
        check_text(" =1+1", "' =1+1");
        check_text("\u{a0}@SUM(A1)", "'\u{a0}@SUM(A1)");
        check_text("\u{3000}+1", "'\u{3000}+1");
        check_text("＝1", "'＝1");
        check_text("＋1", "'＋1");
        check_text("－1", "'－1");
        check_text("＠x", "'＠x");
        check_text("-2+3", "'-2+3");
        check_text("-5", "'-5");
        check_text("+33 6 12 34 56 78", "'+33 6 12 34 56 78");
        check_text("@handle", "'@handle");
        check_text("\tplain", "'\tplain");
        check_text("\rplain", "'\rplain");
        check_text("\nplain", "'\nplain");
    }

    #[test]
    fn other_text_is_kept_byte_for_byte() {
        check_text("", "");
        check_text("Yin Yin", "Yin Yin");
        check_text("a=1", "a=1");
        check_text("say \"hi\", then go", "say \"hi\", then go");
        check_text("line one\r\nline two", "line one\r\nline two");
        check_text("tab\tinside", "tab\tinside");
        check_text("🍕 pizza 🎉", "🍕 pizza 🎉");
        check_text("שלום עולם", "שלום עולם");
        check_text("مرحبا -1", "مرحبا -1");
        check_text("'quoted", "'quoted");
        check_text("\u{feff}=1", "\u{feff}=1");
        let long = "x".repeat(10_000);
        check_text(&long, &long);
        let long_formula = format!("={}", "y".repeat(9_999));
        check_text(&long_formula, &format!("'{long_formula}"));
    }

    #[test]
    fn numeric_attributes_are_plain_and_others_are_text() {
        check_attribute("-5", "-5");
        check_attribute("+3.5", "+3.5");
        check_attribute("1e3", "1e3");
        check_attribute(" -7 ", " -7 ");
        check_attribute("-2+3", "'-2+3");
        check_attribute("=1+1", "'=1+1");
        check_attribute("pizza", "pizza");
        check_attribute("-inf", "'-inf");
    }

    #[test]
    fn the_header_has_the_fixed_columns_then_sorted_attribute_keys() {
        let keys = vec![
            "zeta".to_owned(),
            "app.plan".to_owned(),
            "Zeta".to_owned(),
            "émoji".to_owned(),
            "app.plan".to_owned(),
        ];
        let header = header(&keys);
        assert_eq!(&header[..15], FIXED_COLUMNS.map(str::to_owned).as_slice());
        assert_eq!(
            &header[15..],
            ["attr:Zeta", "attr:app.plan", "attr:zeta", "attr:émoji"]
        );
    }

    #[test]
    fn a_record_has_one_cell_per_column() {
        let user = ExportUser {
            id: 42,
            first_name: "=HYPERLINK(\"x\")".to_owned(),
            last_name: "Tan".to_owned(),
            channel: "telegram".to_owned(),
            external_id: "-42".to_owned(),
            email: None,
            phone: Some("+95 9 123".to_owned()),
            sessions: 3,
            messages_sent: 10,
            clicks: 0,
            time_spent_secs: 125,
            average_sentiment: Some(-0.25),
            last_message_at: Some(1_793_527_200_000_000),
            created_at: 1_793_491_200_000_000,
            tags: vec!["a, b".to_owned(), "vip \"gold\"".to_owned()],
            attributes: vec![
                ("app.plan".to_owned(), "pro".to_owned()),
                ("score".to_owned(), "-5".to_owned()),
            ],
        };
        let keys = ["age".to_owned(), "app.plan".to_owned(), "score".to_owned()];
        let cells: Vec<String> = record(&user, &keys)
            .into_iter()
            .map(Cow::into_owned)
            .collect();
        assert_eq!(
            cells,
            [
                "42",
                "'=HYPERLINK(\"x\")",
                "Tan",
                "telegram",
                "'-42",
                "",
                "'+95 9 123",
                "3",
                "10",
                "0",
                "125",
                "-0.25",
                "2026-11-01T10:00:00Z",
                "2026-11-01T00:00:00Z",
                "a, b, vip \"gold\"",
                "",
                "pro",
                "-5",
            ]
        );
    }

    #[test]
    fn tags_that_join_into_a_formula_are_escaped() {
        let user = ExportUser {
            tags: vec!["-vip".to_owned()],
            ..ExportUser::default()
        };
        assert_eq!(record(&user, &[])[14], "'-vip");
    }
}
