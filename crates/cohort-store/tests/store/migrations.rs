//! Upgrading a database that holds data: migrations keep what users had.

use cohort_core::api::{CreateBot, UpsertUser, User};
use cohort_core::filter::{self, Expr};
use cohort_core::sort::Sort;
use cohort_core::time::from_micros;
use cohort_migrations::{Migrator, MigratorTrait};
use cohort_store::testing::TestDatabase;
use cohort_store::{BotScope, ListQuery, Store};
use serde_json::json;

async fn users_of(store: &Store, bot: BotScope) -> Vec<User> {
    let query = ListQuery {
        filter: Expr::everyone(),
        sort: Sort::default(),
        limit: 100,
        cursor: None,
        now: 0,
    };
    let mut users = store
        .list_users(bot, &query)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .data;
    users.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    users
}

#[tokio::test]
async fn moving_stats_out_of_users_keeps_every_users_stats() {
    let database = TestDatabase::unmigrated()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let store = &database.store;
    // The schema as the first three migrations left it, with stats on `users`.
    store
        .migrate_steps(3)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let workspace = store
        .workspace_by_name("Before")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = store
        .create_bot(
            workspace,
            &CreateBot {
                name: "Old bot".to_owned(),
                session_timeout_secs: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = store
        .bot_scope(workspace, &bot.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let id = bot.bot_id();
    store
        .execute_sql_transaction(&[
            format!(
                "INSERT INTO users (bot_id, channel, external_id, first_name, created_at, updated_at, \
                 sessions, messages_sent, clicks, time_spent_secs, time_spent_micros, sentiment_sum, \
                 average_sentiment, last_message_at, last_event_at) \
                 VALUES ({id}, 'web', 'active', 'Ada', 5, 6, 3, 4, 1, 90, 90500000, 12000, 0.3, \
                 1700000000000000, 1700000000500000)"
            ),
            format!(
                "INSERT INTO users (bot_id, channel, external_id, created_at, updated_at) \
                 VALUES ({id}, 'web', 'quiet', 7, 7)"
            ),
        ])
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    store.migrate().await.unwrap_or_else(|e| panic!("{e:?}"));

    let users = users_of(store, bot).await;
    assert_eq!(users.len(), 2);
    let (active, quiet) = (&users[0], &users[1]);
    assert_eq!(active.first_name, "Ada");
    assert_eq!(
        (
            active.sessions,
            active.messages_sent,
            active.clicks,
            active.time_spent_secs,
            active.average_sentiment,
            active.last_message_at,
        ),
        (
            3,
            4,
            1,
            90,
            Some(0.3),
            Some(from_micros(1_700_000_000_000_000))
        )
    );
    assert_eq!(
        (
            quiet.sessions,
            quiet.average_sentiment,
            quiet.last_message_at
        ),
        (0, None, None)
    );

    // A user created after the upgrade has stats (zero) from the start, and the stats
    // row goes with the user.
    let (created, _) = store
        .upsert_user(
            bot,
            &UpsertUser {
                channel: "web".to_owned(),
                external_id: "new".to_owned(),
                ..UpsertUser::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((created.sessions, created.last_message_at), (0, None));
    assert_eq!(users_of(store, bot).await.len(), 3);
    store
        .delete_user(bot, &created.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let orphans = store
        .query_i64(
            "SELECT COUNT(*) FROM user_stats s WHERE NOT EXISTS \
             (SELECT 1 FROM users u WHERE u.id = s.user_id)",
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(orphans, 0);
    let rows = store
        .query_i64("SELECT COUNT(*) FROM user_stats")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(rows, 2);
}

#[tokio::test]
async fn adding_external_id_folded_folds_every_existing_users_external_id_in_rust() {
    let database = TestDatabase::unmigrated()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let store = &database.store;
    // The schema as every migration before this one left it, without `external_id_folded`.
    let before = Migrator::migrations()
        .iter()
        .position(|migration| migration.name() == "m20261130_000006_external_id_folded")
        .unwrap_or_else(|| panic!("the migration is listed"));
    store
        .migrate_steps(u32::try_from(before).unwrap_or_else(|e| panic!("{e}")))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let workspace = store
        .workspace_by_name("Before")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = store
        .create_bot(
            workspace,
            &CreateBot {
                name: "Old bot".to_owned(),
                session_timeout_secs: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = store
        .bot_scope(workspace, &bot.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let id = bot.bot_id();
    // More users than one backfill batch (500), with non-ASCII ids that SQL's `lower`
    // would fold differently or not at all.
    let mut rows: Vec<String> = (0..1203)
        .map(|n| format!("({id}, 'web', 'ÉLODIE-{n}', 5, 5)"))
        .collect();
    rows.push(format!("({id}, 'telegram', 'ΣΟΦΊΑ_Straße', 5, 5)"));
    store
        .execute_sql(&format!(
            "INSERT INTO users (bot_id, channel, external_id, created_at, updated_at) VALUES {}",
            rows.join(", ")
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    store.migrate().await.unwrap_or_else(|e| panic!("{e:?}"));

    let unfolded = store
        .query_i64("SELECT COUNT(*) FROM users WHERE external_id_folded IS NULL")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(unfolded, 0);
    let search = |value: &str| {
        filter::parse(
            &json!({"column": "external_id", "function": "contains", "value": value}),
            "/filter",
        )
        .unwrap_or_else(|e| panic!("{e:?}"))
    };
    let count = |expr: Expr| async move {
        store
            .count_users(bot, &expr, 0)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
    };
    assert_eq!(count(search("élodie-120")).await, 4);
    assert_eq!(count(search("élodie-1202")).await, 1);
    assert_eq!(count(search("σοφία_straße")).await, 1);
    let listed = store
        .list_users(
            bot,
            &ListQuery {
                filter: search("ΣΟΦΊΑ"),
                sort: Sort::default(),
                limit: 10,
                cursor: None,
                now: 0,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .data;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].external_id, "ΣΟΦΊΑ_Straße");
}

#[tokio::test]
async fn long_attribute_values_migration_keeps_values_and_recomputes_numbers() {
    let database = TestDatabase::unmigrated()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let store = &database.store;
    let before = Migrator::migrations()
        .iter()
        .position(|migration| migration.name() == "m20261201_000008_long_attribute_values")
        .unwrap_or_else(|| panic!("the migration is listed"));
    store
        .migrate_steps(u32::try_from(before).unwrap_or_else(|e| panic!("{e}")))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let workspace = store
        .workspace_by_name("Before")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = store
        .create_bot(
            workspace,
            &CreateBot {
                name: "Old bot".to_owned(),
                session_timeout_secs: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = store
        .bot_scope(workspace, &bot.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let id = bot.bot_id();
    // Numbers as the old, looser rule stored them: exponents and trailing dots were
    // numbers then.
    let values = [
        ("a", "42", Some("42")),
        ("b", "1e3", Some("1000")),
        ("c", "5.", Some("5")),
        ("d", "0009", Some("9")),
        ("e", "-3.5", Some("-3.5")),
        ("f", "2E1", Some("20")),
        ("g", "pizza", None),
    ];
    let mut statements = Vec::new();
    for (external_id, value, number) in values {
        statements.push(format!(
            "INSERT INTO users (bot_id, channel, external_id, external_id_folded, created_at, updated_at) \
             VALUES ({id}, 'web', '{external_id}', '{external_id}', 5, 5)"
        ));
        statements.push(format!(
            "INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded, value_number) \
             SELECT id, {id}, 'age', '{value}', '{value}', {} FROM users WHERE external_id = '{external_id}'",
            number.unwrap_or("NULL")
        ));
    }
    store
        .execute_sql_transaction(&statements)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    store.migrate().await.unwrap_or_else(|e| panic!("{e:?}"));

    let numbers = store
        .query_i64("SELECT COUNT(*) FROM user_attributes WHERE value_number IS NOT NULL")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(numbers, 3, "42, 0009 and -3.5 stay numbers");
    let greater = filter::parse(
        &json!({"column": "attributes.age", "function": "greater_than", "value": 0}),
        "/filter",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        store
            .count_users(bot, &greater, 0)
            .await
            .unwrap_or_else(|e| panic!("{e:?}")),
        2
    );
    // A value far beyond a PostgreSQL btree entry can be written now, and found.
    let long: String = "Ωmega ".repeat(1_666);
    store
        .upsert_user(
            bot,
            &UpsertUser {
                channel: "web".to_owned(),
                external_id: "long".to_owned(),
                attributes: Some(std::collections::BTreeMap::from([(
                    "bio".to_owned(),
                    Some(long.clone()),
                )])),
                ..UpsertUser::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let contains = filter::parse(
        &json!({"column": "attributes.bio", "function": "contains", "value": "ωmega ωmega"}),
        "/filter",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        store
            .count_users(bot, &contains, 0)
            .await
            .unwrap_or_else(|e| panic!("{e:?}")),
        1
    );
}
