//! Ingesting channel events and reading a user's messages.
//!
//! A batch is one write transaction: users are created for unknown `(channel,
//! external_id)`, names updated, events inserted with `ON CONFLICT DO NOTHING` on the
//! per-bot event id (so a redelivered event counts once, also when two deliveries race),
//! and the stats of every touched user updated from the new events, incrementally when
//! they are not older than the user's latest event, else rebuilt from the user's log.

use std::collections::{BTreeMap, HashMap, HashSet};

use cohort_core::api::{Message, MessagePage};
use cohort_core::events::{CheckedEvent, CheckedEventKind};
use cohort_core::sentiment;
use cohort_core::sessions::{Event, EventKind, Stats};
use cohort_core::sort::MessageCursor;
use cohort_core::text::fold_non_empty;
use cohort_core::time::{Micros, from_micros};
use cohort_core::users::{CheckedChanges, Profile};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use crate::sql::Sql;
use crate::stats::{events_of_users, lock_stats, save_stats_many};
use crate::{BotScope, Store, StoreError, parse_id};

/// Rows per multi-row statement: 500 events of 9 values, or users of 11, stay far under
/// both engines' bind limits (32,766 for SQLite, 65,535 for PostgreSQL).
const INSERT_CHUNK: usize = 500;

#[derive(FromQueryResult)]
struct KeyRow {
    event_key: String,
}

/// A user as ingestion looks them up: the key and the names events may change.
#[derive(FromQueryResult)]
struct NamesRow {
    id: i64,
    channel: String,
    external_id: String,
    first_name: String,
    last_name: String,
}

#[derive(FromQueryResult)]
struct TimeoutRow {
    session_timeout_secs: i64,
}

#[derive(FromQueryResult)]
struct MessageRow {
    id: i64,
    event_key: String,
    text: Option<String>,
    sentiment: Option<i32>,
    at: i64,
}

impl Store {
    /// Stores a checked batch of events; returns `(accepted, duplicates)`. A batch that
    /// loses a race with another write (a deadlock, or a bulk delete of one of its users
    /// committing between the lookup and the insert) runs again from the start, a few
    /// times (`Store::retrying`); an event from a user deleted meanwhile creates them anew.
    pub async fn ingest(
        &self,
        bot: BotScope,
        events: &[CheckedEvent],
        now: Micros,
    ) -> Result<(u64, u64), StoreError> {
        let (accepted, duplicates) = self
            .retrying(move || self.ingest_once(bot, events, now))
            .await?;
        self.note_changed_rows(accepted);
        Ok((accepted, duplicates))
    }

