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

/// A request body as the core's check passes it on to the store; panics with the field
/// errors when the body is not valid, so a test states only valid bodies this way.
pub trait Checked {
    /// What the check returns.
    type Output;
    /// The checked value; panics on a field error.
    fn checked(&self) -> Self::Output;
}

/// A workspace name that passed `check_workspace_name`; panics when `raw` does not.
pub fn workspace_name(raw: &str) -> cohort_core::workspaces::WorkspaceName {
    must(cohort_core::workspaces::check_workspace_name(raw))
}

/// An admin that passed `check_admin`; panics when the email or password does not.
pub fn admin(email: &str, password: &str) -> cohort_core::workspaces::CheckedAdmin {
    must(cohort_core::workspaces::check_admin(email, password))
}

fn must<T>(checked: Result<T, Vec<cohort_core::api::FieldError>>) -> T {
    checked.unwrap_or_else(|errors| panic!("a test body fails its check: {errors:?}"))
}

impl Checked for cohort_core::api::CreateBot {
    type Output = cohort_core::bots::CheckedBot;
    fn checked(&self) -> Self::Output {
        must(cohort_core::bots::check_create_bot(self))
    }
}

impl Checked for cohort_core::api::UpdateBot {
    type Output = cohort_core::bots::CheckedBotChanges;
    fn checked(&self) -> Self::Output {
        must(cohort_core::bots::check_update_bot(self))
    }
}

impl Checked for cohort_core::api::UpsertUser {
    type Output = cohort_core::users::CheckedUpsert;
    fn checked(&self) -> Self::Output {
        must(cohort_core::users::check_upsert_user(self))
    }
}

impl Checked for cohort_core::api::UpdateUser {
    type Output = cohort_core::users::CheckedChanges;
    fn checked(&self) -> Self::Output {
        must(cohort_core::users::check_update_user(self))
    }
}

impl TestDatabase {
    /// A new bot (default settings) in the workspace "Test".
    pub async fn new_bot(&self, name: &str) -> Result<crate::BotScope, StoreError> {
        let workspace = self
            .store
            .workspace_by_name(&workspace_name("Test"), now())
            .await?;
        let request = cohort_core::api::CreateBot {
            name: name.to_owned(),
            session_timeout_secs: None,
        };
        let bot = self
            .store
            .create_bot(workspace, &request.checked(), now())
            .await?;
        self.store.bot_scope(workspace, &bot.id).await
    }
}

/// A `SELECT` of the column `n` = 1, 2, …, `count` on the engine under test, to seed rows
/// from in set-based SQL.
pub fn numbers_sql(count: impl std::fmt::Display) -> String {
    let backend = if engine() == "postgres" {
        sea_orm::DbBackend::Postgres
    } else {
        sea_orm::DbBackend::Sqlite
    };
    crate::numbers_sql(backend, count)
}

