//! CSV exports: a job in `jobs` (kind `export_csv`) plus a row in `exports` with who asked,
//! the selection, where the file is kept and how far the worker got; and the snapshot the
//! worker reads the selected users from.
//!
//! The snapshot is one read transaction: `REPEATABLE READ, READ ONLY` on PostgreSQL, a
//! deferred read transaction on SQLite (WAL gives it a fixed snapshot from its first read
//! while writers go on). Everything the export reads (the attribute keys for the header,
//! the total, then the users in keyset batches by id with their tags and attributes) comes
//! from that one snapshot, so users created, changed or deleted meanwhile do not change the
//! file, and nothing is copied.

use cohort_core::api::{Export, ExportPage, JobStatus};
use cohort_core::bulk::CheckedSelection;
use cohort_core::export::ExportUser;
use cohort_core::sort::IdCursor;
use cohort_core::time::{Micros, from_micros};
use rand::RngCore;
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, IsolationLevel,
    TransactionOptions, TransactionTrait,
};
use std::collections::BTreeMap;

use crate::bulk::{count_selected, push_selected, selection_source, selection_tags};
use crate::jobs::push_held_by;
use crate::sql::{Sql, TagIds};
use crate::{BotScope, ClaimedJob, Store, StoreError, parse_id};

/// The job kind of an export.
pub const EXPORT_CSV: &str = "export_csv";

/// How many users one batch of an export reads.
pub const EXPORT_BATCH_USERS: u64 = 2_000;

/// What the download and delete endpoints need to know about an export's file.
#[derive(Debug, Clone)]
pub struct ExportFile {
    /// The export's status.
    pub status: JobStatus,
    /// The object's name in the export store.
    pub key: String,
    /// The name the download offers (`<bot>-users-<time>.csv`).
    pub file_name: String,
    /// The file's size once succeeded.
    pub bytes: u64,
    /// Whether the worker deleted the file because it expired.
    pub expired: bool,
}

/// What the worker needs to run an export.
#[derive(Debug, Clone)]
pub struct ExportTask {
    /// The selection as it was given.
    pub selection: serde_json::Value,
    /// The object's final name in the export store.
    pub key: String,
    /// When the export was asked for: the `now` of its filter.
    pub created_at: Micros,
}

/// What a `DELETE` of an export did.
#[derive(Debug, Clone)]
pub enum ExportRemoval {
    /// It was queued or running and is now cancelled; its file (if any) is `key`.
    Cancelled { key: String },
    /// It had ended and is gone; its file (if any) was `key`.
    Removed { key: String },
}

#[derive(FromQueryResult)]
struct ExportRow {
    id: i64,
    bot_id: i64,
    status: String,
    progress: f64,
    error: Option<String>,
    created_at: i64,
    finished_at: Option<i64>,
    actor: String,
    rows_written: i64,
    bytes_written: i64,
    expires_at: Option<i64>,
    expired_at: Option<i64>,
}

impl From<ExportRow> for Export {
    fn from(row: ExportRow) -> Self {
        let status = JobStatus::parse(&row.status).unwrap_or(JobStatus::Failed);
        let download_url = (status == JobStatus::Succeeded && row.expired_at.is_none())
            .then(|| format!("/api/v1/bots/{}/exports/{}/download", row.bot_id, row.id));
        Export {
            id: row.id.to_string(),
            status,
            progress: row.progress.clamp(0.0, 1.0),
            rows: u64::try_from(row.rows_written).unwrap_or(0),
            bytes: u64::try_from(row.bytes_written).unwrap_or(0),
            created_at: from_micros(row.created_at),
            finished_at: row.finished_at.map(from_micros),
            expires_at: row.expires_at.map(from_micros),
            download_url,
            error: row.error,
            created_by: row.actor,
        }
    }
}

const EXPORT_COLUMNS: &str = "SELECT j.id, j.bot_id, j.status, j.progress, j.error, j.created_at, j.finished_at, e.actor, e.rows_written, e.bytes_written, e.expires_at, e.expired_at FROM jobs j JOIN exports e ON e.job_id = j.id WHERE j.bot_id = ";

#[derive(FromQueryResult)]
struct IdRow {
    id: i64,
}

