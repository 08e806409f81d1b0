//! A bot's users: reading one, listing and counting by filter, writing particulars, tags
//! and attributes, and the catalogue of columns and tags in use.

mod catalogue;
mod list;
mod write;

use std::collections::{BTreeMap, HashMap};

use cohort_core::api::User;
use sea_orm::{ConnectionTrait, FromQueryResult};

pub use list::ListQuery;
pub(crate) use list::count_matches;
pub(crate) use write::ensure_tags;

use crate::entities::user;
use crate::sql::Sql;
use crate::{BotScope, Store, StoreError, parse_id};

impl Store {
    /// One user of the bot.
    pub async fn get_user(&self, bot: BotScope, user_id: &str) -> Result<User, StoreError> {
        let id = parse_id(user_id)?;
        load_user(&self.db, bot, id).await
    }

    /// Deletes one user of the bot, with their tags and attributes.
    pub async fn delete_user(&self, bot: BotScope, user_id: &str) -> Result<(), StoreError> {
        let id = parse_id(user_id)?;
        let mut sql = Sql::new(self.backend());
        sql.push("DELETE FROM users WHERE id = ")
            .bind(id)
            .push(" AND bot_id = ")
            .bind(bot.bot_id);
        let _turn = self.writer_turn().await?;
        let result = self.db.execute_raw(sql.build()).await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.note_changed_rows(1);
        Ok(())
    }
}

/// Loads one user of `bot` with tags and attributes.
pub(crate) async fn load_user(
    db: &impl ConnectionTrait,
    bot: BotScope,
    id: i64,
) -> Result<User, StoreError> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT u.* FROM user_rows u WHERE u.id = ")
        .bind(id)
        .push(" AND u.bot_id = ")
        .bind(bot.bot_id);
    let row = user::Model::find_by_statement(sql.build())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut users = with_tags_and_attributes(db, vec![row]).await?;
    users.pop().ok_or(StoreError::NotFound)
}

/// The page's tags and attributes, aggregated by the database: a JSON array with one
/// `[user id, tags or null, attributes or null]` per user, the tags by folded name.
#[derive(FromQueryResult)]
struct ExtrasRow {
    /// NULL when no user is left (PostgreSQL's aggregate of no rows).
    extras: Option<String>,
}

/// One user's entry in `ExtrasRow::extras`.
type Extras = (i64, Option<Vec<String>>, Option<BTreeMap<String, String>>);

/// Turns rows into API users, loading the tags and attributes of all of them in one query
/// that answers one row: every user's tags and attributes aggregated as JSON by the
/// database. Keeps the rows' order.
///
/// One row, not one per user, tag or attribute: SQLite's driver hands every row from its
/// worker thread to the request's task (a wakeup each, as exports found), so a page of 50
/// users with ~3 tags and ~4 attributes each took ~350 hand-offs in two queries, and the
/// hand-offs, not SQLite, were most of a listing's cost (`benches/load.rs`, "list alone").
pub(crate) async fn with_tags_and_attributes(
    db: &impl ConnectionTrait,
    rows: Vec<user::Model>,
) -> Result<Vec<User>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let backend = db.get_database_backend();
    let select = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT json_agg(json_build_array(u.id, \
             (SELECT json_agg(t.name ORDER BY t.name_folded) FROM user_tags ut \
             JOIN tags t ON t.id = ut.tag_id WHERE ut.user_id = u.id), \
             (SELECT json_object_agg(a.key, a.value) FROM user_attributes a \
             WHERE a.user_id = u.id)))::text AS extras"
        }
        _ => {
            "SELECT json_group_array(json_array(u.id, \
             json((SELECT json_group_array(t.name ORDER BY t.name_folded) FROM user_tags ut \
             JOIN tags t ON t.id = ut.tag_id WHERE ut.user_id = u.id)), \
             json((SELECT json_group_object(a.key, a.value) FROM user_attributes a \
             WHERE a.user_id = u.id)))) AS extras"
        }
    };
    let mut sql = Sql::new(backend);
    sql.push(select)
        .push(" FROM users u WHERE u.id IN ")
        .bind_list(&ids);
    let row = ExtrasRow::find_by_statement(sql.build()).one(db).await?;
    let extras: Vec<Extras> = json_or_empty(row.and_then(|row| row.extras))?;
    let mut extras: HashMap<i64, (Vec<String>, BTreeMap<String, String>)> = extras
        .into_iter()
        .map(|(id, tags, attributes)| {
            (
                id,
                (tags.unwrap_or_default(), attributes.unwrap_or_default()),
            )
        })
        .collect();

    Ok(rows
        .into_iter()
        .map(|row| {
            let (tags, attributes) = extras.remove(&row.id).unwrap_or_default();
            row.into_user(tags, attributes)
        })
        .collect())
}

/// Parses the JSON the database aggregated; NULL (PostgreSQL's aggregate of no rows) is
/// empty.
fn json_or_empty<T: serde::de::DeserializeOwned + Default>(
    json: Option<String>,
) -> Result<T, StoreError> {
    json.map_or_else(
        || Ok(T::default()),
        |json| {
            serde_json::from_str(&json).map_err(|error| {
                StoreError::Database(sea_orm::DbErr::Type(format!(
                    "aggregated tags or attributes: {error}"
                )))
            })
        },
    )
}
