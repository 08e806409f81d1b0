//! Fair use: every API token and every admin session may send so many requests a minute
//! (`--rate-limit-per-minute`, 1,200 by default) with bursts of up to `--rate-limit-burst`
//! (as many by default). One caller's excess is a 429 problem with `Retry-After`; it never
//! slows another token or session down. Requests without valid credentials are not counted
//! here (they are refused anyway; failed sign-ins have `sign_in_limit`).
//!
//! The limit is `governor`'s keyed GCRA (a token bucket that refills continuously), kept
//! in memory per instance: N instances behind a balancer allow N times the quota. Keys
//! whose bucket is full again are dropped every minute, so the store holds only callers
//! seen in about the last minute.
//!
//! Every API response (under `/api`, and `/healthz`, `/readyz`, `/openapi.json`) carries the
//! IETF httpapi-ratelimit-headers (draft 10) fields: `RateLimit-Policy: "default";q=<per
//! minute>;w=60` and `RateLimit: "default";r=<requests left in the burst>;t=<seconds until
//! the burst is whole again>`. A request that was not counted shows the whole burst left.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::error::ApiError;

/// The response header with the caller's state.
pub const RATE_LIMIT_HEADER: &str = "ratelimit";
/// The response header with the policy.
pub const RATE_LIMIT_POLICY_HEADER: &str = "ratelimit-policy";

/// How often keys of idle callers are dropped.
const FORGET_IDLE_EVERY: Duration = Duration::from_secs(60);

/// A quota: requests a minute, and how many may come at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests a minute, on average.
    pub per_minute: NonZeroU32,
    /// Requests that may come at once (the bucket's size).
    pub burst: NonZeroU32,
}

impl Default for RateLimit {
    /// 1,200 a minute (20 a second), in bursts of up to 1,200.
    fn default() -> Self {
        let per_minute = NonZeroU32::new(1_200).unwrap_or(NonZeroU32::MIN);
        Self {
            per_minute,
            burst: per_minute,
        }
    }
}

type Limiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// The limiter, kept in `AppState`.
pub struct FairUse {
    limit: RateLimit,
    limiter: Limiter,
    last_forget: Mutex<Instant>,
}

/// What the limiter said about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Let through; `remaining` more may come at once, the burst is whole again in
    /// `reset_secs`.
    Allowed { remaining: u32, reset_secs: u64 },
    /// Over the limit: the next request is let through in `retry_after_secs`.
    Refused {
        retry_after_secs: u64,
        reset_secs: u64,
    },
}

impl FairUse {
    /// A limiter for `limit`.
    pub fn new(limit: RateLimit) -> Self {
        let quota = Quota::per_minute(limit.per_minute).allow_burst(limit.burst);
        Self {
            limit,
            limiter: RateLimiter::dashmap(quota).with_middleware::<StateInformationMiddleware>(),
            last_forget: Mutex::new(Instant::now()),
        }
    }

    /// The quota.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Counts one request of the caller `key`.
    pub(crate) fn check(&self, key: &str) -> Decision {
        self.forget_idle_now_and_then();
        let interval = self.quota().replenish_interval();
        let burst = self.limit.burst.get();
        match self.limiter.check_key(&key.to_owned()) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity().min(burst);
                Decision::Allowed {
                    remaining,
                    reset_secs: whole_seconds(interval * (burst - remaining)),
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.limiter.clock().now());
                Decision::Refused {
                    retry_after_secs: whole_seconds(wait).max(1),
                    reset_secs: whole_seconds(wait + interval * (burst - 1)).max(1),
                }
            }
        }
    }

    /// A request that was not counted: the whole burst is left.
    pub(crate) fn uncounted(&self) -> Decision {
        Decision::Allowed {
            remaining: self.limit.burst.get(),
            reset_secs: 0,
        }
    }

    /// How many callers the limiter holds state for.
    pub fn tracked_callers(&self) -> usize {
        self.limiter.len()
    }

    /// Drops the state of callers whose bucket is whole again (they are then
    /// indistinguishable from callers never seen).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    fn forget_idle_now_and_then(&self) {
        let Ok(mut last) = self.last_forget.try_lock() else {
            return;
        };
        if last.elapsed() >= FORGET_IDLE_EVERY {
            *last = Instant::now();
            drop(last);
            self.forget_idle();
        }
    }

    fn quota(&self) -> Quota {
        Quota::per_minute(self.limit.per_minute).allow_burst(self.limit.burst)
    }

    /// `RateLimit-Policy`: `"default";q=<per minute>;w=60`.
    pub(crate) fn policy_header(&self) -> String {
        format!("\"default\";q={};w=60", self.limit.per_minute)
    }
}