    /// One attempt of `ingest`, in one write transaction.
    async fn ingest_once(
        &self,
        bot: BotScope,
        events: &[CheckedEvent],
        now: Micros,
    ) -> Result<(u64, u64), StoreError> {
        // The first of several events with one id wins, as a redelivery would.
        let mut seen = HashSet::new();
        let unique: Vec<&CheckedEvent> = events
            .iter()
            .filter(|event| seen.insert(event.key.as_str()))
            .collect();

        let (_turn, transaction) = self.begin_write().await?;
        let backend = transaction.get_database_backend();
        let mut sql = Sql::new(backend);
        sql.push("SELECT session_timeout_secs FROM bots WHERE id = ")
            .bind(bot.bot_id);
        let timeout = TimeoutRow::find_by_statement(sql.build())
            .one(&transaction)
            .await?
            .ok_or(StoreError::NotFound)?
            .session_timeout_secs;

        // An event id seen before is ignored whole (PRODUCT.md): a redelivery neither
        // renames its user nor creates one. Two deliveries of a new id racing each other
        // both pass here, carry the same names, and `insert_events` keeps one.
        let known = known_event_keys(&transaction, bot, &unique).await?;
        let fresh: Vec<&CheckedEvent> = unique
            .into_iter()
            .filter(|event| !known.contains(event.key.as_str()))
            .collect();

        let users = ensure_users(&transaction, bot, &fresh, now).await?;
        let inserted = insert_events(&transaction, bot, &fresh, &users, now).await?;

        // New events per user, in time order.
        let mut per_user: BTreeMap<i64, Vec<Event>> = BTreeMap::new();
        for event in fresh
            .iter()
            .filter(|event| inserted.contains(event.key.as_str()))
        {
            let Some(&user_id) = users.get(&(event.channel.clone(), event.external_id.clone()))
            else {
                continue;
            };
            let kind = match event.kind {
                CheckedEventKind::Message { sentiment, .. } => EventKind::Message { sentiment },
                CheckedEventKind::Click { .. } => EventKind::Click,
            };
            per_user
                .entry(user_id)
                .or_default()
                .push(Event { at: event.at, kind });
        }
        let ids: Vec<i64> = per_user.keys().copied().collect();
        let mut updated = Vec::with_capacity(ids.len());
        let mut late = Vec::new();
        for row in lock_stats(&transaction, &ids).await? {
            let Some(new_events) = per_user.get_mut(&row.user_id) else {
                continue;
            };
            new_events.sort_by_key(|event| event.at);
            let mut stats = row.stats();
            if new_events
                .iter()
                .all(|event| stats.apply(*event, timeout).is_ok())
            {
                updated.push((row.user_id, stats));
            } else {
                late.push(row.user_id);
            }
        }
        // A user with an event older than their latest is rebuilt from the whole log,
        // which holds this batch's events already; one query for all such users.
        let mut logs: HashMap<i64, Vec<Event>> = HashMap::new();
        for (user_id, event) in events_of_users(&transaction, &late).await? {
            logs.entry(user_id).or_default().push(event);
        }
        for user_id in late {
            let log = logs.get(&user_id).map_or(&[][..], Vec::as_slice);
            updated.push((user_id, Stats::rebuild(log, timeout)));
        }
        save_stats_many(&transaction, &updated).await?;
        transaction.commit().await?;
        let accepted = inserted.len() as u64;
        Ok((accepted, events.len() as u64 - accepted))
    }

    /// A page of one user's messages, newest first.
    pub async fn list_messages(
        &self,
        bot: BotScope,
        user_id: &str,
        limit: u64,
        cursor: Option<MessageCursor>,
    ) -> Result<MessagePage, StoreError> {
        let user_id = parse_id(user_id)?;
        // The user must be the bot's; `load_user` answers not found otherwise.
        crate::users::load_user(&self.db, bot, user_id).await?;
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT id, event_key, text, sentiment, at FROM events WHERE user_id = ")
            .bind(user_id)
            .push(" AND kind = 'message'");
        if let Some(cursor) = cursor {
            sql.push(" AND (at < ")
                .bind(cursor.at)
                .push(" OR (at = ")
                .bind(cursor.at)
                .push(" AND id < ")
                .bind(cursor.id)
                .push("))");
        }
        sql.push(" ORDER BY at DESC, id DESC LIMIT ")
            .bind(limit as i64 + 1);
        let mut rows = MessageRow::find_by_statement(sql.build())
            .all(&self.db)
            .await?;
        let has_more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = rows.last().filter(|_| has_more).map(|row| {
            MessageCursor {
                at: row.at,
                id: row.id,
            }
            .encode()
        });

        let mut sql = Sql::new(self.backend());
        sql.push("SELECT COUNT(*) AS count FROM events WHERE user_id = ")
            .bind(user_id)
            .push(" AND kind = 'message'");
        let total = sql.count(&self.db).await?;
        let data = rows
            .into_iter()
            .map(|row| {
                let score = f64::from(row.sentiment.unwrap_or_default()) / 10_000.0;
                Message {
                    id: row.event_key,
                    text: row.text.unwrap_or_default(),
                    sentiment: score,
                    label: sentiment::label_for(score),
                    at: from_micros(row.at),
                }
            })
            .collect();
        Ok(MessagePage {
            data,
            next_cursor,
            total,
        })
    }
}

