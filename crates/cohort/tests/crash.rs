//! `kill -9` of a real `cohort serve` in the middle of long work: a CSV export publishes
//! nothing half-written and ends, after a restart, with the whole file; a bulk action
//! leaves all or nothing (here nothing: it was killed before its commit); Refresh Stats
//! ends, after a restart, in a succeeded job with every user's stats rebuilt from the
//! event log. Jobs are taken over once their lease ran out. Runs on the engine
//! `COHORT_TEST_ENGINE` names.
//!
//! SIGTERM mid-export: the process exits 0 at once, having given the job back to the
//! queue, and a restart takes it over without waiting for the lease.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use cohort_core::api::JobStatus;
use serde_json::{Value, json};

use common::{Server, count, files_under, get, post, seeded, wait_until_ended, wait_until_running};

/// Enough users that a debug build is still writing the file when the test kills it.
const USERS: u64 = 120_000;

#[tokio::test]
async fn a_server_killed_during_an_export_leaves_no_partial_file_and_the_restart_finishes_it() {
    let (database, bot, token) = seeded(USERS).await;
    let export_dir = std::env::temp_dir().join(format!("cohort_crash_{}", std::process::id()));
    let client = reqwest::Client::new();

    let server = Server::start(&database.url, &export_dir);
    let accepted = client
        .post(format!(
            "{}/api/v1/bots/{}/exports",
            server.address,
            bot.bot_id()
        ))
        .bearer_auth(&token)
        .json(&json!({"selection": {"filter": {"all": []}}}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(accepted.status().as_u16(), 202);
    let accepted: Value = accepted.json().await.unwrap_or(Value::Null);
    let status_path = accepted["status_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // Wait until the worker has written part of the file, then kill the server.
    let export = wait_until_running(
        &client,
        &token,
        &format!("{}{status_path}", server.address),
        |export| export["rows"].as_u64().unwrap_or_default() > 0,
    )
    .await;
    let rows_at_kill = export["rows"].as_u64().unwrap_or_default();
    server.kill();
    assert!(
        rows_at_kill < USERS,
        "killed mid-export at {rows_at_kill} rows"
    );

    // What the dead server left: a temporary object at most, never a published file.
    let left = files_under(&export_dir);
    assert!(
        left.iter().all(|path| path.starts_with("tmp")),
        "only temporary files after the kill: {left:?}"
    );

    // The restarted server refuses to serve the file until the job was redone whole.
    let server = Server::start(&database.url, &export_dir);
    let status_url = format!("{}{status_path}", server.address);
    let (status, problem) = get(&client, &token, &format!("{status_url}/download")).await;
    assert_eq!(status, 409, "an unfinished export is not served: {problem}");
    let export = wait_until_ended(&client, &token, &status_url).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    assert_eq!(export["rows"], USERS);

    let file = client
        .get(format!("{status_url}/download"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file.status().as_u16(), 200);
    let bytes = file.bytes().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Some(bytes.len() as u64), export["bytes"].as_u64());
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or_else(|| panic!("the file starts with a BOM"));
    let mut reader = csv::ReaderBuilder::new().from_reader(body);
    let mut ids = BTreeSet::new();
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            record.len(),
            19,
            "15 fixed columns and 4 attributes: {record:?}"
        );
        assert!(ids.insert(record[0].to_owned()), "{} twice", &record[0]);
    }
    assert_eq!(ids.len() as u64, USERS, "every user exactly once");

    let left = files_under(&export_dir);
    assert_eq!(
        left.len(),
        1,
        "the published file alone; the dead attempt's temporary file is gone: {left:?}"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&export_dir);
}

#[tokio::test]
async fn a_server_killed_during_a_bulk_action_leaves_nothing_of_it() {
    let (database, bot, token) = seeded(USERS).await;
    let export_dir = std::env::temp_dir().join(format!("cohort_crash_bulk_{}", std::process::id()));
    let client = reqwest::Client::new();
    let server = Server::start(&database.url, &export_dir);
    let bulk_url = format!("{}/api/v1/bots/{}/users/bulk", server.address, bot.bot_id());

    // 100 new tags on every user: millions of rows in one transaction, far from done a
    // second after it starts.
    let tags: Vec<String> = (0..100).map(|n| format!("crash-{n}")).collect();
    let action = json!({
        "selection": {"filter": {"all": []}},
        "action": {"type": "add_tags", "tags": tags},
    });
    let request = tokio::spawn({
        let (client, token, url) = (client.clone(), token.clone(), bulk_url.clone());
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&action)
                .send()
                .await
        }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        !request.is_finished(),
        "the bulk action was answered before the kill: {:?}",
        request.await
    );
    server.kill();
    assert!(
        request.await.map_or(true, |answer| answer.is_err()),
        "the killed server never answered the bulk action"
    );

    // Nothing of it is left: no tag, no user's tag, no audit entry.
    let bot_id = bot.bot_id();
    assert_eq!(
        count(
            &database,
            &format!("SELECT COUNT(*) FROM tags WHERE bot_id = {bot_id} AND name LIKE 'crash-%'")
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &database,
            &format!(
                "SELECT COUNT(*) FROM user_tags ut JOIN tags t ON t.id = ut.tag_id \
                 WHERE t.bot_id = {bot_id} AND t.name LIKE 'crash-%'"
            )
        )
        .await,
        0
    );
    assert_eq!(
        count(&database, "SELECT COUNT(*) FROM audit_log").await,
        0,
        "no audit entry for an action that did not happen"
    );
    assert_eq!(
        count(
            &database,
            &format!("SELECT COUNT(*) FROM users WHERE bot_id = {bot_id}")
        )
        .await,
        USERS as i64
    );

    // The restarted server finds the database whole and free: a bulk action goes through.
    let server = Server::start(&database.url, &export_dir);
    let bulk_url = format!("{}/api/v1/bots/{}/users/bulk", server.address, bot.bot_id());
    // On PostgreSQL the dead server's statement must not run on holding its locks
    // (`client_connection_check_interval`); before, this waited a minute for it.
    let started = Instant::now();
    let (status, answer) = post(
        &client,
        &token,
        &bulk_url,
        &json!({
            "selection": {"filter": {"column": "external_id", "function": "equals", "value": "u7"}},
            "action": {"type": "add_tags", "tags": ["crash-0"]},
        }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["affected"], 1, "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the restarted server waited {:?} for the dead one's locks",
        started.elapsed()
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&export_dir);
}

#[tokio::test]
async fn a_server_killed_during_refresh_stats_ends_after_a_restart_with_rebuilt_stats() {
    let (database, bot, token) = seeded(USERS).await;
    let export_dir =
        std::env::temp_dir().join(format!("cohort_crash_refresh_{}", std::process::id()));
    let client = reqwest::Client::new();
    let server = Server::start(&database.url, &export_dir);
    let bot_url = format!("{}/api/v1/bots/{}", server.address, bot.bot_id());

    // Three users with real events, whose stats ingestion kept incrementally; the seeded
    // users have made-up stats and no events, so a rebuild zeroes theirs.
    let events: Vec<Value> = (0..9)
        .map(|n| {
            json!({
                "id": format!("crash-{n}"),
                "type": if n % 3 == 2 { "click" } else { "message" },
                "channel": "web",
                "external_user_id": format!("live-{}", n % 3),
                "text": if n % 3 == 2 { Value::Null } else { json!("so slow!") },
                "url": if n % 3 == 2 { json!("https://example.com/") } else { Value::Null },
                "at": format!("2026-11-01T10:0{n}:00Z"),
            })
        })
        .collect();
    let (status, answer) = post(
        &client,
        &token,
        &format!("{bot_url}/events"),
        &json!({"events": events}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let bot_id = bot.bot_id();
    let live_stats = format!(
        "SELECT CAST(COALESCE(SUM(s.sessions * 1000000 + s.messages_sent * 10000 + s.clicks * 100), 0) AS BIGINT) \
         FROM user_stats s JOIN users u ON u.id = s.user_id \
         WHERE u.bot_id = {bot_id} AND u.external_id LIKE 'live-%'"
    );
    let live_before = count(&database, &live_stats).await;
    assert!(live_before > 0, "ingestion kept the live users' stats");

    let (status, accepted) = post(
        &client,
        &token,
        &format!("{bot_url}/stats/refresh"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    let status_path = accepted["status_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let job = wait_until_running(
        &client,
        &token,
        &format!("{}{status_path}", server.address),
        |job| job["progress"].as_f64().unwrap_or_default() > 0.0,
    )
    .await;
    let progress_at_kill = job["progress"].as_f64().unwrap_or_default();
    server.kill();
    assert!(
        progress_at_kill < 1.0,
        "killed mid-rebuild at {progress_at_kill}"
    );
    let made_up = format!(
        "SELECT COUNT(*) FROM user_stats s JOIN users u ON u.id = s.user_id \
         WHERE u.bot_id = {bot_id} AND u.external_id NOT LIKE 'live-%' AND s.sessions > 0"
    );
    assert!(
        count(&database, &made_up).await > 0,
        "the kill left part of the users with their made-up stats"
    );

    // The restarted server takes the job over once its lease ran out and finishes it.
    let server = Server::start(&database.url, &export_dir);
    let status_url = format!("{}{status_path}", server.address);
    let job = wait_until_ended(&client, &token, &status_url).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["progress"], 1.0, "{job}");

    // Every user's stats are what the event log says: zero for the seeded users, and the
    // live users' unchanged (the incremental stats equal the rebuild).
    assert_eq!(
        count(&database, &made_up).await,
        0,
        "no made-up stats survive"
    );
    let wrong_counts = format!(
        "SELECT COUNT(*) FROM user_stats s WHERE s.bot_id = {bot_id} AND ( \
         s.messages_sent <> (SELECT COUNT(*) FROM events e WHERE e.user_id = s.user_id AND e.kind = 'message') \
         OR s.clicks <> (SELECT COUNT(*) FROM events e WHERE e.user_id = s.user_id AND e.kind = 'click'))"
    );
    assert_eq!(count(&database, &wrong_counts).await, 0);
    assert_eq!(count(&database, &live_stats).await, live_before);
    drop(server);
    let _ = std::fs::remove_dir_all(&export_dir);
}

#[tokio::test]
async fn sigterm_during_an_export_exits_cleanly_and_gives_the_job_back_for_a_restart_to_take_at_once()
 {
    let (database, bot, token) = seeded(USERS).await;
    let export_dir = std::env::temp_dir().join(format!("cohort_sigterm_{}", std::process::id()));
    let client = reqwest::Client::new();
    // An hour's lease: only a released job can be taken over within this test. The
    // metrics server must stop with the API's.
    let args = [
        "--job-lease-secs",
        "3600",
        "--metrics-listen",
        "127.0.0.1:0",
    ];

    let mut server = Server::start_with(&database.url, &export_dir, &args);
    let accepted = client
        .post(format!(
            "{}/api/v1/bots/{}/exports",
            server.address,
            bot.bot_id()
        ))
        .bearer_auth(&token)
        .json(&json!({"selection": {"filter": {"all": []}}}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(accepted.status().as_u16(), 202);
    let accepted: Value = accepted.json().await.unwrap_or(Value::Null);
    let job_id = accepted["id"].as_str().unwrap_or_default().to_owned();
    let status_path = accepted["status_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    wait_until_running(
        &client,
        &token,
        &format!("{}{status_path}", server.address),
        |export| export["rows"].as_u64().unwrap_or_default() > 0,
    )
    .await;

    let (status, took) = server.terminate(Duration::from_secs(30));
    assert!(status.success(), "exit status after SIGTERM: {status}");
    assert!(took < Duration::from_secs(15), "stopping took {took:?}");
    drop(server);

    // The job is queued again with no lease, and the attempt left no file behind.
    let job = database
        .store
        .get_job(bot, &job_id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(job.status, JobStatus::Queued, "{job:?}");
    assert_eq!(job.progress, 0.0, "{job:?}");
    let left = files_under(&export_dir);
    assert!(left.is_empty(), "files after SIGTERM: {left:?}");

    // A restarted server takes it over at once, although the lease is an hour.
    let server = Server::start_with(&database.url, &export_dir, &args);
    let status_url = format!("{}{status_path}", server.address);
    let export = wait_until_ended(&client, &token, &status_url).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    assert_eq!(export["rows"], USERS);
    drop(server);
    let _ = std::fs::remove_dir_all(&export_dir);
}
