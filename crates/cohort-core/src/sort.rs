//! Sorting the users list, and the opaque keyset cursors that page through it.
//!
//! Every sort ends with the user id as a tie-breaker in the same direction, and users
//! without a value (no messages yet, no email) come last in both directions, so a cursor
//! (the last row's sort value and id) always names one exact place in the order.

use std::cmp::Ordering;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::api::User;
use crate::text::{fold_non_empty, full_name};
use crate::time::to_micros;

/// A column users can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    FirstName,
    LastName,
    Email,
    ExternalId,
    Channel,
    Sessions,
    MessagesSent,
    Clicks,
    TimeSpentSecs,
    AverageSentiment,
    LastMessageAt,
    CreatedAt,
}

impl SortKey {
    /// Every sort key.
    pub const ALL: [SortKey; 13] = [
        Self::Name,
        Self::FirstName,
        Self::LastName,
        Self::Email,
        Self::ExternalId,
        Self::Channel,
        Self::Sessions,
        Self::MessagesSent,
        Self::Clicks,
        Self::TimeSpentSecs,
        Self::AverageSentiment,
        Self::LastMessageAt,
        Self::CreatedAt,
    ];

    /// The column key.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Email => "email",
            Self::ExternalId => "external_id",
            Self::Channel => "channel",
            Self::Sessions => "sessions",
            Self::MessagesSent => "messages_sent",
            Self::Clicks => "clicks",
            Self::TimeSpentSecs => "time_spent_secs",
            Self::AverageSentiment => "average_sentiment",
            Self::LastMessageAt => "last_message_at",
            Self::CreatedAt => "created_at",
        }
    }

    /// The value a user has in this column, in the form it is sorted by.
    pub fn value_of(self, user: &User) -> SortValue {
        let text = |value: Option<String>| value.map_or(SortValue::Null, SortValue::Text);
        match self {
            Self::Name => text(fold_non_empty(&full_name(
                &user.first_name,
                &user.last_name,
            ))),
            Self::FirstName => text(fold_non_empty(&user.first_name)),
            Self::LastName => text(fold_non_empty(&user.last_name)),
            Self::Email => text(user.email.as_deref().and_then(fold_non_empty)),
            Self::ExternalId => text(fold_non_empty(&user.external_id)),
            Self::Channel => SortValue::Text(user.channel.clone()),
            Self::Sessions => SortValue::Int(user.sessions),
            Self::MessagesSent => SortValue::Int(user.messages_sent),
            Self::Clicks => SortValue::Int(user.clicks),
            Self::TimeSpentSecs => SortValue::Int(user.time_spent_secs),
            Self::AverageSentiment => user
                .average_sentiment
                .map_or(SortValue::Null, SortValue::Float),
            Self::LastMessageAt => user
                .last_message_at
                .map_or(SortValue::Null, |t| SortValue::Int(to_micros(t))),
            Self::CreatedAt => SortValue::Int(to_micros(user.created_at)),
        }
    }
}

/// A sort: a key and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    /// Most recent conversation first.
    fn default() -> Self {
        Self {
            key: SortKey::LastMessageAt,
            descending: true,
        }
    }
}

impl Sort {
    /// Parses `key` or `-key`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (descending, key) = match text.strip_prefix('-') {
            Some(key) => (true, key),
            None => (false, text),
        };
        SortKey::ALL
            .into_iter()
            .find(|candidate| candidate.as_str() == key)
            .map(|key| Self { key, descending })
            .ok_or_else(|| {
                let keys: Vec<&str> = SortKey::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "unknown sort `{text}`; sort by one of {}, with `-` in front for descending",
                    keys.join(", ")
                )
            })
    }

    /// The sort as written in requests.
    pub fn as_string(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.key.as_str()
        )
    }

    /// The order of two users under this sort (users without a value last, then by id).
    pub fn compare(self, left: &User, right: &User) -> Ordering {
        let by_value = match (self.key.value_of(left), self.key.value_of(right)) {
            (SortValue::Null, SortValue::Null) => Ordering::Equal,
            (SortValue::Null, _) => return Ordering::Greater,
            (_, SortValue::Null) => return Ordering::Less,
            (a, b) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
        };
        let by_id = user_number(left).cmp(&user_number(right));
        let ordering = by_value.then(by_id);
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

fn user_number(user: &User) -> i64 {
    user.id.parse().unwrap_or_default()
}

/// A user's value in a sort column.
#[derive(Debug, Clone, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortValue {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

/// Where a page ends: the sort it belongs to, the last row's sort value and id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "s")]
    pub sort: String,
    #[serde(rename = "v")]
    pub value: SortValue,
    #[serde(rename = "i")]
    pub id: i64,
}

impl Cursor {
    /// The cursor after `user` in `sort`.
    pub fn after(sort: Sort, user: &User) -> Self {
        Self {
            sort: sort.as_string(),
            value: sort.key.value_of(user),
            id: user_number(user),
        }
    }

