//! `POST /api/v1/auth/login`: an admin signs in and gets a new session cookie.

use actix_web::{HttpRequest, HttpResponse, post, web};
use cohort_core::api::{Me, Problem, SignIn};
use cohort_store::{normalise_email, verify_password};

use crate::auth::{refuse_cross_site, session_cookie, session_secret};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::state::AppState;

/// Sign an admin in.
///
/// Signs an admin in: checks the email and password, starts a new session and sets it as
/// the `cohort_session` cookie (HttpOnly, SameSite=Lax, Secure except over plain HTTP to
/// a loopback host). Failed sign-ins are limited: after 5 wrong passwords for one email,
/// or 20 from one client address, within a minute, attempts get 429 (their password is not
/// checked) until the oldest of those failures is a minute old. Successes are not counted.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body(content = SignIn, example = json!({"email": "demo@example.com", "password": "correct horse battery staple"})),
    responses(
        (status = 200, description = "Signed in; `Set-Cookie` holds the session", body = Me,
            headers(("Set-Cookie" = String, description = "`cohort_session=<secret>; HttpOnly; SameSite=Lax; Path=/; Secure`"))),
        (status = 400, description = "The body is not `{email, password}`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong email or password (the same answer for both)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A cross-site sign-in", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 8 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; wait `Retry-After` seconds", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = "default", description = "Anything else, e.g. 500 when something broke on our side", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: JsonBody<SignIn>,
) -> Result<HttpResponse, ApiError> {
    refuse_cross_site(&request)?;
    let SignIn { email, password } = body.0;
    let email = normalise_email(&email);
    let address = request.peer_addr().map(|peer| peer.ip());
    state
        .sign_in_limiter
        .check(&email, address)
        .map_err(|wait| ApiError::TooManyAttempts {
            retry_after_secs: wait.as_secs() + 1,
        })?;
    let credentials = state.store.admin_credentials(&email).await?;
    let hash = credentials
        .as_ref()
        .map(|found| found.password_hash.clone());
    let matches = web::block(move || verify_password(&password, hash.as_deref()))
        .await
        .map_err(|error| ApiError::Internal(Box::new(error)))?;
    let Some(admin) = credentials.filter(|_| matches) else {
        state.sign_in_limiter.failed(&email, address);
        return Err(ApiError::WrongCredentials);
    };
    // The session this browser had before, if any, ends: one sign-in, one session.
    if let Some(previous) = session_secret(&request) {
        state.store.delete_admin_session(&previous).await?;
    }
    let now = cohort_core::time::to_micros(chrono::Utc::now());
    let secret = state.store.create_admin_session(admin.id, now).await?;
    let session = state
        .store
        .admin_session(&secret, now)
        .await?
        .ok_or(ApiError::WrongCredentials)?;
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&request, Some(&secret)))
        .json(session.me))
}
