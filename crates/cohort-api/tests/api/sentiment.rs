//! `POST /sentiment`: scores as ingestion computes them, with what moved each score when
//! `explain` asks, and the documented examples answered as documented.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

/// The keys of a JSON object, sorted.
fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, _)| key.as_str())
        .collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn without_explain_each_text_gets_its_score_and_label_only() {
    let app = spawn_app().await;
    let texts = json!(["hahaha", "hello", "so slow!"]);
    let plain = app.post("/api/v1/sentiment", json!({"texts": texts})).await;
    assert_eq!(plain.status.as_u16(), 200, "{plain:?}");
    let scores = plain.body["scores"].as_array().cloned().unwrap_or_default();
    let labels: Vec<&str> = scores
        .iter()
        .map(|score| score["label"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(labels, ["positive", "neutral", "negative"]);
    for score in &scores {
        assert_eq!(keys(score), ["label", "score"], "{score}");
    }
    let explicit = app
        .post(
            "/api/v1/sentiment",
            json!({"texts": texts, "explain": false}),
        )
        .await;
    assert_eq!(explicit.body, plain.body);
}

#[tokio::test]
async fn explain_lists_what_moved_each_score_largest_first_with_the_same_scores() {
    let app = spawn_app().await;
    let texts = json!([
        "so slow!",
        "hello",
        "not bad at all",
        "the pizza was amazing but the driver was rude, slow and never answered the phone!!"
    ]);
    let plain = app.post("/api/v1/sentiment", json!({"texts": texts})).await;
    let explained = app
        .post(
            "/api/v1/sentiment",
            json!({"texts": texts, "explain": true}),
        )
        .await;
    assert_eq!(explained.status.as_u16(), 200, "{explained:?}");
    let scores = explained.body["scores"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(scores.len(), 4);
    for (index, score) in scores.iter().enumerate() {
        assert_eq!(score["score"], plain.body["scores"][index]["score"]);
        assert_eq!(score["label"], plain.body["scores"][index]["label"]);
        let explanation = score["explanation"].as_array().cloned().unwrap_or_default();
        assert!(explanation.len() <= 5, "{score}");
        let effects: Vec<f64> = explanation
            .iter()
            .map(|contribution| contribution["effect"].as_f64().unwrap_or(f64::NAN))
            .collect();
        assert!(
            effects
                .windows(2)
                .all(|pair| pair[0].abs() >= pair[1].abs()),
            "{score}"
        );
    }

    let slow = &scores[0];
    assert_eq!(slow["label"], "negative");
    assert_eq!(slow["explanation"][0]["cause"], "word");
    assert_eq!(slow["explanation"][0]["text"], "slow");
    assert!(slow["explanation"][0]["effect"].as_f64().unwrap_or(0.0) < -0.3);
    assert_eq!(keys(&slow["explanation"][0]), ["cause", "effect", "text"]);
    let emphasis = slow["explanation"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|contribution| contribution["cause"] == "emphasis")
        .cloned()
        .unwrap_or_default();
    assert_eq!(emphasis["text"], "!");
    assert!(emphasis["factor"].as_f64().unwrap_or(0.0) > 1.0, "{slow}");

    assert_eq!(scores[1]["explanation"], json!([]));
    let negation = &scores[2]["explanation"][0];
    assert_eq!(
        (&negation["cause"], &negation["text"], &negation["factor"]),
        (&json!("negation"), &json!("not"), &json!(-0.74))
    );
    assert_eq!(scores[3]["explanation"].as_array().map(Vec::len), Some(5));
}

#[tokio::test]
async fn an_explain_that_is_not_a_boolean_is_a_400_problem() {
    let app = spawn_app().await;
    for explain in [json!("yes"), json!(1), json!(null), json!({"on": true})] {
        let reply = app
            .post(
                "/api/v1/sentiment",
                json!({"texts": ["so slow!"], "explain": explain}),
            )
            .await;
        let pointers = reply.assert_problem(400);
        assert_eq!(pointers, ["/explain"], "{explain}: {reply:?}");
    }
}

#[tokio::test]
async fn the_documented_examples_are_what_the_server_answers() {
    let app = spawn_app().await;
    let spec: Value = serde_json::from_str(&cohort_api::openapi_json()).unwrap_or_default();
    let operation = &spec["paths"]["/api/v1/sentiment"]["post"];
    let requests = &operation["requestBody"]["content"]["application/json"]["examples"];
    let answers = &operation["responses"]["200"]["content"]["application/json"]["examples"];
    for name in ["scores", "explained"] {
        let request = requests[name]["value"].clone();
        let reply = app.post("/api/v1/sentiment", request).await;
        assert_eq!(reply.body, answers[name]["value"], "example `{name}`");
    }
    let most =
        &spec["components"]["schemas"]["SentimentScore"]["properties"]["explanation"]["maxItems"];
    assert_eq!(*most, json!(cohort_core::sentiment::MAX_CONTRIBUTIONS));
}
