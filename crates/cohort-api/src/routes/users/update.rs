//! `PATCH /api/v1/bots/{bot}/users/{user}`: edit a user's particulars, tags, attributes.

use actix_web::{patch, web};
use chrono::Utc;
use cohort_core::api::{UpdateUser, User};
use cohort_core::time::to_micros;
use cohort_core::users::check_update_user;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::WriteProblems;
use crate::state::AppState;

/// Change a user.
///
/// Changes the given particulars (null clears), replaces the tags when `tags` is given,
/// and sets or (with null) removes the given attributes. All or nothing; a change that
/// changes nothing (the same values, tags that differ only in case) writes nothing and
/// leaves `updated_at` as it was.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id"), ("user" = String, Path, description = "User id")),
    request_body(content = UpdateUser, example = json!({"email": "yinyin@example.com", "tags": ["vip"], "attributes": {"fav_food": "pizza", "old_key": null}})),
    responses((status = 200, description = "The changed user", body = User), WriteProblems)
)]
#[patch("/bots/{bot}/users/{user:[0-9]+}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: JsonBody<UpdateUser>,
) -> Result<web::Json<User>, ApiError> {
    let (bot_id, user_id) = path.into_inner();
    let bot = state.store.bot_scope(caller.workspace, &bot_id).await?;
    let changes = check_update_user(&body.0)?;
    let now = to_micros(Utc::now());
    Ok(web::Json(
        state
            .store
            .update_user(bot, &user_id, &changes, now)
            .await?,
    ))
}
