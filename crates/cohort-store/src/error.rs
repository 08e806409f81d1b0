//! What can go wrong in the store, in terms the API maps to responses.

use cohort_core::api::FieldError;

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing does not exist in the caller's scope (or at all).
    #[error("not found")]
    NotFound,
    /// The request is invalid; nothing was changed.
    #[error("invalid request: {}", messages(.0))]
    Invalid(Vec<FieldError>),
    /// A delete's `confirm` differs from the number of users the selection holds now.
    #[error("the selection holds {actual} users, not {confirm}")]
    ConfirmMismatch { actual: u64, confirm: u64 },
    /// The database could not be reached when opening the store: says why and where, with
    /// any password in the URL redacted.
    #[error("{0}")]
    Unreachable(String),
    /// The database failed.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

/// The problems' messages in one line, for logs and the CLI.
fn messages(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|error| error.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

impl StoreError {
    /// An invalid request with one problem.
    pub fn invalid(pointer: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(pointer, message)])
    }
}
