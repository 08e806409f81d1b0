//! Reading a bot's audit log, newest first.

use cohort_core::api::{AuditEntry, AuditPage};
use cohort_core::sort::IdCursor;
use cohort_core::time::from_micros;
use sea_orm::FromQueryResult;

use crate::sql::Sql;
use crate::{BotScope, Store, StoreError};

#[derive(FromQueryResult)]
struct AuditRow {
    id: i64,
    actor: String,
    action: String,
    details: String,
    selection: String,
    affected: i64,
    created_at: i64,
}

impl Store {
    /// A page of the bot's audit log, newest first, after `cursor`.
    pub async fn list_audit(
        &self,
        bot: BotScope,
        limit: u64,
        cursor: Option<IdCursor>,
    ) -> Result<AuditPage, StoreError> {
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT id, actor, action, details, selection, affected, created_at FROM audit_log WHERE bot_id = ")
            .bind(bot.bot_id);
        if let Some(IdCursor(before)) = cursor {
            sql.push(" AND id < ").bind(before);
        }
        sql.push(" ORDER BY id DESC LIMIT ").bind(limit as i64 + 1);
        let mut rows = AuditRow::find_by_statement(sql.build())
            .all(&self.db)
            .await?;
        let has_more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = rows
            .last()
            .filter(|_| has_more)
            .map(|row| IdCursor(row.id).encode());

        let mut sql = Sql::new(self.backend());
        sql.push("SELECT COUNT(*) AS count FROM audit_log WHERE bot_id = ")
            .bind(bot.bot_id);
        let total = sql.count(&self.db).await?;

        let data = rows
            .into_iter()
            .map(|row| AuditEntry {
                id: row.id.to_string(),
                at: from_micros(row.created_at),
                actor: row.actor,
                action: row.action,
                details: serde_json::from_str(&row.details).unwrap_or_default(),
                selection: serde_json::from_str(&row.selection).unwrap_or_default(),
                affected: row.affected.max(0) as u64,
            })
            .collect();
        Ok(AuditPage {
            data,
            next_cursor,
            total,
        })
    }
}
