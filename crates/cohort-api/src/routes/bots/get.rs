//! `GET /api/v1/bots/{bot}`: one bot.

use actix_web::{get, web};
use cohort_core::api::Bot;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ReadProblems;
use crate::state::AppState;

/// Read a bot.
///
/// Reads one bot with its settings.
#[utoipa::path(
    tag = "bots",
    params(("bot" = String, Path, description = "Bot id")),
    responses((status = 200, description = "The bot", body = Bot), ReadProblems)
)]
#[get("/bots/{bot}")]
pub async fn get_bot(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<Bot>, ApiError> {
    Ok(web::Json(
        state.store.get_bot(caller.workspace, &path).await?,
    ))
}
