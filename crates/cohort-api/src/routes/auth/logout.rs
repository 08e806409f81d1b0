//! `POST /api/v1/auth/logout`: ends the caller's session and clears its cookie.

use actix_web::{HttpRequest, HttpResponse, post, web};
use cohort_core::api::Problem;

use crate::auth::{check_csrf, session_cookie, session_secret};
use crate::error::ApiError;
use crate::state::AppState;

/// Sign out.
///
/// Signs out: deletes the session and clears the cookie. Answers 204 with or without a
/// session; with a session cookie it needs `X-Cohort-CSRF: 1` like every unsafe request.
#[utoipa::path(
    tag = "auth",
    security((), ("session" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared",
            headers(("Set-Cookie" = String, description = "`cohort_session=; Max-Age=0`"))),
        (status = 403, description = "A session cookie without the CSRF header or from another origin", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "Anything else, e.g. 500 when something broke on our side", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    if let Some(secret) = session_secret(&request) {
        check_csrf(&request)?;
        state.store.delete_admin_session(&secret).await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(session_cookie(&request, None))
        .finish())
}
