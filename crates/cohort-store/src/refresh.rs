//! Refresh Stats: recomputing every user of a bot from the event log, with the bot's
//! session timeout as it is now.
//!
//! The bot's users are walked in id order, `REFRESH_CHUNK_USERS` at a time. Each chunk is
//! one write transaction that locks its users' `user_stats` rows (`FOR UPDATE` on
//! PostgreSQL; SQLite's write transaction already excludes other writers), loads their
//! events in one query sorted by `(user_id, at)`, rebuilds each user's stats with the
//! core's sessioniser and writes those that changed. Ingestion that touches a user of the chunk meanwhile waits for the chunk,
//! then continues from the rebuilt stats, so no event is lost between the two. Memory is
//! bounded by one chunk: never all users or all events at once.

use cohort_core::sessions::{Event, Stats};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter};

use crate::entities::bot;
use crate::sql::Sql;
use crate::stats::{StatsRow, events_of_users, save_stats_many};
use crate::{BotScope, Store, StoreError};

/// How many users one chunk of a stats rebuild reads, recomputes and writes.
pub const REFRESH_CHUNK_USERS: u64 = 500;

impl Store {
    /// The bot's session timeout in seconds, as it is now.
    pub async fn bot_session_timeout(&self, bot: BotScope) -> Result<i64, StoreError> {
        bot::Entity::find_by_id(bot.bot_id)
            .filter(bot::Column::WorkspaceId.eq(bot.workspace_id))
            .one(&self.db)
            .await?
            .map(|model| model.session_timeout_secs)
            .ok_or(StoreError::NotFound)
    }

    /// Recomputes the stats of every user of `bot` from the event log with a session
    /// timeout of `timeout_secs`; users without events get zeroed stats. Calls
    /// `on_progress` with the share of users done (0 to 1) after each chunk. Returns how
    /// many users were recomputed.
    pub async fn rebuild_bot_stats(
        &self,
        bot: BotScope,
        timeout_secs: i64,
        mut on_progress: impl FnMut(f64) + Send,
    ) -> Result<u64, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT COUNT(*) AS count FROM user_stats WHERE bot_id = ")
            .bind(bot.bot_id);
        let total = sql.count(&self.db).await?;

        let mut done: u64 = 0;
        let mut after_id: i64 = 0;
        loop {
            let (_turn, transaction) = self.begin_write().await?;
            let users = chunk_stats(&transaction, bot, after_id).await?;
            let Some(last) = users.last() else {
                transaction.commit().await?;
                break;
            };
            after_id = last.user_id;
            let ids: Vec<i64> = users.iter().map(|user| user.user_id).collect();
            let events = events_of_users(&transaction, &ids).await?;

            let mut events = events.into_iter().peekable();
            let mut user_events: Vec<Event> = Vec::new();
            let mut changed = Vec::new();
            for user in &users {
                user_events.clear();
                while let Some((user_id, event)) = events.peek().copied() {
                    if user_id > user.user_id {
                        break;
                    }
                    if user_id == user.user_id {
                        user_events.push(event);
                    }
                    events.next();
                }
                let stats = Stats::rebuild(&user_events, timeout_secs);
                if !user.holds(&stats) {
                    changed.push((user.user_id, stats));
                }
            }
            save_stats_many(&transaction, &changed).await?;
            transaction.commit().await?;
            self.note_changed_rows(changed.len() as u64);

            done += users.len() as u64;
            on_progress(progress(done, total));
            if (users.len() as u64) < REFRESH_CHUNK_USERS {
                break;
            }
        }
        on_progress(1.0);
        Ok(done)
    }
}

/// The next chunk of the bot's stats rows after user `after_id`, in id order, locked.
async fn chunk_stats(
    db: &impl ConnectionTrait,
    bot: BotScope,
    after_id: i64,
) -> Result<Vec<StatsRow>, StoreError> {
    let backend = db.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push("SELECT * FROM user_stats WHERE bot_id = ")
        .bind(bot.bot_id)
        .push(" AND user_id > ")
        .bind(after_id)
        .push(" ORDER BY user_id LIMIT ")
        .bind(REFRESH_CHUNK_USERS as i64);
    if backend == sea_orm::DbBackend::Postgres {
        sql.push(" FOR UPDATE");
    }
    Ok(StatsRow::find_by_statement(sql.build()).all(db).await?)
}

/// The share of `total` that `done` is, at most 1 (users may be added meanwhile).
fn progress(done: u64, total: u64) -> f64 {
    if total == 0 {
        1.0
    } else {
        (done as f64 / total as f64).min(1.0)
    }
}