#[derive(FromQueryResult)]
struct FileRow {
    status: String,
    file_key: String,
    file_name: String,
    bytes_written: i64,
    expired_at: Option<i64>,
}

#[derive(FromQueryResult)]
struct TaskRow {
    selection: String,
    file_key: String,
    created_at: i64,
}

#[derive(FromQueryResult)]
struct ExpiredRow {
    job_id: i64,
    file_key: String,
}

impl Store {
    /// Queues an export of `selection` (as given; the worker checks it again) for `actor`,
    /// with its audit entry, in one transaction.
    pub async fn create_export(
        &self,
        bot: BotScope,
        selection: &serde_json::Value,
        actor: &str,
        file_name: &str,
        now: Micros,
    ) -> Result<Export, StoreError> {
        let (_turn, transaction) = self.begin_write().await?;
        let backend = transaction.get_database_backend();
        let payload = serde_json::json!({ "selection": selection });
        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO jobs (bot_id, kind, status, progress, payload, attempts, created_at) VALUES (")
            .bind(bot.bot_id)
            .push(", ")
            .bind(EXPORT_CSV)
            .push(", ")
            .bind(JobStatus::Queued.as_str())
            .push(", 0, ")
            .bind(payload.to_string())
            .push(", 0, ")
            .bind(now)
            .push(") RETURNING id");
        let job_id = returned_id(&transaction, sql).await?;

        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO audit_log (bot_id, actor, action, details, selection, affected, created_at) VALUES (")
            .bind(bot.bot_id)
            .push(", ")
            .bind(actor)
            .push(", ")
            .bind(EXPORT_CSV)
            .push(", ")
            .bind(serde_json::json!({ "type": EXPORT_CSV, "export_id": job_id.to_string() }).to_string())
            .push(", ")
            .bind(selection.to_string())
            .push(", 0, ")
            .bind(now)
            .push(") RETURNING id");
        let audit_id = returned_id(&transaction, sql).await?;

        let key = format!(
            "exports/{}/{job_id}-{:016x}.csv",
            bot.bot_id,
            rand::rng().next_u64()
        );
        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO exports (job_id, bot_id, actor, selection, file_key, file_name, audit_id, created_at) VALUES (")
            .bind(job_id)
            .push(", ")
            .bind(bot.bot_id)
            .push(", ")
            .bind(actor)
            .push(", ")
            .bind(selection.to_string())
            .push(", ")
            .bind(key)
            .push(", ")
            .bind(file_name)
            .push(", ")
            .bind(audit_id)
            .push(", ")
            .bind(now)
            .push(")");
        transaction.execute_raw(sql.build()).await?;
        transaction.commit().await?;
        self.get_export(bot, &job_id.to_string()).await
    }

    /// One export of the bot; another bot's, or an id that does not parse, is not found.
    pub async fn get_export(&self, bot: BotScope, export_id: &str) -> Result<Export, StoreError> {
        let id = parse_id(export_id)?;
        let mut sql = Sql::new(self.backend());
        sql.push(EXPORT_COLUMNS)
            .bind(bot.bot_id)
            .push(" AND j.id = ")
            .bind(id);
        ExportRow::find_by_statement(sql.build())
            .one(&self.db)
            .await?
            .map(Export::from)
            .ok_or(StoreError::NotFound)
    }

    /// A page of the bot's exports, newest first, after `cursor`.
    pub async fn list_exports(
        &self,
        bot: BotScope,
        limit: u64,
        cursor: Option<IdCursor>,
    ) -> Result<ExportPage, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push(EXPORT_COLUMNS).bind(bot.bot_id);
        if let Some(IdCursor(before)) = cursor {
            sql.push(" AND j.id < ").bind(before);
        }
        sql.push(" ORDER BY j.id DESC LIMIT ")
            .bind(i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1));
        let mut rows = ExportRow::find_by_statement(sql.build())
            .all(&self.db)
            .await?;
        let has_more = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let next_cursor = rows
            .last()
            .filter(|_| has_more)
            .map(|row| IdCursor(row.id).encode());
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT COUNT(*) AS count FROM exports WHERE bot_id = ")
            .bind(bot.bot_id);
        let total = sql.count(&self.db).await?;
        Ok(ExportPage {
            data: rows.into_iter().map(Export::from).collect(),
            next_cursor,
            total,
        })
    }

    /// Where an export's file is and whether it may be served.
    pub async fn export_file(
        &self,
        bot: BotScope,
        export_id: &str,
    ) -> Result<ExportFile, StoreError> {
        let id = parse_id(export_id)?;
        export_file_row(&self.db, bot, id).await
    }

    /// Writes a download of the export to the audit log.
    pub async fn record_export_download(
        &self,
        bot: BotScope,
        export_id: &str,
        actor: &str,
        range: Option<&str>,
        now: Micros,
    ) -> Result<(), StoreError> {
        let id = parse_id(export_id)?;
        let mut details =
            serde_json::json!({ "type": "export_download", "export_id": id.to_string() });
        if let Some(range) = range {
            details["range"] = serde_json::Value::from(range);
        }
        let mut sql = Sql::new(self.backend());
        sql.push("INSERT INTO audit_log (bot_id, actor, action, details, selection, affected, created_at) SELECT bot_id, ")
            .bind(actor)
            .push(", 'export_download', ")
            .bind(details.to_string())
            .push(", selection, rows_written, ")
            .bind(now)
            .push(" FROM exports WHERE job_id = ")
            .bind(id)
            .push(" AND bot_id = ")
            .bind(bot.bot_id);
        let _turn = self.writer_turn().await?;
        self.db.execute_raw(sql.build()).await?;
        Ok(())
    }

    /// Cancels a queued or running export (the worker stops at its next batch), or removes
    /// an export that has ended. Says which, with the file to delete.
    pub async fn remove_export(
        &self,
        bot: BotScope,
        export_id: &str,
        now: Micros,
    ) -> Result<ExportRemoval, StoreError> {
        let id = parse_id(export_id)?;
        let (_turn, transaction) = self.begin_write().await?;
        let file = export_file_row(&transaction, bot, id).await?;
        let mut sql = Sql::new(transaction.get_database_backend());
        let removal = if matches!(file.status, JobStatus::Queued | JobStatus::Running) {
            sql.push("UPDATE jobs SET status = ")
                .bind(JobStatus::Cancelled.as_str())
                .push(", finished_at = ")
                .bind(now)
                .push(", locked_by = NULL WHERE id = ")
                .bind(id);
            ExportRemoval::Cancelled { key: file.key }
        } else {
            sql.push("DELETE FROM jobs WHERE id = ").bind(id);
            ExportRemoval::Removed { key: file.key }
        };
        transaction.execute_raw(sql.build()).await?;
        transaction.commit().await?;
        Ok(removal)
    }

    /// The export a claimed `export_csv` job is about.
    pub async fn export_task(&self, job: &ClaimedJob) -> Result<ExportTask, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT selection, file_key, created_at FROM exports WHERE job_id = ")
            .bind(job.id);
        let row = TaskRow::find_by_statement(sql.build())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(ExportTask {
            selection: serde_json::from_str(&row.selection).unwrap_or_default(),
            key: row.file_key,
            created_at: row.created_at,
        })
    }

