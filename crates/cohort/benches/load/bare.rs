//! The bare-SQL floor of the listing figures: a copy of the seeded users laid out as
//! PERF-NOTES recommends for each engine, and for each of #12's thirteen filters the
//! hand-written SQL of its first page (50 rows, newest last message first) and its exact
//! count on that copy, beside the same filter sent to Cohort's `POST /users/search`.
//!
//! - PostgreSQL: one `bare_users` row a user with the stats inline, attributes as `JSONB`
//!   under `GIN (bot_id, attrs jsonb_path_ops)`, tags as `text[]` under `GIN (bot_id,
//!   tags)` (btree_gin), pg_trgm `GIN` on the folded names, btree indexes on the stats a
//!   filter ranges over.
//! - SQLite: `bare_users` with the stats inline and the same btree indexes, EAV tables
//!   `bare_attrs (key, value, user_id)` / `(key, number, user_id)` and `bare_tags (tag,
//!   user_id)` without rowids, and an FTS5 `trigram` table over the folded names. Pages
//!   probe with `EXISTS`, counts use `IN (SELECT …)`, as PERF-NOTES measured best.
//!
//! Each bare count must equal Cohort's `total`, or the run stops: the floor answers the
//! same question.

use std::time::{Duration, Instant};

use cohort_store::Store;
use serde_json::{Value, json};

use super::{Failure, Target};

/// Builds the copy of every bot's users (PostgreSQL or SQLite layout) and analyses it (on
/// PostgreSQL vacuums it too, as Cohort's tables are after a load, so that its counts may
/// read indexes alone); how long that took.
pub async fn build_copy(store: &Store, postgres: bool) -> Result<Duration, Failure> {
    let started = Instant::now();
    let statements: &[&str] = if postgres {
        &[
            "CREATE EXTENSION IF NOT EXISTS btree_gin",
            "CREATE TABLE bare_users (id BIGINT PRIMARY KEY, bot_id BIGINT NOT NULL, \
             channel TEXT COLLATE \"C\" NOT NULL, first_name_folded TEXT COLLATE \"C\", \
             name_folded TEXT COLLATE \"C\", sessions BIGINT NOT NULL, \
             average_sentiment DOUBLE PRECISION, last_message_at BIGINT, \
             attrs JSONB NOT NULL, tags TEXT[] NOT NULL)",
            "INSERT INTO bare_users SELECT u.id, u.bot_id, u.channel, u.first_name_folded, \
             u.name_folded, s.sessions, s.average_sentiment, s.last_message_at, \
             COALESCE((SELECT jsonb_object_agg(a.key, CASE WHEN a.value_number IS NOT NULL \
             THEN to_jsonb(a.value_number) ELSE to_jsonb(a.value_folded::text) END) \
             FROM user_attributes a WHERE a.user_id = u.id), '{}'::jsonb), \
             ARRAY(SELECT t.name_folded::text FROM user_tags ut JOIN tags t ON t.id = ut.tag_id \
             WHERE ut.user_id = u.id) \
             FROM users u JOIN user_stats s ON s.user_id = u.id",
            "CREATE INDEX bare_users_page ON bare_users (bot_id, last_message_at DESC NULLS LAST, id DESC)",
            "CREATE INDEX bare_users_attrs ON bare_users USING gin (bot_id, attrs jsonb_path_ops)",
            "CREATE INDEX bare_users_tags ON bare_users USING gin (bot_id, tags)",
            "CREATE INDEX bare_users_first_name ON bare_users USING gin (bot_id, first_name_folded gin_trgm_ops)",
            "CREATE INDEX bare_users_name ON bare_users USING gin (bot_id, name_folded gin_trgm_ops)",
            "CREATE INDEX bare_users_channel ON bare_users (bot_id, channel)",
            "CREATE INDEX bare_users_sessions ON bare_users (bot_id, sessions)",
            "CREATE INDEX bare_users_sentiment ON bare_users (bot_id, average_sentiment)",
            // As Cohort's own tables after a load (`refresh_planner_statistics`): the
            // visibility map set, so that counts may read indexes alone.
            "VACUUM (ANALYZE) bare_users",
        ]
    } else {
        &[
            "CREATE TABLE bare_users (id INTEGER PRIMARY KEY, bot_id INTEGER NOT NULL, \
             channel TEXT NOT NULL, first_name_folded TEXT, name_folded TEXT, \
             sessions INTEGER NOT NULL, average_sentiment REAL, last_message_at INTEGER)",
            "INSERT INTO bare_users SELECT u.id, u.bot_id, u.channel, u.first_name_folded, \
             u.name_folded, s.sessions, s.average_sentiment, s.last_message_at \
             FROM users u JOIN user_stats s ON s.user_id = u.id",
            "CREATE INDEX bare_users_page ON bare_users (bot_id, last_message_at DESC, id DESC)",
            "CREATE INDEX bare_users_channel ON bare_users (bot_id, channel)",
            "CREATE INDEX bare_users_sessions ON bare_users (bot_id, sessions)",
            "CREATE INDEX bare_users_sentiment ON bare_users (bot_id, average_sentiment)",
            "CREATE TABLE bare_tags (tag TEXT NOT NULL, user_id INTEGER NOT NULL, \
             PRIMARY KEY (tag, user_id)) WITHOUT ROWID",
            "INSERT INTO bare_tags SELECT t.name_folded, ut.user_id FROM user_tags ut \
             JOIN tags t ON t.id = ut.tag_id",
            "CREATE TABLE bare_attrs (key TEXT NOT NULL, value TEXT NOT NULL, number REAL, \
             user_id INTEGER NOT NULL, PRIMARY KEY (key, value, user_id)) WITHOUT ROWID",
            "INSERT INTO bare_attrs SELECT key, value_folded, value_number, user_id \
             FROM user_attributes",
            "CREATE INDEX bare_attrs_number ON bare_attrs (key, number, user_id)",
            "CREATE INDEX bare_attrs_user ON bare_attrs (user_id, key, number)",
            "CREATE VIRTUAL TABLE bare_names USING fts5(first_name, name, \
             tokenize = 'trigram', content = '')",
            "INSERT INTO bare_names (rowid, first_name, name) \
             SELECT id, first_name_folded, name_folded FROM bare_users",
            "ANALYZE",
        ]
    };
    for statement in statements {
        store
            .execute_sql(statement)
            .await
            .map_err(|e| format!("{statement}: {e:?}"))?;
    }
    Ok(started.elapsed())
}

