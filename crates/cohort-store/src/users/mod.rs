//! A bot's users: reading one, listing and counting by filter, writing particulars, tags
//! and attributes, and the catalogue of columns and tags in use.

mod catalogue;
mod list;
mod write;

use std::collections::{BTreeMap, HashMap};

use cohort_core::api::User;
use sea_orm::{ConnectionTrait, FromQueryResult};

pub use list::ListQuery;
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

#[derive(FromQueryResult)]
struct TagRow {
    user_id: i64,
    name: String,
}

#[derive(FromQueryResult)]
struct AttributeRow {
    user_id: i64,
    key: String,
    value: String,
}

/// Turns rows into API users, loading the tags and attributes of all of them in two
/// queries. Keeps the rows' order.
pub(crate) async fn with_tags_and_attributes(
    db: &impl ConnectionTrait,
    rows: Vec<user::Model>,
) -> Result<Vec<User>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let backend = db.get_database_backend();

    let mut sql = Sql::new(backend);
    sql.push("SELECT ut.user_id, t.name FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE ut.user_id IN ")
        .bind_list(&ids)
        .push(" ORDER BY t.name_folded");
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for row in TagRow::find_by_statement(sql.build()).all(db).await? {
        tags.entry(row.user_id).or_default().push(row.name);
    }

    let mut sql = Sql::new(backend);
    sql.push("SELECT a.user_id, a.key, a.value FROM user_attributes a WHERE a.user_id IN ")
        .bind_list(&ids);
    let mut attributes: HashMap<i64, BTreeMap<String, String>> = HashMap::new();
    for row in AttributeRow::find_by_statement(sql.build()).all(db).await? {
        attributes
            .entry(row.user_id)
            .or_default()
            .insert(row.key, row.value);
    }

    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            row.into_user(
                tags.remove(&id).unwrap_or_default(),
                attributes.remove(&id).unwrap_or_default(),
            )
        })
        .collect())
}