    /// Records how far the export got; returns whether the worker still holds it (false
    /// once it was cancelled or taken over: the worker should stop).
    pub async fn export_progress(
        &self,
        job: &ClaimedJob,
        rows: u64,
        bytes: u64,
    ) -> Result<bool, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("UPDATE exports SET rows_written = ")
            .bind(i64::try_from(rows).unwrap_or(i64::MAX))
            .push(", bytes_written = ")
            .bind(i64::try_from(bytes).unwrap_or(i64::MAX))
            .push(" WHERE job_id = ")
            .bind(job.id)
            .push(" AND EXISTS (SELECT 1 FROM jobs");
        push_held_by(&mut sql, job);
        sql.push(")");
        let _turn = self.writer_turn().await?;
        Ok(self.db.execute_raw(sql.build()).await?.rows_affected() == 1)
    }

    /// Records the published file's size, rows and expiry, and the rows in the export's
    /// audit entry; returns whether the worker still held the export.
    pub async fn complete_export(
        &self,
        job: &ClaimedJob,
        rows: u64,
        bytes: u64,
        expires_at: Micros,
    ) -> Result<bool, StoreError> {
        let (_turn, transaction) = self.begin_write().await?;
        let backend = transaction.get_database_backend();
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        let mut sql = Sql::new(backend);
        sql.push("UPDATE exports SET rows_written = ")
            .bind(rows)
            .push(", rows_total = ")
            .bind(rows)
            .push(", bytes_written = ")
            .bind(i64::try_from(bytes).unwrap_or(i64::MAX))
            .push(", expires_at = ")
            .bind(expires_at)
            .push(" WHERE job_id = ")
            .bind(job.id)
            .push(" AND EXISTS (SELECT 1 FROM jobs");
        push_held_by(&mut sql, job);
        sql.push(")");
        let held = transaction.execute_raw(sql.build()).await?.rows_affected() == 1;
        if held {
            let mut sql = Sql::new(backend);
            sql.push("UPDATE audit_log SET affected = ")
                .bind(rows)
                .push(" WHERE id = (SELECT audit_id FROM exports WHERE job_id = ")
                .bind(job.id)
                .push(")");
            transaction.execute_raw(sql.build()).await?;
        }
        transaction.commit().await?;
        Ok(held)
    }

    /// Succeeded exports whose file expired by `now` and is still there (at most `limit`):
    /// `(export id, file key)`.
    pub async fn expired_exports(
        &self,
        now: Micros,
        limit: u64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT job_id, file_key FROM exports WHERE expired_at IS NULL AND expires_at < ")
            .bind(now)
            .push(" ORDER BY expires_at LIMIT ")
            .bind(i64::try_from(limit).unwrap_or(i64::MAX));
        Ok(ExpiredRow::find_by_statement(sql.build())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.job_id.to_string(), row.file_key))
            .collect())
    }

    /// Marks an export's file as deleted because it expired.
    pub async fn mark_export_expired(
        &self,
        export_id: &str,
        now: Micros,
    ) -> Result<(), StoreError> {
        let id = parse_id(export_id)?;
        let mut sql = Sql::new(self.backend());
        sql.push("UPDATE exports SET expired_at = ")
            .bind(now)
            .push(" WHERE job_id = ")
            .bind(id);
        let _turn = self.writer_turn().await?;
        self.db.execute_raw(sql.build()).await?;
        Ok(())
    }

    /// The file keys exports may still have a file under: those queued, running or
    /// succeeded and not expired. Any other object under the export store's `exports/` and
    /// `tmp/exports/` is an orphan (its bot or export was deleted, its job failed or gave
    /// up) that the worker deletes.
    pub async fn live_export_keys(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT e.file_key FROM exports e JOIN jobs j ON j.id = e.job_id WHERE e.expired_at IS NULL AND j.status IN (")
            .bind(JobStatus::Queued.as_str())
            .push(", ")
            .bind(JobStatus::Running.as_str())
            .push(", ")
            .bind(JobStatus::Succeeded.as_str())
            .push(")");
        Ok(KeyFileRow::find_by_statement(sql.build())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| row.file_key)
            .collect())
    }

    /// Opens the snapshot an export reads: the attribute keys present among the selected
    /// users, how many they are, and then the users themselves in batches.
    pub async fn open_export(
        &self,
        bot: BotScope,
        selection: CheckedSelection,
        now: Micros,
    ) -> Result<ExportReader, StoreError> {
        let options = if self.backend() == DbBackend::Postgres {
            TransactionOptions {
                isolation_level: Some(IsolationLevel::RepeatableRead),
                access_mode: Some(AccessMode::ReadOnly),
                ..TransactionOptions::default()
            }
        } else {
            TransactionOptions::default()
        };
        let transaction = self.db.begin_with_options(options).await?;
        let backend = transaction.get_database_backend();
        let tags = selection_tags(&transaction, bot, &selection).await?;
        let mut sql = Sql::new(backend);
        sql.push("SELECT DISTINCT a.key FROM user_attributes a WHERE a.bot_id = ")
            .bind(bot.bot_id)
            .push(" AND a.user_id IN (SELECT u.id FROM ")
            .push(selection_source(&selection))
            .push(" u WHERE ");
        push_selected(&mut sql, bot, &selection, now, &tags);
        sql.push(")");
        let mut keys: Vec<String> = KeyRow::find_by_statement(sql.build())
            .all(&transaction)
            .await?
            .into_iter()
            .map(|row| row.key)
            .collect();
        keys.sort();
        let total = count_selected(&transaction, bot, &selection, now, &tags).await?;
        Ok(ExportReader {
            transaction,
            bot,
            selection,
            tags,
            now,
            after_id: 0,
            done: false,
            keys,
            total,
        })
    }
}

