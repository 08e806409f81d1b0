//! Idempotency keys (`Idempotency-Key`): the first answer to a changing request, kept
//! `IDEMPOTENCY_KEY_TTL_SECS`, so that a retry of the same request is answered the same
//! and not applied twice. In the database, so instances sharing it share the keys.
//!
//! A key is claimed before the request runs (a row with a null `status`) and completed
//! with its answer after. Two requests with one key at once: one claims it, the other
//! finds it in flight. A claim whose server stopped is taken over after
//! `IDEMPOTENCY_KEY_LEASE_SECS`.

use cohort_core::limits::{IDEMPOTENCY_KEY_LEASE_SECS, IDEMPOTENCY_KEY_TTL_SECS};
use cohort_core::time::Micros;
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::sql::Sql;
use crate::{Store, StoreError};

/// The first answer to a request, as replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// The HTTP status.
    pub status: u16,
    /// `Content-Type`, when the answer had one.
    pub content_type: Option<String>,
    /// `Location`, when the answer had one (a 201 or a 202).
    pub location: Option<String>,
    /// The body, as sent (every changing operation answers JSON, or nothing).
    pub body: String,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// The key is new (or its last use expired): run the request, then `complete` or
    /// `release` the key.
    Claimed,
    /// The same request was answered before: send this again.
    Replay(StoredResponse),
    /// The same key is held by a request still running.
    InFlight,
    /// The key was used for another request (method, path or body differ).
    OtherRequest,
}

#[derive(FromQueryResult)]
struct KeyRow {
    fingerprint: String,
    status: Option<i32>,
    content_type: Option<String>,
    location: Option<String>,
    body: Option<String>,
}

impl Store {
    /// Claims `key` of the caller `scope` for the request `fingerprint`, at `now`.
    pub async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: Micros,
    ) -> Result<IdempotencyClaim, StoreError> {
        let backend = self.backend();
        // An expired answer, or a claim whose request never ended, frees the key.
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM idempotency_keys WHERE scope = ")
            .bind(scope)
            .push(" AND idempotency_key = ")
            .bind(key)
            .push(" AND (created_at < ")
            .bind(now - IDEMPOTENCY_KEY_TTL_SECS * 1_000_000)
            .push(" OR (status IS NULL AND created_at < ")
            .bind(now - IDEMPOTENCY_KEY_LEASE_SECS * 1_000_000)
            .push("))");
        let _turn = self.writer_turn().await?;
        self.db.execute_raw(sql.build()).await?;
        let mut sql = Sql::new(backend);
        sql.push("INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, created_at) VALUES (")
            .bind(scope)
            .push(", ")
            .bind(key)
            .push(", ")
            .bind(fingerprint)
            .push(", ")
            .bind(now)
            .push(") ON CONFLICT (scope, idempotency_key) DO NOTHING");
        if self.db.execute_raw(sql.build()).await?.rows_affected() == 1 {
            return Ok(IdempotencyClaim::Claimed);
        }
        let mut sql = Sql::new(backend);
        sql.push("SELECT fingerprint, status, content_type, location, body FROM idempotency_keys WHERE scope = ")
            .bind(scope)
            .push(" AND idempotency_key = ")
            .bind(key);
        let Some(row) = KeyRow::find_by_statement(sql.build()).one(&self.db).await? else {
            // Deleted between the insert and the read: its holder released it; the caller
            // may try again, as after a 409.
            return Ok(IdempotencyClaim::InFlight);
        };
        Ok(if row.fingerprint != fingerprint {
            IdempotencyClaim::OtherRequest
        } else {
            match row.status.and_then(|status| u16::try_from(status).ok()) {
                None => IdempotencyClaim::InFlight,
                Some(status) => IdempotencyClaim::Replay(StoredResponse {
                    status,
                    content_type: row.content_type,
                    location: row.location,
                    body: row.body.unwrap_or_default(),
                }),
            }
        })
    }

    /// Keeps `response` as the answer to the request that claimed `key`.
    pub async fn complete_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        response: &StoredResponse,
    ) -> Result<(), StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("UPDATE idempotency_keys SET status = ")
            .bind(i32::from(response.status))
            .push(", content_type = ")
            .bind(response.content_type.clone())
            .push(", location = ")
            .bind(response.location.clone())
            .push(", body = ")
            .bind(response.body.clone())
            .push(" WHERE scope = ")
            .bind(scope)
            .push(" AND idempotency_key = ")
            .bind(key);
        let _turn = self.writer_turn().await?;
        self.db.execute_raw(sql.build()).await?;
        Ok(())
    }

    /// Frees `key` without an answer (the request failed on our side), so a retry runs.
    pub async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("DELETE FROM idempotency_keys WHERE scope = ")
            .bind(scope)
            .push(" AND idempotency_key = ")
            .bind(key)
            .push(" AND status IS NULL");
        let _turn = self.writer_turn().await?;
        self.db.execute_raw(sql.build()).await?;
        Ok(())
    }
}
