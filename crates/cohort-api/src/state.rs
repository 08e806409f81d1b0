//! `AppState`, what every request handler can reach. Its own module, apart from the
//! app's assembly in `app.rs`, so that handlers depend on the state and never on the
//! route table that lists them.

use cohort_store::Store;

use crate::exports::ExportFiles;
use crate::fair_use::{FairUse, RateLimit};
use crate::metrics::Metrics;
use crate::sign_in_limit::SignInLimiter;
use crate::spa::Spa;

/// What every request handler can reach.
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Where the built SPA's files come from.
    pub spa: Spa,
    /// Limits on sign-in attempts.
    pub sign_in_limiter: SignInLimiter,
    /// Where export files are kept.
    pub exports: ExportFiles,
    /// How long a background job's claim lasts without a heartbeat before another worker
    /// may take it over (after a crash or `kill -9`). Default 30 s.
    pub job_lease: std::time::Duration,
    /// Fair use: the request quota of every API token and admin session.
    pub fair_use: FairUse,
    /// What `/metrics` reports (served apart, by `serve_metrics`).
    pub metrics: std::sync::Arc<Metrics>,
}

impl AppState {
    /// The state for `store`, serving `spa`, keeping export files in `exports`, with the
    /// default sign-in limits.
    pub fn new(store: Store, spa: Spa, exports: ExportFiles) -> Self {
        Self {
            store,
            spa,
            sign_in_limiter: SignInLimiter::default(),
            exports,
            job_lease: crate::worker::DEFAULT_LEASE,
            fair_use: FairUse::new(RateLimit::default()),
            metrics: std::sync::Arc::new(Metrics::default()),
        }
    }

    /// The same state with another fair-use quota (see `fair_use`).
    #[must_use]
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        self.fair_use = FairUse::new(limit);
        self
    }

    /// The same state with another job lease (see `job_lease`).
    #[must_use]
    pub fn with_job_lease(mut self, lease: std::time::Duration) -> Self {
        self.job_lease = lease;
        self
    }
}
