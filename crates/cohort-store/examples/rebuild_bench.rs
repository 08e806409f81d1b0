//! Refresh Stats benchmark: a full rebuild of every user's stats from an event log of N
//! events (1,000,000 by default) over 50,000 users, on the engine `COHORT_TEST_ENGINE`
//! names. The log is written with SQL; the rebuild is `Store::rebuild_bot_stats`, what the
//! Refresh Stats job runs.
//!
//! `cargo run --release -p cohort-store --features testing --example rebuild_bench -- 1000000`

use std::time::Instant;

use cohort_store::testing::{TestDatabase, engine};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let events: i64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let users: i64 = 50_000;
    let database = TestDatabase::new().await.map_err(|e| format!("{e:?}"))?;
    let store = &database.store;
    let bot = database
        .new_bot("Rebuild")
        .await
        .map_err(|e| format!("{e:?}"))?;
    let id = bot.bot_id();
    let series = |count: i64| {
        if engine() == "postgres" {
            format!("SELECT n::bigint AS n FROM generate_series(1, {count}) AS n")
        } else {
            format!(
                "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count}) SELECT n FROM seq"
            )
        }
    };
    let started = Instant::now();
    store
        .execute_sql(&format!(
            "INSERT INTO users (bot_id, channel, external_id, external_id_folded, created_at, updated_at) SELECT {id}, 'web', 'u' || n, 'u' || n, 0, 0 FROM ({}) AS numbers",
            series(users)
        ))
        .await
        .map_err(|e| format!("{e:?}"))?;
    // Event n belongs to user n % users, 7 minutes after that user's previous event, with
    // a long pause every 9th event; every 5th is a click.
    store
        .execute_sql(&format!(
            "INSERT INTO events (bot_id, user_id, event_key, kind, at, text, url, sentiment, received_at) \
             SELECT {id}, (SELECT MIN(id) FROM users WHERE bot_id = {id}) + n % {users}, 'e' || n, \
             CASE WHEN n % 5 = 0 THEN 'click' ELSE 'message' END, \
             (n / {users}) * 420000000 + (n / ({users} * 9)) * 86400000000, \
             CASE WHEN n % 5 = 0 THEN NULL ELSE 'hi' END, CASE WHEN n % 5 = 0 THEN 'https://e.x' ELSE NULL END, \
             CASE WHEN n % 5 = 0 THEN NULL ELSE (n % 21 - 10) * 1000 END, 0 FROM ({}) AS numbers",
            series(events)
        ))
        .await
        .map_err(|e| format!("{e:?}"))?;
    if engine() == "postgres" {
        store
            .execute_sql("ANALYZE")
            .await
            .map_err(|e| format!("{e:?}"))?;
    }
    println!(
        "{}: wrote {events} events for {users} users in {:.1} s",
        engine(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let rebuilt = store
        .rebuild_bot_stats(bot, 600, |_| {})
        .await
        .map_err(|e| format!("{e:?}"))?;
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{}: full stats rebuild of {rebuilt} users from {events} events in {elapsed:.1} s ({:.0} events/s)",
        engine(),
        events as f64 / elapsed
    );
    Ok(())
}
