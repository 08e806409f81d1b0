//! Checking a batch of channel events: every field of every event, with a pointer to the
//! event and field at fault. A batch with any bad event is refused whole. Messages get
//! their sentiment here, so ingestion stores a score computed once.

use crate::api::{EventInput, FieldError, IngestEvents};
use crate::limits::{
    MAX_EVENT_ID_CHARS, MAX_EVENT_LEAD_SECS, MAX_EVENTS_PER_BATCH, MAX_MESSAGE_CHARS,
    MAX_PROFILE_FIELD_CHARS, MAX_URL_CHARS,
};
use crate::sentiment;
use crate::time::{Micros, parse_rfc3339};
use crate::users::{check_channel, check_external_id};

/// What a checked event is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckedEventKind {
    /// A message, with its sentiment in 1e-4 steps.
    Message { text: String, sentiment: i32 },
    /// A URL-button click.
    Click { url: String },
}

/// One checked event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEvent {
    /// The channel's event id (trimmed).
    pub key: String,
    pub kind: CheckedEventKind,
    /// Folded channel.
    pub channel: String,
    pub external_id: String,
    /// Names to set on the user, when given (trimmed; empty clears).
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub at: Micros,
}

/// Refuses a checked batch (`check_events`, in request order) with any event stamped more
/// than `MAX_EVENT_LEAD_SECS` after `now` (µs), pointing at each one's `/events/<index>/at`.
/// Stored, such an event would stay its user's last message until a later one came —
/// for a clock set to 9999, for good — sorting them first and keeping them "active".
/// Separate from `check_events`, which knows no clock, so that seeding and tests may
/// check events of any time.
pub fn check_event_times(events: &[CheckedEvent], now: Micros) -> Result<(), Vec<FieldError>> {
    let latest = now.saturating_add(MAX_EVENT_LEAD_SECS * 1_000_000);
    let errors: Vec<FieldError> = events
        .iter()
        .enumerate()
        .filter(|(_, event)| event.at > latest)
        .map(|(index, _)| {
            FieldError::new(
                format!("/events/{index}/at"),
                "an event's time is more than a day after the server's clock; check the channel's clock",
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks a batch; pointers are `/events/<index>/<field>`.
pub fn check_events(request: &IngestEvents) -> Result<Vec<CheckedEvent>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if request.events.is_empty() || request.events.len() > MAX_EVENTS_PER_BATCH {
        errors.push(FieldError::new(
            "/events",
            format!("send 1 to {MAX_EVENTS_PER_BATCH} events"),
        ));
        return Err(errors);
    }
    let checked: Vec<CheckedEvent> = request
        .events
        .iter()
        .enumerate()
        .map(|(index, event)| check_event(event, index, &mut errors))
        .collect();
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

fn check_event(event: &EventInput, index: usize, errors: &mut Vec<FieldError>) -> CheckedEvent {
    let at = |field: &str| format!("/events/{index}/{field}");
    let key = event.id.trim().to_owned();
    if key.is_empty()
        || key.chars().count() > MAX_EVENT_ID_CHARS
        || key.chars().any(char::is_control)
    {
        errors.push(FieldError::new(
            at("id"),
            format!("an event id is 1 to {MAX_EVENT_ID_CHARS} characters"),
        ));
    }
    let channel = check_channel(&event.channel, &at("channel"), errors);
    let external_id = check_external_id(&event.external_user_id, &at("external_user_id"), errors);
    let mut name = |field: &str, value: &Option<String>| {
        let trimmed = value.as_deref()?.trim();
        if trimmed.chars().count() > MAX_PROFILE_FIELD_CHARS
            || trimmed.chars().any(char::is_control)
        {
            errors.push(FieldError::new(at(field), format!("a name is at most {MAX_PROFILE_FIELD_CHARS} characters without control characters")));
        }
        Some(trimmed.to_owned())
    };
    let first_name = name("first_name", &event.first_name);
    let last_name = name("last_name", &event.last_name);
    let time = match parse_rfc3339(&event.at) {
        Some(time) => time,
        None => {
            errors.push(FieldError::new(
                at("at"),
                "not an RFC 3339 time such as \"2026-11-01T10:00:00Z\"",
            ));
            0
        }
    };
    let kind = match (event.kind.as_str(), &event.text, &event.url) {
        ("message", Some(text), None) => {
            if text.trim().is_empty() || text.chars().count() > MAX_MESSAGE_CHARS {
                errors.push(FieldError::new(
                    at("text"),
                    format!("a message's text is 1 to {MAX_MESSAGE_CHARS} characters"),
                ));
            }
            let sentiment = sentiment::quantize(sentiment::score(text).score);
            CheckedEventKind::Message {
                text: text.clone(),
                sentiment,
            }
        }
        ("message", None, _) => {
            errors.push(FieldError::new(at("text"), "a message needs `text`"));
            CheckedEventKind::Click { url: String::new() }
        }
        ("message", Some(_), Some(_)) => {
            errors.push(FieldError::new(at("url"), "a message has no `url`"));
            CheckedEventKind::Click { url: String::new() }
        }
        ("click", None, Some(url)) => {
            let trimmed = url.trim();
            if trimmed.is_empty()
                || trimmed.chars().count() > MAX_URL_CHARS
                || trimmed.chars().any(char::is_whitespace)
            {
                errors.push(FieldError::new(
                    at("url"),
                    format!("a click's url is 1 to {MAX_URL_CHARS} characters without spaces"),
                ));
            }
            CheckedEventKind::Click {
                url: trimmed.to_owned(),
            }
        }
        ("click", _, None) => {
            errors.push(FieldError::new(at("url"), "a click needs `url`"));
            CheckedEventKind::Click { url: String::new() }
        }
        ("click", Some(_), Some(_)) => {
            errors.push(FieldError::new(at("text"), "a click has no `text`"));
            CheckedEventKind::Click { url: String::new() }
        }
        (other, _, _) => {
            errors.push(FieldError::new(
                at("type"),
                format!("unknown event type `{other}`; use `message` or `click`"),
            ));
            CheckedEventKind::Click { url: String::new() }
        }
    };
    CheckedEvent {
        key,
        kind,
        channel,
        external_id,
        first_name,
        last_name,
        at: time,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn batch(events: serde_json::Value) -> IngestEvents {
        serde_json::from_value(json!({ "events": events })).unwrap_or_default()
    }

    fn message(id: &str, text: &str) -> serde_json::Value {
        json!({"id": id, "type": "message", "channel": "Telegram", "external_user_id": "42", "text": text, "at": "2026-11-01T10:00:00Z"})
    }

    #[test]
    fn messages_are_scored_and_clicks_keep_their_url() {
        let checked = check_events(&batch(json!([
            message("e1", "so slow!"),
            {"id": "e2", "type": "click", "channel": "web", "external_user_id": "7", "url": " https://example.com/menu ", "at": "2026-11-01T10:03:00+01:00"}
        ])))
        .unwrap_or_default();
        assert_eq!(checked.len(), 2);
        assert!(
            matches!(checked[0].kind, CheckedEventKind::Message { sentiment, .. } if sentiment < -500)
        );
        assert_eq!(checked[0].channel, "telegram");
        assert_eq!(
            checked[1].kind,
            CheckedEventKind::Click {
                url: "https://example.com/menu".to_owned()
            }
        );
        assert_eq!(
            checked[1].at,
            parse_rfc3339("2026-11-01T09:03:00Z").unwrap_or_default()
        );
    }

    #[test]
    fn bad_events_are_named_by_index_and_field() {
        let errors = check_events(&batch(json!([
            message("ok", "hello"),
            {"id": "", "type": "message", "channel": "web", "external_user_id": "1", "text": "hi", "at": "yesterday"},
            {"id": "x", "type": "view", "channel": "web", "external_user_id": "1", "at": "2026-11-01T10:00:00Z"},
            {"id": "y", "type": "click", "channel": "web", "external_user_id": "1", "at": "2026-11-01T10:00:00Z"},
            message("z", &"a".repeat(4001))
        ])))
        .err()
        .unwrap_or_default();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/events/1/id",
                "/events/1/at",
                "/events/2/type",
                "/events/3/url",
                "/events/4/text"
            ]
        );
        assert!(check_events(&batch(json!([]))).is_err());

        // Up to a day ahead of the server's clock is skew; more is a wrong clock.
        let now = crate::time::parse_rfc3339("2026-11-01T10:00:00Z").unwrap_or_default();
        let checked = check_events(&batch(json!([
            {"id": "a", "type": "click", "channel": "web", "external_user_id": "1", "url": "https://x.example", "at": "2026-11-02T10:00:00Z"},
            {"id": "b", "type": "click", "channel": "web", "external_user_id": "1", "url": "https://x.example", "at": "2026-11-02T10:00:01Z"},
            {"id": "c", "type": "click", "channel": "web", "external_user_id": "1", "url": "https://x.example", "at": "9999-12-31T23:59:59Z"},
        ])))
        .unwrap_or_default();
        let errors = check_event_times(&checked, now).err().unwrap_or_default();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/events/1/at", "/events/2/at"]);
        assert_eq!(check_event_times(&checked[..1], now), Ok(()));
        assert!(check_events(&batch(json!(vec![message("a", "hi"); 1001]))).is_err());
    }
}
