//! Writing one user: create-or-update by `(channel, external_id)`, and patching. Each is
//! one write transaction: the user row, the folded copies, tags and attributes change
//! together or not at all.

use std::collections::BTreeMap;

use cohort_core::api::User;
use cohort_core::text::{fold, fold_non_empty};
use cohort_core::time::Micros;
use cohort_core::users::{AttributeValue, CheckedChanges, CheckedUpsert, Profile};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use super::load_user;
use crate::sql::{Sql, UPSERT_ATTRIBUTE};
use crate::{BotScope, Store, StoreError, parse_id};

#[derive(FromQueryResult)]
struct IdRow {
    id: i64,
}

impl Store {
    /// Creates the user with this `(channel, external_id)` in the bot, or updates it
    /// (checked by `cohort_core::users::check_upsert_user`), at `now`. Returns the user and
    /// whether it was created.
    pub async fn upsert_user(
        &self,
        bot: BotScope,
        request: &CheckedUpsert,
        now: Micros,
    ) -> Result<(User, bool), StoreError> {
        let (_turn, transaction) = self.begin_write().await?;
        let (id, created) = insert_or_find(
            &transaction,
            bot,
            &request.channel,
            &request.external_id,
            now,
        )
        .await?;
        let user = apply_changes(&transaction, bot, id, &request.changes, now).await?;
        transaction.commit().await?;
        self.note_changed_rows(1);
        Ok((user, created))
    }

    /// Changes one user's particulars, tags and attributes (checked by
    /// `cohort_core::users::check_update_user`) at `now`.
    pub async fn update_user(
        &self,
        bot: BotScope,
        user_id: &str,
        changes: &CheckedChanges,
        now: Micros,
    ) -> Result<User, StoreError> {
        let id = parse_id(user_id)?;
        let (_turn, transaction) = self.begin_write().await?;
        let user = apply_changes(&transaction, bot, id, changes, now).await?;
        transaction.commit().await?;
        Ok(user)
    }
}

/// Inserts a bare user row, or finds the existing one; `true` when inserted.
async fn insert_or_find(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    channel: &str,
    external_id: &str,
    now: i64,
) -> Result<(i64, bool), StoreError> {
    let mut sql = Sql::new(transaction.get_database_backend());
    sql.push("INSERT INTO users (bot_id, channel, external_id, external_id_folded, created_at, updated_at) VALUES (")
        .bind(bot.bot_id)
        .push(", ")
        .bind(channel.to_owned())
        .push(", ")
        .bind(external_id.to_owned())
        .push(", ")
        .bind(fold_non_empty(external_id))
        .push(", ")
        .bind(now)
        .push(", ")
        .bind(now)
        .push(") ON CONFLICT (bot_id, channel, external_id) DO NOTHING RETURNING id");
    if let Some(row) = IdRow::find_by_statement(sql.build())
        .one(transaction)
        .await?
    {
        return Ok((row.id, true));
    }
    let mut sql = Sql::new(transaction.get_database_backend());
    sql.push("SELECT id FROM users WHERE bot_id = ")
        .bind(bot.bot_id)
        .push(" AND channel = ")
        .bind(channel.to_owned())
        .push(" AND external_id = ")
        .bind(external_id.to_owned());
    let row = IdRow::find_by_statement(sql.build())
        .one(transaction)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((row.id, false))
}

