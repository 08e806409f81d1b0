//! `HEAD` wherever `GET` is answered (RFC 9110 §9.3.2: the same answer without its
//! content). The request is routed as `GET`; actix-http writes only the head of the
//! answer to a request that arrived as `HEAD` (its `Content-Length` stays that of the
//! `GET`). A path that takes no `GET` answers `HEAD` with the same 404 or 405 as `GET`.
//! A handler whose `GET` does more than read (a download writes the audit log) finds
//! `Head` among the request's extensions and leaves that out.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

/// Marks a request that arrived as `HEAD` (in its extensions): nothing of the answer's
/// content will be sent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Head;

/// Whether `request` arrived as `HEAD` and is being answered as `GET`.
pub(crate) fn is_head(request: &actix_web::HttpRequest) -> bool {
    request.extensions().get::<Head>().is_some()
}

/// The middleware, innermost: everything outside it (logs, metrics, fair use) sees the
/// request's own method.
pub(crate) async fn head_as_get(
    mut request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if request.method() == Method::HEAD {
        request.head_mut().method = Method::GET;
        request.extensions_mut().insert(Head);
    }
    next.call(request).await
}