impl Decision {
    /// `RateLimit`: `"default";r=<remaining>;t=<seconds>`.
    pub(crate) fn header(self) -> String {
        let (remaining, reset_secs) = match self {
            Self::Allowed {
                remaining,
                reset_secs,
            } => (remaining, reset_secs),
            Self::Refused { reset_secs, .. } => (0, reset_secs),
        };
        format!("\"default\";r={remaining};t={reset_secs}")
    }
}

/// A duration in whole seconds, rounded up.
fn whole_seconds(duration: Duration) -> u64 {
    let secs = duration.as_secs();
    if duration.subsec_nanos() > 0 {
        secs.saturating_add(1)
    } else {
        secs
    }
}

/// The middleware: counts the request of a caller with valid credentials against its
/// quota, refuses it with 429 past the quota, and adds the headers to every API response.
/// It resolves the credentials once for the request (see `auth::principal`).
pub(crate) async fn limit(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = request
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .cloned();
    let Some(state) = state.filter(|_| crate::headers::is_api(request.path())) else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    let fair_use = &state.fair_use;
    // A failed lookup is the handler's to report; the request is then not counted.
    let principal = crate::auth::principal(request.request())
        .await
        .ok()
        .flatten();
    let decision = match principal {
        Some(principal) => fair_use.check(&principal.fair_use_key()),
        None => fair_use.uncounted(),
    };
    let mut response = match decision {
        Decision::Refused {
            retry_after_secs, ..
        } => request
            .error_response(ApiError::RateLimited { retry_after_secs })
            .map_into_boxed_body(),
        Decision::Allowed { .. } => next.call(request).await?.map_into_boxed_body(),
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (RATE_LIMIT_POLICY_HEADER, fair_use.policy_header()),
        (RATE_LIMIT_HEADER, decision.header()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_minute: u32, burst: u32) -> FairUse {
        FairUse::new(RateLimit {
            per_minute: NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN),
            burst: NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN),
        })
    }

    #[test]
    fn a_caller_gets_its_burst_then_waits_while_another_caller_does_not() {
        // One request a second, three at once.
        let fair_use = limiter(60, 3);
        for remaining in [2, 1, 0] {
            match fair_use.check("token:1") {
                Decision::Allowed {
                    remaining: left,
                    reset_secs,
                } => {
                    assert_eq!(left, remaining);
                    assert!((1..=3).contains(&reset_secs), "{reset_secs}");
                }
                refused => panic!("refused within the burst: {refused:?}"),
            }
        }
        match fair_use.check("token:1") {
            Decision::Refused {
                retry_after_secs,
                reset_secs,
            } => {
                assert_eq!(retry_after_secs, 1);
                assert!((3..=4).contains(&reset_secs), "{reset_secs}");
            }
            allowed => panic!("let through past the burst: {allowed:?}"),
        }
        assert!(matches!(
            fair_use.check("session:ab"),
            Decision::Allowed { remaining: 2, .. }
        ));
        assert_eq!(fair_use.tracked_callers(), 2);
    }

    #[test]
    fn the_headers_follow_the_draft() {
        let fair_use = limiter(1_200, 1_200);
        assert_eq!(fair_use.policy_header(), "\"default\";q=1200;w=60");
        assert_eq!(fair_use.uncounted().header(), "\"default\";r=1200;t=0");
        assert_eq!(fair_use.check("token:1").header(), "\"default\";r=1199;t=1");
        let refused = Decision::Refused {
            retry_after_secs: 2,
            reset_secs: 61,
        };
        assert_eq!(refused.header(), "\"default\";r=0;t=61");
    }

    #[test]
    fn callers_whose_bucket_is_whole_again_are_forgotten() {
        // 60,000 a minute: a bucket of one refills in a millisecond.
        let fair_use = limiter(60_000, 1);
        fair_use.check("token:1");
        fair_use.check("token:2");
        std::thread::sleep(Duration::from_millis(20));
        fair_use.forget_idle();
        assert_eq!(fair_use.tracked_callers(), 0);
    }

    #[test]
    fn seconds_round_up() {
        assert_eq!(whole_seconds(Duration::ZERO), 0);
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds(Duration::from_secs(2)), 2);
        assert_eq!(whole_seconds(Duration::from_millis(2_001)), 3);
    }
}
