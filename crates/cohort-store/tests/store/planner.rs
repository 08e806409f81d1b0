//! The planner's statistics stay fresh without an operator: once writes have changed
//! enough rows (50 + 10 % of the users at the last analysis), the store analyses the user
//! tables in the background, on both engines.

use std::time::{Duration, Instant};

use cohort_core::api::{EventInput, IngestEvents};
use cohort_core::events::check_events;
use cohort_core::time::format_rfc3339;
use cohort_store::testing::{engine, now};
use cohort_store::{ANALYZE_BASE_ROWS, Store};

use crate::helpers::fixture;

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

/// Messages from `users` new users, one each.
async fn ingest_new_users(store: &Store, bot: cohort_store::BotScope, first: u64, users: u64) {
    let events: Vec<EventInput> = (first..first + users)
        .map(|user| EventInput {
            id: format!("m{user}"),
            kind: "message".to_owned(),
            channel: "web".to_owned(),
            external_user_id: format!("u{user}"),
            text: Some("hello".to_owned()),
            at: format_rfc3339(1_800_000_000_000_000 + i64::try_from(user).unwrap_or(0)),
            ..EventInput::default()
        })
        .collect();
    let checked = check_events(&IngestEvents { events }).unwrap_or_else(|e| panic!("{e:?}"));
    store
        .ingest(bot, &checked, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
}

#[tokio::test]
async fn a_bulk_load_leaves_the_planner_with_statistics_without_an_operator() {
    let fixture = fixture().await;
    let store = fixture.store();
    let bot = fixture.new_bot("Load").await;
    // Fewer changed rows than the threshold: nothing is analysed yet.
    ingest_new_users(store, bot, 0, ANALYZE_BASE_ROWS - 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !users_analysed(store).await,
        "analysed after {} rows",
        ANALYZE_BASE_ROWS - 1
    );
    // The load goes on past it: the store analyses in the background, soon.
    ingest_new_users(store, bot, ANALYZE_BASE_ROWS, 500).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !users_analysed(store).await {
        assert!(
            Instant::now() < deadline,
            "the users table was not analysed within 20 s of a load"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
