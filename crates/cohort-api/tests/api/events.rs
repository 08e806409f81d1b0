//! Ingesting events: users created on the fly, duplicates counted once (also when racing),
//! bad batches refused whole, stats as PRODUCT.md defines them, messages with sentiment.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn message(id: &str, user: &str, text: &str, at: &str) -> Value {
    json!({"id": id, "type": "message", "channel": "telegram", "external_user_id": user, "text": text, "at": at})
}

fn click(id: &str, user: &str, at: &str) -> Value {
    json!({"id": id, "type": "click", "channel": "telegram", "external_user_id": user, "url": "https://example.com/menu", "at": at})
}

async fn ingest(app: &TestApp, bot: &str, events: Value) -> crate::helpers::Reply {
    app.post(
        &format!("/api/v1/bots/{bot}/events"),
        json!({"events": events}),
    )
    .await
}

/// One text field of every user of a page, in page order.
fn field_of_each<'p>(page: &'p Value, field: &str) -> Vec<&'p str> {
    page["data"]
        .as_array()
        .map(|users| {
            users
                .iter()
                .filter_map(|user| user[field].as_str())
                .collect()
        })
        .unwrap_or_default()
}

async fn only_user(app: &TestApp, bot: &str) -> Value {
    let page = app.get(&format!("/api/v1/bots/{bot}/users")).await;
    assert_eq!(page.body["total"], 1, "{page:?}");
    page.body["data"][0].clone()
}

#[tokio::test]
async fn users_an_event_creates_with_names_are_found_by_them() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let named = |id: &str, user: &str, first: &str, last: &str| {
        json!({"id": id, "type": "message", "channel": "telegram", "external_user_id": user,
            "first_name": first, "last_name": last, "text": "hi", "at": "2026-11-01T10:00:00Z"})
    };
    let reply = ingest(
        &app,
        &bot,
        json!([
            named("n1", "A", "Zoë", "Ångström"),
            named("n2", "B", "Ben", ""),
            message("n3", "C", "no name given", "2026-11-01T10:00:00Z"),
        ]),
    )
    .await;
    assert_eq!(reply.body["accepted"], 3, "{reply:?}");
    let search = format!("/api/v1/bots/{bot}/users/search");
    for (filter, expected) in [
        (
            json!({"column": "first_name", "function": "contains", "value": "ZOË"}),
            vec!["A"],
        ),
        (
            json!({"column": "last_name", "function": "equals", "value": "ÅNGSTRÖM"}),
            vec!["A"],
        ),
        (
            json!({"column": "name", "function": "contains", "value": "zoë ång"}),
            vec!["A"],
        ),
        (
            json!({"column": "last_name", "function": "is_not_set"}),
            vec!["B", "C"],
        ),
    ] {
        let reply = app
            .post(&search, json!({"filter": filter, "sort": "external_id"}))
            .await;
        let found = field_of_each(&reply.body, "external_id");
        assert_eq!(found, expected, "{filter}: {reply:?}");
    }
    let reply = app.post(&search, json!({"sort": "name"})).await;
    let names = field_of_each(&reply.body, "first_name");
    assert_eq!(names, ["Ben", "Zoë", ""], "{reply:?}");
}

