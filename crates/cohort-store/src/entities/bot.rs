//! `bots`: a workspace's bots with their settings.

use cohort_core::api::Bot;
use cohort_core::time::from_micros;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub session_timeout_secs: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl From<Model> for Bot {
    fn from(model: Model) -> Self {
        Bot {
            id: model.id.to_string(),
            name: model.name,
            session_timeout_secs: model.session_timeout_secs,
            created_at: from_micros(model.created_at),
            updated_at: from_micros(model.updated_at),
        }
    }
}
