//! `POST /api/v1/bots/{bot}/stats/refresh`: Refresh Stats, as a background job.

use actix_web::{HttpResponse, http::header, post, web};
use chrono::Utc;
use cohort_core::api::Accepted;
use cohort_core::time::to_micros;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ActionProblems;
use crate::state::AppState;
use crate::worker::REFRESH_STATS;

/// Refresh every user's stats.
///
/// Recomputes every user's stats (sessions, time spent, messages, clicks, sentiment, last
/// message) from the event log, with the bot's session timeout as it is when the job
/// runs. Answers at once with the queued job; poll `status_url` until it has `succeeded`.
#[utoipa::path(
    tag = "bots",
    params(("bot" = String, Path, description = "Bot id")),
    responses(
        (status = 202, description = "Queued; the `Location` header is the job's address", body = Accepted,
            headers(("Location" = String, description = "The job's address"))),
        ActionProblems
    )
)]
#[post("/bots/{bot}/stats/refresh")]
pub async fn refresh_stats(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let job = state
        .store
        .enqueue_job(
            bot,
            REFRESH_STATS,
            &serde_json::json!({}),
            to_micros(Utc::now()),
        )
        .await?;
    let status_url = format!("/api/v1/bots/{}/jobs/{}", bot.bot_id(), job.id);
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, status_url.clone()))
        .json(Accepted {
            id: job.id,
            status: job.status,
            status_url,
        }))
}
