//! `GET /healthz` (the process is up) and `GET /readyz` (the database answers).

use actix_web::{get, web};
use cohort_core::api::{Health, Problem};

use crate::error::ApiError;
use crate::state::AppState;

/// Check that the process is up.
///
/// Liveness: answers 200 while the process runs. Needs no credentials.
#[utoipa::path(tag = "health", security(()), responses(
    (status = 200, description = "Up", body = Health),
    (status = 400, description = "A query parameter holds a control character", body = Problem, content_type = "application/problem+json"),
))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health {
        status: "ok".to_owned(),
    })
}

/// Check that the database answers.
///
/// Readiness: answers 200 when the database answers, else a problem. Needs no credentials.
#[utoipa::path(
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 400, description = "A query parameter holds a control character", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "The database does not answer", body = Problem, content_type = "application/problem+json"),
        (status = "default", description = "Anything else", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    state.store.ping().await?;
    Ok(web::Json(Health {
        status: "ok".to_owned(),
    }))
}
