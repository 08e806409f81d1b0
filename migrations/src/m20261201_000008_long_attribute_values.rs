//! Attribute values may be 10,000 characters long, and numbers follow PRODUCT.md's
//! grammar.
//!
//! - **PostgreSQL**: a btree entry holds at most about 2,700 bytes, so the index
//!   `(bot_id, key, value_folded, user_id)` refused any longer value ("index row size
//!   exceeds btree maximum"). It becomes an index on the first
//!   [`ATTRIBUTE_VALUE_INDEX_PREFIX`] characters of `value_folded` (at most 800 bytes of
//!   UTF-8); `equals` compares that prefix (served by the index) and then the whole value,
//!   so it stays exact. `contains`, `starts_with` and `ends_with` go through the pg_trgm
//!   index as before. SQLite's b-trees have no such limit, and its index stays.
//! - **Both engines**: `value_number` was filled by a looser rule that also took
//!   exponents and a trailing `.` (`1e3`, `5.`); those values are text now, so their
//!   `value_number` is recomputed with `cohort_core::text::attribute_number`.

use cohort_core::text::attribute_number;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

use crate::run_script;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000008_long_attribute_values"
    }
}

/// How many leading characters of `user_attributes.value_folded` PostgreSQL's equality
/// index holds. The store's SQL for `equals` compares `left(value_folded, N)` with the
/// same prefix of the operand, so the two must agree.
pub const ATTRIBUTE_VALUE_INDEX_PREFIX: usize = 200;

/// How many attribute rows one backfill query reads.
const BACKFILL_BATCH: u64 = 1_000;

/// The new PostgreSQL index, on the prefix `ATTRIBUTE_VALUE_INDEX_PREFIX` long.
fn postgres_up() -> String {
    format!(
        "DROP INDEX user_attributes_text;\n\
         CREATE INDEX user_attributes_text_prefix ON user_attributes \
         (bot_id, key, left(value_folded, {ATTRIBUTE_VALUE_INDEX_PREFIX}), user_id);\n"
    )
}

const POSTGRES_DOWN: &str = r#"
DROP INDEX user_attributes_text_prefix;
CREATE INDEX user_attributes_text ON user_attributes (bot_id, key, value_folded, user_id);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        if backend == DbBackend::Postgres {
            run_script(manager, &postgres_up()).await?;
        }
        recompute_numbers(manager, backend).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Numbers stay as the stricter rule made them: a subset of what the looser one
        // took, so the older code reads them correctly.
        match manager.get_database_backend() {
            DbBackend::Postgres => run_script(manager, POSTGRES_DOWN).await,
            _ => Ok(()),
        }
    }
}

/// Clears `value_number` of every value the number grammar no longer calls a number. Only
/// values holding `.`, `e` or `E` can be such (the old rule took exactly the new one's
/// numbers plus exponents and trailing dots), so only those are read, in key order.
async fn recompute_numbers(manager: &SchemaManager<'_>, backend: DbBackend) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    let placeholder = |index: usize| match backend {
        DbBackend::Postgres => format!("${index}"),
        _ => "?".to_owned(),
    };
    let (mut after_user, mut after_key) = (0_i64, String::new());
    loop {
        let select = Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT user_id, key, value FROM user_attributes \
                 WHERE value_number IS NOT NULL \
                 AND (value LIKE '%.%' OR value LIKE '%e%' OR value LIKE '%E%') \
                 AND (user_id > {p1} OR (user_id = {p2} AND key > {p3})) \
                 ORDER BY user_id, key LIMIT {BACKFILL_BATCH}",
                p1 = placeholder(1),
                p2 = placeholder(2),
                p3 = placeholder(3),
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
            if attribute_number(&value).is_none() {
                let update = Statement::from_sql_and_values(
                    backend,
                    format!(
                        "UPDATE user_attributes SET value_number = NULL \
                         WHERE user_id = {} AND key = {}",
                        placeholder(1),
                        placeholder(2)
                    ),
                    [user_id.into(), key.clone().into()],
                );
                connection.execute_raw(update).await?;
            }
            (after_user, after_key) = (user_id, key);
        }
    }
}
