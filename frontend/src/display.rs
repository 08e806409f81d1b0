//! How values look on screen: durations, counts, sentiment, names, initials, channels and
//! dates. Pure functions with no web APIs, so their unit tests run natively.

use chrono::{DateTime, TimeZone};
use cohort_core::api::{SentimentCause, User};
use cohort_core::sentiment::Label;

/// The name shown when a user has neither a first nor a last name.
pub const UNKNOWN_USER: &str = "Unknown user";

/// What stands in an empty cell (no sentiment, no message yet).
pub const NO_VALUE: &str = "—";

/// The channels Cohort knows by name, in the order the filter builder offers them.
pub const KNOWN_CHANNELS: [&str; 8] = [
    "web",
    "messenger",
    "telegram",
    "whatsapp",
    "line",
    "slack",
    "instagram",
    "sms",
];

/// A duration in seconds: "50s" under a minute, else hours and minutes ("1h 05m", "12m").
/// Past a minute, seconds are dropped, not rounded; negative durations show as "0s".
pub fn format_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
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

/// Where the page shown sits in the list: "Showing 51–100 of 1,204", "Showing all 12".
/// `page` counts from 0 in pages of `limit`; `shown` rows are on it.
pub fn page_range(page: usize, limit: u64, shown: usize, total: u64) -> String {
    let shown = u64::try_from(shown).unwrap_or(u64::MAX);
    let page = u64::try_from(page).unwrap_or(u64::MAX);
    if page == 0 && shown >= total && total == 1 {
        return "Showing 1 user".to_owned();
    }
    if page == 0 && shown >= total {
        return format!("Showing all {}", format_count(total));
    }
    if shown == 0 {
        return format!("Showing none of {}", format_count(total));
    }
    let first = page.saturating_mul(limit).saturating_add(1);
    let last = first.saturating_add(shown - 1);
    format!(
        "Showing {}–{} of {}",
        format_count(first),
        format_count(last),
        format_count(total)
    )
}

/// A user's average sentiment with the label the API gave it.
pub fn average_sentiment(user: &User) -> Option<(f64, Label)> {
    user.average_sentiment.zip(user.average_sentiment_label)
}

/// A sentiment label as the app shows it: the word on screen.
pub fn label_text(label: Label) -> &'static str {
    match label {
        Label::Positive => "Positive",
        Label::Neutral => "Neutral",
        Label::Negative => "Negative",
    }
}

/// The classes of a sentiment label's pill.
pub fn label_class(label: Label) -> &'static str {
    match label {
        Label::Positive => "pill pill--positive",
        Label::Neutral => "pill pill--neutral",
        Label::Negative => "pill pill--negative",
    }
}

/// The button that asks why a message has its label: "Why negative?".
pub fn why_question(label: Label) -> &'static str {
    match label {
        Label::Positive => "Why positive?",
        Label::Neutral => "Why neutral?",
        Label::Negative => "Why negative?",
    }
}

/// The heading of a message's explanation.
pub fn why_title(label: Label) -> &'static str {
    match label {
        Label::Positive => "What made it positive",
        Label::Neutral => "What moved the score",
        Label::Negative => "What made it negative",
    }
}

/// What a contribution to a sentiment score is, in a few words.
pub fn cause_text(cause: SentimentCause) -> &'static str {
    match cause {
        SentimentCause::Word => "word",
        SentimentCause::Symbol => "emoji",
        SentimentCause::Laughter => "laughter",
        SentimentCause::Phrase => "phrase",
        SentimentCause::Degree => "degree word",
        SentimentCause::Capitals => "capitals",
        SentimentCause::HeldLetters => "held letters",
        SentimentCause::Negation => "negation",
        SentimentCause::BeforeBut => "before “but”",
        SentimentCause::AfterBut => "after “but”",
        SentimentCause::Emphasis => "emphasis",
        SentimentCause::Question => "in a question",
        SentimentCause::Sarcasm => "sarcasm",
        SentimentCause::Repeated => "asked again",
        SentimentCause::LaughterWithComplaint => "laughing at a complaint",
    }
}

/// A contribution's effect on a score: signed, two decimals, a true minus sign ("−0.40",
/// "+0.12").
pub fn format_effect(effect: f64) -> String {
    let rounded = (effect * 100.0).round() / 100.0;
    if rounded < 0.0 {
        format!("\u{2212}{:.2}", -rounded)
    } else {
        format!("+{:.2}", rounded.abs())
    }
}

