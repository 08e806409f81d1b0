//! Bulk actions on a selection of a bot's users, and counting a selection.
//!
//! A bulk action is one write transaction of set-based statements (one per action kind,
//! or per attribute key; never one per user) plus its audit entry: it happens whole or
//! not at all. Inside the transaction and before the change, one query counts the users
//! the selection holds and those the action will change (a user who already has every
//! tag to add, every attribute value to set, or none of the tags or keys to remove is
//! selected but not changed), so the counts, the change and the audit entry agree.

use cohort_core::api::BulkResult;
use cohort_core::bulk::{CheckedAction, CheckedSelection};
use cohort_core::text::fold;
use cohort_core::time::Micros;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use crate::sql::{Sql, TagIds, UPSERT_ATTRIBUTE, push_filter, users_source};
use crate::users::{count_matches, ensure_tags};
use crate::{BotScope, Store, StoreError};

/// Narrows `UPSERT_ATTRIBUTE` to attributes whose value differs, so that setting a value
/// a user already has writes nothing (no new row version, no dead tuple on PostgreSQL).
/// `value` is the exact text (case-sensitive); its folded and numeric forms follow from it.
const ONLY_IF_DIFFERENT: &str = " WHERE user_attributes.value <> excluded.value";

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
        let tags = selection_tags(&self.db, bot, selection).await?;
        count_selected(&self.db, bot, selection, now, &tags).await
    }

    /// Applies `action` to every selected user, all or nothing, and records it in the
    /// audit log with the number of users it changed. Returns how many users it changed
    /// and how many the selection held. An attempt that loses a race with another write
    /// (a deadlock with ingestion, say) runs again (`Store::retrying`).
    pub async fn bulk(
        &self,
        bot: BotScope,
        selection: &CheckedSelection,
        action: &CheckedAction,
        audit: &AuditRecord,
        now: Micros,
    ) -> Result<BulkResult, StoreError> {
        let result = self
            .retrying(move || self.bulk_once(bot, selection, action, audit, now))
            .await?;
        self.note_changed_rows(result.affected);
        Ok(result)
    }

    /// One attempt of `bulk`, in one write transaction.
    async fn bulk_once(
        &self,
        bot: BotScope,
        selection: &CheckedSelection,
        action: &CheckedAction,
        audit: &AuditRecord,
        now: Micros,
    ) -> Result<BulkResult, StoreError> {
        let (_turn, transaction) = self.begin_write().await?;
        let backend = transaction.get_database_backend();
        let source = selection_source(selection);
        // Looked up before `AddTags` makes its tags: a tag made here holds no users yet,
        // which is what a filter naming it then finds either way.
        let named = selection_tags(&transaction, bot, selection).await?;
        let named = &named;
        let result = match action {
            CheckedAction::AddTags(tags) => {
                ensure_tags(&transaction, bot, tags, now).await?;
                let folded = folded_tags(tags);
                // Every tag exists now: changed are the users lacking one of them.
                let result = count_changes(&transaction, bot, selection, now, named, |sql| {
                    sql.push("EXISTS (SELECT 1 FROM tags t WHERE t.bot_id = ")
                        .bind(bot.bot_id)
                        .push(" AND t.name_folded IN ")
                        .bind_list(&folded)
                        .push(" AND NOT EXISTS (SELECT 1 FROM user_tags ut WHERE ut.user_id = u.id AND ut.tag_id = t.id))");
                })
                .await?;
                let mut sql = Sql::new(backend);
                sql.push("INSERT INTO user_tags (user_id, tag_id) SELECT u.id, t.id FROM ")
                    .push(source)
                    .push(" u CROSS JOIN (SELECT id FROM tags WHERE bot_id = ")
                    .bind(bot.bot_id)
                    .push(" AND name_folded IN ")
                    .bind_list(&folded)
                    .push(") t WHERE ");
                push_selected(&mut sql, bot, selection, now, named);
                sql.push(" ON CONFLICT DO NOTHING");
                transaction.execute_raw(sql.build()).await?;
                result
            }
            CheckedAction::RemoveTags(tags) => {
                let folded = folded_tags(tags);
                let result = count_changes(&transaction, bot, selection, now, named, |sql| {
                    sql.push("EXISTS (SELECT 1 FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE ut.user_id = u.id AND t.bot_id = ")
                        .bind(bot.bot_id)
                        .push(" AND t.name_folded IN ")
                        .bind_list(&folded)
                        .push(")");
                })
                .await?;
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
                push_selected(&mut sql, bot, selection, now, named);
                sql.push(")");
                transaction.execute_raw(sql.build()).await?;
                result
            }
            CheckedAction::SetAttributes(attributes) => {
                // Changed are the users missing one of the keys or holding another value,
                // exactly the rows the upsert below inserts or updates.
                let result = count_changes(&transaction, bot, selection, now, named, |sql| {
                    sql.push("(");
                    for (index, (key, value)) in attributes.iter().enumerate() {
                        if index > 0 {
                            sql.push(" OR ");
                        }
                        sql.push("NOT EXISTS (SELECT 1 FROM user_attributes a WHERE a.user_id = u.id AND a.key = ")
                            .bind(key.clone())
                            .push(" AND a.value = ")
                            .bind(value.value.clone())
                            .push(")");
                    }
                    sql.push(")");
                })
                .await?;
                for (key, value) in attributes {
                    let mut sql = Sql::new(backend);
                    sql.push("INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded, value_number) SELECT u.id, u.bot_id, ")
                        .bind(key.clone())
                        .push(", ")
                        .bind_attribute(value)
                        .push(" FROM ")
                        .push(source)
                        .push(" u WHERE ");
                    push_selected(&mut sql, bot, selection, now, named);
                    sql.push(UPSERT_ATTRIBUTE).push(ONLY_IF_DIFFERENT);
                    transaction.execute_raw(sql.build()).await?;
                }
                result
            }
            CheckedAction::RemoveAttributes(keys) => {
                let result = count_changes(&transaction, bot, selection, now, named, |sql| {
                    sql.push(
                        "EXISTS (SELECT 1 FROM user_attributes a WHERE a.user_id = u.id AND a.key IN ",
                    )
                    .bind_list(keys)
                    .push(")");
                })
                .await?;
                let mut sql = Sql::new(backend);
                sql.push("DELETE FROM user_attributes WHERE bot_id = ")
                    .bind(bot.bot_id)
                    .push(" AND key IN ")
                    .bind_list(keys)
                    .push(" AND user_id IN (SELECT u.id FROM ")
                    .push(source)
                    .push(" u WHERE ");
                push_selected(&mut sql, bot, selection, now, named);
                sql.push(")");
                transaction.execute_raw(sql.build()).await?;
                result
            }
            CheckedAction::Delete { confirm } => {
                let selected = count_selected(&transaction, bot, selection, now, named).await?;
                if *confirm != selected {
                    return Err(StoreError::ConfirmMismatch {
                        actual: selected,
                        confirm: *confirm,
                    });
                }
                let mut sql = Sql::new(backend);
                sql.push("DELETE FROM users WHERE id IN (SELECT u.id FROM ")
                    .push(source)
                    .push(" u WHERE ");
                push_selected(&mut sql, bot, selection, now, named);
                sql.push(")");
                transaction.execute_raw(sql.build()).await?;
                BulkResult {
                    affected: selected,
                    selected,
                }
            }
        };
        record(&transaction, bot, audit, result.affected, now).await?;
        transaction.commit().await?;
        Ok(result)
    }
}

