//! `POST /api/v1/bots`: a new bot.

use actix_web::{HttpResponse, http::header, post, web};
use chrono::Utc;
use cohort_core::api::{Bot, CreateBot};
use cohort_core::bots::check_create_bot;
use cohort_core::time::to_micros;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::CreateProblems;
use crate::state::AppState;

/// Create a bot.
///
/// Creates a bot with a name and, optionally, a session timeout (600 s by default).
#[utoipa::path(
    tag = "bots",
    request_body(content = CreateBot, example = json!({"name": "Pizza Palace", "session_timeout_secs": 600})),
    responses((status = 201, description = "Created", body = Bot), CreateProblems)
)]
#[post("/bots")]
pub async fn create_bot(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<CreateBot>,
) -> Result<HttpResponse, ApiError> {
    let request = check_create_bot(&body.0)?;
    let now = to_micros(Utc::now());
    let bot = state
        .store
        .create_bot(caller.workspace, &request, now)
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/bots/{}", bot.id)))
        .json(bot))
}
