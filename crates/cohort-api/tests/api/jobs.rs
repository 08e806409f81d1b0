//! Refresh Stats and background jobs over HTTP: 202 with a job, the worker in the server
//! running it to the end, tenancy of jobs, and stats recomputed with the bot's timeout.

use cohort_store::testing::{now, workspace_name};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, accepted, spawn_app};

const SECOND: i64 = 1_000_000;
/// 2026-11-01T00:00:00Z in microseconds.
const BASE: i64 = 1_793_491_200 * SECOND;

/// Presses Refresh Stats; checks the 202, its body and `Location`; returns the job's URL.
async fn refresh(app: &TestApp, bot: &str) -> String {
    let response = app
        .client
        .post(format!("{}/api/v1/bots/{bot}/stats/refresh", app.address))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    accepted(response, &format!("/api/v1/bots/{bot}/jobs")).await
}

/// Polls the job until it has ended (or 20 s have passed) and returns it.
async fn wait_for_job(app: &TestApp, status_url: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let reply = app.get(status_url).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        let status = reply.body["status"].as_str().unwrap_or_default();
        assert!(
            ["queued", "running", "succeeded", "failed"].contains(&status),
            "{reply:?}"
        );
        if status == "succeeded" || status == "failed" {
            return reply.body;
        }
        assert!(Instant::now() < deadline, "the job did not end: {reply:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn refresh_stats_answers_202_and_the_job_runs_to_success() {
    let app = spawn_app().await;
    let bot = app.create_bot("Pizza Palace").await;
    for index in 0..3 {
        let reply = app
            .upsert_user(
                &bot,
                json!({"channel": "web", "external_id": format!("user-{index}")}),
            )
            .await;
        assert!(reply.status.is_success(), "{reply:?}");
    }
    let status_url = refresh(&app, &bot).await;

    let job = wait_for_job(&app, &status_url).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["kind"], "refresh_stats", "{job}");
    assert_eq!(job["progress"], json!(1.0), "{job}");
    assert_eq!(job["error"], Value::Null, "{job}");
    for time in ["created_at", "started_at", "finished_at"] {
        assert!(job[time].is_string(), "{time}: {job}");
    }
}

