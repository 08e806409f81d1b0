//! Writes that race each other: ingestion of a user's events while a bulk delete removes
//! that user. Either may deadlock or find the other's row gone (PostgreSQL 40P01, 23503),
//! or wait on the lock (SQLite); the store runs the loser again, so neither fails, and
//! the stats stay what the stored events say.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cohort_core::api::{EventInput, IngestEvents};
use cohort_core::bulk::{CheckedAction, CheckedSelection};
use cohort_core::events::check_events;
use cohort_core::filter::Expr;
use cohort_core::time::format_rfc3339;
use cohort_store::{AuditRecord, StoreError};

use crate::helpers::fixture;

/// How long the two writers race.
const RACE: Duration = Duration::from_secs(6);

/// A batch of 60 message events from 30 users (two each, in shuffled user order), with
/// ids unique to `batch`.
fn batch(batch: u64) -> IngestEvents {
    let events = (0..60u64)
        .map(|index| {
            let user = (index * 7 + batch) % 30;
            EventInput {
                id: format!("b{batch}-e{index}"),
                kind: "message".to_owned(),
                channel: "web".to_owned(),
                external_user_id: format!("u{user}"),
                text: Some("hello".to_owned()),
                at: format_rfc3339(1_800_000_000_000_000 + (batch * 100 + index) as i64),
                ..EventInput::default()
            }
        })
        .collect();
    IngestEvents { events }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ingestion_racing_bulk_deletes_of_the_same_users_never_fails() {
    let fixture = Arc::new(fixture().await);
    let bot = fixture.bot;
    let stop = Arc::new(AtomicBool::new(false));
    let deletes = Arc::new(AtomicU64::new(0));

    let ingesters: Vec<_> = (0..2u64)
        .map(|writer| {
            let (fixture, stop) = (fixture.clone(), stop.clone());
            tokio::spawn(async move {
                let mut number = writer;
                let mut accepted_batches = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let events = check_events(&batch(number)).unwrap_or_else(|e| panic!("{e:?}"));
                    match fixture
                        .store()
                        .ingest(bot, &events, cohort_store::testing::now())
                        .await
                    {
                        Ok((accepted, duplicates)) => {
                            assert_eq!((accepted, duplicates), (60, 0), "batch {number}");
                            accepted_batches += 1;
                        }
                        Err(error) => panic!("ingesting batch {number} failed: {error:?}"),
                    }
                    number += 2;
                }
                accepted_batches
            })
        })
        .collect();

    let deleter = {
        let (fixture, stop, deletes) = (fixture.clone(), stop.clone(), deletes.clone());
        tokio::spawn(async move {
            let selection = CheckedSelection::Filter {
                filter: Expr::everyone(),
                except: Vec::new(),
            };
            let audit = AuditRecord {
                actor: "test".to_owned(),
                details: serde_json::json!({"type": "delete"}),
                selection: serde_json::json!({"filter": {"all": []}}),
            };
            while !stop.load(Ordering::Relaxed) {
                let count = fixture
                    .store()
                    .count_selection(bot, &selection, 0)
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"));
                let action = CheckedAction::Delete { confirm: count };
                match fixture
                    .store()
                    .bulk(bot, &selection, &action, &audit, 0)
                    .await
                {
                    Ok(_) => {
                        deletes.fetch_add(1, Ordering::Relaxed);
                    }
                    // Ingestion created users between the count and the delete: the
                    // delete is refused whole, as it should be.
                    Err(StoreError::ConfirmMismatch { .. }) => {}
                    Err(error) => panic!("the bulk delete failed: {error:?}"),
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };

    let started = Instant::now();
    tokio::time::sleep(RACE).await;
    stop.store(true, Ordering::Relaxed);
    let mut batches = 0;
    for ingester in ingesters {
        batches += ingester.await.unwrap_or_else(|e| panic!("{e}"));
    }
    deleter.await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        batches >= 10,
        "only {batches} batches in {:?}",
        started.elapsed()
    );
    assert!(
        deletes.load(Ordering::Relaxed) >= 3,
        "only {} deletes went through",
        deletes.load(Ordering::Relaxed)
    );

    // Every remaining user's stats are what their stored events say.
    let store = fixture.store();
    let bot_id = bot.bot_id();
    let inconsistent = store
        .query_i64(&format!(
            "SELECT COUNT(*) FROM user_stats s WHERE s.bot_id = {bot_id} AND s.messages_sent <> \
             (SELECT COUNT(*) FROM events e WHERE e.user_id = s.user_id AND e.kind = 'message')"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(inconsistent, 0);
    let orphans = store
        .query_i64(&format!(
            "SELECT COUNT(*) FROM events e WHERE e.bot_id = {bot_id} \
             AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id)"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(orphans, 0);
    // The bot's user count, kept by triggers through all of it, is still exact.
    let counted = store
        .count_users(bot, &Expr::everyone(), 0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let users = store
        .query_i64(&format!(
            "SELECT COUNT(*) FROM users WHERE bot_id = {bot_id}"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(i64::try_from(counted).ok(), Some(users));
}

/// SQLite's writer queue: a write waits its turn behind a long one instead of failing
/// with "database is locked", gives up after its wait with `Busy` having changed nothing,
/// and goes through once the turn is free. PostgreSQL has no queue: the same write goes
/// through at once.
#[tokio::test]
async fn a_write_waits_its_turn_and_is_busy_only_when_the_turn_never_comes() {
    let fixture = fixture().await;
    let bot = fixture.bot;
    let store = fixture
        .store()
        .clone()
        .with_write_wait(Duration::from_millis(200));
    let events = check_events(&batch(1)).unwrap_or_else(|e| panic!("{e:?}"));
    let users = |store: cohort_store::Store| async move {
        store
            .query_i64(&format!(
                "SELECT COUNT(*) FROM users WHERE bot_id = {}",
                bot.bot_id()
            ))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
    };

    let turn = store.hold_writer_turn().await;
    let started = Instant::now();
    let held = store
        .ingest(bot, &events, cohort_store::testing::now())
        .await;
    if cohort_store::testing::engine() == "sqlite" {
        assert!(turn.is_some(), "SQLite has a writer queue");
        match held {
            Err(error @ StoreError::Busy) => assert!(error.is_busy()),
            other => panic!("a write behind a held turn is Busy, not {other:?}"),
        }
        assert!(
            started.elapsed() >= Duration::from_millis(200),
            "it waited its whole turn first: {:?}",
            started.elapsed()
        );
        assert_eq!(
            users(store.clone()).await,
            0,
            "a busy write changes nothing"
        );

        // A writer that starts waiting while the turn is held goes through once it is
        // given up.
        let waiting = tokio::spawn({
            let (store, events) = (
                store.clone().with_write_wait(Duration::from_secs(10)),
                events.clone(),
            );
            async move {
                store
                    .ingest(bot, &events, cohort_store::testing::now())
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!waiting.is_finished(), "it waits while the turn is held");
        drop(turn);
        let (accepted, duplicates) = waiting
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("the waiting write failed: {e:?}"));
        assert_eq!((accepted, duplicates), (60, 0));
    } else {
        assert!(turn.is_none(), "PostgreSQL has no writer queue");
        let (accepted, _) = held.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(accepted, 60);
    }
    assert_eq!(users(store).await, 30);
}
