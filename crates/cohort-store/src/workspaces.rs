//! Workspaces: found or created by name (for the CLI and the demo).

use chrono::Utc;
use cohort_core::time::to_micros;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::entities::workspace;
use crate::{Store, StoreError, WorkspaceScope};

impl Store {
    /// The workspace called `name`, created when there is none.
    pub async fn workspace_by_name(&self, name: &str) -> Result<WorkspaceScope, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::invalid(
                "/workspace",
                "a workspace name is 1 to 100 characters",
            ));
        }
        let found = workspace::Entity::find()
            .filter(workspace::Column::Name.eq(name))
            .one(&self.db)
            .await?;
        if let Some(found) = found {
            return Ok(WorkspaceScope { id: found.id });
        }
        let _turn = self.writer_turn().await?;
        let created = workspace::ActiveModel {
            name: Set(name.to_owned()),
            created_at: Set(to_micros(Utc::now())),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(WorkspaceScope { id: created.id })
    }
}
