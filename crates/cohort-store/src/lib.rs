//! Cohort's storage on sea-orm: SQLite (the embedded default) and PostgreSQL (for scale).
//!
//! Tenancy is enforced here, not in handlers: a `WorkspaceScope` only comes from an
//! authenticated token (or the CLI), and a `BotScope` only from looking a bot up inside a
//! workspace, so every user query is bounded by a bot its caller may see.

mod admins;
mod audit;
mod bots;
mod bulk;
mod connect;
mod data_set;
mod entities;
mod error;
mod events;
mod exports;
mod idempotency;
mod jobs;
mod planner;
mod pool;
mod refresh;
mod sql;
mod stats;
mod tokens;
mod users;
mod workspaces;

#[cfg(feature = "testing")]
pub mod testing;

pub use admins::{
    AdminCredentials, AdminSession, AdminWrite, SESSION_ABSOLUTE_MICROS, SESSION_IDLE_MICROS,
    hash_password, normalise_email, verify_password,
};
pub use bulk::AuditRecord;
pub use connect::{Store, redact_in, redact_url};
pub use data_set::{MESSAGES as DATA_SET_MESSAGES, numbers_sql};
pub use error::StoreError;
pub use exports::{
    EXPORT_BATCH_USERS, EXPORT_CSV, ExportFile, ExportReader, ExportRemoval, ExportTask,
};
pub use idempotency::{IdempotencyClaim, StoredResponse};
pub use jobs::{ClaimedJob, MAX_JOB_ATTEMPTS};
pub use planner::{ANALYZE_BASE_ROWS, ANALYZE_SCALE_DIVISOR};
pub use pool::PoolUsage;
pub use refresh::REFRESH_CHUNK_USERS;
pub use users::ListQuery;

/// The workspace a caller acts in. Only the store makes these, from a valid token or by
/// name for the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkspaceScope {
    id: i64,
}

/// A bot the caller may see: made by `Store::bot_scope` from a `WorkspaceScope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BotScope {
    workspace_id: i64,
    bot_id: i64,
}

impl BotScope {
    /// The bot's id.
    pub fn bot_id(&self) -> i64 {
        self.bot_id
    }
}

/// Parses an opaque id from a path; anything that is not one of ours is simply not found.
pub(crate) fn parse_id(text: &str) -> Result<i64, StoreError> {
    cohort_core::text::canonical_id(text).ok_or(StoreError::NotFound)
}
