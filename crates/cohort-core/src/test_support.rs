//! Helpers for the core's unit tests.

use crate::api::FieldError;

/// The pointers of the fields a check refused, in order; none when it passed.
pub fn pointers<T>(checked: Result<T, Vec<FieldError>>) -> Vec<String> {
    checked
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|error| error.pointer)
        .collect()
}
