//! Opening the database: the connection pool with the right settings per engine, and
//! migrations.

use std::time::Duration;

use cohort_migrations::Migrator;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::StoreError;

/// The database behind Cohort: a pool of connections to SQLite or PostgreSQL.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
}

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`). For an SQLite file,
    /// creates its folder, and turns on WAL, foreign keys and a busy timeout.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
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
            });
        let db = Database::connect(options).await?;
        Ok(Self { db })
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
    async fn migrate_up(&self, steps: Option<u32>) -> Result<(), StoreError> {
        if self.backend() == DbBackend::Postgres {
            Migrator::up(&self.db, steps).await?;
            return Ok(());
        }
        let transaction = self.begin_write().await?;
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

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a transaction that reads before it writes cannot fail half-way on
    /// a snapshot another writer made stale.
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, StoreError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(self.db.begin_with_options(options).await?)
    }

    /// Runs statements in one write transaction, for tests and tools (benchmarks compare
    /// the store's work with hand-written SQL run this way).
    pub async fn execute_sql_transaction(&self, statements: &[String]) -> Result<(), StoreError> {
        let transaction = self.begin_write().await?;
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

/// The file behind an SQLite URL, when it names one.
fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}
