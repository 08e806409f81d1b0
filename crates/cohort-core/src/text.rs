//! Text normalisation shared by every place that compares text: the in-memory filter, the
//! folded columns the store writes, and the SQL parameters the store binds.
//!
//! Folding happens in Rust, never in SQL, because SQLite's `lower` and `LIKE` only know
//! ASCII. Whatever folding does, it does the same thing in all three places.

use icu_casemap::CaseMapper;
use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::CodePointSetData;
use icu_properties::props::DefaultIgnorableCodePoint;

/// The form text is compared in (PRODUCT.md, "Exact rules for text"): white space trimmed
/// at both ends (`str::trim`, so NBSP and U+3000 too), then Unicode's NFKC_Casefold:
/// default-ignorable code points removed, compatibility normalisation, full case folding,
/// and NFKC again (UAX #44, `NFKC_CF`), with no locale rules. "GROSSMANN" and "Großmann",
/// full-width "ＹＩＮ" and "yin", a decomposed "Zoë" and a composed one all fold alike;
/// accents stay ("çağla" is not "cagla") and Turkish "ı" stays its own letter. The result
/// is trimmed again, since folding can bare white space (a leading U+200B before a space).
///
/// ASCII text, the common case, takes a fast path with the same result.
pub fn fold(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_ascii() {
        return trimmed.to_ascii_lowercase();
    }
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let visible: String = trimmed
        .chars()
        .filter(|c| !ignorable.contains(*c))
        .collect();
    let nfkc = ComposingNormalizerBorrowed::new_nfkc();
    let folded = CaseMapper::new()
        .fold_string(&nfkc.normalize(&visible))
        .into_owned();
    let normalized = nfkc.normalize(&folded);
    normalized.trim().to_owned()
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

/// The number an attribute value stands for, when it is one (PRODUCT.md's number rule):
/// after trimming Unicode white space, an optional `+` or `-`, then digits with an
/// optional `.` and digits, or `.` and digits (`42`, `-3.5`, `+7`, `.5`, `0009`). No
/// exponent, no `inf` or `NaN`, no thousands separators, no trailing `.`; a value too
/// large for an `f64` is text.
pub fn attribute_number(value: &str) -> Option<f64> {
    let trimmed = value.trim();
    let unsigned = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let well_formed = match fraction {
        None => digits(whole),
        Some(fraction) => (whole.is_empty() || digits(whole)) && digits(fraction),
    };
    if !well_formed {
        return None;
    }
    trimmed
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// Whether no text field may hold `c`: NUL and every other C0 or C1 control character
/// (and DEL), except tab, line feed and carriage return. Those three are refused in
/// single-line fields by their own checks and kept in multi-line ones (notes, attribute
/// values, message texts).
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The first character of `text` that no field may hold (see `is_forbidden_control`).
pub fn forbidden_control(text: &str) -> Option<char> {
    text.chars().find(|c| is_forbidden_control(*c))
}

/// How a refused control character is named in an error: `U+0000 (NUL)`.
pub fn describe_control(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\t' => " (tab)",
        '\n' => " (line feed)",
        '\r' => " (carriage return)",
        '\u{7f}' => " (DEL)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// Whether `text` holds nothing a reader could see or a filter could match: its fold is
/// empty (only white space and default-ignorable code points such as U+200B ZERO WIDTH
/// SPACE, U+00AD SOFT HYPHEN or U+2060 WORD JOINER). Names and identifiers refuse such
/// text, as they refuse empty text: stored, it would look empty and no filter could
/// name it (filters fold their operands and refuse an empty one).
pub fn is_blank(text: &str) -> bool {
    fold(text).is_empty()
}

/// Whether a tag, attribute key or channel is acceptable after trimming: at least one
/// visible character (`is_blank`), 1..=64 characters both as given and once folded (a
/// channel is stored folded, and NFKC can lengthen text: U+FDFA becomes 18 characters),
/// no control characters. Returns the trimmed form.
pub fn identifier(raw: &str) -> Result<&str, &'static str> {
    checked_identifier(raw).map(|(trimmed, _)| trimmed)
}

/// `identifier`'s checks, returning the folded form instead (what a channel is stored as),
/// so the text is folded once.
pub fn folded_identifier(raw: &str) -> Result<String, &'static str> {
    checked_identifier(raw).map(|(_, folded)| folded)
}

/// `identifier`'s checks: the trimmed and the folded form.
fn checked_identifier(raw: &str) -> Result<(&str, String), &'static str> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err("must not be empty");
    }
    if trimmed.chars().any(char::is_control) {
        return Err("must not contain control characters");
    }
    let max = crate::limits::MAX_IDENTIFIER_CHARS;
    if trimmed.chars().count() > max {
        return Err("must be at most 64 characters");
    }
    let folded = fold(trimmed);
    if folded.is_empty() {
        return Err("must hold a visible character, not only invisible ones like U+200B");
    }
    if folded.chars().count() > max {
        return Err(
            "must be at most 64 characters once normalised (NFKC expands some, like U+FDFA)",
        );
    }
    Ok((trimmed, folded))
}

