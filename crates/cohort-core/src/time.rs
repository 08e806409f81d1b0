//! Times as the store and the filter compare them: whole microseconds since the Unix
//! epoch, UTC. Both engines store `BIGINT` microseconds, so a comparison means the same in
//! SQLite, PostgreSQL and memory, and sub-microsecond input is truncated once, on entry.

use chrono::{DateTime, SecondsFormat, Utc};

/// Microseconds since the Unix epoch.
pub type Micros = i64;

/// The stored form of a time.
pub fn to_micros(time: DateTime<Utc>) -> Micros {
    time.timestamp_micros()
}

/// A stored time back as a `DateTime`; out-of-range values clamp to the nearest bound.
pub fn from_micros(micros: Micros) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or(if micros < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// Parses an RFC 3339 time ("2026-11-01T10:00:00Z", any offset) into microseconds.
pub fn parse_rfc3339(text: &str) -> Option<Micros> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|time| to_micros(time.with_timezone(&Utc)))
}

/// Formats microseconds as RFC 3339 UTC with the precision it needs.
pub fn format_rfc3339(micros: Micros) -> String {
    from_micros(micros).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Truncates a time to whole microseconds, the precision everything is stored at.
pub fn truncate(time: DateTime<Utc>) -> DateTime<Utc> {
    from_micros(to_micros(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_offsets_to_utc_micros_and_back() {
        let micros = parse_rfc3339("2026-11-01T12:00:00.0000019+02:00");
        assert_eq!(
            micros.map(format_rfc3339).as_deref(),
            Some("2026-11-01T10:00:00.000001Z")
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2026-13-01T00:00:00Z"), None);
    }
}