/// The tags' folded names, as `tags.name_folded` holds them.
fn folded_tags(tags: &[String]) -> Vec<String> {
    let mut folded: Vec<String> = tags.iter().map(|tag| fold(tag)).collect();
    folded.sort();
    folded.dedup();
    folded
}

/// The ids of the tags a selection's filter names (`TagIds::resolve`).
pub(crate) async fn selection_tags(
    db: &impl ConnectionTrait,
    bot: BotScope,
    selection: &CheckedSelection,
) -> Result<TagIds, StoreError> {
    match selection {
        CheckedSelection::Ids(_) => Ok(TagIds::default()),
        CheckedSelection::Filter { filter, .. } => TagIds::resolve(db, bot.bot_id, filter).await,
    }
}

/// How many users the selection holds, with its tags looked up (`selection_tags`). A
/// filter is counted as the Users list counts it (`users::count_matches`: the bot's user
/// count for everyone, one condition in its own table), less the excepted ids it matches.
pub(crate) async fn count_selected(
    db: &impl ConnectionTrait,
    bot: BotScope,
    selection: &CheckedSelection,
    now: Micros,
    tags: &TagIds,
) -> Result<u64, StoreError> {
    if let CheckedSelection::Filter { filter, except } = selection {
        let matches = count_matches(db, bot, filter, now, tags).await?.total;
        if except.is_empty() {
            return Ok(matches);
        }
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT COUNT(*) AS count FROM ")
            .push(users_source(filter))
            .push(" u WHERE u.bot_id = ")
            .bind(bot.bot_id)
            .push(" AND u.id IN ")
            .bind_list(except)
            .push(" AND ");
        push_filter(&mut sql, filter, bot.bot_id, now, tags);
        let excepted = sql.count(db).await?;
        return Ok(matches.saturating_sub(excepted));
    }
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS count FROM ")
        .push(selection_source(selection))
        .push(" u WHERE ");
    push_selected(&mut sql, bot, selection, now, tags);
    sql.count(db).await
}

