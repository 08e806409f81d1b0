//! Export benchmark: a data set of TOTAL users (1,000,000 by default) in ten bots, each
//! user with three tags and four attributes; the largest bot's N users (300,000 by
//! default) exported as CSV through the real server in this process (POST, the worker, the
//! local export store), beside the engine's own CSV dump of the same rows in the same run:
//! PostgreSQL's `COPY (SELECT …) TO STDOUT WITH CSV` through `psql`, or the `sqlite3`
//! CLI's `.mode csv`. Prints rows/s of both, their ratio, and the process's peak RSS
//! during the export (reset after seeding), on the engine `COHORT_TEST_ENGINE` names.
//!
//! `cargo run --release -p cohort-api --example export_bench -- 300000 1000000`

use cohort_store::testing::{now, workspace_name};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cohort_api::{AppState, ExportFiles, RateLimit, Spa};
use cohort_store::testing::{TestDatabase, engine};
use cohort_store::{BotScope, Store};
use serde_json::{Value, json};

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let users: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(300_000);
    let total: u64 = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
        .max(users);
    cohort_api::install_tls_provider();
    let database = TestDatabase::new().await.map_err(|e| format!("{e:?}"))?;
    let store = &database.store;
    let started = Instant::now();
    let bot = database
        .seed_data_set(users, total)
        .await
        .map_err(|e| format!("{e:?}"))?;
    println!(
        "{}: seeded {total} users in 10 bots, {users} in the exported one (3 tags, 4 attributes each) in {:.1} s",
        engine(),
        started.elapsed().as_secs_f64()
    );

    let dump = engine_dump(&database.url, bot, users)?;
    let _read_only = read_snapshot(store, bot).await?;

    let workspace = store
        .workspace_by_name(&workspace_name("Test"), now())
        .await
        .map_err(|e| format!("{e:?}"))?;
    let token = store
        .create_token(workspace, now())
        .await
        .map_err(|e| format!("{e:?}"))?;
    let dir = std::env::temp_dir().join(format!("cohort_export_bench_{}", std::process::id()));
    let files = ExportFiles::local(&dir)?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}", listener.local_addr()?);
    tokio::spawn(cohort_api::serve(
        listener,
        // The bench polls every 50 ms: never throttled.
        AppState::new(store.clone(), Spa::None, files).with_rate_limit(RateLimit {
            per_minute: std::num::NonZeroU32::MAX,
            burst: std::num::NonZeroU32::MAX,
        }),
    )?);
    let client = reqwest::Client::new();

    reset_peak_rss();
    let started = Instant::now();
    let accepted: Value = client
        .post(format!("{address}/api/v1/bots/{}/exports", bot.bot_id()))
        .bearer_auth(&token)
        .json(&json!({"selection": {"filter": {"all": []}}}))
        .send()
        .await?
        .json()
        .await?;
    let status_url = accepted["status_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let export = loop {
        let export: Value = client
            .get(format!("{address}{status_url}"))
            .bearer_auth(&token)
            .send()
            .await?
            .json()
            .await?;
        if export["status"] != "queued" && export["status"] != "running" {
            break export;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let cohort = started.elapsed();
    let peak = peak_rss_kib();
    if export["status"] != "succeeded" {
        return Err(format!("the export did not succeed: {export}").into());
    }
    // The job's own time, without the wait for a worker to claim it (it polls every 500 ms).
    let job: Value = client
        .get(format!(
            "{address}/api/v1/bots/{}/jobs/{}",
            bot.bot_id(),
            export["id"].as_str().unwrap_or_default()
        ))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    let job_secs = match (job["started_at"].as_str(), job["finished_at"].as_str()) {
        (Some(started), Some(finished)) => {
            let started = chrono::DateTime::parse_from_rfc3339(started)?;
            let finished = chrono::DateTime::parse_from_rfc3339(finished)?;
            (finished - started).num_microseconds().unwrap_or_default() as f64 / 1e6
        }
        _ => cohort.as_secs_f64(),
    };
    let started = Instant::now();
    let file = client
        .get(format!("{address}{status_url}/download"))
        .bearer_auth(&token)
        .send()
        .await?
        .bytes()
        .await?;
    let download = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);

    let rows = export["rows"].as_f64().unwrap_or_default();
    let cohort_rate = rows / job_secs;
    let dump_rate = users as f64 / dump.as_secs_f64();
    println!(
        "{}: Cohort export of {rows} rows ({:.1} MB): job {job_secs:.2} s = {cohort_rate:.0} rows/s ({:.2} s from POST to succeeded; download {:.2} s); {} of the same rows in {:.2} s = {dump_rate:.0} rows/s; ratio {:.2}; peak RSS during the export {} MiB",
        engine(),
        file.len() as f64 / 1e6,
        cohort.as_secs_f64(),
        download.as_secs_f64(),
        if engine() == "postgres" {
            "COPY … TO STDOUT WITH CSV (psql)"
        } else {
            "sqlite3 .mode csv"
        },
        dump.as_secs_f64(),
        cohort_rate / dump_rate,
        peak / 1024,
    );
    Ok(())
}

