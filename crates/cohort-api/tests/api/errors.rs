//! Bad requests of every kind get a clear problem+json 4xx, and change nothing.

use cohort_core::sort::{Cursor, SortValue};
use cohort_store::testing::{now, workspace_name};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn requests_without_or_with_a_wrong_token_are_401() {
    let app = spawn_app().await;
    let reply = app.send_as("", Method::GET, "/api/v1/bots", None).await;
    reply.assert_problem(401);
    let reply = app
        .send_as("cohort_0000", Method::GET, "/api/v1/bots", None)
        .await;
    reply.assert_problem(401);
    let ok = app.get("/api/v1/bots").await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405_with_allow() {
    let app = spawn_app().await;
    app.get("/api/v1/nothing-here").await.assert_problem(404);
    app.get("/nothing-here").await.assert_problem(404);
    let reply = app.send(Method::PUT, "/api/v1/bots", None).await;
    reply.assert_problem(405);
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("GET, POST"),
        "{reply:?}"
    );
    // A static path is not a user named after it: a wrong method there is a 405 that says
    // what it takes, and a user segment that is no id is a 404 whatever the method.
    let bot = app.create_bot("Bot").await;
    for (method, path, allowed) in [
        (Method::GET, "bulk", Some("POST")),
        (Method::DELETE, "search", Some("POST")),
        (Method::PATCH, "count", Some("POST")),
        (Method::PUT, "5", Some("DELETE, GET, PATCH")),
        (Method::GET, "abc", None),
        (Method::DELETE, "abc", None),
        (Method::GET, "abc/messages", None),
    ] {
        let reply = app
            .send(
                method.clone(),
                &format!("/api/v1/bots/{bot}/users/{path}"),
                None,
            )
            .await;
        match allowed {
            Some(allowed) => {
                reply.assert_problem(405);
                assert!(
                    reply.body["detail"]
                        .as_str()
                        .unwrap_or_default()
                        .contains(allowed),
                    "{method} {path}: {reply:?}"
                );
            }
            None => {
                reply.assert_problem(404);
            }
        }
    }
}

#[tokio::test]
async fn head_is_answered_wherever_get_is_with_the_head_of_its_answer() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let head = |path: String| {
        app.client
            .head(format!("{}{path}", app.address))
            .bearer_auth(&app.token)
            .send()
    };
    for path in [
        "/api/v1/bots".to_owned(),
        format!("/api/v1/bots/{bot}/users?limit=5"),
        "/healthz".to_owned(),
        "/openapi.json".to_owned(),
    ] {
        let get = app
            .client
            .get(format!("{}{path}", app.address))
            .bearer_auth(&app.token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // reqwest's `content_length` reads the body's size, nothing for HEAD: the header.
        let get_length = get.headers().get("content-length").cloned();
        assert!(get_length.is_some(), "{path}");
        let get_type = get.headers().get("content-type").cloned();
        let response = head(path.clone()).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers().get("content-type").cloned(),
            get_type,
            "{path}"
        );
        assert_eq!(
            response.headers().get("content-length").cloned(),
            get_length,
            "{path}"
        );
        let body = response.bytes().await.unwrap_or_else(|e| panic!("{e}"));
        assert!(body.is_empty(), "{path}: {body:?}");
    }
    // Where GET is not answered, neither is HEAD.
    let search = head(format!("/api/v1/bots/{bot}/users/search"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(search.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        search.headers().get("allow").and_then(|v| v.to_str().ok()),
        Some("POST")
    );
    let missing = head("/api/v1/nothing-here".to_owned())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let anonymous = app
        .client
        .head(format!("{}/api/v1/bots", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_json_wrong_content_type_and_unknown_fields_are_400_or_415() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let search = format!("/api/v1/bots/{bot}/users/search");
    app.send_raw(Method::POST, &search, "application/json", "{\"filter\":")
        .await
        .assert_problem(400);
    app.send_raw(Method::POST, &search, "application/json", "")
        .await
        .assert_problem(400);
    app.send_raw(Method::POST, &search, "text/plain", "{}")
        .await
        .assert_problem(415);
    let pointers = app
        .post(&search, json!({"filtre": {}}))
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/filtre"]);
    let pointers = app
        .post("/api/v1/bots", json!({"name": "x", "timeout": 5}))
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/timeout"]);
    let pointers = app
        .post(
            &format!("/api/v1/bots/{bot}/users"),
            json!({"channel": "web", "external_id": "1", "tags": "vip"}),
        )
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/tags"]);
    // A missing field is named where it is missing, in plain words.
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/users"),
            json!({"external_id": "1"}),
        )
        .await;
    assert_eq!(reply.assert_problem(400), ["/channel"]);
    assert_eq!(reply.body["errors"][0]["message"], "`channel` is required");
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/users/search"),
            json!({"limit": -1}),
        )
        .await;
    assert_eq!(reply.assert_problem(400), ["/limit"]);
    let message = reply.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("a whole number, 0 or more"), "{message}");
}