/// A user as a channel names them: `(channel, external_id)`.
type UserKey = (String, String);

/// The latest first and last names a batch gives for a user, and the time they were given.
type NamesSeen<'a> = (Option<&'a str>, Option<&'a str>, i64);

/// Creates users the batch names that do not exist yet (their stats rows come with them),
/// applies names the events carry, and returns every named user's id keyed by `(channel,
/// external_id)`.
async fn ensure_users(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    events: &[&CheckedEvent],
    now: i64,
) -> Result<HashMap<UserKey, i64>, StoreError> {
    let backend = transaction.get_database_backend();
    // The last names given in the batch (by event time) are the ones that stick.
    let mut keys: BTreeMap<UserKey, NamesSeen> = BTreeMap::new();
    for event in events {
        let entry = keys
            .entry((event.channel.clone(), event.external_id.clone()))
            .or_insert((None, None, i64::MIN));
        if event.at >= entry.2 && (event.first_name.is_some() || event.last_name.is_some()) {
            *entry = (
                event.first_name.as_deref().or(entry.0),
                event.last_name.as_deref().or(entry.1),
                event.at,
            );
        }
    }
    // Create the missing users, then look every user up, locking each row found against a
    // concurrent delete until this transaction ends (PostgreSQL's `FOR KEY SHARE`, which
    // name updates do not conflict with). A user a bulk delete removed between the two
    // steps is simply missing from the lookup: the next round creates them again, so no
    // event of the batch is ever left without its user (it was once counted as a
    // duplicate and lost).
    //
    // A user the batch creates is created with the names it gives (one write of the row
    // and its indexes, not an insert and then an update); the names of users who exist
    // are changed below.
    let changes: HashMap<&UserKey, CheckedChanges> = keys
        .iter()
        .filter(|(_, (first_name, last_name, _))| first_name.is_some() || last_name.is_some())
        .map(|(key, (first_name, last_name, _))| (key, name_changes(*first_name, *last_name)))
        .collect();
    let mut users: HashMap<UserKey, NamesRow> = HashMap::new();
    let mut missing: Vec<&UserKey> = keys.keys().collect();
    for _round in 0..MAX_LOOKUP_ROUNDS {
        let new_users: Vec<(&UserKey, Profile)> = missing
            .iter()
            .map(|&key| {
                let profile = changes
                    .get(key)
                    .map(|changes| Profile::default().with(changes))
                    .unwrap_or_default();
                (key, profile)
            })
            .collect();
        insert_users(transaction, bot, &new_users, now).await?;
        for row in look_up_users(transaction, bot, &missing).await? {
            users.insert((row.channel.clone(), row.external_id.clone()), row);
        }
        missing.retain(|key| !users.contains_key(*key));
        if missing.is_empty() {
            break;
        }
    }
    if !missing.is_empty() {
        return Err(StoreError::LostRace(format!(
            "{} users of the batch were deleted as often as they were created",
            missing.len()
        )));
    }
    for (key, changes) in &changes {
        let Some(row) = users.get(*key) else {
            continue;
        };
        let profile = Profile {
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            ..Profile::default()
        }
        .with(changes);
        if profile.first_name == row.first_name && profile.last_name == row.last_name {
            continue;
        }
        let [first_folded, last_folded, name_folded, _] = profile.folded();
        let mut sql = Sql::new(backend);
        sql.push("UPDATE users SET first_name = ")
            .bind(profile.first_name);
        sql.push(", last_name = ").bind(profile.last_name);
        sql.push(", first_name_folded = ").bind(first_folded);
        sql.push(", last_name_folded = ").bind(last_folded);
        sql.push(", name_folded = ").bind(name_folded);
        sql.push(", updated_at = ").bind(now);
        sql.push(" WHERE id = ").bind(row.id);
        transaction.execute_raw(sql.build()).await?;
    }
    Ok(users.into_iter().map(|(key, row)| (key, row.id)).collect())
}

