//! `POST /api/v1/sentiment`: scores texts.

use actix_web::{post, web};
use cohort_core::api::{FieldError, SentimentRequest, SentimentResult, SentimentScore};
use cohort_core::limits::{MAX_MESSAGE_CHARS, MAX_SENTIMENT_TEXTS};
use cohort_core::sentiment;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::CreateProblems;

/// Score the sentiment of texts.
///
/// Scores 1 to 1,000 texts with the same scorer ingestion uses: a score in [-1, 1] and a
/// label (≥ 0.05 positive, ≤ −0.05 negative, else neutral), in the order given.
#[utoipa::path(
    tag = "events",
    request_body(content = SentimentRequest, example = json!({"texts": ["hahaha", "hello", "so slow!"]})),
    responses((status = 200, description = "The scores", body = SentimentResult), CreateProblems)
)]
#[post("/sentiment")]
pub async fn score_sentiment(
    _caller: Caller,
    body: JsonBody<SentimentRequest>,
) -> Result<web::Json<SentimentResult>, ApiError> {
    let texts = &body.0.texts;
    if texts.is_empty() || texts.len() > MAX_SENTIMENT_TEXTS {
        return Err(ApiError::invalid(
            "/texts",
            format!("send 1 to {MAX_SENTIMENT_TEXTS} texts"),
        ));
    }
    let errors: Vec<FieldError> = texts
        .iter()
        .enumerate()
        .filter(|(_, text)| text.chars().count() > MAX_MESSAGE_CHARS)
        .map(|(index, _)| {
            FieldError::new(
                format!("/texts/{index}"),
                format!("a text is at most {MAX_MESSAGE_CHARS} characters"),
            )
        })
        .collect();
    if let Some(first) = errors.first() {
        return Err(ApiError::Invalid {
            detail: first.message.clone(),
            errors,
        });
    }
    let scores = texts
        .iter()
        .map(|text| {
            let scored = sentiment::score(text);
            SentimentScore {
                score: scored.score,
                label: scored.label,
            }
        })
        .collect();
    Ok(web::Json(SentimentResult { scores }))
}
