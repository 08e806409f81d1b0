//! `Idempotency-Key` on the requests that change things: a retry of the same request
//! within 24 hours is answered as the first one was (with `Idempotent-Replayed: true`)
//! instead of being applied again. The same key with another request is a 422; the same
//! key while its first request still runs is a 409. Keys are per credential (the bearer
//! token or the session) and live in the database (`Store::claim_idempotency_key`), so
//! instances sharing it share them.
//!
//! Which requests: POST, PATCH and DELETE under `/api/v1/bots`, except the two POSTs that
//! only read (`users/search`, `users/count`). Elsewhere the header is ignored. Only
//! successful (2xx) answers are kept: any other changed nothing, so its key is freed and
//! the request, corrected or simply sent again, runs (as Stripe does after a validation
//! error).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError, web};
use chrono::Utc;
use cohort_core::limits::MAX_IDEMPOTENCY_KEY_CHARS;
use cohort_core::time::to_micros;
use cohort_store::{IdempotencyClaim, StoredResponse};
use sha2::{Digest, Sha256};

use crate::auth::SESSION_COOKIE;
use crate::error::ApiError;
use crate::fallback::RouteTable;
use crate::state::AppState;

/// The request header.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// The header on a replayed answer.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// Whether a request to `path` with `method` takes an idempotency key.
pub fn takes_key(method: &Method, path: &str) -> bool {
    matches!(*method, Method::POST | Method::PATCH | Method::DELETE)
        && path.starts_with("/api/v1/bots")
        && !path.ends_with("/users/search")
        && !path.ends_with("/users/count")
}

/// The middleware.
pub(crate) async fn idempotent(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = request
        .headers()
        .get(IDEMPOTENCY_KEY_HEADER)
        .map(|value| value.to_str().map(str::to_owned));
    // Only where a route answers the method: elsewhere the answer is a 404 or 405 whatever
    // the key.
    let routed = request
        .app_data::<web::Data<RouteTable>>()
        .is_some_and(|routes| routes.has(request.method().as_str(), request.path()));
    let (Some(key), true) = (key, routed && takes_key(request.method(), request.path())) else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    let key = match key {
        Ok(key) if usable(&key) => key,
        _ => {
            let error = ApiError::invalid(
                "/header/Idempotency-Key",
                format!(
                    "an Idempotency-Key is 1 to {MAX_IDEMPOTENCY_KEY_CHARS} visible ASCII characters, such as a UUID"
                ),
            );
            return Ok(request.error_response(error).map_into_boxed_body());
        }
    };
    // Without a credential the request is refused anyway; nothing to keep.
    let Some(scope) = credential(&request) else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    let body = match request.extract::<web::Bytes>().await {
        Ok(body) => body,
        Err(error) => {
            let error = crate::extract::payload_error(error);
            return Ok(request.error_response(error).map_into_boxed_body());
        }
    };
    let fingerprint = fingerprint(&request, &body);
    request.set_payload(Payload::from(body));
    let store = &state.store;
    let now = to_micros(Utc::now());
    let claim = match store
        .claim_idempotency_key(&scope, &key, &fingerprint, now)
        .await
    {
        Ok(claim) => claim,
        Err(error) => {
            return Ok(request
                .error_response(ApiError::Internal(Box::new(error)))
                .map_into_boxed_body());
        }
    };
    match claim {
        IdempotencyClaim::Claimed => {}
        IdempotencyClaim::Replay(stored) => {
            let (http_request, _) = request.into_parts();
            return Ok(ServiceResponse::new(http_request, replay(&stored)));
        }
        IdempotencyClaim::InFlight => {
            return Ok(request
                .error_response(ApiError::IdempotencyKeyInFlight)
                .map_into_boxed_body());
        }
        IdempotencyClaim::OtherRequest => {
            return Ok(request
                .error_response(ApiError::IdempotencyKeyReused)
                .map_into_boxed_body());
        }
    }
    let response = match next.call(request).await {
        Ok(response) => response,
        Err(error) => {
            let _ = store.release_idempotency_key(&scope, &key).await;
            return Err(error);
        }
    };
    let (http_request, response) = response.into_parts();
    let status = response.status();
    let header_text = |name: HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header_text(header::CONTENT_TYPE);
    let location = header_text(header::LOCATION);
    let (head, body) = response.into_parts();
    let bytes = match actix_web::body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let _ = store.release_idempotency_key(&scope, &key).await;
            let error = ApiError::Internal("the answer could not be read".into());
            return Ok(ServiceResponse::new(http_request, error.error_response()));
        }
    };
    let kept = match String::from_utf8(bytes.to_vec()) {
        Ok(text) if status.is_success() => {
            let stored = StoredResponse {
                status: status.as_u16(),
                content_type,
                location,
                body: text,
            };
            store.complete_idempotency_key(&scope, &key, &stored).await
        }
        _ => store.release_idempotency_key(&scope, &key).await,
    };
    if let Err(error) = kept {
        tracing::error!(%error, "an idempotency key could not be completed");
    }
    Ok(ServiceResponse::new(
        http_request,
        head.set_body(bytes).map_into_boxed_body(),
    ))
}

/// Whether a key can be used: 1 to `MAX_IDEMPOTENCY_KEY_CHARS` visible ASCII characters.
fn usable(key: &str) -> bool {
    (1..=MAX_IDEMPOTENCY_KEY_CHARS).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The SHA-256 of the request's credential: its `Authorization` header, else its session
/// cookie.
fn credential(request: &ServiceRequest) -> Option<String> {
    let credential = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            request
                .cookie(SESSION_COOKIE)
                .map(|cookie| cookie.value().to_owned())
        })?;
    Some(hex(&Sha256::digest(credential.as_bytes())))
}

/// The SHA-256 of what makes two requests the same: method, path, query and body.
fn fingerprint(request: &ServiceRequest, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(request.method().as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(request.path().as_bytes());
    hasher.update(b"?");
    hasher.update(request.query_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hex(&hasher.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The first answer again, marked as a replay.
fn replay(stored: &StoredResponse) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((
        HeaderName::from_static(REPLAYED_HEADER),
        HeaderValue::from_static("true"),
    ));
    if let Some(content_type) = &stored.content_type {
        response.insert_header((header::CONTENT_TYPE, content_type.as_str()));
    }
    if let Some(location) = &stored.location {
        response.insert_header((header::LOCATION, location.as_str()));
    }
    if stored.body.is_empty() {
        response.finish()
    } else {
        response.body(stored.body.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_taken_only_by_changing_requests_under_bots() {
        assert!(takes_key(&Method::POST, "/api/v1/bots"));
        assert!(takes_key(&Method::POST, "/api/v1/bots/1/events"));
        assert!(takes_key(&Method::PATCH, "/api/v1/bots/1/users/2"));
        assert!(takes_key(&Method::DELETE, "/api/v1/bots/1"));
        assert!(!takes_key(&Method::GET, "/api/v1/bots"));
        assert!(!takes_key(&Method::POST, "/api/v1/bots/1/users/search"));
        assert!(!takes_key(&Method::POST, "/api/v1/bots/1/users/count"));
        assert!(!takes_key(&Method::POST, "/api/v1/auth/login"));
        assert!(!takes_key(&Method::POST, "/api/v1/sentiment"));
        assert!(usable("0b6f5a5e-8e1a-4c1e-9a43-2f1b2f7e9d10"));
        assert!(!usable(""));
        assert!(!usable("with space"));
        assert!(!usable(&"k".repeat(256)));
    }
}
