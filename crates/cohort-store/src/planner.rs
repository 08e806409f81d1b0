//! Planner statistics kept fresh without an operator. PostgreSQL plans from what `ANALYZE`
//! gathered and SQLite from `sqlite_stat1`; a table never analysed (right after a bulk
//! load, on a server whose autovacuum is off or has not come round yet) is planned as if
//! it held a handful of rows, and a 300,000-user search then runs nested loops over
//! everything. So the store counts the rows its writes change and, once they reach
//! `ANALYZE_BASE_ROWS` + 1/`ANALYZE_SCALE_DIVISOR` of the users there were at the last
//! analysis (autovacuum's own rule, 50 + 10 %), analyses the user tables in the
//! background, one analysis at a time per process. SQLite's is `PRAGMA optimize` as its documentation
//! advises for long-lived connections (with `analysis_limit`, so it stays quick on any
//! size), which re-analyses only the tables that need it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{Store, StoreError};

/// Changed rows that call for an analysis even of a tiny database.
pub const ANALYZE_BASE_ROWS: u64 = 50;
/// The share of the users at the last analysis that, changed, calls for another (1 in 10).
pub const ANALYZE_SCALE_DIVISOR: u64 = 10;
/// The rows SQLite's `ANALYZE` reads per index at most (`PRAGMA analysis_limit`): the
/// documentation's advice for `PRAGMA optimize`, about a millisecond per index.
const SQLITE_ANALYSIS_LIMIT: u32 = 400;
/// The tables whose statistics shape the users' searches, stats and messages.
const TABLES: &str = "users, user_stats, user_tags, user_attributes, tags, events";

/// The user tables `refresh_planner_statistics` vacuums on PostgreSQL: not `events`, the
/// largest by far, which is only appended to and read by user.
const VACUUMED_TABLES: &str = "users, user_stats, user_tags, user_attributes, tags";

/// What an analysis also does on PostgreSQL.
#[derive(Clone, Copy)]
enum Upkeep {
    /// `ANALYZE` alone: what writes start as they go, cheap at any size.
    Analyze,
    /// `VACUUM (ANALYZE)` first, at `serve`'s start and after a seed. PostgreSQL counts
    /// a table's rows from its index alone (an index-only scan) only on pages its
    /// visibility map marks all-visible, which only a vacuum does; a loaded table that
    /// no vacuum has seen yet (autovacuum off, or not come round) reads every row from
    /// the heap instead. `channel is any of` counted 150,000 users of 300,000 in 70 ms
    /// by scanning all of `users`, 20 ms from `users_bot_channel_external` after it; the
    /// vacuum took 1.4 s for one million users with their tags and attributes.
    /// `SKIP_LOCKED`: a table another vacuum holds is left to it.
    VacuumAndAnalyze,
}

/// What the store knows about its statistics' freshness.
#[derive(Debug, Default)]
pub(crate) struct PlannerStatistics {
    /// Rows changed since the last analysis started.
    changed: AtomicU64,
    /// Users there were at the last analysis.
    users_then: AtomicU64,
    /// An analysis is running.
    running: AtomicBool,
}

impl Store {
    /// Notes that a write changed `rows` rows of the user tables; when enough have
    /// changed since the last analysis, starts one in the background (see the module).
    pub(crate) fn note_changed_rows(&self, rows: u64) {
        let planner = &self.planner;
        let changed = planner.changed.fetch_add(rows, Ordering::Relaxed) + rows;
        let due =
            ANALYZE_BASE_ROWS + planner.users_then.load(Ordering::Relaxed) / ANALYZE_SCALE_DIVISOR;
        if changed < due || planner.running.swap(true, Ordering::AcqRel) {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            if let Err(error) = store.analyze_now(Upkeep::Analyze).await {
                tracing::warn!(error = %error, "refreshing the planner's statistics failed");
            }
            store.planner.running.store(false, Ordering::Release);
        });
    }

    /// Refreshes the planner's statistics of the user tables now: on PostgreSQL
    /// `VACUUM (ANALYZE)` of the user tables and `ANALYZE` of the events (see `Upkeep`),
    /// on SQLite `PRAGMA optimize` (which analyses the tables that changed a lot, or were
    /// never analysed). `cohort serve` runs it at start and `cohort seed` at its end;
    /// writes run an analysis as they go (`note_changed_rows`).
    pub async fn refresh_planner_statistics(&self) -> Result<(), StoreError> {
        self.analyze_now(Upkeep::VacuumAndAnalyze).await
    }

    async fn analyze_now(&self, upkeep: Upkeep) -> Result<(), StoreError> {
        // Changes made while it runs count toward the next analysis.
        self.planner.changed.store(0, Ordering::Relaxed);
        match (self.backend(), upkeep) {
            (DbBackend::Postgres, Upkeep::Analyze) => {
                self.db
                    .execute_unprepared(&format!("ANALYZE {TABLES}"))
                    .await?;
            }
            (DbBackend::Postgres, Upkeep::VacuumAndAnalyze) => {
                self.db
                    .execute_unprepared(&format!("VACUUM (ANALYZE, SKIP_LOCKED) {VACUUMED_TABLES}"))
                    .await?;
                self.db.execute_unprepared("ANALYZE events").await?;
            }
            (_, _) => {
                // `ANALYZE` writes `sqlite_stat1`: it takes the writer's turn, and runs
                // both pragmas on the transaction's one connection.
                let (_turn, transaction) = self.begin_write().await?;
                transaction
                    .execute_unprepared(&format!("PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}"))
                    .await?;
                transaction
                    .execute_unprepared("PRAGMA optimize = 0x10002")
                    .await?;
                transaction.commit().await?;
            }
        }
        let users = self
            .db
            .query_one_raw(Statement::from_string(
                self.backend(),
                "SELECT COUNT(*) FROM users",
            ))
            .await?
            .and_then(|row| row.try_get_by_index::<i64>(0).ok())
            .unwrap_or(0);
        self.planner
            .users_then
            .store(u64::try_from(users).unwrap_or(0), Ordering::Relaxed);
        Ok(())
    }
}
