//! `DELETE /api/v1/bots/{bot}/exports/{export}`: cancels an export, or removes one that ended.

use actix_web::{HttpResponse, delete, web};
use chrono::Utc;
use cohort_core::time::to_micros;
use cohort_store::ExportRemoval;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ActionProblems;
use crate::state::AppState;

/// Cancel or remove an export.
///
/// Cancels a queued or running export (it shows `cancelled`; the worker stops at its next
/// batch and deletes its unfinished file), or removes an export that ended, with its file
/// (it is then not found).
#[utoipa::path(
    tag = "exports",
    params(
        ("bot" = String, Path, description = "Bot id"),
        ("export" = String, Path, description = "Export id")
    ),
    responses((status = 204, description = "Cancelled or removed"), ActionProblems)
)]
#[delete("/bots/{bot}/exports/{export}")]
pub async fn delete_export(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (bot_id, export_id) = path.into_inner();
    let bot = state.store.bot_scope(caller.workspace, &bot_id).await?;
    let removal = state
        .store
        .remove_export(bot, &export_id, to_micros(Utc::now()))
        .await?;
    let key = match removal {
        ExportRemoval::Cancelled { key } | ExportRemoval::Removed { key } => key,
    };
    // A cancelled export may have been published a moment before; a removed one's file goes.
    if let Err(error) = state.exports.delete(&key).await {
        tracing::warn!(export = %export_id, error = %error, "deleting an export file failed");
    }
    Ok(HttpResponse::NoContent().finish())
}
