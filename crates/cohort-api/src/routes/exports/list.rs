//! `GET /api/v1/bots/{bot}/exports`: the bot's exports, newest first.

use actix_web::{get, web};
use cohort_core::api::ExportPage;
use cohort_core::sort::IdCursor;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::{QueryParams, page_cursor, page_limit};
use crate::routes::problems::ListProblems;
use crate::state::AppState;

/// Query parameters of the export list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListExportsParams {
    /// Page size, 1 to 500; 50 by default.
    #[param(value_type = Option<cohort_core::openapi::PageSize>)]
    limit: Option<u64>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    cursor: Option<String>,
}

/// List exports.
///
/// Lists the bot's exports, newest first: queued, running and ended ones, until removed.
#[utoipa::path(
    tag = "exports",
    params(("bot" = String, Path, description = "Bot id"), ListExportsParams),
    responses((status = 200, description = "A page of exports", body = ExportPage), ListProblems)
)]
#[get("/bots/{bot}/exports")]
pub async fn list_exports(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    params: QueryParams<ListExportsParams>,
) -> Result<web::Json<ExportPage>, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let limit = page_limit(params.limit)?;
    let cursor = page_cursor(params.cursor.as_deref(), IdCursor::decode)?;
    Ok(web::Json(
        state.store.list_exports(bot, limit, cursor).await?,
    ))
}
