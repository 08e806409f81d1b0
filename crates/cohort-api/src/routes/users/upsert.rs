//! `POST /api/v1/bots/{bot}/users`: create or update a user by `(channel, external_id)`.

use actix_web::{HttpResponse, http::header, post, web};
use chrono::Utc;
use cohort_core::api::{UpsertUser, User};
use cohort_core::time::to_micros;
use cohort_core::users::check_upsert_user;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::WriteProblems;
use crate::state::AppState;

/// Create or update a user.
///
/// Creates the user with this `(channel, external_id)`, or updates the one there is.
/// Given particulars are set (null clears), `tags` replaces the tag set, `attributes`
/// sets keys (null removes). Safe to retry.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id")),
    request_body(content = UpsertUser, example = json!({"channel": "telegram", "external_id": "184467", "first_name": "Yin Yin", "last_name": "Tan", "tags": ["vip", "pizza lover"], "attributes": {"fav_food": "pizza"}})),
    responses(
        (status = 201, description = "Created", body = User),
        (status = 200, description = "Updated", body = User),
        WriteProblems
    )
)]
#[post("/bots/{bot}/users")]
pub async fn upsert_user(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<UpsertUser>,
) -> Result<HttpResponse, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let request = check_upsert_user(&body.0)?;
    let now = to_micros(Utc::now());
    let (user, created) = state.store.upsert_user(bot, &request, now).await?;
    Ok(if created {
        HttpResponse::Created()
            .insert_header((
                header::LOCATION,
                format!("/api/v1/bots/{}/users/{}", user.bot_id, user.id),
            ))
            .json(user)
    } else {
        HttpResponse::Ok().json(user)
    })
}
