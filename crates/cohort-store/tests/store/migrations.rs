//! Upgrading a database that holds data: migrations keep what users had.

use cohort_core::api::{CreateBot, UpsertUser, User};
use cohort_core::filter::{self, Expr};
use cohort_core::sort::Sort;
use cohort_core::time::from_micros;
use cohort_migrations::{Migrator, MigratorTrait};
use cohort_store::testing::Checked;
use cohort_store::testing::TestDatabase;
use cohort_store::testing::{now, workspace_name};
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

/// A bot "Old bot" in workspace "Before", on the schema as every migration before `name`
/// left it.
async fn bot_before(store: &Store, name: &str) -> BotScope {
    let before = Migrator::migrations()
        .iter()
        .position(|migration| migration.name() == name)
        .unwrap_or_else(|| panic!("{name} is listed"));
    store
        .migrate_steps(u32::try_from(before).unwrap_or_else(|e| panic!("{e}")))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let workspace = store
        .workspace_by_name(&workspace_name("Before"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = store
        .create_bot(
            workspace,
            &CreateBot {
                name: "Old bot".to_owned(),
                session_timeout_secs: None,
            }
            .checked(),
            now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .bot_scope(workspace, &bot.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn moving_stats_out_of_users_keeps_every_users_stats() {
    let database = TestDatabase::unmigrated()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let store = &database.store;
    let bot = bot_before(store, "m20261129_000004_user_stats").await;
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
            }
            .checked(),
            now(),
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
    let bot = bot_before(store, "m20261130_000006_external_id_folded").await;
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
    let bot = bot_before(store, "m20261201_000008_long_attribute_values").await;
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
            }
            .checked(),
            now(),
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

#[tokio::test]
async fn nfkc_casefold_migration_refolds_every_copy_and_merges_tags_that_now_fold_alike() {
    let database = TestDatabase::unmigrated()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let store = &database.store;
    let bot = bot_before(store, "m20261205_000010_nfkc_casefold").await;
    let id = bot.bot_id();
    // Rows as the old fold (trim, then lower case) wrote them; more users than a batch.
    let old_fold = |text: &str| text.trim().to_lowercase();
    let people = [
        ("Katrin", "Großmann", "ＹＩＮ@example.com", "großmann-1"),
        ("ＹＩＮ", "Tan", "yin@example.com", "yin-1"),
        ("Zoe\u{308}", "Ng", "zoe@example.com", "zoe-1"),
        ("Plain", "Ascii", "plain@example.com", "PLAIN-1"),
    ];
    let mut statements: Vec<String> = (0..1_100)
        .map(|n| {
            format!(
                "INSERT INTO users (bot_id, channel, external_id, external_id_folded, first_name, \
                 first_name_folded, name_folded, created_at, updated_at) \
                 VALUES ({id}, 'web', 'filler-{n}', 'filler-{n}', 'Filler', 'filler', 'filler', 5, 5)"
            )
        })
        .collect();
    for (first, last, email, external_id) in people {
        statements.push(format!(
            "INSERT INTO users (bot_id, channel, external_id, external_id_folded, first_name, \
             first_name_folded, last_name, last_name_folded, name_folded, email, email_folded, \
             created_at, updated_at) VALUES ({id}, 'web', '{external_id}', '{}', '{first}', '{}', \
             '{last}', '{}', '{}', '{email}', '{}', 5, 5)",
            old_fold(external_id),
            old_fold(first),
            old_fold(last),
            old_fold(&format!("{first} {last}")),
            old_fold(email),
        ));
    }
    // Two tags that were two under the old fold and are one now, the older one first, and
    // a user who carries both.
    statements.push(format!(
        "INSERT INTO tags (bot_id, name, name_folded, created_at) VALUES \
         ({id}, 'Straße', 'straße', 1), ({id}, 'STRASSE', 'strasse', 2), ({id}, 'VIP', 'vip', 3)"
    ));
    for (external_id, tag) in [
        ("großmann-1", "Straße"),
        ("yin-1", "STRASSE"),
        ("zoe-1", "Straße"),
        ("zoe-1", "STRASSE"),
        ("PLAIN-1", "VIP"),
    ] {
        statements.push(format!(
            "INSERT INTO user_tags (user_id, tag_id) SELECT u.id, t.id FROM users u, tags t \
             WHERE u.external_id = '{external_id}' AND t.name = '{tag}'"
        ));
    }
    statements.push(format!(
        "INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded) \
         SELECT id, {id}, 'food', 'ＰＩＺＺＡ', 'ｐｉｚｚａ' FROM users WHERE external_id = 'yin-1'"
    ));
    store
        .execute_sql_transaction(&statements)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    store.migrate().await.unwrap_or_else(|e| panic!("{e:?}"));

    let count = |filter: serde_json::Value| async move {
        let expr = filter::parse(&filter, "/filter").unwrap_or_else(|e| panic!("{e:?}"));
        store
            .count_users(bot, &expr, 0)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
    };
    let equals =
        |column: &str, value: &str| json!({"column": column, "function": "equals", "value": value});
    assert_eq!(count(equals("last_name", "GROSSMANN")).await, 1);
    assert_eq!(count(equals("first_name", "yin")).await, 1);
    assert_eq!(count(equals("first_name", "Zoë")).await, 1);
    assert_eq!(count(equals("name", "ZOË NG")).await, 1);
    assert_eq!(count(equals("email", "yin@example.com")).await, 2);
    assert_eq!(count(equals("external_id", "GROSSMANN-1")).await, 1);
    assert_eq!(count(equals("attributes.food", "pizza")).await, 1);
    assert_eq!(count(equals("first_name", "filler")).await, 1_100);
    assert_eq!(
        count(json!({"column": "tags", "function": "has", "value": "strasse"})).await,
        3,
        "the merged tag has the users of both"
    );
    let tags = store
        .tags_in_use(bot)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let names: Vec<(&str, u64)> = tags.iter().map(|t| (t.name.as_str(), t.users)).collect();
    assert_eq!(
        names,
        [("Straße", 3), ("VIP", 1)],
        "the oldest spelling stays"
    );
    let stored_tags = store
        .query_i64("SELECT COUNT(*) FROM tags")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(stored_tags, 2);
    // Writing the merged tag again finds it, under any spelling.
    let (plain, _) = store
        .upsert_user(
            bot,
            &UpsertUser {
                channel: "web".to_owned(),
                external_id: "PLAIN-1".to_owned(),
                tags: Some(vec!["GROẞ".to_owned(), "strasse".to_owned()]),
                ..UpsertUser::default()
            }
            .checked(),
            now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        plain.tags.iter().any(|tag| tag == "Straße"),
        "{:?}",
        plain.tags
    );
    assert_eq!(
        store
            .query_i64("SELECT COUNT(*) FROM tags")
            .await
            .unwrap_or_else(|e| panic!("{e:?}")),
        3,
        "only GROẞ is new"
    );
}

#[tokio::test]
async fn bot_user_counts_migration_counts_the_users_already_there() {
    let database = TestDatabase::unmigrated()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let store = &database.store;
    let bot = bot_before(store, "m20261206_000011_bot_user_counts").await;
    for n in 0..7 {
        store
            .upsert_user(
                bot,
                &UpsertUser {
                    channel: "web".to_owned(),
                    external_id: format!("before-{n}"),
                    ..UpsertUser::default()
                }
                .checked(),
                now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    store.migrate().await.unwrap_or_else(|e| panic!("{e:?}"));
    let total = |store: Store| async move {
        store
            .count_users(bot, &Expr::everyone(), now())
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
    };
    assert_eq!(total(store.clone()).await, 7);
    // And from then on the triggers keep it.
    store
        .upsert_user(
            bot,
            &UpsertUser {
                channel: "web".to_owned(),
                external_id: "after".to_owned(),
                ..UpsertUser::default()
            }
            .checked(),
            now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(total(store.clone()).await, 8);
}
