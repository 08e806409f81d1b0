//! Two `cohort serve` processes on one database, as a deployment of several instances
//! runs them: they start together on an empty database and both migrate it safely; an
//! admin session, an API token and an idempotency key from one hold on the other; every
//! job, started on either, runs exactly once, on one of them, may be cancelled on the
//! other, and its file is served by both; and stopping the instance that runs a job (SIGTERM, or `kill -9`) lets the other
//! finish it. Runs on the engine `COHORT_TEST_ENGINE` names (the deployment the README
//! describes is PostgreSQL; two processes on one SQLite file hold the same guarantees).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use cohort_store::testing::{TestDatabase, admin, now, workspace_name};
use serde_json::{Value, json};

use common::{Server, count, get, post, seeded, wait_until_ended, wait_until_running};

const EMAIL: &str = "admin@acme.test";
const PASSWORD: &str = "correct horse battery";

/// `cohort serve` with JSON logs (so that the test can read which job each one ran) and
/// this job lease.
fn start(database_url: &str, export_dir: &Path, lease_secs: &str) -> Server {
    Server::start_with(
        database_url,
        export_dir,
        &["--job-lease-secs", lease_secs, "--log-format", "json"],
    )
}

/// The ids of the jobs this server's worker started, in order, as its log says.
fn jobs_started(server: &Server) -> Vec<String> {
    server
        .log()
        .iter()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|entry| entry["fields"]["message"] == "job started")
        .filter_map(|entry| entry["fields"]["job"].as_str().map(str::to_owned))
        .collect()
}

