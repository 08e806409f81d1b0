//! What enters the API is checked before anything runs: a body is a JSON object (no
//! struct is ever filled from an array), and no text anywhere (body strings and keys,
//! filter values, query parameters, path segments) holds NUL or another control character
//! no field may hold. Each refusal is a 400 problem pointing at the value, and changes
//! nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A bot with one user, Yin Yin Tan; returns `(bot, user)`.
async fn bot_with_yin(app: &TestApp) -> (String, String) {
    let bot = app.create_bot("Bot").await;
    let reply = app
        .upsert_user(
            &bot,
            json!({"channel": "telegram", "external_id": "42", "first_name": "Yin Yin",
                   "last_name": "Tan", "email": "yinyin@example.com", "tags": ["vip"],
                   "attributes": {"plan": "pro"}}),
        )
        .await;
    assert!(reply.status.is_success(), "{reply:?}");
    let user = reply.body["id"].as_str().unwrap_or_default().to_owned();
    (bot, user)
}

/// The user as the API shows it now.
async fn user_now(app: &TestApp, bot: &str, user: &str) -> Value {
    let reply = app.get(&format!("/api/v1/bots/{bot}/users/{user}")).await;
    assert_eq!(reply.status.as_u16(), 200, "{reply:?}");
    reply.body
}

#[tokio::test]
async fn a_patch_body_that_is_an_array_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (bot, user) = bot_with_yin(&app).await;
    let before = user_now(&app, &bot, &user).await;
    let path = format!("/api/v1/bots/{bot}/users/{user}");
    for body in [
        json!(["Mallory", "X", "m@evil.example"]),
        json!([null, null]),
        json!("Mallory"),
        json!(null),
        json!(7),
    ] {
        let pointers = app.patch(&path, body.clone()).await.assert_problem(400);
        assert_eq!(pointers, [""], "{body}");
    }
    assert_eq!(user_now(&app, &bot, &user).await, before);
}

