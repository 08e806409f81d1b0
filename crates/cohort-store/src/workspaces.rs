//! Workspaces: found or created by name (for the CLI and the demo).

use cohort_core::time::Micros;
use cohort_core::workspaces::WorkspaceName;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::entities::workspace;
use crate::{Store, StoreError, WorkspaceScope};

impl Store {
    /// The workspace called `name`, created at `now` (microseconds) when there is none.
    pub async fn workspace_by_name(
        &self,
        name: &WorkspaceName,
        now: Micros,
    ) -> Result<WorkspaceScope, StoreError> {
        let found = workspace::Entity::find()
            .filter(workspace::Column::Name.eq(name.as_str()))
            .one(&self.db)
            .await?;
        if let Some(found) = found {
            return Ok(WorkspaceScope { id: found.id });
        }
        let _turn = self.writer_turn().await?;
        let created = workspace::ActiveModel {
            name: Set(name.as_str().to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(WorkspaceScope { id: created.id })
    }
}
