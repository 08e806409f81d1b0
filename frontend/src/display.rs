//! How values look on screen: durations, counts, sentiment, names, initials, channels and
//! dates. Pure functions with no web APIs, so their unit tests run natively.

use chrono::{DateTime, TimeZone};

/// The name shown when a user has neither a first nor a last name.
pub const UNKNOWN_USER: &str = "Unknown user";

/// What stands in an empty cell (no sentiment, no message yet).
pub const NO_VALUE: &str = "—";

/// Scores at or above this are positive; at or below its negation, negative.
const SENTIMENT_THRESHOLD: f64 = 0.05;

/// A duration in seconds as hours and minutes: "1h 05m", "12m", "0m".
/// Seconds are dropped, not rounded, and negative durations show as "0m".
pub fn format_duration(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (hours, minutes) = (minutes / 60, minutes % 60);
    if hours == 0 {
        format!("{minutes}m")
    } else {
        format!("{hours}h {minutes:02}m")
    }
}

/// A count with thousands separators: "1,234".
pub fn format_count(count: u64) -> String {
    let digits = count.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// A signed stats count (never negative in practice) with thousands separators.
pub fn format_stat(count: i64) -> String {
    format_count(u64::try_from(count).unwrap_or(0))
}

/// The line above the table: "1 user", "312 users", "1,204 users".
pub fn users_count(total: u64) -> String {
    let noun = if total == 1 { "user" } else { "users" };
    format!("{} {noun}", format_count(total))
}

/// The table footer's progress through the pages: "Showing 50 of 312", "Showing all 12".
pub fn showing_of(shown: u64, total: u64) -> String {
    if shown >= total {
        format!("Showing all {}", format_count(shown))
    } else {
        format!("Showing {} of {}", format_count(shown), format_count(total))
    }
}

/// The label of an average sentiment score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentimentLabel {
    Positive,
    Neutral,
    Negative,
}

impl SentimentLabel {
    /// The label of `score`: ≥ 0.05 positive, ≤ −0.05 negative, else neutral.
    pub fn of(score: f64) -> Self {
        if score >= SENTIMENT_THRESHOLD {
            Self::Positive
        } else if score <= -SENTIMENT_THRESHOLD {
            Self::Negative
        } else {
            Self::Neutral
        }
    }

    /// The word on screen.
    pub fn text(self) -> &'static str {
        match self {
            Self::Positive => "Positive",
            Self::Neutral => "Neutral",
            Self::Negative => "Negative",
        }
    }

    /// The CSS modifier class of the label's pill.
    pub fn class(self) -> &'static str {
        match self {
            Self::Positive => "pill pill--positive",
            Self::Neutral => "pill pill--neutral",
            Self::Negative => "pill pill--negative",
        }
    }
}

/// A sentiment score with two decimals; a score that rounds to zero shows as "0.00", never
/// "-0.00".
pub fn format_sentiment(score: f64) -> String {
    let rounded = (score * 100.0).round() / 100.0;
    if rounded == 0.0 {
        "0.00".to_owned()
    } else {
        format!("{rounded:.2}")
    }
}

/// The name shown for a user, or `None` when both names are blank (show `UNKNOWN_USER`).
pub fn display_name(first_name: &str, last_name: &str) -> Option<String> {
    Some(cohort_core::text::full_name(first_name, last_name)).filter(|name| !name.is_empty())
}

/// Up to two initials for the avatar: first letters of the first and last name, or of the
/// first two words of the name when there is only one of them; "?" for an unknown user.
pub fn initials(first_name: &str, last_name: &str) -> String {
    let name = cohort_core::text::full_name(first_name, last_name);
    let first_letter = |word: &str| word.chars().next().into_iter().flat_map(char::to_uppercase);
    let mut words = name.split_whitespace();
    let letters: String = match (words.next(), words.last()) {
        (None, _) => return "?".to_owned(),
        (Some(only), None) => first_letter(only).collect(),
        (Some(first), Some(last)) => first_letter(first).chain(first_letter(last)).collect(),
    };
    letters
}

/// A stable hue (0–359) for a user's avatar, so the same user keeps the same colour.
pub fn avatar_hue(user_id: &str) -> u16 {
    // FNV-1a: tiny, stable across builds and platforms.
    let hash = user_id.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    u16::try_from(hash % 360).unwrap_or(0)
}

/// The name of a channel on screen: the known ones spelled as their makers do, any other
/// with a capital first letter.
pub fn channel_name(channel: &str) -> String {
    let known = match channel {
        "web" => "Web chat",
        "messenger" => "Messenger",
        "telegram" => "Telegram",
        "whatsapp" => "WhatsApp",
        "line" => "LINE",
        "slack" => "Slack",
        "instagram" => "Instagram",
        "sms" => "SMS",
        other => {
            let mut chars = other.chars();
            return match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => NO_VALUE.to_owned(),
            };
        }
    };
    known.to_owned()
}

/// Text reduced to the characters a CSS class name may hold ("Web Chat!" → "WebChat").
pub fn class_token(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}

/// A time as a readable date and time in the time zone it carries: "5 Mar 2025, 14:07".
pub fn format_date_time<Tz: TimeZone>(time: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    time.format("%-d %b %Y, %H:%M").to_string()
}