/// What names an event gives change: a name given replaces the user's, an empty one
/// clears it, one not given leaves it.
fn name_changes(first_name: Option<&str>, last_name: Option<&str>) -> CheckedChanges {
    let given =
        |name: Option<&str>| name.map(|name| Some(name.to_owned()).filter(|name| !name.is_empty()));
    CheckedChanges {
        first_name: given(first_name),
        last_name: given(last_name),
        ..CheckedChanges::default()
    }
}

/// How many times `ensure_users` creates and looks up users deleted under its feet before
/// it gives up with `StoreError::LostRace` (and the transaction runs again).
const MAX_LOOKUP_ROUNDS: usize = 4;

/// Creates the users of `users` that do not exist (`ON CONFLICT DO NOTHING`), each with
/// its names.
async fn insert_users(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    users: &[(&UserKey, Profile)],
    now: i64,
) -> Result<(), StoreError> {
    let backend = transaction.get_database_backend();
    for chunk in users.chunks(INSERT_CHUNK) {
        let mut sql = Sql::new(backend);
        sql.push(
            "INSERT INTO users (bot_id, channel, external_id, external_id_folded, first_name, last_name, first_name_folded, last_name_folded, name_folded, created_at, updated_at) VALUES ",
        );
        for (index, ((channel, external_id), profile)) in chunk.iter().enumerate() {
            if index > 0 {
                sql.push(", ");
            }
            let [first_folded, last_folded, name_folded, _] = profile.folded();
            sql.push("(")
                .bind(bot.bot_id)
                .push(", ")
                .bind(channel.clone())
                .push(", ")
                .bind(external_id.clone())
                .push(", ")
                .bind(fold_non_empty(external_id));
            sql.push(", ")
                .bind(profile.first_name.clone())
                .push(", ")
                .bind(profile.last_name.clone());
            sql.push(", ")
                .bind(first_folded)
                .push(", ")
                .bind(last_folded)
                .push(", ")
                .bind(name_folded);
            sql.push(", ").bind(now).push(", ").bind(now).push(")");
        }
        sql.push(" ON CONFLICT (bot_id, channel, external_id) DO NOTHING");
        transaction.execute_raw(sql.build()).await?;
    }
    Ok(())
}

/// The users of `keys` that exist, locked against deletion on PostgreSQL.
async fn look_up_users(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    keys: &[&UserKey],
) -> Result<Vec<NamesRow>, StoreError> {
    let backend = transaction.get_database_backend();
    // Per channel, so that `(bot_id, channel, external_id)` is an index lookup however
    // many users the bot has.
    let mut by_channel: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (channel, external_id) in keys {
        by_channel
            .entry(channel.as_str())
            .or_default()
            .push(external_id.clone());
    }
    let mut rows = Vec::with_capacity(keys.len());
    for (channel, external_ids) in by_channel {
        for chunk in external_ids.chunks(INSERT_CHUNK) {
            let mut sql = Sql::new(backend);
            if backend == sea_orm::DbBackend::Postgres {
                // One index probe per wanted user (a LATERAL subquery): given the list as
                // `IN (…)` or a joined VALUES list, PostgreSQL estimated that scanning every
                // user of the channel costs less than 500 probes and did so, 13 ms a batch
                // at 50,000 users and growing with the bot, where the probes take 2 ms at
                // any size.
                sql.push("SELECT u.id, u.channel, u.external_id, u.first_name, u.last_name FROM (VALUES ");
                for (index, external_id) in chunk.iter().enumerate() {
                    if index > 0 {
                        sql.push(", ");
                    }
                    sql.push("(").bind(external_id.clone()).push(")");
                }
                sql.push(") AS wanted (external_id) CROSS JOIN LATERAL (SELECT id, channel, external_id, first_name, last_name FROM users WHERE bot_id = ")
                    .bind(bot.bot_id)
                    .push(" AND channel = ")
                    .bind(channel.to_owned())
                    .push(" AND external_id = wanted.external_id FOR KEY SHARE) u");
            } else {
                // SQLite: the write transaction holds the database's only write lock, so
                // no delete can come between.
                sql.push("SELECT u.id, u.channel, u.external_id, u.first_name, u.last_name FROM users u WHERE u.bot_id = ")
                    .bind(bot.bot_id)
                    .push(" AND u.channel = ")
                    .bind(channel.to_owned())
                    .push(" AND u.external_id IN ")
                    .bind_list(chunk);
            }
            rows.extend(
                NamesRow::find_by_statement(sql.build())
                    .all(transaction)
                    .await?,
            );
        }
    }
    Ok(rows)
}

