//! Ingestion keeps stats equal to a rebuild from the log: for random events delivered in
//! random batches, in random order, some twice, every user's stats equal
//! `Stats::rebuild` of their distinct events. Concurrent deliveries of the same events
//! neither fail nor count twice.

use std::collections::BTreeMap;

use cohort_core::api::{EventInput, IngestEvents};
use cohort_core::events::check_events;
use cohort_core::filter::Expr;
use cohort_core::sentiment;
use cohort_core::sessions::{Event, EventKind, Stats};
use cohort_core::sort::Sort;
use cohort_core::time::{format_rfc3339, to_micros};
use cohort_store::ListQuery;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::helpers::fixture;

const TEXTS: &[&str] = &[
    "hahaha",
    "hello",
    "so slow!",
    "thanks!!",
    "not helpful",
    "ok",
];

#[derive(Debug, Clone)]
struct Generated {
    user: u8,
    seconds: i64,
    text: Option<&'static str>,
}

fn generated() -> impl Strategy<Value = Vec<Generated>> {
    proptest::collection::vec(
        (
            0u8..4,
            0i64..4_000,
            proptest::option::of(proptest::sample::select(TEXTS)),
        )
            .prop_map(|(user, seconds, text)| Generated {
                user,
                seconds,
                text,
            }),
        1..40,
    )
}

fn input(index: usize, event: &Generated) -> EventInput {
    let at = format_rfc3339(1_800_000_000_000_000 + event.seconds * 1_000_000);
    EventInput {
        id: format!("e{index}"),
        kind: if event.text.is_some() {
            "message"
        } else {
            "click"
        }
        .to_owned(),
        // Users on two channels, so a batch looks users up per channel.
        channel: if event.user.is_multiple_of(2) {
            "web"
        } else {
            "telegram"
        }
        .to_owned(),
        external_user_id: event.user.to_string(),
        text: event.text.map(str::to_owned),
        url: event
            .text
            .is_none()
            .then(|| "https://example.com".to_owned()),
        at,
        ..EventInput::default()
    }
}

#[test]
fn stats_after_any_delivery_equal_a_rebuild_from_the_distinct_events() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let fixture = runtime.block_on(fixture());
    let mut runner = TestRunner::new(Config {
        cases: 32,
        ..Config::default()
    });
    let strategy = (
        generated(),
        proptest::collection::vec(0usize..40, 0..10),
        1usize..12,
        60i64..900,
    );
    let case = std::cell::Cell::new(0);
    let result = runner.run(&strategy, |(events, repeats, batch_size, timeout)| {
        case.set(case.get() + 1);
        runtime.block_on(async {
            let bot = fixture.new_bot(&format!("ingest {}", case.get())).await;
            fixture
                .store()
                .execute_sql(&format!(
                    "UPDATE bots SET session_timeout_secs = {timeout} WHERE id = {}",
                    bot.bot_id()
                ))
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            // Deliveries: every event once, in the generated (random) order, plus repeats.
            let mut deliveries: Vec<EventInput> = events
                .iter()
                .enumerate()
                .map(|(i, e)| input(i, e))
                .collect();
            deliveries.extend(
                repeats
                    .iter()
                    .filter_map(|i| events.get(*i).map(|e| input(*i, e))),
            );
            let mut accepted = 0;
            for batch in deliveries.chunks(batch_size) {
                let checked = check_events(&IngestEvents {
                    events: batch.to_vec(),
                })
                .unwrap_or_else(|e| panic!("{e:?}"));
                accepted += fixture
                    .store()
                    .ingest(bot, &checked, cohort_store::testing::now())
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"))
                    .0;
            }
            prop_assert_eq!(accepted, events.len() as u64);

            let mut per_user: BTreeMap<String, Vec<Event>> = BTreeMap::new();
            for event in &events {
                let at = 1_800_000_000_000_000 + event.seconds * 1_000_000;
                let kind = match event.text {
                    Some(text) => EventKind::Message {
                        sentiment: sentiment::quantize(sentiment::score(text).score),
                    },
                    None => EventKind::Click,
                };
                per_user
                    .entry(event.user.to_string())
                    .or_default()
                    .push(Event { at, kind });
            }
            let query = ListQuery {
                filter: Expr::everyone(),
                sort: Sort::default(),
                limit: 500,
                cursor: None,
                now: 0,
            };
            let page = fixture
                .store()
                .list_users(bot, &query)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            prop_assert_eq!(page.data.len(), per_user.len());
            for user in &page.data {
                let expected = Stats::rebuild(&per_user[&user.external_id], timeout);
                prop_assert_eq!(user.sessions, expected.sessions);
                prop_assert_eq!(user.messages_sent, expected.messages_sent);
                prop_assert_eq!(user.clicks, expected.clicks);
                prop_assert_eq!(user.time_spent_secs, expected.time_spent_secs());
                prop_assert_eq!(user.average_sentiment, expected.average_sentiment());
                prop_assert_eq!(
                    user.last_message_at.map(to_micros),
                    expected.last_message_at
                );
            }
            Ok(())
        })
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

#[tokio::test]
async fn racing_deliveries_of_the_same_events_in_opposite_orders_all_succeed_once() {
    let fixture = fixture().await;
    let store = fixture.store();
    let mut total = 0;
    for round in 0..10 {
        // 200 events from 40 users; one delivery lists them forwards, the other backwards.
        let events: Vec<EventInput> = (0..200)
            .map(|index| {
                input(
                    round * 1_000 + index,
                    &Generated {
                        user: (index % 40) as u8,
                        seconds: (round * 1_000 + index) as i64,
                        text: Some("hello"),
                    },
                )
            })
            .collect();
        let forwards = check_events(&IngestEvents {
            events: events.clone(),
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        let backwards = check_events(&IngestEvents {
            events: events.into_iter().rev().collect(),
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        let (first, second) = tokio::join!(
            store.ingest(fixture.bot, &forwards, cohort_store::testing::now()),
            store.ingest(fixture.bot, &backwards, cohort_store::testing::now())
        );
        let (first, second) = (
            first.unwrap_or_else(|e| panic!("{e:?}")),
            second.unwrap_or_else(|e| panic!("{e:?}")),
        );
        assert_eq!(first.0 + second.0, 200, "round {round}");
        assert_eq!(first.1 + second.1, 200, "round {round}");
        total += 200;
    }
    let page = store
        .list_users(
            fixture.bot,
            &ListQuery {
                filter: Expr::everyone(),
                sort: Sort::default(),
                limit: 100,
                cursor: None,
                now: 0,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let messages: i64 = page.data.iter().map(|user| user.messages_sent).sum();
    assert_eq!(messages, total);
}
