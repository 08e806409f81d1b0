//! Cohort's REST API on actix-web: handlers (one per file under `routes/`), bearer-token
//! authentication, RFC 9457 errors, and the OpenAPI document utoipa derives from them.

mod app;
mod auth;
mod error;
mod extract;
mod fallback;
mod openapi;
mod routes;
mod worker;

pub use app::{AppState, serve};
pub use error::ApiError;
pub use openapi::{openapi, openapi_json};