/// The ids of `events` the bot has stored already.
async fn known_event_keys(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    events: &[&CheckedEvent],
) -> Result<HashSet<String>, StoreError> {
    let mut known = HashSet::new();
    for chunk in events.chunks(INSERT_CHUNK) {
        let keys: Vec<String> = chunk.iter().map(|event| event.key.clone()).collect();
        let mut sql = Sql::new(transaction.get_database_backend());
        sql.push("SELECT event_key FROM events WHERE bot_id = ")
            .bind(bot.bot_id)
            .push(" AND event_key IN ")
            .bind_list(&keys);
        for row in KeyRow::find_by_statement(sql.build())
            .all(transaction)
            .await?
        {
            known.insert(row.event_key);
        }
    }
    Ok(known)
}

/// Inserts the events, skipping ids the bot has seen; returns the ids inserted now.
/// Every event's user is in `users` (`ensure_users` makes sure).
async fn insert_events(
    transaction: &DatabaseTransaction,
    bot: BotScope,
    events: &[&CheckedEvent],
    users: &HashMap<UserKey, i64>,
    now: i64,
) -> Result<HashSet<String>, StoreError> {
    let backend = transaction.get_database_backend();
    // In event id order: two deliveries racing over the same ids then wait for each other
    // in one order, never each for the other (a deadlock).
    let mut events = events.to_vec();
    events.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let mut inserted = HashSet::new();
    for chunk in events.chunks(INSERT_CHUNK) {
        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO events (bot_id, user_id, event_key, kind, at, text, url, sentiment, received_at) VALUES ");
        let mut rows = 0;
        for event in chunk {
            let Some(&user_id) = users.get(&(event.channel.clone(), event.external_id.clone()))
            else {
                return Err(StoreError::Database(sea_orm::DbErr::Custom(
                    "an event's user was not looked up".to_owned(),
                )));
            };
            if rows > 0 {
                sql.push(", ");
            }
            rows += 1;
            let (kind, text, url, sentiment) = match &event.kind {
                CheckedEventKind::Message { text, sentiment } => {
                    ("message", Some(text.clone()), None, Some(*sentiment))
                }
                CheckedEventKind::Click { url } => ("click", None, Some(url.clone()), None),
            };
            sql.push("(")
                .bind(bot.bot_id)
                .push(", ")
                .bind(user_id)
                .push(", ")
                .bind(event.key.clone());
            sql.push(", ")
                .bind(kind)
                .push(", ")
                .bind(event.at)
                .push(", ")
                .bind(text)
                .push(", ")
                .bind(url);
            sql.push(", ")
                .bind(sentiment)
                .push(", ")
                .bind(now)
                .push(")");
        }
        if rows == 0 {
            continue;
        }
        sql.push(" ON CONFLICT (bot_id, event_key) DO NOTHING RETURNING event_key");
        for row in KeyRow::find_by_statement(sql.build())
            .all(transaction)
            .await?
        {
            inserted.insert(row.event_key);
        }
    }
    Ok(inserted)
}
