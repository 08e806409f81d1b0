//! Cohort's schema, as sea-orm-migration migrations. Each migration carries DDL per engine:
//! SQLite and PostgreSQL want different layouts and indexes for the same data (see
//! `ARCHITECTURE.md`), and both are written out here rather than lowered from one builder.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_initial;
mod m20261129_000002_audit_log;
mod m20261129_000003_events_and_jobs;
mod m20261129_000004_user_stats;
mod m20261130_000005_admins;
mod m20261130_000006_external_id_folded;
mod m20261130_000007_exports;
mod m20261201_000008_long_attribute_values;
mod m20261205_000009_idempotency_keys;
mod m20261205_000010_nfkc_casefold;
mod m20261206_000011_bot_user_counts;
mod m20261206_000012_stats_indexes;
mod m20261206_000013_postgres_orders_and_statistics;

pub use m20261201_000008_long_attribute_values::ATTRIBUTE_VALUE_INDEX_PREFIX;

/// Runs Cohort's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_initial::Migration),
            Box::new(m20261129_000002_audit_log::Migration),
            Box::new(m20261129_000003_events_and_jobs::Migration),
            Box::new(m20261129_000004_user_stats::Migration),
            Box::new(m20261130_000005_admins::Migration),
            Box::new(m20261130_000006_external_id_folded::Migration),
            Box::new(m20261130_000007_exports::Migration),
            Box::new(m20261201_000008_long_attribute_values::Migration),
            Box::new(m20261205_000009_idempotency_keys::Migration),
            Box::new(m20261205_000010_nfkc_casefold::Migration),
            Box::new(m20261206_000011_bot_user_counts::Migration),
            Box::new(m20261206_000012_stats_indexes::Migration),
            Box::new(m20261206_000013_postgres_orders_and_statistics::Migration),
        ]
    }
}

/// Runs each `;`-terminated statement of `script` in order.
pub(crate) async fn run_script(manager: &SchemaManager<'_>, script: &str) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    for statement in script.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        connection.execute_unprepared(statement).await?;
    }
    Ok(())
}