/// Applies checked changes to user `id` of `bot` and returns the user as stored; not found
/// when it is not the bot's. Changes that alter nothing (`CheckedChanges::alter`) write
/// nothing, so `updated_at` moves only when the user does.
async fn apply_changes(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    id: i64,
    changes: &CheckedChanges,
    now: i64,
) -> Result<User, StoreError> {
    let before = load_user(transaction, bot, id).await?;
    if !changes.alter(&before) {
        return Ok(before);
    }
    let backend = transaction.get_database_backend();
    let profile = Profile::of(&before).with(changes);
    let [
        first_name_folded,
        last_name_folded,
        name_folded,
        email_folded,
    ] = profile.folded();
    let mut sql = Sql::new(backend);
    sql.push("UPDATE users SET first_name = ")
        .bind(profile.first_name.clone());
    sql.push(", last_name = ").bind(profile.last_name.clone());
    sql.push(", email = ").bind(profile.email.clone());
    sql.push(", phone = ").bind(profile.phone.clone());
    sql.push(", locale = ").bind(profile.locale.clone());
    sql.push(", timezone = ").bind(profile.timezone.clone());
    sql.push(", avatar_url = ").bind(profile.avatar_url.clone());
    sql.push(", notes = ").bind(profile.notes.clone());
    sql.push(", first_name_folded = ").bind(first_name_folded);
    sql.push(", last_name_folded = ").bind(last_name_folded);
    sql.push(", name_folded = ").bind(name_folded);
    sql.push(", email_folded = ").bind(email_folded);
    sql.push(", updated_at = ").bind(now);
    sql.push(" WHERE id = ").bind(id);
    transaction.execute_raw(sql.build()).await?;

    if let Some(tags) = &changes.tags {
        replace_tags(transaction, bot, id, tags, now).await?;
    }
    set_attributes(transaction, bot, id, &changes.attributes).await?;
    load_user(transaction, bot, id).await
}

/// Makes sure the bot has these tags (first spelling wins) and returns nothing.
pub(crate) async fn ensure_tags(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    tags: &[String],
    now: i64,
) -> Result<(), StoreError> {
    if tags.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(transaction.get_database_backend());
    sql.push("INSERT INTO tags (bot_id, name, name_folded, created_at) VALUES ");
    for (index, tag) in tags.iter().enumerate() {
        if index > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(bot.bot_id)
            .push(", ")
            .bind(tag.clone())
            .push(", ")
            .bind(fold(tag))
            .push(", ")
            .bind(now)
            .push(")");
    }
    sql.push(" ON CONFLICT (bot_id, name_folded) DO NOTHING");
    transaction.execute_raw(sql.build()).await?;
    Ok(())
}

async fn replace_tags(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    id: i64,
    tags: &[String],
    now: i64,
) -> Result<(), StoreError> {
    let backend = transaction.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push("DELETE FROM user_tags WHERE user_id = ").bind(id);
    transaction.execute_raw(sql.build()).await?;
    if tags.is_empty() {
        return Ok(());
    }
    ensure_tags(transaction, bot, tags, now).await?;
    let folded: Vec<String> = tags.iter().map(|tag| fold(tag)).collect();
    let mut sql = Sql::new(backend);
    sql.push("INSERT INTO user_tags (user_id, tag_id) SELECT ")
        .bind(id)
        .push(", t.id FROM tags t WHERE t.bot_id = ")
        .bind(bot.bot_id)
        .push(" AND t.name_folded IN ")
        .bind_list(&folded);
    transaction.execute_raw(sql.build()).await?;
    Ok(())
}

async fn set_attributes(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    id: i64,
    attributes: &BTreeMap<String, Option<String>>,
) -> Result<(), StoreError> {
    let backend = transaction.get_database_backend();
    let removed: Vec<String> = attributes
        .iter()
        .filter(|(_, value)| value.is_none())
        .map(|(key, _)| key.clone())
        .collect();
    if !removed.is_empty() {
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM user_attributes WHERE user_id = ")
            .bind(id)
            .push(" AND key IN ")
            .bind_list(&removed);
        transaction.execute_raw(sql.build()).await?;
    }
    let set: Vec<(&String, AttributeValue)> = attributes
        .iter()
        .filter_map(|(key, value)| {
            value
                .as_deref()
                .map(|value| (key, AttributeValue::new(value)))
        })
        .collect();
    if set.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(backend);
    sql.push("INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded, value_number) VALUES ");
    for (index, (key, value)) in set.iter().enumerate() {
        if index > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(id)
            .push(", ")
            .bind(bot.bot_id)
            .push(", ")
            .bind((*key).clone())
            .push(", ")
            .bind_attribute(value)
            .push(")");
    }
    sql.push(UPSERT_ATTRIBUTE);
    transaction.execute_raw(sql.build()).await?;
    Ok(())
}