#[tokio::test]
async fn events_in_any_order_and_twice_give_the_stats_product_md_defines() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    // Timeout 600 s. Sessions: [10:00, 10:05, 10:15 (gap exactly 600 s continues)] and
    // [10:30]: 2 sessions, 15 minutes spent.
    let late_first = json!([
        message("m3", "42", "hahaha", "2026-11-01T10:15:00Z"),
        message("m4", "42", "so slow!", "2026-11-01T10:30:00Z"),
    ]);
    let reply = ingest(&app, &bot, late_first).await;
    assert_eq!(
        reply.body,
        json!({"accepted": 2, "duplicates": 0}),
        "{reply:?}"
    );
    let reply = ingest(&app, &bot, json!([
        json!({"id": "m1", "type": "message", "channel": "Telegram", "external_user_id": "42", "first_name": "Yin Yin", "last_name": "Tan", "text": "hello", "at": "2026-11-01T10:00:00Z"}),
        click("c1", "42", "2026-11-01T10:05:00Z"),
        message("m3", "42", "hahaha", "2026-11-01T10:15:00Z"),
    ]))
    .await;
    assert_eq!(
        reply.body,
        json!({"accepted": 2, "duplicates": 1}),
        "{reply:?}"
    );

    let user = only_user(&app, &bot).await;
    assert_eq!(
        (user["first_name"].as_str(), user["last_name"].as_str()),
        (Some("Yin Yin"), Some("Tan"))
    );
    assert_eq!(user["sessions"], 2);
    assert_eq!(user["messages_sent"], 3);
    assert_eq!(user["clicks"], 1);
    assert_eq!(user["time_spent_secs"], 900);
    assert_eq!(user["last_message_at"], "2026-11-01T10:30:00Z");
    let average = user["average_sentiment"].as_f64().unwrap_or(f64::NAN);
    let scores = app
        .post(
            "/api/v1/sentiment",
            json!({"texts": ["hello", "hahaha", "so slow!"]}),
        )
        .await;
    let expected: f64 = scores.body["scores"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["score"].as_f64())
        .sum::<f64>()
        / 3.0;
    assert!((average - expected).abs() < 1e-9, "{average} vs {expected}");
    let label = if average >= 0.05 {
        "positive"
    } else if average <= -0.05 {
        "negative"
    } else {
        "neutral"
    };
    assert_eq!(user["average_sentiment_label"], label, "{average}");

    // The same filterable and sortable as any column.
    let found = app
        .search_ids(
            &bot,
            json!({"filter": {"all": [
        {"column": "sessions", "function": "equals", "value": 2},
        {"column": "time_spent_secs", "function": "greater_or_equal", "value": 900},
        {"column": "last_message_at", "function": "after", "value": "2026-11-01T10:29:59Z"}
    ]}, "sort": "-time_spent_secs"}),
        )
        .await;
    assert_eq!(found.len(), 1);
}

