//! Request extractors whose failures are problem+json: `JsonBody` (a JSON object read
//! strictly, with the exact pointer of a mistake; unknown fields rejected by the DTOs) and the error handlers for
//! actix's own `Query`, `Path` and payload extractors.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError};
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest};
use cohort_core::limits::MAX_JSON_BODY_BYTES;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::strict_json;

/// A JSON request body of type `T`.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = request
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(|value| {
                value
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"));
        let body = Bytes::from_request(request, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType(
                    "Send the body as JSON with `Content-Type: application/json`.".to_owned(),
                ));
            }
            let bytes = body.await.map_err(payload_error)?;
            parse_json(&bytes).map(JsonBody)
        })
    }
}

/// Reads a request body: a JSON object (anything else is a 400), with no control
/// character no field may hold, no repeated key, and no array where a struct is expected
/// (see `strict_json`); every problem points at its value.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    strict_json::from_slice(bytes).map_err(|problems| ApiError::from(problems.errors))
}

pub(crate) fn payload_error(error: actix_web::Error) -> ApiError {
    match error.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => ApiError::PayloadTooLarge(format!(
            "The body is larger than {} bytes.",
            MAX_JSON_BODY_BYTES
        )),
        _ => ApiError::invalid("", "the request body could not be read"),
    }
}

/// actix's payload limit for every body.
pub fn payload_config() -> web::PayloadConfig {
    web::PayloadConfig::new(MAX_JSON_BODY_BYTES)
}

/// actix's `Json` extractor, should anything use it: errors become problems.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_JSON_BODY_BYTES)
        .error_handler(|error, _| {
            match error {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => {
                    ApiError::PayloadTooLarge("The body is too large.".to_owned())
                }
                other => ApiError::invalid("", other.to_string()),
            }
            .into()
        })
}

/// A query string read into `T` (whose `deny_unknown_fields` refuses unknown parameters);
/// each mistake is a 400 pointing at its parameter (`/query/limit`), in the same words as
/// a body's (`strict_json::plain`).
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(request.query_string()).map(QueryParams))
    }
}

impl<T> std::ops::Deref for QueryParams<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Reads a query string (see `QueryParams`).
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(pairs).map_err(|error| {
        let pointer = format!("/query{}", strict_json::pointer_of(error.path()));
        ApiError::from(vec![strict_json::plain(
            pointer,
            error.into_inner().to_string(),
        )])
    })
}

/// An endpoint that takes no query parameters: any is a 400, so `?limit=` on a list that
/// does not page says so instead of being ignored.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// actix's `Query` extractor, should anything use it: a malformed or unknown parameter is
/// a 400 problem.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _| {
        let message = match &error {
            QueryPayloadError::Deserialize(cause) => format!("invalid query string: {cause}"),
            other => other.to_string(),
        };
        ApiError::invalid("/query", message).into()
    })
}

/// actix's `Path` extractor: a path that does not parse names nothing.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error: PathError, _| {
        ApiError::NotFound(format!("No such resource ({error}).")).into()
    })
}

/// A page size from a query string: 1 to 500, 50 when absent.
pub fn page_limit(limit: Option<u64>) -> Result<u64, ApiError> {
    use cohort_core::limits::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
    let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        return Err(ApiError::invalid(
            "/query/limit",
            format!("limit is 1 to {MAX_PAGE_SIZE}"),
        ));
    }
    Ok(limit)
}

/// A cursor from a query string, read by `decode`; a bad one is a 400 at `/query/cursor`.
pub fn page_cursor<T>(
    cursor: Option<&str>,
    decode: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, ApiError> {
    cursor
        .map(decode)
        .transpose()
        .map_err(|message| ApiError::invalid("/query/cursor", message))
}
