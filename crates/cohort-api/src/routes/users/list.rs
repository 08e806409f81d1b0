//! `GET /api/v1/bots/{bot}/users`: a page of users, filtered and sorted.

use actix_web::{get, web};
use chrono::Utc;
use cohort_core::api::UserPage;
use cohort_core::list::RawListQuery;
use cohort_core::time::to_micros;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::QueryParams;
use crate::routes::problems::ListProblems;
use crate::state::AppState;

/// Query parameters of the users list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsersParams {
    /// The filter as JSON (URL-encoded), e.g. `{"column":"first_name","function":"contains","value":"Yin Yin"}`.
    #[param(min_length = 1)]
    filter: Option<String>,
    /// Column key to sort by, `-` in front for descending; `-last_message_at` by default.
    #[param(value_type = Option<cohort_core::openapi::SortSpec>)]
    sort: Option<String>,
    /// Page size, 1 to 500; 50 by default.
    #[param(value_type = Option<cohort_core::openapi::PageSize>)]
    limit: Option<u64>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    cursor: Option<String>,
}

/// List users.
///
/// Lists the bot's users that match a filter, one page at a time, with the exact total.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id"), ListUsersParams),
    responses((status = 200, description = "A page of users", body = UserPage), ListProblems)
)]
#[get("/bots/{bot}/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    params: QueryParams<ListUsersParams>,
) -> Result<web::Json<UserPage>, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let query = RawListQuery {
        base: "/query",
        filter: params.filter.as_deref().map(|text| {
            serde_json::from_str(text)
                .map_err(|error| format!("the filter is not valid JSON: {error}"))
        }),
        sort: params.sort.as_deref(),
        limit: params.limit,
        cursor: params.cursor.as_deref(),
    }
    .check(to_micros(Utc::now()))?;
    Ok(web::Json(state.store.list_users(bot, &query).await?))
}