#[derive(FromQueryResult)]
struct KeyFileRow {
    file_key: String,
}

#[derive(FromQueryResult)]
struct KeyRow {
    key: String,
}

/// One user of a batch, as the element of the batch's JSON array (by position): the
/// fixed columns, then the tags as `[[name_folded, name], …]` and the attributes as
/// `{key: value, …}` (each `null` when the user has none). The average sentiment comes as
/// text with every digit it needs: SQLite's JSON writes a REAL with 15 digits only.
#[derive(serde::Deserialize)]
struct BatchUser(
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
    i64,
    i64,
    Option<String>,
    Option<i64>,
    i64,
    Option<Vec<(String, String)>>,
    Option<BTreeMap<String, String>>,
);

#[derive(FromQueryResult)]
struct BatchRow {
    /// The batch's users as one JSON array (NULL on PostgreSQL when there are none).
    batch: Option<String>,
}

/// A batch's users as one JSON array, in one row: with a row per user, every row was a
/// message from sqlx's SQLite thread to this task (a wakeup each), which cost more than
/// the query. The tags and attributes are aggregated per user by the same query.
const SQLITE_BATCH: &str = "SELECT json_group_array(json_array(u.id, u.first_name, u.last_name, u.channel, u.external_id, u.email, u.phone, u.sessions, u.messages_sent, u.clicks, u.time_spent_secs, CASE WHEN u.average_sentiment IS NOT NULL THEN printf('%!.17g', u.average_sentiment) END, u.last_message_at, u.created_at, json((SELECT json_group_array(json_array(t.name_folded, t.name)) FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE ut.user_id = u.id)), json((SELECT json_group_object(a.key, a.value) FROM user_attributes a WHERE a.user_id = u.id))))";
const POSTGRES_BATCH: &str = "SELECT json_agg(json_build_array(u.id, u.first_name, u.last_name, u.channel, u.external_id, u.email, u.phone, u.sessions, u.messages_sent, u.clicks, u.time_spent_secs, u.average_sentiment::text, u.last_message_at, u.created_at, (SELECT json_agg(json_build_array(t.name_folded, t.name)) FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE ut.user_id = u.id), (SELECT json_object_agg(a.key, a.value) FROM user_attributes a WHERE a.user_id = u.id)))::text";