/// The first `limit` items and how many more there are, for cells that show a few chips and
/// a "+N" for the rest.
pub fn first_few<T>(items: &[T], limit: usize) -> (&[T], usize) {
    let shown = items.len().min(limit);
    (&items[..shown], items.len() - shown)
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, NaiveDate};

    use super::*;

    #[test]
    fn durations_show_hours_and_padded_minutes() {
        let check = |seconds: i64, expected: &str| {
            assert_eq!(format_duration(seconds), expected, "{seconds} seconds");
        };
        check(0, "0m");
        check(59, "0m");
        check(60, "1m");
        check(12 * 60 + 30, "12m");
        check(3600, "1h 00m");
        check(3600 + 5 * 60, "1h 05m");
        check(26 * 3600 + 59 * 60 + 59, "26h 59m");
        check(-30, "0m");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        let check = |count: u64, expected: &str| assert_eq!(format_count(count), expected);
        check(0, "0");
        check(999, "999");
        check(1000, "1,000");
        check(123_456, "123,456");
        check(1_234_567, "1,234,567");
        assert_eq!(format_stat(-3), "0");
        assert_eq!(format_stat(4200), "4,200");
    }

    #[test]
    fn users_count_agrees_in_number() {
        assert_eq!(users_count(0), "0 users");
        assert_eq!(users_count(1), "1 user");
        assert_eq!(users_count(312), "312 users");
        assert_eq!(users_count(12_040), "12,040 users");
    }

    #[test]
    fn the_footer_says_how_many_rows_are_shown() {
        assert_eq!(showing_of(50, 312), "Showing 50 of 312");
        assert_eq!(showing_of(1000, 1200), "Showing 1,000 of 1,200");
        assert_eq!(showing_of(12, 12), "Showing all 12");
        assert_eq!(showing_of(1, 1), "Showing all 1");
    }

    #[test]
    fn sentiment_labels_follow_the_thresholds() {
        let check = |score: f64, expected: SentimentLabel| {
            assert_eq!(SentimentLabel::of(score), expected, "score {score}");
        };
        check(1.0, SentimentLabel::Positive);
        check(0.05, SentimentLabel::Positive);
        check(0.0499, SentimentLabel::Neutral);
        check(0.0, SentimentLabel::Neutral);
        check(-0.0499, SentimentLabel::Neutral);
        check(-0.05, SentimentLabel::Negative);
        check(-1.0, SentimentLabel::Negative);
        assert_eq!(SentimentLabel::Positive.text(), "Positive");
        assert_eq!(SentimentLabel::Negative.class(), "pill pill--negative");
    }

    #[test]
    fn sentiment_scores_have_two_decimals_and_no_negative_zero() {
        let check = |score: f64, expected: &str| assert_eq!(format_sentiment(score), expected);
        check(0.4213, "0.42");
        check(-0.3, "-0.30");
        check(1.0, "1.00");
        check(-0.001, "0.00");
        check(0.0, "0.00");
        check(0.005, "0.01");
    }

    #[test]
    fn names_fall_back_when_blank() {
        assert_eq!(
            display_name("Yin Yin", "Tan").as_deref(),
            Some("Yin Yin Tan")
        );
        assert_eq!(display_name("  ", "Tan").as_deref(), Some("Tan"));
        assert_eq!(display_name("Ana", "").as_deref(), Some("Ana"));
        assert_eq!(display_name(" ", " "), None);
    }

    #[test]
    fn initials_take_first_and_last_words() {
        let check = |first: &str, last: &str, expected: &str| {
            assert_eq!(initials(first, last), expected, "{first:?} {last:?}");
        };
        check("Yin Yin", "Tan", "YT");
        check("Yin Yin", "", "YY");
        check("ana", "", "A");
        check("", "o'brien", "O");
        check("émile", "zola", "ÉZ");
        check("", "", "?");
    }

    #[test]
    fn avatar_hues_are_stable_and_in_range() {
        assert_eq!(avatar_hue("42"), avatar_hue("42"));
        assert!(avatar_hue("42") < 360);
        assert!(avatar_hue("") < 360);
        assert_ne!(avatar_hue("1"), avatar_hue("2"));
    }

    #[test]
    fn channels_have_proper_names() {
        let check = |channel: &str, expected: &str| assert_eq!(channel_name(channel), expected);
        check("web", "Web chat");
        check("whatsapp", "WhatsApp");
        check("line", "LINE");
        check("sms", "SMS");
        check("viber", "Viber");
        check("", "—");
    }

    #[test]
    fn class_tokens_keep_only_safe_characters() {
        assert_eq!(class_token("telegram"), "telegram");
        assert_eq!(class_token("Web Chat!"), "WebChat");
        assert_eq!(class_token("x\" onclick=\"y"), "xonclicky");
    }

    #[test]
    fn date_times_read_in_the_given_zone() {
        let utc = NaiveDate::from_ymd_opt(2025, 3, 5)
            .and_then(|date| date.and_hms_opt(6, 7, 8))
            .map(|naive| naive.and_utc());
        let Some(utc) = utc else {
            panic!("a valid date")
        };
        assert_eq!(format_date_time(&utc), "5 Mar 2025, 06:07");
        let Some(singapore) = FixedOffset::east_opt(8 * 3600) else {
            panic!("a valid offset")
        };
        assert_eq!(
            format_date_time(&utc.with_timezone(&singapore)),
            "5 Mar 2025, 14:07"
        );
    }

    #[test]
    fn first_few_counts_the_rest() {
        let items = ["a", "b", "c", "d", "e"];
        assert_eq!(first_few(&items, 3), (&items[..3], 2));
        assert_eq!(first_few(&items[..2], 3), (&items[..2], 0));
        assert_eq!(first_few::<&str>(&[], 3), (&[][..], 0));
    }
}
