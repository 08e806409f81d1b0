//! Opening the database: the connection pool with the right settings per engine, and
//! migrations.

use std::sync::Arc;
use std::time::Duration;

use cohort_migrations::Migrator;
use sea_orm::sqlx::postgres::PgConnectOptions;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::StoreError;
use crate::planner::PlannerStatistics;

/// How long a write transaction waits for its turn in SQLite's writer queue before it
/// gives up with `StoreError::Busy` (as long as SQLite's own busy timeout).
pub const DEFAULT_WRITE_WAIT: Duration = Duration::from_secs(10);

/// How often PostgreSQL checks, while a statement runs, that the server that sent it is
/// still connected, in milliseconds (`client_connection_check_interval`, PostgreSQL 14+).
const CLIENT_CHECK_INTERVAL_MS: u64 = 1_000;

/// The PostgreSQL advisory lock a migration holds (see `Store::migrate_up`): "cohort" in
/// ASCII, so that it stays clear of locks other applications on the database take.
const MIGRATION_LOCK: i64 = 0x636f_686f_7274;

/// The database behind Cohort: a pool of connections to SQLite or PostgreSQL.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    /// SQLite's writer queue: one turn, taken first come first served by every write of
    /// this process (a transaction for its whole life, a single statement while it runs). SQLite has one writer at a time;
    /// without the queue, writers that find the lock taken poll it with sleeps, so a
    /// stream of short ingests could starve a bulk action or the other way round, and a
    /// writer that polled past the busy timeout failed. `None` on PostgreSQL, whose row
    /// locks let writers run side by side.
    writer: Option<Arc<Semaphore>>,
    /// How long a write waits for its turn (see `DEFAULT_WRITE_WAIT`).
    write_wait: Duration,
    /// How many rows changed since the planner's statistics were last refreshed
    /// (`planner.rs`); shared by the clones of this store.
    pub(crate) planner: Arc<PlannerStatistics>,
}

