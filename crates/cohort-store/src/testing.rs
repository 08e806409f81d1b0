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
    if engine() == "postgres" {
        format!("SELECT n FROM generate_series(1, {count}) AS n")
    } else {
        format!(
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count}) SELECT n FROM seq"
        )
    }
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

/// The first names `seed_varied_users` gives.
const FIRST_NAMES: [&str; 24] = [
    "Anna", "Ben", "Chloé", "Daniel", "Emma", "Felix", "Grace", "Hannah", "Ivan", "Julia", "Kenji",
    "Lena", "Mateo", "Nora", "Oscar", "Priya", "Quinn", "Rosa", "Sofia", "Tomás", "Uma", "Viktor",
    "Wei", "Zoë",
];

/// The last names `seed_varied_users` gives.
const LAST_NAMES: [&str; 20] = [
    "Anderson", "Brown", "Costa", "Dubois", "Eriksson", "Fischer", "García", "Hansen", "Ito",
    "Johnson", "Kowalski", "Larsson", "Müller", "Nguyen", "Okafor", "Patel", "Rossi", "Silva",
    "Tanaka", "Wilson",
];

/// The tags `seed_varied_users` hands out: name, and the share of users that carry it in
/// tenths (3.1 tags a user on average), and an odd multiplier coprime with 1000 that
/// decides who.
const TAGS: [(&str, u64, u64); 8] = [
    ("vip", 1, 2_654_435_761),
    ("lead", 6, 40_503),
    ("customer", 5, 2_246_822_519),
    ("newsletter", 7, 3_266_489_917),
    ("beta", 3, 668_265_263),
    ("support", 4, 374_761_393),
    ("churn-risk", 2, 1_181_783_497),
    ("gold", 3, 2_870_177_459),
];

/// The cities `seed_varied_users` gives as the `city` attribute.
const CITIES: [&str; 12] = [
    "Berlin",
    "Lagos",
    "Lima",
    "London",
    "Madrid",
    "Mumbai",
    "New York",
    "Paris",
    "São Paulo",
    "Seoul",
    "Sydney",
    "Tokyo",
];

