//! Every HTTP call the SPA makes to Cohort's REST API, and the one place that turns a
//! response into data or an `ApiError`. The only user of gloo-net.

use cohort_core::api::{BotList, MessagePage, Problem, SearchUsers, UserPage};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;

/// Where the API lives, relative to the page (the server serves both).
const API_BASE: &str = "/api/v1";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The token was missing, wrong or revoked (401): sign in again.
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
            Self::Problem(problem) => problem.detail.clone(),
        }
    }
}

/// The bots of the token's workspace.
pub async fn list_bots(token: &str) -> Result<BotList, ApiError> {
    send(authorized(Request::get(&format!("{API_BASE}/bots")), token)).await
}

/// One page of a bot's users.
pub async fn search_users(
    token: &str,
    bot_id: &str,
    search: &SearchUsers,
) -> Result<UserPage, ApiError> {
    let url = format!(
        "{API_BASE}/bots/{}/users/search",
        encode_path_segment(bot_id)
    );
    let request = authorized(Request::post(&url), token)
        .json(search)
        .map_err(|error| ApiError::Network(format!("Could not encode the request: {error}")))?;
    read(request.send().await).await
}

/// A page of one user's messages, newest first.
pub async fn list_messages(
    token: &str,
    bot_id: &str,
    user_id: &str,
    cursor: Option<&str>,
) -> Result<MessagePage, ApiError> {
    let mut url = format!(
        "{API_BASE}/bots/{}/users/{}/messages?limit={MESSAGES_PER_PAGE}",
        encode_path_segment(bot_id),
        encode_path_segment(user_id)
    );
    if let Some(cursor) = cursor {
        url.push_str("&cursor=");
        url.push_str(&encode_path_segment(cursor));
    }
    send(authorized(Request::get(&url), token)).await
}

/// Messages per page of a user's history.
const MESSAGES_PER_PAGE: u32 = 30;

/// Adds the bearer token.
fn authorized(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {token}"))
}

/// Sends a request without a body.
async fn send<T: DeserializeOwned>(builder: RequestBuilder) -> Result<T, ApiError> {
    read(builder.send().await).await
}

/// Turns a response into the expected body or an `ApiError`.
async fn read<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = response
        .map_err(|error| ApiError::Network(format!("Could not reach the Cohort API ({error}).")))?;
    if response.ok() {
        return response.json::<T>().await.map_err(|error| {
            ApiError::Network(format!(
                "The Cohort API sent an unexpected answer ({error})."
            ))
        });
    }
    let status = response.status();
    let problem = response.json::<Problem>().await.ok();
    if status == 401 {
        let detail = problem
            .map(|problem| problem.detail)
            .filter(|detail| !detail.is_empty());
        return Err(ApiError::Unauthorized(
            detail.unwrap_or_else(|| "That API token was not accepted.".to_owned()),
        ));
    }
    Err(match problem {
        Some(problem) => ApiError::Problem(problem),
        None => ApiError::Network(format!(
            "The Cohort API answered {status} {}.",
            response.status_text()
        )),
    })
}

/// Percent-encodes an id for use as one path segment or query value.
fn encode_path_segment(segment: &str) -> String {
    segment
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