/// Times the engine's own CSV dump of the same rows (users with stats, tags in one cell,
/// one column per attribute key), written to /dev/null.
fn engine_dump(url: &str, bot: BotScope, users: u64) -> Result<Duration, Failure> {
    let id = bot.bot_id();
    let started = Instant::now();
    let status = if engine() == "postgres" {
        let query = format!(
            "COPY (SELECT u.id, u.first_name, u.last_name, u.channel, u.external_id, u.email, u.phone, s.sessions, s.messages_sent, s.clicks, s.time_spent_secs, s.average_sentiment, s.last_message_at, u.created_at, \
             (SELECT string_agg(t.name, ', ' ORDER BY t.name_folded) FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE ut.user_id = u.id) AS tags, \
             (SELECT a.value FROM user_attributes a WHERE a.user_id = u.id AND a.key = 'app.plan'), \
             (SELECT a.value FROM user_attributes a WHERE a.user_id = u.id AND a.key = 'city'), \
             (SELECT a.value FROM user_attributes a WHERE a.user_id = u.id AND a.key = 'fav_food'), \
             (SELECT a.value FROM user_attributes a WHERE a.user_id = u.id AND a.key = 'score') \
             FROM users u JOIN user_stats s ON s.user_id = u.id WHERE u.bot_id = {id} ORDER BY u.id) TO STDOUT WITH CSV HEADER"
        );
        Command::new("psql")
            .args([url, "-X", "-q", "-c", &query])
            .stdout(Stdio::null())
            .status()?
    } else {
        let path = url
            .strip_prefix("sqlite://")
            .unwrap_or(url)
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned();
        let query = format!(
            "SELECT u.id, u.first_name, u.last_name, u.channel, u.external_id, u.email, u.phone, s.sessions, s.messages_sent, s.clicks, s.time_spent_secs, s.average_sentiment, s.last_message_at, u.created_at, \
             (SELECT group_concat(name, ', ') FROM (SELECT t.name FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE ut.user_id = u.id ORDER BY t.name_folded)) AS tags, \
             (SELECT a.value FROM user_attributes a WHERE a.user_id = u.id AND a.key = 'app.plan'), \
             (SELECT a.value FROM user_attributes a WHERE a.user_id = u.id AND a.key = 'city'), \
             (SELECT a.value FROM user_attributes a WHERE a.user_id = u.id AND a.key = 'fav_food'), \
             (SELECT a.value FROM user_attributes a WHERE a.user_id = u.id AND a.key = 'score') \
             FROM users u JOIN user_stats s ON s.user_id = u.id WHERE u.bot_id = {id} ORDER BY u.id;"
        );
        Command::new("sqlite3")
            .args(["-csv", "-header", &path, &query])
            .stdout(Stdio::null())
            .status()?
    };
    if !status.success() {
        return Err(format!("the engine's dump of {users} users failed: {status}").into());
    }
    Ok(started.elapsed())
}

/// Times reading the whole selection from the store's snapshot, without writing CSV.
async fn read_snapshot(store: &Store, bot: BotScope) -> Result<Duration, Failure> {
    let selection: cohort_core::api::Selection =
        serde_json::from_value(json!({"filter": {"all": []}}))?;
    let selection = cohort_core::bulk::check_selection(&selection, "/selection")
        .map_err(|e| format!("{e:?}"))?;
    let started = Instant::now();
    let mut reader = store
        .open_export(bot, selection, 0)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let opened = started.elapsed();
    let mut rows = 0;
    loop {
        let batch = reader.next_batch().await.map_err(|e| format!("{e:?}"))?;
        if batch.is_empty() {
            break;
        }
        rows += batch.len();
    }
    reader.close().await.map_err(|e| format!("{e:?}"))?;
    println!(
        "{}: the store's snapshot read alone: {rows} rows in {:.2} s (opening: {:.2} s)",
        engine(),
        started.elapsed().as_secs_f64(),
        opened.as_secs_f64()
    );
    Ok(started.elapsed())
}

/// Resets the process's peak RSS (`VmHWM`) to its current RSS (Linux 4.0+).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak RSS in KiB since the last reset.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or_default()
}
