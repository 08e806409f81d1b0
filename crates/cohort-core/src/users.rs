//! Checking and normalising what a request writes to a user: channel, external id,
//! particulars, tags and attributes. The store writes only what passed here.

use std::collections::BTreeMap;

use crate::api::{FieldError, UpdateUser, UpsertUser, User, UserChanges};
use crate::limits::{
    MAX_ATTRIBUTE_VALUE_CHARS, MAX_ITEMS_PER_USER, MAX_LONG_FIELD_CHARS, MAX_PROFILE_FIELD_CHARS,
};
use crate::text::{self, fold};

/// A user's particulars after normalisation: trimmed, empty turned into `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profile {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub locale: Option<String>,
    pub timezone: Option<String>,
    pub avatar_url: Option<String>,
    pub notes: Option<String>,
}

impl Profile {
    /// The particulars of `user` as the API shows them.
    pub fn of(user: &User) -> Self {
        Self {
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            email: user.email.clone(),
            phone: user.phone.clone(),
            locale: user.locale.clone(),
            timezone: user.timezone.clone(),
            avatar_url: user.avatar_url.clone(),
            notes: user.notes.clone(),
        }
    }

    /// This profile with `changes` applied (changes must have passed `check_changes`).
    pub fn with(mut self, changes: &CheckedChanges) -> Self {
        let apply = |slot: &mut Option<String>, change: &Option<Option<String>>| {
            if let Some(new_value) = change {
                *slot = new_value.clone();
            }
        };
        if let Some(first_name) = &changes.first_name {
            self.first_name = first_name.clone().unwrap_or_default();
        }
        if let Some(last_name) = &changes.last_name {
            self.last_name = last_name.clone().unwrap_or_default();
        }
        apply(&mut self.email, &changes.email);
        apply(&mut self.phone, &changes.phone);
        apply(&mut self.locale, &changes.locale);
        apply(&mut self.timezone, &changes.timezone);
        apply(&mut self.avatar_url, &changes.avatar_url);
        apply(&mut self.notes, &changes.notes);
        self
    }

    /// The folded copies the store keeps for filtering and sorting:
    /// `(first_name, last_name, full name, email)`.
    pub fn folded(&self) -> [Option<String>; 4] {
        [
            text::fold_non_empty(&self.first_name),
            text::fold_non_empty(&self.last_name),
            text::fold_non_empty(&text::full_name(&self.first_name, &self.last_name)),
            self.email.as_deref().and_then(text::fold_non_empty),
        ]
    }
}

/// `UserChanges` that passed the checks: particulars trimmed (empty means clear), tags
/// trimmed and de-duplicated case-insensitively (first spelling wins), attribute keys
/// trimmed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckedChanges {
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub locale: Option<Option<String>>,
    pub timezone: Option<Option<String>>,
    pub avatar_url: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub attributes: BTreeMap<String, Option<String>>,
}

impl CheckedChanges {
    /// Whether applying these changes to `user` changes anything the API shows of them: a
    /// particular, the set of tags (compared folded, as the store keeps them: the bot's
    /// first spelling stays), or an attribute's value. A request that changes nothing
    /// writes nothing, `updated_at` included.
    pub fn alter(&self, user: &User) -> bool {
        if Profile::of(user).with(self) != Profile::of(user) {
            return true;
        }
        if let Some(tags) = &self.tags {
            let folded = |tags: &[String]| {
                tags.iter()
                    .map(|tag| fold(tag))
                    .collect::<std::collections::BTreeSet<_>>()
            };
            if folded(tags) != folded(&user.tags) {
                return true;
            }
        }
        self.attributes
            .iter()
            .any(|(key, value)| user.attributes.get(key) != value.as_ref())
    }
}

/// A tag or attribute value as the store writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeValue {
    pub value: String,
    pub folded: String,
    pub number: Option<f64>,
}

