//! `DELETE /api/v1/bots/{bot}/users/{user}`: one user and everything of theirs.

use actix_web::{HttpResponse, delete, web};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ActionProblems;
use crate::state::AppState;

/// Delete a user.
///
/// Deletes one user with their tags and attributes.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id"), ("user" = String, Path, description = "User id")),
    responses((status = 204, description = "Deleted"), ActionProblems)
)]
#[delete("/bots/{bot}/users/{user:[0-9]+}")]
pub async fn delete_user(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (bot_id, user_id) = path.into_inner();
    let bot = state.store.bot_scope(caller.workspace, &bot_id).await?;
    state.store.delete_user(bot, &user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
