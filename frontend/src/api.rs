//! Every HTTP call the SPA makes to Cohort's REST API, and the one place that turns a
//! response into data or an `ApiError`. The only user of gloo-net.
//!
//! The SPA is signed in by the server's session cookie (`HttpOnly`, sent by the browser on
//! its own); unsafe methods carry the `X-Cohort-CSRF` header the server requires beside it.

use cohort_core::api::{
    Accepted, AuditPage, Bot, BotList, BulkAction, BulkRequest, BulkResult, Columns, CountRequest,
    CountResult, CreateBot, Job, MessagePage, Problem, SearchUsers, Selection,
    SentimentContribution, SentimentRequest, TagList, UpdateBot, UpdateUser, User, UserPage,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::users_query::percent_encode;

/// Where the API lives, relative to the page (the server serves both).
const API_BASE: &str = "/api/v1";

/// The header that proves a state-changing request comes from the app itself.
const CSRF_HEADER: &str = "X-Cohort-CSRF";

/// Messages per page of a user's history.
const MESSAGES_PER_PAGE: u32 = 30;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No session, or it ended (401): sign in again.
    Unauthorized(String),
    /// The API answered with a problem (4xx or 5xx).
    Problem(Problem),
    /// The API could not be reached, or answered with something unreadable.
    Network(String),
}

impl ApiError {
    /// What to tell the admin.
    pub fn message(&self) -> String {
        match self {
            Self::Unauthorized(message) | Self::Network(message) => message.clone(),
            Self::Problem(problem) if problem.detail.is_empty() => problem.title.clone(),
            Self::Problem(problem) => crate::display::plain_words(&problem.detail),
        }
    }
}

/// The signed-in admin, from `GET /auth/me` and `POST /auth/login`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Admin {
    /// The admin's email.
    pub email: String,
    /// The workspace the admin belongs to.
    pub workspace: WorkspaceName,
}

/// A workspace's id and name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WorkspaceName {
    pub id: String,
    pub name: String,
}

#[derive(Serialize)]
struct Credentials<'a> {
    email: &'a str,
    password: &'a str,
}

/// Who is signed in; `Unauthorized` when nobody is.
pub async fn me() -> Result<Admin, ApiError> {
    send(Request::get(&format!("{API_BASE}/auth/me"))).await
}

/// Signs in; the server sets the session cookie.
pub async fn sign_in(email: &str, password: &str) -> Result<Admin, ApiError> {
    let request = Request::post(&format!("{API_BASE}/auth/login"))
        .json(&Credentials { email, password })
        .map_err(encode_error)?;
    let response = request.send().await.map_err(unreachable)?;
    if response.status() == 401 {
        // Here a 401 means the password or email was wrong: the API's words say so.
        let detail = response
            .json::<Problem>()
            .await
            .map(|problem| problem.detail);
        return Err(ApiError::Unauthorized(
            detail.unwrap_or_else(|_| "Wrong email or password.".to_owned()),
        ));
    }
    read(Ok(response)).await
}

/// Signs out: the server forgets the session and clears the cookie.
pub async fn sign_out() -> Result<(), ApiError> {
    let response = unsafe_method(Request::post(&format!("{API_BASE}/auth/logout")))
        .send()
        .await;
    empty(response).await
}

/// The bots of the admin's workspace.
pub async fn list_bots() -> Result<BotList, ApiError> {
    send(Request::get(&format!("{API_BASE}/bots"))).await
}

/// The columns a bot's users can be filtered by.
pub async fn list_columns(bot_id: &str) -> Result<Columns, ApiError> {
    send(Request::get(&bot_url(bot_id, "/columns"))).await
}

/// The tags in use in a bot, most used first.
pub async fn list_tags(bot_id: &str) -> Result<TagList, ApiError> {
    send(Request::get(&bot_url(bot_id, "/tags"))).await
}

/// One page of a bot's users.
pub async fn search_users(bot_id: &str, search: &SearchUsers) -> Result<UserPage, ApiError> {
    post(&bot_url(bot_id, "/users/search"), search).await
}

/// One user.
pub async fn get_user(bot_id: &str, user_id: &str) -> Result<User, ApiError> {
    let path = format!("/users/{}", percent_encode(user_id));
    send(Request::get(&bot_url(bot_id, &path))).await
}

/// A page of one user's messages, newest first.
pub async fn list_messages(
    bot_id: &str,
    user_id: &str,
    cursor: Option<&str>,
) -> Result<MessagePage, ApiError> {
    let mut path = format!(
        "/users/{}/messages?limit={MESSAGES_PER_PAGE}",
        percent_encode(user_id)
    );
    if let Some(cursor) = cursor {
        path.push_str("&cursor=");
        path.push_str(&percent_encode(cursor));
    }
    send(Request::get(&bot_url(bot_id, &path))).await
}

