//! The planner's statistics stay fresh without an operator: once writes have changed
//! enough rows (50 + 10 % of the users at the last analysis), the store analyses the user
//! tables in the background, on both engines.

use std::time::{Duration, Instant};

use cohort_store::testing::engine;
use cohort_store::{ANALYZE_BASE_ROWS, Store};

use crate::helpers::{fixture, ingest_messages};

/// Whether the planner has statistics for `users`: PostgreSQL's `ANALYZE` ran on it (not
/// autovacuum's, which these machines may not run), or SQLite's `sqlite_stat1` has its
/// rows.
async fn users_analysed(store: &Store) -> bool {
    let sql = if engine() == "postgres" {
        "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'users' AND last_analyze IS NOT NULL"
    } else {
        // The table exists only once something was analysed.
        "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
    };
    let found = store
        .query_i64(sql)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    if found == 0 || engine() == "postgres" {
        return found > 0;
    }
    store
        .query_i64("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'users'")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        > 0
}

#[tokio::test]
async fn a_bulk_load_leaves_the_planner_with_statistics_without_an_operator() {
    let fixture = fixture().await;
    let store = fixture.store();
    let bot = fixture.new_bot("Load").await;
    // Fewer changed rows than the threshold: nothing is analysed yet.
    ingest_messages(store, bot, "", 0..ANALYZE_BASE_ROWS - 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !users_analysed(store).await,
        "analysed after {} rows",
        ANALYZE_BASE_ROWS - 1
    );
    // The load goes on past it: the store analyses in the background, soon.
    ingest_messages(store, bot, "", ANALYZE_BASE_ROWS..ANALYZE_BASE_ROWS + 500).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !users_analysed(store).await {
        assert!(
            Instant::now() < deadline,
            "the users table was not analysed within 20 s of a load"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
