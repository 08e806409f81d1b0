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
        description = "The users back office of a chatbot platform: every person who chats with a bot, with stats, tags and attributes; filtered, segmented and exported.\n\nAuthenticate with `Authorization: Bearer <token>` (an API token from `cohort token create --workspace NAME`), or with the app's session cookie. Errors are RFC 9457 `application/problem+json`, also for a method a path does not take (405, with `Allow`) and for failures on our side (500). `HEAD` is answered wherever `GET` is, with the head of the `GET` answer. Unknown fields in request bodies are refused (400). Lists are `{data, next_cursor, total}`; page with `cursor`. Every response carries `X-Request-Id` (the one you send, when it is 1 to 128 visible ASCII characters), which problem bodies quote as `request_id`. Each API token and each session has a fair-use quota, given on every response by `RateLimit-Policy` (with what is left in `RateLimit`); past it the answer is 429 with `Retry-After`.\n\nGenerate a client from this document: `npx openapi-typescript openapi.json -o cohort.d.ts` (with `openapi-fetch`), or `openapi-python-client generate --path openapi.json`.",
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
    document_idempotency_keys(&mut spec);
    document_fair_use(&mut spec);
    // utoipa's attributes cannot put a pattern on every string a request carries.
    cohort_core::openapi::forbid_control_characters(&mut spec);
    spec
}

/// Adds the optional `Idempotency-Key` header, and the 409 and 422 it can answer, to every
/// operation `idempotency::takes_key` names: one rule, so the document and the middleware
/// cannot disagree.
fn document_idempotency_keys(spec: &mut utoipa::openapi::OpenApi) {
    use actix_web::http::Method;
    use cohort_core::limits::{IDEMPOTENCY_KEY_TTL_SECS, MAX_IDEMPOTENCY_KEY_CHARS};
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{RefOr, Required};

    let hours = IDEMPOTENCY_KEY_TTL_SECS / 3600;
    let parameter = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(format!(
            "Makes a retry safe: the same key with the same request within {hours} hours is answered as the first time (with `Idempotent-Replayed: true`) and not applied again. Only successful answers are kept: after an error, which changed nothing, the key may be used again. A new UUID per new request is a good key."
        )))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(MAX_IDEMPOTENCY_KEY_CHARS))
                .pattern(Some("^[!-~]+$"))
                .examples(["0b6f5a5e-8e1a-4c1e-9a43-2f1b2f7e9d10"]),
        ))
        .build();
    for (path, item) in spec.paths.paths.iter_mut() {
        let operations = [
            (Method::POST, &mut item.post),
            (Method::PATCH, &mut item.patch),
            (Method::DELETE, &mut item.delete),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation.as_mut() else {
                continue;
            };
            if !crate::idempotency::takes_key(&method, path) {
                continue;
            }
            operation
                .parameters
                .get_or_insert_with(Vec::new)
                .push(RefOr::T(parameter.clone()));
            let responses = &mut operation.responses.responses;
            let Some(RefOr::T(problem)) = responses.get("400").cloned() else {
                continue;
            };
            for (status, description) in [
                (
                    "409",
                    "A request with this `Idempotency-Key` is still being answered",
                ),
                (
                    "422",
                    "This `Idempotency-Key` was used for a different request",
                ),
            ] {
                responses.entry(status.to_owned()).or_insert_with(|| {
                    let mut response = problem.clone();
                    response.description = description.to_owned();
                    RefOr::T(response)
                });
            }
        }
    }
}

/// Adds the fair-use headers (`RateLimit`, `RateLimit-Policy`) to every response of every
/// operation, and the 429 a caller over its quota gets (with `Retry-After`) to every
/// operation: the middleware (`fair_use::limit`) counts every request with valid
/// credentials, whatever the path.
fn document_fair_use(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

    let text = |example: &str| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .examples([example.to_owned()])
    };
    let headers = [
        (
            "RateLimit",
            HeaderBuilder::new()
                .schema(Some(text("\"default\";r=1187;t=1")))
                .description(Some(
                    "On every response (IETF httpapi-ratelimit-headers, draft 10): `r`, the requests this API token or session may still send at once; `t`, the seconds until that is the whole burst again. A request without valid credentials is not counted and shows the whole burst.",
                ))
                .build(),
        ),
        (
            "RateLimit-Policy",
            HeaderBuilder::new()
                .schema(Some(text("\"default\";q=1200;w=60")))
                .description(Some(
                    "On every response: the fair-use quota of each API token and each admin session, `q` requests per `w` seconds (`cohort serve --rate-limit-per-minute`).",
                ))
                .build(),
        ),
        (
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1))
                        .examples([1]),
                ))
                .description(Some(
                    "Whole seconds until this token or session may send a request again.",
                ))
                .build(),
        ),
    ];
    let components = spec.components.get_or_insert_with(Default::default);
    for (name, header) in headers {
        components.headers.insert(name.to_owned(), RefOr::T(header));
    }
    let header_ref = |name: &str| Ref::new(format!("#/components/headers/{name}"));
    let too_many = ResponseBuilder::new()
        .description(
            "This API token or session sent more requests than its fair-use quota (`RateLimit-Policy`); retry after `Retry-After` seconds",
        )
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .header_ref("Retry-After", header_ref("Retry-After"))
        .build();
    for item in spec.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            responses
                .entry("429".to_owned())
                .or_insert_with(|| RefOr::T(too_many.clone()));
            for response in responses.values_mut() {
                if let RefOr::T(response) = response {
                    for name in ["RateLimit", "RateLimit-Policy"] {
                        response
                            .headers
                            .insert(name.to_owned(), RefOr::Ref(header_ref(name)));
                    }
                }
            }
        }
    }
}

/// The document as pretty JSON, as committed at `openapi/openapi.json`.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
