//! `external_id` becomes a filter column: `users` gets a folded copy, `external_id_folded`,
//! like the names and the email, and the view `user_rows` shows it.
//!
//! Existing users get their folded copy here, computed with `cohort_core::text::fold`
//! (SQL's `lower` only knows ASCII on SQLite and differs from Rust's on PostgreSQL). The
//! users are read and updated in batches, in id order. On PostgreSQL the column is
//! `COLLATE "C"` and has a pg_trgm index for `contains`, like the other folded columns;
//! on both engines `(bot_id, external_id_folded, id)` serves sorting by it.

use cohort_core::text::fold_non_empty;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

use crate::run_script;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000006_external_id_folded"
    }
}

/// How many users one backfill statement updates.
const BACKFILL_BATCH: usize = 500;

const SQLITE_COLUMN: &str = r#"
ALTER TABLE users ADD COLUMN external_id_folded TEXT;
"#;

const SQLITE_INDEXES: &str = r#"
CREATE INDEX users_bot_external_id ON users (bot_id, external_id_folded, id);
"#;

const POSTGRES_COLUMN: &str = r#"
ALTER TABLE users ADD COLUMN external_id_folded TEXT COLLATE "C";
"#;

const POSTGRES_INDEXES: &str = r#"
CREATE INDEX users_bot_external_id ON users (bot_id, external_id_folded, id);
CREATE INDEX users_external_id_trgm ON users USING gin (external_id_folded gin_trgm_ops);
"#;

/// Users with their stats, as migration 4 defined the view, plus `external_id_folded`.
const VIEW: &str = r#"
DROP VIEW user_rows;
CREATE VIEW user_rows AS
SELECT u.id, u.bot_id, u.channel, u.external_id, u.first_name, u.last_name, u.email, u.phone,
       u.locale, u.timezone, u.avatar_url, u.notes, u.first_name_folded, u.last_name_folded,
       u.name_folded, u.email_folded, u.external_id_folded, u.created_at, u.updated_at,
       s.sessions, s.messages_sent, s.clicks, s.time_spent_micros, s.time_spent_secs,
       s.sentiment_sum, s.average_sentiment, s.last_message_at, s.last_event_at
FROM users u JOIN user_stats s ON s.user_id = u.id AND s.bot_id = u.bot_id;
"#;

/// The view as migration 4 left it, for `down`.
const OLD_VIEW: &str = r#"
DROP VIEW user_rows;
CREATE VIEW user_rows AS
SELECT u.id, u.bot_id, u.channel, u.external_id, u.first_name, u.last_name, u.email, u.phone,
       u.locale, u.timezone, u.avatar_url, u.notes, u.first_name_folded, u.last_name_folded,
       u.name_folded, u.email_folded, u.created_at, u.updated_at,
       s.sessions, s.messages_sent, s.clicks, s.time_spent_micros, s.time_spent_secs,
       s.sentiment_sum, s.average_sentiment, s.last_message_at, s.last_event_at
FROM users u JOIN user_stats s ON s.user_id = u.id AND s.bot_id = u.bot_id;
"#;

const DROP: &str = r#"
DROP INDEX users_bot_external_id;
ALTER TABLE users DROP COLUMN external_id_folded;
"#;

const POSTGRES_DROP: &str = r#"
DROP INDEX users_external_id_trgm;
DROP INDEX users_bot_external_id;
ALTER TABLE users DROP COLUMN external_id_folded;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let (column, indexes) = match backend {
            DbBackend::Postgres => (POSTGRES_COLUMN, POSTGRES_INDEXES),
            _ => (SQLITE_COLUMN, SQLITE_INDEXES),
        };
        run_script(manager, column).await?;
        backfill(manager, backend).await?;
        run_script(manager, indexes).await?;
        run_script(manager, VIEW).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run_script(manager, OLD_VIEW).await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => run_script(manager, POSTGRES_DROP).await,
            _ => run_script(manager, DROP).await,
        }
    }
}

/// The `index`th (from 1) parameter placeholder on `backend`.
fn placeholder(backend: DbBackend, index: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${index}"),
        _ => "?".to_owned(),
    }
}

/// Sets `external_id_folded` of every existing user, a batch of users at a time.
async fn backfill(manager: &SchemaManager<'_>, backend: DbBackend) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    let mut after = 0_i64;
    loop {
        let select = Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT id, external_id FROM users WHERE id > {} ORDER BY id LIMIT {BACKFILL_BATCH}",
                placeholder(backend, 1)
            ),
            [after.into()],
        );
        let rows = connection.query_all_raw(select).await?;
        let mut batch: Vec<(i64, Option<String>)> = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("", "id")?;
            let external_id: String = row.try_get("", "external_id")?;
            batch.push((id, fold_non_empty(&external_id)));
        }
        let Some(&(last, _)) = batch.last() else {
            return Ok(());
        };
        let mut values = Vec::with_capacity(batch.len() * 2);
        let mut tuples = Vec::with_capacity(batch.len());
        for (id, folded) in batch {
            tuples.push(format!(
                "({}, {})",
                placeholder(backend, values.len() + 1),
                placeholder(backend, values.len() + 2)
            ));
            values.push(id.into());
            values.push(folded.into());
        }
        let update = Statement::from_sql_and_values(
            backend,
            format!(
                "WITH folded (id, value) AS (VALUES {}) \
                 UPDATE users SET external_id_folded = folded.value FROM folded \
                 WHERE users.id = folded.id",
                tuples.join(", ")
            ),
            values,
        );
        connection.execute_raw(update).await?;
        after = last;
    }
}