/// A rule's factor: "×1.3", "×0.5", "×−0.74", "×0" (at most two decimals, no trailing
/// zeros).
pub fn format_factor(factor: f64) -> String {
    let text = format!("{:.2}", (factor * 100.0).round() / 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text.strip_prefix('-') {
        Some("0") => "×0".to_owned(),
        Some(magnitude) => format!("×\u{2212}{magnitude}"),
        None => format!("×{text}"),
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

/// The address of a user's profile picture as the app loads it: an `https:` URL or an
/// inline `data:image/` one, without white space or quotes; anything else (`http:`, which
/// an https page may not load, `javascript:`, a bare path) shows the initials instead.
pub fn picture_url(avatar_url: Option<&str>) -> Option<String> {
    let url = avatar_url?.trim();
    let lower = url.get(..11).unwrap_or(url).to_ascii_lowercase();
    let usable = (lower.starts_with("https://") && url.len() > "https://".len())
        || lower.starts_with("data:image/");
    let clean = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>'));
    (usable && clean).then(|| url.to_owned())
}

/// Who did what an audit entry records, as the app shows it: an admin by their email, an
/// API token by its number ("API token 3").
pub fn audit_actor(actor: &str) -> String {
    match actor.split_once(':') {
        Some(("admin", email)) => email.to_owned(),
        Some(("token", number)) => format!("API token {number}"),
        _ => actor.to_owned(),
    }
}

/// A time in full in the browser's time zone, with the zone, written as the user's page
/// writes dates: "30 Nov 2026, 09:30:15 (UTC+08:00)".
pub fn format_exact_time(time: &DateTime<chrono::Utc>) -> String {
    time.with_timezone(&chrono::Local)
        .format("%-d %b %Y, %H:%M:%S (UTC%:z)")
        .to_string()
}

/// What an audit entry records, in the words of the toast that reported it: "Deleted 2
/// users", "Tagged 62 users with VIP", "Exported 298 users as CSV".
pub fn audit_summary(entry: &cohort_core::api::AuditEntry) -> String {
    match entry.action.as_str() {
        "export_csv" => format!("Exported {} as CSV", users_count(entry.affected)),
        // `affected` is the rows the file holds.
        "export_download" if entry.details.get("range").is_some() => {
            format!(
                "Downloaded part of the CSV of {}",
                users_count(entry.affected)
            )
        }
        "export_download" => format!("Downloaded the CSV of {}", users_count(entry.affected)),
        _ => match serde_json::from_value::<cohort_core::api::BulkAction>(entry.details.clone()) {
            // The log keeps what changed, not what was selected: nothing changed means
            // everyone selected was already as asked, as the toast said then.
            Ok(action) if entry.affected == 0 => match BulkWords::of(&action, 0) {
                Some(words) => format!(
                    "{}: nothing changed, everyone selected {}",
                    words.asked, words.unchanged
                ),
                None => "Deleted nobody".to_owned(),
            },
            Ok(action) => bulk_outcome(&action, entry.affected, entry.affected),
            Err(_) => format!("{} on {}", entry.action, users_count(entry.affected)),
        },
    }
}

/// How many avatar colours there are (`.avatar--tone-0` … `-11` in style.css, 30° of hue
/// apart): a class, not an inline style, which the page's Content-Security-Policy refuses.
pub const AVATAR_TONES: u32 = 12;

/// A stable colour (`0..AVATAR_TONES`) for a user's avatar, so the same user keeps the
/// same colour: the avatar's class is `avatar--tone-N`.
pub fn avatar_tone(user_id: &str) -> u32 {
    // FNV-1a: tiny, stable across builds and platforms.
    let hash = user_id.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash % AVATAR_TONES
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

/// How long ago `time` was at `now`, as the table shows it: "just now", "12 min ago",
/// "3 h ago", "5 d ago", then the date ("12 Nov", with the year when it is not `now`'s).
pub fn format_relative<Tz: TimeZone>(time: &DateTime<Tz>, now: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let seconds = now
        .clone()
        .signed_duration_since(time.clone())
        .num_seconds();
    match seconds {
        ..60 => "just now".to_owned(),
        60..3_600 => format!("{} min ago", seconds / 60),
        3_600..86_400 => format!("{} h ago", seconds / 3_600),
        86_400..604_800 => format!("{} d ago", seconds / 86_400),
        _ if time.format("%Y").to_string() == now.format("%Y").to_string() => {
            time.format("%-d %b").to_string()
        }
        _ => time.format("%-d %b %Y").to_string(),
    }
}

/// What a bulk action did, in words, from the API's answer: `changed` users of the
/// `selected`. "Tagged 1,180 users with follow-up · 24 already had it".
pub fn bulk_outcome(action: &cohort_core::api::BulkAction, changed: u64, selected: u64) -> String {
    let Some(words) = BulkWords::of(action, changed) else {
        return format!("Deleted {}", users_count(changed));
    };
    let unchanged = selected.saturating_sub(changed);
    if unchanged == 0 {
        words.done
    } else if changed == 0 {
        let who = if unchanged == 1 {
            "the 1 user".to_owned()
        } else {
            format!("all {}", format_count(unchanged))
        };
        format!("Nothing changed: {who} {}", words.unchanged)
    } else {
        format!(
            "{} · {} {}",
            words.done,
            format_count(unchanged),
            words.unchanged
        )
    }
}

/// A bulk action (not a delete) in words.
struct BulkWords {
    /// What it asked for: "Add tags VIP".
    asked: String,
    /// What it did to the users it changed: "Tagged 3 users with VIP".
    done: String,
    /// What the users it did not change were like: "already had it".
    unchanged: &'static str,
}

impl BulkWords {
    /// The words of `action` having changed `changed` users; none for a delete.
    fn of(action: &cohort_core::api::BulkAction, changed: u64) -> Option<Self> {
        use cohort_core::api::BulkAction;
        let them = |many: bool, one: &'static str, all: &'static str| if many { all } else { one };
        Some(match action {
            BulkAction::AddTags { tags } => Self {
                asked: format!("Add tags {}", tags.join(", ")),
                done: format!("Tagged {} with {}", users_count(changed), tags.join(", ")),
                unchanged: them(tags.len() > 1, "already had it", "already had them"),
            },
            BulkAction::RemoveTags { tags } => Self {
                asked: format!("Remove tags {}", tags.join(", ")),
                done: format!("Removed {} from {}", tags.join(", "), users_count(changed)),
                unchanged: them(tags.len() > 1, "did not have it", "had none of them"),
            },
            BulkAction::SetAttributes { attributes } => {
                let pairs = attributes
                    .iter()
                    .map(|(key, value)| format!("{key} = {value}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                Self {
                    asked: format!("Set {pairs}"),
                    done: format!("Set {pairs} on {}", users_count(changed)),
                    unchanged: "already had it",
                }
            }
            BulkAction::RemoveAttributes { keys } => Self {
                asked: format!("Remove attributes {}", keys.join(", ")),
                done: format!("Removed {} from {}", keys.join(", "), users_count(changed)),
                unchanged: "did not have it",
            },
            BulkAction::Delete { .. } => return None,
        })
    }
}

/// A size in bytes for people: "812 B", "45.2 KB", "3.1 MB", "1.2 GB" (powers of 1,000).
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1_000 {
        return format!("{bytes} B");
    }
    let mut size = bytes as f64 / 1_000.0;
    let mut unit = 0;
    while size >= 1_000.0 && unit + 1 < UNITS.len() {
        size /= 1_000.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

/// The API's words for the screen: its code spans (`` `fav_food` ``) in quotation marks
/// (“fav_food”).
pub fn plain_words(message: &str) -> String {
    let mut open = false;
    message
        .chars()
        .map(|character| match character {
            '`' => {
                open = !open;
                if open { '“' } else { '”' }
            }
            other => other,
        })
        .collect()
}

/// A message from the API's checks as a sentence: a capital first letter, a full stop,
/// code spans quoted (`plain_words`).
pub fn sentence(message: &str) -> String {
    let message = plain_words(message);
    let mut characters = message.trim().chars();
    let mut text: String = match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => return String::new(),
    };
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, NaiveDate};

    use super::*;

    #[test]
    fn code_spans_of_the_api_read_as_quotations() {
        assert_eq!(
            sentence("must not contain spaces (use `_` or `.`, like `fav_food`)"),
            "Must not contain spaces (use “_” or “.”, like “fav_food”)."
        );
        assert_eq!(
            plain_words("`channel` is required"),
            "“channel” is required"
        );
        assert_eq!(plain_words("no code here"), "no code here");
    }

    #[test]
    fn durations_show_hours_and_padded_minutes() {
        let check = |seconds: i64, expected: &str| {
            assert_eq!(format_duration(seconds), expected, "{seconds} seconds");
        };
        check(0, "0s");
        check(50, "50s");
        check(59, "59s");
        check(60, "1m");
        check(12 * 60 + 30, "12m");
        check(3600, "1h 00m");
        check(3600 + 5 * 60, "1h 05m");
        check(26 * 3600 + 59 * 60 + 59, "26h 59m");
        check(-30, "0s");
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
        assert_eq!(page_range(0, 50, 50, 312), "Showing 1–50 of 312");
        assert_eq!(page_range(1, 50, 50, 1204), "Showing 51–100 of 1,204");
        assert_eq!(page_range(6, 50, 12, 312), "Showing 301–312 of 312");
        assert_eq!(page_range(0, 500, 1000, 1200), "Showing 1–1,000 of 1,200");
        assert_eq!(page_range(0, 50, 12, 12), "Showing all 12");
        assert_eq!(page_range(0, 50, 1, 1), "Showing 1 user");
        assert_eq!(page_range(2, 50, 0, 100), "Showing none of 100");
    }

    #[test]
    fn sentiment_labels_have_a_word_and_a_pill_of_their_own() {
        assert_eq!(label_text(Label::Positive), "Positive");
        assert_eq!(label_text(Label::Neutral), "Neutral");
        assert_eq!(label_class(Label::Negative), "pill pill--negative");
        assert_eq!(why_question(Label::Negative), "Why negative?");
        assert_eq!(why_question(Label::Neutral), "Why neutral?");
    }

    #[test]
    fn contributions_read_as_signed_effects_and_factors() {
        assert_eq!(format_effect(-0.4603), "\u{2212}0.46");
        assert_eq!(format_effect(0.1237), "+0.12");
        assert_eq!(format_effect(-0.001), "+0.00");
        assert_eq!(format_factor(1.3), "×1.3");
        assert_eq!(format_factor(1.11), "×1.11");
        assert_eq!(format_factor(0.5), "×0.5");
        assert_eq!(format_factor(1.5), "×1.5");
        assert_eq!(format_factor(-0.74), "×\u{2212}0.74");
        assert_eq!(format_factor(0.0), "×0");
        assert_eq!(format_factor(2.0), "×2");
        assert_eq!(format_factor(-0.001), "×0");
        assert_eq!(cause_text(SentimentCause::Degree), "degree word");
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
    fn profile_pictures_load_from_https_or_inline_images_only() {
        let url = "https://cdn.example.com/u/42.jpg";
        assert_eq!(picture_url(Some(url)), Some(url.to_owned()));
        assert_eq!(
            picture_url(Some(" HTTPS://x.io/a.png ")),
            Some("HTTPS://x.io/a.png".to_owned())
        );
        assert!(picture_url(Some("data:image/png;base64,iVBORw0KGgo=")).is_some());
        for refused in [
            "http://cdn.example.com/a.jpg",
            "javascript:alert(1)",
            "/avatars/a.png",
            "https://",
            "https://x.io/a b.png",
            "https://x.io/\"onerror=\"x",
            "data:text/html,<b>",
            "",
        ] {
            assert_eq!(picture_url(Some(refused)), None, "{refused}");
        }
        assert_eq!(picture_url(None), None);
    }

    #[test]
    fn audit_entries_say_who_did_what_to_how_many() {
        use chrono::TimeZone;
        let entry = |action: &str, details: serde_json::Value, affected: u64| {
            cohort_core::api::AuditEntry {
                id: "1".to_owned(),
                at: chrono::Utc
                    .with_ymd_and_hms(2026, 12, 7, 9, 30, 0)
                    .single()
                    .unwrap_or_else(|| panic!("a time")),
                actor: "admin:demo@example.com".to_owned(),
                action: action.to_owned(),
                details,
                selection: serde_json::json!({"ids": ["1"]}),
                affected,
            }
        };
        let tagged = entry(
            "add_tags",
            serde_json::json!({"type": "add_tags", "tags": ["VIP"]}),
            62,
        );
        assert_eq!(audit_summary(&tagged), "Tagged 62 users with VIP");
        let deleted = entry(
            "delete",
            serde_json::json!({"type": "delete", "confirm": 2}),
            2,
        );
        assert_eq!(audit_summary(&deleted), "Deleted 2 users");
        let export = entry(
            "export_csv",
            serde_json::json!({"type": "export_csv", "export_id": "7"}),
            298,
        );
        assert_eq!(audit_summary(&export), "Exported 298 users as CSV");
        let download = entry(
            "export_download",
            serde_json::json!({"type": "export_download", "export_id": "7"}),
            298,
        );
        assert_eq!(audit_summary(&download), "Downloaded the CSV of 298 users");
        let part = entry(
            "export_download",
            serde_json::json!({"type": "export_download", "export_id": "7", "range": "bytes=0-99"}),
            298,
        );
        assert_eq!(
            audit_summary(&part),
            "Downloaded part of the CSV of 298 users"
        );
        let nothing = entry(
            "add_tags",
            serde_json::json!({"type": "add_tags", "tags": ["VIP"]}),
            0,
        );
        assert_eq!(
            audit_summary(&nothing),
            "Add tags VIP: nothing changed, everyone selected already had it"
        );
        assert_eq!(audit_actor("admin:demo@example.com"), "demo@example.com");
        assert_eq!(audit_actor("token:3"), "API token 3");
        assert_eq!(audit_actor("system"), "system");
    }

    #[test]
    fn avatar_tones_are_stable_in_range_and_all_used() {
        assert_eq!(avatar_tone("42"), avatar_tone("42"));
        assert!(avatar_tone("") < AVATAR_TONES);
        let used: std::collections::BTreeSet<u32> =
            (0..500).map(|id| avatar_tone(&id.to_string())).collect();
        assert_eq!(used.len() as u32, AVATAR_TONES);
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
    fn bulk_outcomes_say_what_changed_and_what_did_not() {
        use cohort_core::api::BulkAction;
        let tags = |tags: &[&str]| tags.iter().map(|tag| (*tag).to_owned()).collect::<Vec<_>>();
        let add = BulkAction::AddTags {
            tags: tags(&["follow-up"]),
        };
        assert_eq!(
            bulk_outcome(&add, 1180, 1204),
            "Tagged 1,180 users with follow-up · 24 already had it"
        );
        assert_eq!(bulk_outcome(&add, 1, 1), "Tagged 1 user with follow-up");
        let remove = BulkAction::RemoveTags {
            tags: tags(&["a", "b"]),
        };
        assert_eq!(
            bulk_outcome(&remove, 0, 3),
            "Nothing changed: all 3 had none of them"
        );
        assert_eq!(
            bulk_outcome(&add, 0, 1),
            "Nothing changed: the 1 user already had it"
        );
        let set = BulkAction::SetAttributes {
            attributes: [("priority".to_owned(), "high".to_owned())].into(),
        };
        assert_eq!(bulk_outcome(&set, 2, 2), "Set priority = high on 2 users");
        let unset = BulkAction::RemoveAttributes {
            keys: tags(&["plan"]),
        };
        assert_eq!(
            bulk_outcome(&unset, 1, 2),
            "Removed plan from 1 user · 1 did not have it"
        );
        assert_eq!(
            bulk_outcome(&BulkAction::Delete { confirm: 2 }, 2, 2),
            "Deleted 2 users"
        );
    }

    #[test]
    fn recent_times_read_relative_and_older_ones_as_dates() {
        let zone = FixedOffset::east_opt(0).unwrap_or_else(|| panic!("offset"));
        let at = |day: u32, hour: u32, minute: u32| {
            NaiveDate::from_ymd_opt(2026, 11, day)
                .and_then(|date| date.and_hms_opt(hour, minute, 0))
                .and_then(|time| time.and_local_timezone(zone).single())
                .unwrap_or_else(|| panic!("time"))
        };
        let now = at(30, 12, 0);
        assert_eq!(format_relative(&at(30, 11, 59), &now), "1 min ago");
        assert_eq!(format_relative(&at(30, 12, 0), &now), "just now");
        assert_eq!(format_relative(&at(30, 9, 30), &now), "2 h ago");
        assert_eq!(format_relative(&at(27, 12, 0), &now), "3 d ago");
        assert_eq!(format_relative(&at(2, 8, 0), &now), "2 Nov");
        let last_year = NaiveDate::from_ymd_opt(2025, 12, 31)
            .and_then(|date| date.and_hms_opt(0, 0, 0))
            .and_then(|time| time.and_local_timezone(zone).single())
            .unwrap_or_else(|| panic!("time"));
        assert_eq!(format_relative(&last_year, &now), "31 Dec 2025");
        // A clock a little behind the server's still reads "just now".
        assert_eq!(format_relative(&at(30, 12, 5), &now), "just now");
    }

    #[test]
    fn sizes_read_in_the_nearest_unit() {
        assert_eq!(format_bytes(812), "812 B");
        assert_eq!(format_bytes(45_230), "45.2 KB");
        assert_eq!(format_bytes(3_100_000), "3.1 MB");
        assert_eq!(format_bytes(1_200_000_000), "1.2 GB");
    }

    #[test]
    fn messages_become_sentences() {
        assert_eq!(
            sentence("a tag must not be empty"),
            "A tag must not be empty."
        );
        assert_eq!(sentence("Done!"), "Done!");
        assert_eq!(sentence("  "), "");
    }
}