/// How many users `selection` holds now.
pub async fn count_selection(bot_id: &str, selection: Selection) -> Result<u64, ApiError> {
    let body = CountRequest { selection };
    let result: CountResult = post(&bot_url(bot_id, "/users/count"), &body).await?;
    Ok(result.count)
}

/// What moved the sentiment score of `text` most, largest effect first.
pub async fn explain_sentiment(text: &str) -> Result<Vec<SentimentContribution>, ApiError> {
    let body = SentimentRequest {
        texts: vec![text.to_owned()],
        explain: true,
    };
    let answer: Explained = post(&format!("{API_BASE}/sentiment"), &body).await?;
    Ok(answer
        .scores
        .into_iter()
        .next()
        .map(|score| score.explanation)
        .unwrap_or_default())
}

/// The part of `SentimentResult` the app reads: each text's explanation (the score and
/// label are already on the message). Reading less keeps the app small.
#[derive(Deserialize)]
struct Explained {
    scores: Vec<ExplainedScore>,
}

#[derive(Deserialize)]
struct ExplainedScore {
    #[serde(default)]
    explanation: Vec<SentimentContribution>,
}

/// Applies `action` to every user of `selection`, all or nothing.
pub async fn bulk(
    bot_id: &str,
    selection: Selection,
    action: BulkAction,
) -> Result<BulkResult, ApiError> {
    let body = BulkRequest { selection, action };
    post(&bot_url(bot_id, "/users/bulk"), &body).await
}

/// Starts rebuilding every user's stats from the event log.
pub async fn refresh_stats(bot_id: &str) -> Result<Accepted, ApiError> {
    send(unsafe_method(Request::post(&bot_url(
        bot_id,
        "/stats/refresh",
    ))))
    .await
}

/// A background job's progress.
pub async fn get_job(bot_id: &str, job_id: &str) -> Result<Job, ApiError> {
    send(Request::get(&bot_url(
        bot_id,
        &format!("/jobs/{}", percent_encode(job_id)),
    )))
    .await
}

/// Changes one user's particulars, tags or attributes.
pub async fn update_user(
    bot_id: &str,
    user_id: &str,
    changes: &UpdateUser,
) -> Result<User, ApiError> {
    let url = bot_url(bot_id, &format!("/users/{}", percent_encode(user_id)));
    let request = unsafe_method(Request::patch(&url))
        .json(changes)
        .map_err(encode_error)?;
    parse(&exchange(request).await?)
}

/// Deletes one user with their history.
pub async fn delete_user(bot_id: &str, user_id: &str) -> Result<(), ApiError> {
    let url = bot_url(bot_id, &format!("/users/{}", percent_encode(user_id)));
    empty(unsafe_method(Request::delete(&url)).send().await).await
}

/// Creates a bot.
pub async fn create_bot(bot: &CreateBot) -> Result<Bot, ApiError> {
    post(&format!("{API_BASE}/bots"), bot).await
}

/// Renames a bot or changes its session timeout.
pub async fn update_bot(bot_id: &str, changes: &UpdateBot) -> Result<Bot, ApiError> {
    let request = unsafe_method(Request::patch(&bot_url(bot_id, "")))
        .json(changes)
        .map_err(encode_error)?;
    parse(&exchange(request).await?)
}

/// An export of users to CSV, from `GET /exports/{id}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Export {
    pub id: String,
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    #[serde(default)]
    pub progress: f64,
    #[serde(default)]
    pub rows: u64,
    #[serde(default)]
    pub bytes: u64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(default)]
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub download_url: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
}

/// A page of past exports, newest first.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ExportPage {
    pub data: Vec<Export>,
    pub next_cursor: Option<String>,
    pub total: u64,
}

#[derive(Serialize)]
struct ExportRequest {
    selection: Selection,
}

/// Starts exporting `selection` to a CSV file.
pub async fn start_export(bot_id: &str, selection: Selection) -> Result<Accepted, ApiError> {
    post(&bot_url(bot_id, "/exports"), &ExportRequest { selection }).await
}

/// One export's progress or result.
pub async fn get_export(bot_id: &str, export_id: &str) -> Result<Export, ApiError> {
    send(Request::get(&bot_url(
        bot_id,
        &format!("/exports/{}", percent_encode(export_id)),
    )))
    .await
}

/// The bot's past exports, newest first.
pub async fn list_exports(bot_id: &str) -> Result<ExportPage, ApiError> {
    send(Request::get(&bot_url(bot_id, "/exports?limit=50"))).await
}

/// How many audit entries the Settings page reads at a time.
pub const AUDIT_PER_PAGE: u32 = 20;