/// The id an id string of the API stands for: the decimal digits of a positive `i64`,
/// exactly as the API writes ids (no sign, no leading zero, no white space). Anything
/// else names nothing, so `05`, `+5` and ` 5 ` are not user 5: ids are opaque strings
/// and each record has one.
pub fn canonical_id(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let well_formed =
        matches!(bytes.first(), Some(b'1'..=b'9')) && bytes.iter().all(u8::is_ascii_digit);
    if !well_formed {
        return None;
    }
    text.parse::<i64>().ok()
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
    fn identifiers_need_a_visible_character_and_64_characters_folded() {
        assert_eq!(identifier("  VIP "), Ok("VIP"));
        assert_eq!(identifier(&"a".repeat(64)).map(str::len), Ok(64));
        for refused in [
            "",
            "   ",
            "\u{200b}",
            "\u{ad}",
            "\u{2060}",
            " \u{200b}\u{fe0f} ",
            "v\u{1}ip",
        ] {
            assert!(identifier(refused).is_err(), "{refused:?}");
        }
        assert!(identifier(&"a".repeat(65)).is_err());
        // 64 characters as given, 1,152 once folded.
        assert!(identifier(&"\u{fdfa}".repeat(64)).is_err());
        assert!(identifier(&"\u{fdfa}".repeat(3)).is_ok());
        // The folded form passes and fails with the trimmed one.
        assert_eq!(
            folded_identifier("  Tele\u{200b}GRAM "),
            Ok("telegram".to_owned())
        );
        assert!(folded_identifier(&"\u{fdfa}".repeat(64)).is_err());
        assert!(folded_identifier("\u{200b}").is_err());
        assert!(is_blank("\u{200b} \u{ad}"));
        assert!(!is_blank("\u{200b}x"));
    }

    #[test]
    fn only_the_canonical_spelling_of_an_id_names_it() {
        assert_eq!(canonical_id("5"), Some(5));
        assert_eq!(canonical_id("9223372036854775807"), Some(i64::MAX));
        for refused in [
            "",
            "0",
            "05",
            "+5",
            "-5",
            " 5",
            "5 ",
            "5.0",
            "1e3",
            "٥",
            "9223372036854775808",
        ] {
            assert_eq!(canonical_id(refused), None, "{refused:?}");
        }
    }

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
    fn fold_is_nfkc_casefold() {
        let check = |input: &str, expected: &str| assert_eq!(fold(input), expected, "{input:?}");
        // Full case folding: ß and ẞ become "ss"; final and medial sigma fold alike.
        check("GROSSMANN", "grossmann");
        check("Großmann", "grossmann");
        check("GROẞMANN", "grossmann");
        check("ΚΏΣΤΑΣ", "κώστασ");
        check("Κώστας", "κώστασ");
        // Compatibility: full-width letters, ligatures, superscripts, NBSP inside.
        check("ＹＩＮ", "yin");
        check("ﬁle", "file");
        check("x²", "x2");
        check("Yin\u{a0}Yin", "yin yin");
        // Composition: a decomposed ë equals the composed one.
        check("Zoe\u{308}", "zoë");
        check("ZOË", "zoë");
        // Default ignorables go: zero-width space, soft hyphen, ZWJ, variation selectors.
        check("Yi\u{200b}n", "yin");
        check("co\u{ad}operate", "cooperate");
        check("\u{200b} Yin", "yin");
        // No locale rules, no accent stripping.
        check("ı", "ı");
        check("İ", "i\u{307}");
        check("Çağla", "çağla");
        check("\u{3000}全角\u{3000}", "全角");
    }

    #[test]
    fn fold_is_idempotent_and_ascii_agrees_with_the_full_path() {
        for sample in [
            "Straße",
            "ＹＩＮ",
            "Zoe\u{308}",
            "ΣΊΣΥΦΟΣ",
            "ǅemal",
            "ﬃ",
            "㎒",
            "Ⅻ",
            "İstanbul",
            "\u{1f44d}\u{1f3fd}",
            "a\u{200d}b",
            "  mixed ÀSCII  ",
        ] {
            let once = fold(sample);
            assert_eq!(fold(&once), once, "{sample:?}");
        }
        // The ASCII fast path gives what the full path would.
        for byte in 0_u8..0x80 {
            let text = format!("x{}Y", char::from(byte));
            let full = {
                let nfkc = ComposingNormalizerBorrowed::new_nfkc();
                let normalized = nfkc.normalize(text.trim());
                let folded = CaseMapper::new().fold_string(&normalized);
                nfkc.normalize(&folded).trim().to_owned()
            };
            assert_eq!(fold(&text), full, "{byte:#x}");
        }
    }

    #[test]
    fn full_name_joins_present_parts_only() {
        assert_eq!(full_name("Yin Yin", "Tan"), "Yin Yin Tan");
        assert_eq!(full_name(" Yin Yin ", ""), "Yin Yin");
        assert_eq!(full_name("", "Tan"), "Tan");
        assert_eq!(full_name("", ""), "");
    }

    #[test]
    fn attribute_number_follows_the_product_grammar() {
        let check = |input: &str, expected: Option<f64>| {
            assert_eq!(attribute_number(input), expected, "{input:?}")
        };
        check("42", Some(42.0));
        check(" -3.5 ", Some(-3.5));
        check("+7", Some(7.0));
        check(".5", Some(0.5));
        check("-.5", Some(-0.5));
        check("0009", Some(9.0));
        check("\u{a0}42\u{3000}", Some(42.0));
        check("-0", Some(0.0));
        check("1e3", None);
        check("1E3", None);
        check("5.", None);
        check(".", None);
        check("+-1", None);
        check("1.2.3", None);
        check("inf", None);
        check("NaN", None);
        check("0x10", None);
        check("1,000", None);
        check("1 000", None);
        check("٤٢", None);
        check("pizza", None);
        check("", None);
        check("-", None);
        check(&"9".repeat(400), None);
    }

    #[test]
    fn forbidden_controls_are_c0_c1_and_del_but_not_line_breaks() {
        assert_eq!(forbidden_control("a\u{0}b"), Some('\0'));
        assert_eq!(forbidden_control("line\r\nnext\tcolumn"), None);
        assert_eq!(forbidden_control("esc\u{1b}"), Some('\u{1b}'));
        assert_eq!(forbidden_control("c1\u{85}"), Some('\u{85}'));
        assert_eq!(forbidden_control("del\u{7f}"), Some('\u{7f}'));
        assert_eq!(forbidden_control("zero\u{200b}width és 全角"), None);
        assert_eq!(describe_control('\0'), "U+0000 (NUL)");
        assert_eq!(describe_control('\u{85}'), "U+0085");
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
