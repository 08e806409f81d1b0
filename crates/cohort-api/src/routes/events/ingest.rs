//! `POST /api/v1/bots/{bot}/events`: messages and clicks from bot channels.

use actix_web::{post, web};
use chrono::Utc;
use cohort_core::api::{IngestEvents, IngestResult};
use cohort_core::events::{check_event_times, check_events};
use cohort_core::time::to_micros;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::WriteProblems;
use crate::state::AppState;

/// Ingest channel events.
///
/// Stores 1 to 1,000 events (messages and URL-button clicks) in any order. An unknown
/// `(channel, external_user_id)` creates the user; names, when given, update them. An
/// event id seen before is ignored and counted in `duplicates`. Stats are updated in the
/// same transaction. A batch with any invalid event is refused whole, naming the event;
/// an event stamped more than a day after the server's clock is invalid (a wrong clock
/// would make it its user's last message for good).
#[utoipa::path(
    tag = "events",
    params(("bot" = String, Path, description = "Bot id")),
    request_body(content = IngestEvents, example = json!({"events": [
        {"id": "evt-1", "type": "message", "channel": "telegram", "external_user_id": "42",
         "first_name": "Yin Yin", "last_name": "Tan", "text": "so slow!", "at": "2026-11-01T10:00:00Z"},
        {"id": "evt-2", "type": "click", "channel": "telegram", "external_user_id": "42",
         "url": "https://example.com/menu", "at": "2026-11-01T10:03:00Z"}
    ]})),
    responses((status = 200, description = "Stored", body = IngestResult), WriteProblems)
)]
#[post("/bots/{bot}/events")]
pub async fn ingest_events(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<IngestEvents>,
) -> Result<web::Json<IngestResult>, ApiError> {
    let bot = state.store.bot_scope(caller.workspace, &path).await?;
    let events = check_events(&body.0).map_err(ApiError::from)?;
    let now = to_micros(Utc::now());
    check_event_times(&events, now).map_err(ApiError::from)?;
    let (accepted, duplicates) = state.store.ingest(bot, &events, now).await?;
    Ok(web::Json(IngestResult {
        accepted,
        duplicates,
    }))
}
