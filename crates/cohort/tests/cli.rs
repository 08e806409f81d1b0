//! The `cohort` binary as an operator meets it: what it prints when the database cannot
//! be reached, and that a database password never appears in what it prints.

use std::process::Command;
use std::time::{Duration, Instant};

const URL_WITH_PASSWORD: &str = "postgres://app:S3cret@127.0.0.1:1/x";

fn cohort() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cohort"));
    command.env_remove("COHORT_DATABASE_URL");
    command
}

#[test]
fn a_refused_database_fails_at_once_saying_where_without_the_password() {
    for subcommand in [["migrate", ""], ["serve", "--bind=127.0.0.1:0"]] {
        let started = Instant::now();
        let output = cohort()
            .args(subcommand.iter().filter(|arg| !arg.is_empty()))
            .args(["--database-url", URL_WITH_PASSWORD])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let elapsed = started.elapsed();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!output.status.success(), "{subcommand:?}: {stderr}");
        assert!(
            elapsed < Duration::from_secs(5),
            "{subcommand:?} took {elapsed:?}: {stderr}"
        );
        assert!(
            stderr.contains("refused") && stderr.contains("127.0.0.1:1"),
            "{subcommand:?}: {stderr}"
        );
        assert!(
            stderr.contains("postgres://app:***@127.0.0.1:1/x"),
            "{subcommand:?}: {stderr}"
        );
        assert!(
            !stderr.contains("S3cret") && !stdout.contains("S3cret"),
            "{subcommand:?}: {stderr}"
        );
    }
}

#[test]
fn help_does_not_show_the_database_url_from_the_environment() {
    let output = cohort()
        .arg("--help")
        .env("COHORT_DATABASE_URL", URL_WITH_PASSWORD)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(text.contains("COHORT_DATABASE_URL"), "{text}");
    assert!(!text.contains("S3cret"), "{text}");
}

#[test]
fn json_logs_are_one_object_a_line_and_carry_the_request_id() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = std::env::temp_dir().join(format!("cohort-json-logs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut child = cohort()
        .args(["serve", "--bind", "127.0.0.1:0", "--log-format", "json"])
        .arg("--database-url")
        .arg(format!("sqlite://{}/logs.db?mode=rwc", dir.display()))
        .arg("--static-dir")
        .arg(dir.join("no-spa"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = Vec::new();
    let address = loop {
        let Some(Ok(line)) = lines.next() else {
            panic!("the server stopped: {seen:?}");
        };
        seen.push(line.clone());
        if let Some(at) = line.find("serving on http://") {
            let rest = &line[at + "serving on http://".len()..];
            break rest.split(' ').next().unwrap_or_default().to_owned();
        }
    };
    let mut stream = std::net::TcpStream::connect(&address).unwrap_or_else(|e| panic!("{e}"));
    stream
        .write_all(b"GET /api/v1/bots HTTP/1.1\r\nHost: cohort\r\nX-Request-Id: rid-json-1\r\nConnection: close\r\n\r\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(answer.contains("x-request-id: rid-json-1"), "{answer}");
    // The access log line of that request.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !seen.iter().any(|line| line.contains("rid-json-1")) && Instant::now() < deadline {
        match lines.next() {
            Some(Ok(line)) => seen.push(line),
            _ => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        seen.iter().any(|line| line.contains("rid-json-1")),
        "{seen:#?}"
    );
    for line in &seen {
        let parsed: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(parsed["level"].is_string(), "{line}");
    }
}

/// A whole HTTP/1.1 GET over a plain socket: the answer's text.
fn http_get(address: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("{e}"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: cohort\r\nConnection: close\r\n\r\n"
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .unwrap_or_else(|e| panic!("{e}"));
    answer
}

#[test]
fn metrics_listen_serves_prometheus_text_on_its_own_address() {
    use std::io::{BufRead, BufReader};
    let dir = std::env::temp_dir().join(format!("cohort-metrics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut child = cohort()
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--metrics-listen",
            "127.0.0.1:0",
        ])
        .arg("--database-url")
        .arg(format!("sqlite://{}/metrics.db?mode=rwc", dir.display()))
        .arg("--static-dir")
        .arg(dir.join("no-spa"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = Vec::new();
    let (mut api, mut metrics) = (None, None);
    while api.is_none() || metrics.is_none() {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("the server stopped: {seen:?}");
        };
        let address_after = |marker: &str| {
            line.find(marker).map(|at| {
                line[at + marker.len()..]
                    .split([' ', '/'])
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        };
        api = api.or_else(|| address_after("serving on http://"));
        metrics = metrics.or_else(|| address_after("Metrics are served on http://"));
        seen.push(line);
    }
    std::thread::spawn(move || lines.for_each(drop));
    let (api, metrics) = (api.unwrap_or_default(), metrics.unwrap_or_default());
    assert_ne!(api, metrics);
    let answer = http_get(&api, "/api/v1/bots");
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    let text = http_get(&metrics, "/metrics");
    // The API itself does not serve them.
    let on_api = http_get(&api, "/metrics");
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(
        text.contains(
            "cohort_http_requests_total{method=\"GET\",route=\"/api/v1/bots\",status=\"401\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("cohort_jobs{state=\"queued\"} 0"), "{text}");
    assert!(!on_api.contains("cohort_jobs"), "{on_api}");
}
