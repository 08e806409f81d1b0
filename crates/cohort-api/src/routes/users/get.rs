//! `GET /api/v1/bots/{bot}/users/{user}`: one user.

use actix_web::{get, web};
use cohort_core::api::User;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::problems::ReadProblems;
use crate::state::AppState;

/// Read a user.
///
/// Reads one user with stats, tags and attributes.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id"), ("user" = String, Path, description = "User id")),
    responses((status = 200, description = "The user", body = User), ReadProblems)
)]
#[get("/bots/{bot}/users/{user:[0-9]+}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<web::Json<User>, ApiError> {
    let (bot_id, user_id) = path.into_inner();
    let bot = state.store.bot_scope(caller.workspace, &bot_id).await?;
    Ok(web::Json(state.store.get_user(bot, &user_id).await?))
}
