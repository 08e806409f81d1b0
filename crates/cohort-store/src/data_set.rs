//! PERF-NOTES' data set for benchmarks at scale (`cohort seed-data-set`): users, tags,
//! attributes and chat events written by set-based SQL, so a million users and twenty
//! million events take minutes, not the half hour that ingestion one batch at a time would.
//!
//! Every value is a function of the user's id (and the event's number), so every run over
//! empty bots writes the same data. Messages are drawn from `MESSAGES`, each scored by the
//! core's sentiment scorer as ingestion would score it; the users' stats are not written
//! here: the caller rebuilds them from the events with Refresh Stats'
//! `Store::rebuild_bot_stats`, the same code that makes a bot's stats agree with its log.

use cohort_core::sentiment::{quantize, score};
use cohort_core::text::fold;
use cohort_core::time::Micros;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};

use crate::sql::Sql;
use crate::{BotScope, Store, StoreError};

/// The first names users get (some accented).
pub(crate) const FIRST_NAMES: [&str; 24] = [
    "Anna", "Ben", "Chloé", "Daniel", "Emma", "Felix", "Grace", "Hannah", "Ivan", "Julia", "Kenji",
    "Lena", "Mateo", "Nora", "Oscar", "Priya", "Quinn", "Rosa", "Sofia", "Tomás", "Uma", "Viktor",
    "Wei", "Zoë",
];

/// The last names users get.
pub(crate) const LAST_NAMES: [&str; 20] = [
    "Anderson", "Brown", "Costa", "Dubois", "Eriksson", "Fischer", "García", "Hansen", "Ito",
    "Johnson", "Kowalski", "Larsson", "Müller", "Nguyen", "Okafor", "Patel", "Rossi", "Silva",
    "Tanaka", "Wilson",
];

/// The tags users carry: name, the share of users that carry it in tenths (3.1 tags a user
/// on average, PERF-NOTES has 3.2), and an odd multiplier coprime with 1000 that decides who.
pub(crate) const TAGS: [(&str, u64, u64); 8] = [
    ("vip", 1, 2_654_435_761),
    ("lead", 6, 40_503),
    ("customer", 5, 2_246_822_519),
    ("newsletter", 7, 3_266_489_917),
    ("beta", 3, 668_265_263),
    ("support", 4, 374_761_393),
    ("churn-risk", 2, 1_181_783_497),
    ("gold", 3, 2_870_177_459),
];