/// One row of the listing table: a filter in Cohort's JSON, and its bare conditions on
/// `bare_users u` for the page and for the count (the same meaning, each as fast as the
/// engine allows).
struct Row {
    name: &'static str,
    filter: Value,
    page: String,
    count: String,
}

/// The thirteen filters of #12 item 2, on the values `seed_varied_users` hands out.
fn rows(postgres: bool, week_ago: i64) -> Vec<Row> {
    // Conditions a filter is made of, per engine: (page, count).
    let tag = |name: &str| -> (String, String) {
        if postgres {
            let condition = format!("u.tags @> ARRAY['{name}']");
            (condition.clone(), condition)
        } else {
            (
                format!(
                    "EXISTS (SELECT 1 FROM bare_tags t WHERE t.tag = '{name}' AND t.user_id = u.id)"
                ),
                format!("u.id IN (SELECT user_id FROM bare_tags WHERE tag = '{name}')"),
            )
        }
    };
    let attribute = |key: &str, value: &str| -> (String, String) {
        if postgres {
            let condition = format!("u.attrs @> '{{\"{key}\": \"{value}\"}}'");
            (condition.clone(), condition)
        } else {
            (
                format!(
                    "EXISTS (SELECT 1 FROM bare_attrs a WHERE a.key = '{key}' AND a.value = '{value}' AND a.user_id = u.id)"
                ),
                format!(
                    "u.id IN (SELECT user_id FROM bare_attrs WHERE key = '{key}' AND value = '{value}')"
                ),
            )
        }
    };
    let contains = |column: &str, fts_column: &str, text: &str| -> (String, String) {
        if postgres {
            let condition = format!("u.{column} LIKE '%{text}%'");
            (condition.clone(), condition)
        } else {
            (
                format!("instr(u.{column}, '{text}') > 0"),
                format!(
                    "u.id IN (SELECT rowid FROM bare_names WHERE bare_names MATCH '{fts_column} : \"{text}\"')"
                ),
            )
        }
    };
    let same = |condition: &str| (condition.to_owned(), condition.to_owned());
    let and = |parts: &[(String, String)]| -> (String, String) {
        let page: Vec<&str> = parts.iter().map(|(page, _)| page.as_str()).collect();
        let count: Vec<&str> = parts.iter().map(|(_, count)| count.as_str()).collect();
        (
            format!("({})", page.join(" AND ")),
            format!("({})", count.join(" AND ")),
        )
    };
    let not = |(page, count): (String, String)| (format!("NOT {page}"), format!("NOT {count}"));
    let score = if postgres {
        same("(u.attrs->>'score')::float8 > 900")
    } else {
        (
            "EXISTS (SELECT 1 FROM bare_attrs a WHERE a.user_id = u.id AND a.key = 'score' AND a.number > 900)".to_owned(),
            "u.id IN (SELECT user_id FROM bare_attrs WHERE key = 'score' AND number > 900)".to_owned(),
        )
    };
    let row = |name, filter, (page, count): (String, String)| Row {
        name,
        filter,
        page,
        count,
    };
    let tag_has = |name: &str| json!({"column": "tags", "function": "has", "value": name});
    let left = and(&[tag("vip"), same("u.channel = 'web'")]);
    let right = and(&[
        attribute("plan", "business"),
        same("u.average_sentiment < 0"),
    ]);
    vec![
        row("none", json!({"all": []}), same("1 = 1")),
        row(
            "first name contains \"ann\"",
            json!({"column": "first_name", "function": "contains", "value": "ann"}),
            contains("first_name_folded", "first_name", "ann"),
        ),
        row(
            "full name contains \"son\"",
            json!({"column": "name", "function": "contains", "value": "son"}),
            contains("name_folded", "name", "son"),
        ),
        row(
            "attribute plan equals pro",
            json!({"column": "attributes.plan", "function": "equals", "value": "pro"}),
            attribute("plan", "pro"),
        ),
        row(
            "attribute score greater than 900",
            json!({"column": "attributes.score", "function": "greater_than", "value": 900}),
            score,
        ),
        row("tag has vip", tag_has("vip"), tag("vip")),
        row(
            "tag has not vip",
            json!({"column": "tags", "function": "has_not", "value": "vip"}),
            not(tag("vip")),
        ),
        row(
            "channel is any of telegram, whatsapp",
            json!({"column": "channel", "function": "is_any_of", "value": ["telegram", "whatsapp"]}),
            same("u.channel IN ('telegram', 'whatsapp')"),
        ),
        row(
            "sessions greater than 5",
            json!({"column": "sessions", "function": "greater_than", "value": 5}),
            same("u.sessions > 5"),
        ),
        row(
            "average sentiment less than 0",
            json!({"column": "average_sentiment", "function": "less_than", "value": 0}),
            same("u.average_sentiment < 0"),
        ),
        row(
            "last message within 7 days",
            json!({"column": "last_message_at", "function": "within_last", "value": {"amount": 7, "unit": "days"}}),
            same(&format!("u.last_message_at >= {week_ago}")),
        ),
        row(
            "tag lead AND plan pro AND sessions > 2",
            json!({"all": [
                tag_has("lead"),
                {"column": "attributes.plan", "function": "equals", "value": "pro"},
                {"column": "sessions", "function": "greater_than", "value": 2},
            ]}),
            and(&[
                tag("lead"),
                attribute("plan", "pro"),
                same("u.sessions > 2"),
            ]),
        ),
        row(
            "(vip AND web) OR (business AND sentiment < 0)",
            json!({"any": [
                {"all": [tag_has("vip"), {"column": "channel", "function": "is", "value": "web"}]},
                {"all": [
                    {"column": "attributes.plan", "function": "equals", "value": "business"},
                    {"column": "average_sentiment", "function": "less_than", "value": 0},
                ]},
            ]}),
            (
                format!("({} OR {})", left.0, right.0),
                format!("({} OR {})", left.1, right.1),
            ),
        ),
    ]
}