impl AttributeValue {
    /// The stored forms of `value`.
    pub fn new(value: &str) -> Self {
        Self {
            value: value.to_owned(),
            folded: fold(value),
            number: text::attribute_number(value),
        }
    }
}

/// Checks the channel of a new user: folded, 1 to 64 characters, no control characters.
pub fn check_channel(raw: &str, pointer: &str, errors: &mut Vec<FieldError>) -> String {
    match text::folded_identifier(raw) {
        Ok(channel) => channel,
        Err(problem) => {
            errors.push(FieldError::new(pointer, format!("the channel {problem}")));
            String::new()
        }
    }
}

/// Checks an external id: trimmed, 1 to 255 characters, no control characters.
pub fn check_external_id(raw: &str, pointer: &str, errors: &mut Vec<FieldError>) -> String {
    let trimmed = raw.trim();
    if text::is_blank(trimmed)
        || trimmed.chars().count() > MAX_PROFILE_FIELD_CHARS
        || trimmed.chars().any(char::is_control)
    {
        errors.push(FieldError::new(
            pointer,
            "the external id is 1 to 255 characters, at least one of them visible, without control characters",
        ));
    }
    trimmed.to_owned()
}

/// Checks tags given for one user: each a valid identifier, at most 200, duplicates
/// (compared case-insensitively) dropped keeping the first spelling.
pub fn check_tags(tags: &[String], pointer: &str, errors: &mut Vec<FieldError>) -> Vec<String> {
    if tags.len() > MAX_ITEMS_PER_USER {
        errors.push(FieldError::new(
            pointer,
            format!("at most {MAX_ITEMS_PER_USER} tags at once"),
        ));
        return Vec::new();
    }
    let mut seen = std::collections::HashSet::new();
    let mut checked = Vec::new();
    for (index, tag) in tags.iter().enumerate() {
        match text::identifier(tag) {
            Ok(tag) => {
                if seen.insert(fold(tag)) {
                    checked.push(tag.to_owned());
                }
            }
            Err(problem) => errors.push(FieldError::new(
                format!("{pointer}/{index}"),
                format!("a tag {problem}"),
            )),
        }
    }
    checked
}

/// What is wrong with an attribute value, if anything: more than 10,000 characters, or a
/// control character other than tab, line feed and carriage return (a multi-line address
/// from a chat is a fine value).
pub fn attribute_value_problem(value: &str) -> Option<String> {
    if value.chars().count() > MAX_ATTRIBUTE_VALUE_CHARS {
        return Some(format!(
            "an attribute value is at most {MAX_ATTRIBUTE_VALUE_CHARS} characters"
        ));
    }
    text::forbidden_control(value).map(|control| {
        format!(
            "an attribute value holds no control character but tab, line feed or carriage return; this one holds {}",
            text::describe_control(control)
        )
    })
}

/// Checks attributes to set or remove: keys valid identifiers, values as
/// `attribute_value_problem` says, at most 200 entries.
pub fn check_attributes(
    attributes: &BTreeMap<String, Option<String>>,
    pointer: &str,
    errors: &mut Vec<FieldError>,
) -> BTreeMap<String, Option<String>> {
    if attributes.len() > MAX_ITEMS_PER_USER {
        errors.push(FieldError::new(
            pointer,
            format!("at most {MAX_ITEMS_PER_USER} attributes at once"),
        ));
        return BTreeMap::new();
    }
    let mut checked = BTreeMap::new();
    for (key, value) in attributes {
        let at = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
        let key = match text::attribute_key(key) {
            Ok(key) => key,
            Err(problem) => {
                errors.push(FieldError::new(&at, format!("an attribute key {problem}")));
                continue;
            }
        };
        if let Some(problem) = value.as_deref().and_then(attribute_value_problem) {
            errors.push(FieldError::new(&at, problem));
            continue;
        }
        // `" k "` and `"k"` are one key once trimmed: which value wins would be a guess.
        if checked.insert(key.to_owned(), value.clone()).is_some() {
            errors.push(FieldError::new(
                &at,
                format!("the attribute key `{key}` is given twice (keys are trimmed)"),
            ));
        }
    }
    checked
}