#[tokio::test]
async fn bad_list_parameters_point_at_each_parameter() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let users = format!("/api/v1/bots/{bot}/users");
    app.get(&format!("{users}?limit=0"))
        .await
        .assert_problem(400);
    app.get(&format!("{users}?limit=501"))
        .await
        .assert_problem(400);
    app.get(&format!("{users}?limit=-1"))
        .await
        .assert_problem(400);
    app.get(&format!("{users}?limit=99999999999999999999999"))
        .await
        .assert_problem(400);
    app.get(&format!("{users}?colour=red"))
        .await
        .assert_problem(400);
    // Each mistake points at its parameter, in plain words.
    for (query, pointer, words) in [
        ("limit=abc", "/query/limit", "expected digits only"),
        (
            "limit=99999999999999999999999",
            "/query/limit",
            "too large a number",
        ),
        ("limit=-1", "/query/limit", "expected digits only"),
        (
            "limit=5&limit=6",
            "/query/limit",
            "`limit` is given more than once",
        ),
        ("colour=red", "/query/colour", "unknown field `colour`"),
    ] {
        let reply = app.get(&format!("{users}?{query}")).await;
        assert_eq!(reply.assert_problem(400), [pointer], "{query}");
        let message = reply.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(message.contains(words), "{query}: {message}");
    }
    // Lists that do not page take no parameters, rather than ignoring a limit.
    for path in [
        "/api/v1/bots?limit=0".to_owned(),
        format!("/api/v1/bots/{bot}/tags?cursor=zz"),
    ] {
        app.get(&path).await.assert_problem(400);
    }
    assert_eq!(app.get("/api/v1/bots").await.status, 200);
    assert_eq!(
        app.get(&format!("/api/v1/bots/{bot}/tags")).await.status,
        200
    );
    app.get(&format!("{users}?cursor=garbage"))
        .await
        .assert_problem(400);
    let pointers = app
        .get(&format!("{users}?sort=password&filter=%7B"))
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/query/filter", "/query/sort"]);
    let pointers = app
        .post(&format!("{users}/search"), json!({"limit": 1000, "sort": "-nope", "filter": {"column": "sessions", "function": "contains", "value": "3"}}))
        .await
        .assert_problem(400);
    assert_eq!(pointers, ["/filter/function", "/sort", "/limit"]);
}

/// A cursor is base64 JSON, so anyone can forge one; its text enters like any string.
/// PostgreSQL answered a NUL in it with a 500 ("invalid byte sequence for encoding").
#[tokio::test]
async fn a_forged_cursor_holding_a_control_character_is_a_400() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let users = format!("/api/v1/bots/{bot}/users");
    for (sort, text) in [
        ("name", "\u{0}"),
        ("-email", "a\u{0}b"),
        ("channel", "\u{1b}"),
    ] {
        let forged = Cursor {
            sort: sort.to_owned(),
            value: SortValue::Text(text.to_owned()),
            id: 1,
        }
        .encode();
        let pointers = app
            .get(&format!("{users}?sort={sort}&cursor={forged}"))
            .await
            .assert_problem(400);
        assert_eq!(pointers, ["/query/cursor"], "{sort} {text:?}");
        let pointers = app
            .post(
                &format!("{users}/search"),
                json!({"sort": sort, "cursor": forged}),
            )
            .await
            .assert_problem(400);
        assert_eq!(pointers, ["/cursor"], "{sort} {text:?}");
    }
}

#[tokio::test]
async fn huge_or_deep_filters_are_a_quick_400() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let search = format!("/api/v1/bots/{bot}/users/search");
    let mut deep = json!({"column": "first_name", "function": "equals", "value": "x"});
    for _ in 0..1000 {
        deep = json!({"all": [deep]});
    }
    // serde_json refuses to build a Value this deep itself; send it as text.
    let text = format!(
        "{{\"filter\": {}}}",
        "{\"all\": [".repeat(1000) + &"]}".repeat(1000)
    );
    let reply = app
        .send_raw(
            Method::POST,
            &search,
            "application/json",
            Box::leak(text.into_boxed_str()),
        )
        .await;
    reply.assert_problem(400);
    let nine_deep = (0..9).fold(
        json!({"column": "first_name", "function": "is_set"}),
        |inner, _| json!({"any": [inner]}),
    );
    app.post(&search, json!({"filter": nine_deep}))
        .await
        .assert_problem(400);
    let wide = json!({"filter": {"any": vec![json!({"column": "first_name", "function": "is_set"}); 101]}});
    app.post(&search, wide).await.assert_problem(400);
    let long = json!({"filter": {"column": "first_name", "function": "contains", "value": "x".repeat(1001)}});
    app.post(&search, long).await.assert_problem(400);
    drop(deep);
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let app = spawn_app().await;
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(9 * 1024 * 1024));
    let reply = app
        .send_raw(
            Method::POST,
            "/api/v1/bots",
            "application/json",
            Box::leak(huge.into_boxed_str()),
        )
        .await;
    reply.assert_problem(413);
}

