//! Idempotency keys: the first answer to a changing request sent with `Idempotency-Key`,
//! kept 24 hours so that a retry of the same request is answered the same, not applied
//! again. One row per (credential, key); `status` is null while the first request runs.
//! The same DDL serves both engines.

use sea_orm_migration::prelude::*;

use crate::run_script;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000009_idempotency_keys"
    }
}

/// `scope` is the SHA-256 of the credential (token or session) that sent the key, so keys of
/// different callers never meet; `fingerprint` the SHA-256 of method, path, query and body.
const UP: &str = r#"
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    location TEXT,
    body TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
"#;

const DOWN: &str = "DROP TABLE idempotency_keys;\n";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run_script(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run_script(manager, DOWN).await
    }
}
