//! The SPA's pages, one per file.

pub mod settings_page;
pub mod users_page;