/// A user to create or update, named by `(channel, external_id)`, after `check_upsert_user`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedUpsert {
    /// Folded (lower case), 1 to 64 characters.
    pub channel: String,
    /// Trimmed, 1 to 255 characters.
    pub external_id: String,
    pub changes: CheckedChanges,
}

/// Checks the body of `POST /bots/{bot}/users`: channel, external id and every change.
/// Errors, all at once, point into the body.
pub fn check_upsert_user(request: &UpsertUser) -> Result<CheckedUpsert, Vec<FieldError>> {
    let mut errors = Vec::new();
    let channel = check_channel(&request.channel, "/channel", &mut errors);
    let external_id = check_external_id(&request.external_id, "/external_id", &mut errors);
    match check_changes(&request.changes()) {
        Ok(changes) if errors.is_empty() => Ok(CheckedUpsert {
            channel,
            external_id,
            changes,
        }),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// Checks the body of `PATCH /bots/{bot}/users/{user}`, as `check_changes` does.
pub fn check_update_user(request: &UpdateUser) -> Result<CheckedChanges, Vec<FieldError>> {
    check_changes(&request.changes())
}

/// Checks particulars, tags and attributes; pointers are relative to the body's root.
pub fn check_changes(changes: &UserChanges) -> Result<CheckedChanges, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut field =
        |name: &str, change: &Option<Option<String>>, max: usize| -> Option<Option<String>> {
            let new_value = change.as_ref()?;
            let trimmed = new_value
                .as_deref()
                .map(str::trim)
                .filter(|value| !value.is_empty());
            if let Some(value) = trimmed {
                let multi_line = name == "notes";
                if value.chars().count() > max {
                    errors.push(FieldError::new(
                        format!("/{name}"),
                        format!("at most {max} characters"),
                    ));
                } else if value
                    .chars()
                    .any(|c| text::is_forbidden_control(c) || (!multi_line && c.is_control()))
                {
                    errors.push(FieldError::new(
                        format!("/{name}"),
                        "must not contain control characters",
                    ));
                }
            }
            Some(trimmed.map(str::to_owned))
        };
    let mut checked = CheckedChanges {
        first_name: field("first_name", &changes.first_name, MAX_PROFILE_FIELD_CHARS),
        last_name: field("last_name", &changes.last_name, MAX_PROFILE_FIELD_CHARS),
        email: field("email", &changes.email, MAX_PROFILE_FIELD_CHARS),
        phone: field("phone", &changes.phone, MAX_PROFILE_FIELD_CHARS),
        locale: field("locale", &changes.locale, MAX_PROFILE_FIELD_CHARS),
        timezone: field("timezone", &changes.timezone, MAX_PROFILE_FIELD_CHARS),
        avatar_url: field("avatar_url", &changes.avatar_url, MAX_LONG_FIELD_CHARS),
        notes: field("notes", &changes.notes, MAX_LONG_FIELD_CHARS),
        tags: None,
        attributes: BTreeMap::new(),
    };
    if let Some(email) = checked.email.as_ref().and_then(Option::as_deref)
        && !looks_like_email(email)
    {
        errors.push(FieldError::new("/email", "not an email address"));
    }
    checked.tags = changes
        .tags
        .as_ref()
        .map(|tags| check_tags(tags, "/tags", &mut errors));
    if let Some(attributes) = &changes.attributes {
        checked.attributes = check_attributes(attributes, "/attributes", &mut errors);
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

/// A light check that catches typing mistakes, not a full RFC 5322 parser.
fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_trimmed_and_empty_means_clear() {
        let changes = UserChanges {
            first_name: Some(Some("  Yin Yin ".to_owned())),
            email: Some(Some("   ".to_owned())),
            tags: Some(vec!["VIP".to_owned(), " vip ".to_owned(), "New".to_owned()]),
            attributes: Some(BTreeMap::from([(
                " fav_food ".to_owned(),
                Some("pizza".to_owned()),
            )])),
            ..UserChanges::default()
        };
        let checked = check_changes(&changes).unwrap_or_default();
        assert_eq!(checked.first_name, Some(Some("Yin Yin".to_owned())));
        assert_eq!(checked.email, Some(None));
        assert_eq!(checked.last_name, None);
        assert_eq!(checked.tags, Some(vec!["VIP".to_owned(), "New".to_owned()]));
        assert_eq!(
            checked.attributes.get("fav_food"),
            Some(&Some("pizza".to_owned()))
        );
    }

    #[test]
    fn bad_changes_point_at_each_field() {
        let changes = UserChanges {
            first_name: Some(Some("x".repeat(256))),
            email: Some(Some("not-an-email".to_owned())),
            tags: Some(vec!["ok".to_owned(), "".to_owned()]),
            attributes: Some(BTreeMap::from([(
                "a/b".to_owned(),
                Some("v".repeat(10_001)),
            )])),
            ..UserChanges::default()
        };
        let errors = check_changes(&changes).err().unwrap_or_default();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/first_name", "/email", "/tags/1", "/attributes/a~1b"]
        );
    }

    #[test]
    fn an_upsert_is_folded_trimmed_and_reports_every_field_at_once() {
        let request = UpsertUser {
            channel: " Telegram ".to_owned(),
            external_id: "\u{a0}42\u{3000}".to_owned(),
            first_name: Some(Some(" Yin Yin ".to_owned())),
            ..UpsertUser::default()
        };
        let checked = check_upsert_user(&request).unwrap_or_else(|errors| panic!("{errors:?}"));
        assert_eq!(checked.channel, "telegram");
        assert_eq!(checked.external_id, "42");
        assert_eq!(checked.changes.first_name, Some(Some("Yin Yin".to_owned())));

        let bad = UpsertUser {
            channel: "web\u{7}".to_owned(),
            external_id: " ".to_owned(),
            email: Some(Some("nope".to_owned())),
            ..UpsertUser::default()
        };
        let errors = check_upsert_user(&bad).err().unwrap_or_default();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/channel", "/external_id", "/email"]);

        // Invisible-only names, a channel that folds past 64 characters (U+FDFA is 18
        // once normalised), a tag of invisible characters, one attribute key twice.
        let invisible = UpsertUser {
            channel: "\u{200b}".to_owned(),
            external_id: "\u{ad}".to_owned(),
            tags: Some(vec!["vip".to_owned(), "\u{2060}".to_owned()]),
            attributes: Some(BTreeMap::from([
                (" plan ".to_owned(), Some("pro".to_owned())),
                ("plan".to_owned(), Some("free".to_owned())),
            ])),
            ..UpsertUser::default()
        };
        let errors = check_upsert_user(&invisible).err().unwrap_or_default();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/channel", "/external_id", "/tags/1", "/attributes/plan"]
        );
        let long = UpsertUser {
            channel: "\u{fdfa}".repeat(64),
            external_id: "1".to_owned(),
            ..UpsertUser::default()
        };
        let errors = check_upsert_user(&long).err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/channel");
    }

    #[test]
    fn profile_with_changes_and_folded_copies() {
        let profile = Profile {
            first_name: "Old".to_owned(),
            email: Some("a@b.c".to_owned()),
            ..Profile::default()
        };
        let changes = CheckedChanges {
            first_name: Some(Some("Yin Yin".to_owned())),
            last_name: Some(Some("TAN".to_owned())),
            email: Some(None),
            ..CheckedChanges::default()
        };
        let updated = profile.with(&changes);
        assert_eq!(updated.email, None);
        assert_eq!(
            updated.folded(),
            [
                Some("yin yin".to_owned()),
                Some("tan".to_owned()),
                Some("yin yin tan".to_owned()),
                None
            ]
        );
    }
}