/// A turn in SQLite's writer queue (nothing on PostgreSQL), held by a write transaction
/// until it is committed or rolled back; dropping it lets the next writer in.
#[must_use = "the turn must outlive its transaction"]
pub(crate) struct WriterTurn {
    _permit: Option<OwnedSemaphorePermit>,
}

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`). For an SQLite file,
    /// creates its folder, and turns on WAL, foreign keys and a busy timeout.
    ///
    /// A PostgreSQL server that cannot be reached fails at once with
    /// `StoreError::Unreachable`, saying why (refused, unknown host, wrong password…) and
    /// where, never with the URL's password: the pool alone would retry a refused
    /// connection until its acquire timeout and then only say "pool timed out".
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres") {
            check_postgres_reachable(url).await?;
        }
        if let Some(path) = sqlite_file_path(url)
            && let Some(parent) = std::path::Path::new(&path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|error| {
                StoreError::Database(sea_orm::DbErr::Custom(format!(
                    "cannot create the database folder {}: {error}",
                    parent.display()
                )))
            })?;
        }
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(if url.starts_with("sqlite") { 8 } else { 16 })
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|sqlite: SqliteConnectOptions| {
                sqlite
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
            })
            .map_sqlx_postgres_opts(|postgres: PgConnectOptions| {
                // PostgreSQL notices a vanished client only when it next writes to it:
                // without this, a statement of a server killed mid-bulk-action runs on
                // to its end, holding its locks, and the restarted server waits for it.
                // JIT compiles a plan whose estimated cost passes `jit_above_cost`, which
                // a search over a 300,000-user bot's tags and attributes does: 0.2 s of
                // compiling for a query that then runs in 0.1-0.3 s (`benches/load.rs`).
                // Cohort's queries are short and many; none gains from it.
                postgres.options([
                    (
                        "client_connection_check_interval",
                        CLIENT_CHECK_INTERVAL_MS.to_string(),
                    ),
                    ("jit", "off".to_owned()),
                ])
            });
        let db = Database::connect(options).await?;
        let writer =
            (db.get_database_backend() == DbBackend::Sqlite).then(|| Arc::new(Semaphore::new(1)));
        Ok(Self {
            db,
            writer,
            write_wait: DEFAULT_WRITE_WAIT,
            planner: Arc::default(),
        })
    }

    /// The same store with another wait for a turn in the writer queue (see
    /// `DEFAULT_WRITE_WAIT`); for tests.
    #[must_use]
    pub fn with_write_wait(mut self, wait: Duration) -> Self {
        self.write_wait = wait;
        self
    }

    /// Takes the writer queue's turn and keeps it until the permit is dropped, as a long
    /// write transaction would; `None` on PostgreSQL, which has no queue. For tests.
    #[cfg(feature = "testing")]
    pub async fn hold_writer_turn(&self) -> Option<OwnedSemaphorePermit> {
        match &self.writer {
            Some(writer) => Arc::clone(writer).acquire_owned().await.ok(),
            None => None,
        }
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.migrate_up(None).await
    }

    /// Applies the first `steps` pending migrations only (for migration tests).
    #[cfg(feature = "testing")]
    pub async fn migrate_steps(&self, steps: u32) -> Result<(), StoreError> {
        self.migrate_up(Some(steps)).await
    }

    /// Runs pending migrations. PostgreSQL runs each in its own transaction. On SQLite,
    /// where sea-orm-migration would send each statement to any connection of the pool
    /// (and one holding an older snapshot then failed a `DROP COLUMN` with "no such
    /// column" now and then), they all run in one write transaction on one connection.
    ///
    /// Instances that start together on one database must not migrate it at once (on
    /// PostgreSQL the second failed on a duplicate `pg_type` row while both created the
    /// migrations table): on PostgreSQL all pending migrations run in one transaction that
    /// first takes the advisory lock `MIGRATION_LOCK`, so the others wait for it and then
    /// find nothing pending; on SQLite `BEGIN IMMEDIATE` serialises processes the same way.
    async fn migrate_up(&self, steps: Option<u32>) -> Result<(), StoreError> {
        if self.backend() == DbBackend::Postgres {
            let transaction = self.db.begin().await?;
            transaction
                .execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                .await?;
            Migrator::up(&transaction, steps).await?;
            transaction.commit().await?;
            return Ok(());
        }
        let (_turn, transaction) = self.begin_write().await?;
        Migrator::up(&transaction, steps).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Runs a query whose first row's first column is an integer (a count, say), for tests.
    #[cfg(feature = "testing")]
    pub async fn query_i64(&self, sql: &str) -> Result<i64, StoreError> {
        let row = self
            .db
            .query_one_raw(Statement::from_string(self.backend(), sql.to_owned()))
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row.try_get_by_index::<i64>(0)?)
    }

    /// Runs a query and reads every row it returns, for benchmarks that time plain SQL;
    /// answers how many rows there were.
    #[cfg(feature = "testing")]
    pub async fn query_rows(&self, sql: &str) -> Result<usize, StoreError> {
        let rows = self
            .db
            .query_all_raw(Statement::from_string(self.backend(), sql.to_owned()))
            .await?;
        Ok(rows.len())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    /// How many write transactions are worth running at once: PostgreSQL commits
    /// concurrent transactions together (one WAL flush for several); SQLite has a single
    /// writer, so more only queue on its lock.
    pub fn useful_concurrent_writes(&self) -> usize {
        match self.backend() {
            DbBackend::Postgres => 8,
            _ => 1,
        }
    }

    /// The engine in use.
    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Waits for this process's turn to write (SQLite's writer queue; at once on
    /// PostgreSQL), at most `write_wait`, then `StoreError::Busy`. Every write takes it:
    /// a write transaction through `begin_write`, a single statement on `self.db` by
    /// holding it while the statement runs. A write that bypassed the queue would meet
    /// SQLite's lock with sleeps and polls, and starve behind a stream of queued ones.
    /// Never wait for a turn while holding one: the turn is not reentrant.
    pub(crate) async fn writer_turn(&self) -> Result<WriterTurn, StoreError> {
        let permit = match &self.writer {
            Some(writer) => {
                let waiting = Arc::clone(writer).acquire_owned();
                match tokio::time::timeout(self.write_wait, waiting).await {
                    Ok(Ok(permit)) => Some(permit),
                    // The semaphore is never closed; treat it as busy all the same.
                    Ok(Err(_)) | Err(_) => return Err(StoreError::Busy),
                }
            }
            None => None,
        };
        Ok(WriterTurn { _permit: permit })
    }

    /// Starts a write transaction: waits for the writer's turn (`writer_turn`), then on
    /// SQLite takes the write lock at once (`BEGIN IMMEDIATE`), so a transaction that
    /// reads before it writes cannot fail half-way on a snapshot another writer made
    /// stale. Bind the turn before the transaction, `let (_turn, transaction) = …`, so
    /// that the transaction is rolled back (if not committed) before the turn is given up.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<(WriterTurn, DatabaseTransaction), StoreError> {
        let turn = self.writer_turn().await?;
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let transaction = self.db.begin_with_options(options).await?;
        Ok((turn, transaction))
    }

    /// Runs statements in one write transaction, for tests and tools (benchmarks compare
    /// the store's work with hand-written SQL run this way).
    pub async fn execute_sql_transaction(&self, statements: &[String]) -> Result<(), StoreError> {
        let (_turn, transaction) = self.begin_write().await?;
        for statement in statements {
            transaction
                .execute_raw(Statement::from_string(self.backend(), statement.clone()))
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Runs a statement that returns nothing, for tests and tools.
    pub async fn execute_sql(&self, sql: &str) -> Result<(), StoreError> {
        self.db
            .execute_raw(Statement::from_string(self.backend(), sql.to_owned()))
            .await?;
        Ok(())
    }
}

/// How many times a write transaction runs at most when it loses a race.
pub(crate) const MAX_WRITE_ATTEMPTS: u32 = 6;

impl Store {
    /// Runs `transaction` (a whole write transaction, begun and committed inside it) and
    /// reruns it, up to `MAX_WRITE_ATTEMPTS` times with a growing, jittered pause, when it
    /// lost a race another transaction won: a deadlock (PostgreSQL 40P01), a
    /// serialization failure (40001), a foreign key that vanished between a lookup and an
    /// insert because a concurrent delete committed (23503), SQLite's busy lock, or a race
    /// the transaction itself saw it lost (`StoreError::LostRace`). A
    /// failed attempt rolled back whole, so a rerun starts from what is committed now.
    pub(crate) async fn retrying<T, F, Fut>(&self, mut transaction: F) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, StoreError>>,
    {
        let mut attempt = 1;
        loop {
            match transaction().await {
                Err(error) if attempt < MAX_WRITE_ATTEMPTS && lost_a_race(&error) => {
                    tracing::info!(attempt, error = %error_code(&error).unwrap_or_else(|| error.to_string()), "a write transaction lost a race; running it again");
                    tokio::time::sleep(retry_pause(attempt)).await;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }
}

/// The pause before attempt `attempt + 1`: 5 ms doubling each time (up to 160 ms), times a
/// random factor between ½ and 1, so racing transactions do not meet again in step.
fn retry_pause(attempt: u32) -> Duration {
    use rand::Rng;
    let base = 5_u64 << attempt.min(5);
    let jittered = rand::rng().random_range(base / 2..=base);
    Duration::from_millis(jittered)
}

/// The SQLSTATE (PostgreSQL) or result code (SQLite) of a database error.
fn error_code(error: &StoreError) -> Option<String> {
    use sea_orm::{DbErr, RuntimeErr};
    let StoreError::Database(
        DbErr::Exec(RuntimeErr::SqlxError(cause))
        | DbErr::Query(RuntimeErr::SqlxError(cause))
        | DbErr::Conn(RuntimeErr::SqlxError(cause)),
    ) = error
    else {
        return None;
    };
    cause
        .as_database_error()
        .and_then(|database| database.code())
        .map(|code| code.into_owned())
}

/// Whether `error` means the transaction lost a race and may simply run again.
pub(crate) fn lost_a_race(error: &StoreError) -> bool {
    matches!(error, StoreError::LostRace(_))
        || matches!(
            error_code(error).as_deref(),
            // PostgreSQL: deadlock, serialization failure, foreign key violation.
            Some("40P01" | "40001" | "23503")
        // SQLite: SQLITE_BUSY and its extended codes (the busy timeout ran out).
        | Some("5" | "261" | "517" | "773")
        )
}

/// How long the first connection to PostgreSQL may take before `connect` gives up.
const FIRST_CONNECTION_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (and closes) one connection to PostgreSQL outside the pool, to report why it
/// fails, at once.
async fn check_postgres_reachable(url: &str) -> Result<(), StoreError> {
    use sea_orm::sqlx::Connection;
    use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection};
    let shown = redact_url(url);
    let options = url.parse::<PgConnectOptions>().map_err(|error| {
        StoreError::Unreachable(format!(
            "the database URL {shown} is not valid: {}",
            redact_in(&error.to_string(), url)
        ))
    })?;
    let place = format!("{}:{}", options.get_host(), options.get_port());
    let attempt = tokio::time::timeout(
        FIRST_CONNECTION_TIMEOUT,
        PgConnection::connect_with(&options),
    )
    .await;
    let error = match attempt {
        Ok(Ok(connection)) => {
            // Closing politely can only fail if the server went away; the pool finds out.
            let _ = connection.close().await;
            return Ok(());
        }
        Ok(Err(error)) => error,
        Err(_) => {
            return Err(StoreError::Unreachable(format!(
                "the database server at {place} did not answer within {} s ({shown})",
                FIRST_CONNECTION_TIMEOUT.as_secs()
            )));
        }
    };
    let reason = match &error {
        sea_orm::sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("the database server at {place} refused the connection")
        }
        sea_orm::sqlx::Error::Io(io) => {
            format!("cannot reach the database server at {place}: {io}")
        }
        other => format!(
            "cannot connect to the database at {place}: {}",
            redact_in(&other.to_string(), url)
        ),
    };
    Err(StoreError::Unreachable(format!("{reason} ({shown})")))
}

/// `url` with its password (in the user info or a `password`/`sslpassword` parameter)
/// replaced by `***`, for every place a database URL is shown: errors, logs, help.
pub fn redact_url(url: &str) -> String {
    let (before_query, query) = match url.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (url, None),
    };
    let mut shown = match before_query.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            match authority.rsplit_once('@') {
                Some((user_info, host)) => {
                    let user = match user_info.split_once(':') {
                        Some((user, _password)) => format!("{user}:***"),
                        None => user_info.to_owned(),
                    };
                    format!("{scheme}://{user}@{host}{path}")
                }
                None => before_query.to_owned(),
            }
        }
        None => before_query.to_owned(),
    };
    if let Some(query) = query {
        let parameters: Vec<String> = query
            .split('&')
            .map(|parameter| match parameter.split_once('=') {
                Some((name, _)) if is_secret_parameter(name) => format!("{name}=***"),
                _ => parameter.to_owned(),
            })
            .collect();
        shown.push('?');
        shown.push_str(&parameters.join("&"));
    }
    shown
}

fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("password") || name == "pass" || name == "secret"
}

/// `text` with every password of `url` (as written, and percent-decoded) replaced by `***`,
/// for error messages from drivers that might quote it.
pub fn redact_in(text: &str, url: &str) -> String {
    let mut redacted = text.to_owned();
    for secret in url_secrets(url) {
        if secret.len() >= 3 {
            redacted = redacted.replace(&secret, "***");
        }
    }
    redacted
}

/// The passwords written in `url`, as written and percent-decoded.
fn url_secrets(url: &str) -> Vec<String> {
    let mut secrets = Vec::new();
    let (before_query, query) = url.split_once('?').unwrap_or((url, ""));
    if let Some((_, rest)) = before_query.split_once("://") {
        let authority = rest.split('/').next().unwrap_or_default();
        if let Some((user_info, _)) = authority.rsplit_once('@')
            && let Some((_, password)) = user_info.split_once(':')
        {
            secrets.push(password.to_owned());
        }
    }
    for parameter in query.split('&') {
        if let Some((name, value)) = parameter.split_once('=')
            && is_secret_parameter(name)
        {
            secrets.push(value.to_owned());
        }
    }
    let decoded: Vec<String> = secrets
        .iter()
        .map(|secret| percent_decode(secret))
        .collect();
    secrets.extend(decoded);
    secrets
}

/// `%XX` sequences decoded (invalid UTF-8 replaced).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The file behind an SQLite URL, when it names one.
fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_urls_keep_everything_but_the_password() {
        let check = |url: &str, expected: &str| assert_eq!(redact_url(url), expected);
        check(
            "postgres://app:S3cret@127.0.0.1:1/x",
            "postgres://app:***@127.0.0.1:1/x",
        );
        check(
            "postgres://app:p%40ss@db.internal/cohort?sslmode=require&password=two",
            "postgres://app:***@db.internal/cohort?sslmode=require&password=***",
        );
        check("postgres://app@db/cohort", "postgres://app@db/cohort");
        check("postgresql://a:b:c@h/d", "postgresql://a:***@h/d");
        check(
            "sqlite://data/cohort.db?mode=rwc",
            "sqlite://data/cohort.db?mode=rwc",
        );
    }

    /// A transaction that saw it lost a race runs again, up to `MAX_WRITE_ATTEMPTS` times
    /// in all; any other failure is returned at once.
    #[tokio::test]
    async fn a_lost_race_runs_the_transaction_again_and_other_failures_do_not() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let store = Store::connect("sqlite::memory:")
            .await
            .unwrap_or_else(|error| panic!("an in-memory SQLite store: {error:?}"));
        let attempts = AtomicU32::new(0);
        let won_on_third = store
            .retrying(|| async {
                match attempts.fetch_add(1, Ordering::SeqCst) {
                    0 | 1 => Err(StoreError::LostRace("2 users deleted".to_owned())),
                    _ => Ok("written"),
                }
            })
            .await;
        assert_eq!(won_on_third.ok(), Some("written"));
        assert_eq!(attempts.load(Ordering::SeqCst), 3);

        attempts.store(0, Ordering::SeqCst);
        let always_lost: Result<(), _> = store
            .retrying(|| async {
                attempts.fetch_add(1, Ordering::SeqCst);
                Err(StoreError::LostRace("1 user deleted".to_owned()))
            })
            .await;
        assert!(matches!(always_lost, Err(StoreError::LostRace(_))));
        assert_eq!(attempts.load(Ordering::SeqCst), MAX_WRITE_ATTEMPTS);

        attempts.store(0, Ordering::SeqCst);
        let broken: Result<(), _> = store
            .retrying(|| async {
                attempts.fetch_add(1, Ordering::SeqCst);
                Err(StoreError::Database(sea_orm::DbErr::Custom(
                    "broken".to_owned(),
                )))
            })
            .await;
        assert!(matches!(broken, Err(StoreError::Database(_))));
        assert_eq!(attempts.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn passwords_are_removed_from_any_text_as_written_and_decoded() {
        let url = "postgres://app:p%40ssw0rd@h/d";
        assert_eq!(
            redact_in("failed for p@ssw0rd and p%40ssw0rd", url),
            "failed for *** and ***"
        );
    }
}
