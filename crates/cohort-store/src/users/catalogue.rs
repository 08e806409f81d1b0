//! What a bot's users can be filtered by: the columns (profile and attribute keys in use)
//! and the tags in use with their counts.

use cohort_core::api::{AttributeColumn, Columns, ProfileColumn, TagCount};
use cohort_core::filter::{PROFILE_COLUMNS, attribute_functions};
use sea_orm::FromQueryResult;

use crate::sql::Sql;
use crate::{BotScope, Store, StoreError};

#[derive(FromQueryResult)]
struct AttributeKeyRow {
    key: String,
    total: i64,
    numeric: i64,
}

#[derive(FromQueryResult)]
struct TagCountRow {
    name: String,
    users: i64,
}

impl Store {
    /// The profile columns and the attribute keys used in the bot.
    pub async fn columns(&self, bot: BotScope) -> Result<Columns, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT a.key, COUNT(*) AS total, COUNT(a.value_number) AS numeric FROM user_attributes a WHERE a.bot_id = ")
            .bind(bot.bot_id)
            .push(" GROUP BY a.key ORDER BY a.key");
        let keys = AttributeKeyRow::find_by_statement(sql.build())
            .all(&self.db)
            .await?;
        Ok(Columns {
            profile: PROFILE_COLUMNS
                .iter()
                .map(|column| ProfileColumn {
                    key: column.key.to_owned(),
                    label: column.label.to_owned(),
                    column_type: column.column_type.as_str().to_owned(),
                    functions: column.column_type.functions().to_vec(),
                })
                .collect(),
            attributes: keys
                .into_iter()
                .map(|row| AttributeColumn {
                    key: format!("attributes.{}", row.key),
                    column_type: if row.numeric == row.total {
                        "number"
                    } else {
                        "text"
                    }
                    .to_owned(),
                    functions: attribute_functions().to_vec(),
                })
                .collect(),
        })
    }

    /// The tags carried by at least one of the bot's users, most used first.
    pub async fn tags_in_use(&self, bot: BotScope) -> Result<Vec<TagCount>, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT t.name, COUNT(*) AS users FROM tags t JOIN user_tags ut ON ut.tag_id = t.id WHERE t.bot_id = ")
            .bind(bot.bot_id)
            .push(" GROUP BY t.id, t.name, t.name_folded ORDER BY COUNT(*) DESC, t.name_folded");
        let rows = TagCountRow::find_by_statement(sql.build())
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| TagCount {
                name: row.name,
                users: row.users.max(0) as u64,
            })
            .collect())
    }
}
