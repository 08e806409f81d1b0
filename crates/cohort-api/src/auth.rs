//! Who is calling: `Caller` is an integrator's API token (`Authorization: Bearer <token>`)
//! or a signed-in admin's session cookie (`cohort_session`); the token wins when both are
//! sent. Handlers that take a `Caller` are authenticated; everything they touch is scoped
//! to its workspace by the store.
//!
//! A cookie is sent by the browser whoever asks, so a session's unsafe requests (POST,
//! PUT, PATCH, DELETE) must also prove they come from the app itself: the header
//! `X-Cohort-CSRF: 1` (which a cross-site form cannot set and a cross-site script cannot
//! send without a preflight we never allow), an `Origin`, when sent, equal to this
//! server's own, and a `Sec-Fetch-Site`, when sent, of `same-origin` or `none`.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use cohort_store::{AdminSession, WorkspaceScope};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "cohort_session";
/// The header a session's unsafe requests carry, with the value `1`.
pub const CSRF_HEADER: &str = "x-cohort-csrf";

/// An authenticated caller.
pub struct Caller {
    /// The workspace of the caller's token or admin.
    pub workspace: WorkspaceScope,
    /// Who the caller is, for the audit log: `token:<id>` or `admin:<email>`.
    pub actor: String,
}

/// A signed-in admin, by session cookie only (for `/auth/me`).
pub struct SignedIn {
    /// The live session.
    pub session: AdminSession,
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let principal = principal(request);
        let csrf = check_csrf(request);
        Box::pin(async move {
            match principal.await? {
                Some(Principal::Token { workspace, actor }) => Ok(Caller { workspace, actor }),
                Some(Principal::Session { session, .. }) => {
                    csrf?;
                    Ok(Caller {
                        workspace: session.workspace,
                        actor: format!("admin:{}", session.me.email),
                    })
                }
                None => Err(ApiError::Unauthorized),
            }
        })
    }
}

/// Whose credentials a request carries, once they were checked: an API token, or an
/// admin's live session. The token wins when both are sent (a wrong token is then no
/// credential at all, whatever the cookie).
#[derive(Clone)]
pub(crate) enum Principal {
    /// A valid API token.
    Token {
        workspace: WorkspaceScope,
        /// `token:<id>`.
        actor: String,
    },
    /// A live admin session.
    Session {
        session: AdminSession,
        /// The session's id: the SHA-256 of the cookie's secret, as `admin_sessions.id`.
        id: String,
    },
}

impl Principal {
    /// The key the fair-use limit counts this caller's requests under: the token's id or
    /// the session's.
    pub(crate) fn fair_use_key(&self) -> String {
        match self {
            Self::Token { actor, .. } => actor.clone(),
            Self::Session { id, .. } => format!("session:{id}"),
        }
    }
}

/// A request's checked credentials, kept in its extensions so that they are looked up
/// once (by the fair-use middleware, before the handler's extractors run).
#[derive(Clone)]
struct Resolved(Option<Principal>);

/// The request's principal: the one already looked up for it, else looked up now (and
/// kept). `None` without valid credentials.
pub(crate) fn principal(
    request: &HttpRequest,
) -> Pin<Box<dyn Future<Output = Result<Option<Principal>, ApiError>>>> {
    if let Some(Resolved(known)) = request.extensions().get::<Resolved>().cloned() {
        return Box::pin(async move { Ok(known) });
    }
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let token = bearer_token(request);
    let secret = session_secret(request);
    let request = request.clone();
    Box::pin(async move {
        let Some(state) = state else {
            return Ok(None);
        };
        let found = if let Some(token) = token {
            state
                .store
                .authenticate(&token)
                .await?
                .map(|(workspace, actor)| Principal::Token { workspace, actor })
        } else if let Some(secret) = secret {
            let now = cohort_core::time::to_micros(chrono::Utc::now());
            state
                .store
                .admin_session(&secret, now)
                .await?
                .map(|session| Principal::Session {
                    session,
                    id: crate::idempotency::hex(&Sha256::digest(secret.as_bytes())),
                })
        } else {
            None
        };
        request.extensions_mut().insert(Resolved(found.clone()));
        Ok(found)
    })
}