#[tokio::test]
async fn a_bulk_body_with_arrays_for_objects_deletes_nobody() {
    let app = spawn_app().await;
    let (bot, user) = bot_with_yin(&app).await;
    let bulk = format!("/api/v1/bots/{bot}/users/bulk");
    let pointers = app
        .post(
            &bulk,
            json!([[[user.clone()]], {"type": "delete", "confirm": 1}]),
        )
        .await
        .assert_problem(400);
    assert_eq!(pointers, [""]);
    let pointers = app
        .post(
            &bulk,
            json!({"selection": [[user.clone()]], "action": {"type": "delete", "confirm": 1}}),
        )
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/selection"]);
    let pointers = app
        .post(
            &bulk,
            json!({"selection": {"ids": [user.clone()]}, "action": ["delete", 1]}),
        )
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/action"]);
    let pointers = app
        .post(
            &bulk,
            json!({"selection": {"ids": [user.clone()]},
                   "action": {"type": "set_attributes", "attributes": [["plan", "free"]]}}),
        )
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/action"]);
    assert_eq!(
        user_now(&app, &bot, &user).await["attributes"]["plan"],
        "pro"
    );
    // The same request written with objects does what it says.
    let reply = app
        .post(
            &bulk,
            json!({"selection": {"ids": [user.clone()]}, "action": {"type": "delete", "confirm": 1}}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{reply:?}");
    assert_eq!(reply.body["affected"], 1);
}

#[tokio::test]
async fn every_endpoint_with_a_body_refuses_a_top_level_array() {
    let app = spawn_app().await;
    let (bot, _user) = bot_with_yin(&app).await;
    let endpoints = [
        (Method::POST, "/api/v1/bots".to_owned()),
        (Method::PATCH, format!("/api/v1/bots/{bot}")),
        (Method::POST, format!("/api/v1/bots/{bot}/users")),
        (Method::POST, format!("/api/v1/bots/{bot}/users/search")),
        (Method::POST, format!("/api/v1/bots/{bot}/users/count")),
        (Method::POST, format!("/api/v1/bots/{bot}/events")),
        (Method::POST, format!("/api/v1/bots/{bot}/exports")),
        (Method::POST, "/api/v1/sentiment".to_owned()),
        (Method::POST, "/api/v1/auth/login".to_owned()),
    ];
    for (method, path) in endpoints {
        let reply = app
            .send(method.clone(), &path, Some(json!([["x"], "y"])))
            .await;
        assert_eq!(reply.assert_problem(400), [""], "{method} {path}");
    }
    assert_eq!(
        app.get("/api/v1/bots").await.body["data"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_repeated_key_is_refused_rather_than_guessed() {
    let app = spawn_app().await;
    let (bot, _user) = bot_with_yin(&app).await;
    let reply = app
        .send_raw(
            Method::POST,
            &format!("/api/v1/bots/{bot}/users/bulk"),
            "application/json",
            r#"{"selection": {"filter": {"all": []}}, "action": {"type": "delete", "confirm": 1, "confirm": 1}}"#,
        )
        .await;
    assert_eq!(reply.assert_problem(400), ["/action/confirm"]);
    assert_eq!(
        app.get(&format!("/api/v1/bots/{bot}/users")).await.body["total"],
        1
    );
}

#[tokio::test]
async fn nul_in_a_search_filter_is_a_400_pointing_at_the_value_on_every_engine() {
    let app = spawn_app().await;
    let (bot, _user) = bot_with_yin(&app).await;
    let filter = json!({"column": "first_name", "function": "contains", "value": "a\u{0}"});
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/users/search"),
            json!({"filter": filter}),
        )
        .await;
    assert_eq!(reply.assert_problem(400), ["/filter/value"]);
    // The same filter in the query string, where NUL is a JSON escape inside the text.
    let encoded: String = filter
        .to_string()
        .bytes()
        .map(|byte| format!("%{byte:02X}"))
        .collect();
    let reply = app
        .get(&format!("/api/v1/bots/{bot}/users?filter={encoded}"))
        .await;
    assert_eq!(reply.assert_problem(400), ["/query/filter/value"]);
    // Inside a group, and in a selection's filter.
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/users/count"),
            json!({"selection": {"filter": {"any": [{"column": "attributes.plan", "function": "equals", "value": "p\u{0}ro"}]}}}),
        )
        .await;
    assert_eq!(reply.assert_problem(400), ["/selection/filter/any/0/value"]);
}

#[tokio::test]
async fn a_filter_of_many_empty_groups_is_a_400_and_the_largest_allowed_filter_runs_on_every_engine()
 {
    let app = spawn_app().await;
    let (bot, _user) = bot_with_yin(&app).await;
    let search = format!("/api/v1/bots/{bot}/users/search");
    // A thousand empty groups were a 500 on SQLite ("Expression tree is too large").
    let empty = json!({"all": []});
    let groups: Vec<Value> = (0..10)
        .map(|_| json!({"any": vec![empty.clone(); 100]}))
        .collect();
    let reply = app.post(&search, json!({"filter": {"all": groups}})).await;
    assert_eq!(reply.assert_problem(400), ["/filter/all/0/any/98"]);
    // The most a filter may hold: 100 groups, 100 conditions, 8 levels deep.
    let condition = json!({"column": "first_name", "function": "contains", "value": "yin"});
    let mut nested = json!({"any": vec![condition.clone(); 20]});
    for _ in 0..5 {
        nested = json!({"all": [nested, condition.clone()]});
    }
    let wide: Vec<Value> = (0..73)
        .map(|index| {
            if index < 18 {
                json!({"any": [condition.clone(), condition.clone(), condition.clone(), condition.clone()]})
            } else {
                json!({"all": []})
            }
        })
        .collect();
    let mut items = vec![nested];
    items.extend(wide);
    items.extend(vec![condition.clone(); 3]);
    let largest = json!({"any": [{"all": items}, {"any": vec![json!({"all": []}); 18]}]});
    let reply = app.post(&search, json!({"filter": largest})).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["total"], 1);
}

#[tokio::test]
async fn an_integer_written_with_a_zero_fraction_is_taken_as_the_integer() {
    let app = spawn_app().await;
    let (bot, user) = bot_with_yin(&app).await;
    let search = format!("/api/v1/bots/{bot}/users/search");
    let reply = app.post(&search, json!({"limit": 2.0})).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let reply = app.post(&search, json!({"limit": 2.5})).await;
    assert_eq!(reply.assert_problem(400), ["/limit"]);
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/users/bulk"),
            json!({"selection": {"ids": [user]}, "action": {"type": "delete", "confirm": 1.0}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["affected"], 1);
}

#[tokio::test]
async fn control_characters_in_body_keys_query_and_path_point_at_their_place() {
    let app = spawn_app().await;
    let (bot, user) = bot_with_yin(&app).await;
    let before = user_now(&app, &bot, &user).await;
    let path = format!("/api/v1/bots/{bot}/users/{user}");
    let reply = app
        .patch(&path, json!({"first_name": "Ma\u{0}llory", "notes": "ok"}))
        .await;
    assert_eq!(reply.assert_problem(400), ["/first_name"]);
    let reply = app
        .patch(
            &path,
            json!({"attributes": {"pl\u{0}an": "x", "ok": "a\u{1b}[31m"}}),
        )
        .await;
    assert_eq!(
        reply.assert_problem(400),
        ["/attributes/ok", "/attributes/pl\u{0}an"]
    );
    let reply = app.patch(&path, json!({"notes": "next line\u{85}"})).await;
    assert_eq!(reply.assert_problem(400), ["/notes"]);
    assert_eq!(user_now(&app, &bot, &user).await, before);

    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/events"),
            json!({"events": [{"id": "e\u{0}1", "type": "message", "channel": "telegram",
                   "external_user_id": "42", "text": "hi\u{7}", "at": "2026-11-01T10:00:00Z"}]}),
        )
        .await;
    assert_eq!(
        reply.assert_problem(400),
        ["/events/0/id", "/events/0/text"]
    );

    let reply = app
        .get(&format!("/api/v1/bots/{bot}/users?sort=name%00"))
        .await;
    assert_eq!(reply.assert_problem(400), ["/query/sort"]);
    let reply = app.get(&format!("/api/v1/bots/{bot}/users/%00")).await;
    assert_eq!(reply.assert_problem(400), ["/path/5"]);
    let reply = app.get("/api/v1/bots/%C2%9B").await;
    assert_eq!(reply.assert_problem(400), ["/path/3"]);
}

#[tokio::test]
async fn tab_line_feed_and_carriage_return_stay_where_a_field_is_multi_line() {
    let app = spawn_app().await;
    let (bot, user) = bot_with_yin(&app).await;
    let path = format!("/api/v1/bots/{bot}/users/{user}");
    let reply = app
        .patch(
            &path,
            json!({"notes": "called twice\r\nprefers\tchat",
                   "attributes": {"address": "1 Main St\r\nApt 2\tSingapore"}}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{reply:?}");
    assert_eq!(reply.body["notes"], "called twice\r\nprefers\tchat");
    assert_eq!(
        reply.body["attributes"]["address"],
        "1 Main St\r\nApt 2\tSingapore"
    );
    // Single-line fields still refuse them.
    let reply = app.patch(&path, json!({"first_name": "Yin\nYin"})).await;
    assert_eq!(reply.assert_problem(400), ["/first_name"]);
}
