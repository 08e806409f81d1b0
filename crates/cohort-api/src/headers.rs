//! Security headers on every response, set here once and only when a handler did not set
//! its own:
//! - everywhere: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, and a
//!   `Content-Security-Policy` with `frame-ancestors 'none'` (no page of Cohort may be
//!   framed);
//! - the API (`/api/…`, `/openapi.json`, `/healthz`, `/readyz`): `Cache-Control: no-store`
//!   (users' personal data must not stay in caches) and `default-src 'none'`;
//! - the app: scripts, styles and connections from this origin only, plus
//!   `'wasm-unsafe-eval'` to compile its WebAssembly; no inline script or style (the page
//!   boots from `/boot.js`);
//! - the API docs (`/docs/`): the same, with inline styles and `data:` images, which
//!   Swagger UI needs.
//!
//! actix-web sends no `Server` header, so no version banner leaves the process.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The policy of API responses: they are data, never a document to render.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The admin app's policy. Images may come from any `https:` address: users' profile
/// pictures are where their channel keeps them (the app asks without a referrer).
pub const APP_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: https:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The API docs' policy (Swagger UI sets inline styles and draws `data:` icons).
pub const DOCS_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Whether `path` is answered by the API rather than a page.
pub(crate) fn is_api(path: &str) -> bool {
    path == "/api"
        || path.starts_with("/api/")
        || matches!(path, "/openapi.json" | "/healthz" | "/readyz")
}

/// The middleware: runs the request, then adds the headers the response lacks.
pub(crate) async fn security_headers(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = request.path().to_owned();
    let mut response = next.call(request).await?;
    let (policy, no_store) = if is_api(&path) {
        (API_POLICY, true)
    } else if path == "/docs" || path.starts_with("/docs/") {
        (DOCS_POLICY, false)
    } else {
        (APP_POLICY, false)
    };
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::CONTENT_SECURITY_POLICY, policy);
    if no_store {
        set(header::CACHE_CONTROL, "no-store");
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_are_told_from_pages() {
        for path in [
            "/api",
            "/api/v1/bots",
            "/openapi.json",
            "/healthz",
            "/readyz",
        ] {
            assert!(is_api(path), "{path}");
        }
        for path in ["/", "/users/5", "/apis", "/docs/", "/boot.js"] {
            assert!(!is_api(path), "{path}");
        }
    }
}
