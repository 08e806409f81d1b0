//! `GET /api/v1/bots`: the caller's bots.

use actix_web::{get, web};
use cohort_core::api::BotList;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::CallerProblems;
use crate::state::AppState;

/// List bots.
///
/// Lists the workspace's bots, oldest first.
#[utoipa::path(
    tag = "bots",
    responses((status = 200, description = "The bots", body = BotList), CallerProblems)
)]
#[get("/bots")]
pub async fn list_bots(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<BotList>, ApiError> {
    let data = state.store.list_bots(caller.workspace).await?;
    let total = data.len() as u64;
    Ok(web::Json(BotList {
        data,
        next_cursor: None,
        total,
    }))
}
