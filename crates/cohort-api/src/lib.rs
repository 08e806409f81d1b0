//! Cohort's REST API on actix-web: handlers (one per file under `routes/`), bearer-token
//! and session-cookie authentication, RFC 9457 errors, the OpenAPI document utoipa
//! derives from them, and the admin SPA embedded in the binary.

mod app;
mod auth;
mod error;
mod exports;
mod extract;
mod fair_use;
mod fallback;
mod head;
mod headers;
mod idempotency;
mod input_guard;
mod metrics;
mod openapi;
mod request_id;
mod routes;
mod sign_in_limit;
mod spa;
mod state;
mod strict_json;
mod worker;

pub use app::{serve, serve_with_worker};
pub use error::ApiError;
pub use exports::{DEFAULT_EXPORT_TTL, ExportFiles, install_tls_provider};
pub use fair_use::{FairUse, RATE_LIMIT_HEADER, RATE_LIMIT_POLICY_HEADER, RateLimit};
pub use idempotency::{IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER};
pub use metrics::{Metrics, UNMATCHED_ROUTE, serve_metrics};
pub use openapi::{openapi, openapi_json};
pub use request_id::REQUEST_ID_HEADER;
pub use sign_in_limit::{Limit, SignInLimiter};
pub use spa::Spa;
pub use state::AppState;
pub use worker::WorkerHandle;
