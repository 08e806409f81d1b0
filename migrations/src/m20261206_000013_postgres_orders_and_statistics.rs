//! PostgreSQL only: the default sort's index in the order PostgreSQL reads both ways, and
//! statistics on which attribute values are common in which bot.
//!
//! A page orders a nullable column by its values, then its NULLs, as two ranges
//! (`Store::list_users`), so its `ORDER BY` is free to say where NULLs go. It now says
//! nothing, PostgreSQL's default (`ASC NULLS LAST`, `DESC NULLS FIRST`), which is what an
//! ascending index gives read forwards and backwards. Every sort index on PostgreSQL is
//! ascending but `user_stats_bot_last_message`, which was `DESC NULLS LAST`: with `NULLS
//! LAST` written for both directions, a page sorted by last message ascending, or by a
//! name descending, read and sorted every user of the bot. Here it becomes ascending.
//!
//! `user_attributes_scope`: PostgreSQL estimated `bot = 1 AND key = 'plan' AND value =
//! 'pro'` as the product of three independent selectivities, 22,000 rows where there were
//! 60,000 (`benches/load.rs`), and planned nested loops for the joins after it. A
//! most-common-values list over the three together gives the real share.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::m20261201_000008_long_attribute_values::ATTRIBUTE_VALUE_INDEX_PREFIX;
use crate::run_script;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000013_postgres_orders_and_statistics"
    }
}

fn postgres_up() -> String {
    format!(
        "DROP INDEX user_stats_bot_last_message;\n\
         CREATE INDEX user_stats_bot_last_message ON user_stats (bot_id, last_message_at, user_id);\n\
         CREATE STATISTICS user_attributes_scope (mcv) ON bot_id, key, \
         left(value_folded, {ATTRIBUTE_VALUE_INDEX_PREFIX}) FROM user_attributes;\n\
         ANALYZE user_attributes;\n"
    )
}

const POSTGRES_DOWN: &str = r#"
DROP STATISTICS user_attributes_scope;
DROP INDEX user_stats_bot_last_message;
CREATE INDEX user_stats_bot_last_message ON user_stats (bot_id, last_message_at DESC NULLS LAST, user_id DESC);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            run_script(manager, &postgres_up()).await
        } else {
            Ok(())
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            run_script(manager, POSTGRES_DOWN).await
        } else {
            Ok(())
        }
    }
}
