//! `POST /api/v1/bots/{bot}/users/count`: how many users a selection holds.

use actix_web::{post, web};
use chrono::Utc;
use cohort_core::api::{CountRequest, CountResult};
use cohort_core::bulk::check_selection;
use cohort_core::time::to_micros;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::WriteProblems;
use crate::state::AppState;

/// Count a selection.
///
/// Counts the users a selection holds now, e.g. to ask "Delete 12,345 users?" before a
/// bulk delete.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id")),
    request_body(content = CountRequest, example = json!({"selection": {"filter": {"column": "first_name", "function": "contains", "value": "Yin Yin"}}})),
    responses((status = 200, description = "The count", body = CountResult), WriteProblems)
)]
#[post("/bots/{bot}/users/count")]
pub async fn count_users(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<CountRequest>,
) -> Result<web::Json<CountResult>, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let selection = check_selection(&body.0.selection, "/selection").map_err(ApiError::from)?;
    let count = state
        .store
        .count_selection(bot, &selection, to_micros(Utc::now()))
        .await?;
    Ok(web::Json(CountResult { count }))
}
