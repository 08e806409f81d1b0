//! The unfiltered total of a bot's users is read from counts that triggers keep in the
//! transactions that insert and delete users (migration 11). Whatever path adds or removes
//! users (create-or-update, ingestion, plain SQL, a bulk delete, one user's delete, the
//! bot's delete), alone or at once from several connections, it equals `COUNT(*)`.

use cohort_core::api::UpsertUser;
use cohort_core::bulk::{CheckedAction, CheckedSelection};
use cohort_core::filter::Expr;
use cohort_store::testing::{Checked, now};
use cohort_store::{AuditRecord, BotScope, Store};
use serde_json::json;

use crate::helpers::{fixture, ingest_messages};

/// The bot's total as the Users page reads it, and as `COUNT(*)` counts it.
async fn totals(store: &Store, bot: BotScope) -> (u64, u64) {
    let counted = store
        .count_users(bot, &Expr::everyone(), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let users = store
        .query_i64(&format!(
            "SELECT COUNT(*) FROM users WHERE bot_id = {}",
            bot.bot_id()
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    (counted, u64::try_from(users).unwrap_or_default())
}

#[tokio::test]
async fn the_unfiltered_total_equals_count_star_whatever_adds_or_removes_users() {
    let f = fixture().await;
    let store = f.store();
    let other = f.new_bot("Other").await;
    assert_eq!(totals(store, f.bot).await, (0, 0));

    // Create-or-update: a new user counts once, an update not at all.
    for _ in 0..2 {
        let request = UpsertUser {
            channel: "web".to_owned(),
            external_id: "ana".to_owned(),
            ..UpsertUser::default()
        };
        store
            .upsert_user(f.bot, &request.checked(), now())
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    assert_eq!(totals(store, f.bot).await, (1, 1));

    // Ingestion of new and known users, and users added by plain SQL, in two bots.
    ingest_messages(store, f.bot, "a", 0..40).await;
    ingest_messages(store, f.bot, "a", 0..60).await;
    f.database
        .seed_users(other, 25)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(totals(store, f.bot).await, (61, 61));
    assert_eq!(totals(store, other).await, (25, 25));

    // Filters that match everyone read the same total; any other filter counts.
    let everyone = Expr::Any(vec![Expr::everyone(), Expr::Any(Vec::new())]);
    assert!(everyone.matches_everyone());
    assert_eq!(
        store
            .count_users(f.bot, &everyone, now())
            .await
            .unwrap_or_else(|e| panic!("{e:?}")),
        61
    );
    assert!(!Expr::Any(Vec::new()).matches_everyone());
    assert_eq!(
        store
            .count_users(f.bot, &Expr::Any(Vec::new()), now())
            .await
            .unwrap_or_else(|e| panic!("{e:?}")),
        0
    );

    // One user's delete, and a bulk delete of some.
    let user = store
        .query_i64(&format!(
            "SELECT MIN(id) FROM users WHERE bot_id = {}",
            f.bot.bot_id()
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .delete_user(f.bot, &user.to_string())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(totals(store, f.bot).await, (60, 60));
    let some: Vec<String> = (0..10).map(|n| format!("au{n}")).collect();
    let ids: Vec<i64> = {
        let mut ids = Vec::new();
        for external in &some {
            ids.push(
                store
                    .query_i64(&format!(
                        "SELECT id FROM users WHERE bot_id = {} AND external_id = '{external}'",
                        f.bot.bot_id()
                    ))
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}")),
            );
        }
        ids
    };
    let selection = CheckedSelection::Ids(ids.clone());
    let audit = AuditRecord {
        actor: "test".to_owned(),
        details: json!({"type": "delete"}),
        selection: json!({"ids": ids}),
    };
    store
        .bulk(
            f.bot,
            &selection,
            &CheckedAction::Delete { confirm: 10 },
            &audit,
            now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(totals(store, f.bot).await, (50, 50));

    // Several connections adding users to one bot at once.
    let mut running = Vec::new();
    for writer in 0..4 {
        let (store, bot) = (store.clone(), f.bot);
        running.push(tokio::spawn(async move {
            for batch in 0..5 {
                ingest_messages(&store, bot, &format!("w{writer}-{batch}-"), 0..20).await;
            }
        }));
    }
    for writer in running {
        writer.await.unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(totals(store, f.bot).await, (450, 450));

    // Deleting a bot deletes its users and its counts, and leaves the other's alone.
    let other_id = other.bot_id().to_string();
    store
        .delete_bot(f.workspace, &other_id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let left = store
        .query_i64(&format!(
            "SELECT COUNT(*) FROM bot_user_counts WHERE bot_id = {}",
            other.bot_id()
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(left, 0);
    assert_eq!(totals(store, f.bot).await, (450, 450));
}

/// Every user of `bot` that `filter` matches, by id, read page by page from the list.
async fn matching_ids(store: &Store, bot: BotScope, filter: &Expr) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor = None;
    loop {
        let query = cohort_store::ListQuery {
            filter: filter.clone(),
            sort: cohort_core::sort::Sort::default(),
            limit: 100,
            cursor,
            now: now(),
        };
        let page = store
            .list_users(bot, &query)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        ids.extend(
            page.data
                .iter()
                .map(|user| user.id.parse::<i64>().unwrap_or(-1)),
        );
        match page.next_cursor {
            Some(next) => {
                cursor = Some(
                    cohort_core::sort::Cursor::decode(&next, cohort_core::sort::Sort::default())
                        .unwrap_or_else(|e| panic!("{e:?}")),
                );
            }
            None => return ids,
        }
    }
}

#[tokio::test]
async fn a_selections_count_is_its_filters_matches_less_the_excepted_ones_it_matches() {
    let f = fixture().await;
    let store = f.store();
    let other = f.new_bot("Other").await;
    for bot in [f.bot, other] {
        f.database
            .seed_varied_users(bot, 240, now())
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    let elsewhere = store
        .query_i64(&format!(
            "SELECT MIN(id) FROM users WHERE bot_id = {}",
            other.bot_id()
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let filters = [
        json!({"all": []}),
        json!({"column": "tags", "function": "has", "value": "vip"}),
        json!({"column": "tags", "function": "has_not", "value": "vip"}),
        json!({"column": "attributes.plan", "function": "equals", "value": "pro"}),
        json!({"column": "channel", "function": "is", "value": "telegram"}),
        json!({"any": [
            {"column": "tags", "function": "has", "value": "gold"},
            {"column": "sessions", "function": "greater_than", "value": 5}
        ]}),
    ];
    let everyone = matching_ids(store, f.bot, &Expr::everyone()).await;
    for json in filters {
        let filter = cohort_core::filter::parse(&json, "/filter")
            .unwrap_or_else(|e| panic!("{json}: {e:?}"));
        let matching = matching_ids(store, f.bot, &filter).await;
        assert!(!matching.is_empty(), "{json} matches nobody");
        let unmatched = everyone.iter().find(|id| !matching.contains(id)).copied();
        // One id it matches, one it does not (where there is one), one of another bot.
        let except: Vec<i64> = [Some(matching[0]), unmatched, Some(elsewhere)]
            .into_iter()
            .flatten()
            .collect();
        let count = |except: Vec<i64>| {
            let selection = CheckedSelection::Filter {
                filter: filter.clone(),
                except,
            };
            async move {
                store
                    .count_selection(f.bot, &selection, now())
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"))
            }
        };
        assert_eq!(count(Vec::new()).await, matching.len() as u64, "{json}");
        assert_eq!(count(except).await, matching.len() as u64 - 1, "{json}");
    }
}