#[tokio::test]
async fn the_seed_examples_score_as_the_product_says_and_messages_list_newest_first() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    ingest(
        &app,
        &bot,
        json!([
            message("a", "1", "hahaha", "2026-11-01T10:00:00Z"),
            message("b", "1", "hello", "2026-11-01T10:01:00Z"),
            message("c", "1", "so slow!", "2026-11-01T10:02:00Z"),
            click("d", "1", "2026-11-01T10:03:00Z"),
        ]),
    )
    .await;
    let user = only_user(&app, &bot).await;
    let id = user["id"].as_str().unwrap_or_default();
    let first = app
        .get(&format!("/api/v1/bots/{bot}/users/{id}/messages?limit=2"))
        .await;
    assert_eq!(first.body["total"], 3, "{first:?}");
    let labels: Vec<(&str, &str)> = first.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m["text"].as_str().unwrap_or_default(),
                m["label"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(labels, [("so slow!", "negative"), ("hello", "neutral")]);
    let cursor = first.body["next_cursor"].as_str().unwrap_or_default();
    let second = app
        .get(&format!(
            "/api/v1/bots/{bot}/users/{id}/messages?limit=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(second.body["data"][0]["text"], "hahaha");
    assert_eq!(second.body["data"][0]["label"], "positive");
    assert_eq!(second.body["next_cursor"], Value::Null);

    let other = app.create_bot("Other").await;
    app.get(&format!("/api/v1/bots/{other}/users/{id}/messages"))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn a_batch_with_one_bad_event_is_refused_whole_naming_the_event() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let reply = ingest(&app, &bot, json!([
        message("ok", "1", "hello", "2026-11-01T10:00:00Z"),
        message("bad", "2", "hi", "last tuesday"),
        {"id": "x", "type": "view", "channel": "web", "external_user_id": "3", "at": "2026-11-01T10:00:00Z"},
    ]))
    .await;
    assert_eq!(
        reply.assert_problem(400),
        ["/events/1/at", "/events/2/type"]
    );
    assert_eq!(
        app.get(&format!("/api/v1/bots/{bot}/users")).await.body["total"],
        0
    );
    ingest(&app, &bot, json!([])).await.assert_problem(400);
    // A clock a day and more ahead would pin the user's last message there.
    let ahead = |hours: i64| (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339();
    let reply = ingest(
        &app,
        &bot,
        json!([
            message("soon", "4", "hi", &ahead(1)),
            message("far", "4", "hi", &ahead(25)),
            message("never", "4", "hi", "9999-12-31T23:59:59Z"),
        ]),
    )
    .await;
    assert_eq!(reply.assert_problem(400), ["/events/1/at", "/events/2/at"]);
    assert_eq!(
        app.get(&format!("/api/v1/bots/{bot}/users")).await.body["total"],
        0
    );
    let reply = ingest(&app, &bot, json!([message("soon", "4", "hi", &ahead(1))])).await;
    assert_eq!(reply.status.as_u16(), 200, "{reply:?}");
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/events"),
            json!({"events": [message("a", "1", "x", "2026-11-01T10:00:00Z")], "extra": 1}),
        )
        .await;
    reply.assert_problem(400);
    app.post("/api/v1/sentiment", json!({"texts": []}))
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn the_same_batch_delivered_twice_at_once_counts_once() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let events: Vec<Value> = (0..200)
        .map(|i| {
            message(
                &format!("e{i}"),
                &format!("u{}", i % 20),
                "thanks!",
                &format!("2026-11-01T10:{:02}:{:02}Z", i / 60, i % 60),
            )
        })
        .collect();
    let (first, second) = tokio::join!(
        ingest(&app, &bot, json!(events)),
        ingest(&app, &bot, json!(events))
    );
    let accepted = first.body["accepted"].as_u64().unwrap_or(0)
        + second.body["accepted"].as_u64().unwrap_or(0);
    let duplicates = first.body["duplicates"].as_u64().unwrap_or(0)
        + second.body["duplicates"].as_u64().unwrap_or(0);
    assert_eq!((accepted, duplicates), (200, 200), "{first:?} {second:?}");
    let page = app
        .post(
            &format!("/api/v1/bots/{bot}/users/search"),
            json!({"limit": 500}),
        )
        .await;
    assert_eq!(page.body["total"], 20);
    let messages: i64 = page.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["messages_sent"].as_i64())
        .sum();
    assert_eq!(messages, 200);
}

/// PRODUCT.md: an event id seen before is ignored. A late redelivery carrying other names,
/// or another user, once renamed the user or created a user with no messages.
#[tokio::test]
async fn a_redelivered_event_changes_nothing_even_with_other_names_or_another_user() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let first = json!([{"id": "nm-3", "type": "message", "channel": "telegram", "external_user_id": "A", "first_name": "Alice", "text": "x", "at": "2026-11-01T11:02:00Z"}]);
    let reply = ingest(&app, &bot, first).await;
    assert_eq!(
        reply.body,
        json!({"accepted": 1, "duplicates": 0}),
        "{reply:?}"
    );
    for redelivery in [
        json!({"id": "nm-3", "type": "message", "channel": "telegram", "external_user_id": "A", "first_name": "Mallory", "text": "x", "at": "2026-11-01T11:02:00Z"}),
        json!({"id": "nm-3", "type": "message", "channel": "telegram", "external_user_id": "C", "first_name": "Ghost", "text": "x", "at": "2026-11-01T11:02:00Z"}),
    ] {
        let reply = ingest(&app, &bot, json!([redelivery])).await;
        assert_eq!(
            reply.body,
            json!({"accepted": 0, "duplicates": 1}),
            "{reply:?}"
        );
    }
    let user = only_user(&app, &bot).await;
    assert_eq!(user["first_name"], "Alice", "{user}");
    assert_eq!(user["external_id"], "A", "{user}");
}
