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
    /// A write could not start within its wait: SQLite's writer queue stayed taken (a long
    /// bulk action), or a transaction lost races to others more often than it is rerun.
    /// Nothing was changed; the same request may be sent again shortly.
    #[error("the database is busy with other writes")]
    Busy,
    /// A write transaction lost a race the database does not report as an error: rows it
    /// had just created or found were removed by concurrent transactions every time it
    /// looked (ingestion creating users that bulk deletes keep removing). It rolled back
    /// whole; `Store::retrying` runs it again like a deadlock, and only a rerun that keeps
    /// losing reaches the caller, who may send the same request again shortly (it is
    /// busy, `is_busy`). The text says what was lost, for logs.
    #[error("a concurrent write won a race: {0}")]
    LostRace(String),
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
    /// Whether the request failed only because the database was busy and may succeed if
    /// sent again: `Busy`, a race lost more often than it is rerun (deadlock,
    /// serialization failure, SQLite's lock), or no pooled connection free in time.
    pub fn is_busy(&self) -> bool {
        match self {
            Self::Busy => true,
            Self::Database(sea_orm::DbErr::ConnectionAcquire(_)) => true,
            other => crate::connect::lost_a_race(other),
        }
    }

    /// An invalid request with one problem.
    pub fn invalid(pointer: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(pointer, message)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_covers_the_queue_an_exhausted_pool_and_lost_races_but_not_other_failures() {
        assert!(StoreError::Busy.is_busy());
        let pool_exhausted = StoreError::Database(sea_orm::DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::Timeout,
        ));
        assert!(pool_exhausted.is_busy());
        assert!(StoreError::LostRace("3 users deleted".to_owned()).is_busy());
        assert!(!StoreError::NotFound.is_busy());
        assert!(!StoreError::Database(sea_orm::DbErr::Custom("broken".to_owned())).is_busy());
        assert!(!StoreError::invalid("/name", "empty").is_busy());
    }
}
