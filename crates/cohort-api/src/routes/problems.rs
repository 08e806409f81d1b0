//! The error responses endpoints share, for the OpenAPI document. Each set lists only
//! what an endpoint of its kind can answer; every set ends with `default`, the
//! problem+json of anything else (500 when something breaks on our side).

use cohort_core::api::Problem;

/// Errors of authenticated endpoints that take no input but the caller (`GET /bots`).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum CallerProblems {
    /// A path segment or query parameter holds a control character (U+0000 and the
    /// like); `errors` point at it (`/path/1`, `/query/NAME`).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No or invalid API token or session.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// Anything else: 503 `busy` with `Retry-After` while the database is busy with other
    /// writes (nothing changed; send it again), 500 when something broke on our side.
    #[response(status = "default", content_type = "application/problem+json")]
    Unexpected(Problem),
}

/// Errors of authenticated endpoints that read one resource named in the path.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ReadProblems {
    /// A path segment or query parameter holds a control character (U+0000 and the
    /// like); `errors` point at it (`/path/1`, `/query/NAME`).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No or invalid API token or session.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// No such resource in the caller's workspace.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Anything else: 503 `busy` with `Retry-After` while the database is busy with other
    /// writes (nothing changed; send it again), 500 when something broke on our side.
    #[response(status = "default", content_type = "application/problem+json")]
    Unexpected(Problem),
}

/// Errors of authenticated lists with query parameters (`limit`, `cursor`, …).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ListProblems {
    /// A query parameter is invalid or unknown; `errors` point at it (`/query/limit`).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No or invalid API token or session.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// No such resource in the caller's workspace.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Anything else: 503 `busy` with `Retry-After` while the database is busy with other
    /// writes (nothing changed; send it again), 500 when something broke on our side.
    #[response(status = "default", content_type = "application/problem+json")]
    Unexpected(Problem),
}

/// Errors of authenticated unsafe requests without a body on a resource named in the
/// path (`DELETE`, `POST …/stats/refresh`).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ActionProblems {
    /// A path segment or query parameter holds a control character (U+0000 and the
    /// like); `errors` point at it (`/path/1`, `/query/NAME`).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No or invalid API token or session.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// A session caller without `X-Cohort-CSRF: 1`, or from another origin.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such resource in the caller's workspace.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Anything else: 503 `busy` with `Retry-After` while the database is busy with other
    /// writes (nothing changed; send it again), 500 when something broke on our side.
    #[response(status = "default", content_type = "application/problem+json")]
    Unexpected(Problem),
}

/// Errors of authenticated endpoints that take a JSON body, on a resource named in the
/// path.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum WriteProblems {
    /// The request is invalid; `errors` point at each mistake. Nothing was changed.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No or invalid API token or session.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// A session caller without `X-Cohort-CSRF: 1`, or from another origin.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such resource in the caller's workspace.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The body is larger than 8 MiB.
    #[response(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Problem),
    /// The body is not sent as JSON (`Content-Type: application/json`).
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// Anything else: 503 `busy` with `Retry-After` while the database is busy with other
    /// writes (nothing changed; send it again), 500 when something broke on our side.
    #[response(status = "default", content_type = "application/problem+json")]
    Unexpected(Problem),
}

/// Errors of authenticated endpoints that take a JSON body and name nothing in the path
/// (`POST /bots`, `POST /sentiment`).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum CreateProblems {
    /// The request is invalid; `errors` point at each mistake. Nothing was changed.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No or invalid API token or session.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// A session caller without `X-Cohort-CSRF: 1`, or from another origin.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// The body is larger than 8 MiB.
    #[response(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Problem),
    /// The body is not sent as JSON (`Content-Type: application/json`).
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// Anything else: 503 `busy` with `Retry-After` while the database is busy with other
    /// writes (nothing changed; send it again), 500 when something broke on our side.
    #[response(status = "default", content_type = "application/problem+json")]
    Unexpected(Problem),
}
