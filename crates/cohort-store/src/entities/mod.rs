//! sea-orm entities of Cohort's tables. They never leave this crate: the store converts
//! them to `cohort_core::api` types.

pub mod admin;
pub mod admin_session;
pub mod api_token;
pub mod bot;
pub mod user;
pub mod workspace;
