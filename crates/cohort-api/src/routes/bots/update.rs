//! `PATCH /api/v1/bots/{bot}`: rename a bot or change its session timeout.

use actix_web::{patch, web};
use chrono::Utc;
use cohort_core::api::{Bot, UpdateBot};
use cohort_core::bots::check_update_bot;
use cohort_core::time::to_micros;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::WriteProblems;
use crate::state::AppState;

/// Change a bot.
///
/// Changes a bot's name or `session_timeout_secs`. Stats keep their old sessions until
/// they are refreshed.
#[utoipa::path(
    tag = "bots",
    params(("bot" = String, Path, description = "Bot id")),
    request_body(content = UpdateBot, example = json!({"session_timeout_secs": 900})),
    responses((status = 200, description = "The changed bot", body = Bot), WriteProblems)
)]
#[patch("/bots/{bot}")]
pub async fn update_bot(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<UpdateBot>,
) -> Result<web::Json<Bot>, ApiError> {
    let changes = check_update_bot(&body.0)?;
    let now = to_micros(Utc::now());
    Ok(web::Json(
        state
            .store
            .update_bot(caller.workspace, &path, &changes, now)
            .await?,
    ))
}
