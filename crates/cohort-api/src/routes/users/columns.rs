//! `GET /api/v1/bots/{bot}/columns`: what users can be filtered by.

use actix_web::{get, web};
use cohort_core::api::Columns;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ReadProblems;
use crate::state::AppState;

/// List filterable columns.
///
/// The profile filters and the attribute filters (every attribute key used in the bot),
/// each with its type and the functions it takes.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id")),
    responses((status = 200, description = "The filterable columns", body = Columns), ReadProblems)
)]
#[get("/bots/{bot}/columns")]
pub async fn list_columns(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<Columns>, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    Ok(web::Json(state.store.columns(bot).await?))
}
