//! `GET /api/v1/bots/{bot}/jobs/{job}`: one background job and its progress.

use actix_web::{get, web};
use cohort_core::api::Job;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ReadProblems;
use crate::state::AppState;

/// Read a background job.
///
/// Reads a background job of the bot: its status, progress from 0 to 1, and why it failed.
#[utoipa::path(
    tag = "bots",
    params(
        ("bot" = String, Path, description = "Bot id"),
        ("job" = String, Path, description = "Job id")
    ),
    responses((status = 200, description = "The job", body = Job), ReadProblems)
)]
#[get("/bots/{bot}/jobs/{job}")]
pub async fn get_job(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Job>, ApiError> {
    let (bot_id, job_id) = path.into_inner();
    let bot = state.store.bot_scope(caller.workspace, &bot_id).await?;
    Ok(web::Json(state.store.get_job(bot, &job_id).await?))
}
