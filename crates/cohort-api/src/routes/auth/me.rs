//! `GET /api/v1/auth/me`: who is signed in.

use actix_web::{get, web};
use cohort_core::api::{Me, Problem};

use crate::auth::SignedIn;

/// Read the signed-in admin.
///
/// The signed-in admin and their workspace; 401 without a live session.
#[utoipa::path(
    tag = "auth",
    security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in admin", body = Me),
        (status = 401, description = "Not signed in, or the session ended", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "Anything else, e.g. 500 when something broke on our side", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/auth/me")]
pub async fn get_me(signed_in: SignedIn) -> web::Json<Me> {
    web::Json(signed_in.session.me)
}
