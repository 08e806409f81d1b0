//! `/bots/{bot}/exports`: CSV exports of a selection of users, run as background jobs,
//! their history, and their files.

pub mod create;
pub mod delete;
pub mod download;
pub mod get;
pub mod list;
