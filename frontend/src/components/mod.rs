//! The building blocks of the pages, one component per file.

pub mod bot_picker;
pub mod first_name_filter;
pub mod toast;
pub mod token_prompt;
pub mod user_panel;
pub mod users_table;
