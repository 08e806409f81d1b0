//! `POST /api/v1/bots/{bot}/users/search`: the users list with its query in the body.

use actix_web::{post, web};
use chrono::Utc;
use cohort_core::api::{SearchUsers, UserPage};
use cohort_core::list::RawListQuery;
use cohort_core::time::to_micros;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::WriteProblems;
use crate::state::AppState;

/// Search users.
///
/// Lists the bot's users like `GET /users`, taking `{filter, sort, limit, cursor}` as JSON,
/// which suits long filters.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id")),
    request_body(content = SearchUsers, example = json!({
        "filter": {"all": [
            {"column": "first_name", "function": "contains", "value": "Yin Yin"},
            {"any": [
                {"column": "channel", "function": "is", "value": "telegram"},
                {"column": "tags", "function": "has", "value": "vip"}
            ]},
            {"column": "sessions", "function": "greater_than", "value": 3},
            {"column": "last_message_at", "function": "within_last", "value": {"amount": 7, "unit": "days"}}
        ]},
        "sort": "-last_message_at",
        "limit": 50
    })),
    responses((status = 200, description = "A page of users", body = UserPage), WriteProblems)
)]
#[post("/bots/{bot}/users/search")]
pub async fn search_users(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<SearchUsers>,
) -> Result<web::Json<UserPage>, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let body = body.0;
    let query = RawListQuery {
        base: "",
        filter: body.filter.map(Ok),
        sort: body.sort.as_deref(),
        limit: body.limit,
        cursor: body.cursor.as_deref(),
    }
    .check(to_micros(Utc::now()))?;
    Ok(web::Json(state.store.list_users(bot, &query).await?))
}
