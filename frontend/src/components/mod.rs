//! The building blocks of the pages, one component per file.

pub mod activity_log;
pub mod avatar;
pub mod bot_switcher;
pub mod bulk_actions;
pub mod bulk_dialog;
pub mod bulk_toolbar;
pub mod dialog;
pub mod exports_panel;
pub mod filter_bar;
pub mod filter_builder;
pub mod message_item;
pub mod pager;
pub mod sign_in;
pub mod tag_input;
pub mod toast;
pub mod user_form;
pub mod user_panel;
pub mod users_table;
