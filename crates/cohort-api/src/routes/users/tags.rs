//! `GET /api/v1/bots/{bot}/tags`: the tags in use.

use actix_web::{get, web};
use cohort_core::api::TagList;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::{NoParams, QueryParams};
use crate::routes::problems::ReadProblems;
use crate::state::AppState;

/// List tags in use.
///
/// The tags carried by the bot's users, with how many users carry each, most used first;
/// all of them at once, so the list takes no query parameters (any is a 400).
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id")),
    responses((status = 200, description = "The tags in use", body = TagList), ReadProblems)
)]
#[get("/bots/{bot}/tags")]
pub async fn list_tags(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    _no_params: QueryParams<NoParams>,
) -> Result<web::Json<TagList>, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let data = state.store.tags_in_use(bot).await?;
    let total = data.len() as u64;
    Ok(web::Json(TagList {
        data,
        next_cursor: None,
        total,
    }))
}
