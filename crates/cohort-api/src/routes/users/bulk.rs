//! `POST /api/v1/bots/{bot}/users/bulk`: one action on a selection of users.

use actix_web::{post, web};
use chrono::Utc;
use cohort_core::api::{BulkRequest, BulkResult, FieldError, Problem};
use cohort_core::bulk::{check_action, check_selection};
use cohort_core::time::to_micros;
use cohort_store::AuditRecord;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::WriteProblems;
use crate::state::AppState;

/// Act on many users at once.
///
/// Adds or removes tags, sets or removes attributes, or deletes, on every selected user:
/// `{"ids": [...]}` or every user a filter matches (`{"filter": …, "except_ids": [...]}`).
/// All or nothing, recorded in the audit log. Answers how many users the action changed
/// (`affected`: a user who already has the tag or value, or lacks the tag or key to
/// remove, is not changed) and how many the selection held (`selected`). A delete's
/// `confirm` must equal the number of users the selection holds, else 409 with that
/// number and nothing is deleted.
#[utoipa::path(
    tag = "users",
    params(("bot" = String, Path, description = "Bot id")),
    request_body(content = BulkRequest, examples(
        ("add_tags" = (summary = "Tag everyone a filter matches", value = json!({
            "selection": {"filter": {"column": "first_name", "function": "contains", "value": "Yin Yin"}},
            "action": {"type": "add_tags", "tags": ["vip"]}}))),
        ("remove_tags" = (summary = "Untag users by id", value = json!({
            "selection": {"ids": ["12", "15"]},
            "action": {"type": "remove_tags", "tags": ["vip"]}}))),
        ("set_attributes" = (summary = "Set an attribute on all matching but one", value = json!({
            "selection": {"filter": {"column": "channel", "function": "is", "value": "telegram"}, "except_ids": ["15"]},
            "action": {"type": "set_attributes", "attributes": {"fav_food": "pizza"}}}))),
        ("remove_attributes" = (summary = "Remove an attribute from everyone", value = json!({
            "selection": {"filter": {"all": []}},
            "action": {"type": "remove_attributes", "keys": ["fav_food"]}}))),
        ("delete" = (summary = "Delete two users, confirming the count", value = json!({
            "selection": {"ids": ["12", "15"]},
            "action": {"type": "delete", "confirm": 2}})))
    )),
    responses(
        (status = 200, description = "Done; how many users it changed and how many the selection held", body = BulkResult),
        (status = 409, description = "`confirm` differs from the selection's size; `count` says how many it holds", body = Problem, content_type = "application/problem+json"),
        WriteProblems
    )
)]
#[post("/bots/{bot}/users/bulk")]
pub async fn bulk_users(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<BulkRequest>,
) -> Result<web::Json<BulkResult>, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let request = body.0;
    let mut errors: Vec<FieldError> = Vec::new();
    let selection = check_selection(&request.selection, "/selection")
        .map_err(|e| errors.extend(e))
        .ok();
    let action = check_action(&request.action, "/action")
        .map_err(|e| errors.extend(e))
        .ok();
    let (Some(selection), Some(action)) = (selection, action) else {
        return Err(ApiError::from(errors));
    };
    let audit = AuditRecord {
        actor: caller.actor,
        details: serde_json::to_value(&request.action).unwrap_or_default(),
        selection: serde_json::to_value(&request.selection).unwrap_or_default(),
    };
    let result = state
        .store
        .bulk(bot, &selection, &action, &audit, to_micros(Utc::now()))
        .await?;
    Ok(web::Json(result))
}
