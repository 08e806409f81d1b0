//! Throwaway databases for tests: an SQLite file, or (with `COHORT_TEST_ENGINE=postgres`)
//! a fresh PostgreSQL database, migrated, and removed again when the guard drops.
//!
//! The whole suite runs once per engine by setting `COHORT_TEST_ENGINE`; PostgreSQL is
//! reached at `COHORT_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).

use std::sync::atomic::{AtomicU64, Ordering};

use rand::RngCore;

use crate::{Store, StoreError};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A migrated database that lives as long as this value.
pub struct TestDatabase {
    /// The database's URL.
    pub url: String,
    /// Connected and migrated.
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

/// The engine the tests run on: `sqlite` (default) or `postgres`.
pub fn engine() -> String {
    std::env::var("COHORT_TEST_ENGINE").unwrap_or_else(|_| "sqlite".to_owned())
}

impl TestDatabase {
    /// Creates and migrates a fresh database on the engine under test.
    pub async fn new() -> Result<Self, StoreError> {
        let database = Self::unmigrated().await?;
        database.store.migrate().await?;
        Ok(database)
    }

    /// Creates a fresh, empty database on the engine under test (for migration tests).
    pub async fn unmigrated() -> Result<Self, StoreError> {
        let unique = format!(
            "{}_{}_{:08x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            rand::rng().next_u32()
        );
        let (url, cleanup) = if engine() == "postgres" {
            let admin_url = std::env::var("COHORT_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
            let name = format!("cohort_test_{unique}");
            let admin = Store::connect(&admin_url).await?;
            admin
                .execute_sql(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.db.clone().close().await?;
            let base = admin_url
                .rsplit_once('/')
                .map_or(admin_url.as_str(), |(base, _)| base)
                .to_owned();
            (
                format!("{base}/{name}"),
                Cleanup::PostgresDatabase { admin_url, name },
            )
        } else {
            let path = std::env::temp_dir().join(format!("cohort_test_{unique}.db"));
            (
                format!("sqlite://{}?mode=rwc", path.display()),
                Cleanup::SqliteFile(path),
            )
        };
        let store = Store::connect(&url).await?;
        Ok(Self {
            url,
            store,
            cleanup,
        })
    }
}

impl TestDatabase {
    /// A new bot (default settings) in the workspace "Test".
    pub async fn new_bot(&self, name: &str) -> Result<crate::BotScope, StoreError> {
        let workspace = self.store.workspace_by_name("Test").await?;
        let request = cohort_core::api::CreateBot {
            name: name.to_owned(),
            session_timeout_secs: None,
        };
        let bot = self.store.create_bot(workspace, &request).await?;
        self.store.bot_scope(workspace, &bot.id).await
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                // Drop from a thread with its own runtime: this may run inside a runtime.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let Ok(runtime) = tokio_runtime() else { return };
                    runtime.block_on(async move {
                        if let Ok(admin) = Store::connect(&admin_url).await {
                            let _ = admin
                                .execute_sql(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

fn tokio_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}
