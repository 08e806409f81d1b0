//! How many users each bot has, kept by triggers in the transaction that inserts or
//! deletes them, so that the unfiltered total of the Users page is a lookup instead of a
//! count of every user of the bot (on a 300,000-user bot that count was most of every
//! request: 33 lists/s on PostgreSQL and 132 on SQLite with 32 clients, `benches/load.rs`).
//!
//! The total is `SUM(users)` over the bot's rows. On PostgreSQL a statement-level trigger
//! adds each statement's inserted and deleted users to the row `(bot, pg_backend_pid() %
//! 16)`, so concurrent ingest batches of one bot rarely wait for each other's row lock; a
//! row may go negative when a connection deletes users another added, the sum stays
//! exact. SQLite, with one writer, keeps one row a bot. Users deleted with their bot (the
//! foreign key's cascade) are not counted out: the bot's rows go with it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000011_bot_user_counts"
    }
}

const TABLE: &str = "CREATE TABLE bot_user_counts (
    bot_id BIGINT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
    shard INTEGER NOT NULL,
    users BIGINT NOT NULL,
    PRIMARY KEY (bot_id, shard)
)";

const FILL: &str = "INSERT INTO bot_user_counts (bot_id, shard, users) \
    SELECT bot_id, 0, COUNT(*) FROM users GROUP BY bot_id";

/// Statements, each run whole (the functions' bodies hold `;`).
const POSTGRES: [&str; 4] = [
    "CREATE FUNCTION bot_user_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bot_user_counts (bot_id, shard, users)
        SELECT bot_id, pg_backend_pid() % 16, COUNT(*) FROM inserted_users GROUP BY bot_id
        ON CONFLICT (bot_id, shard) DO UPDATE SET users = bot_user_counts.users + EXCLUDED.users;
    RETURN NULL;
END $$",
    "CREATE TRIGGER users_counted_in AFTER INSERT ON users REFERENCING NEW TABLE AS inserted_users \
     FOR EACH STATEMENT EXECUTE FUNCTION bot_user_counts_add()",
    // A bot being deleted is gone already when its users are: they are not counted out.
    "CREATE FUNCTION bot_user_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bot_user_counts (bot_id, shard, users)
        SELECT d.bot_id, pg_backend_pid() % 16, -COUNT(*) FROM deleted_users d
        WHERE EXISTS (SELECT 1 FROM bots b WHERE b.id = d.bot_id) GROUP BY d.bot_id
        ON CONFLICT (bot_id, shard) DO UPDATE SET users = bot_user_counts.users + EXCLUDED.users;
    RETURN NULL;
END $$",
    "CREATE TRIGGER users_counted_out AFTER DELETE ON users REFERENCING OLD TABLE AS deleted_users \
     FOR EACH STATEMENT EXECUTE FUNCTION bot_user_counts_remove()",
];

const SQLITE: [&str; 2] = [
    "CREATE TRIGGER users_counted_in AFTER INSERT ON users BEGIN \
     INSERT INTO bot_user_counts (bot_id, shard, users) VALUES (NEW.bot_id, 0, 1) \
     ON CONFLICT (bot_id, shard) DO UPDATE SET users = users + 1; END",
    // With its bot gone, the row is gone too and this changes nothing.
    "CREATE TRIGGER users_counted_out AFTER DELETE ON users BEGIN \
     UPDATE bot_user_counts SET users = users - 1 WHERE bot_id = OLD.bot_id AND shard = 0; END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        connection.execute_unprepared(TABLE).await?;
        if postgres {
            // An instance of the older version may still be writing (a rolling upgrade):
            // users it adds or deletes between the count and the triggers would never be
            // counted. Reads go on; writes wait for this transaction. (SQLite migrates in a
            // write transaction, so nobody else writes.)
            connection
                .execute_unprepared("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
                .await?;
        }
        connection.execute_unprepared(FILL).await?;
        let triggers: &[&str] = if postgres { &POSTGRES } else { &SQLITE };
        for statement in triggers {
            connection.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            DbBackend::Postgres => &[
                "DROP TRIGGER users_counted_in ON users",
                "DROP TRIGGER users_counted_out ON users",
                "DROP FUNCTION bot_user_counts_add()",
                "DROP FUNCTION bot_user_counts_remove()",
                "DROP TABLE bot_user_counts",
            ],
            _ => &[
                "DROP TRIGGER users_counted_in",
                "DROP TRIGGER users_counted_out",
                "DROP TABLE bot_user_counts",
            ],
        };
        for statement in statements {
            connection.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