/// A page of the bot's audit log, newest first (`cursor` from the page before).
pub async fn list_audit(bot_id: &str, cursor: Option<&str>) -> Result<AuditPage, ApiError> {
    let mut path = format!("/audit?limit={AUDIT_PER_PAGE}");
    if let Some(cursor) = cursor {
        path.push_str("&cursor=");
        path.push_str(&percent_encode(cursor));
    }
    send(Request::get(&bot_url(bot_id, &path))).await
}

/// Cancels a running export, or removes a finished one and its file.
pub async fn delete_export(bot_id: &str, export_id: &str) -> Result<(), ApiError> {
    let url = bot_url(bot_id, &format!("/exports/{}", percent_encode(export_id)));
    empty(unsafe_method(Request::delete(&url)).send().await).await
}

/// POSTs `body` as JSON and reads the answer.
async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiError> {
    let request = unsafe_method(Request::post(url))
        .json(body)
        .map_err(encode_error)?;
    parse(&exchange(request).await?)
}

/// `/api/v1/bots/{bot}` followed by `rest`.
fn bot_url(bot_id: &str, rest: &str) -> String {
    format!("{API_BASE}/bots/{}{rest}", percent_encode(bot_id))
}

/// Marks a state-changing request as the app's own.
fn unsafe_method(builder: RequestBuilder) -> RequestBuilder {
    builder.header(CSRF_HEADER, "1")
}

fn encode_error(error: gloo_net::Error) -> ApiError {
    ApiError::Network(format!("Could not encode the request: {error}"))
}

/// Sends a request without a body.
async fn send<T: DeserializeOwned>(builder: RequestBuilder) -> Result<T, ApiError> {
    let request = builder.build().map_err(unreachable)?;
    parse(&exchange(request).await?)
}

/// Sends `request` and waits for the body of a successful answer.
async fn exchange(request: Request) -> Result<String, ApiError> {
    success_text(request.send().await).await
}

/// Turns a response without a body into `()` or an `ApiError`.
async fn empty(response: Result<Response, gloo_net::Error>) -> Result<(), ApiError> {
    let response = response.map_err(unreachable)?;
    if response.ok() {
        Ok(())
    } else {
        Err(failure(response).await)
    }
}

/// Turns a response into the expected body or an `ApiError`.
///
/// Only the parsing is generic: the waiting is one future for every body type, so each
/// new call costs the app little code.
async fn read<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    parse(&success_text(response).await?)
}

/// A successful answer's body as `T`.
fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|error| {
        ApiError::Network(format!(
            "The Cohort API sent an unexpected answer ({error})."
        ))
    })
}

/// The body of a successful response, or the `ApiError` of any other.
async fn success_text(response: Result<Response, gloo_net::Error>) -> Result<String, ApiError> {
    let response = response.map_err(unreachable)?;
    if !response.ok() {
        return Err(failure(response).await);
    }
    response.text().await.map_err(|error| {
        ApiError::Network(format!(
            "The Cohort API sent an unexpected answer ({error})."
        ))
    })
}

fn unreachable(error: gloo_net::Error) -> ApiError {
    ApiError::Network(format!("Could not reach the Cohort API ({error})."))
}

/// The `ApiError` of a response that is not a success.
async fn failure(response: Response) -> ApiError {
    let status = response.status();
    let problem = response.json::<Problem>().await.ok();
    if status == 401 {
        // The API's own words are for integrators (they mention tokens); an admin's
        // session simply ended, and whatever they just asked for was not done.
        return ApiError::Unauthorized(
            "Your session has ended (signed out here or in another tab, or it expired). \
             Sign in again; what you last asked for was not done."
                .to_owned(),
        );
    }
    // The API's words for a quota or a busy database speak of tokens and headers; an
    // admin needs to know that nothing happened and when to try again.
    let wait = response
        .headers()
        .get("retry-after")
        .and_then(|seconds| seconds.trim().parse::<u64>().ok())
        .map_or_else(
            || "in a few seconds".to_owned(),
            |seconds| match seconds {
                0 | 1 => "in a second".to_owned(),
                seconds => format!("in {seconds} seconds"),
            },
        );
    let admin_detail = match status {
        429 => Some(format!(
            "That was more requests than this session may send in a minute, so nothing was \
             done. Try again {wait}."
        )),
        503 => Some(format!(
            "Cohort is busy with other changes, so nothing was done. Try again {wait}."
        )),
        _ => None,
    };
    match problem {
        Some(mut problem) => {
            if let Some(detail) = admin_detail {
                problem.detail = detail;
            }
            ApiError::Problem(problem)
        }
        None => ApiError::Network(format!(
            "The Cohort API answered {status} {}.",
            response.status_text()
        )),
    }
}
