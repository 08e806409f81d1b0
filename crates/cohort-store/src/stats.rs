//! The `user_stats` rows and the event logs they are derived from: locking and reading
//! stats rows, reading the logs of many users in one query, and writing stats many users
//! per statement. Shared by ingestion (incremental, or a rebuild for users with late
//! events) and Refresh Stats (every user).

use cohort_core::sessions::{Event, EventKind, Stats};
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::StoreError;
use crate::sql::Sql;

#[derive(FromQueryResult)]
struct EventRow {
    user_id: i64,
    is_click: i32,
    at: i64,
    sentiment: Option<i32>,
}

/// A user's row in `user_stats`: the running stats state and the shown columns derived
/// from it.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub(crate) struct StatsRow {
    pub(crate) user_id: i64,
    sessions: i64,
    messages_sent: i64,
    clicks: i64,
    time_spent_micros: i64,
    time_spent_secs: i64,
    sentiment_sum: i64,
    average_sentiment: Option<f64>,
    last_message_at: Option<i64>,
    last_event_at: Option<i64>,
}

impl StatsRow {
    /// The stats state this row holds.
    pub(crate) fn stats(&self) -> Stats {
        Stats {
            sessions: self.sessions,
            messages_sent: self.messages_sent,
            clicks: self.clicks,
            time_spent_micros: self.time_spent_micros,
            sentiment_sum: self.sentiment_sum,
            last_message_at: self.last_message_at,
            last_event_at: self.last_event_at,
        }
    }

    /// Whether the row already holds exactly `stats`, derived columns included.
    pub(crate) fn holds(&self, stats: &Stats) -> bool {
        self.stats() == *stats
            && self.time_spent_secs == stats.time_spent_secs()
            && self.average_sentiment == stats.average_sentiment()
    }
}

/// Users per statement when reading or locking stats rows or events by user id.
const LOCK_CHUNK: usize = 1_000;

/// The stats rows of the users `ids` (which must be sorted), locked until the transaction
/// ends. PostgreSQL locks them `FOR UPDATE` in id order, the order every writer of stats
/// takes them in, so two writers cannot deadlock on them; an SQLite write transaction
/// holds the database's write lock already.
pub(crate) async fn lock_stats(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<StatsRow>, StoreError> {
    let backend = db.get_database_backend();
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(LOCK_CHUNK) {
        let mut sql = Sql::new(backend);
        sql.push("SELECT * FROM user_stats WHERE user_id IN ")
            .bind_list(chunk)
            .push(" ORDER BY user_id");
        if backend == sea_orm::DbBackend::Postgres {
            sql.push(" FOR UPDATE");
        }
        rows.extend(StatsRow::find_by_statement(sql.build()).all(db).await?);
    }
    Ok(rows)
}

/// The events of the users `ids`, as the sessioniser reads them: `(user_id, event)`
/// sorted by user, then time.
pub(crate) async fn events_of_users(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<(i64, Event)>, StoreError> {
    let mut events = Vec::new();
    // Chunks in id order keep the result sorted by user.
    for chunk in ids.chunks(LOCK_CHUNK) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT user_id, CASE WHEN kind = 'click' THEN 1 ELSE 0 END AS is_click, at, sentiment FROM events WHERE user_id IN ")
            .bind_list(chunk)
            .push(" ORDER BY user_id, at");
        let rows = EventRow::find_by_statement(sql.build()).all(db).await?;
        events.extend(rows.into_iter().map(|row| {
            let kind = if row.is_click == 1 {
                EventKind::Click
            } else {
                EventKind::Message {
                    sentiment: row.sentiment.unwrap_or_default(),
                }
            };
            (row.user_id, Event { at: row.at, kind })
        }));
    }
    Ok(events)
}

/// Rows per statement in `save_stats_many` (10 bound values a row).
const SAVE_CHUNK: usize = 500;

/// Writes the stats of many users, 500 users per statement (`UPDATE … FROM (VALUES …)`),
/// which is what keeps ingestion of batches touching many users fast.
pub(crate) async fn save_stats_many(
    db: &impl ConnectionTrait,
    stats: &[(i64, Stats)],
) -> Result<(), StoreError> {
    let backend = db.get_database_backend();
    let postgres = backend == sea_orm::DbBackend::Postgres;
    for chunk in stats.chunks(SAVE_CHUNK) {
        let mut sql = Sql::new(backend);
        // SQLite names VALUES columns column1…column10; PostgreSQL takes an alias list.
        let columns: [&str; 10] = if postgres {
            [
                "v.id",
                "v.sessions",
                "v.messages_sent",
                "v.clicks",
                "v.time_spent_micros",
                "v.time_spent_secs",
                "v.sentiment_sum",
                "v.average_sentiment",
                "v.last_message_at",
                "v.last_event_at",
            ]
        } else {
            [
                "v.column1",
                "v.column2",
                "v.column3",
                "v.column4",
                "v.column5",
                "v.column6",
                "v.column7",
                "v.column8",
                "v.column9",
                "v.column10",
            ]
        };
        sql.push("UPDATE user_stats SET sessions = ")
            .push(columns[1]);
        sql.push(", messages_sent = ").push(columns[2]);
        sql.push(", clicks = ").push(columns[3]);
        sql.push(", time_spent_micros = ").push(columns[4]);
        sql.push(", time_spent_secs = ").push(columns[5]);
        sql.push(", sentiment_sum = ").push(columns[6]);
        sql.push(", average_sentiment = ").push(columns[7]);
        sql.push(", last_message_at = ").push(columns[8]);
        sql.push(", last_event_at = ").push(columns[9]);
        sql.push(" FROM (VALUES ");
        for (index, (user_id, stats)) in chunk.iter().enumerate() {
            if index > 0 {
                sql.push(", ");
            }
            sql.push("(").bind(*user_id);
            sql.push(", ").bind(stats.sessions);
            sql.push(", ").bind(stats.messages_sent);
            sql.push(", ").bind(stats.clicks);
            sql.push(", ").bind(stats.time_spent_micros);
            sql.push(", ").bind(stats.time_spent_secs());
            sql.push(", ").bind(stats.sentiment_sum);
            // PostgreSQL types a VALUES column from its rows; say what a NULL is.
            sql.push(", ").bind(stats.average_sentiment());
            if postgres {
                sql.push("::double precision");
            }
            sql.push(", ").bind(stats.last_message_at);
            if postgres {
                sql.push("::bigint");
            }
            sql.push(", ").bind(stats.last_event_at);
            if postgres {
                sql.push("::bigint");
            }
            sql.push(")");
        }
        sql.push(")");
        if postgres {
            sql.push(" AS v(id, sessions, messages_sent, clicks, time_spent_micros, time_spent_secs, sentiment_sum, average_sentiment, last_message_at, last_event_at)");
        } else {
            sql.push(" AS v");
        }
        sql.push(" WHERE user_stats.user_id = ").push(columns[0]);
        if postgres {
            // The ids again, as a condition on the primary key: joined with the VALUES
            // list alone, PostgreSQL read every stats row of every bot into a hash join
            // (20 ms a batch at 50,000 users, growing with the table) where these index
            // probes take 3 ms at any size.
            let ids: Vec<i64> = chunk.iter().map(|(user_id, _)| *user_id).collect();
            sql.push(" AND user_stats.user_id IN ").bind_list(&ids);
        }
        db.execute_raw(sql.build()).await?;
    }
    Ok(())
}
