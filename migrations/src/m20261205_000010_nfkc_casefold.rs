//! Text folds with NFKC_Casefold now, not trim and lower case (PRODUCT.md, "Exact rules for
//! text"): every stored folded copy is computed again with `cohort_core::text::fold`, on
//! both engines, so "GROSSMANN" finds "Großmann" in data written before this migration too.
//!
//! - `users`: `channel` (stored folded), `first_name_folded`, `last_name_folded`,
//!   `name_folded`, `email_folded` and `external_id_folded`.
//! - `user_attributes.value_folded`.
//! - `tags.name_folded`. Tags that fold alike now ("Straße" and "STRASSE") become one tag,
//!   as PRODUCT.md wants one tag per bot whatever the spelling: the oldest keeps its name
//!   (the bot's first spelling) and gains the others' users; the others go.
//! - `admins.email` (stored folded). An email that would now equal another admin's stays
//!   as it was, since the sign-in of neither may be lost.
//!
//! Rows are read in key order, a batch at a time, and only rows whose folded copy changes
//! are written (ASCII text folds as before, so most databases change nothing). The
//! migration cannot be undone in a meaningful way: `down` keeps the new folded copies,
//! which the older code reads correctly except that it would fold new writes the old way.

use std::collections::{BTreeMap, HashSet};

use cohort_core::text::{fold, fold_non_empty, full_name};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000010_nfkc_casefold"
    }
}

/// How many rows one backfill query reads.
const BATCH: u64 = 1_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let connection = manager.get_connection();
        refold_users(connection, backend).await?;
        refold_attributes(connection, backend).await?;
        refold_tags(connection, backend).await?;
        refold_admin_emails(connection, backend).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

/// The `index`th (from 1) parameter placeholder on `backend`.
fn placeholder(backend: DbBackend, index: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${index}"),
        _ => "?".to_owned(),
    }
}

/// Runs `sql` with `values` bound.
async fn execute(
    connection: &impl ConnectionTrait,
    backend: DbBackend,
    sql: String,
    values: Vec<Value>,
) -> Result<(), DbErr> {
    connection
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map(|_| ())
}

/// The folded columns of `users`, in the order `refold_users` reads and writes them.
const USER_FOLDED: [&str; 6] = [
    "channel",
    "first_name_folded",
    "last_name_folded",
    "name_folded",
    "email_folded",
    "external_id_folded",
];

async fn refold_users(connection: &impl ConnectionTrait, backend: DbBackend) -> Result<(), DbErr> {
    let mut after = 0_i64;
    loop {
        let select = Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT id, first_name, last_name, email, external_id, {} FROM users \
                 WHERE id > {} ORDER BY id LIMIT {BATCH}",
                USER_FOLDED.join(", "),
                placeholder(backend, 1)
            ),
            [after.into()],
        );
        let rows = connection.query_all_raw(select).await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.try_get("", "id")?;
        for row in &rows {
            let id: i64 = row.try_get("", "id")?;
            let first_name: String = row.try_get("", "first_name")?;
            let last_name: String = row.try_get("", "last_name")?;
            let email: Option<String> = row.try_get("", "email")?;
            let external_id: String = row.try_get("", "external_id")?;
            let channel: String = row.try_get("", "channel")?;
            let refolded = [
                Some(fold(&channel)),
                fold_non_empty(&first_name),
                fold_non_empty(&last_name),
                fold_non_empty(&full_name(&first_name, &last_name)),
                email.as_deref().and_then(fold_non_empty),
                fold_non_empty(&external_id),
            ];
            let mut stored = Vec::with_capacity(USER_FOLDED.len());
            for column in USER_FOLDED {
                stored.push(row.try_get::<Option<String>>("", column)?);
            }
            if stored[..] == refolded[..] {
                continue;
            }
            let assignments: Vec<String> = USER_FOLDED
                .iter()
                .enumerate()
                .map(|(index, column)| format!("{column} = {}", placeholder(backend, index + 1)))
                .collect();
            let mut values: Vec<Value> = refolded.into_iter().map(Value::from).collect();
            values.push(id.into());
            let sql = format!(
                "UPDATE users SET {} WHERE id = {}",
                assignments.join(", "),
                placeholder(backend, USER_FOLDED.len() + 1)
            );
            execute(connection, backend, sql, values).await?;
        }
    }
}

