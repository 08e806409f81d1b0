//! A bot's user as read from the view `user_rows`: the particulars kept in `users` (with
//! folded copies for filtering) and the stats kept in `user_stats`. Reads only: writes go
//! to the two tables.

use std::collections::BTreeMap;

use cohort_core::api::User;
use cohort_core::time::from_micros;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "user_rows")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bot_id: i64,
    pub channel: String,
    pub external_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub locale: Option<String>,
    pub timezone: Option<String>,
    pub avatar_url: Option<String>,
    pub notes: Option<String>,
    pub first_name_folded: Option<String>,
    pub last_name_folded: Option<String>,
    pub name_folded: Option<String>,
    pub email_folded: Option<String>,
    pub external_id_folded: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub sessions: i64,
    pub messages_sent: i64,
    pub clicks: i64,
    pub time_spent_secs: i64,
    pub average_sentiment: Option<f64>,
    pub last_message_at: Option<i64>,
    pub time_spent_micros: i64,
    pub sentiment_sum: i64,
    pub last_event_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The API's user, with the tags and attributes loaded separately.
    pub fn into_user(self, tags: Vec<String>, attributes: BTreeMap<String, String>) -> User {
        User {
            id: self.id.to_string(),
            bot_id: self.bot_id.to_string(),
            channel: self.channel,
            external_id: self.external_id,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            phone: self.phone,
            locale: self.locale,
            timezone: self.timezone,
            avatar_url: self.avatar_url,
            notes: self.notes,
            created_at: from_micros(self.created_at),
            updated_at: from_micros(self.updated_at),
            sessions: self.sessions,
            messages_sent: self.messages_sent,
            clicks: self.clicks,
            time_spent_secs: self.time_spent_secs,
            average_sentiment: self.average_sentiment,
            average_sentiment_label: self
                .average_sentiment
                .map(cohort_core::sentiment::label_for),
            last_message_at: self.last_message_at.map(from_micros),
            tags,
            attributes,
        }
    }
}
