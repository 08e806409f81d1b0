//! `GET /api/v1/bots/{bot}/audit`: the bot's audit log, newest first.

use actix_web::{get, web};
use cohort_core::api::AuditPage;
use cohort_core::sort::IdCursor;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::{QueryParams, page_cursor, page_limit};
use crate::routes::problems::ListProblems;
use crate::state::AppState;

/// Query parameters of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListAuditParams {
    /// Page size, 1 to 500; 50 by default.
    #[param(value_type = Option<cohort_core::openapi::PageSize>)]
    limit: Option<u64>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    cursor: Option<String>,
}

/// List the audit log.
///
/// Lists bulk actions on the bot's users and exports of them, newest first: who, when,
/// what, on which selection, how many.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id"), ListAuditParams),
    responses((status = 200, description = "A page of the audit log", body = AuditPage), ListProblems)
)]
#[get("/bots/{bot}/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    params: QueryParams<ListAuditParams>,
) -> Result<web::Json<AuditPage>, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let limit = page_limit(params.limit)?;
    let cursor = page_cursor(params.cursor.as_deref(), IdCursor::decode)?;
    Ok(web::Json(state.store.list_audit(bot, limit, cursor).await?))
}