/// An export's snapshot of the selected users, read in id order one batch at a time.
pub struct ExportReader {
    transaction: DatabaseTransaction,
    bot: BotScope,
    selection: CheckedSelection,
    /// The ids of the tags the selection's filter names, looked up in the snapshot.
    tags: TagIds,
    now: Micros,
    after_id: i64,
    done: bool,
    keys: Vec<String>,
    total: u64,
}

impl ExportReader {
    /// The attribute keys present among the selected users, sorted by code point.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// How many users the selection holds in the snapshot.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The next batch of at most `EXPORT_BATCH_USERS` users; empty when all were read.
    pub async fn next_batch(&mut self) -> Result<Vec<ExportUser>, StoreError> {
        if self.done {
            return Ok(Vec::new());
        }
        let backend = self.transaction.get_database_backend();
        let mut sql = Sql::new(backend);
        sql.push(if backend == DbBackend::Postgres {
            POSTGRES_BATCH
        } else {
            SQLITE_BATCH
        })
        .push(" AS batch FROM (SELECT u.id, u.first_name, u.last_name, u.channel, u.external_id, u.email, u.phone, u.sessions, u.messages_sent, u.clicks, u.time_spent_secs, u.average_sentiment, u.last_message_at, u.created_at")
        // `user_rows` with the keyset bound on both of its tables: through the view,
        // PostgreSQL merge-joined `user_stats` from its start for every batch.
        .push(" FROM (SELECT uu.*, s.sessions, s.messages_sent, s.clicks, s.time_spent_micros, s.time_spent_secs, s.sentiment_sum, s.average_sentiment, s.last_message_at, s.last_event_at FROM users uu JOIN user_stats s ON s.user_id = uu.id AND s.bot_id = uu.bot_id WHERE uu.bot_id = ")
        .bind(self.bot.bot_id)
        .push(" AND uu.id > ")
        .bind(self.after_id)
        .push(" AND s.user_id > ")
        .bind(self.after_id)
        .push(") u WHERE ");
        push_selected(&mut sql, self.bot, &self.selection, self.now, &self.tags);
        sql.push(" AND u.id > ")
            .bind(self.after_id)
            .push(" ORDER BY u.id LIMIT ")
            .bind(EXPORT_BATCH_USERS as i64)
            .push(") u");
        let text = BatchRow::find_by_statement(sql.build())
            .one(&self.transaction)
            .await?
            .and_then(|row| row.batch);
        let mut users: Vec<BatchUser> = match text {
            Some(text) => serde_json::from_str(&text).map_err(|error| {
                StoreError::Database(sea_orm::DbErr::Custom(format!(
                    "an export batch did not parse: {error}"
                )))
            })?,
            None => Vec::new(),
        };
        // An aggregate's order is the engine's choice: restore the keyset's.
        users.sort_unstable_by_key(|user| user.0);
        if (users.len() as u64) < EXPORT_BATCH_USERS {
            self.done = true;
        }
        let Some(last) = users.last() else {
            return Ok(Vec::new());
        };
        self.after_id = last.0;
        Ok(users
            .into_iter()
            .map(|user| {
                let BatchUser(
                    id,
                    first_name,
                    last_name,
                    channel,
                    external_id,
                    email,
                    phone,
                    sessions,
                    messages_sent,
                    clicks,
                    time_spent_secs,
                    average_sentiment,
                    last_message_at,
                    created_at,
                    tags,
                    attributes,
                ) = user;
                let average_sentiment = average_sentiment.and_then(|text| text.parse().ok());
                let mut tags = tags.unwrap_or_default();
                // By folded name, then name: the order the app shows.
                tags.sort_unstable();
                ExportUser {
                    id,
                    first_name,
                    last_name,
                    channel,
                    external_id,
                    email,
                    phone,
                    sessions,
                    messages_sent,
                    clicks,
                    time_spent_secs,
                    average_sentiment,
                    last_message_at,
                    created_at,
                    tags: tags.into_iter().map(|(_, name)| name).collect(),
                    attributes: attributes.unwrap_or_default().into_iter().collect(),
                }
            })
            .collect())
    }

