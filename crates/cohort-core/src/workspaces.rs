//! Checking what the command line writes: a workspace's name, and an admin's email and
//! password. The store writes only what passed here.

use crate::api::FieldError;
use crate::limits::{
    MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS, MAX_WORKSPACE_NAME_CHARS, MIN_PASSWORD_CHARS,
};
use crate::text;

/// A workspace name after `check_workspace_name`: trimmed of Unicode white space, 1 to
/// `MAX_WORKSPACE_NAME_CHARS` characters, no control character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceName(String);

impl WorkspaceName {
    /// The name as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a workspace name (`--workspace`); the error points at `/workspace`.
pub fn check_workspace_name(raw: &str) -> Result<WorkspaceName, Vec<FieldError>> {
    let trimmed = raw.trim();
    if crate::text::is_blank(trimmed)
        || trimmed.chars().count() > MAX_WORKSPACE_NAME_CHARS
        || trimmed.chars().any(char::is_control)
    {
        return Err(vec![FieldError::new(
            "/workspace",
            format!(
                "a workspace name is 1 to {MAX_WORKSPACE_NAME_CHARS} characters, at least one of them visible, without control characters"
            ),
        )]);
    }
    Ok(WorkspaceName(trimmed.to_owned()))
}

/// An admin after `check_admin`: the email folded as sign-in folds it (`text::fold`), the
/// password as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAdmin {
    pub email: String,
    pub password: String,
}

/// Checks an admin's email (one `@`, at most `MAX_EMAIL_CHARS` characters, no control
/// character) and password (`MIN_PASSWORD_CHARS` to `MAX_PASSWORD_CHARS` characters).
/// Errors, all at once, point at `/email` and `/password`.
pub fn check_admin(email: &str, password: &str) -> Result<CheckedAdmin, Vec<FieldError>> {
    let mut errors = Vec::new();
    let folded = text::fold(email);
    let at_signs = folded.matches('@').count();
    if folded.chars().count() > MAX_EMAIL_CHARS
        || at_signs != 1
        || folded.starts_with('@')
        || folded.ends_with('@')
        || folded.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        errors.push(FieldError::new(
            "/email",
            format!("an email has one @ and at most {MAX_EMAIL_CHARS} characters, without spaces"),
        ));
    }
    let count = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&count) {
        errors.push(FieldError::new(
            "/password",
            format!("a password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    if errors.is_empty() {
        Ok(CheckedAdmin {
            email: folded,
            password: password.to_owned(),
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::pointers;

    #[test]
    fn a_workspace_name_is_trimmed_and_bounded() {
        assert_eq!(
            check_workspace_name("\u{3000}Acme\u{a0}").map(|name| name.as_str().to_owned()),
            Ok("Acme".to_owned())
        );
        let longest = "ß".repeat(MAX_WORKSPACE_NAME_CHARS);
        assert!(check_workspace_name(&longest).is_ok());
        assert_eq!(
            pointers(check_workspace_name(&format!("{longest}ß"))),
            ["/workspace"]
        );
        assert_eq!(pointers(check_workspace_name(" \u{2003} ")), ["/workspace"]);
        assert_eq!(pointers(check_workspace_name("Ac\u{0}me")), ["/workspace"]);
    }

    #[test]
    fn an_admin_email_is_folded_and_every_fault_is_reported() {
        let admin = check_admin("  Ana@ACME.test ", "long enough");
        assert_eq!(
            admin.map(|admin| admin.email),
            Ok("ana@acme.test".to_owned())
        );
        assert_eq!(
            pointers(check_admin("ana", "short")),
            ["/email", "/password"]
        );
        for email in [
            "@acme.test",
            "ana@",
            "a@b@c",
            "ana @acme.test",
            "ana\u{7}@acme.test",
        ] {
            assert_eq!(
                pointers(check_admin(email, "long enough")),
                ["/email"],
                "{email:?}"
            );
        }
        let longest = "p".repeat(MAX_PASSWORD_CHARS);
        assert!(check_admin("ana@acme.test", &longest).is_ok());
        assert_eq!(
            pointers(check_admin("ana@acme.test", &format!("{longest}p"))),
            ["/password"]
        );
    }
}
