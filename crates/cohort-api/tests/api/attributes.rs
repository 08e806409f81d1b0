//! Attribute values as PRODUCT.md's exact rules have them: up to 10,000 characters, tab
//! and line breaks kept, numbers compared numerically when a filter gives a JSON number.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Creates a user with these attributes and returns its id.
async fn user_with(app: &TestApp, bot: &str, external_id: &str, attributes: Value) -> String {
    let reply = app
        .upsert_user(
            bot,
            json!({"channel": "web", "external_id": external_id, "attributes": attributes}),
        )
        .await;
    assert!(reply.status.is_success(), "{reply:?}");
    reply.body["id"].as_str().unwrap_or_default().to_owned()
}

fn equals(key: &str, value: Value) -> Value {
    json!({"filter": {"column": format!("attributes.{key}"), "function": "equals", "value": value}})
}

#[tokio::test]
async fn attributes_equals_nine_finds_0009_and_other_spellings_of_nine() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let padded = user_with(&app, &bot, "padded", json!({"age": "0009"})).await;
    let decimal = user_with(&app, &bot, "decimal", json!({"age": " 9.0 "})).await;
    let exponent = user_with(&app, &bot, "exponent", json!({"age": "9e0"})).await;
    let words = user_with(&app, &bot, "words", json!({"age": "nine"})).await;
    let none = user_with(&app, &bot, "none", json!({})).await;
    let mut found = app.search_ids(&bot, equals("age", json!(9))).await;
    found.sort();
    let mut expected = vec![padded.clone(), decimal.clone()];
    expected.sort();
    assert_eq!(found, expected);
    // not_equals is the exact complement, users without a numeric age included.
    let mut found = app
        .search_ids(
            &bot,
            json!({"filter": {"column": "attributes.age", "function": "not_equals", "value": 9}}),
        )
        .await;
    found.sort();
    let mut expected = vec![exponent, words, none];
    expected.sort();
    assert_eq!(found, expected);
    // A JSON string still compares as text.
    assert_eq!(
        app.search_ids(&bot, equals("age", json!("0009"))).await,
        [padded]
    );
    assert!(
        app.search_ids(&bot, equals("age", json!("9")))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_ten_thousand_character_value_is_stored_and_found_by_equals_and_contains() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    // Multi-byte characters, so the value is far beyond a PostgreSQL btree entry.
    let long: String = "Ωmega straße 全角 ".chars().cycle().take(10_000).collect();
    let mut other: String = long.chars().take(9_999).collect();
    other.push('x');
    let user = user_with(&app, &bot, "long", json!({"bio": long})).await;
    let lookalike = user_with(&app, &bot, "lookalike", json!({"bio": other})).await;
    let reply = app.get(&format!("/api/v1/bots/{bot}/users/{user}")).await;
    assert_eq!(reply.body["attributes"]["bio"], json!(long));
    let short: String = long.chars().take(900).collect();
    let mut both = app
        .search_ids(
            &bot,
            json!({"filter": {"column": "attributes.bio", "function": "starts_with", "value": short}}),
        )
        .await;
    both.sort();
    let mut expected = vec![user.clone(), lookalike.clone()];
    expected.sort();
    assert_eq!(both, expected);
    assert_eq!(
        app.search_ids(
            &bot,
            json!({"filter": {"column": "attributes.bio", "function": "ends_with", "value": "全角x"}}),
        )
        .await,
        std::slice::from_ref(&lookalike)
    );
    // PATCH and bulk take values as long, and refuse one character more.
    let path = format!("/api/v1/bots/{bot}/users/{user}");
    let reply = app
        .patch(&path, json!({"attributes": {"bio2": long}}))
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{reply:?}");
    let too_long: String = "y".repeat(10_001);
    let pointers = app
        .patch(&path, json!({"attributes": {"bio3": too_long}}))
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/attributes/bio3"]);
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/users/bulk"),
            json!({"selection": {"ids": [user.clone(), lookalike.clone()]},
                   "action": {"type": "set_attributes", "attributes": {"bio": long}}}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{reply:?}");
    assert_eq!(reply.body["affected"], 1, "only the lookalike changed");
    let pointers = app
        .post(
            &format!("/api/v1/bots/{bot}/users/bulk"),
            json!({"selection": {"ids": [user]},
                   "action": {"type": "set_attributes", "attributes": {"bio": too_long}}}),
        )
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/action/attributes/bio"]);
}

#[tokio::test]
async fn equals_on_long_values_sharing_a_long_prefix_tells_them_apart() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let prefix = "shared prefix ".repeat(30);
    let first = user_with(&app, &bot, "a", json!({"note": format!("{prefix}one")})).await;
    let second = user_with(&app, &bot, "b", json!({"note": format!("{prefix}two")})).await;
    assert_eq!(
        app.search_ids(&bot, equals("note", json!(format!("{prefix}ONE"))))
            .await,
        [first]
    );
    assert_eq!(
        app.search_ids(&bot, equals("note", json!(format!("  {prefix}two  "))))
            .await,
        [second]
    );
}

#[tokio::test]
async fn a_multi_line_address_with_tabs_is_accepted_everywhere_values_are_written() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let address = "1 Main St\r\nApt 2\tBlock B\nSingapore 018956";
    let user = user_with(&app, &bot, "addr", json!({"address": address})).await;
    let reply = app.get(&format!("/api/v1/bots/{bot}/users/{user}")).await;
    assert_eq!(reply.body["attributes"]["address"], address);
    assert_eq!(
        app.search_ids(
            &bot,
            json!({"filter": {"column": "attributes.address", "function": "contains", "value": "apt 2\tblock"}}),
        )
        .await,
        std::slice::from_ref(&user)
    );
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/users/bulk"),
            json!({"selection": {"ids": [user]},
                   "action": {"type": "set_attributes", "attributes": {"billing": address}}}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{reply:?}");
    assert_eq!(reply.body["affected"], 1);
}
