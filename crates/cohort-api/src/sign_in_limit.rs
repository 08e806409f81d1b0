//! Limits on sign-in attempts, per email and per client address (GCRA, from `governor`),
//! so nobody can guess passwords quickly. An attempt takes one cell of both buckets before
//! its password is looked at; a refused attempt is not checked at all.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Keys kept before forgetting the buckets that are full again.
const MAX_KEYS: usize = 10_000;

/// The sign-in limits, kept in `AppState`.
pub struct SignInLimiter {
    by_email: DefaultKeyedRateLimiter<String>,
    by_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for SignInLimiter {
    /// 5 attempts per email at once, then one every 12 seconds; 20 per address at once,
    /// then one every 3 seconds.
    fn default() -> Self {
        Self::new(
            quota(5, Duration::from_secs(12)),
            quota(20, Duration::from_secs(3)),
        )
    }
}

/// `burst` attempts at once, then one every `period`.
pub fn quota(burst: u32, period: Duration) -> Quota {
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

impl SignInLimiter {
    /// Limits with these quotas per email and per client address.
    pub fn new(per_email: Quota, per_address: Quota) -> Self {
        Self {
            by_email: RateLimiter::keyed(per_email),
            by_address: RateLimiter::keyed(per_address),
        }
    }

    /// Counts an attempt for `email` (already normalised) from `address`; `Err` holds how
    /// long to wait when either limit is reached.
    pub fn attempt(&self, email: &str, address: Option<IpAddr>) -> Result<(), Duration> {
        if self.by_email.len() > MAX_KEYS {
            self.by_email.retain_recent();
        }
        if self.by_address.len() > MAX_KEYS {
            self.by_address.retain_recent();
        }
        let now = DefaultClock::default().now();
        let by_address = match address {
            Some(address) => self.by_address.check_key(&address),
            None => Ok(()),
        };
        let by_email = self.by_email.check_key(&email.to_owned());
        match (by_address, by_email) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(limited), _) | (_, Err(limited)) => Err(limited.wait_time_from(now)),
        }
    }
}
