//! `GET /api/v1/bots/{bot}/users/{user}/messages`: what a user wrote, with sentiment.

use actix_web::{get, web};
use cohort_core::api::MessagePage;
use cohort_core::sort::MessageCursor;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::{QueryParams, page_cursor, page_limit};
use crate::routes::problems::ListProblems;
use crate::state::AppState;

/// Query parameters of the message history.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListMessagesParams {
    /// Page size, 1 to 500; 50 by default.
    #[param(value_type = Option<cohort_core::openapi::PageSize>)]
    limit: Option<u64>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    cursor: Option<String>,
}

/// List a user's messages.
///
/// The user's messages, newest first, each with its sentiment score and label, so an
/// admin can see what made a user upset.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id"), ("user" = String, Path, description = "User id"), ListMessagesParams),
    responses((status = 200, description = "A page of messages", body = MessagePage), ListProblems)
)]
#[get("/bots/{bot}/users/{user:[0-9]+}/messages")]
pub async fn list_messages(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    params: QueryParams<ListMessagesParams>,
) -> Result<web::Json<MessagePage>, ApiError> {
    let (bot_id, user_id) = path.into_inner();
    let bot = state.store.bot_scope(caller.workspace, &bot_id).await?;
    let limit = page_limit(params.limit)?;
    let cursor = page_cursor(params.cursor.as_deref(), MessageCursor::decode)?;
    Ok(web::Json(
        state
            .store
            .list_messages(bot, &user_id, limit, cursor)
            .await?,
    ))
}
