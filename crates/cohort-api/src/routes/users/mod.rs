//! `/bots/{bot}/users`: a bot's users; and `/columns`, `/tags`, what they can be filtered by.

pub mod bulk;
pub mod columns;
pub mod count;
pub mod delete;
pub mod get;
pub mod list;
pub mod messages;
pub mod search;
pub mod tags;
pub mod update;
pub mod upsert;
