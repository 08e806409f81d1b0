//! `POST /api/v1/sentiment`: scores texts.

use actix_web::{post, web};
use cohort_core::api::{SentimentRequest, SentimentResult, SentimentScore};
use cohort_core::sentiment;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::problems::CreateProblems;

/// Score the sentiment of texts.
///
/// Scores 1 to 1,000 texts with the same scorer ingestion uses: a score in [-1, 1] and a
/// label (≥ 0.05 positive, ≤ −0.05 negative, else neutral), in the order given.
///
/// With `"explain": true` each score also lists what moved it most (`explanation`): up to
/// five words, symbols, phrases or rules, each with its signed share of the score and, for
/// rules that multiply, the factor. The scores are the same either way.
#[utoipa::path(
    tag = "events",
    request_body(content = SentimentRequest, examples(
        ("scores" = (summary = "Scores only", value = json!({"texts": ["hahaha", "hello", "so slow!"]}))),
        ("explained" = (summary = "Scores with what moved them", value = json!({"texts": ["so slow!", "not bad at all"], "explain": true})))
    )),
    responses((status = 200, description = "The scores, in the order of the texts", body = SentimentResult, examples(
        ("scores" = (summary = "Scores only", value = json!({"scores": [
            {"score": 0.5267, "label": "positive"},
            {"score": 0.0, "label": "neutral"},
            {"score": -0.61, "label": "negative"}
        ]}))),
        ("explained" = (summary = "Scores with what moved them", value = json!({"scores": [
            {"score": -0.61, "label": "negative", "explanation": [
                {"cause": "word", "text": "slow", "effect": -0.4603},
                {"cause": "degree", "text": "so", "effect": -0.0899},
                {"cause": "emphasis", "text": "!", "effect": -0.0597, "factor": 1.11}
            ]},
            {"score": 0.431, "label": "positive", "explanation": [
                {"cause": "negation", "text": "not", "effect": 1.0135, "factor": -0.74},
                {"cause": "word", "text": "bad", "effect": -0.5825}
            ]}
        ]})))
    )), CreateProblems)
)]
#[post("/sentiment")]
pub async fn score_sentiment(
    _caller: Caller,
    body: JsonBody<SentimentRequest>,
) -> Result<web::Json<SentimentResult>, ApiError> {
    let texts = &body.0.texts;
    sentiment::check_texts(texts).map_err(ApiError::from)?;
    let scores = if body.0.explain {
        texts
            .iter()
            .map(|text| {
                let explained = sentiment::explain(text);
                SentimentScore {
                    score: explained.score.score,
                    label: explained.score.label,
                    explanation: Some(explained.contributions),
                }
            })
            .collect()
    } else {
        texts
            .iter()
            .map(|text| {
                let scored = sentiment::score(text);
                SentimentScore {
                    score: scored.score,
                    label: scored.label,
                    explanation: None,
                }
            })
            .collect()
    };
    Ok(web::Json(SentimentResult { scores }))
}
