//! `POST /api/v1/bots/{bot}/exports`: starts a CSV export of a selection of users.

use actix_web::{HttpResponse, http::header, post, web};
use chrono::{DateTime, Utc};
use cohort_core::api::{Accepted, CreateExport};
use cohort_core::bulk::check_selection;
use cohort_core::time::to_micros;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::WriteProblems;
use crate::state::AppState;

/// Start a CSV export.
///
/// Exports the selected users (ids, or a filter with `except_ids`, as for bulk actions) as
/// a CSV file, in the background. Answers at once with the queued export; poll
/// `status_url` until it has `succeeded`, then download its `download_url`. The file
/// holds exactly the users the selection holds when the export starts. Recorded in the
/// audit log.
#[utoipa::path(
    tag = "exports",
    params(("bot" = String, Path, description = "Bot id")),
    request_body(content = CreateExport, example = json!({"selection": {"filter": {"column": "tags", "function": "has", "value": "vip"}}})),
    responses(
        (status = 202, description = "Queued; the `Location` header is the export's address", body = Accepted,
            headers(("Location" = String, description = "The export's address"))),
        WriteProblems
    )
)]
#[post("/bots/{bot}/exports")]
pub async fn create_export(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<CreateExport>,
) -> Result<HttpResponse, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let request = body.0;
    check_selection(&request.selection, "/selection").map_err(ApiError::from)?;
    let bot_info = state.store.get_bot(caller.workspace, &path).await?;
    let now = Utc::now();
    let file_name = file_name(&bot_info.name, now);
    let selection = serde_json::to_value(&request.selection).unwrap_or_default();
    let export = state
        .store
        .create_export(bot, &selection, &caller.actor, &file_name, to_micros(now))
        .await?;
    let status_url = format!("/api/v1/bots/{}/exports/{}", bot.bot_id(), export.id);
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, status_url.clone()))
        .json(Accepted {
            id: export.id,
            status: export.status,
            status_url,
        }))
}

/// `<bot name slug>-users-<UTC time>.csv`, e.g. `pizza-palace-users-20261130T041500Z.csv`.
fn file_name(bot_name: &str, now: DateTime<Utc>) -> String {
    let mut slug = String::new();
    for c in bot_name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "bot" } else { slug };
    format!("{slug}-users-{}.csv", now.format("%Y%m%dT%H%M%SZ"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_a_slug_and_a_utc_time() {
        let at = DateTime::from_timestamp(1_796_012_100, 0).unwrap_or_default();
        assert_eq!(
            file_name("Pizza Palace!", at),
            "pizza-palace-users-20261130T041500Z.csv"
        );
        assert_eq!(file_name("  ☕ ", at), "bot-users-20261130T041500Z.csv");
        assert_eq!(
            file_name("Café «Bar»", at),
            "caf-bar-users-20261130T041500Z.csv"
        );
    }
}