    /// The opaque text form.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Reads a cursor made by `encode` for `sort`; anything else is an error message.
    pub fn decode(text: &str, sort: Sort) -> Result<Self, String> {
        let invalid = || "the cursor is not one this API gave out".to_owned();
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| invalid())?;
        let cursor: Self = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if cursor.sort != sort.as_string() {
            return Err(format!(
                "the cursor belongs to sort `{}`, not `{}`; start again without a cursor",
                cursor.sort,
                sort.as_string()
            ));
        }
        let fits = match (sort.key, &cursor.value) {
            (_, SortValue::Null) => !matches!(
                sort.key,
                SortKey::Channel
                    | SortKey::Sessions
                    | SortKey::MessagesSent
                    | SortKey::Clicks
                    | SortKey::TimeSpentSecs
                    | SortKey::CreatedAt
            ),
            (
                SortKey::Name
                | SortKey::FirstName
                | SortKey::LastName
                | SortKey::Email
                | SortKey::ExternalId
                | SortKey::Channel,
                SortValue::Text(_),
            ) => true,
            (SortKey::AverageSentiment, SortValue::Float(_) | SortValue::Int(_)) => true,
            (
                SortKey::Sessions
                | SortKey::MessagesSent
                | SortKey::Clicks
                | SortKey::TimeSpentSecs
                | SortKey::LastMessageAt
                | SortKey::CreatedAt,
                SortValue::Int(_),
            ) => true,
            _ => false,
        };
        // A cursor is only base64 JSON, so it can be forged: its text is a string entering
        // the API like any other, and no stored sort value holds a control character
        // (PostgreSQL cannot even compare one with NUL).
        let forged_text =
            matches!(&cursor.value, SortValue::Text(text) if text.chars().any(char::is_control));
        if !fits || forged_text {
            return Err(invalid());
        }
        Ok(cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_parses_keys_with_optional_minus() {
        assert_eq!(
            Sort::parse("-sessions"),
            Ok(Sort {
                key: SortKey::Sessions,
                descending: true
            })
        );
        assert_eq!(
            Sort::parse("name"),
            Ok(Sort {
                key: SortKey::Name,
                descending: false
            })
        );
        assert_eq!(
            Sort::parse("-external_id"),
            Ok(Sort {
                key: SortKey::ExternalId,
                descending: true
            })
        );
        assert!(Sort::parse("--name").is_err());
        assert!(Sort::parse("password").is_err());
        assert_eq!(Sort::default().as_string(), "-last_message_at");
    }

    #[test]
    fn cursor_round_trips_and_is_tied_to_its_sort() {
        let sort = Sort {
            key: SortKey::AverageSentiment,
            descending: true,
        };
        let cursor = Cursor {
            sort: sort.as_string(),
            value: SortValue::Float(-0.123456789),
            id: 42,
        };
        assert_eq!(Cursor::decode(&cursor.encode(), sort), Ok(cursor.clone()));
        assert!(Cursor::decode(&cursor.encode(), Sort::default()).is_err());
        assert!(Cursor::decode("not a cursor", sort).is_err());
        let wrong_type = Cursor {
            sort: "sessions".to_owned(),
            value: SortValue::Text("x".to_owned()),
            id: 1,
        };
        assert!(
            Cursor::decode(
                &wrong_type.encode(),
                Sort::parse("sessions").unwrap_or_default()
            )
            .is_err()
        );
    }

    #[test]
    fn a_forged_cursor_with_a_control_character_is_refused() {
        let sort = Sort::parse("name").unwrap_or_default();
        for text in ["\u{0}", "Yin\u{0}", "a\u{7}b", "tab\there", "\u{85}"] {
            let forged = Cursor {
                sort: sort.as_string(),
                value: SortValue::Text(text.to_owned()),
                id: 1,
            };
            assert_eq!(
                Cursor::decode(&forged.encode(), sort),
                Err("the cursor is not one this API gave out".to_owned()),
                "{text:?}"
            );
        }
        let honest = Cursor {
            sort: sort.as_string(),
            value: SortValue::Text("yin yin tan".to_owned()),
            id: 1,
        };
        assert!(Cursor::decode(&honest.encode(), sort).is_ok());
    }
}

/// A cursor for lists ordered by id alone, newest first (the audit log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdCursor(pub i64);

impl IdCursor {
    /// The opaque text form.
    pub fn encode(self) -> String {
        URL_SAFE_NO_PAD.encode(format!("id:{}", self.0))
    }

    /// Reads a cursor made by `encode`.
    pub fn decode(text: &str) -> Result<Self, String> {
        URL_SAFE_NO_PAD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.strip_prefix("id:").and_then(|id| id.parse().ok()))
            .map(Self)
            .ok_or_else(|| "the cursor is not one this API gave out".to_owned())
    }
}

/// A cursor for a user's messages, newest first: the last message's time and row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageCursor {
    pub at: i64,
    pub id: i64,
}

impl MessageCursor {
    /// The opaque text form.
    pub fn encode(self) -> String {
        URL_SAFE_NO_PAD.encode(format!("m:{}:{}", self.at, self.id))
    }

    /// Reads a cursor made by `encode`.
    pub fn decode(text: &str) -> Result<Self, String> {
        let decoded = URL_SAFE_NO_PAD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        let parts = decoded
            .as_deref()
            .and_then(|text| text.strip_prefix("m:"))
            .and_then(|rest| rest.split_once(':'));
        match parts.map(|(at, id)| (at.parse(), id.parse())) {
            Some((Ok(at), Ok(id))) => Ok(Self { at, id }),
            _ => Err("the cursor is not one this API gave out".to_owned()),
        }
    }
}
