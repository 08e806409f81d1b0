//! The error responses endpoints share, for the OpenAPI document.

use cohort_core::api::Problem;

/// Errors of authenticated endpoints that read one resource.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ReadProblems {
    /// No or invalid API token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// No such resource in the caller's workspace.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// Errors of authenticated endpoints that take input.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum WriteProblems {
    /// The request is invalid; `errors` point at each mistake. Nothing was changed.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No or invalid API token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// No such resource in the caller's workspace.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The body is not JSON.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
}
