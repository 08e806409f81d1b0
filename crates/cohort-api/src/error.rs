//! The one error type of the API and its rendering as `application/problem+json`
//! (RFC 9457). Every failure, from a handler, an extractor or the router, ends here.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use cohort_core::api::{FieldError, Problem};
use cohort_store::StoreError;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed or invalid; `errors` point at the offending parts.
    #[error("{detail}")]
    Invalid {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// No valid credentials.
    #[error("missing or invalid credentials")]
    Unauthorized,
    /// A sign-in with a wrong email or password (the answer never says which).
    #[error("Wrong email or password.")]
    WrongCredentials,
    /// A session caller without the CSRF protection an unsafe request needs, or a
    /// cross-site sign-in.
    #[error("{0}")]
    Forbidden(String),
    /// Nothing at this address for this caller.
    #[error("{0}")]
    NotFound(String),
    /// The address exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed { allowed: Vec<String> },
    /// A delete's `confirm` is not the number of users the selection holds now.
    #[error(
        "The selection holds {actual} {} now, not {confirm}; nothing was deleted. Check the selection and confirm again.",
        users_word(*.actual)
    )]
    ConfirmMismatch { actual: u64, confirm: u64 },
    /// An export's file was asked for before the export succeeded; holds its status.
    #[error("The export is {0}; its file can be downloaded once it has succeeded.")]
    ExportNotReady(String),
    /// The thing existed but is gone for good (an expired export file).
    #[error("{0}")]
    Gone(String),
    /// A `Range` this file cannot serve.
    #[error("The range is not one byte range inside the file ({size} bytes).")]
    RangeNotSatisfiable { size: u64 },
    /// The body is larger than this endpoint takes.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Too many sign-in attempts for an email or from an address; the same text whatever
    /// the cause.
    #[error("Too many sign-in attempts. Wait a little, then try again.")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The caller's token or session sent more requests than its fair-use quota.
    #[error(
        "This API token or session sent more requests than its fair-use quota; retry after the seconds in `Retry-After`. `RateLimit` and `RateLimit-Policy` show the quota and what is left."
    )]
    RateLimited { retry_after_secs: u64 },
    /// A request with an `Idempotency-Key` that another request with it is still running.
    #[error("A request with this Idempotency-Key is still being answered; retry after it ends.")]
    IdempotencyKeyInFlight,
    /// An `Idempotency-Key` used before for a different request (method, path or body).
    #[error(
        "This Idempotency-Key was used for a different request in the last 24 hours; use a new key for a new request."
    )]
    IdempotencyKeyReused,
    /// The database is busy with other writes (SQLite's writer queue stayed taken for the
    /// whole wait, or a write lost races more often than it is rerun); nothing changed.
    #[error(
        "The database is busy with other changes; nothing was changed. Send the request again in a few seconds."
    )]
    Busy,
    /// Something broke on our side; the cause is logged, never shown.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// An invalid request with one problem at `pointer`.
    pub fn invalid(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Invalid {
            detail: message.clone(),
            errors: vec![FieldError::new(pointer, message)],
        }
    }

    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            Self::Invalid { .. } => ("validation", "Invalid request"),
            Self::Unauthorized => ("unauthorized", "Unauthorized"),
            Self::WrongCredentials => ("wrong-credentials", "Wrong email or password"),
            Self::Forbidden(_) => ("forbidden", "Forbidden"),
            Self::NotFound(_) => ("not-found", "Not found"),
            Self::MethodNotAllowed { .. } => ("method-not-allowed", "Method not allowed"),
            Self::ConfirmMismatch { .. } => ("confirm-mismatch", "Confirmation does not match"),
            Self::ExportNotReady(_) => ("export-not-ready", "Export not ready"),
            Self::Gone(_) => ("gone", "Gone"),
            Self::RangeNotSatisfiable { .. } => ("range-not-satisfiable", "Range not satisfiable"),
            Self::PayloadTooLarge(_) => ("payload-too-large", "Payload too large"),
            Self::UnsupportedMediaType(_) => ("unsupported-media-type", "Unsupported media type"),
            Self::TooManyAttempts { .. } => ("too-many-attempts", "Too many attempts"),
            Self::RateLimited { .. } => ("rate-limited", "Too many requests"),
            Self::IdempotencyKeyInFlight => ("idempotency-key-in-flight", "Request in flight"),
            Self::IdempotencyKeyReused => ("idempotency-key-reused", "Idempotency key reused"),
            Self::Busy => ("busy", "Service unavailable"),
            Self::Internal(_) => ("internal", "Internal server error"),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let (kind, title) = self.kind();
        let detail = match self {
            Self::Unauthorized => {
                "Sign in, or send `Authorization: Bearer <token>` with a valid API token."
                    .to_owned()
            }
            Self::MethodNotAllowed { allowed } => {
                format!("This address takes {}.", allowed.join(", "))
            }
            Self::Internal(_) => "Something went wrong on our side; it has been logged.".to_owned(),
            other => other.to_string(),
        };
        Problem {
            problem_type: format!("https://cohort.dev/problems/{kind}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail,
            errors: match self {
                Self::Invalid { errors, .. } => errors.clone(),
                _ => Vec::new(),
            },
            count: match self {
                Self::ConfirmMismatch { actual, .. } => Some(*actual),
                _ => None,
            },
            request_id: crate::request_id::current(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Invalid { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::WrongCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::ConfirmMismatch { .. } => StatusCode::CONFLICT,
            Self::ExportNotReady(_) => StatusCode::CONFLICT,
            Self::Gone(_) => StatusCode::GONE,
            Self::RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::IdempotencyKeyInFlight => StatusCode::CONFLICT,
            Self::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(error = %error_chain(cause.as_ref()), "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        match self {
            Self::Unauthorized => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            Self::MethodNotAllowed { allowed } => {
                if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
                    response.insert_header((header::ALLOW, value));
                }
            }
            Self::RangeNotSatisfiable { size } => {
                response.insert_header((header::CONTENT_RANGE, format!("bytes */{size}")));
            }
            Self::TooManyAttempts { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Busy => {
                response.insert_header((header::RETRY_AFTER, BUSY_RETRY_AFTER_SECS.to_string()));
            }
            Self::RateLimited { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

impl From<Vec<FieldError>> for ApiError {
    /// A validation failure, the one way every handler reports one: the detail is the
    /// first problem's message, with how many more `errors` holds.
    fn from(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [] => "The request is not valid.".to_owned(),
            [only] => only.message.clone(),
            [first, rest @ ..] => format!("{} (and {} more)", first.message, rest.len()),
        };
        Self::Invalid { detail, errors }
    }
}

/// "user" or "users", as `count` needs.
fn users_word(count: u64) -> &'static str {
    if count == 1 { "user" } else { "users" }
}

/// The `Retry-After` of a 503 busy answer, in seconds.
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        if error.is_busy() {
            return Self::Busy;
        }
        match error {
            StoreError::NotFound => {
                Self::NotFound("No such resource in this workspace.".to_owned())
            }
            StoreError::Invalid(errors) => Self::from(errors),
            StoreError::ConfirmMismatch { actual, confirm } => {
                Self::ConfirmMismatch { actual, confirm }
            }
            StoreError::Busy | StoreError::LostRace(_) => Self::Busy,
            StoreError::Database(cause) => Self::Internal(Box::new(cause)),
            error @ StoreError::Unreachable(_) => Self::Internal(Box::new(error)),
        }
    }
}

/// `error: cause: cause …`, for logs.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_store_is_a_503_with_retry_after_never_a_500() {
        let error = ApiError::from(StoreError::Busy);
        assert!(matches!(error, ApiError::Busy), "{error:?}");
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get(header::RETRY_AFTER),
            Some(&HeaderValue::from_static("2"))
        );
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE),
            Some(&HeaderValue::from_static("application/problem+json"))
        );
        let problem = error.problem();
        assert_eq!(problem.problem_type, "https://cohort.dev/problems/busy");
        assert_eq!(problem.status, 503);
    }
}
