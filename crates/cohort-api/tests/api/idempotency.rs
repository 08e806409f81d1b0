//! `Idempotency-Key`: a retried request is answered as the first time and applied once.

use chrono::Utc;
use cohort_api::{IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER};
use cohort_core::time::to_micros;
use cohort_store::IdempotencyClaim;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Reply, TestApp, spawn_app};

/// Sends `body` (as written) with the idempotency key `key`.
async fn send_with_key(
    app: &TestApp,
    method: Method,
    path: &str,
    key: &str,
    body: &str,
) -> (Reply, bool) {
    let response = app
        .client
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(&app.token)
        .header("content-type", "application/json")
        .header(IDEMPOTENCY_KEY_HEADER, key)
        .body(body.to_owned())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let replayed = response
        .headers()
        .get(REPLAYED_HEADER)
        .is_some_and(|value| value == "true");
    (Reply::read(response).await, replayed)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The key's scope for the test app's token, as the server computes it.
fn scope(app: &TestApp) -> String {
    hex(&Sha256::digest(format!("Bearer {}", app.token).as_bytes()))
}

/// The fingerprint of a request, as the server computes it.
fn fingerprint(method: &str, path: &str, body: &str) -> String {
    hex(&Sha256::digest(
        format!("{method} {path}?\n{body}").as_bytes(),
    ))
}

#[tokio::test]
async fn a_retried_create_is_replayed_not_applied_again() {
    let app = spawn_app().await;
    let body = r#"{"name": "Retry Bot", "session_timeout_secs": 600}"#;
    let (first, replayed) =
        send_with_key(&app, Method::POST, "/api/v1/bots", "create-1", body).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert!(!replayed);
    let (again, replayed) =
        send_with_key(&app, Method::POST, "/api/v1/bots", "create-1", body).await;
    assert_eq!(again.status, 201);
    assert!(replayed);
    assert_eq!(again.body, first.body);
    let bots = app.get("/api/v1/bots").await;
    let named: Vec<&Value> = bots.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|bot| bot["name"] == "Retry Bot")
        .collect();
    assert_eq!(named.len(), 1, "{:?}", bots.body);
    // Another key is another request.
    let (other, replayed) =
        send_with_key(&app, Method::POST, "/api/v1/bots", "create-2", body).await;
    assert_eq!(other.status, 201);
    assert!(!replayed);
    assert_ne!(other.body["id"], first.body["id"]);
}

