//! The committed OpenAPI document is what the server generates.

use cohort_store::testing::{admin, now, workspace_name};
use std::path::PathBuf;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[test]
fn committed_openapi_document_matches_the_generated_one() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json");
    let generated = cohort_api::openapi_json();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|value| value == "1") {
        std::fs::write(&path, &generated)
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date; run `just openapi` (UPDATE_OPENAPI=1 cargo test -p cohort-api --test api openapi) and commit it"
    );
}

#[test]
fn openapi_document_is_3_1_and_documents_every_endpoint() {
    let spec: Value = serde_json::from_str(&cohort_api::openapi_json()).unwrap_or_default();
    assert_eq!(spec["openapi"], "3.1.0");
    for (path, method) in [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/api/v1/bots", "post"),
        ("/api/v1/bots/{bot}", "patch"),
        ("/api/v1/bots/{bot}/columns", "get"),
        ("/api/v1/bots/{bot}/tags", "get"),
        ("/api/v1/bots/{bot}/users", "get"),
        ("/api/v1/bots/{bot}/users", "post"),
        ("/api/v1/bots/{bot}/users/search", "post"),
        ("/api/v1/bots/{bot}/users/{user}", "delete"),
    ] {
        assert!(
            spec["paths"][path][method].is_object(),
            "{method} {path} is not documented"
        );
    }
    assert!(spec["components"]["schemas"]["Filter"].is_object());
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
}

/// Every request example of the document, as `(method, path, example name, body)`.
fn request_examples(spec: &Value) -> Vec<(String, String, String, Value)> {
    let mut examples = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let content = &operation["requestBody"]["content"]["application/json"];
            if !content["example"].is_null() {
                examples.push((
                    method.clone(),
                    path.clone(),
                    "example".to_owned(),
                    content["example"].clone(),
                ));
            }
            for (name, example) in content["examples"].as_object().into_iter().flatten() {
                examples.push((
                    method.clone(),
                    path.clone(),
                    name.clone(),
                    example["value"].clone(),
                ));
            }
        }
    }
    examples
}

#[test]
fn every_operation_with_a_body_has_a_request_example() {
    let spec: Value = serde_json::from_str(&cohort_api::openapi_json()).unwrap_or_default();
    let examples = request_examples(&spec);
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if operation["requestBody"].is_object() {
                assert!(
                    examples.iter().any(|(m, p, ..)| m == method && p == path),
                    "{method} {path} has a body but no example"
                );
            }
        }
    }
}

