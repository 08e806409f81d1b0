//! `GET /api/v1/bots`: the caller's bots.

use actix_web::{get, web};
use cohort_core::api::BotList;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::{NoParams, QueryParams};
use crate::routes::problems::CallerProblems;
use crate::state::AppState;

/// List bots.
///
/// Lists the workspace's bots, oldest first, all at once: the list takes no query
/// parameters (any is a 400).
#[utoipa::path(
    tag = "bots",
    responses((status = 200, description = "The bots", body = BotList), CallerProblems)
)]
#[get("/bots")]
pub async fn list_bots(
    state: web::Data<AppState>,
    caller: Caller,
    _no_params: QueryParams<NoParams>,
) -> Result<web::Json<BotList>, ApiError> {
    let data = state.store.list_bots(caller.workspace).await?;
    let total = data.len() as u64;
    Ok(web::Json(BotList {
        data,
        next_cursor: None,
        total,
    }))
}
