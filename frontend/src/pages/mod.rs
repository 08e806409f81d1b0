//! The SPA's pages, one per file.

pub mod users_page;
