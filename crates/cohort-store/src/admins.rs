//! Admins and their sign-in sessions. Passwords are argon2id hashes; a session is a random
//! secret kept by the browser, stored here only as its SHA-256, and it ends after 12 idle
//! hours or 7 days, whichever comes first.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use cohort_core::api::{Me, WorkspaceSummary};
use cohort_core::limits::MAX_PASSWORD_CHARS;
use cohort_core::text::fold;
use cohort_core::time::Micros;
use cohort_core::workspaces::CheckedAdmin;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::entities::{admin, admin_session, workspace};
use crate::tokens::{hash_token, hex};
use crate::{Store, StoreError, WorkspaceScope};

/// A session ends this long after its last use.
pub const SESSION_IDLE_MICROS: i64 = 12 * 60 * 60 * 1_000_000;
/// A session ends this long after sign-in, however busy.
pub const SESSION_ABSOLUTE_MICROS: i64 = 7 * 24 * 60 * 60 * 1_000_000;
/// `last_seen_at` is written at most this often, so reads do not each cost a write.
const SESSION_TOUCH_MICROS: i64 = 60 * 1_000_000;

/// What `set_admin_password` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminWrite {
    /// A new admin.
    Created,
    /// The admin existed; their password is the new one now.
    PasswordChanged,
}

/// An admin's stored credentials, for checking a sign-in.
#[derive(Debug, Clone)]
pub struct AdminCredentials {
    /// The admin's id.
    pub id: i64,
    /// The argon2id hash in PHC format.
    pub password_hash: String,
}

/// A live session: the workspace it acts in and who signed in.
#[derive(Debug, Clone)]
pub struct AdminSession {
    /// The admin's workspace.
    pub workspace: WorkspaceScope,
    /// The admin and workspace, as the API shows them.
    pub me: Me,
}

/// The stored form of an email: trimmed and lower case.
pub fn normalise_email(email: &str) -> String {
    fold(email)
}

/// Hashes a password with argon2id (default parameters) and a random salt. Slow on
/// purpose: call it off the async runtime's threads when serving requests. The password's
/// length is `cohort_core::workspaces::check_admin`'s to check.
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)
        .map_err(|error| StoreError::Database(sea_orm::DbErr::Custom(error.to_string())))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| StoreError::Database(sea_orm::DbErr::Custom(error.to_string())))
}

/// Whether `password` matches `hash`. Without a hash (an unknown email) it checks against
/// a made-up one, so the answer takes as long either way; it is then always false.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not anyone's password").unwrap_or_default());
    let matches = PasswordHash::new(hash.unwrap_or(dummy)).is_ok_and(|parsed| {
        password.chars().count() <= MAX_PASSWORD_CHARS
            && Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
    });
    matches && hash.is_some()
}

impl Store {
    /// Creates the admin `credentials.email` in `workspace` at `now` (microseconds) with
    /// this password, or sets the password of the admin with that email. An email of
    /// another workspace's admin is refused (400 `/email`).
    pub async fn set_admin_password(
        &self,
        workspace: WorkspaceScope,
        credentials: &CheckedAdmin,
        now: Micros,
    ) -> Result<AdminWrite, StoreError> {
        let email = credentials.email.clone();
        let password_hash = hash_password(&credentials.password)?;
        let found = admin::Entity::find()
            .filter(admin::Column::Email.eq(email.as_str()))
            .one(&self.db)
            .await?;
        match found {
            Some(found) if found.workspace_id != workspace.id => Err(StoreError::invalid(
                "/email",
                "this email is an admin of another workspace",
            )),
            Some(found) => {
                let mut row = found.into_active_model();
                row.password_hash = Set(password_hash);
                let _turn = self.writer_turn().await?;
                row.update(&self.db).await?;
                Ok(AdminWrite::PasswordChanged)
            }
            None => {
                let _turn = self.writer_turn().await?;
                admin::ActiveModel {
                    workspace_id: Set(workspace.id),
                    email: Set(email),
                    password_hash: Set(password_hash),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&self.db)
                .await?;
                Ok(AdminWrite::Created)
            }
        }
    }

    /// The credentials of the admin with this email (any case), if there is one.
    pub async fn admin_credentials(
        &self,
        email: &str,
    ) -> Result<Option<AdminCredentials>, StoreError> {
        let found = admin::Entity::find()
            .filter(admin::Column::Email.eq(normalise_email(email)))
            .one(&self.db)
            .await?;
        Ok(found.map(|row| AdminCredentials {
            id: row.id,
            password_hash: row.password_hash,
        }))
    }

    /// Starts a session for an admin whose password was checked; returns its secret (the
    /// cookie's value), which is stored only as a hash.
    pub async fn create_admin_session(
        &self,
        admin_id: i64,
        now: i64,
    ) -> Result<String, StoreError> {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let secret = hex(&secret);
        let _turn = self.writer_turn().await?;
        admin_session::ActiveModel {
            id: Set(hash_token(&secret)),
            admin_id: Set(admin_id),
            created_at: Set(now),
            last_seen_at: Set(now),
        }
        .insert(&self.db)
        .await?;
        Ok(secret)
    }

    /// The live session with this secret at `now`, noting its use; `None` for an unknown
    /// secret, and for an expired session, which is deleted.
    pub async fn admin_session(
        &self,
        secret: &str,
        now: i64,
    ) -> Result<Option<AdminSession>, StoreError> {
        if secret.len() != 64 || !secret.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let Some(session) = admin_session::Entity::find_by_id(hash_token(secret))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if now - session.last_seen_at > SESSION_IDLE_MICROS
            || now - session.created_at > SESSION_ABSOLUTE_MICROS
        {
            let _turn = self.writer_turn().await?;
            admin_session::Entity::delete_by_id(session.id)
                .exec(&self.db)
                .await?;
            return Ok(None);
        }
        let Some(admin) = admin::Entity::find_by_id(session.admin_id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(workspace) = workspace::Entity::find_by_id(admin.workspace_id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if now - session.last_seen_at > SESSION_TOUCH_MICROS {
            let mut row = session.into_active_model();
            row.last_seen_at = Set(now);
            let _turn = self.writer_turn().await?;
            row.update(&self.db).await?;
        }
        Ok(Some(AdminSession {
            workspace: WorkspaceScope { id: workspace.id },
            me: Me {
                email: admin.email,
                workspace: WorkspaceSummary {
                    id: workspace.id.to_string(),
                    name: workspace.name,
                },
            },
        }))
    }

    /// Ends the session with this secret, if there is one.
    pub async fn delete_admin_session(&self, secret: &str) -> Result<(), StoreError> {
        let _turn = self.writer_turn().await?;
        admin_session::Entity::delete_by_id(hash_token(secret))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
