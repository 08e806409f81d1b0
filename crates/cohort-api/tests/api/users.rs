//! Users over HTTP: create-or-update, read, patch, delete, search, columns and tags.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn seed(app: &TestApp, bot: &str) -> Vec<String> {
    let people = [
        json!({"channel": "telegram", "external_id": "1", "first_name": "Yin Yin", "last_name": "Tan", "tags": ["VIP"], "attributes": {"fav_food": "pizza", "age": "31"}}),
        json!({"channel": "telegram", "external_id": "2", "first_name": "Yin", "last_name": "Lee", "tags": ["vip", "new"]}),
        json!({"channel": "whatsapp", "external_id": "3", "first_name": "José", "last_name": "Álvarez", "email": "jose@example.com", "attributes": {"fav_food": "Pasta", "age": "forty"}}),
        json!({"channel": "web", "external_id": "4"}),
    ];
    let mut ids = Vec::new();
    for person in people {
        let reply = app.upsert_user(bot, person).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
        ids.push(reply.body["id"].as_str().unwrap_or_default().to_owned());
    }
    ids
}

#[tokio::test]
async fn first_name_contains_yin_yin_returns_exactly_yin_yin() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let ids = seed(&app, &bot).await;
    let filter = json!({"column": "first_name", "function": "contains", "value": "Yin Yin"});
    assert_eq!(
        app.search_ids(&bot, json!({"filter": filter})).await,
        [ids[0].clone()]
    );

    let encoded: String = filter
        .to_string()
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect();
    let listed = app
        .get(&format!("/api/v1/bots/{bot}/users?filter={encoded}"))
        .await;
    assert_eq!(listed.body["total"], 1, "{listed:?}");
    assert_eq!(listed.body["data"][0]["first_name"], "Yin Yin");
}

#[tokio::test]
async fn every_function_family_and_nested_groups_work_over_http() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let ids = seed(&app, &bot).await;
    let check = |filter: Value, expected: Vec<&String>| {
        let mut expected: Vec<String> = expected.into_iter().cloned().collect();
        expected.sort();
        let app = &app;
        let bot = bot.clone();
        async move {
            let mut got = app
                .search_ids(&bot, json!({"filter": filter, "sort": "created_at"}))
                .await;
            got.sort();
            assert_eq!(got, expected, "{filter}");
        }
    };
    check(
        json!({"column": "tags", "function": "has", "value": "VIP"}),
        vec![&ids[0], &ids[1]],
    )
    .await;
    check(
        json!({"column": "tags", "function": "has_all_of", "value": ["vip", "NEW"]}),
        vec![&ids[1]],
    )
    .await;
    check(
        json!({"column": "tags", "function": "has_not", "value": "vip"}),
        vec![&ids[2], &ids[3]],
    )
    .await;
    check(
        json!({"column": "channel", "function": "is_any_of", "value": ["WhatsApp", "web"]}),
        vec![&ids[2], &ids[3]],
    )
    .await;
    check(
        json!({"column": "attributes.age", "function": "greater_than", "value": 30}),
        vec![&ids[0]],
    )
    .await;
    check(
        json!({"column": "attributes.fav_food", "function": "not_equals", "value": "PIZZA"}),
        vec![&ids[1], &ids[2], &ids[3]],
    )
    .await;
    check(
        json!({"column": "email", "function": "is_not_set"}),
        vec![&ids[0], &ids[1], &ids[3]],
    )
    .await;
    check(
        json!({"column": "name", "function": "ends_with", "value": "ÁLVAREZ"}),
        vec![&ids[2]],
    )
    .await;
    check(
        json!({"column": "sessions", "function": "equals", "value": 0}),
        ids.iter().collect(),
    )
    .await;
    check(
        json!({"column": "last_message_at", "function": "is_not_set"}),
        ids.iter().collect(),
    )
    .await;
    check(json!({"column": "created_at", "function": "within_last", "value": {"amount": 1, "unit": "hours"}}), ids.iter().collect()).await;
    check(
        json!({"all": [
            {"any": [{"column": "channel", "function": "is", "value": "telegram"}, {"column": "tags", "function": "has", "value": "none"}]},
            {"all": [{"column": "first_name", "function": "starts_with", "value": "yin"}]},
            {"column": "last_name", "function": "not_contains", "value": "lee"}
        ]}),
        vec![&ids[0]],
    )
    .await;
    check(json!({"any": []}), vec![]).await;
}

#[tokio::test]
async fn pages_follow_the_cursor_to_the_end_with_an_exact_total() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let ids = seed(&app, &bot).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut body = json!({"limit": 1, "sort": "-name"});
        if let Some(cursor) = &cursor {
            body["cursor"] = json!(cursor);
        }
        let page = app
            .post(&format!("/api/v1/bots/{bot}/users/search"), body)
            .await;
        assert_eq!(page.body["total"], 4, "{page:?}");
        seen.extend(
            page.body["data"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|u| u["id"].as_str().map(str::to_owned)),
        );
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    // -name: "yin yin tan", "yin lee", "josé álvarez", then the user without a name.
    assert_eq!(
        seen,
        [
            ids[0].clone(),
            ids[1].clone(),
            ids[2].clone(),
            ids[3].clone()
        ]
    );
}

