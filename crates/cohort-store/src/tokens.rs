//! API tokens: random, shown once, stored only as a SHA-256 hash. A token is 32 random
//! bytes, so a fast hash is enough (a password hash would only slow every request).

use cohort_core::time::Micros;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::entities::api_token;
use crate::{Store, StoreError, WorkspaceScope};

/// Every token starts with this, so leaked tokens are easy to recognise and scan for.
const TOKEN_PREFIX: &str = "cohort_";
/// Random bytes in a token (written as twice as many hex digits after the prefix).
const TOKEN_SECRET_BYTES: usize = 32;
/// The length of every token: the prefix and the secret in hex.
const TOKEN_CHARS: usize = TOKEN_PREFIX.len() + 2 * TOKEN_SECRET_BYTES;

impl Store {
    /// Creates a token for `workspace` at `now` (microseconds) and returns it; only its
    /// hash is kept.
    pub async fn create_token(
        &self,
        workspace: WorkspaceScope,
        now: Micros,
    ) -> Result<String, StoreError> {
        let mut secret = [0u8; TOKEN_SECRET_BYTES];
        rand::rng().fill_bytes(&mut secret);
        let token = format!("{TOKEN_PREFIX}{}", hex(&secret));
        let _turn = self.writer_turn().await?;
        api_token::ActiveModel {
            workspace_id: Set(workspace.id),
            token_hash: Set(hash_token(&token)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(token)
    }

    /// The workspace a token belongs to and the actor name for audits (`token:<id>`), or
    /// `None` for an unknown token.
    pub async fn authenticate(
        &self,
        token: &str,
    ) -> Result<Option<(WorkspaceScope, String)>, StoreError> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() != TOKEN_CHARS {
            return Ok(None);
        }
        let found = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(hash_token(token)))
            .one(&self.db)
            .await?;
        Ok(found.map(|row| {
            (
                WorkspaceScope {
                    id: row.workspace_id,
                },
                format!("token:{}", row.id),
            )
        }))
    }
}

pub(crate) fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
