//! Sessions and the stats derived from a user's events, exactly as PRODUCT.md defines
//! them: a new session at the first event and at every event whose gap to the previous
//! one is greater than the timeout (a gap of exactly the timeout continues the session);
//! time spent is the sum over sessions of last minus first event time.
//!
//! Two ways to the same numbers: `Stats::apply` adds one event that is not older than the
//! latest one seen (O(1), for ingestion), and `Stats::rebuild` computes everything from
//! the log (for late events and Refresh Stats). All arithmetic is on integers
//! (microseconds, sentiment in 1e-4 steps), so the two agree exactly, not nearly.

use crate::time::Micros;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A message the user sent, with its sentiment in 1e-4 steps (-10000..=10000).
    Message { sentiment: i32 },
    /// A URL-button click.
    Click,
}

/// One event of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub at: Micros,
    pub kind: EventKind,
}

/// A user's stats and the running state incremental updates need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub sessions: i64,
    pub messages_sent: i64,
    pub clicks: i64,
    /// Time spent, in microseconds (shown in whole seconds).
    pub time_spent_micros: i64,
    /// Sum of message sentiments in 1e-4 steps.
    pub sentiment_sum: i64,
    pub last_message_at: Option<Micros>,
    /// Time of the latest event; incremental updates continue from here.
    pub last_event_at: Option<Micros>,
}

/// Applying an event older than the latest one seen needs a rebuild from the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfOrder;

impl Stats {
    /// Adds `event`, which must not be older than the latest event seen.
    pub fn apply(&mut self, event: Event, timeout_secs: i64) -> Result<(), OutOfOrder> {
        match self.last_event_at {
            Some(last) if event.at < last => return Err(OutOfOrder),
            Some(last) if event.at - last <= timeout_secs.saturating_mul(1_000_000) => {
                self.time_spent_micros += event.at - last;
            }
            _ => self.sessions += 1,
        }
        self.last_event_at = Some(event.at);
        match event.kind {
            EventKind::Message { sentiment } => {
                self.messages_sent += 1;
                self.sentiment_sum += i64::from(sentiment);
                self.last_message_at =
                    Some(self.last_message_at.map_or(event.at, |t| t.max(event.at)));
            }
            EventKind::Click => self.clicks += 1,
        }
        Ok(())
    }

    /// The stats of a whole log, in any order.
    pub fn rebuild(events: &[Event], timeout_secs: i64) -> Self {
        let mut sorted = events.to_vec();
        sorted.sort_by_key(|event| event.at);
        let mut stats = Self::default();
        for event in sorted {
            // Sorted, so never out of order.
            let _ = stats.apply(event, timeout_secs);
        }
        stats
    }

    /// Time spent in whole seconds.
    pub fn time_spent_secs(&self) -> i64 {
        self.time_spent_micros / 1_000_000
    }

    /// Mean sentiment in [-1, 1]; `None` without messages.
    pub fn average_sentiment(&self) -> Option<f64> {
        (self.messages_sent > 0)
            .then(|| self.sentiment_sum as f64 / self.messages_sent as f64 / 10_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECOND: i64 = 1_000_000;

    fn message(at_secs: i64) -> Event {
        Event {
            at: at_secs * SECOND,
            kind: EventKind::Message { sentiment: 5000 },
        }
    }

    fn click(at_secs: i64) -> Event {
        Event {
            at: at_secs * SECOND,
            kind: EventKind::Click,
        }
    }

    fn check(events: &[Event], timeout_secs: i64, expected: (i64, i64, i64, i64)) {
        let stats = Stats::rebuild(events, timeout_secs);
        assert_eq!(
            (
                stats.sessions,
                stats.time_spent_secs(),
                stats.messages_sent,
                stats.clicks
            ),
            expected,
            "{events:?}"
        );
    }

    #[test]
    fn sessions_split_on_gaps_greater_than_the_timeout() {
        check(&[], 600, (0, 0, 0, 0));
        check(&[message(0)], 600, (1, 0, 1, 0));
        check(&[message(0), click(600)], 600, (1, 600, 1, 1));
        check(&[message(0), click(601)], 600, (2, 0, 1, 1));
        check(
            &[message(0), message(300), message(1000), message(1100)],
            600,
            (2, 400, 4, 0),
        );
        check(
            &[message(1100), message(0), message(1000), message(300)],
            600,
            (2, 400, 4, 0),
        );
    }

    #[test]
    fn average_sentiment_and_last_message_ignore_clicks() {
        let stats = Stats::rebuild(
            &[
                Event {
                    at: 10,
                    kind: EventKind::Message { sentiment: 10_000 },
                },
                Event {
                    at: 20,
                    kind: EventKind::Message { sentiment: -5_000 },
                },
                Event {
                    at: 30,
                    kind: EventKind::Click,
                },
            ],
            600,
        );
        assert_eq!(stats.average_sentiment(), Some(0.25));
        assert_eq!(stats.last_message_at, Some(20));
        assert_eq!(Stats::default().average_sentiment(), None);
    }

    #[test]
    fn an_older_event_is_refused_by_apply() {
        let mut stats = Stats::default();
        assert_eq!(stats.apply(message(10), 600), Ok(()));
        assert_eq!(stats.apply(message(5), 600), Err(OutOfOrder));
        assert_eq!(stats.messages_sent, 1);
    }

    fn events() -> impl Strategy<Value = Vec<Event>> {
        proptest::collection::vec(
            (0i64..5_000, any::<bool>(), -10_000i32..=10_000).prop_map(
                |(at, is_click, sentiment)| Event {
                    at: at * SECOND / 3,
                    kind: if is_click {
                        EventKind::Click
                    } else {
                        EventKind::Message { sentiment }
                    },
                },
            ),
            0..60,
        )
    }

    proptest! {
        /// Events arriving in any order: apply what is in order, rebuild from the log
        /// seen so far when one is late; the result always equals one rebuild.
        #[test]
        fn incremental_stats_equal_a_rebuild_for_any_arrival_order(arrivals in events(), timeout in 1i64..900) {
            let mut log = Vec::new();
            let mut stats = Stats::default();
            for event in &arrivals {
                log.push(*event);
                if stats.apply(*event, timeout).is_err() {
                    stats = Stats::rebuild(&log, timeout);
                }
            }
            prop_assert_eq!(stats, Stats::rebuild(&arrivals, timeout));
        }

        #[test]
        fn session_count_and_time_are_bounded_by_the_events(log in events(), timeout in 1i64..900) {
            let stats = Stats::rebuild(&log, timeout);
            prop_assert!(stats.sessions <= log.len() as i64);
            prop_assert_eq!(stats.messages_sent + stats.clicks, log.len() as i64);
            let span = log.iter().map(|e| e.at).max().unwrap_or(0) - log.iter().map(|e| e.at).min().unwrap_or(0);
            prop_assert!(stats.time_spent_micros <= span);
        }
    }
}