    /// Ends the snapshot.
    pub async fn close(self) -> Result<(), StoreError> {
        self.transaction.rollback().await?;
        Ok(())
    }
}

async fn export_file_row(
    db: &impl ConnectionTrait,
    bot: BotScope,
    id: i64,
) -> Result<ExportFile, StoreError> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT j.status, e.file_key, e.file_name, e.bytes_written, e.expired_at FROM jobs j JOIN exports e ON e.job_id = j.id WHERE j.id = ")
        .bind(id)
        .push(" AND j.bot_id = ")
        .bind(bot.bot_id);
    let row = FileRow::find_by_statement(sql.build())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(ExportFile {
        status: JobStatus::parse(&row.status).unwrap_or(JobStatus::Failed),
        key: row.file_key,
        file_name: row.file_name,
        bytes: u64::try_from(row.bytes_written).unwrap_or(0),
        expired: row.expired_at.is_some(),
    })
}

async fn returned_id(db: &impl ConnectionTrait, sql: Sql) -> Result<i64, StoreError> {
    IdRow::find_by_statement(sql.build())
        .one(db)
        .await?
        .map(|row| row.id)
        .ok_or_else(|| {
            StoreError::Database(sea_orm::DbErr::Custom(
                "an insert returned no id".to_owned(),
            ))
        })
}