#[tokio::test]
async fn a_retried_bulk_action_changes_users_once_and_is_audited_once() {
    let app = spawn_app().await;
    let bot = app
        .post(
            "/api/v1/bots",
            json!({"name": "Bulk", "session_timeout_secs": 600}),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let user = app
        .post(
            &format!("/api/v1/bots/{bot}/users"),
            json!({"channel": "web", "external_id": "1"}),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let path = format!("/api/v1/bots/{bot}/users/bulk");
    let body = format!(
        r#"{{"selection": {{"ids": ["{user}"]}}, "action": {{"type": "add_tags", "tags": ["vip"]}}}}"#
    );
    let (first, _) = send_with_key(&app, Method::POST, &path, "bulk-1", &body).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(first.body["affected"], 1);
    let (again, replayed) = send_with_key(&app, Method::POST, &path, "bulk-1", &body).await;
    assert!(replayed);
    assert_eq!(again.body, first.body);
    let audit = app.get(&format!("/api/v1/bots/{bot}/audit")).await;
    assert_eq!(audit.body["total"], 1, "{:?}", audit.body);
    // The same key with another body is refused, and changes nothing.
    let other = format!(
        r#"{{"selection": {{"ids": ["{user}"]}}, "action": {{"type": "delete", "confirm": 1}}}}"#
    );
    let (reused, _) = send_with_key(&app, Method::POST, &path, "bulk-1", &other).await;
    assert_eq!(reused.assert_problem(422), Vec::<String>::new());
    assert_eq!(
        app.get(&format!("/api/v1/bots/{bot}/users/{user}"))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get(&format!("/api/v1/bots/{bot}/audit")).await.body["total"],
        1
    );
}

#[tokio::test]
async fn a_key_in_flight_is_409_and_an_expired_one_runs_again() {
    let app = spawn_app().await;
    let store = &app.database.store;
    let body = r#"{"name": "Flight", "session_timeout_secs": 600}"#;
    let print = fingerprint("POST", "/api/v1/bots", body);
    // Another instance is answering this key right now.
    let now = to_micros(Utc::now());
    let claim = store
        .claim_idempotency_key(&scope(&app), "flight-1", &print, now)
        .await
        .unwrap_or_else(|e| panic!("the claim: {e}"));
    assert_eq!(claim, IdempotencyClaim::Claimed);
    let (busy, _) = send_with_key(&app, Method::POST, "/api/v1/bots", "flight-1", body).await;
    busy.assert_problem(409);
    assert_eq!(app.get("/api/v1/bots").await.body["total"], 0);
    // A key answered more than 24 hours ago is free again: the request runs.
    let long_ago = now - 25 * 3600 * 1_000_000;
    store
        .claim_idempotency_key(&scope(&app), "old-1", &print, long_ago)
        .await
        .unwrap_or_else(|e| panic!("the old claim: {e}"));
    store
        .complete_idempotency_key(
            &scope(&app),
            "old-1",
            &cohort_store::StoredResponse {
                status: 201,
                content_type: Some("application/json".to_owned()),
                location: None,
                body: "{}".to_owned(),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("the old answer: {e}"));
    let (fresh, replayed) = send_with_key(&app, Method::POST, "/api/v1/bots", "old-1", body).await;
    assert_eq!(fresh.status, 201);
    assert!(!replayed);
    assert_eq!(fresh.body["name"], "Flight");
}

#[tokio::test]
async fn a_retried_event_batch_and_a_bad_key() {
    let app = spawn_app().await;
    let bot = app
        .post(
            "/api/v1/bots",
            json!({"name": "Events", "session_timeout_secs": 600}),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let path = format!("/api/v1/bots/{bot}/events");
    let body = r#"{"events": [{"id": "e1", "type": "message", "channel": "web", "external_user_id": "7", "text": "so slow!", "at": "2026-11-01T10:00:00Z"}]}"#;
    let (first, _) = send_with_key(&app, Method::POST, &path, "batch-1", body).await;
    assert_eq!(first.body["accepted"], 1, "{:?}", first.body);
    let (again, replayed) = send_with_key(&app, Method::POST, &path, "batch-1", body).await;
    assert!(replayed);
    assert_eq!(again.body["accepted"], 1);
    let (bad, _) = send_with_key(&app, Method::POST, &path, "has space", body).await;
    assert_eq!(bad.assert_problem(400), ["/header/Idempotency-Key"]);
    // Reads ignore the header.
    let (count, replayed) = send_with_key(
        &app,
        Method::POST,
        &format!("/api/v1/bots/{bot}/users/count"),
        "batch-1",
        r#"{"selection": {"filter": {"all": []}}}"#,
    )
    .await;
    assert_eq!(count.body["count"], 1);
    assert!(!replayed);
}

/// A refused request changed nothing, so its key is not spent: the request corrected and
/// sent with the same key runs (as Stripe frees a key on a validation error). Only
/// successful answers are kept and replayed.
#[tokio::test]
async fn a_refused_request_leaves_its_key_free_for_the_corrected_one() {
    let app = spawn_app().await;
    let bot = app.create_bot("Fix").await;
    let users = format!("/api/v1/bots/{bot}/users");
    let (bad, _) = send_with_key(
        &app,
        Method::POST,
        &users,
        "fix-1",
        r#"{"channel": "web", "external_id": "1", "email": "nope"}"#,
    )
    .await;
    assert_eq!(bad.assert_problem(400), ["/email"]);
    let (fixed, replayed) = send_with_key(
        &app,
        Method::POST,
        &users,
        "fix-1",
        r#"{"channel": "web", "external_id": "1", "email": "yin@example.com"}"#,
    )
    .await;
    assert_eq!(fixed.status, 201, "{:?}", fixed.body);
    assert!(!replayed);
    let user = fixed.body["id"].as_str().unwrap_or_default().to_owned();

    // A delete whose confirm is stale is a 409; with the right count and the same key it
    // runs, once.
    let bulk = format!("/api/v1/bots/{bot}/users/bulk");
    let delete = |confirm: u64| {
        format!(
            r#"{{"selection": {{"ids": ["{user}"]}}, "action": {{"type": "delete", "confirm": {confirm}}}}}"#
        )
    };
    let (stale, _) = send_with_key(&app, Method::POST, &bulk, "fix-2", &delete(2)).await;
    stale.assert_problem(409);
    let (done, replayed) = send_with_key(&app, Method::POST, &bulk, "fix-2", &delete(1)).await;
    assert_eq!(
        (done.status.as_u16(), replayed),
        (200, false),
        "{:?}",
        done.body
    );
    let (again, replayed) = send_with_key(&app, Method::POST, &bulk, "fix-2", &delete(1)).await;
    assert_eq!(
        (again.status.as_u16(), replayed),
        (200, true),
        "{:?}",
        again.body
    );
    assert_eq!(again.body, done.body);
}
