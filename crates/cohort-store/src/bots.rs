//! Bots of a workspace: list, create, read, change, delete; and `bot_scope`, the only way
//! to a `BotScope`.

use cohort_core::api::Bot;
use cohort_core::bots::{CheckedBot, CheckedBotChanges};
use cohort_core::time::Micros;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::entities::bot;
use crate::{BotScope, Store, StoreError, WorkspaceScope, parse_id};

impl Store {
    /// The bot `bot_id` if it belongs to `workspace`; otherwise not found.
    pub async fn bot_scope(
        &self,
        workspace: WorkspaceScope,
        bot_id: &str,
    ) -> Result<BotScope, StoreError> {
        let model = self.bot_model(workspace, bot_id).await?;
        Ok(BotScope {
            workspace_id: workspace.id,
            bot_id: model.id,
        })
    }

    async fn bot_model(
        &self,
        workspace: WorkspaceScope,
        bot_id: &str,
    ) -> Result<bot::Model, StoreError> {
        bot::Entity::find_by_id(parse_id(bot_id)?)
            .filter(bot::Column::WorkspaceId.eq(workspace.id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The workspace's bots, oldest first.
    pub async fn list_bots(&self, workspace: WorkspaceScope) -> Result<Vec<Bot>, StoreError> {
        let models = bot::Entity::find()
            .filter(bot::Column::WorkspaceId.eq(workspace.id))
            .order_by_asc(bot::Column::Id)
            .all(&self.db)
            .await?;
        Ok(models.into_iter().map(Bot::from).collect())
    }

    /// One bot of the workspace.
    pub async fn get_bot(
        &self,
        workspace: WorkspaceScope,
        bot_id: &str,
    ) -> Result<Bot, StoreError> {
        Ok(self.bot_model(workspace, bot_id).await?.into())
    }

    /// Creates a bot (checked by `cohort_core::bots::check_create_bot`) at `now`.
    pub async fn create_bot(
        &self,
        workspace: WorkspaceScope,
        request: &CheckedBot,
        now: Micros,
    ) -> Result<Bot, StoreError> {
        let _turn = self.writer_turn().await?;
        let model = bot::ActiveModel {
            workspace_id: Set(workspace.id),
            name: Set(request.name.clone()),
            session_timeout_secs: Set(request.session_timeout_secs),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(model.into())
    }

    /// Changes a bot's name or settings (checked by `cohort_core::bots::check_update_bot`)
    /// at `now`. Changes that change nothing (`{}`, or the values it has) write nothing and
    /// leave `updated_at` as it was.
    pub async fn update_bot(
        &self,
        workspace: WorkspaceScope,
        bot_id: &str,
        changes: &CheckedBotChanges,
        now: Micros,
    ) -> Result<Bot, StoreError> {
        let current = self.bot_model(workspace, bot_id).await?;
        let mut model = current.clone().into_active_model();
        if let Some(name) = &changes.name {
            model.name.set_if_not_equals(name.clone());
        }
        if let Some(timeout) = changes.session_timeout_secs {
            model.session_timeout_secs.set_if_not_equals(timeout);
        }
        if !model.is_changed() {
            return Ok(current.into());
        }
        model.updated_at = Set(now);
        let _turn = self.writer_turn().await?;
        Ok(model.update(&self.db).await?.into())
    }

    /// Deletes a bot with all its users, tags and attributes.
    pub async fn delete_bot(
        &self,
        workspace: WorkspaceScope,
        bot_id: &str,
    ) -> Result<(), StoreError> {
        let model = self.bot_model(workspace, bot_id).await?;
        let (_turn, transaction) = self.begin_write().await?;
        bot::Entity::delete_by_id(model.id)
            .exec(&transaction)
            .await?;
        transaction.commit().await?;
        Ok(())
    }
}
