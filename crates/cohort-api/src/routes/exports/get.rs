//! `GET /api/v1/bots/{bot}/exports/{export}`: one export and its progress.

use actix_web::{get, web};
use cohort_core::api::Export;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ReadProblems;
use crate::state::AppState;

/// Read an export.
///
/// Reads an export of the bot: status, progress, rows and bytes written, who started it,
/// and once it succeeded its `download_url` and when the file expires.
#[utoipa::path(
    tag = "exports",
    params(
        ("bot" = String, Path, description = "Bot id"),
        ("export" = String, Path, description = "Export id")
    ),
    responses((status = 200, description = "The export", body = Export), ReadProblems)
)]
#[get("/bots/{bot}/exports/{export}")]
pub async fn get_export(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Export>, ApiError> {
    let (bot_id, export_id) = path.into_inner();
    let bot = state.store.bot_scope(caller.workspace, &bot_id).await?;
    Ok(web::Json(state.store.get_export(bot, &export_id).await?))
}
