//! The `cohort` command: `serve` (API + SPA on one port), `migrate`, `admin create`,
//! `token create`, `seed`.

mod demo;
mod seed;

use std::net::TcpListener;
use std::num::NonZeroU32;
use std::path::PathBuf;

use anyhow::Context;
use chrono::Utc;
use clap::{Parser, Subcommand};
use cohort_api::{AppState, ExportFiles, RateLimit, Spa};
use cohort_core::time::to_micros;
use cohort_core::workspaces::{check_admin, check_workspace_name};
use cohort_store::{AdminWrite, Store, StoreError};

/// How long `serve` waits, once the server has stopped, for the background-job worker to
/// give its job back and end.
const WORKER_STOP_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// The default database: an SQLite file under `./data/`.
const DEFAULT_DATABASE_URL: &str = "sqlite://data/cohort.db?mode=rwc";

#[derive(Debug, Parser)]
#[command(
    name = "cohort",
    version,
    about = "Cohort: the users back office of a chatbot platform"
)]
struct Cli {
    /// Database URL: `sqlite://path?mode=rwc` or `postgres://user@host/db`. Wherever it
    /// is shown (errors, logs, `--help`), its password is redacted.
    #[arg(long, global = true, env = "COHORT_DATABASE_URL", hide_env_values = true, default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
    /// How log lines are written to standard error: `text` for people, `json` (one object
    /// per line, with the request's span and its id) for log collectors.
    #[arg(long, global = true, env = "COHORT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

/// The format of log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrates the database, then serves the API and the SPA on one port.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "COHORT_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Fill an empty database with a demo workspace, bot and users, and print an API
        /// token and the demo admin's sign-in (password from `COHORT_DEMO_PASSWORD`, else
        /// made up).
        #[arg(long, env = "COHORT_DEMO")]
        demo: bool,
        /// Folder of the built SPA, or `embedded` for the copy built into this binary.
        #[arg(long, env = "COHORT_STATIC_DIR", default_value = "embedded")]
        static_dir: PathBuf,
        /// Where export files are kept: a folder, or `s3://bucket/prefix` (with the usual
        /// `AWS_*` variables; `?endpoint=http://host:port` for an S3-compatible server)
        /// when several instances serve one database. Default: `exports/` beside the
        /// SQLite file, else `./data/exports`.
        #[arg(long, env = "COHORT_EXPORT_STORE")]
        export_store: Option<String>,
        /// How many days a finished export's file is kept before the worker deletes it.
        #[arg(long, env = "COHORT_EXPORT_TTL_DAYS", default_value_t = 7)]
        export_ttl_days: u64,
        /// Seconds a background job (Refresh Stats, an export) stays claimed by an instance
        /// that stopped heartbeating (crashed, killed) before another instance takes it over.
        #[arg(long, env = "COHORT_JOB_LEASE_SECS", default_value_t = 30,
              value_parser = clap::value_parser!(u64).range(2..=3600))]
        job_lease_secs: u64,
        /// Fair use: requests a minute each API token and each admin session may send on
        /// average; past it (and its burst) the API answers 429 with `Retry-After`.
        #[arg(long, env = "COHORT_RATE_LIMIT_PER_MINUTE", default_value_t = 1200,
              value_parser = clap::value_parser!(u32).range(1..))]
        rate_limit_per_minute: u32,
        /// Fair use: requests a token or session may send at once before the per-minute
        /// rate applies. Default: the per-minute number.
        #[arg(long, env = "COHORT_RATE_LIMIT_BURST",
              value_parser = clap::value_parser!(u32).range(1..))]
        rate_limit_burst: Option<u32>,
        /// Address to serve Prometheus metrics on (`GET /metrics`: requests by route and
        /// status, latencies, the job queue, the connection pool), apart from the API.
        /// Off unless given.
        #[arg(long, env = "COHORT_METRICS_LISTEN")]
        metrics_listen: Option<String>,
    },
    /// Brings the database schema up to date.
    Migrate,
    /// Admins, who sign in to the app.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Fills a bot with synthetic users and chat events, for benchmarks.
    Seed {
        /// The bot's name (created if the workspace has no bot of that name).
        #[arg(long)]
        bot: String,
        /// How many users.
        #[arg(long)]
        users: usize,
        /// How many events (messages and clicks) each user sends.
        #[arg(long, default_value_t = 20)]
        events_per_user: usize,
        /// The workspace's name (created if needed).
        #[arg(long, default_value = demo::DEMO_WORKSPACE)]
        workspace: String,
    },
    /// Fills bots "Data set 1" … with PERF-NOTES' data set for benchmarks at scale (by
    /// set-based SQL; stats rebuilt from the events). Bots that already have users are
    /// left alone.
    SeedDataSet {
        /// How many users in all.
        #[arg(long, default_value_t = 1_000_000)]
        users: u64,
        /// How many bots share them.
        #[arg(long, default_value_t = 10)]
        bots: u32,
        /// How many users the largest bot ("Data set 1") holds.
        #[arg(long, default_value_t = 300_000)]
        largest: u64,
        /// How many events (messages and clicks) each user sends.
        #[arg(long, default_value_t = 20)]
        events_per_user: u64,
        /// The workspace's name (created if needed).
        #[arg(long, default_value = "Data set")]
        workspace: String,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Prints a new API token for a workspace (created if needed). The token is shown once.
    Create {
        /// The workspace's name.
        #[arg(long)]
        workspace: String,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Creates an admin of a workspace (created if needed), or sets an existing admin's
    /// password. The password comes from `COHORT_ADMIN_PASSWORD`, else from the terminal.
    Create {
        /// The workspace's name.
        #[arg(long)]
        workspace: String,
        /// The admin's email, which they sign in with.
        #[arg(long)]
        email: String,
    },
}

/// The new admin's password: `COHORT_ADMIN_PASSWORD`, else asked on the terminal without
/// echo, else (no terminal) the first line of standard input.
fn admin_password(email: &str) -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("COHORT_ADMIN_PASSWORD") {
        return Ok(password);
    }
    if let Ok(password) = rpassword::prompt_password(format!("Password for {email}: ")) {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The default folder of export files: `exports/` beside an SQLite database file, else
/// `./data/exports`.
fn default_export_dir(database_url: &str) -> PathBuf {
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or_default())
        .filter(|path| !path.is_empty() && *path != ":memory:");
    match path.and_then(|path| std::path::Path::new(path).parent()) {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join("exports"),
        Some(_) => PathBuf::from("exports"),
        None => PathBuf::from("data/exports"),
    }
}

/// The fair-use quota from the command line (clap has refused zeros already).
fn rate_limit(per_minute: u32, burst: Option<u32>) -> RateLimit {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    RateLimit {
        per_minute,
        burst: burst.and_then(NonZeroU32::new).unwrap_or(per_minute),
    }
}

/// `error: cause: cause …` in one line.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
    cohort_api::install_tls_provider();
    let shown_url = cohort_store::redact_url(&cli.database_url);
    // The store's own errors never quote the password; the driver's might, so the
    // message is scrubbed too.
    let store = Store::connect(&cli.database_url).await.map_err(|error| {
        anyhow::anyhow!(
            "cannot open the database at {shown_url}: {}",
            cohort_store::redact_in(&error_chain(&error), &cli.database_url)
        )
    })?;
    store.migrate().await.map_err(|error| {
        anyhow::anyhow!(
            "cannot migrate the database at {shown_url}: {}",
            cohort_store::redact_in(&error_chain(&error), &cli.database_url)
        )
    })?;
    match cli.command {
        Command::Migrate => {
            eprintln!("The database is up to date.");
        }
        Command::Admin {
            command: AdminCommand::Create { workspace, email },
        } => {
            let password = admin_password(&email)?;
            let now = to_micros(Utc::now());
            let name = check_workspace_name(&workspace).map_err(StoreError::Invalid)?;
            let admin = check_admin(&email, &password).map_err(StoreError::Invalid)?;
            let email = &admin.email;
            let scope = store.workspace_by_name(&name, now).await?;
            match store.set_admin_password(scope, &admin, now).await? {
                AdminWrite::Created => {
                    eprintln!("Created admin {email} in workspace \"{workspace}\".");
                }
                AdminWrite::PasswordChanged => {
                    eprintln!("Admin {email} existed; their password is the new one now.");
                }
            }
        }
        Command::Token {
            command: TokenCommand::Create { workspace },
        } => {
            let now = to_micros(Utc::now());
            let name = check_workspace_name(&workspace).map_err(StoreError::Invalid)?;
            let scope = store.workspace_by_name(&name, now).await?;
            println!("{}", store.create_token(scope, now).await?);
        }
        Command::Seed {
            bot,
            users,
            events_per_user,
            workspace,
        } => {
            seed::seed(
                &store,
                &seed::Seed {
                    workspace: &workspace,
                    bot: &bot,
                    users,
                    events_per_user,
                },
            )
            .await
            .context("cannot seed")?;
        }
        Command::SeedDataSet {
            users,
            bots,
            largest,
            events_per_user,
            workspace,
        } => {
            seed::seed_data_set(
                &store,
                &seed::DataSet {
                    workspace: &workspace,
                    bots,
                    users,
                    largest: if bots == 1 { users } else { largest.min(users) },
                    events_per_user,
                },
            )
            .await
            .context("cannot seed the data set")?;
        }
        Command::Serve {
            bind,
            demo,
            static_dir,
            export_store,
            export_ttl_days,
            job_lease_secs,
            rate_limit_per_minute,
            rate_limit_burst,
            metrics_listen,
        } => {
            let export_location = export_store
                .unwrap_or_else(|| default_export_dir(&cli.database_url).display().to_string());
            let exports = ExportFiles::from_url(&export_location)
                .with_context(|| {
                    format!(
                        "cannot open the export store {}",
                        cohort_store::redact_url(&export_location)
                    )
                })?
                .with_ttl(std::time::Duration::from_secs(
                    export_ttl_days.saturating_mul(24 * 3600),
                ));
            let listener =
                TcpListener::bind(&bind).with_context(|| format!("cannot listen on {bind}"))?;
            let address = listener.local_addr()?;
            let metrics_listener = metrics_listen
                .map(|metrics_bind| {
                    TcpListener::bind(&metrics_bind)
                        .with_context(|| format!("cannot listen on {metrics_bind} for metrics"))
                })
                .transpose()?;
            if demo {
                demo::fill(&store, &format!("http://{address}/"))
                    .await
                    .context("cannot fill the demo data")?;
            }
            // The planner's statistics, fresh from the start: a database loaded by another
            // tool or an older version may never have been analysed. In the background.
            let analysing = store.clone();
            tokio::spawn(async move {
                if let Err(error) = analysing.refresh_planner_statistics().await {
                    tracing::warn!(error = %error, "refreshing the planner's statistics failed");
                }
            });
            let serving = format!(
                "Cohort is serving on http://{address} (API docs at http://{address}/docs/)"
            );
            match cli.log_format {
                LogFormat::Text => eprintln!("{serving}"),
                LogFormat::Json => tracing::info!("{serving}"),
            }
            let spa = if static_dir.as_os_str() == "embedded" {
                Spa::Embedded
            } else {
                Spa::Folder(static_dir)
            };
            let state = AppState::new(store, spa, exports)
                .with_job_lease(std::time::Duration::from_secs(job_lease_secs))
                .with_rate_limit(rate_limit(rate_limit_per_minute, rate_limit_burst));
            let metrics_server = match metrics_listener {
                Some(metrics_listener) => {
                    let metrics_address = metrics_listener.local_addr()?;
                    let metrics_server = cohort_api::serve_metrics(
                        metrics_listener,
                        state.metrics.clone(),
                        state.store.clone(),
                    )?;
                    let serving = format!("Metrics are served on http://{metrics_address}/metrics");
                    match cli.log_format {
                        LogFormat::Text => eprintln!("{serving}"),
                        LogFormat::Json => tracing::info!("{serving}"),
                    }
                    Some(metrics_server)
                }
                None => None,
            };
            // Both servers stop on SIGTERM or SIGINT (actix listens for them): on SIGTERM
            // after the requests in flight are answered. The worker hears them too and
            // gives its job back to the queue.
            let (server, worker) = cohort_api::serve_with_worker(listener, state)?;
            let metrics = async {
                match metrics_server {
                    Some(metrics_server) => metrics_server.await,
                    None => Ok(()),
                }
            };
            let (served, metrics_served) = tokio::join!(server, metrics);
            // Also when the server ended without a signal; a job's release is one UPDATE
            // after its work is dropped.
            if !worker.stop(WORKER_STOP_PATIENCE).await {
                tracing::warn!(
                    "the background job worker did not stop in time; its job is taken over once its lease runs out"
                );
            }
            served?;
            metrics_served?;
        }
    }
    Ok(())
}
