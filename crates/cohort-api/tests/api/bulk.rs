//! Bulk actions: the same result for an id selection and the equivalent filter, all or
//! nothing, confirmed deletes, selection counts, how many users an action changed out of
//! how many it selected, and the audit log.

use cohort_store::testing::{now, workspace_name};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Six users on two channels; returns their ids in creation order.
async fn seed(app: &TestApp, bot: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for (index, channel) in ["telegram", "telegram", "telegram", "web", "web", "whatsapp"]
        .iter()
        .enumerate()
    {
        let body = json!({
            "channel": channel,
            "external_id": index.to_string(),
            "first_name": format!("User {index}"),
            "tags": if index % 2 == 0 { json!(["Even"]) } else { json!([]) },
            "attributes": {"plan": "free"}
        });
        let reply = app.upsert_user(bot, body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
        ids.push(reply.body["id"].as_str().unwrap_or_default().to_owned());
    }
    ids
}

async fn bulk(app: &TestApp, bot: &str, selection: Value, action: Value) -> crate::helpers::Reply {
    app.post(
        &format!("/api/v1/bots/{bot}/users/bulk"),
        json!({"selection": selection, "action": action}),
    )
    .await
}

/// Every user of the bot as (first name, tags, attributes), in creation order.
async fn snapshot(app: &TestApp, bot: &str) -> Vec<Value> {
    let page = app
        .post(
            &format!("/api/v1/bots/{bot}/users/search"),
            json!({"sort": "created_at", "limit": 500}),
        )
        .await;
    page.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|user| json!([user["first_name"], user["tags"], user["attributes"]]))
        .collect()
}