/// The cities users get as their `city` attribute.
pub(crate) const CITIES: [&str; 12] = [
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

/// What users write: praise, questions and small talk in the first half, complaints (and
/// some small talk) in the second. Five in eight users write from the first half; the rest
/// ("unhappy") from the second.
pub const MESSAGES: [&str; 32] = [
    "thanks, that was quick!",
    "love it 😍",
    "great service, will order again",
    "perfect, thank you so much",
    "haha ok",
    "awesome 👍",
    "that helped a lot, cheers",
    "you guys are the best",
    "hi",
    "what are your opening hours?",
    "how do I change my address",
    "ok",
    "can I pay by card?",
    "is delivery free?",
    "I need to update my email",
    "where is the nearest store",
    "yes",
    "still waiting for my order",
    "this is so slow!",
    "not working again",
    "I want a refund",
    "terrible experience, never again",
    "the app keeps crashing",
    "no one answered my email",
    "ok thanks",
    "my parcel arrived damaged",
    "why was I charged twice?",
    "talk to a human please",
    "hello??? anyone???",
    "meh, could be better",
    "it's been 3 weeks",
    "fine",
];

/// Where the "unhappy" users' messages start in `MESSAGES`.
const UNHAPPY_FROM: usize = 16;

impl Store {
    /// Adds `users` users to the empty `bot` by set-based SQL: external ids `u1` … `u<n>`;
    /// first names from 24 (some accented) and last names from 20; an email; channels web
    /// 40 %, telegram 30 %, whatsapp 20 %, messenger 10 %; the eight tags of `TAGS` at
    /// their shares (3.1 a user); the attributes `plan` (free 70 %, pro 20 %, business
    /// 10 %), `city` (12 cities), `score` (a number 0–999) and `language` (5). Created
    /// `now` less 90 days (µs). Stats stay zero: see `seed_data_set_events`.
    ///
    /// # Errors
    /// `StoreError::Database` when a statement fails, e.g. when the bot already has a user
    /// `u<n>`.
    pub async fn seed_data_set_users(
        &self,
        bot: BotScope,
        users: u64,
        now: Micros,
    ) -> Result<(), StoreError> {
        let id = bot.bot_id();
        let numbers = numbers_sql(self.backend(), users);
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
        self.execute_sql_transaction(&statements).await
    }

    /// Adds about `events_per_user` events to each user of `bot` whose id is in `ids`
    /// (inclusive), by set-based SQL: from half as many to one and a half times as many,
    /// by user; three in four a message from `MESSAGES` with its sentiment as the core
    /// scores it (five in eight users write from its first half, the rest from its second,
    /// where the complaints are), one in four a click on `https://example.com/p/<0–9>` (all
    /// of them for one user in 40); keys `ds-<user id>-<n>`; sessions of 2–6 events 30–330
    /// s apart, one to three days between sessions; the last event within 90 days before
    /// `now` (µs). Stats are not touched: rebuild them afterwards (`rebuild_bot_stats`).
    /// Returns how many events were written.
    ///
    /// # Errors
    /// `StoreError::Database` when the statement fails, e.g. when a key is already there.
    pub async fn seed_data_set_events(
        &self,
        bot: BotScope,
        ids: std::ops::RangeInclusive<i64>,
        events_per_user: u64,
        now: Micros,
    ) -> Result<u64, StoreError> {
        let id = bot.bot_id();
        let half = events_per_user / 2;
        let numbers = numbers_sql(self.backend(), half + events_per_user);
        let messages = MESSAGES
            .iter()
            .enumerate()
            .map(|(index, text)| {
                let sentiment = quantize(score(text).score);
                format!("({index}, '{}', {sentiment})", text.replace('\'', "''"))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let (happy, unhappy) = (UNHAPPY_FROM, MESSAGES.len() - UNHAPPY_FROM);
        let (first, last) = (ids.start(), ids.end());
        // Each user's events, their sessions' length and the gap within a session (s).
        let users = format!(
            "SELECT id, {half} + (id * 2654435761) % ({events_per_user} + 1) AS events, \
             2 + id % 5 AS per_session, 30 + (id * 7) % 300 AS gap \
             FROM users WHERE bot_id = {id} AND id BETWEEN {first} AND {last}"
        );
        // The user's last event, then each earlier one `events - n` steps before it.
        let at = "(u.events - n) / u.per_session * (1 + u.id % 3) * 86400000000 \
                  + (u.events - n) % u.per_session * u.gap * 1000000";
        let last_at = format!("{now} - ((u.id * 7919) % 7776000) * 1000000");
        let pick = format!(
            "CASE WHEN u.id % 8 < 5 THEN (u.id * 31 + n * 7) % {happy} ELSE {UNHAPPY_FROM} + (u.id * 31 + n * 7) % {unhappy} END"
        );
        let click = "((u.id + n) % 4 = 0 OR u.id % 40 = 0)";
        let statement = format!(
            "WITH messages(k, text, sentiment) AS (VALUES {messages}) \
             INSERT INTO events (bot_id, user_id, event_key, kind, at, text, url, sentiment, received_at) \
             SELECT {id}, u.id, 'ds-' || u.id || '-' || n, \
               CASE WHEN {click} THEN 'click' ELSE 'message' END, \
               {last_at} - ({at}), \
               CASE WHEN {click} THEN NULL ELSE m.text END, \
               CASE WHEN {click} THEN 'https://example.com/p/' || (n % 10) ELSE NULL END, \
               CASE WHEN {click} THEN NULL ELSE m.sentiment END, \
               {now} \
             FROM ({users}) AS u CROSS JOIN ({numbers}) AS numbers JOIN messages m ON m.k = {pick} \
             WHERE n <= u.events"
        );
        let (_turn, transaction) = self.begin_write().await?;
        let written = transaction
            .execute_raw(Statement::from_string(self.backend(), statement))
            .await?
            .rows_affected();
        transaction.commit().await?;
        Ok(written)
    }

    /// The lowest and highest user id of `bot`, or `None` when it has no users.
    pub async fn user_id_range(&self, bot: BotScope) -> Result<Option<(i64, i64)>, StoreError> {
        #[derive(FromQueryResult)]
        struct Range {
            low: Option<i64>,
            high: Option<i64>,
        }
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT MIN(id) AS low, MAX(id) AS high FROM users WHERE bot_id = ")
            .bind(bot.bot_id());
        let range = Range::find_by_statement(sql.build()).one(&self.db).await?;
        Ok(range.and_then(|range| range.low.zip(range.high)))
    }
}

/// A `SELECT` of the column `n` = 1, 2, …, `count` on `backend`, to seed rows from in
/// set-based SQL.
pub fn numbers_sql(backend: DbBackend, count: impl std::fmt::Display) -> String {
    if backend == DbBackend::Postgres {
        format!("SELECT n FROM generate_series(1, {count}) AS n")
    } else {
        format!(
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count}) SELECT n FROM seq"
        )
    }
}

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