/// Starts an export of the whole bot through `server`; its status path.
async fn start_export(client: &reqwest::Client, server: &Server, bot: i64, token: &str) -> String {
    let (status, accepted) = post(
        client,
        token,
        &format!("{}/api/v1/bots/{bot}/exports", server.address),
        &json!({"selection": {"filter": {"all": []}}}),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    accepted["status_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Downloads a finished export through `server`: the status and the number of bytes.
async fn download(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    status_path: &str,
) -> (u16, usize) {
    let response = client
        .get(format!("{}{status_path}/download", server.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap_or_default();
    (status, bytes.len())
}

/// A request with a session cookie (and the CSRF header the API asks of cookies).
async fn with_cookie(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    cookie: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client
        .request(method, url)
        .header("cookie", cookie)
        .header("x-cohort-csrf", "1");
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn two_instances_share_sessions_tokens_and_idempotency_keys_from_a_database_they_migrated_together()
 {
    cohort_api::install_tls_provider();
    let database = TestDatabase::unmigrated()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let export_dir =
        std::env::temp_dir().join(format!("cohort_instances_auth_{}", std::process::id()));

    // Both start at the same moment on a database with no tables: one migrates, the
    // other waits for it and finds nothing left to do; neither fails.
    let (first, second) = std::thread::scope(|threads| {
        let first = threads.spawn(|| Server::start(&database.url, &export_dir));
        let second = threads.spawn(|| Server::start(&database.url, &export_dir));
        (
            first.join().unwrap_or_else(|_| panic!("the first failed")),
            second
                .join()
                .unwrap_or_else(|_| panic!("the second failed")),
        )
    });

    let store = &database.store;
    let workspace = store
        .workspace_by_name(&workspace_name("Acme"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .set_admin_password(workspace, &admin(EMAIL, PASSWORD), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let token = store
        .create_token(workspace, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let client = reqwest::Client::new();

    // A session begun on the first is good on the second, and ended there, on both.
    let signed_in = client
        .post(format!("{}/api/v1/auth/login", first.address))
        .json(&json!({"email": EMAIL, "password": PASSWORD}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(signed_in.status().as_u16(), 200);
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.starts_with("cohort_session="), "{cookie}");
    let me = format!("{}/api/v1/auth/me", second.address);
    let (status, body) = with_cookie(&client, reqwest::Method::GET, &me, &cookie, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["email"], EMAIL, "{body}");

    // A bot made with the cookie on the second is seen with the token on the first.
    let (status, bot) = with_cookie(
        &client,
        reqwest::Method::POST,
        &format!("{}/api/v1/bots", second.address),
        &cookie,
        Some(json!({"name": "Shared"})),
    )
    .await;
    assert_eq!(status, 201, "{bot}");
    let bot_id = bot["id"].as_str().unwrap_or_default().to_owned();
    let (status, seen) = get(
        &client,
        &token,
        &format!("{}/api/v1/bots/{bot_id}", first.address),
    )
    .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["name"], "Shared", "{seen}");

    // A request sent to one and retried on the other with its idempotency key applies
    // once: the second answers the first's answer again.
    let user = json!({"channel": "web", "external_id": "retried", "first_name": "Ana"});
    let mut answers = Vec::new();
    for server in [&first, &second] {
        let response = client
            .post(format!("{}/api/v1/bots/{bot_id}/users", server.address))
            .bearer_auth(&token)
            .header("idempotency-key", "create-ana-once")
            .json(&user)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let replayed = response
            .headers()
            .get("idempotent-replayed")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        answers.push((status, replayed, body));
    }
    assert_eq!(answers[0].1, "", "the first is not a replay: {answers:?}");
    assert_eq!(answers[1].1, "true", "the retry is a replay: {answers:?}");
    assert_eq!(answers[0].0, answers[1].0, "{answers:?}");
    assert_eq!(answers[0].2, answers[1].2, "{answers:?}");
    let (status, page) = get(
        &client,
        &token,
        &format!("{}/api/v1/bots/{bot_id}/users", second.address),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 1, "{page}");

    // Signing out on the second ends the session on the first too.
    let (status, body) = with_cookie(
        &client,
        reqwest::Method::POST,
        &format!("{}/api/v1/auth/logout", second.address),
        &cookie,
        None,
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = with_cookie(
        &client,
        reqwest::Method::GET,
        &format!("{}/api/v1/auth/me", first.address),
        &cookie,
        None,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    drop((first, second));
    let _ = std::fs::remove_dir_all(&export_dir);
}

/// Users in the bot of the job tests: each export takes a debug build long enough (well
/// over the workers' 500 ms poll) that both instances are busy at once.
const JOB_USERS: u64 = 20_000;

#[tokio::test]
async fn jobs_started_on_either_instance_run_exactly_once_and_both_serve_their_files() {
    let (database, bot, token) = seeded(JOB_USERS).await;
    let export_dir =
        std::env::temp_dir().join(format!("cohort_instances_jobs_{}", std::process::id()));
    let first = start(&database.url, &export_dir, "30");
    let second = start(&database.url, &export_dir, "30");
    let servers = [&first, &second];
    let client = reqwest::Client::new();
    let bot_id = bot.bot_id();

    // Six exports, started on the two in turn, all queued at once.
    let mut exports = Vec::new();
    for n in 0..6 {
        exports.push(start_export(&client, servers[n % 2], bot_id, &token).await);
    }
    // A seventh, queued behind them, started on one and cancelled on the other.
    let cancelled = start_export(&client, &first, bot_id, &token).await;
    let removed = client
        .delete(format!("{}{cancelled}", second.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(removed.status().as_u16(), 204);
    for (n, status_path) in exports.iter().enumerate() {
        // Followed on the other instance than the one it was started on.
        let url = format!("{}{status_path}", servers[(n + 1) % 2].address);
        let export = wait_until_ended(&client, &token, &url).await;
        assert_eq!(export["status"], "succeeded", "{export}");
        assert_eq!(export["rows"], JOB_USERS, "{export}");
    }

    // Each job was started exactly once, by one of the two, and both did some.
    let started = [jobs_started(&first), jobs_started(&second)];
    let mut runs: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (server, jobs) in started.iter().enumerate() {
        for job in jobs {
            runs.entry(job.clone()).or_default().push(server);
        }
    }
    assert_eq!(
        runs.len(),
        exports.len(),
        "the six, and not the cancelled one: {runs:?}"
    );
    assert!(
        runs.values().all(|servers| servers.len() == 1),
        "a job ran twice: {runs:?}"
    );
    assert!(
        started.iter().all(|jobs| !jobs.is_empty()),
        "both instances took jobs: {runs:?}"
    );
    assert_eq!(
        count(
            &database,
            "SELECT COUNT(*) FROM jobs WHERE status = 'succeeded' AND attempts = 1"
        )
        .await,
        6,
        "every export succeeded at its first attempt"
    );
    let (status, export) = get(&client, &token, &format!("{}{cancelled}", first.address)).await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["status"], "cancelled", "{export}");

    // Each file is served by both, whichever wrote it, byte for byte the same size.
    for status_path in &exports {
        let (status, _) = get(&client, &token, &format!("{}{status_path}", first.address)).await;
        assert_eq!(status, 200);
        let on_first = download(&client, &first, &token, status_path).await;
        let on_second = download(&client, &second, &token, status_path).await;
        assert_eq!(on_first.0, 200, "{status_path}");
        assert_eq!(on_first, on_second, "{status_path}");
    }
    drop((first, second));
    let _ = std::fs::remove_dir_all(&export_dir);
}

/// Users in the bot of the stopping tests: enough that a debug build is still writing the
/// file when the test stops the instance.
const STOP_USERS: u64 = 120_000;

/// Starts an export through `via`, waits until one of `servers` writes it, and gives
/// that one's index and the export's status path.
async fn export_running_on(
    client: &reqwest::Client,
    servers: [&Server; 2],
    via: usize,
    bot: i64,
    token: &str,
) -> (usize, String) {
    let status_path = start_export(client, servers[via], bot, token).await;
    let url = format!("{}{status_path}", servers[via].address);
    let export = wait_until_running(client, token, &url, |export| {
        export["rows"].as_u64().unwrap_or_default() > 0
    })
    .await;
    let job = export["id"].as_str().unwrap_or_default().to_owned();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(runner) = servers
            .iter()
            .position(|server| jobs_started(server).contains(&job))
        {
            return (runner, status_path);
        }
        assert!(Instant::now() < deadline, "no log says who runs {job}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn stopping_the_instance_that_runs_a_job_lets_the_other_finish_it() {
    let (database, bot, token) = seeded(STOP_USERS).await;
    let export_dir =
        std::env::temp_dir().join(format!("cohort_instances_stop_{}", std::process::id()));
    let client = reqwest::Client::new();
    let bot_id = bot.bot_id();

    // A rolling restart: SIGTERM gives the job back, and the other takes it at once
    // (the lease is an hour, so only a released job can move within the test).
    let mut servers = [
        start(&database.url, &export_dir, "3600"),
        start(&database.url, &export_dir, "3600"),
    ];
    let (runner, status_path) =
        export_running_on(&client, [&servers[0], &servers[1]], 0, bot_id, &token).await;
    let (exit, _) = servers[runner].terminate(Duration::from_secs(30));
    assert!(exit.success(), "exit status after SIGTERM: {exit}");
    let other = &servers[1 - runner];
    let export =
        wait_until_ended(&client, &token, &format!("{}{status_path}", other.address)).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    assert_eq!(export["rows"], STOP_USERS, "{export}");
    let job = export["id"].as_str().unwrap_or_default().to_owned();
    assert!(
        jobs_started(other).contains(&job),
        "the other instance finished it"
    );
    let (status, _) = download(&client, other, &token, &status_path).await;
    assert_eq!(status, 200);
    let [first, second] = servers;
    drop((first, second));

    // A crash: `kill -9` of the one running it, and the other takes it over once the
    // lease (2 s) has run out.
    let servers = [
        start(&database.url, &export_dir, "2"),
        start(&database.url, &export_dir, "2"),
    ];
    let [first, second] = servers;
    let (runner, status_path) =
        export_running_on(&client, [&first, &second], 1, bot_id, &token).await;
    let (killed, other) = if runner == 0 {
        (first, second)
    } else {
        (second, first)
    };
    killed.kill();
    let export =
        wait_until_ended(&client, &token, &format!("{}{status_path}", other.address)).await;
    assert_eq!(export["status"], "succeeded", "{export}");
    assert_eq!(export["rows"], STOP_USERS, "{export}");
    let job = export["id"].as_str().unwrap_or_default().to_owned();
    assert!(
        jobs_started(&other).contains(&job),
        "the other instance finished it"
    );
    assert_eq!(
        count(
            &database,
            &format!("SELECT COUNT(*) FROM jobs WHERE CAST(id AS TEXT) = '{job}' AND attempts = 2")
        )
        .await,
        1,
        "the crashed attempt and the other's"
    );
    let (status, _) = download(&client, &other, &token, &status_path).await;
    assert_eq!(status, 200);
    drop(other);
    let _ = std::fs::remove_dir_all(&export_dir);
}
