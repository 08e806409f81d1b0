//! `/bots/{bot}/audit`: who did what to how many users.

pub mod list;