impl TestDatabase {
    /// Adds `users` users to `bot` by plain SQL, fast enough for benchmarks of millions:
    /// channel `web`, external id `u<n>`, names `User N<n>`, an email, stats (sessions
    /// `id % 7`, messages `id % 31`, …), the tags `alpha`, `beta` and `vip, gold`, and the
    /// attributes `app.plan`, `city`, `fav_food` and `score` (value `v<id>`). The caller
    /// runs `ANALYZE` when done seeding.
    pub async fn seed_users(&self, bot: crate::BotScope, users: u64) -> Result<(), StoreError> {
        let id = bot.bot_id();
        let numbers = numbers_sql(users);
        let statements = [
            format!(
                "INSERT INTO users (bot_id, channel, external_id, external_id_folded, first_name, last_name, first_name_folded, last_name_folded, name_folded, email, created_at, updated_at) SELECT {id}, 'web', 'u' || n, 'u' || n, 'User', 'N' || n, 'user', 'n' || n, 'user n' || n, 'user' || n || '@example.com', 1793491200000000 + n, 1793491200000000 + n FROM ({numbers}) AS numbers"
            ),
            format!(
                "UPDATE user_stats SET sessions = user_id % 7, messages_sent = user_id % 31, clicks = user_id % 5, time_spent_secs = user_id % 3600, average_sentiment = 0.25, last_message_at = 1793491200000000 + user_id WHERE bot_id = {id}"
            ),
            format!(
                "INSERT INTO tags (bot_id, name, name_folded, created_at) VALUES ({id}, 'alpha', 'alpha', 0), ({id}, 'beta', 'beta', 0), ({id}, 'vip, gold', 'vip, gold', 0) ON CONFLICT DO NOTHING"
            ),
            format!(
                "INSERT INTO user_tags (user_id, tag_id) SELECT u.id, t.id FROM users u CROSS JOIN tags t WHERE u.bot_id = {id} AND t.bot_id = {id} ON CONFLICT DO NOTHING"
            ),
            format!(
                "INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded, value_number) SELECT u.id, {id}, k.key, 'v' || u.id, 'v' || u.id, NULL FROM users u CROSS JOIN (SELECT 'app.plan' AS key UNION ALL SELECT 'city' UNION ALL SELECT 'fav_food' UNION ALL SELECT 'score') k WHERE u.bot_id = {id} ON CONFLICT DO NOTHING"
            ),
        ];
        for statement in statements {
            self.store.execute_sql(&statement).await?;
        }
        Ok(())
    }
}

impl TestDatabase {
    /// Adds `users` users to `bot` as `Store::seed_data_set_users` makes them (names,
    /// channels, tags and attributes, all a function of the user's id), then fakes their
    /// stats without events, spread by id: sessions 0–12, messages 0–39, and for the one
    /// in 40 with no messages no sentiment and no last message; average sentiment −1…1;
    /// last message within 90 days of `now` (µs).
    pub async fn seed_varied_users(
        &self,
        bot: crate::BotScope,
        users: u64,
        now: cohort_core::time::Micros,
    ) -> Result<(), StoreError> {
        self.store.seed_data_set_users(bot, users, now).await?;
        let id = bot.bot_id();
        let no_messages = "(user_id * 3) % 40 = 0";
        self.store
            .execute_sql(&format!(
                "UPDATE user_stats SET sessions = CASE WHEN {no_messages} THEN 0 ELSE (user_id * 7) % 13 END, \
                 messages_sent = (user_id * 3) % 40, clicks = user_id % 9, \
                 time_spent_secs = (user_id * 11) % 7200, time_spent_micros = ((user_id * 11) % 7200) * 1000000, \
                 average_sentiment = CASE WHEN {no_messages} THEN NULL ELSE ((user_id * 37) % 201 - 100) / 100.0 END, \
                 last_message_at = CASE WHEN {no_messages} THEN NULL ELSE {now} - ((user_id * 7919) % 7776000) * 1000000 END, \
                 last_event_at = {now} - ((user_id * 7919) % 7776000) * 1000000 \
                 WHERE bot_id = {id}"
            ))
            .await
    }
}

impl TestDatabase {
    /// PERF-NOTES' data set, scaled: `total` users in ten bots, `users` of them in the bot
    /// it returns ("Bench bot", seeded first), the rest shared by nine others, each user as
    /// `seed_varied_users` makes them; then what `cohort seed-data-set` does after loading
    /// (`Store::refresh_planner_statistics`). The largest bot is read out of tables that
    /// hold all ten.
    pub async fn seed_data_set(
        &self,
        users: u64,
        total: u64,
    ) -> Result<crate::BotScope, StoreError> {
        let now = now();
        let bot = self.new_bot("Bench bot").await?;
        self.seed_varied_users(bot, users, now).await?;
        let others = total.saturating_sub(users);
        for n in 0..9 {
            let other = self.new_bot(&format!("Other bot {n}")).await?;
            self.seed_varied_users(other, others / 9 + u64::from(n < others % 9), now)
                .await?;
        }
        self.store.refresh_planner_statistics().await?;
        Ok(bot)
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

/// The current time in microseconds, the `now` a handler would pass to the store.
pub fn now() -> cohort_core::time::Micros {
    cohort_core::time::to_micros(chrono::Utc::now())
}
