//! Fair use: each API token and admin session has its own request quota; past it, 429
//! problem+json with `Retry-After`; every API response carries `RateLimit` and
//! `RateLimit-Policy`.

use cohort_store::testing::{admin, now, workspace_name};
use std::num::NonZeroU32;

use cohort_api::{RateLimit, Spa};
use cohort_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_configured, temporary_export_dir};

/// An app whose tokens may send `burst` requests, then one a minute (so that no test is
/// slow enough to see its bucket refill).
async fn spawn_app_with_burst(burst: u32) -> TestApp {
    let database = TestDatabase::new()
        .await
        .unwrap_or_else(|e| panic!("test database: {e:?}"));
    let dir = temporary_export_dir();
    let exports = cohort_api::ExportFiles::local(&dir).unwrap_or_else(|e| panic!("{e}"));
    let limit = RateLimit {
        per_minute: NonZeroU32::MIN,
        burst: NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN),
    };
    spawn_app_configured(database, Spa::None, exports, Some(dir), |state| {
        state.with_rate_limit(limit)
    })
    .await
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn get_as(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn another_token(app: &TestApp) -> String {
    let store = &app.database.store;
    let workspace = store
        .workspace_by_name(&workspace_name("Acme"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .create_token(workspace, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn a_token_over_its_quota_gets_a_429_problem_with_retry_after_and_another_token_does_not() {
    let app = spawn_app_with_burst(3).await;
    for left in [2, 1, 0] {
        let response = get_as(&app, &app.token, "/api/v1/bots").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            header(&response, "ratelimit-policy"),
            "\"default\";q=1;w=60"
        );
        let state = header(&response, "ratelimit");
        assert!(
            state.starts_with(&format!("\"default\";r={left};t=")),
            "{state}"
        );
    }

    let response = get_as(&app, &app.token, "/api/v1/bots").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );
    let retry_after: u64 = header(&response, "retry-after")
        .parse()
        .unwrap_or_else(|e| panic!("Retry-After is whole seconds: {e}"));
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(
        header(&response, "ratelimit-policy"),
        "\"default\";q=1;w=60"
    );
    let state = header(&response, "ratelimit");
    let reset: u64 = state
        .strip_prefix("\"default\";r=0;t=")
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("RateLimit of a refused request: {state}"));
    assert!(reset >= retry_after, "{state} vs Retry-After {retry_after}");
    assert!(!header(&response, "x-request-id").is_empty());
    let problem: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(
        problem["type"],
        json!("https://cohort.dev/problems/rate-limited")
    );
    assert_eq!(problem["title"], json!("Too many requests"));
    assert_eq!(problem["status"], json!(429));

    // Refused requests do nothing: a write is refused before it runs.
    let refused = app
        .client
        .post(format!("{}/api/v1/bots", app.address))
        .bearer_auth(&app.token)
        .json(&json!({"name": "Not made"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);

    // Another token of the same workspace has its own quota, and sees no bot made.
    let other = another_token(&app).await;
    let response = get_as(&app, &other, "/api/v1/bots").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "ratelimit").starts_with("\"default\";r=2;t="));
    let bots: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(bots["total"], json!(0), "{bots}");
}

#[tokio::test]
async fn every_api_response_carries_the_rate_limit_headers() {
    let app = spawn_app().await;
    // A token's first request: one of the default 1,200 used.
    let response = get_as(&app, &app.token, "/api/v1/bots").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "ratelimit-policy"),
        "\"default\";q=1200;w=60"
    );
    assert_eq!(header(&response, "ratelimit"), "\"default\";r=1199;t=1");

    // Errors count and carry them too (the bucket refills one request every 50 ms, so a
    // slow machine may have got the first one back).
    let response = get_as(&app, &app.token, "/api/v1/bots/nope").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let state = header(&response, "ratelimit");
    assert!(
        ["\"default\";r=1198;t=1", "\"default\";r=1199;t=1"].contains(&state.as_str()),
        "{state}"
    );

    // Requests without valid credentials are not counted: the whole burst is left.
    for path in ["/healthz", "/api/v1/bots"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            header(&response, "ratelimit-policy"),
            "\"default\";q=1200;w=60",
            "{path}"
        );
        assert_eq!(
            header(&response, "ratelimit"),
            "\"default\";r=1200;t=0",
            "{path}"
        );
    }
    let response = get_as(&app, "cohort_not_a_token", "/api/v1/bots").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header(&response, "ratelimit"), "\"default\";r=1200;t=0");
}

#[tokio::test]
async fn an_admin_session_has_a_quota_of_its_own() {
    let app = spawn_app_with_burst(2).await;
    let store = &app.database.store;
    let workspace = store
        .workspace_by_name(&workspace_name("Acme"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .set_admin_password(
            workspace,
            &admin("admin@acme.test", "correct horse battery"),
            now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    // Signing in carries no credential yet: not counted.
    let response = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .json(&json!({"email": "admin@acme.test", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = header(&response, "set-cookie")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    let me = |cookie: String| {
        app.client
            .get(format!("{}/api/v1/auth/me", app.address))
            .header("cookie", cookie)
            .send()
    };
    let statuses = [
        me(cookie.clone()).await.map(|r| r.status()),
        me(cookie.clone()).await.map(|r| r.status()),
        me(cookie.clone()).await.map(|r| r.status()),
    ]
    .map(|status| status.unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    // The workspace's token is not held back by its admin's session.
    let response = get_as(&app, &app.token, "/api/v1/bots").await;
    assert_eq!(response.status(), StatusCode::OK);
}
