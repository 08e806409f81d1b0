//! Editing one user on their page: the form's fields as typed, and the `PATCH` body that
//! changes exactly what the admin changed (a field emptied is cleared, attributes removed
//! are sent as null). Checked with the core's own rules before sending. Plain data with
//! unit tests.

use std::collections::BTreeMap;

use cohort_core::api::{FieldError, UpdateUser, User};

/// The particulars the form edits, in order: (JSON field, label).
pub const PARTICULARS: [(&str, &str); 7] = [
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("locale", "Locale"),
    ("timezone", "Timezone"),
    ("notes", "Notes"),
];

/// The form: particulars by JSON field name, tags, and attribute rows (key, value).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserDraft {
    pub particulars: BTreeMap<&'static str, String>,
    pub tags: Vec<String>,
    pub attributes: Vec<(String, String)>,
}

impl UserDraft {
    /// The form filled with `user` as stored.
    pub fn of(user: &User) -> Self {
        let particulars = PARTICULARS
            .iter()
            .map(|(field, _)| (*field, stored(user, field).unwrap_or_default()))
            .collect();
        Self {
            particulars,
            tags: user.tags.clone(),
            attributes: user
                .attributes
                .iter()
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        }
    }

    /// The `PATCH` body that turns `user` into this draft, or the problems to show at
    /// their fields (pointers like `/email`, `/attributes/plan`, `/tags/0`). `None` when
    /// nothing changed.
    pub fn changes(&self, user: &User) -> Result<Option<UpdateUser>, Vec<FieldError>> {
        let mut body = UpdateUser::default();
        let mut errors = Vec::new();
        for (field, _) in PARTICULARS {
            let typed = self
                .particulars
                .get(field)
                .map(String::as_str)
                .unwrap_or("");
            let before = stored(user, field).unwrap_or_default();
            if typed == before {
                continue;
            }
            let value = (!typed.trim().is_empty()).then(|| typed.to_owned());
            let slot = match field {
                "first_name" => &mut body.first_name,
                "last_name" => &mut body.last_name,
                "email" => &mut body.email,
                "phone" => &mut body.phone,
                "locale" => &mut body.locale,
                "timezone" => &mut body.timezone,
                _ => &mut body.notes,
            };
            *slot = Some(value);
        }
        if self.tags != user.tags {
            body.tags = Some(self.tags.clone());
        }
        let mut attributes: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut seen = BTreeMap::new();
        for (index, (key, value)) in self.attributes.iter().enumerate() {
            let key = key.trim();
            if key.is_empty() && value.trim().is_empty() {
                continue;
            }
            if key.is_empty() {
                errors.push(FieldError::new(
                    format!("/attribute_rows/{index}"),
                    "Give the attribute a key.",
                ));
                continue;
            }
            if seen.insert(key.to_owned(), index).is_some() {
                errors.push(FieldError::new(
                    format!("/attribute_rows/{index}"),
                    format!("The key {key} is there twice."),
                ));
                continue;
            }
            if user.attributes.get(key) != Some(value) {
                attributes.insert(key.to_owned(), Some(value.clone()));
            }
        }
        for key in user.attributes.keys() {
            if !seen.contains_key(key.as_str()) {
                attributes.insert(key.clone(), None);
            }
        }
        if !attributes.is_empty() {
            body.attributes = Some(attributes);
        }
        if let Err(problems) = cohort_core::users::check_changes(&body.changes()) {
            errors.extend(problems);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok((body != UpdateUser::default()).then_some(body))
    }

    /// The row of attribute `key` in the form, for placing an error at `/attributes/key`.
    pub fn attribute_row(&self, key: &str) -> Option<usize> {
        self.attributes
            .iter()
            .position(|(row_key, _)| row_key.trim() == key)
    }
}

/// A particular as stored, by JSON field name.
fn stored(user: &User, field: &str) -> Option<String> {
    match field {
        "first_name" => Some(user.first_name.clone()),
        "last_name" => Some(user.last_name.clone()),
        "email" => user.email.clone(),
        "phone" => user.phone.clone(),
        "locale" => user.locale.clone(),
        "timezone" => user.timezone.clone(),
        "notes" => user.notes.clone(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;

    use super::*;

    fn user() -> User {
        User {
            id: "7".to_owned(),
            bot_id: "1".to_owned(),
            channel: "telegram".to_owned(),
            external_id: "42".to_owned(),
            first_name: "Yin Yin".to_owned(),
            last_name: "Tan".to_owned(),
            email: Some("yin@example.com".to_owned()),
            phone: None,
            locale: None,
            timezone: None,
            avatar_url: None,
            notes: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            sessions: 0,
            messages_sent: 0,
            clicks: 0,
            time_spent_secs: 0,
            average_sentiment: None,
            average_sentiment_label: None,
            last_message_at: None,
            tags: vec!["VIP".to_owned()],
            attributes: BTreeMap::from([
                ("city".to_owned(), "Yangon".to_owned()),
                ("plan".to_owned(), "free".to_owned()),
            ]),
        }
    }

    fn body(draft: &UserDraft) -> serde_json::Value {
        let changes = draft.changes(&user());
        serde_json::to_value(changes.unwrap_or_else(|errors| panic!("{errors:?}")))
            .unwrap_or_default()
    }

    #[test]
    fn an_untouched_form_changes_nothing() {
        assert_eq!(UserDraft::of(&user()).changes(&user()), Ok(None));
    }

    #[test]
    fn only_what_changed_is_sent_and_emptied_fields_are_cleared() {
        let mut draft = UserDraft::of(&user());
        draft.particulars.insert("last_name", "Tan-Lim".to_owned());
        draft.particulars.insert("email", "  ".to_owned());
        draft
            .particulars
            .insert("notes", "Line one\nline two".to_owned());
        draft.tags.push("follow-up".to_owned());
        draft.attributes.retain(|(key, _)| key != "city");
        draft.attributes[0].1 = "premium".to_owned();
        draft
            .attributes
            .push(("priority".to_owned(), "high".to_owned()));
        assert_eq!(
            body(&draft),
            json!({
                "last_name": "Tan-Lim",
                "email": null,
                "notes": "Line one\nline two",
                "tags": ["VIP", "follow-up"],
                "attributes": {"city": null, "plan": "premium", "priority": "high"}
            })
        );
    }

    #[test]
    fn the_cores_checks_and_key_rules_name_the_field() {
        let mut draft = UserDraft::of(&user());
        draft.particulars.insert("first_name", "x".repeat(300));
        draft.tags.push("   ".to_owned());
        draft.attributes.push((String::new(), "orphan".to_owned()));
        draft
            .attributes
            .push(("plan".to_owned(), "again".to_owned()));
        let errors = draft.changes(&user()).err().unwrap_or_default();
        let pointers: Vec<&str> = errors.iter().map(|error| error.pointer.as_str()).collect();
        assert!(pointers.contains(&"/attribute_rows/2"), "{pointers:?}");
        assert!(pointers.contains(&"/attribute_rows/3"), "{pointers:?}");
        assert!(pointers.contains(&"/first_name"), "{pointers:?}");
        assert!(
            pointers.iter().any(|pointer| pointer.starts_with("/tags")),
            "{pointers:?}"
        );
        assert_eq!(draft.attribute_row("plan"), Some(1));
    }
}
