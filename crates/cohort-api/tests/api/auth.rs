//! Admin sign-in: the session cookie, what it may do (with CSRF protection on unsafe
//! requests), its end (sign-out, idle and absolute expiry), and limits on failed attempts.

use cohort_api::Spa;
use cohort_store::testing::{admin, now, workspace_name};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, spawn_app, spawn_app_serving};

const EMAIL: &str = "admin@acme.test";
const PASSWORD: &str = "correct horse battery";
const LOGIN: &str = "/api/v1/auth/login";
const CSRF: (&str, &str) = ("x-cohort-csrf", "1");
const HOUR_MICROS: i64 = 3_600_000_000;

/// Makes the admin `EMAIL` of the test app's workspace.
async fn with_admin(app: &TestApp) {
    let store = &app.database.store;
    let workspace = store
        .workspace_by_name(&workspace_name("Acme"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .set_admin_password(workspace, &admin(EMAIL, PASSWORD), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
}

/// Sends a request without the app's token, with these headers (a cookie among them).
async fn send_raw(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap_or_else(|e| panic!("{e}"))
}

/// A response header as text, empty when missing.
fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A sign-in with these extra headers: the response's status, `Set-Cookie` and body text.
async fn sign_in_with(
    app: &TestApp,
    email: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let body = json!({"email": email, "password": password});
    let response = send_raw(app, Method::POST, LOGIN, headers, Some(body)).await;
    let cookie = header(&response, "set-cookie");
    let status = response.status();
    (status, cookie, response.text().await.unwrap_or_default())
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> (StatusCode, String, String) {
    sign_in_with(app, email, password, &[]).await
}

/// Signs the admin in and returns the `cohort_session=…` pair to send back.
async fn session(app: &TestApp) -> String {
    let (status, cookie, body) = sign_in(app, EMAIL, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    cookie.split(';').next().unwrap_or_default().to_owned()
}

/// Sends a request with a session cookie (no token) and extra headers.
async fn send_with_cookie(
    app: &TestApp,
    cookie: &str,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    let mut all = vec![("cookie", cookie)];
    all.extend_from_slice(headers);
    Reply::read(send_raw(app, method, path, &all, body).await).await
}

async fn me(app: &TestApp, cookie: &str) -> Reply {
    send_with_cookie(app, cookie, Method::GET, "/api/v1/auth/me", &[], None).await
}

/// Moves a time column of every session `micros` into the past.
async fn age_sessions(app: &TestApp, column: &str, micros: i64) {
    app.database
        .store
        .execute_sql(&format!(
            "UPDATE admin_sessions SET {column} = {column} - {micros}"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
}

async fn session_column(app: &TestApp, sql: &str) -> i64 {
    app.database
        .store
        .query_i64(sql)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn signing_in_sets_an_http_only_same_site_lax_cookie_and_me_answers() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let (status, cookie, body) = sign_in(&app, "  Admin@ACME.test ", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(cookie.starts_with("cohort_session="), "{cookie}");
    let pair = cookie.split(';').next().unwrap_or_default();
    assert_eq!(pair.len(), "cohort_session=".len() + 64, "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    // Plain HTTP to 127.0.0.1: a Secure cookie would never come back.
    assert!(!cookie.contains("Secure"), "{cookie}");
    let signed_in: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(signed_in["email"], json!(EMAIL));
    assert_eq!(signed_in["workspace"]["name"], json!("Acme"));
    assert!(signed_in["workspace"]["id"].is_string(), "{signed_in}");
    let reply = me(&app, pair).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    assert_eq!(reply.body, signed_in);
}

#[tokio::test]
async fn a_sign_in_over_https_or_to_another_host_gets_a_secure_cookie() {
    let app = spawn_app().await;
    with_admin(&app).await;
    for forwarded in [
        ("x-forwarded-proto", "https"),
        ("host", "cohort.example.com"),
    ] {
        let (_, cookie, _) = sign_in_with(&app, EMAIL, PASSWORD, &[forwarded]).await;
        assert!(cookie.contains("; Secure"), "{forwarded:?}: {cookie}");
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_byte_identical_answers() {
    let app = spawn_app().await;
    with_admin(&app).await;
    // The same request id for both, which the answers quote.
    let same_id = [(cohort_api::REQUEST_ID_HEADER, "sign-in-probe")];
    let wrong_password = sign_in_with(&app, EMAIL, "not the password", &same_id).await;
    let unknown_email = sign_in_with(&app, "nobody@acme.test", PASSWORD, &same_id).await;
    assert_eq!(wrong_password.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password, unknown_email);
    assert!(
        wrong_password.1.is_empty(),
        "no cookie: {}",
        wrong_password.1
    );
    let problem: Value = serde_json::from_str(&wrong_password.2).unwrap_or_default();
    assert_eq!(problem["detail"], json!("Wrong email or password."));
}

#[tokio::test]
async fn a_session_reads_users_and_searches_with_the_csrf_header_and_only_with_it() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let bot = app.create_bot("Support").await;
    let cookie = session(&app).await;
    let users = format!("/api/v1/bots/{bot}/users");
    let search = format!("/api/v1/bots/{bot}/users/search");
    let reply = send_with_cookie(&app, &cookie, Method::GET, &users, &[], None).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let allowed = [
        vec![CSRF],
        vec![CSRF, ("origin", app.address.as_str())],
        vec![CSRF, ("sec-fetch-site", "same-origin")],
    ];
    for headers in allowed {
        let body = Some(json!({}));
        let reply = send_with_cookie(&app, &cookie, Method::POST, &search, &headers, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{headers:?}: {reply:?}");
    }
    let refused = [
        vec![],
        vec![("x-cohort-csrf", "0")],
        vec![CSRF, ("origin", "https://evil.example")],
        vec![CSRF, ("origin", "http://127.0.0.1:1")],
        vec![CSRF, ("sec-fetch-site", "cross-site")],
        vec![CSRF, ("sec-fetch-site", "same-site")],
    ];
    for headers in refused {
        let body = Some(json!({}));
        let reply = send_with_cookie(&app, &cookie, Method::POST, &search, &headers, body).await;
        reply.assert_problem(403);
        let detail = reply.body["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with("Missing or wrong CSRF protection"),
            "{reply:?}"
        );
    }
}

#[tokio::test]
async fn a_bearer_token_needs_no_csrf_header_and_wins_over_a_cookie() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let bot = app.create_bot("Support").await;
    let search = format!("/api/v1/bots/{bot}/users/search");
    let reply = app.post(&search, json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let cookie = session(&app).await;
    let bearer = format!("Bearer {}", app.token);
    let headers = [
        ("authorization", bearer.as_str()),
        ("cookie", cookie.as_str()),
    ];
    let both = send_raw(&app, Method::POST, &search, &headers, Some(json!({}))).await;
    assert_eq!(both.status(), StatusCode::OK);
}

#[tokio::test]
async fn signing_out_ends_the_session_and_the_old_cookie_is_refused() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let cookie = session(&app).await;
    let logout = "/api/v1/auth/logout";
    let reply = send_with_cookie(&app, &cookie, Method::POST, logout, &[], None).await;
    reply.assert_problem(403);
    assert_eq!(me(&app, &cookie).await.status, StatusCode::OK);
    let headers = [("cookie", cookie.as_str()), CSRF];
    let response = send_raw(&app, Method::POST, logout, &headers, None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = header(&response, "set-cookie");
    assert!(cleared.starts_with("cohort_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    me(&app, &cookie).await.assert_problem(401);
    send_with_cookie(&app, &cookie, Method::GET, "/api/v1/bots", &[], None)
        .await
        .assert_problem(401);
    // Without a session, signing out is a no-op.
    let response = send_raw(&app, Method::POST, logout, &[], None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_forged_or_missing_session_cookie_is_401() {
    let app = spawn_app().await;
    with_admin(&app).await;
    session(&app).await;
    let forged = format!("cohort_session={}", "ab".repeat(32));
    for cookie in [forged.as_str(), "cohort_session=garbage", "other=1"] {
        me(&app, cookie).await.assert_problem(401);
        send_with_cookie(&app, cookie, Method::GET, "/api/v1/bots", &[], None)
            .await
            .assert_problem(401);
    }
}

#[tokio::test]
async fn a_session_idle_for_13_hours_has_ended_and_is_deleted() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let cookie = session(&app).await;
    assert_eq!(me(&app, &cookie).await.status, StatusCode::OK);
    age_sessions(&app, "last_seen_at", 13 * HOUR_MICROS).await;
    me(&app, &cookie).await.assert_problem(401);
    let left = session_column(&app, "SELECT COUNT(*) FROM admin_sessions").await;
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_session_used_after_11_idle_hours_lives_on_and_is_marked_seen() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let cookie = session(&app).await;
    let last_seen = "SELECT last_seen_at FROM admin_sessions";
    let before = session_column(&app, last_seen).await;
    age_sessions(&app, "last_seen_at", 11 * HOUR_MICROS).await;
    assert_eq!(me(&app, &cookie).await.status, StatusCode::OK);
    let after = session_column(&app, last_seen).await;
    assert!(
        after >= before,
        "last_seen_at {after} should be now, was {before}"
    );
}

#[tokio::test]
async fn a_session_older_than_7_days_has_ended_however_busy() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let cookie = session(&app).await;
    age_sessions(&app, "created_at", 7 * 24 * HOUR_MICROS + HOUR_MICROS).await;
    me(&app, &cookie).await.assert_problem(401);
}

#[tokio::test]
async fn every_sign_in_starts_a_new_session_and_ends_the_one_it_replaces() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let first = session(&app).await;
    let second = session(&app).await;
    assert_ne!(first, second);
    assert_eq!(me(&app, &first).await.status, StatusCode::OK);
    assert_eq!(me(&app, &second).await.status, StatusCode::OK);
    // Signing in again with a session cookie replaces that session.
    let body = json!({"email": EMAIL, "password": PASSWORD});
    let response = send_raw(&app, Method::POST, LOGIN, &[("cookie", &first)], Some(body)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let third = header(&response, "set-cookie");
    assert!(!third.starts_with(&first), "{third}");
    me(&app, &first).await.assert_problem(401);
    assert_eq!(me(&app, &second).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_sixth_quick_failure_for_one_email_is_429_even_with_the_right_password() {
    let app = spawn_app().await;
    with_admin(&app).await;
    for attempt in 1..=5 {
        let (status, _, body) = sign_in(&app, EMAIL, "not the password").await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}: {body}"
        );
    }
    let body = json!({"email": EMAIL.to_uppercase(), "password": PASSWORD});
    let response = send_raw(&app, Method::POST, LOGIN, &[], Some(body)).await;
    let retry_after = header(&response, "retry-after").parse::<u64>().ok();
    assert!(
        retry_after.is_some_and(|secs| (1..=60).contains(&secs)),
        "{retry_after:?}"
    );
    Reply::read(response).await.assert_problem(429);
    // Another email from the same address is still let in.
    let (status, _, body) = sign_in(&app, "nobody@acme.test", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
}

#[tokio::test]
async fn successful_sign_ins_are_never_limited() {
    let app = spawn_app().await;
    with_admin(&app).await;
    for attempt in 1..=12 {
        let (status, _, body) = sign_in(&app, EMAIL, PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "attempt {attempt}: {body}");
    }
}

#[tokio::test]
async fn a_cross_site_sign_in_is_refused() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let (status, cookie, _) =
        sign_in_with(&app, EMAIL, PASSWORD, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(cookie.is_empty(), "{cookie}");
}

#[tokio::test]
async fn bulk_actions_by_a_session_are_audited_as_the_admin() {
    let app = spawn_app().await;
    with_admin(&app).await;
    let bot = app.create_bot("Support").await;
    let reply = app
        .upsert_user(&bot, json!({"channel": "web", "external_id": "1"}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
    let user = reply.body["id"].clone();
    let cookie = session(&app).await;
    let body = json!({
        "selection": {"ids": [user]},
        "action": {"type": "add_tags", "tags": ["VIP"]}
    });
    let bulk = format!("/api/v1/bots/{bot}/users/bulk");
    let reply = send_with_cookie(&app, &cookie, Method::POST, &bulk, &[CSRF], Some(body)).await;
    assert_eq!(reply.body["affected"], json!(1), "{reply:?}");
    let audit = app.get(&format!("/api/v1/bots/{bot}/audit")).await;
    assert_eq!(
        audit.body["data"][0]["actor"],
        json!(format!("admin:{EMAIL}")),
        "{audit:?}"
    );
}

#[tokio::test]
async fn unknown_api_paths_are_problem_json_404s_never_the_app() {
    let folder = std::env::temp_dir().join(format!("cohort_spa_{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        folder.join("index.html"),
        "<!doctype html><title>Cohort</title>",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let app = spawn_app_serving(Spa::Folder(folder.clone())).await;
    for path in ["/api", "/api/", "/api/x", "/api/v2/bots", "/api/v1/nothing"] {
        app.get(path).await.assert_problem(404);
    }
    // Client-side routes get the app, which is never cached stale.
    for path in ["/", "/users/123"] {
        let response = send_raw(&app, Method::GET, path, &[], None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        let text = response.text().await.unwrap_or_default();
        assert!(text.contains("<title>Cohort</title>"), "{path}: {text}");
    }
    std::fs::remove_dir_all(&folder).ok();
}

#[tokio::test]
async fn every_response_carries_the_security_headers_for_its_kind() {
    let folder = std::env::temp_dir().join(format!("cohort_spa_csp_{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        folder.join("index.html"),
        "<!doctype html><title>Cohort</title>",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let app = spawn_app_serving(Spa::Folder(folder.clone())).await;
    let bearer = format!("Bearer {}", app.token);
    let auth: &[(&str, &str)] = &[("authorization", bearer.as_str())];
    let none: &[(&str, &str)] = &[];
    let api = "default-src 'none'; frame-ancestors 'none'";
    let cases = [
        ("/api/v1/bots", auth, api),
        ("/api/v1/nothing", auth, api),
        ("/healthz", none, api),
        ("/openapi.json", none, api),
        ("/users/123", none, "script-src 'self' 'wasm-unsafe-eval'"),
        ("/docs/", none, "style-src 'self' 'unsafe-inline'"),
    ];
    for (path, headers, policy) in cases {
        let response = send_raw(&app, Method::GET, path, headers, None).await;
        let csp = header(&response, "content-security-policy");
        assert!(csp.contains(policy), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{path}: {csp}");
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&response, "referrer-policy"),
            "no-referrer",
            "{path}"
        );
        assert!(
            response.headers().get("server").is_none(),
            "{path}: no banner"
        );
        let cache = header(&response, "cache-control");
        if path.starts_with("/users") {
            assert_eq!(cache, "no-cache", "{path}: the app's own setting stays");
        } else if !path.starts_with("/docs") {
            assert_eq!(cache, "no-store", "{path}");
        }
    }
    std::fs::remove_dir_all(&folder).ok();
}

#[tokio::test]
async fn the_public_health_routes_refuse_a_control_character_as_documented() {
    let app = spawn_app().await;
    for path in ["/healthz?probe=%00", "/readyz?probe=%07"] {
        let response = send_raw(&app, Method::GET, path, &[], None).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            header(&response, "content-type"),
            "application/problem+json",
            "{path}"
        );
    }
    for path in ["/healthz", "/readyz"] {
        let response = send_raw(&app, Method::GET, path, &[], None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
}
