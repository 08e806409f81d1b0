//! Checking what a request writes to a bot: its name and session timeout. The store writes
//! only what passed here.

use crate::api::{CreateBot, FieldError, UpdateBot};
use crate::limits::{MAX_BOT_NAME_CHARS, MAX_SESSION_TIMEOUT_SECS};

/// The session timeout of a bot created without one: 10 minutes, in seconds.
pub const DEFAULT_SESSION_TIMEOUT_SECS: i64 = 600;

/// A new bot after `check_create_bot`: the name trimmed, the timeout in seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedBot {
    pub name: String,
    pub session_timeout_secs: i64,
}

/// A change to a bot after `check_update_bot`; `None` leaves that setting as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckedBotChanges {
    pub name: Option<String>,
    pub session_timeout_secs: Option<i64>,
}

/// Checks the body of `POST /bots`. Errors, all at once, point into the body (`/name`,
/// `/session_timeout_secs`).
pub fn check_create_bot(request: &CreateBot) -> Result<CheckedBot, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = check_name(&request.name, &mut errors);
    let session_timeout_secs = check_timeout(
        request
            .session_timeout_secs
            .unwrap_or(DEFAULT_SESSION_TIMEOUT_SECS),
        &mut errors,
    );
    if errors.is_empty() {
        Ok(CheckedBot {
            name,
            session_timeout_secs,
        })
    } else {
        Err(errors)
    }
}

/// Checks the body of `PATCH /bots/{bot}`, as `check_create_bot` does for each field given.
pub fn check_update_bot(request: &UpdateBot) -> Result<CheckedBotChanges, Vec<FieldError>> {
    let mut errors = Vec::new();
    let changes = CheckedBotChanges {
        name: request
            .name
            .as_deref()
            .map(|name| check_name(name, &mut errors)),
        session_timeout_secs: request
            .session_timeout_secs
            .map(|seconds| check_timeout(seconds, &mut errors)),
    };
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// A bot name: trimmed of Unicode white space, 1 to 100 characters, no control characters.
fn check_name(raw: &str, errors: &mut Vec<FieldError>) -> String {
    let trimmed = raw.trim();
    if crate::text::is_blank(trimmed)
        || trimmed.chars().count() > MAX_BOT_NAME_CHARS
        || trimmed.chars().any(char::is_control)
    {
        errors.push(FieldError::new(
            "/name",
            format!(
                "a bot name is 1 to {MAX_BOT_NAME_CHARS} characters, at least one of them visible, without control characters"
            ),
        ));
    }
    trimmed.to_owned()
}

/// A session timeout: 1 second to 7 days.
fn check_timeout(seconds: i64, errors: &mut Vec<FieldError>) -> i64 {
    if !(1..=MAX_SESSION_TIMEOUT_SECS).contains(&seconds) {
        errors.push(FieldError::new(
            "/session_timeout_secs",
            format!("the session timeout is 1 to {MAX_SESSION_TIMEOUT_SECS} seconds"),
        ));
    }
    seconds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::pointers;

    fn create(name: &str, session_timeout_secs: Option<i64>) -> CreateBot {
        CreateBot {
            name: name.to_owned(),
            session_timeout_secs,
        }
    }

    #[test]
    fn a_new_bot_is_trimmed_and_gets_the_default_timeout() {
        let checked = check_create_bot(&create("\u{3000} Pizza Palace\u{a0}", None));
        assert_eq!(
            checked,
            Ok(CheckedBot {
                name: "Pizza Palace".to_owned(),
                session_timeout_secs: DEFAULT_SESSION_TIMEOUT_SECS,
            })
        );
    }

    #[test]
    fn every_fault_is_reported_at_once() {
        let errors = pointers(check_create_bot(&create(" \u{2003} ", Some(0))));
        assert_eq!(errors, ["/name", "/session_timeout_secs"]);
        let errors = pointers(check_create_bot(&create(
            "Bell\u{7}",
            Some(MAX_SESSION_TIMEOUT_SECS + 1),
        )));
        assert_eq!(errors, ["/name", "/session_timeout_secs"]);
    }

    #[test]
    fn names_are_counted_in_characters() {
        let longest = "ß".repeat(MAX_BOT_NAME_CHARS);
        assert!(check_create_bot(&create(&longest, None)).is_ok());
        let errors = pointers(check_create_bot(&create(&format!("{longest}ß"), None)));
        assert_eq!(errors, ["/name"]);
    }

    #[test]
    fn a_change_checks_only_what_it_gives() {
        let nothing = UpdateBot {
            name: None,
            session_timeout_secs: None,
        };
        assert_eq!(check_update_bot(&nothing), Ok(CheckedBotChanges::default()));
        let timeout = UpdateBot {
            name: None,
            session_timeout_secs: Some(MAX_SESSION_TIMEOUT_SECS),
        };
        assert_eq!(
            check_update_bot(&timeout).map(|changes| changes.session_timeout_secs),
            Ok(Some(MAX_SESSION_TIMEOUT_SECS))
        );
        let empty_name = UpdateBot {
            name: Some(String::new()),
            session_timeout_secs: Some(-5),
        };
        let errors = pointers(check_update_bot(&empty_name));
        assert_eq!(errors, ["/name", "/session_timeout_secs"]);
    }
}
