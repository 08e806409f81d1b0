//! `/metrics` on its own listener: requests by route pattern, the job queue, the pool.

use std::net::TcpListener;
use std::sync::Arc;

use cohort_api::{Metrics, Spa};
use cohort_store::testing::TestDatabase;
use reqwest::StatusCode;

use crate::helpers::{TestApp, spawn_app_configured, temporary_export_dir};

/// An app, and the address of its metrics server.
async fn spawn_app_with_metrics() -> (TestApp, String) {
    let database = TestDatabase::new()
        .await
        .unwrap_or_else(|e| panic!("test database: {e:?}"));
    let dir = temporary_export_dir();
    let exports = cohort_api::ExportFiles::local(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut metrics: Option<Arc<Metrics>> = None;
    let app = spawn_app_configured(database, Spa::None, exports, Some(dir), |state| {
        metrics = Some(state.metrics.clone());
        state
    })
    .await;
    let metrics = metrics.unwrap_or_else(|| panic!("the app's metrics"));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let server = cohort_api::serve_metrics(listener, metrics, app.database.store.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(server);
    (app, address)
}

async fn scrape(client: &reqwest::Client, address: &str) -> String {
    let response = client
        .get(format!("{address}/metrics"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    response.text().await.unwrap_or_default()
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_report_jobs_and_the_pool() {
    let (app, metrics) = spawn_app_with_metrics().await;
    let bot = app.create_bot("Metered").await;
    for _ in 0..2 {
        let reply = app.get(&format!("/api/v1/bots/{bot}/users")).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    }
    let reply = app.get("/api/v1/no/such/thing").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{reply:?}");
    let reply = app
        .post(
            &format!("/api/v1/bots/{bot}/stats/refresh"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{reply:?}");

    let text = scrape(&app.client, &metrics).await;
    for line in [
        "cohort_http_requests_total{method=\"GET\",route=\"/api/v1/bots/{bot}/users\",status=\"200\"} 2",
        "cohort_http_requests_total{method=\"POST\",route=\"/api/v1/bots\",status=\"201\"} 1",
        "cohort_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1",
        "cohort_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/bots/{bot}/users\"} 2",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
    }
    // The path's bot id never becomes a label.
    assert!(!text.contains(&format!("/bots/{bot}/")), "{text}");
    // Every job state is there; the refresh is queued, running or done by now.
    let jobs: i64 = ["queued", "running", "succeeded"]
        .iter()
        .map(|state| {
            let prefix = format!("cohort_jobs{{state=\"{state}\"}} ");
            text.lines()
                .find_map(|l| l.strip_prefix(&prefix))
                .and_then(|n| n.parse::<i64>().ok())
                .unwrap_or_else(|| panic!("no {prefix}in:\n{text}"))
        })
        .sum();
    assert_eq!(jobs, 1, "{text}");
    for state in ["failed", "cancelled"] {
        let line = format!("cohort_jobs{{state=\"{state}\"}} 0");
        assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
    }
    let pool = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or_else(|| panic!("no {name} in:\n{text}"))
    };
    assert!(pool("cohort_db_pool_connections") >= 1, "{text}");
    assert!(pool("cohort_db_pool_max_connections") >= pool("cohort_db_pool_connections"));
    // Nothing that names the database or a credential.
    assert!(!text.contains(&app.database.url), "{text}");
    assert!(!text.contains(&app.token), "{text}");
    assert!(
        !text.contains("postgres://") && !text.contains("sqlite:"),
        "{text}"
    );

    // Only /metrics is served there.
    let response = app
        .client
        .get(format!("{metrics}/api/v1/bots"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
