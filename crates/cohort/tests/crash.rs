//! `kill -9` of a real `cohort serve` in the middle of a CSV export: nothing half-written
//! is ever published, and after a restart the job is taken over once its lease ran out
//! and ends with the whole file. SIGTERM in the same place: the process exits 0 at once,
//! having given the job back to the queue, and a restart takes it over without waiting
//! for the lease. Runs on the engine `COHORT_TEST_ENGINE` names.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cohort_core::api::JobStatus;
use cohort_store::testing::TestDatabase;
use serde_json::{Value, json};

/// Enough users that a debug build is still writing the file when the test kills it.
const USERS: u64 = 120_000;
/// The lease the servers run with, so that the restarted one takes the job over soon.
const LEASE_SECS: &str = "2";

/// A running `cohort serve`, killed with SIGKILL when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(database_url: &str, export_dir: &Path) -> Self {
        Self::start_with(database_url, export_dir, &["--job-lease-secs", LEASE_SECS])
    }

    /// `cohort serve` with these further arguments.
    fn start_with(database_url: &str, export_dir: &Path, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cohort"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .arg("--database-url")
            .arg(database_url)
            .arg("--export-store")
            .arg(export_dir)
            .args(args)
            // The test polls every 10 ms: never throttled.
            .args(["--rate-limit-per-minute", "1000000000"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start cohort: {e}"));
        let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let mut lines = BufReader::new(stderr).lines();
        let address = loop {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("cohort exited before serving"))
                .unwrap_or_else(|e| panic!("{e}"));
            if let Some(rest) = line.strip_prefix("Cohort is serving on ") {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        };
        // Keep draining its log so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, address }
    }

    /// `kill -TERM`, then waits for the process to end (at most `patience`): its exit
    /// status, and how long it took.
    fn terminate(&mut self, patience: Duration) -> (std::process::ExitStatus, Duration) {
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
    fn kill(mut self) {
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
fn files_under(dir: &Path) -> Vec<PathBuf> {
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

async fn get(client: &reqwest::Client, token: &str, url: &str) -> (u16, Value) {
    let response = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_server_killed_during_an_export_leaves_no_partial_file_and_the_restart_finishes_it() {
    cohort_api::install_tls_provider();
    let (database, bot, token) = crash_fixture().await;
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
    let deadline = Instant::now() + Duration::from_secs(120);
    let rows_at_kill = loop {
        let (_, export) = get(&client, &token, &format!("{}{status_path}", server.address)).await;
        let rows = export["rows"].as_u64().unwrap_or_default();
        assert!(
            export["status"] == "queued" || export["status"] == "running",
            "the export ended before the test could kill the server; raise USERS: {export}"
        );
        if export["status"] == "running" && rows > 0 {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "the export never started: {export}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
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
    let deadline = Instant::now() + Duration::from_secs(180);
    let export = loop {
        let (_, export) = get(&client, &token, &status_url).await;
        if export["status"] != "queued" && export["status"] != "running" {
            break export;
        }
        assert!(
            Instant::now() < deadline,
            "the export never ended: {export}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
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

/// A test's data: a bot of `USERS` users and an API token of its workspace.
async fn crash_fixture() -> (TestDatabase, cohort_store::BotScope, String) {
    let database = TestDatabase::new()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let bot = database
        .new_bot("Crash")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    database
        .seed_users(bot, USERS)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let workspace = database
        .store
        .workspace_by_name("Test")
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let token = database
        .store
        .create_token(workspace)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    (database, bot, token)
}

#[tokio::test]
async fn sigterm_during_an_export_exits_cleanly_and_gives_the_job_back_for_a_restart_to_take_at_once()
 {
    cohort_api::install_tls_provider();
    let (database, bot, token) = crash_fixture().await;
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
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, export) = get(&client, &token, &format!("{}{status_path}", server.address)).await;
        assert!(
            export["status"] == "queued" || export["status"] == "running",
            "the export ended before the test could stop the server; raise USERS: {export}"
        );
        if export["status"] == "running" && export["rows"].as_u64().unwrap_or_default() > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the export never started: {export}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

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
    let deadline = Instant::now() + Duration::from_secs(180);
    let export = loop {
        let (_, export) = get(&client, &token, &status_url).await;
        if export["status"] != "queued" && export["status"] != "running" {
            break export;
        }
        assert!(
            Instant::now() < deadline,
            "the released export never ended: {export}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(export["status"], "succeeded", "{export}");
    assert_eq!(export["rows"], USERS);
    drop(server);
    let _ = std::fs::remove_dir_all(&export_dir);
}