#[derive(FromQueryResult)]
struct ChangesRow {
    selected: i64,
    changed: i64,
}

/// Counts, in one query, the selected users and those of them for whom `push_changes`
/// (a boolean expression over `u`, never NULL) holds: the users the action will change.
async fn count_changes(
    db: &impl ConnectionTrait,
    bot: BotScope,
    selection: &CheckedSelection,
    now: Micros,
    tags: &TagIds,
    push_changes: impl FnOnce(&mut Sql),
) -> Result<BulkResult, StoreError> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS selected, COALESCE(SUM(CASE WHEN ");
    push_changes(&mut sql);
    sql.push(" THEN 1 ELSE 0 END), 0) AS changed FROM ")
        .push(selection_source(selection))
        .push(" u WHERE ");
    push_selected(&mut sql, bot, selection, now, tags);
    let row = ChangesRow::find_by_statement(sql.build()).one(db).await?;
    let (selected, changed) = row.map_or((0, 0), |row| (row.selected, row.changed));
    Ok(BulkResult {
        affected: u64::try_from(changed).unwrap_or(0),
        selected: u64::try_from(selected).unwrap_or(0),
    })
}

/// The relation the selection reads as `u` (see `users_source`).
pub(crate) fn selection_source(selection: &CheckedSelection) -> &'static str {
    match selection {
        CheckedSelection::Ids(_) => "users",
        CheckedSelection::Filter { filter, .. } => users_source(filter),
    }
}

/// Appends the condition that holds for exactly the selected users of the bot (`u`, read
/// from `selection_source`), with the ids of the tags its filter names (`selection_tags`).
pub(crate) fn push_selected(
    sql: &mut Sql,
    bot: BotScope,
    selection: &CheckedSelection,
    now: Micros,
    tags: &TagIds,
) {
    sql.push("u.bot_id = ").bind(bot.bot_id).push(" AND ");
    match selection {
        CheckedSelection::Ids(ids) if ids.is_empty() => {
            sql.push("1=0");
        }
        CheckedSelection::Ids(ids) => {
            sql.push("u.id IN ").bind_list(ids);
        }
        CheckedSelection::Filter { filter, except } => {
            push_filter(sql, filter, bot.bot_id, now, tags);
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
    now: Micros,
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
        .bind(now)
        .push(")");
    transaction.execute_raw(sql.build()).await?;
    Ok(())
}
