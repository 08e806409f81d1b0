//! `DELETE /api/v1/bots/{bot}`: a bot and everything of it.

use actix_web::{HttpResponse, delete, web};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ActionProblems;
use crate::state::AppState;

/// Delete a bot.
///
/// Deletes a bot with all its users, tags and attributes.
#[utoipa::path(
    tag = "bots",
    params(("bot" = String, Path, description = "Bot id")),
    responses((status = 204, description = "Deleted"), ActionProblems)
)]
#[delete("/bots/{bot}")]
pub async fn delete_bot(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.store.delete_bot(caller.workspace, &path).await?;
    Ok(HttpResponse::NoContent().finish())
}
