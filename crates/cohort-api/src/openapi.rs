//! The OpenAPI document: the base (info, security schemes, tags) plus the paths and schemas
//! utoipa-actix-web collects from the registered handlers.

use actix_web::App;
use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_actix_web::AppExt;

use crate::app::with_routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cohort API",
        description = "The users back office of a chatbot platform: every person who chats with a bot, with stats, tags and attributes; filtered, segmented and exported.\n\nAuthenticate with `Authorization: Bearer <token>` (an API token from `cohort token create --workspace NAME`), or with the app's session cookie. Errors are RFC 9457 `application/problem+json`, also for a method a path does not take (405, with `Allow`) and for failures on our side (500). Unknown fields in request bodies are refused (400). Lists are `{data, next_cursor, total}`; page with `cursor`. Every response carries `X-Request-Id` (the one you send, when it is 1 to 128 visible ASCII characters), which problem bodies quote as `request_id`.\n\nGenerate a client from this document: `npx openapi-typescript openapi.json -o cohort.d.ts` (with `openapi-fetch`), or `openapi-python-client generate --path openapi.json`.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
        contact(name = "Cohort", url = "https://cohort.dev")
    ),
    servers(
        (url = "/", description = "The server that serves this document"),
        (url = "http://127.0.0.1:8080", description = "`cohort serve` on its default address")
    ),
    security(("bearer" = []), ("session" = [])),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "The app's sign-in: admins' sessions"),
        (name = "health", description = "Liveness and readiness"),
        (name = "bots", description = "Bots and their settings"),
        (name = "users", description = "A bot's users: filter, read, write, act in bulk"),
        (name = "exports", description = "CSV exports of a selection of users: background jobs and their files"),
        (name = "events", description = "Messages and clicks from bot channels, and sentiment")
    )
)]
struct BaseDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token from `cohort token create --workspace NAME`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "The app's session, set by `POST /auth/login`. Unsafe requests (POST, PUT, PATCH, DELETE) also need the header `X-Cohort-CSRF: 1`, and an `Origin`, when sent, equal to the server's own.",
            ))),
        );
    }
}

/// The document's base, before paths are collected.
pub(crate) fn base() -> utoipa::openapi::OpenApi {
    BaseDoc::openapi()
}

/// The whole OpenAPI document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut spec) = with_routes(App::new().into_utoipa_app()).split_for_parts();
    spec.info.version = env!("CARGO_PKG_VERSION").to_owned();
    // utoipa's attributes cannot put a pattern on every string a request carries.
    cohort_core::openapi::forbid_control_characters(&mut spec);
    spec
}

/// The document as pretty JSON, as committed at `openapi/openapi.json`.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
