//! What the tests of a real `cohort serve` process share: starting and stopping it, and
//! talking to it over HTTP.
// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use cohort_store::BotScope;
use cohort_store::testing::{TestDatabase, now, workspace_name};
use serde_json::Value;

/// The job lease `Server::start` gives, so that a job whose server died is taken over soon.
pub const LEASE_SECS: &str = "2";

/// A running `cohort serve`, killed with SIGKILL when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// Every line it wrote to standard error after it started serving.
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// `cohort serve` with a job lease of `LEASE_SECS`.
    pub fn start(database_url: &str, export_dir: &Path) -> Self {
        Self::start_with(database_url, export_dir, &["--job-lease-secs", LEASE_SECS])
    }

    /// `cohort serve` with these further arguments; returns once it serves (panics with
    /// what it wrote when it exits before).
    pub fn start_with(database_url: &str, export_dir: &Path, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cohort"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .arg("--database-url")
            .arg(database_url)
            .arg("--export-store")
            .arg(export_dir)
            .args(args)
            // The test polls every 10 ms: never throttled.
            .args(["--rate-limit-per-minute", "1000000000"])
            // Its start and its worker's jobs; warnings and errors of the rest.
            .env(
                "RUST_LOG",
                "warn,cohort=info,cohort_api=warn,cohort_store=warn,cohort_api::worker=info",
            )
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start cohort: {e}"));
        let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let mut lines = BufReader::new(stderr).lines();
        let mut before = Vec::new();
        let address = loop {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("cohort exited before serving: {before:#?}"))
                .unwrap_or_else(|e| panic!("{e}"));
            before.push(line.clone());
            // A line of text, or the message of a JSON one (`--log-format json`).
            let message = serde_json::from_str::<Value>(&line)
                .ok()
                .and_then(|entry| entry["fields"]["message"].as_str().map(str::to_owned))
                .unwrap_or_else(|| line.clone());
            if let Some(rest) = message.strip_prefix("Cohort is serving on ") {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        };
        // Keep draining its log so that it never blocks on a full pipe, into the test's
        // output, which the harness shows when the test fails, and into `log`.
        let log = Arc::new(Mutex::new(Vec::new()));
        std::thread::spawn({
            let log = Arc::clone(&log);
            move || {
                for line in lines.map_while(Result::ok) {
                    eprintln!("cohort: {line}");
                    log.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(line);
                }
            }
        });
        Self {
            child,
            address,
            log,
        }
    }

    /// The lines of its log so far.
    pub fn log(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// `kill -TERM`, then waits for the process to end (at most `patience`): its exit
    /// status, and how long it took.
    pub fn terminate(&mut self, patience: Duration) -> (std::process::ExitStatus, Duration) {
        let sent = Instant::now();
        let kill = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap_or_else(|e| panic!("cannot run kill: {e}"));
        assert!(kill.success(), "kill -TERM failed");
        loop {
            if let Some(status) = self.child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
                return (status, sent.elapsed());
            }
            assert!(
                sent.elapsed() < patience,
                "cohort still runs {patience:?} after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `kill -9`.
    pub fn kill(mut self) {
        self.child.kill().unwrap_or_else(|e| panic!("{e}"));
        self.child.wait().unwrap_or_else(|e| panic!("{e}"));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file under `dir`, recursively, relative to it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_path_buf());
            }
        }
    }
    found
}

pub async fn get(client: &reqwest::Client, token: &str, url: &str) -> (u16, Value) {
    let response = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A fresh database with a bot of `users` seeded users (`TestDatabase::seed_users`: no
/// events, made-up stats) and an API token of its workspace.
pub async fn seeded(users: u64) -> (TestDatabase, BotScope, String) {
    cohort_api::install_tls_provider();
    let database = TestDatabase::new()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = database
        .new_bot("Crash")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    database
        .seed_users(bot, users)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let workspace = database
        .store
        .workspace_by_name(&workspace_name("Test"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let token = database
        .store
        .create_token(workspace, now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    (database, bot, token)
}

pub async fn post(client: &reqwest::Client, token: &str, url: &str, body: &Value) -> (u16, Value) {
    let response = client
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Polls the job at `url` until it runs and `far_enough` says so; the job must not end
/// first (the test could not kill the server mid-work then).
pub async fn wait_until_running(
    client: &reqwest::Client,
    token: &str,
    url: &str,
    far_enough: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, job) = get(client, token, url).await;
        assert!(
            job["status"] == "queued" || job["status"] == "running",
            "the job ended before the test could stop the server; seed more users: {job}"
        );
        if job["status"] == "running" && far_enough(&job) {
            return job;
        }
        assert!(Instant::now() < deadline, "the job never started: {job}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Polls the job at `url` until it is neither queued nor running.
pub async fn wait_until_ended(client: &reqwest::Client, token: &str, url: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let (_, job) = get(client, token, url).await;
        if job["status"] != "queued" && job["status"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "the job never ended: {job}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A count from the database itself, behind the server's back.
pub async fn count(database: &TestDatabase, sql: &str) -> i64 {
    database
        .store
        .query_i64(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
}
