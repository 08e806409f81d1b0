//! CSV exports: one row per export beside its job in `jobs` (same id), with who asked,
//! the selection, where the file is kept, how far the worker got and when the file expires.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::run_script;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000007_exports"
    }
}

/// `users (bot_id, id)` serves the export's keyset batches (a bot's users in id order);
/// without it each batch sorted all of the bot's users again.
///
/// `file_key` is the object's name in the export store, unique across databases sharing a
/// store (it carries a random part); `expired_at` is set when the worker deleted the file.
const SQLITE: &str = r#"
CREATE TABLE exports (
    job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    bot_id BIGINT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    selection TEXT NOT NULL,
    file_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    audit_id BIGINT,
    rows_total BIGINT NOT NULL DEFAULT 0,
    rows_written BIGINT NOT NULL DEFAULT 0,
    bytes_written BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT,
    expired_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX exports_bot ON exports (bot_id, job_id);
CREATE INDEX exports_expiry ON exports (expires_at) WHERE expired_at IS NULL;
CREATE INDEX users_bot_id ON users (bot_id, id);
"#;

const POSTGRES: &str = r#"
CREATE TABLE exports (
    job_id BIGINT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    bot_id BIGINT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    selection TEXT NOT NULL,
    file_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    audit_id BIGINT,
    rows_total BIGINT NOT NULL DEFAULT 0,
    rows_written BIGINT NOT NULL DEFAULT 0,
    bytes_written BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT,
    expired_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX exports_bot ON exports (bot_id, job_id);
CREATE INDEX exports_expiry ON exports (expires_at) WHERE expired_at IS NULL;
CREATE INDEX users_bot_id ON users (bot_id, id);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Postgres => run_script(manager, POSTGRES).await,
            _ => run_script(manager, SQLITE).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run_script(manager, "DROP INDEX users_bot_id;\nDROP TABLE exports;\n").await
    }
}
