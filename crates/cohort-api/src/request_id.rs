//! Request ids: every request has one, so an admin's report ("it failed at 10:03"), a log
//! line and a problem body can be matched.
//!
//! The id is the request's `X-Request-Id` when it sends a usable one (1 to 128 visible
//! ASCII characters: a proxy's or a client's id is kept), else 32 random hex digits. It is
//! sent back as `X-Request-Id` on every response, names the `request` tracing span every
//! log line of the request is written in, and is the `request_id` of every problem body
//! (`ApiError` reads it from the task-local this middleware sets).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

/// The request and response header.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Longest id taken from a request.
const MAX_REQUEST_ID_CHARS: usize = 128;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being answered, when called while answering one.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The middleware: takes or makes the id, answers inside its span and task-local, and
/// puts it on the response.
pub(crate) async fn assign(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|value| usable(value))
        .map_or_else(new_id, str::to_owned);
    let span = tracing::info_span!("request", id = %id);
    let mut response = REQUEST_ID
        .scope(id.clone(), next.call(request).instrument(span))
        .await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    Ok(response)
}

/// Whether a client's id can be kept: 1 to 128 visible ASCII characters.
fn usable(id: &str) -> bool {
    (1..=MAX_REQUEST_ID_CHARS).contains(&id.len()) && id.bytes().all(|byte| byte.is_ascii_graphic())
}

/// A new id: 128 random bits as 32 hex digits.
fn new_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clients_id_is_kept_only_when_usable() {
        assert!(usable("req-7f3a"));
        assert!(usable(&"a".repeat(128)));
        assert!(!usable(&"a".repeat(129)));
        assert!(!usable(""));
        assert!(!usable("has space"));
        assert!(!usable("é"));
        assert_eq!(new_id().len(), 32);
        assert_ne!(new_id(), new_id());
    }
}