/// `VALUES (0, 'a', …), (1, 'b', …)` for a CTE: each row's index, then its columns quoted.
fn values_rows<const N: usize>(rows: impl IntoIterator<Item = [String; N]>) -> String {
    rows.into_iter()
        .enumerate()
        .map(|(index, columns)| {
            let quoted: Vec<String> = columns.iter().map(|c| format!("'{c}'")).collect();
            format!("({index}, {})", quoted.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl TestDatabase {
    /// Adds `users` users to `bot` by plain SQL, like a real bot's and fast enough for
    /// millions: first names from 24 (some accented) and last names from 20; channels web
    /// 40 %, telegram 30 %, whatsapp 20 %, messenger 10 %; stats spread by id (sessions
    /// 0–12, messages 0–39, and for the one in 40 with no messages no sentiment and no last
    /// message; average sentiment −1…1; last message within 90 days of `now`, µs); the
    /// eight tags of `TAGS` at their shares; the attributes `plan` (free 70 %, pro 20 %,
    /// business 10 %), `city` (12), `score` (a number 0–999) and `language` (5). Values are
    /// a function of the user's id, so every run seeds the same data set.
    pub async fn seed_varied_users(
        &self,
        bot: crate::BotScope,
        users: u64,
        now: cohort_core::time::Micros,
    ) -> Result<(), StoreError> {
        use cohort_core::text::fold;
        let id = bot.bot_id();
        let numbers = numbers_sql(users);
        let first_names = values_rows(FIRST_NAMES.map(|name| [name.to_owned(), fold(name)]));
        let last_names = values_rows(LAST_NAMES.map(|name| [name.to_owned(), fold(name)]));
        let tags = TAGS
            .iter()
            .map(|(name, _, _)| format!("({id}, '{name}', '{name}', 0)"))
            .collect::<Vec<_>>()
            .join(", ");
        let shares = TAGS
            .iter()
            .map(|(name, tenths, multiplier)| format!("('{name}', {tenths}, {multiplier})"))
            .collect::<Vec<_>>()
            .join(", ");
        let cities = values_rows(CITIES.map(|city| [city.to_owned(), fold(city)]));
        let no_messages = "(user_id * 3) % 40 = 0";
        let statements = [
            format!(
                "WITH first_names(k, name, folded) AS (VALUES {first_names}), \
                 last_names(k, name, folded) AS (VALUES {last_names}) \
                 INSERT INTO users (bot_id, channel, external_id, external_id_folded, first_name, last_name, first_name_folded, last_name_folded, name_folded, email, email_folded, created_at, updated_at) \
                 SELECT {id}, CASE WHEN n % 10 < 4 THEN 'web' WHEN n % 10 < 7 THEN 'telegram' WHEN n % 10 < 9 THEN 'whatsapp' ELSE 'messenger' END, \
                 'u' || n, 'u' || n, f.name, l.name, f.folded, l.folded, f.folded || ' ' || l.folded, \
                 'user' || n || '@example.com', 'user' || n || '@example.com', {now} - 7776000000000 + n, {now} - 7776000000000 + n \
                 FROM ({numbers}) AS numbers JOIN first_names f ON f.k = n % 24 JOIN last_names l ON l.k = (n / 24) % 20"
            ),
            format!(
                "UPDATE user_stats SET sessions = CASE WHEN {no_messages} THEN 0 ELSE (user_id * 7) % 13 END, \
                 messages_sent = (user_id * 3) % 40, clicks = user_id % 9, \
                 time_spent_secs = (user_id * 11) % 7200, time_spent_micros = ((user_id * 11) % 7200) * 1000000, \
                 average_sentiment = CASE WHEN {no_messages} THEN NULL ELSE ((user_id * 37) % 201 - 100) / 100.0 END, \
                 last_message_at = CASE WHEN {no_messages} THEN NULL ELSE {now} - ((user_id * 7919) % 7776000) * 1000000 END, \
                 last_event_at = {now} - ((user_id * 7919) % 7776000) * 1000000 \
                 WHERE bot_id = {id}"
            ),
            format!(
                "INSERT INTO tags (bot_id, name, name_folded, created_at) VALUES {tags} ON CONFLICT DO NOTHING"
            ),
            format!(
                "WITH shares(name, tenths, multiplier) AS (VALUES {shares}) \
                 INSERT INTO user_tags (user_id, tag_id) SELECT u.id, t.id FROM users u \
                 JOIN tags t ON t.bot_id = {id} JOIN shares s ON s.name = t.name_folded \
                 WHERE u.bot_id = {id} AND (u.id * s.multiplier) % 1000 < s.tenths * 100"
            ),
            format!(
                "WITH cities(k, name, folded) AS (VALUES {cities}), \
                 languages(k, name) AS (VALUES (0, 'en'), (1, 'es'), (2, 'de'), (3, 'fr'), (4, 'pt')) \
                 INSERT INTO user_attributes (user_id, bot_id, key, value, value_folded, value_number) \
                 SELECT u.id, {id}, 'plan', p.plan, lower(p.plan), CAST(NULL AS DOUBLE PRECISION) FROM \
                   (SELECT id, CASE WHEN (id * 2246822519) % 10 < 7 THEN 'free' WHEN (id * 2246822519) % 10 < 9 THEN 'pro' ELSE 'business' END AS plan FROM users WHERE bot_id = {id}) p JOIN users u ON u.id = p.id \
                 UNION ALL SELECT u.id, {id}, 'city', c.name, c.folded, NULL FROM users u JOIN cities c ON c.k = (u.id * 40503) % 12 WHERE u.bot_id = {id} \
                 UNION ALL SELECT u.id, {id}, 'score', CAST((u.id * 668265263) % 1000 AS TEXT), CAST((u.id * 668265263) % 1000 AS TEXT), CAST((u.id * 668265263) % 1000 AS DOUBLE PRECISION) FROM users u WHERE u.bot_id = {id} \
                 UNION ALL SELECT u.id, {id}, 'language', l.name, l.name, NULL FROM users u JOIN languages l ON l.k = u.id % 5 WHERE u.bot_id = {id}"
            ),
        ];
        for statement in statements {
            self.store.execute_sql(&statement).await?;
        }
        Ok(())
    }
}

impl TestDatabase {
    /// PERF-NOTES' data set, scaled: `total` users in ten bots, `users` of them in the bot
    /// it returns ("Bench bot", seeded first), the rest shared by nine others, each user as
    /// `seed_varied_users` makes them; then `ANALYZE`. The largest bot is read out of tables that
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
        self.store.execute_sql("ANALYZE").await?;
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
