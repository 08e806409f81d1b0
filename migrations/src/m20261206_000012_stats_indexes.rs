//! On SQLite, indexes on `user_stats` for every stats column the Users page sorts and
//! filters by; on both engines, two views that fix which table a page walks first.
//!
//! Without the indexes, sorting a 300,000-user bot by sessions read and sorted every user
//! for each page (0.9–1.1 s on SQLite at any depth, `benches/load.rs`), and `sessions > 5`
//! or `average sentiment < 0` joined every user with its stats to count the matches
//! (0.7–0.9 s a search). An index (bot, column, user) serves a page of the column's order
//! as a range of 50 entries, and a count of a stats-only filter as a range of one index
//! (`sql::count_source`).
//!
//! With them, SQLite's planner (3.50, the one sqlx bundles) chose badly for pages of
//! `user_rows`: it read a bot's users through whichever narrow index covered `bot_id` and
//! sorted them all (0.07–0.8 s a page), because it cannot tell that a page of 50 in index
//! order ends early. `user_rows_users_first` and `user_rows_stats_first` are `user_rows`
//! with the join's outer table fixed (SQLite's `CROSS JOIN`, which its planner never
//! reorders): a page walks the index of its sort column in the table that holds it and
//! looks up the other table's row by primary key, a few ms at any depth. In
//! `user_rows_stats_first` the `id` is `user_stats.user_id` (the same value): SQLite serves
//! the `(column, id)` order from a `user_stats` index only when the id is the index's
//! own. `Store::list_users` reads them when walking is cheaper than reading every match
//! (`Sql::walk_sort_order`); PostgreSQL's views are plain joins, its planner chooses well.
//! New views rather than a changed `user_rows`: a running server's prepared statements
//! on `user_rows` keep their columns.
//!
//! The cost is on ingestion, where each stats update writes the entries of the columns it
//! changes: 25–28k events/s on SQLite with them (`just bench-scale`), above the 20k
//! target. PostgreSQL has none of them: an update of an indexed column is never HOT, so
//! every index of `user_stats` gets an entry per update, and with them its ingestion fell
//! from 8.8k to 7.0k events/s. Without them a PostgreSQL page sorted by sessions reads and
//! sorts the bot's stats: 115–220 ms on 300,000 users at any depth (measured after this
//! migration; an earlier note here said 5–12 ms, which was not so). Measured again on
//! 2026-12-07, after ingestion's lookups became index probes: the five indexes on
//! PostgreSQL made `-sessions` pages flat (158/151/128/115 ms at depths 0/10k/50k/100k
//! to 4/9/7/9 ms) but cut ingestion from 17.6k to 13.1k events/s and left the stats
//! filters' counts as they were (2.1× the bare floor), so they stay out.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::run_script;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000012_stats_indexes"
    }
}

/// SQLite's: plain ascending indexes, which serve both directions (a nullable column's
/// page reads its values and its NULLs as separate ranges, see `Store::list_users`).
const INDEXES: &str = r#"
CREATE INDEX user_stats_bot_sessions ON user_stats (bot_id, sessions, user_id);
CREATE INDEX user_stats_bot_messages_sent ON user_stats (bot_id, messages_sent, user_id);
CREATE INDEX user_stats_bot_clicks ON user_stats (bot_id, clicks, user_id);
CREATE INDEX user_stats_bot_time_spent ON user_stats (bot_id, time_spent_secs, user_id);
CREATE INDEX user_stats_bot_average_sentiment ON user_stats (bot_id, average_sentiment, user_id);
"#;

/// The columns of `user_rows` (as migration 6 defined it) after `id, bot_id`.
const COLUMNS: &str = "u.channel, u.external_id, u.first_name, u.last_name, u.email, \
    u.phone, u.locale, u.timezone, u.avatar_url, u.notes, u.first_name_folded, \
    u.last_name_folded, u.name_folded, u.email_folded, u.external_id_folded, u.created_at, \
    u.updated_at, s.sessions, s.messages_sent, s.clicks, s.time_spent_micros, \
    s.time_spent_secs, s.sentiment_sum, s.average_sentiment, s.last_message_at, \
    s.last_event_at";

/// The two views, joined with `join` (`CROSS JOIN` on SQLite, `JOIN` on PostgreSQL).
fn views(join: &str) -> String {
    format!(
        "CREATE VIEW user_rows_users_first AS SELECT u.id, u.bot_id, {COLUMNS} \
         FROM users u {join} user_stats s ON s.user_id = u.id AND s.bot_id = u.bot_id;\n\
         CREATE VIEW user_rows_stats_first AS SELECT s.user_id AS id, s.bot_id, {COLUMNS} \
         FROM user_stats s {join} users u ON u.id = s.user_id AND u.bot_id = s.bot_id;\n"
    )
}

/// For `down`.
const DROP_VIEWS: &str = r#"
DROP VIEW user_rows_users_first;
DROP VIEW user_rows_stats_first;
"#;

/// For `down` on SQLite.
const DROP_INDEXES: &str = r#"
DROP INDEX user_stats_bot_sessions;
DROP INDEX user_stats_bot_messages_sent;
DROP INDEX user_stats_bot_clicks;
DROP INDEX user_stats_bot_time_spent;
DROP INDEX user_stats_bot_average_sentiment;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            run_script(manager, &views("JOIN")).await
        } else {
            run_script(manager, INDEXES).await?;
            run_script(manager, &views("CROSS JOIN")).await
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run_script(manager, DROP_VIEWS).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            Ok(())
        } else {
            run_script(manager, DROP_INDEXES).await
        }
    }
}