/// Median of seven, in ms.
fn median_ms(mut times: Vec<Duration>) -> f64 {
    times.sort_unstable();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

/// For each filter, seven rounds of Cohort's search (first page of 50 and `total`, over
/// HTTP) and the bare page and count (two queries, in this process); prints the medians
/// and their ratio, and answers the largest ratio.
pub async fn listing(target: &Target, store: &Store, postgres: bool) -> Result<f64, Failure> {
    println!(
        "\nlisting, the largest bot: first page of 50 + exact total, median of 7, ms \
         (Cohort over HTTP; bare SQL on PERF-NOTES' layout, page + count, no HTTP):\n\
         | filter | matches | Cohort | bare | Cohort / bare |\n|---|---|---|---|---|"
    );
    let url = format!("{}/api/v1/bots/{}/users/search", target.cohort, target.bot);
    let mut worst: f64 = 0.0;
    let week = 7 * 86_400 * 1_000_000;
    for row in rows(postgres, cohort_store::testing::now() - week) {
        let mut cohort_times = Vec::new();
        let mut bare_times = Vec::new();
        let mut total = None;
        for _ in 0..7 {
            let sent = Instant::now();
            let response = target
                .client
                .post(&url)
                .bearer_auth(&target.token)
                .json(&json!({"filter": row.filter, "limit": 50}))
                .send()
                .await?;
            if !response.status().is_success() {
                return Err(format!("{}: {}", row.name, response.text().await?).into());
            }
            let body: Value = response.json().await?;
            cohort_times.push(sent.elapsed());
            total = body["total"].as_i64();

            // The bare "now" is taken afresh, as Cohort's is.
            let started = Instant::now();
            let bot = target.bot;
            let (page, count) = if row.name.starts_with("last message") {
                let week_ago = cohort_store::testing::now() - week;
                let condition = format!("u.last_message_at >= {week_ago}");
                (condition.clone(), condition)
            } else {
                (row.page.clone(), row.count.clone())
            };
            let order = if postgres {
                "u.last_message_at DESC NULLS LAST, u.id DESC"
            } else {
                "u.last_message_at DESC, u.id DESC"
            };
            store
                .query_rows(&format!(
                    "SELECT u.* FROM bare_users u WHERE u.bot_id = {bot} AND {page} ORDER BY {order} LIMIT 50"
                ))
                .await
                .map_err(|e| format!("{}: {e:?}", row.name))?;
            let matches = store
                .query_i64(&format!(
                    "SELECT count(*) FROM bare_users u WHERE u.bot_id = {bot} AND {count}"
                ))
                .await
                .map_err(|e| format!("{}: {e:?}", row.name))?;
            bare_times.push(started.elapsed());
            if total != Some(matches) {
                return Err(format!(
                    "{}: Cohort's total {total:?} is not the bare count {matches}",
                    row.name
                )
                .into());
            }
        }
        let (cohort, bare) = (median_ms(cohort_times), median_ms(bare_times));
        let ratio = cohort / bare;
        worst = worst.max(ratio);
        println!(
            "| {} | {} | {cohort:.1} | {bare:.1} | {ratio:.2} |",
            row.name,
            total.unwrap_or_default()
        );
    }
    println!("largest ratio: {worst:.2} (target ≤ 1.3)");
    Ok(worst)
}
