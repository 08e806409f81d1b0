//! Text normalisation shared by every place that compares text: the in-memory filter, the
//! folded columns the store writes, and the SQL parameters the store binds.
//!
//! Folding happens in Rust, never in SQL, because SQLite's `lower` and `LIKE` only know
//! ASCII. Whatever folding does, it does the same thing in all three places.

/// The form text is compared in: surrounding white space removed, then lower-cased with
/// Unicode's full mapping ("ÉCOLE" and " école " fold alike).
pub fn fold(text: &str) -> String {
    text.trim().to_lowercase()
}

/// `fold`, with empty results turned into `None` (what the store writes for "not set").
pub fn fold_non_empty(text: &str) -> Option<String> {
    Some(fold(text)).filter(|folded| !folded.is_empty())
}

/// A user's full name as shown and filtered on: first and last name joined by one space.
pub fn full_name(first_name: &str, last_name: &str) -> String {
    match (first_name.trim(), last_name.trim()) {
        ("", last) => last.to_owned(),
        (first, "") => first.to_owned(),
        (first, last) => format!("{first} {last}"),
    }
}

/// The number an attribute value stands for, when it is one: a finite decimal number with
/// optional sign, fraction and exponent ("42", "-3.5", "1e3"), surrounding space ignored.
/// "inf", "NaN", hex and thousands separators are text.
pub fn attribute_number(value: &str) -> Option<f64> {
    let trimmed = value.trim();
    let looks_decimal = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'))
        && trimmed.chars().any(|c| c.is_ascii_digit());
    if !looks_decimal {
        return None;
    }
    trimmed
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// Whether a tag or attribute key is acceptable after trimming: 1..=64 characters, no
/// control characters. Returns the trimmed form.
pub fn identifier(raw: &str) -> Result<&str, &'static str> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err("must not be empty");
    }
    if trimmed.chars().count() > crate::limits::MAX_IDENTIFIER_CHARS {
        return Err("must be at most 64 characters");
    }
    if trimmed.chars().any(char::is_control) {
        return Err("must not contain control characters");
    }
    Ok(trimmed)
}

/// Whether an attribute key is acceptable after trimming: an identifier (see
/// `identifier`) without white space inside, since keys name columns (`attributes.<key>`
/// in filters, `attr:<key>` in exports). Returns the trimmed form.
pub fn attribute_key(raw: &str) -> Result<&str, &'static str> {
    let trimmed = identifier(raw)?;
    if trimmed.chars().any(char::is_whitespace) {
        return Err("must not contain spaces (use `_` or `.`, like `fav_food`)");
    }
    Ok(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_trims_and_lowercases_all_of_unicode() {
        let check = |input: &str, expected: &str| assert_eq!(fold(input), expected, "{input:?}");
        check("  Yin Yin ", "yin yin");
        check("ÉCOLE", "école");
        check("ΑΘΗΝΑ", "αθηνα");
        check("ДМИТРИЙ", "дмитрий");
        check("\u{3000}全角\u{3000}", "全角");
        check("", "");
    }

    #[test]
    fn full_name_joins_present_parts_only() {
        assert_eq!(full_name("Yin Yin", "Tan"), "Yin Yin Tan");
        assert_eq!(full_name(" Yin Yin ", ""), "Yin Yin");
        assert_eq!(full_name("", "Tan"), "Tan");
        assert_eq!(full_name("", ""), "");
    }

    #[test]
    fn attribute_number_accepts_decimals_only() {
        let check = |input: &str, expected: Option<f64>| {
            assert_eq!(attribute_number(input), expected, "{input:?}")
        };
        check("42", Some(42.0));
        check(" -3.5 ", Some(-3.5));
        check("1e3", Some(1000.0));
        check("+7", Some(7.0));
        check("inf", None);
        check("NaN", None);
        check("0x10", None);
        check("1,000", None);
        check("pizza", None);
        check("", None);
        check("-", None);
        check("1e999", None);
    }

    #[test]
    fn identifier_rejects_empty_long_and_control() {
        assert_eq!(identifier("  vip "), Ok("vip"));
        assert!(identifier("   ").is_err());
        assert!(identifier(&"x".repeat(65)).is_err());
        assert!(identifier(&"é".repeat(64)).is_ok());
        assert!(identifier("a\u{0}b").is_err());
        assert!(identifier("Pizza lover").is_ok());
    }

    #[test]
    fn attribute_keys_are_identifiers_without_spaces() {
        assert_eq!(attribute_key(" app.plan "), Ok("app.plan"));
        assert!(attribute_key("fav food").is_err());
        assert!(attribute_key("fav\u{00a0}food").is_err());
        assert!(attribute_key(&"k".repeat(300)).is_err());
        assert!(attribute_key("").is_err());
    }
}
