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
