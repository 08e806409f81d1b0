//! The OpenAPI document: the base (info, security schemes, tags) plus the paths and schemas
//! utoipa-actix-web collects from the registered handlers.

use actix_web::App;
use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa_actix_web::AppExt;

use crate::app::with_routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cohort API",
        description = "The users back office of a chatbot platform: every person who chats with a bot, with stats, tags and attributes; filtered, segmented and exported.\n\nErrors are RFC 9457 `application/problem+json`. Lists are `{data, next_cursor, total}`; page with `cursor`.",
        license(name = "MIT OR Apache-2.0")
    ),
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

/// Every endpoint that takes an API token also takes a session cookie.
fn allow_sessions(spec: &mut utoipa::openapi::OpenApi) {
    for item in spec.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            let is_auth = operation
                .tags
                .as_ref()
                .is_some_and(|tags| tags.iter().any(|tag| tag == "auth"));
            if let Some(security) = operation.security.as_mut()
                && !security.is_empty()
                && !is_auth
            {
                security.push(SecurityRequirement::new("session", Vec::<String>::new()));
            }
        }
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
    allow_sessions(&mut spec);
    spec
}

/// The document as pretty JSON, as committed at `openapi/openapi.json`.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