#[tokio::test]
async fn another_workspaces_bot_and_users_are_404_and_untouched() {
    let app = spawn_app().await;
    let bot = app.create_bot("Ours").await;
    let user = app
        .upsert_user(
            &bot,
            json!({"channel": "web", "external_id": "1", "first_name": "Yin Yin"}),
        )
        .await;
    let user_id = user.body["id"].as_str().unwrap_or_default().to_owned();

    let other = app
        .database
        .store
        .workspace_by_name(&workspace_name("Other"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let other_token = app
        .database
        .store
        .create_token(other, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let as_other = |method: Method, path: String, body| {
        let app = &app;
        let token = other_token.clone();
        async move { app.send_as(&token, method, &path, body).await }
    };
    as_other(Method::GET, format!("/api/v1/bots/{bot}"), None)
        .await
        .assert_problem(404);
    as_other(
        Method::GET,
        format!("/api/v1/bots/{bot}/users/{user_id}"),
        None,
    )
    .await
    .assert_problem(404);
    as_other(
        Method::PATCH,
        format!("/api/v1/bots/{bot}/users/{user_id}"),
        Some(json!({"first_name": "Hacked"})),
    )
    .await
    .assert_problem(404);
    as_other(
        Method::DELETE,
        format!("/api/v1/bots/{bot}/users/{user_id}"),
        None,
    )
    .await
    .assert_problem(404);
    as_other(Method::DELETE, format!("/api/v1/bots/{bot}"), None)
        .await
        .assert_problem(404);
    let listed = as_other(Method::GET, "/api/v1/bots".to_owned(), None).await;
    assert_eq!(listed.body["total"], 0);

    let still = app
        .get(&format!("/api/v1/bots/{bot}/users/{user_id}"))
        .await;
    assert_eq!(still.body["first_name"], "Yin Yin");
}

#[tokio::test]
async fn invalid_user_writes_report_every_field_and_store_nothing() {
    let app = spawn_app().await;
    let bot = app.create_bot("Bot").await;
    let body = json!({
        "channel": "",
        "external_id": "  ",
        "email": "nope",
        "tags": ["ok", ""],
        "attributes": {"": "x"}
    });
    let pointers = app.upsert_user(&bot, body).await.assert_problem(400);
    assert_eq!(
        pointers,
        [
            "/channel",
            "/external_id",
            "/email",
            "/tags/1",
            "/attributes/"
        ]
    );
    let listed = app.get(&format!("/api/v1/bots/{bot}/users")).await;
    assert_eq!(listed.body["total"], 0);
}

#[tokio::test]
async fn every_response_has_a_request_id_that_problems_quote() {
    let app = spawn_app().await;
    let send = |id: Option<&str>, path: &str| {
        let mut request = app
            .client
            .get(format!("{}{path}", app.address))
            .bearer_auth(&app.token);
        if let Some(id) = id {
            request = request.header(cohort_api::REQUEST_ID_HEADER, id);
        }
        request.send()
    };
    let header = |response: &reqwest::Response| {
        response
            .headers()
            .get(cohort_api::REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    // Made when not sent: 32 hex digits, a new one each time.
    let first = send(None, "/api/v1/bots")
        .await
        .unwrap_or_else(|e| panic!("the request: {e}"));
    let made = header(&first);
    assert_eq!(made.len(), 32, "{made:?}");
    assert!(made.bytes().all(|byte| byte.is_ascii_hexdigit()));
    let second = send(None, "/healthz")
        .await
        .unwrap_or_else(|e| panic!("the request: {e}"));
    assert_ne!(header(&second), made);
    // A client's id is kept, and the problem body quotes it.
    let missing = send(Some("support-ticket-42"), "/api/v1/bots/999999")
        .await
        .unwrap_or_else(|e| panic!("the request: {e}"));
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&missing), "support-ticket-42");
    let body: serde_json::Value = missing
        .json()
        .await
        .unwrap_or_else(|e| panic!("a problem body: {e}"));
    assert_eq!(body["request_id"], "support-ticket-42");
    // An id that cannot be kept is replaced; a problem made before any handler (an
    // unknown route under /api) quotes the new one.
    let long = "x".repeat(129);
    let unknown = send(Some(&long), "/api/v2/anything")
        .await
        .unwrap_or_else(|e| panic!("the request: {e}"));
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let replaced = header(&unknown);
    assert_eq!(replaced.len(), 32, "{replaced:?}");
    let body: serde_json::Value = unknown
        .json()
        .await
        .unwrap_or_else(|e| panic!("a problem body: {e}"));
    assert_eq!(body["request_id"], replaced.as_str());
}