#[tokio::test]
async fn every_action_gives_the_same_result_for_ids_and_for_the_equivalent_filter() {
    let app = spawn_app().await;
    let by_ids = app.create_bot("By ids").await;
    let by_filter = app.create_bot("By filter").await;
    let ids = seed(&app, &by_ids).await;
    seed(&app, &by_filter).await;
    // Telegram users except the second: users 0 and 2.
    let id_selection = json!({"ids": [ids[0], ids[2], "999999", "not-an-id"]});
    let filter_selection = |_: ()| json!({"filter": {"column": "channel", "function": "is", "value": "telegram"}, "except_ids": [""]});
    let actions = [
        json!({"type": "add_tags", "tags": ["VIP", "even"]}),
        json!({"type": "remove_tags", "tags": ["even"]}),
        json!({"type": "set_attributes", "attributes": {"plan": "premium", "fav_food": "pizza"}}),
        json!({"type": "remove_attributes", "keys": ["plan"]}),
    ];
    for action in actions {
        // The filter bot's user 1 is excluded by its own id, found by name.
        let second = app.search_ids(&by_filter, json!({"filter": {"column": "first_name", "function": "equals", "value": "User 1"}})).await;
        let mut selection = filter_selection(());
        selection["except_ids"] = json!(second);
        let from_ids = bulk(&app, &by_ids, id_selection.clone(), action.clone()).await;
        let from_filter = bulk(&app, &by_filter, selection, action.clone()).await;
        assert_eq!(from_ids.status, StatusCode::OK, "{from_ids:?}");
        assert_eq!(
            from_ids.body,
            json!({"affected": 2, "selected": 2}),
            "{action}"
        );
        assert_eq!(
            from_filter.body,
            json!({"affected": 2, "selected": 2}),
            "{action}"
        );
        assert_eq!(
            snapshot(&app, &by_ids).await,
            snapshot(&app, &by_filter).await,
            "{action}"
        );
    }
    let users = snapshot(&app, &by_ids).await;
    assert_eq!(users[0], json!(["User 0", ["VIP"], {"fav_food": "pizza"}]));
    assert_eq!(users[1], json!(["User 1", [], {"plan": "free"}]));

    let from_ids = bulk(
        &app,
        &by_ids,
        id_selection,
        json!({"type": "delete", "confirm": 2}),
    )
    .await;
    let selection = json!({"filter": {"all": [{"column": "channel", "function": "is", "value": "telegram"}, {"column": "first_name", "function": "not_equals", "value": "user 1"}]}});
    let from_filter = bulk(
        &app,
        &by_filter,
        selection,
        json!({"type": "delete", "confirm": 2}),
    )
    .await;
    assert_eq!(
        (
            from_ids.body["affected"].as_u64(),
            from_filter.body["affected"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(
        snapshot(&app, &by_ids).await,
        snapshot(&app, &by_filter).await
    );
    assert_eq!(snapshot(&app, &by_ids).await.len(), 4);
}

#[tokio::test]
async fn a_delete_with_the_wrong_confirmation_deletes_nothing_and_says_how_many() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    seed(&app, &bot).await;
    let everyone = json!({"filter": {"all": []}});
    let reply = bulk(
        &app,
        &bot,
        everyone.clone(),
        json!({"type": "delete", "confirm": 5}),
    )
    .await;
    reply.assert_problem(409);
    assert_eq!(reply.body["count"], 6);
    assert_eq!(snapshot(&app, &bot).await.len(), 6);
    let audit = app.get(&format!("/api/v1/bots/{bot}/audit")).await;
    assert_eq!(audit.body["total"], 0, "a refused action is not recorded");

    let count = app
        .post(
            &format!("/api/v1/bots/{bot}/users/count"),
            json!({"selection": everyone}),
        )
        .await;
    assert_eq!(count.body, json!({"count": 6}));
    let reply = bulk(
        &app,
        &bot,
        everyone,
        json!({"type": "delete", "confirm": 6}),
    )
    .await;
    assert_eq!(reply.body, json!({"affected": 6, "selected": 6}));
    assert!(snapshot(&app, &bot).await.is_empty());
    let tags = app.get(&format!("/api/v1/bots/{bot}/tags")).await;
    assert_eq!(tags.body["total"], 0, "deleted users' tags went with them");
}

#[tokio::test]
async fn a_statement_failing_halfway_leaves_every_user_as_it_was() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    seed(&app, &bot).await;
    let before = snapshot(&app, &bot).await;
    // A trigger makes the second attribute's statement fail after the first one ran.
    let store = &app.database.store;
    if cohort_store::testing::engine() == "postgres" {
        store
            .execute_sql("CREATE FUNCTION fail_on_boom() RETURNS trigger AS $$ BEGIN IF NEW.key = 'zz_boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        store
            .execute_sql("CREATE TRIGGER fail_on_boom BEFORE INSERT ON user_attributes FOR EACH ROW EXECUTE FUNCTION fail_on_boom()")
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
    } else {
        store
            .execute_sql("CREATE TRIGGER fail_on_boom BEFORE INSERT ON user_attributes WHEN NEW.key = 'zz_boom' BEGIN SELECT RAISE(ABORT, 'boom'); END")
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    let reply = bulk(
        &app,
        &bot,
        json!({"filter": {"all": []}}),
        json!({"type": "set_attributes", "attributes": {"aa_first": "1", "zz_boom": "2"}}),
    )
    .await;
    reply.assert_problem(500);
    assert_eq!(snapshot(&app, &bot).await, before);
    let audit = app.get(&format!("/api/v1/bots/{bot}/audit")).await;
    assert_eq!(audit.body["total"], 0);
}

#[tokio::test]
async fn bad_bulk_requests_are_400_and_change_nothing() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    seed(&app, &bot).await;
    let before = snapshot(&app, &bot).await;
    let path = format!("/api/v1/bots/{bot}/users/bulk");
    let tag = json!({"type": "add_tags", "tags": ["x"]});
    let cases = [
        (json!({"selection": {}, "action": tag}), vec!["/selection"]),
        (
            json!({"selection": {"ids": []}, "action": tag}),
            vec!["/selection/ids"],
        ),
        (
            json!({"selection": {"ids": vec!["1"; 10_001]}, "action": tag}),
            vec!["/selection/ids"],
        ),
        (
            json!({"selection": {"ids": ["1"]}, "action": {"type": "paint_blue"}}),
            vec!["/action"],
        ),
        (
            json!({"selection": {"ids": ["1"]}, "action": {"type": "add_tags", "tags": ["x"], "colour": "red"}}),
            vec!["/action"],
        ),
        (
            json!({"selection": {"ids": ["1"]}, "action": {"type": "add_tags", "tags": [" "]}}),
            vec!["/action/tags/0"],
        ),
        (
            json!({"selection": {"ids": ["1"]}, "action": {"type": "set_attributes", "attributes": {"k": "v".repeat(10_001)}}}),
            vec!["/action/attributes/k"],
        ),
        (
            json!({"selection": {"ids": ["1"]}, "action": {"type": "set_attributes", "attributes": {"fav food": "pizza"}}}),
            vec!["/action/attributes/fav food"],
        ),
        (
            json!({"selection": {"ids": ["1"]}, "action": {"type": "remove_attributes", "keys": ["fav food"]}}),
            vec!["/action/keys/0"],
        ),
        (
            json!({"selection": {"filter": {"column": "tags", "function": "equals", "value": "x"}}, "action": tag}),
            vec!["/selection/filter/function"],
        ),
        (json!({"selection": {"ids": ["1"]}}), vec!["/action"]),
    ];
    for (body, pointers) in cases {
        let reply = app.post(&path, body.clone()).await;
        let found = reply.assert_problem(400);
        assert!(
            pointers
                .iter()
                .all(|p| found.iter().any(|f| f.starts_with(p))),
            "{body}: {found:?}"
        );
    }
    assert_eq!(snapshot(&app, &bot).await, before);
}

#[tokio::test]
async fn ids_of_another_bot_or_workspace_are_never_touched() {
    let app = spawn_app().await;
    let ours = app.create_bot("Ours").await;
    let theirs = app.create_bot("Theirs").await;
    let their_ids = seed(&app, &theirs).await;
    seed(&app, &ours).await;
    let reply = bulk(
        &app,
        &ours,
        json!({"ids": their_ids}),
        json!({"type": "delete", "confirm": 0}),
    )
    .await;
    assert_eq!(reply.body, json!({"affected": 0, "selected": 0}));
    assert_eq!(snapshot(&app, &theirs).await.len(), 6);

    let other = app
        .database
        .store
        .workspace_by_name(&workspace_name("Other"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let token = app
        .database
        .store
        .create_token(other, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let body =
        json!({"selection": {"filter": {"all": []}}, "action": {"type": "delete", "confirm": 6}});
    let reply = app
        .send_as(
            &token,
            reqwest::Method::POST,
            &format!("/api/v1/bots/{theirs}/users/bulk"),
            Some(body),
        )
        .await;
    reply.assert_problem(404);
    assert_eq!(snapshot(&app, &theirs).await.len(), 6);
}

#[tokio::test]
async fn the_audit_log_lists_bulk_actions_newest_first_with_who_and_how_many() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    seed(&app, &bot).await;
    let selection = json!({"filter": {"column": "tags", "function": "has", "value": "even"}});
    bulk(
        &app,
        &bot,
        selection.clone(),
        json!({"type": "add_tags", "tags": ["vip"]}),
    )
    .await;
    bulk(
        &app,
        &bot,
        json!({"filter": {"all": []}}),
        json!({"type": "remove_attributes", "keys": ["plan"]}),
    )
    .await;
    let first = app.get(&format!("/api/v1/bots/{bot}/audit?limit=1")).await;
    assert_eq!(first.body["total"], 2);
    let entry = &first.body["data"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["affected"].as_u64()),
        (Some("remove_attributes"), Some(6))
    );
    assert!(
        entry["actor"]
            .as_str()
            .is_some_and(|actor| actor.starts_with("token:")),
        "{entry}"
    );
    let cursor = first.body["next_cursor"].as_str().unwrap_or_default();
    let second = app
        .get(&format!("/api/v1/bots/{bot}/audit?limit=1&cursor={cursor}"))
        .await;
    let entry = &second.body["data"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["affected"].as_u64()),
        (Some("add_tags"), Some(3))
    );
    assert_eq!(entry["selection"], selection);
    assert_eq!(
        entry["details"],
        json!({"type": "add_tags", "tags": ["vip"]})
    );
    assert_eq!(second.body["next_cursor"], Value::Null);
    app.get(&format!("/api/v1/bots/{bot}/audit?cursor=nonsense"))
        .await
        .assert_problem(400);
}

/// One user on the web channel with the given tags and attributes; returns its id.
async fn user(
    app: &TestApp,
    bot: &str,
    external_id: &str,
    tags: Value,
    attributes: Value,
) -> String {
    let reply = app
        .upsert_user(
            bot,
            json!({"channel": "web", "external_id": external_id, "first_name": external_id, "tags": tags, "attributes": attributes}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
    reply.body["id"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn adding_a_tag_a_user_has_in_another_case_changes_nobody() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let id = user(&app, &bot, "a", json!(["vip"]), json!({})).await;
    let before = snapshot(&app, &bot).await;
    let reply = bulk(
        &app,
        &bot,
        json!({"ids": [id]}),
        json!({"type": "add_tags", "tags": ["VIP"]}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(reply.body, json!({"affected": 0, "selected": 1}));
    assert_eq!(snapshot(&app, &bot).await, before);

    // One of the tags is new to the user: the user changes, once.
    let reply = bulk(
        &app,
        &bot,
        json!({"ids": [id]}),
        json!({"type": "add_tags", "tags": ["VIP", "Gold"]}),
    )
    .await;
    assert_eq!(reply.body, json!({"affected": 1, "selected": 1}));
}

#[tokio::test]
async fn removing_a_key_counts_only_the_users_who_had_it() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let has = user(
        &app,
        &bot,
        "has",
        json!([]),
        json!({"app.plan": "pro", "x": "1"}),
    )
    .await;
    let lacks = user(&app, &bot, "lacks", json!([]), json!({"x": "1"})).await;
    let reply = bulk(
        &app,
        &bot,
        json!({"ids": [has, lacks]}),
        json!({"type": "remove_attributes", "keys": ["app.plan"]}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(reply.body, json!({"affected": 1, "selected": 2}));
    assert_eq!(
        snapshot(&app, &bot).await,
        vec![
            json!(["has", [], {"x": "1"}]),
            json!(["lacks", [], {"x": "1"}])
        ]
    );
}

#[tokio::test]
async fn setting_attributes_counts_the_users_missing_a_key_or_holding_another_value() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    user(
        &app,
        &bot,
        "same",
        json!([]),
        json!({"plan": "pro", "tier": "gold"}),
    )
    .await;
    user(
        &app,
        &bot,
        "other case",
        json!([]),
        json!({"plan": "Pro", "tier": "gold"}),
    )
    .await;
    user(&app, &bot, "no tier", json!([]), json!({"plan": "pro"})).await;
    user(&app, &bot, "nothing", json!([]), json!({})).await;
    let everyone = json!({"filter": {"all": []}});
    let set = json!({"type": "set_attributes", "attributes": {"plan": "pro", "tier": "gold"}});
    let reply = bulk(&app, &bot, everyone.clone(), set.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(reply.body, json!({"affected": 3, "selected": 4}));
    let users = snapshot(&app, &bot).await;
    assert!(
        users
            .iter()
            .all(|user| user[2] == json!({"plan": "pro", "tier": "gold"})),
        "{users:?}"
    );
    // Now everyone has both: nobody changes.
    let reply = bulk(&app, &bot, everyone, set).await;
    assert_eq!(reply.body, json!({"affected": 0, "selected": 4}));
}

#[tokio::test]
async fn setting_a_value_a_user_has_rewrites_no_row() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    seed(&app, &bot).await;
    // A trigger refuses every update of an attribute row.
    let store = &app.database.store;
    if cohort_store::testing::engine() == "postgres" {
        store
            .execute_sql("CREATE FUNCTION refuse_update() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'rewritten'; END $$ LANGUAGE plpgsql")
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        store
            .execute_sql("CREATE TRIGGER refuse_update BEFORE UPDATE ON user_attributes FOR EACH ROW EXECUTE FUNCTION refuse_update()")
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
    } else {
        store
            .execute_sql("CREATE TRIGGER refuse_update BEFORE UPDATE ON user_attributes BEGIN SELECT RAISE(ABORT, 'rewritten'); END")
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    let everyone = json!({"filter": {"all": []}});
    let reply = bulk(
        &app,
        &bot,
        everyone.clone(),
        json!({"type": "set_attributes", "attributes": {"plan": "free", "new": "1"}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(reply.body, json!({"affected": 6, "selected": 6}));
    // A different value (only its case) is an update, which the trigger refuses.
    bulk(
        &app,
        &bot,
        everyone,
        json!({"type": "set_attributes", "attributes": {"plan": "Free"}}),
    )
    .await
    .assert_problem(500);
}

#[tokio::test]
async fn removing_what_nobody_has_changes_nobody_and_nothing() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    seed(&app, &bot).await;
    let before = snapshot(&app, &bot).await;
    let everyone = json!({"filter": {"all": []}});
    for action in [
        json!({"type": "remove_tags", "tags": ["nobody has this"]}),
        json!({"type": "remove_attributes", "keys": ["nobody.has.this"]}),
    ] {
        let reply = bulk(&app, &bot, everyone.clone(), action.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        assert_eq!(
            reply.body,
            json!({"affected": 0, "selected": 6}),
            "{action}"
        );
        assert_eq!(snapshot(&app, &bot).await, before, "{action}");
    }
    let tags = app.get(&format!("/api/v1/bots/{bot}/tags")).await;
    assert_eq!(tags.body["total"], 1, "{tags:?}");
}

#[tokio::test]
async fn a_delete_reports_every_selected_user_as_changed() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    seed(&app, &bot).await;
    let reply = bulk(
        &app,
        &bot,
        json!({"filter": {"column": "tags", "function": "has", "value": "even"}}),
        json!({"type": "delete", "confirm": 3}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(reply.body, json!({"affected": 3, "selected": 3}));
    assert_eq!(snapshot(&app, &bot).await.len(), 3);
    let audit = app.get(&format!("/api/v1/bots/{bot}/audit")).await;
    assert_eq!(audit.body["data"][0]["affected"], 3);
}

#[tokio::test]
async fn the_audit_log_records_how_many_users_an_action_changed() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    seed(&app, &bot).await;
    // Three of the six have the tag already (as "Even").
    let reply = bulk(
        &app,
        &bot,
        json!({"filter": {"all": []}}),
        json!({"type": "add_tags", "tags": ["EVEN"]}),
    )
    .await;
    assert_eq!(reply.body, json!({"affected": 3, "selected": 6}));
    let audit = app.get(&format!("/api/v1/bots/{bot}/audit")).await;
    let entry = &audit.body["data"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["affected"].as_u64()),
        (Some("add_tags"), Some(3))
    );
}
