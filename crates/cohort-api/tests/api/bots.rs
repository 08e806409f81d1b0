//! Bots: create, list, read, change settings, delete.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_bot_is_created_with_the_default_timeout_and_can_be_changed_and_deleted() {
    let app = spawn_app().await;
    let created = app
        .post("/api/v1/bots", json!({"name": "  Pizza Palace "}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    assert_eq!(created.body["name"], "Pizza Palace");
    assert_eq!(created.body["session_timeout_secs"], 600);
    let id = created.body["id"].as_str().unwrap_or_default().to_owned();

    let changed = app
        .patch(
            &format!("/api/v1/bots/{id}"),
            json!({"session_timeout_secs": 900}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{changed:?}");
    assert_eq!(changed.body["session_timeout_secs"], 900);
    assert_eq!(changed.body["name"], "Pizza Palace");
    // A change that changes nothing leaves the bot as it was, `updated_at` too.
    let updated_at = changed.body["updated_at"].clone();
    for same in [
        json!({}),
        json!({"session_timeout_secs": 900, "name": "Pizza Palace"}),
    ] {
        let unchanged = app.patch(&format!("/api/v1/bots/{id}"), same).await;
        assert_eq!(unchanged.status, StatusCode::OK, "{unchanged:?}");
        assert_eq!(unchanged.body, changed.body);
    }
    let renamed = app
        .patch(
            &format!("/api/v1/bots/{id}"),
            json!({"name": "Pizza Plaza"}),
        )
        .await;
    assert_eq!(renamed.body["name"], "Pizza Plaza");
    assert_ne!(renamed.body["updated_at"], updated_at);
    let renamed = app
        .patch(
            &format!("/api/v1/bots/{id}"),
            json!({"name": "Pizza Palace"}),
        )
        .await;
    assert_eq!(renamed.body["name"], "Pizza Palace");

    let listed = app.get("/api/v1/bots").await;
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["data"][0]["session_timeout_secs"], 900);

    let deleted = app.delete(&format!("/api/v1/bots/{id}")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/bots/{id}"))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn invalid_bot_settings_are_400_and_change_nothing() {
    let app = spawn_app().await;
    let id = app.create_bot("Bot").await;
    for body in [
        json!({"session_timeout_secs": 0}),
        json!({"session_timeout_secs": 99999999}),
        json!({"name": ""}),
    ] {
        app.patch(&format!("/api/v1/bots/{id}"), body)
            .await
            .assert_problem(400);
    }
    app.post("/api/v1/bots", json!({"name": "x".repeat(101)}))
        .await
        .assert_problem(400);
    let bot = app.get(&format!("/api/v1/bots/{id}")).await;
    assert_eq!(
        (
            bot.body["name"].as_str(),
            bot.body["session_timeout_secs"].as_i64()
        ),
        (Some("Bot"), Some(600))
    );
}

#[tokio::test]
async fn health_and_readiness_answer_without_credentials() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    for path in ["/healthz", "/readyz"] {
        let response = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let docs = client
        .get(format!("{}/docs/", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(docs.status(), StatusCode::OK);
    let spec = client
        .get(format!("{}/openapi.json", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.status(), StatusCode::OK);
}