#[tokio::test]
async fn another_workspaces_job_and_ids_that_are_not_jobs_are_not_found() {
    let app = spawn_app().await;
    let mine = app.create_bot("Mine").await;
    let my_job = refresh(&app, &mine).await;

    let store = &app.database.store;
    let other_workspace = store
        .workspace_by_name(&workspace_name("Other"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let other_token = store
        .create_token(other_workspace, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let reply = app
        .client
        .post(format!("{}/api/v1/bots", app.address))
        .bearer_auth(&other_token)
        .json(&json!({"name": "Theirs"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let theirs: Value = reply.json().await.unwrap_or(Value::Null);
    let theirs = theirs["id"].as_str().unwrap_or_default().to_owned();
    let reply = app
        .send_as(
            &other_token,
            reqwest::Method::POST,
            &format!("/api/v1/bots/{theirs}/stats/refresh"),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{reply:?}");
    let their_job = reply.body["id"].as_str().unwrap_or_default().to_owned();
    let my_job_id = my_job.rsplit('/').next().unwrap_or_default().to_owned();

    for path in [
        format!("/api/v1/bots/{theirs}/jobs/{their_job}"),
        format!("/api/v1/bots/{mine}/jobs/{their_job}"),
        format!("/api/v1/bots/{mine}/jobs/not-a-job"),
        format!("/api/v1/bots/{mine}/jobs/0"),
    ] {
        app.get(&path).await.assert_problem(404);
    }
    app.send(
        reqwest::Method::POST,
        &format!("/api/v1/bots/{theirs}/stats/refresh"),
        None,
    )
    .await
    .assert_problem(404);
    app.send_as(
        &other_token,
        reqwest::Method::GET,
        &format!("/api/v1/bots/{theirs}/jobs/{my_job_id}"),
        None,
    )
    .await
    .assert_problem(404);
    let reply = app.get(&my_job).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
}

#[tokio::test]
async fn refresh_recomputes_sessions_and_time_spent_with_the_bots_current_timeout() {
    let app = spawn_app().await;
    let bot = app.create_bot("Pizza Palace").await;
    let reply = app
        .upsert_user(
            &bot,
            json!({"channel": "telegram", "external_id": "42", "first_name": "Yin Yin"}),
        )
        .await;
    assert!(reply.status.is_success(), "{reply:?}");
    let user = reply.body["id"].as_str().unwrap_or_default().to_owned();

    // Messages at 0 s, 300 s and 1000 s, written straight into the log.
    let rows: Vec<String> = [0, 300, 1000]
        .iter()
        .map(|secs| {
            format!(
                "({bot}, {user}, 'evt-{secs}', 'message', {}, 0, {BASE})",
                BASE + secs * SECOND
            )
        })
        .collect();
    app.database
        .store
        .execute_sql(&format!(
            "INSERT INTO events (bot_id, user_id, event_key, kind, at, sentiment, received_at) VALUES {}",
            rows.join(", ")
        ))
        .await
        .unwrap_or_else(|e| panic!("events: {e:?}"));

    for (timeout, sessions, time_spent) in [(600, 2, 300), (1000, 1, 1000), (299, 3, 0)] {
        let reply = app
            .patch(
                &format!("/api/v1/bots/{bot}"),
                json!({"session_timeout_secs": timeout}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        let status_url = refresh(&app, &bot).await;
        let job = wait_for_job(&app, &status_url).await;
        assert_eq!(job["status"], "succeeded", "{job}");

        let reply = app.get(&format!("/api/v1/bots/{bot}/users/{user}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
        let shown = &reply.body;
        assert_eq!(
            (&shown["sessions"], &shown["time_spent_secs"]),
            (&json!(sessions), &json!(time_spent)),
            "timeout {timeout}: {shown}"
        );
        assert_eq!(shown["messages_sent"], 3, "{shown}");
        assert_eq!(shown["clicks"], 0, "{shown}");
        assert_eq!(shown["last_message_at"], "2026-11-01T00:16:40Z", "{shown}");
    }
}

#[tokio::test]
async fn a_job_of_an_unknown_kind_fails_with_an_error_that_says_so() {
    let app = spawn_app().await;
    let bot = app.create_bot("Pizza Palace").await;
    let store = &app.database.store;
    let workspace = store
        .workspace_by_name(&workspace_name("Acme"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let scope = store
        .bot_scope(workspace, &bot)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let job = store
        .enqueue_job(scope, "make_coffee", &json!({}), 0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    let job = wait_for_job(&app, &format!("/api/v1/bots/{bot}/jobs/{}", job.id)).await;
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].as_str().unwrap_or_default();
    assert!(error.contains("Unknown job kind `make_coffee`"), "{error}");
}

#[tokio::test]
async fn a_job_interrupted_by_a_crash_is_picked_up_and_finished_by_a_running_server() {
    let app = spawn_app().await;
    let bot = app.create_bot("Pizza Palace").await;
    // What a crash leaves behind: running, claimed by a worker that is gone, with a
    // heartbeat from an hour ago.
    let an_hour_ago = chrono::Utc::now().timestamp_micros() - 3600 * SECOND;
    app.database
        .store
        .execute_sql(&format!(
            "INSERT INTO jobs (bot_id, kind, status, progress, payload, attempts, locked_by, heartbeat_at, created_at, started_at) \
             VALUES ({bot}, 'refresh_stats', 'running', 0.4, '{{}}', 1, 'crashed-worker', {an_hour_ago}, {an_hour_ago}, {an_hour_ago})"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let reply = app.get(&format!("/api/v1/bots/{bot}/jobs/1")).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");

    let job = wait_for_job(&app, &format!("/api/v1/bots/{bot}/jobs/1")).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["progress"], json!(1.0), "{job}");
}
