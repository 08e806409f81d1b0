//! Bulk-action benchmark: tags, sets an attribute on and deletes N users (100,000 by
//! default) selected by a filter, through `Store::bulk`, beside the same work done by one
//! hand-written SQL statement on an identical bot in the same database and run. Prints
//! the times and their ratio, on the engine `COHORT_TEST_ENGINE` names.
//!
//! `cargo run --release -p cohort-store --features testing --example bulk_bench -- 100000`

use std::time::{Duration, Instant};

use cohort_core::api::{BulkAction, Selection};
use cohort_core::bulk::{check_action, check_selection};
use cohort_store::testing::{TestDatabase, engine, numbers_sql};
use cohort_store::{AuditRecord, BotScope, Store};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let users: i64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let database = TestDatabase::new().await.map_err(|e| format!("{e:?}"))?;
    let store = &database.store;
    let bots = [
        database
            .new_bot("through Cohort")
            .await
            .map_err(|e| format!("{e:?}"))?,
        database
            .new_bot("bare SQL")
            .await
            .map_err(|e| format!("{e:?}"))?,
    ];
    let started = Instant::now();
    for bot in &bots {
        seed(store, *bot, users).await?;
    }
    println!(
        "{}: seeded 2 bots × {users} users (3 tags, 4 attributes each) in {:.1} s",
        engine(),
        started.elapsed().as_secs_f64()
    );
    let (cohort_bot, bare_bot) = (bots[0], bots[1]);
    let selection =
        json!({"filter": {"column": "first_name", "function": "equals", "value": "user"}});

    let cohort = run_bulk(
        store,
        cohort_bot,
        &selection,
        BulkAction::AddTags {
            tags: vec!["bench".to_owned()],
        },
    )
    .await?;
    let bare = run_sql(store, &[
        format!("INSERT INTO tags (bot_id, name, name_folded, created_at) VALUES ({0}, 'bench', 'bench', 0) ON CONFLICT (bot_id, name_folded) DO NOTHING", bare_bot.bot_id()),
        format!("INSERT INTO user_tags (user_id, tag_id) SELECT u.id, t.id FROM users u CROSS JOIN (SELECT id FROM tags WHERE bot_id = {0} AND name_folded = 'bench') t WHERE u.bot_id = {0} AND u.first_name_folded = 'user' ON CONFLICT DO NOTHING", bare_bot.bot_id()),
    ]).await?;
    report("add a tag", users, cohort, bare);

    let attributes = [("tier".to_owned(), "gold".to_owned())]
        .into_iter()
        .collect();
    let cohort = run_bulk(
        store,
        cohort_bot,
        &selection,
        BulkAction::SetAttributes { attributes },
    )
    .await?;
    let bare = run_sql(store, &[format!(
        "INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded, value_number) SELECT u.id, u.bot_id, 'tier', 'gold', 'gold', NULL FROM users u WHERE u.bot_id = {0} AND u.first_name_folded = 'user' ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, value_folded = excluded.value_folded, value_number = excluded.value_number",
        bare_bot.bot_id()
    )]).await?;
    report("set an attribute", users, cohort, bare);

    let cohort = run_bulk(
        store,
        cohort_bot,
        &selection,
        BulkAction::Delete {
            confirm: users as u64,
        },
    )
    .await?;
    let bare = run_sql(
        store,
        &[format!(
            "DELETE FROM users WHERE bot_id = {0} AND first_name_folded = 'user'",
            bare_bot.bot_id()
        )],
    )
    .await?;
    report("delete (tags, attributes cascade)", users, cohort, bare);
    Ok(())
}

async fn seed(store: &Store, bot: BotScope, users: i64) -> Result<(), Box<dyn std::error::Error>> {
    let id = bot.bot_id();
    let numbers = numbers_sql(users);
    let statements = [
        format!(
            "INSERT INTO users (bot_id, channel, external_id, external_id_folded, first_name, last_name, first_name_folded, last_name_folded, name_folded, created_at, updated_at) SELECT {id}, 'web', 'u' || n, 'u' || n, 'User', 'N' || n, 'user', 'n' || n, 'user n' || n, n, n FROM ({numbers}) AS numbers"
        ),
        format!(
            "UPDATE user_stats SET sessions = user_id % 7, messages_sent = user_id % 31 WHERE bot_id = {id}"
        ),
        format!(
            "INSERT INTO tags (bot_id, name, name_folded, created_at) VALUES ({id}, 'a', 'a', 0), ({id}, 'b', 'b', 0), ({id}, 'c', 'c', 0)"
        ),
        format!(
            "INSERT INTO user_tags (user_id, tag_id) SELECT u.id, t.id FROM users u CROSS JOIN tags t WHERE u.bot_id = {id} AND t.bot_id = {id}"
        ),
        format!(
            "INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded, value_number) SELECT u.id, {id}, k.key, 'v' || u.id, 'v' || u.id, NULL FROM users u CROSS JOIN (SELECT 'k1' AS key UNION ALL SELECT 'k2' UNION ALL SELECT 'k3' UNION ALL SELECT 'k4') k WHERE u.bot_id = {id}"
        ),
    ];
    for statement in statements {
        store
            .execute_sql(&statement)
            .await
            .map_err(|e| format!("{e:?}: {statement}"))?;
    }
    if engine() == "postgres" {
        store
            .execute_sql("ANALYZE")
            .await
            .map_err(|e| format!("{e:?}"))?;
    }
    Ok(())
}

async fn run_bulk(
    store: &Store,
    bot: BotScope,
    selection: &serde_json::Value,
    action: BulkAction,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let selection: Selection = serde_json::from_value(selection.clone())?;
    let checked_selection =
        check_selection(&selection, "/selection").map_err(|e| format!("{e:?}"))?;
    let checked_action = check_action(&action, "/action").map_err(|e| format!("{e:?}"))?;
    let audit = AuditRecord {
        actor: "bench".to_owned(),
        details: serde_json::to_value(&action)?,
        selection: serde_json::to_value(&selection)?,
    };
    let started = Instant::now();
    store
        .bulk(bot, &checked_selection, &checked_action, &audit, 0)
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(started.elapsed())
}

async fn run_sql(
    store: &Store,
    statements: &[String],
) -> Result<Duration, Box<dyn std::error::Error>> {
    let started = Instant::now();
    store
        .execute_sql_transaction(statements)
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(started.elapsed())
}

fn report(what: &str, users: i64, cohort: Duration, bare: Duration) {
    println!(
        "{}: {what} on {users} users: Cohort {:.2} s, bare SQL {:.2} s, ratio {:.2}",
        engine(),
        cohort.as_secs_f64(),
        bare.as_secs_f64(),
        cohort.as_secs_f64() / bare.as_secs_f64().max(1e-9)
    );
}