#[tokio::test]
async fn every_request_example_in_the_document_is_accepted_by_a_live_server() {
    let app = spawn_app().await;
    let spec: Value = serde_json::from_str(&cohort_api::openapi_json()).unwrap_or_default();
    // The sign-in example's admin, in the test app's workspace.
    let store = &app.database.store;
    let workspace = store
        .workspace_by_name(&workspace_name("Acme"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .set_admin_password(
            workspace,
            &admin("demo@example.com", "correct horse battery staple"),
            now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    // A bot with 15 users, so that the examples' ids ("12", "15") name users of this bot.
    let bot = app.create_bot("Examples").await;
    let mut user = String::new();
    for index in 0..15 {
        let reply = app
            .upsert_user(
                &bot,
                json!({"channel": "telegram", "external_id": format!("seed-{index}"), "first_name": "Yin Yin"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply:?}");
        user = reply.body["id"].as_str().unwrap_or_default().to_owned();
    }
    let ids: Vec<String> = app.search_ids(&bot, json!({"limit": 500})).await;
    assert!(
        ids.contains(&"12".to_owned()) && ids.contains(&"15".to_owned()),
        "the examples' user ids are not this bot's: {ids:?}"
    );

    let mut examples = request_examples(&spec);
    // Deletes go last, so that every other example finds its users.
    examples.sort_by_key(|(.., body)| body["action"]["type"] == "delete");
    assert!(
        examples.len() >= 15,
        "only {} examples found",
        examples.len()
    );
    for (method, path, name, body) in examples {
        let address = path.replace("{bot}", &bot).replace("{user}", &user);
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let reply = app.send(method.clone(), &address, Some(body.clone())).await;
        assert!(
            reply.status.is_success(),
            "{method} {path} example `{name}` was refused: {body}\n{reply:?}"
        );
        let documented = &spec["paths"][&path][method.as_str().to_ascii_lowercase()]["responses"]
            [reply.status.as_str()];
        assert!(
            documented.is_object(),
            "{method} {path} answered its example `{name}` with an undocumented {}",
            reply.status
        );
    }
}

#[test]
fn limits_in_the_document_are_the_constants_the_server_checks() {
    use cohort_core::limits::*;
    let spec: Value = serde_json::from_str(&cohort_api::openapi_json()).unwrap_or_default();
    let schemas = &spec["components"]["schemas"];
    let number = |value: usize| json!(value);
    // (schema, property, keyword, the constant the core checks).
    let expected: Vec<(&str, &str, &str, Value)> = vec![
        ("Bot", "name", "maxLength", number(MAX_BOT_NAME_CHARS)),
        ("CreateBot", "name", "maxLength", number(MAX_BOT_NAME_CHARS)),
        ("UpdateBot", "name", "maxLength", number(MAX_BOT_NAME_CHARS)),
        (
            "Bot",
            "session_timeout_secs",
            "maximum",
            json!(MAX_SESSION_TIMEOUT_SECS),
        ),
        (
            "CreateBot",
            "session_timeout_secs",
            "maximum",
            json!(MAX_SESSION_TIMEOUT_SECS),
        ),
        (
            "UpdateBot",
            "session_timeout_secs",
            "maximum",
            json!(MAX_SESSION_TIMEOUT_SECS),
        ),
        (
            "UpsertUser",
            "first_name",
            "maxLength",
            number(MAX_PROFILE_FIELD_CHARS),
        ),
        (
            "UpsertUser",
            "timezone",
            "maxLength",
            number(MAX_PROFILE_FIELD_CHARS),
        ),
        (
            "UpsertUser",
            "external_id",
            "maxLength",
            number(MAX_PROFILE_FIELD_CHARS),
        ),
        (
            "UpsertUser",
            "channel",
            "maxLength",
            number(MAX_IDENTIFIER_CHARS),
        ),
        (
            "UpsertUser",
            "notes",
            "maxLength",
            number(MAX_LONG_FIELD_CHARS),
        ),
        (
            "UpdateUser",
            "avatar_url",
            "maxLength",
            number(MAX_LONG_FIELD_CHARS),
        ),
        ("UpdateUser", "tags", "maxItems", number(MAX_ITEMS_PER_USER)),
        (
            "UpdateUser",
            "attributes",
            "maxProperties",
            number(MAX_ITEMS_PER_USER),
        ),
        (
            "SelectionByIds",
            "ids",
            "maxItems",
            number(MAX_SELECTION_IDS),
        ),
        (
            "SelectionByFilter",
            "except_ids",
            "maxItems",
            number(MAX_SELECTION_IDS),
        ),
        ("AddTags", "tags", "maxItems", number(MAX_BULK_TAGS)),
        ("RemoveTags", "tags", "maxItems", number(MAX_BULK_TAGS)),
        (
            "SetAttributes",
            "attributes",
            "maxProperties",
            number(MAX_BULK_ATTRIBUTES),
        ),
        (
            "RemoveAttributes",
            "keys",
            "maxItems",
            number(MAX_BULK_ATTRIBUTES),
        ),
        (
            "IngestEvents",
            "events",
            "maxItems",
            number(MAX_EVENTS_PER_BATCH),
        ),
        (
            "MessageEvent",
            "id",
            "maxLength",
            number(MAX_EVENT_ID_CHARS),
        ),
        (
            "MessageEvent",
            "text",
            "maxLength",
            number(MAX_MESSAGE_CHARS),
        ),
        (
            "MessageEvent",
            "channel",
            "maxLength",
            number(MAX_IDENTIFIER_CHARS),
        ),
        (
            "MessageEvent",
            "first_name",
            "maxLength",
            number(MAX_PROFILE_FIELD_CHARS),
        ),
        ("ClickEvent", "id", "maxLength", number(MAX_EVENT_ID_CHARS)),
        ("ClickEvent", "url", "maxLength", number(MAX_URL_CHARS)),
        (
            "ClickEvent",
            "external_user_id",
            "maxLength",
            number(MAX_PROFILE_FIELD_CHARS),
        ),
        (
            "SentimentRequest",
            "texts",
            "maxItems",
            number(MAX_SENTIMENT_TEXTS),
        ),
    ];
    for (schema, property, keyword, value) in expected {
        let property_schema = &schemas[schema]["properties"][property];
        assert_eq!(
            property_schema[keyword], value,
            "{schema}.{property} {keyword} is not the constant: {property_schema}"
        );
    }
    assert_eq!(schemas["Tag"]["maxLength"], number(MAX_IDENTIFIER_CHARS));
    assert_eq!(
        schemas["AttributeKey"]["maxLength"],
        number(MAX_IDENTIFIER_CHARS)
    );
    assert_eq!(
        schemas["SetAttributes"]["properties"]["attributes"]["additionalProperties"]["maxLength"],
        number(MAX_ATTRIBUTE_VALUE_CHARS)
    );
    let text = &schemas["TextCondition"]["properties"]["value"];
    assert_eq!(text["maxLength"], number(MAX_FILTER_TEXT_CHARS));
    let list = &schemas["TagListCondition"]["properties"]["value"];
    assert_eq!(list["maxItems"], number(MAX_FILTER_LIST_ITEMS));
    for (group, key) in [("FilterAll", "all"), ("FilterAny", "any")] {
        assert_eq!(
            schemas[group]["properties"][key]["maxItems"],
            number(MAX_FILTER_GROUP_ITEMS)
        );
    }
    assert_eq!(schemas["PageSize"]["maximum"], json!(MAX_PAGE_SIZE));
    assert_eq!(schemas["PageSize"]["minimum"], json!(1));
    assert_eq!(schemas["PageSize"]["default"], json!(DEFAULT_PAGE_SIZE));
}

#[test]
fn the_text_patterns_refuse_exactly_the_control_characters_the_server_refuses() {
    use cohort_core::openapi::{MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN, VISIBLE_CHAR};
    use cohort_core::text::is_forbidden_control;
    // JSON Schema patterns are ECMA-262; these use only classes and `\uXXXX`, which the
    // `regex` crate reads the same way.
    let single = regex::Regex::new(SINGLE_LINE_PATTERN)
        .unwrap_or_else(|e| panic!("the single-line pattern: {e}"));
    let multi = regex::Regex::new(MULTI_LINE_PATTERN)
        .unwrap_or_else(|e| panic!("the multi-line pattern: {e}"));
    let visible = regex::Regex::new(&format!("^{VISIBLE_CHAR}$"))
        .unwrap_or_else(|e| panic!("the visible class: {e}"));
    for c in (0..0x3100)
        .chain([0xFEFF, 0x1_F600])
        .filter_map(char::from_u32)
    {
        assert_eq!(
            visible.is_match(&c.to_string()),
            !c.is_whitespace() && !c.is_control(),
            "{:04X}",
            c as u32
        );
        let text = format!("a{c}b");
        assert_eq!(single.is_match(&text), !c.is_control(), "{:04X}", c as u32);
        assert_eq!(
            multi.is_match(&text),
            !is_forbidden_control(c),
            "{:04X}",
            c as u32
        );
    }
}

/// Every string schema in `schema` (following references) without a pattern, an enum or
/// a format, as a path for the message.
fn unpatterned_strings(
    spec: &Value,
    schema: &Value,
    at: &str,
    seen: &mut Vec<String>,
    out: &mut Vec<String>,
) {
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        if !seen.iter().any(|s| s == name) {
            seen.push(name.to_owned());
            unpatterned_strings(spec, &spec["components"]["schemas"][name], name, seen, out);
        }
        return;
    }
    let Some(object) = schema.as_object() else {
        return;
    };
    let kind = object.get("type").unwrap_or(&Value::Null);
    let is_string = kind == "string"
        || kind
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "string"));
    if is_string
        && !["pattern", "enum", "format"]
            .iter()
            .any(|k| object.contains_key(*k))
    {
        out.push(at.to_owned());
    }
    for (key, value) in object {
        match key.as_str() {
            "properties" => {
                for (name, property) in value.as_object().into_iter().flatten() {
                    unpatterned_strings(spec, property, &format!("{at}.{name}"), seen, out);
                }
            }
            "items" | "additionalProperties" | "propertyNames" => {
                unpatterned_strings(spec, value, &format!("{at}[{key}]"), seen, out);
            }
            "oneOf" | "anyOf" | "allOf" => {
                for item in value.as_array().into_iter().flatten() {
                    unpatterned_strings(spec, item, at, seen, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_text_a_request_carries_has_a_pattern_an_enum_or_a_format() {
    let spec: Value = serde_json::from_str(&cohort_api::openapi_json())
        .unwrap_or_else(|e| panic!("the document: {e}"));
    let mut seen = Vec::new();
    let mut unpatterned = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let at = format!("{method} {path} {}", parameter["name"]);
                unpatterned_strings(
                    &spec,
                    &parameter["schema"],
                    &at,
                    &mut seen,
                    &mut unpatterned,
                );
            }
            for media in operation["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, m)| m)
            {
                let at = format!("{method} {path} body");
                unpatterned_strings(&spec, &media["schema"], &at, &mut seen, &mut unpatterned);
            }
        }
    }
    assert!(seen.len() > 20, "only {} components reached", seen.len());
    assert!(
        unpatterned.is_empty(),
        "strings without a pattern: {unpatterned:?}"
    );
}
