//! `HEAD` wherever `GET` is answered (RFC 9110 §9.3.2: the same answer without its
//! content). The request is routed as `GET`; actix-http writes only the head of the
//! answer to a request that arrived as `HEAD` (its `Content-Length` stays that of the
//! `GET`), so no handler needs to know. A path that takes no `GET` answers `HEAD` with the
//! same 404 or 405 as `GET`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

/// The middleware, innermost: everything outside it (logs, metrics, fair use) sees the
/// request's own method.
pub(crate) async fn head_as_get(
    mut request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if request.method() == Method::HEAD {
        request.head_mut().method = Method::GET;
    }
    next.call(request).await
}