async fn refold_attributes(
    connection: &impl ConnectionTrait,
    backend: DbBackend,
) -> Result<(), DbErr> {
    let (mut after_user, mut after_key) = (0_i64, String::new());
    loop {
        let select = Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT user_id, key, value, value_folded FROM user_attributes \
                 WHERE user_id > {p1} OR (user_id = {p2} AND key > {p3}) \
                 ORDER BY user_id, key LIMIT {BATCH}",
                p1 = placeholder(backend, 1),
                p2 = placeholder(backend, 2),
                p3 = placeholder(backend, 3),
            ),
            [
                after_user.into(),
                after_user.into(),
                after_key.clone().into(),
            ],
        );
        let rows = connection.query_all_raw(select).await?;
        if rows.is_empty() {
            return Ok(());
        }
        for row in &rows {
            let user_id: i64 = row.try_get("", "user_id")?;
            let key: String = row.try_get("", "key")?;
            let value: String = row.try_get("", "value")?;
            let stored: String = row.try_get("", "value_folded")?;
            let refolded = fold(&value);
            if refolded != stored {
                let sql = format!(
                    "UPDATE user_attributes SET value_folded = {} WHERE user_id = {} AND key = {}",
                    placeholder(backend, 1),
                    placeholder(backend, 2),
                    placeholder(backend, 3)
                );
                let values = vec![refolded.into(), user_id.into(), key.clone().into()];
                execute(connection, backend, sql, values).await?;
            }
            (after_user, after_key) = (user_id, key);
        }
    }
}

/// A stored tag.
struct Tag {
    id: i64,
    bot_id: i64,
    name: String,
    name_folded: String,
}

async fn refold_tags(connection: &impl ConnectionTrait, backend: DbBackend) -> Result<(), DbErr> {
    // Tags number in the hundreds per bot, not millions: read them all.
    let select = Statement::from_string(
        backend,
        "SELECT id, bot_id, name, name_folded FROM tags ORDER BY bot_id, id",
    );
    let mut tags = Vec::new();
    for row in connection.query_all_raw(select).await? {
        tags.push(Tag {
            id: row.try_get("", "id")?,
            bot_id: row.try_get("", "bot_id")?,
            name: row.try_get("", "name")?,
            name_folded: row.try_get("", "name_folded")?,
        });
    }
    // Each bot's tags by their new folded name, oldest first.
    let mut groups: BTreeMap<(i64, String), Vec<&Tag>> = BTreeMap::new();
    for tag in &tags {
        groups
            .entry((tag.bot_id, fold(&tag.name)))
            .or_default()
            .push(tag);
    }
    // First merge, so that no tag is renamed onto one that is about to go.
    for group in groups.values() {
        let Some((survivor, merged)) = group.split_first() else {
            continue;
        };
        for tag in merged {
            let insert = match backend {
                DbBackend::Postgres => {
                    "INSERT INTO user_tags (user_id, tag_id) SELECT user_id, $1 FROM user_tags \
                     WHERE tag_id = $2 ON CONFLICT DO NOTHING"
                }
                _ => {
                    "INSERT OR IGNORE INTO user_tags (user_id, tag_id) SELECT user_id, ? \
                     FROM user_tags WHERE tag_id = ?"
                }
            };
            let values = vec![survivor.id.into(), tag.id.into()];
            execute(connection, backend, insert.to_owned(), values).await?;
            for table in ["user_tags WHERE tag_id", "tags WHERE id"] {
                let delete = format!("DELETE FROM {table} = {}", placeholder(backend, 1));
                execute(connection, backend, delete, vec![tag.id.into()]).await?;
            }
        }
    }
    for ((_, refolded), group) in &groups {
        let Some(survivor) = group.first() else {
            continue;
        };
        if survivor.name_folded != *refolded {
            let sql = format!(
                "UPDATE tags SET name_folded = {} WHERE id = {}",
                placeholder(backend, 1),
                placeholder(backend, 2)
            );
            let values = vec![refolded.clone().into(), survivor.id.into()];
            execute(connection, backend, sql, values).await?;
        }
    }
    Ok(())
}

async fn refold_admin_emails(
    connection: &impl ConnectionTrait,
    backend: DbBackend,
) -> Result<(), DbErr> {
    let select = Statement::from_string(backend, "SELECT id, email FROM admins ORDER BY id");
    let mut admins = Vec::new();
    for row in connection.query_all_raw(select).await? {
        admins.push((
            row.try_get::<i64>("", "id")?,
            row.try_get::<String>("", "email")?,
        ));
    }
    let mut taken: HashSet<String> = admins.iter().map(|(_, email)| email.clone()).collect();
    for (id, email) in &admins {
        let refolded = fold(email);
        if refolded == *email || taken.contains(&refolded) {
            continue;
        }
        let sql = format!(
            "UPDATE admins SET email = {} WHERE id = {}",
            placeholder(backend, 1),
            placeholder(backend, 2)
        );
        execute(
            connection,
            backend,
            sql,
            vec![refolded.clone().into(), (*id).into()],
        )
        .await?;
        taken.remove(email);
        taken.insert(refolded);
    }
    Ok(())
}
