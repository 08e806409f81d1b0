//! Bulk actions on a selection of a bot's users, and counting a selection.
//!
//! A bulk action is one write transaction of set-based statements (one per action kind,
//! or per attribute key; never one per user) plus its audit entry: it happens whole or
//! not at all. The selection is evaluated inside the transaction, so the count, the
//! change and the audit entry agree.

use chrono::Utc;
use cohort_core::bulk::{CheckedAction, CheckedSelection};
use cohort_core::text::fold;
use cohort_core::time::{Micros, to_micros};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use crate::sql::{Sql, UPSERT_ATTRIBUTE, push_filter, users_source};
use crate::users::ensure_tags;
use crate::{BotScope, Store, StoreError};

/// What the audit log records about a bulk action, as the caller gave it.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    /// Who: `token:<id>` or `admin:<email>`.
    pub actor: String,
    /// The action as requested.
    pub details: serde_json::Value,
    /// The selection as given.
    pub selection: serde_json::Value,
}

impl Store {
    /// How many of the bot's users the selection holds now.
    pub async fn count_selection(
        &self,
        bot: BotScope,
        selection: &CheckedSelection,
        now: Micros,
    ) -> Result<u64, StoreError> {
        count_selected(&self.db, bot, selection, now).await
    }

    /// Applies `action` to every selected user, all or nothing, and records it in the
    /// audit log. Returns how many users the selection held.
    pub async fn bulk(
        &self,
        bot: BotScope,
        selection: &CheckedSelection,
        action: &CheckedAction,
        audit: &AuditRecord,
        now: Micros,
    ) -> Result<u64, StoreError> {
        let transaction = self.begin_write().await?;
        let affected = count_selected(&transaction, bot, selection, now).await?;
        let backend = transaction.get_database_backend();
        let source = selection_source(selection);
        match action {
            CheckedAction::AddTags(tags) => {
                ensure_tags(&transaction, bot, tags, to_micros(Utc::now())).await?;
                let folded: Vec<String> = tags.iter().map(|tag| fold(tag)).collect();
                let mut sql = Sql::new(backend);
                sql.push("INSERT INTO user_tags (user_id, tag_id) SELECT u.id, t.id FROM ")
                    .push(source)
                    .push(" u CROSS JOIN (SELECT id FROM tags WHERE bot_id = ")
                    .bind(bot.bot_id)
                    .push(" AND name_folded IN ")
                    .bind_list(&folded)
                    .push(") t WHERE ");
                push_selected(&mut sql, bot, selection, now);
                sql.push(" ON CONFLICT DO NOTHING");
                transaction.execute_raw(sql.build()).await?;
            }
            CheckedAction::RemoveTags(tags) => {
                let folded: Vec<String> = tags.iter().map(|tag| fold(tag)).collect();
                let mut sql = Sql::new(backend);
                sql.push(
                    "DELETE FROM user_tags WHERE tag_id IN (SELECT id FROM tags WHERE bot_id = ",
                )
                .bind(bot.bot_id)
                .push(" AND name_folded IN ")
                .bind_list(&folded)
                .push(") AND user_id IN (SELECT u.id FROM ")
                .push(source)
                .push(" u WHERE ");
                push_selected(&mut sql, bot, selection, now);
                sql.push(")");
                transaction.execute_raw(sql.build()).await?;
            }
            CheckedAction::SetAttributes(attributes) => {
                for (key, value) in attributes {
                    let mut sql = Sql::new(backend);
                    sql.push("INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded, value_number) SELECT u.id, u.bot_id, ")
                        .bind(key.clone())
                        .push(", ")
                        .bind_attribute(value)
                        .push(" FROM ")
                        .push(source)
                        .push(" u WHERE ");
                    push_selected(&mut sql, bot, selection, now);
                    sql.push(UPSERT_ATTRIBUTE);
                    transaction.execute_raw(sql.build()).await?;
                }
            }
            CheckedAction::RemoveAttributes(keys) => {
                let mut sql = Sql::new(backend);
                sql.push("DELETE FROM user_attributes WHERE bot_id = ")
                    .bind(bot.bot_id)
                    .push(" AND key IN ")
                    .bind_list(keys)
                    .push(" AND user_id IN (SELECT u.id FROM ")
                    .push(source)
                    .push(" u WHERE ");
                push_selected(&mut sql, bot, selection, now);
                sql.push(")");
                transaction.execute_raw(sql.build()).await?;
            }
            CheckedAction::Delete { confirm } => {
                if *confirm != affected {
                    return Err(StoreError::ConfirmMismatch {
                        actual: affected,
                        confirm: *confirm,
                    });
                }
                let mut sql = Sql::new(backend);
                sql.push("DELETE FROM users WHERE id IN (SELECT u.id FROM ")
                    .push(source)
                    .push(" u WHERE ");
                push_selected(&mut sql, bot, selection, now);
                sql.push(")");
                transaction.execute_raw(sql.build()).await?;
            }
        }
        record(&transaction, bot, audit, affected).await?;
        transaction.commit().await?;
        Ok(affected)
    }
}

async fn count_selected(
    db: &impl ConnectionTrait,
    bot: BotScope,
    selection: &CheckedSelection,
    now: Micros,
) -> Result<u64, StoreError> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS count FROM ")
        .push(selection_source(selection))
        .push(" u WHERE ");
    push_selected(&mut sql, bot, selection, now);
    sql.count(db).await
}

/// The relation the selection reads as `u` (see `users_source`).
fn selection_source(selection: &CheckedSelection) -> &'static str {
    match selection {
        CheckedSelection::Ids(_) => "users",
        CheckedSelection::Filter { filter, .. } => users_source(filter),
    }
}

/// Appends the condition that holds for exactly the selected users of the bot (`u`, read
/// from `selection_source`).
fn push_selected(sql: &mut Sql, bot: BotScope, selection: &CheckedSelection, now: Micros) {
    sql.push("u.bot_id = ").bind(bot.bot_id).push(" AND ");
    match selection {
        CheckedSelection::Ids(ids) if ids.is_empty() => {
            sql.push("1=0");
        }
        CheckedSelection::Ids(ids) => {
            sql.push("u.id IN ").bind_list(ids);
        }
        CheckedSelection::Filter { filter, except } => {
            push_filter(sql, filter, bot.bot_id, now);
            if !except.is_empty() {
                sql.push(" AND u.id NOT IN ").bind_list(except);
            }
        }
    }
}

async fn record(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    audit: &AuditRecord,
    affected: u64,
) -> Result<(), StoreError> {
    let action = audit
        .details
        .get("type")
        .and_then(|kind| kind.as_str())
        .unwrap_or("unknown")
        .to_owned();
    let mut sql = Sql::new(transaction.get_database_backend());
    sql.push("INSERT INTO audit_log (bot_id, actor, action, details, selection, affected, created_at) VALUES (")
        .bind(bot.bot_id)
        .push(", ")
        .bind(audit.actor.clone())
        .push(", ")
        .bind(action)
        .push(", ")
        .bind(audit.details.to_string())
        .push(", ")
        .bind(audit.selection.to_string())
        .push(", ")
        .bind(affected as i64)
        .push(", ")
        .bind(to_micros(Utc::now()))
        .push(")");
    transaction.execute_raw(sql.build()).await?;
    Ok(())
}