impl FromRequest for SignedIn {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        // A request that also sends a token was resolved to the token: look the cookie up.
        let resolved = bearer_token(request).is_none().then(|| principal(request));
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let secret = session_secret(request);
        Box::pin(async move {
            if let Some(resolved) = resolved {
                return match resolved.await? {
                    Some(Principal::Session { session, .. }) => Ok(SignedIn { session }),
                    _ => Err(ApiError::Unauthorized),
                };
            }
            let (Some(state), Some(secret)) = (state, secret) else {
                return Err(ApiError::Unauthorized);
            };
            Ok(SignedIn {
                session: live_session(&state, &secret).await?,
            })
        })
    }
}

/// The session with this secret, now; 401 when there is none or it expired.
async fn live_session(state: &AppState, secret: &str) -> Result<AdminSession, ApiError> {
    let now = cohort_core::time::to_micros(chrono::Utc::now());
    state
        .store
        .admin_session(secret, now)
        .await?
        .ok_or(ApiError::Unauthorized)
}

fn bearer_token(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_owned())
        })
}

/// The session cookie's value, when the request has one.
pub fn session_secret(request: &HttpRequest) -> Option<String> {
    request
        .cookie(SESSION_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| !value.is_empty())
}

/// Whether a session's request may go on: safe methods always; unsafe ones only with the
/// CSRF header, a same-origin `Origin` and a same-origin `Sec-Fetch-Site` (when sent).
pub fn check_csrf(request: &HttpRequest) -> Result<(), ApiError> {
    if request.method().is_safe() {
        return Ok(());
    }
    let headers = request.headers();
    let has_header = headers
        .get(CSRF_HEADER)
        .is_some_and(|value| value.as_bytes() == b"1");
    let origin_matches = headers.get(header::ORIGIN).is_none_or(|origin| {
        let info = request.connection_info();
        let own = format!("{}://{}", info.scheme(), info.host());
        origin
            .to_str()
            .is_ok_and(|origin| origin.eq_ignore_ascii_case(&own))
    });
    let fetched_same_origin = headers
        .get("sec-fetch-site")
        .is_none_or(|site| site.as_bytes() == b"same-origin" || site.as_bytes() == b"none");
    if has_header && origin_matches && fetched_same_origin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "Missing or wrong CSRF protection: a signed-in app's POST, PUT, PATCH or DELETE must send `X-Cohort-CSRF: 1` from this server's own origin.".to_owned(),
        ))
    }
}

/// Refuses a request a browser marked as coming from another site (`Sec-Fetch-Site:
/// cross-site`), for sign-in, which carries no cookie to protect yet.
pub fn refuse_cross_site(request: &HttpRequest) -> Result<(), ApiError> {
    match request.headers().get("sec-fetch-site") {
        Some(site) if site.as_bytes() == b"cross-site" => Err(ApiError::Forbidden(
            "Missing or wrong CSRF protection: sign in from this server's own pages.".to_owned(),
        )),
        _ => Ok(()),
    }
}

/// The session cookie holding `secret` (`None` clears it): HttpOnly, SameSite=Lax, for
/// the whole site, and Secure unless the request came over plain HTTP to a loopback host
/// (local development and the browser tests).
pub fn session_cookie(request: &HttpRequest, secret: Option<&str>) -> Cookie<'static> {
    let mut cookie = Cookie::build(SESSION_COOKIE, secret.unwrap_or_default().to_owned())
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(!is_plain_loopback(request))
        .finish();
    if secret.is_none() {
        cookie.set_max_age(actix_web::cookie::time::Duration::ZERO);
    }
    cookie
}

fn is_plain_loopback(request: &HttpRequest) -> bool {
    let info = request.connection_info();
    if info.scheme() != "http" {
        return false;
    }
    let host = info.host();
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