#[tokio::test]
async fn upsert_updates_by_channel_and_external_id_and_patch_edits_in_place() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let first = app
        .upsert_user(
            &bot,
            json!({"channel": "Telegram", "external_id": "42", "first_name": "Yin"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = app.upsert_user(&bot, json!({"channel": "telegram", "external_id": "42", "last_name": "Tan", "tags": ["VIP"]})).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.body["first_name"], "Yin");
    let id = again.body["id"].as_str().unwrap_or_default().to_owned();

    let patched = app
        .patch(&format!("/api/v1/bots/{bot}/users/{id}"), json!({"first_name": "Yin Yin", "notes": "Likes spicy food.", "attributes": {"fav_food": "pizza"}, "tags": []}))
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{patched:?}");
    assert_eq!(patched.body["first_name"], "Yin Yin");
    assert_eq!(patched.body["tags"], json!([]));
    assert_eq!(patched.body["attributes"], json!({"fav_food": "pizza"}));
    assert_eq!(patched.body["sessions"], 0);
    assert_eq!(patched.body["average_sentiment"], Value::Null);
    assert_eq!(patched.body["average_sentiment_label"], Value::Null);

    let fetched = app.get(&format!("/api/v1/bots/{bot}/users/{id}")).await;
    assert_eq!(fetched.body, patched.body);

    // A change that changes nothing writes nothing: `updated_at` stays. Particulars as
    // they are (trimmed), the same tags, an attribute as it is, one removed that is not
    // there, and the same upsert again.
    let path = format!("/api/v1/bots/{bot}/users/{id}");
    for same in [
        json!({}),
        json!({"first_name": " Yin Yin ", "notes": "Likes spicy food.", "tags": []}),
        json!({"attributes": {"fav_food": "pizza", "never_set": null}}),
    ] {
        let unchanged = app.patch(&path, same.clone()).await;
        assert_eq!(unchanged.status, StatusCode::OK, "{same}: {unchanged:?}");
        assert_eq!(unchanged.body, patched.body, "{same}");
    }
    let tagged = app.patch(&path, json!({"tags": ["VIP"]})).await;
    assert_eq!(tagged.body["tags"], json!(["VIP"]));
    assert_ne!(tagged.body["updated_at"], patched.body["updated_at"]);
    // Tags compare folded: "vip" is the tag the user has, in the bot's spelling.
    let same_tag = app.patch(&path, json!({"tags": ["vip"]})).await;
    assert_eq!(same_tag.body, tagged.body);
    let upserted = app
        .upsert_user(&bot, json!({"channel": "telegram", "external_id": "42", "last_name": "Tan", "tags": ["VIP"]}))
        .await;
    assert_eq!(upserted.status, StatusCode::OK);
    assert_eq!(upserted.body, tagged.body);
    let renamed = app.patch(&path, json!({"last_name": "Tan Wei"})).await;
    assert_eq!(renamed.body["last_name"], "Tan Wei");
    assert_ne!(renamed.body["updated_at"], tagged.body["updated_at"]);

    assert_eq!(
        app.delete(&format!("/api/v1/bots/{bot}/users/{id}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    app.get(&format!("/api/v1/bots/{bot}/users/{id}"))
        .await
        .assert_problem(404);
    app.delete(&format!("/api/v1/bots/{bot}/users/{id}"))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn columns_list_profile_filters_and_attribute_keys_in_use_and_tags_have_counts() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    seed(&app, &bot).await;
    let columns = app.get(&format!("/api/v1/bots/{bot}/columns")).await;
    assert_eq!(columns.status, StatusCode::OK);
    let first_name = &columns.body["profile"][0];
    assert_eq!(first_name["key"], "first_name");
    assert_eq!(first_name["type"], "text");
    assert!(
        first_name["functions"]
            .as_array()
            .is_some_and(|f| f.contains(&json!("contains")))
    );
    assert_eq!(
        columns.body["attributes"],
        json!([
            {"key": "attributes.age", "type": "text", "functions": ["equals", "not_equals", "contains", "not_contains", "starts_with", "ends_with", "is_set", "is_not_set", "greater_than", "greater_or_equal", "less_than", "less_or_equal", "between"]},
            {"key": "attributes.fav_food", "type": "text", "functions": ["equals", "not_equals", "contains", "not_contains", "starts_with", "ends_with", "is_set", "is_not_set", "greater_than", "greater_or_equal", "less_than", "less_or_equal", "between"]}
        ])
    );
    let keys: Vec<&str> = columns.body["profile"]
        .as_array()
        .map(|profile| profile.iter().filter_map(|c| c["key"].as_str()).collect())
        .unwrap_or_default();
    let email = keys.iter().position(|key| *key == "email");
    assert_eq!(
        keys.iter().position(|key| *key == "external_id"),
        email.map(|e| e + 1),
        "{keys:?}"
    );
    let external_id = &columns.body["profile"][email.map_or(0, |e| e + 1)];
    assert_eq!(external_id["label"], "External ID");
    assert_eq!(external_id["type"], "text");
    assert_eq!(external_id["functions"], first_name["functions"]);
    let tags = app.get(&format!("/api/v1/bots/{bot}/tags")).await;
    assert_eq!(
        tags.body["data"],
        json!([{"name": "VIP", "users": 2}, {"name": "new", "users": 1}])
    );
}

#[tokio::test]
async fn quick_search_finds_users_by_external_id_folded() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let ids = seed(&app, &bot).await;
    let reply = app
        .upsert_user(
            &bot,
            json!({"channel": "web", "external_id": "ÉLODIE-0042", "first_name": "Élodie"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
    let elodie = reply.body["id"].as_str().unwrap_or_default().to_owned();
    let quick_search = |q: &str| {
        json!({"filter": {"any": [
            {"column": "name", "function": "contains", "value": q},
            {"column": "email", "function": "contains", "value": q},
            {"column": "external_id", "function": "contains", "value": q}
        ]}})
    };
    assert_eq!(
        app.search_ids(&bot, quick_search("élodie-00")).await,
        std::slice::from_ref(&elodie)
    );
    assert_eq!(
        app.search_ids(&bot, quick_search("0042")).await,
        std::slice::from_ref(&elodie)
    );
    // Users 1 to 4 have external ids "1" to "4"; only the external id matches "3".
    assert_eq!(
        app.search_ids(&bot, quick_search("3")).await,
        [ids[2].clone()]
    );
    let filter = json!({"column": "external_id", "function": "contains", "value": "ÉLODIE"});
    assert_eq!(
        app.search_ids(&bot, json!({"filter": filter})).await,
        std::slice::from_ref(&elodie)
    );
    let sorted = app
        .search_ids(&bot, json!({"filter": {"all": []}, "sort": "-external_id"}))
        .await;
    assert_eq!(
        sorted,
        [
            elodie,
            ids[3].clone(),
            ids[2].clone(),
            ids[1].clone(),
            ids[0].clone()
        ]
    );
}

/// PRODUCT.md's text rule (NFKC_Casefold): the cases of issue 14, over HTTP, on both engines.
#[tokio::test]
async fn text_compares_by_nfkc_casefold_in_filters_and_tags() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let mut ids = Vec::new();
    for person in [
        json!({"channel": "web", "external_id": "k", "first_name": "Katrin", "last_name": "Großmann", "tags": ["Straße"]}),
        json!({"channel": "web", "external_id": "y", "first_name": "Yin", "last_name": "ΚΏΣΤΑΣ", "attributes": {"city": "ＳＩＮＧＡＰＯＲＥ"}}),
        json!({"channel": "web", "external_id": "z", "first_name": "Zoe\u{308}", "last_name": "Çağla", "tags": ["STRASSE"]}),
    ] {
        let reply = app.upsert_user(&bot, person).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
        ids.push(reply.body["id"].as_str().unwrap_or_default().to_owned());
    }
    let search = |column: &str, function: &str, value: &str| json!({"filter": {"column": column, "function": function, "value": value}});
    let cases = [
        (
            search("last_name", "equals", "GROSSMANN"),
            vec![ids[0].clone()],
        ),
        (
            search("first_name", "equals", "ＹＩＮ"),
            vec![ids[1].clone()],
        ),
        (
            search("last_name", "equals", "Κώστας"),
            vec![ids[1].clone()],
        ),
        (search("first_name", "equals", "Zoë"), vec![ids[2].clone()]),
        (
            search("name", "contains", "zoe\u{308} ç"),
            vec![ids[2].clone()],
        ),
        (
            search("attributes.city", "equals", "singapore"),
            vec![ids[1].clone()],
        ),
        // Accents stay: "cag" does not find "Çağla".
        (search("last_name", "contains", "cag"), vec![]),
        (
            json!({"filter": {"column": "tags", "function": "has", "value": "GROSSE STRASSE"}}),
            vec![],
        ),
        (
            json!({"filter": {"column": "tags", "function": "has", "value": "strasse"}}),
            vec![ids[0].clone(), ids[2].clone()],
        ),
    ];
    for (body, expected) in cases {
        let mut found = app.search_ids(&bot, body.clone()).await;
        found.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(found, expected, "{body}");
    }
    // "Straße" and "STRASSE" are one tag, spelled as first used.
    let tags = app.get(&format!("/api/v1/bots/{bot}/tags")).await;
    assert_eq!(
        tags.body["data"],
        json!([{"name": "Straße", "users": 2}]),
        "{tags:?}"
    );
}
