//! Limits on failed sign-ins, per email and per client address, so nobody can guess
//! passwords quickly: past `failures` wrong passwords within `window`, further attempts are
//! refused (429) without their password being looked at, until the oldest failure is
//! `window` old. Successful sign-ins are not counted: an admin who signs in from several
//! tabs or machines is never locked out by it.
//!
//! `governor` (a token bucket) cannot look at a bucket without taking from it, so it would
//! have to count every attempt, successes included; this sliding window counts failures.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys kept before expired ones are dropped.
const MAX_KEYS: usize = 10_000;

/// How many failures within how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Failures allowed within `window`; the next attempt is refused.
    pub failures: usize,
    /// How long a failure counts.
    pub window: Duration,
}

/// The sign-in limits, kept in `AppState`.
pub struct SignInLimiter {
    by_email: Window<String>,
    by_address: Window<IpAddr>,
}

impl Default for SignInLimiter {
    /// 5 failures per email and 20 per address within a minute.
    fn default() -> Self {
        Self::new(
            Limit {
                failures: 5,
                window: Duration::from_secs(60),
            },
            Limit {
                failures: 20,
                window: Duration::from_secs(60),
            },
        )
    }
}

impl SignInLimiter {
    /// Limits with these quotas per email and per client address.
    pub fn new(per_email: Limit, per_address: Limit) -> Self {
        Self {
            by_email: Window::new(per_email),
            by_address: Window::new(per_address),
        }
    }

    /// Whether `email` (already normalised) from `address` may try now; `Err` holds how
    /// long to wait.
    pub fn check(&self, email: &str, address: Option<IpAddr>) -> Result<(), Duration> {
        let now = Instant::now();
        let by_email = self.by_email.wait(&email.to_owned(), now);
        let by_address = address.and_then(|address| self.by_address.wait(&address, now));
        match by_email.max(by_address) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// Counts a wrong password for `email` from `address`.
    pub fn failed(&self, email: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        self.by_email.record(email.to_owned(), now);
        if let Some(address) = address {
            self.by_address.record(address, now);
        }
    }
}

/// Failure times per key within one `Limit`.
struct Window<K> {
    limit: Limit,
    failures: Mutex<HashMap<K, VecDeque<Instant>>>,
}

impl<K: Eq + Hash + Clone> Window<K> {
    fn new(limit: Limit) -> Self {
        Self {
            limit,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// How long `key` must wait at `now`, if it must.
    fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let times = failures.get_mut(key)?;
        forget_older(times, now, self.limit.window);
        if times.len() < self.limit.failures {
            return None;
        }
        let oldest = times.front()?;
        Some(
            self.limit
                .window
                .saturating_sub(now.duration_since(*oldest)),
        )
    }

    fn record(&self, key: K, now: Instant) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() > MAX_KEYS {
            failures.retain(|_, times| {
                forget_older(times, now, self.limit.window);
                !times.is_empty()
            });
        }
        let times = failures.entry(key).or_default();
        forget_older(times, now, self.limit.window);
        times.push_back(now);
        // Only the newest `failures` matter for the wait.
        while times.len() > self.limit.failures {
            times.pop_front();
        }
    }
}

fn forget_older(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times
        .front()
        .is_some_and(|time| now.duration_since(*time) >= window)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(failures: usize, secs: u64) -> Window<&'static str> {
        Window::new(Limit {
            failures,
            window: Duration::from_secs(secs),
        })
    }

    #[test]
    fn the_failure_past_the_limit_waits_until_the_oldest_is_a_window_old() {
        let limits = window(3, 60);
        let start = Instant::now();
        for second in 0..3 {
            assert_eq!(limits.wait(&"a", start + Duration::from_secs(second)), None);
            limits.record("a", start + Duration::from_secs(second));
        }
        let later = start + Duration::from_secs(10);
        assert_eq!(limits.wait(&"a", later), Some(Duration::from_secs(50)));
        // Another key is not held back.
        assert_eq!(limits.wait(&"b", later), None);
        // Once the oldest failure is a minute old, one more try is allowed.
        assert_eq!(limits.wait(&"a", start + Duration::from_secs(60)), None);
    }

    #[test]
    fn the_limiter_refuses_by_email_or_by_address() {
        let limiter = SignInLimiter::new(
            Limit {
                failures: 2,
                window: Duration::from_secs(60),
            },
            Limit {
                failures: 3,
                window: Duration::from_secs(60),
            },
        );
        let here = Some(IpAddr::from([127, 0, 0, 1]));
        limiter.failed("a@x", here);
        assert!(limiter.check("a@x", here).is_ok());
        limiter.failed("a@x", here);
        assert!(limiter.check("a@x", here).is_err());
        assert!(limiter.check("b@x", here).is_ok());
        limiter.failed("b@x", here);
        assert!(limiter.check("c@x", here).is_err());
        assert!(
            limiter
                .check("c@x", Some(IpAddr::from([10, 0, 0, 1])))
                .is_ok()
        );
    }
}
