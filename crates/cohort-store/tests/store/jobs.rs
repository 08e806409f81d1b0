//! Background jobs in the database: tenancy, leases, takeover after a worker stopped,
//! giving up, concurrent claimers; and the stats rebuild Refresh Stats runs.

use cohort_store::testing::Checked;
use cohort_store::testing::{now, workspace_name};
use std::collections::BTreeSet;
use std::time::Duration;

use cohort_core::api::{JobStatus, UpsertUser};
use cohort_core::sessions::{Event, EventKind, Stats};
use cohort_core::time::from_micros;
use cohort_store::{BotScope, MAX_JOB_ATTEMPTS, REFRESH_CHUNK_USERS, Store, StoreError};
use serde_json::json;

use crate::helpers::{fixture, new_bot};

const SECOND: i64 = 1_000_000;
const LEASE: Duration = Duration::from_secs(30);
/// A fixed "now" for claims, so leases are exact.
const T0: i64 = 1_800_000_000 * SECOND;

async fn enqueue(store: &Store, bot: BotScope) -> String {
    store
        .enqueue_job(bot, "refresh_stats", &json!({}), T0)
        .await
        .unwrap_or_else(|e| panic!("enqueue: {e:?}"))
        .id
}

async fn status(store: &Store, bot: BotScope, id: &str) -> cohort_core::api::Job {
    store
        .get_job(bot, id)
        .await
        .unwrap_or_else(|e| panic!("get job: {e:?}"))
}

#[tokio::test]
async fn a_job_is_read_only_through_its_own_bot_and_workspace() {
    let f = fixture().await;
    let id = enqueue(f.store(), f.bot).await;
    let job = status(f.store(), f.bot, &id).await;
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!((job.kind.as_str(), job.progress), ("refresh_stats", 0.0));
    assert_eq!(
        (job.started_at, job.finished_at, job.error),
        (None, None, None)
    );

    let sibling = f.new_bot("Sibling").await;
    let other_workspace = f
        .store()
        .workspace_by_name(&workspace_name("Other"), now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let stranger = new_bot(f.store(), other_workspace, "Stranger").await;
    for (bot, job_id) in [
        (sibling, id.as_str()),
        (stranger, id.as_str()),
        (f.bot, "abc"),
        (f.bot, "-1"),
        (f.bot, "999999"),
    ] {
        assert!(
            matches!(
                f.store().get_job(bot, job_id).await,
                Err(StoreError::NotFound)
            ),
            "job {job_id} through bot {}",
            bot.bot_id()
        );
    }
}

#[tokio::test]
async fn a_claimed_job_is_not_claimed_again_while_its_heartbeat_keeps_the_lease() {
    let f = fixture().await;
    let id = enqueue(f.store(), f.bot).await;
    let store = f.store();

    let first = store
        .claim_job("worker-a", LEASE, T0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("nothing claimed"));
    assert_eq!(
        (first.id(), first.attempts(), first.bot()),
        (id.clone(), 1, f.bot)
    );
    let job = status(store, f.bot, &id).await;
    assert_eq!(job.status, JobStatus::Running);
    assert_eq!(job.started_at, Some(from_micros(T0)));

    let claim = |now: i64| async move {
        store
            .claim_job("worker-b", LEASE, now)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
    };
    assert!(claim(T0).await.is_none(), "claimed twice at once");
    assert!(
        claim(T0 + 29 * SECOND).await.is_none(),
        "claimed within the lease"
    );

    let alive = store
        .heartbeat(&first, 0.25, T0 + 25 * SECOND)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(alive);
    assert_eq!(status(store, f.bot, &id).await.progress, 0.25);
    assert!(
        claim(T0 + 50 * SECOND).await.is_none(),
        "the heartbeat extends the lease"
    );
    let second = claim(T0 + 56 * SECOND)
        .await
        .unwrap_or_else(|| panic!("a lapsed lease is not taken over"));
    assert_eq!((second.id(), second.attempts()), (id, 2));
}

#[tokio::test]
async fn a_job_whose_worker_died_is_claimed_again_and_only_the_new_worker_may_finish_it() {
    let f = fixture().await;
    let store = f.store();
    let id = enqueue(store, f.bot).await;
    let dead = store
        .claim_job("worker-that-crashes", LEASE, T0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("nothing claimed"));

    // The restarted instance comes back an hour later: the heartbeat is long stale.
    let later = T0 + 3600 * SECOND;
    let revived = store
        .claim_job("worker-after-restart", LEASE, later)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("the interrupted job was not picked up"));
    assert_eq!((revived.id(), revived.attempts()), (id.clone(), 2));
    let job = status(store, f.bot, &id).await;
    assert_eq!(job.status, JobStatus::Running);
    assert_eq!(job.started_at, Some(from_micros(T0)), "first start is kept");

    // The old worker, if it were still around, can neither heartbeat nor finish it.
    let heartbeat = store.heartbeat(&dead, 0.9, later).await;
    assert!(matches!(heartbeat, Ok(false)), "{heartbeat:?}");
    let finished = store
        .finish_job(&dead, Err("stale".to_owned()), later)
        .await;
    assert!(matches!(finished, Ok(false)), "{finished:?}");
    assert_eq!(status(store, f.bot, &id).await.status, JobStatus::Running);

    let finished = store
        .finish_job(&revived, Ok(json!({"users": 0})), later + SECOND)
        .await;
    assert!(matches!(finished, Ok(true)), "{finished:?}");
    let job = status(store, f.bot, &id).await;
    assert_eq!(
        (job.status, job.progress, job.error),
        (JobStatus::Succeeded, 1.0, None)
    );
    assert_eq!(job.finished_at, Some(from_micros(later + SECOND)));
    let again = store
        .claim_job("worker-c", LEASE, later + 3600 * SECOND)
        .await;
    assert!(
        matches!(again, Ok(None)),
        "a finished job is claimed: {again:?}"
    );
}

#[tokio::test]
async fn a_released_job_is_queued_again_at_once_without_using_up_an_attempt() {
    let f = fixture().await;
    let store = f.store();
    let id = enqueue(store, f.bot).await;
    let stopping = store
        .claim_job("worker-that-stops", LEASE, T0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("nothing claimed"));
    let heartbeat = store.heartbeat(&stopping, 0.4, T0 + SECOND).await;
    assert!(matches!(heartbeat, Ok(true)), "{heartbeat:?}");

    let released = store.release_job(&stopping).await;
    assert!(matches!(released, Ok(true)), "{released:?}");
    let job = status(store, f.bot, &id).await;
    assert_eq!((job.status, job.progress), (JobStatus::Queued, 0.0));
    // Gone from the old worker: it can neither heartbeat, finish nor release it again.
    let heartbeat = store.heartbeat(&stopping, 0.5, T0 + 2 * SECOND).await;
    assert!(matches!(heartbeat, Ok(false)), "{heartbeat:?}");
    let finished = store
        .finish_job(&stopping, Ok(json!({})), T0 + 2 * SECOND)
        .await;
    assert!(matches!(finished, Ok(false)), "{finished:?}");

    // Another instance takes it within the lease the first claim had, as its first
    // attempt again.
    let next = store
        .claim_job("worker-b", LEASE, T0 + 2 * SECOND)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("the released job was not claimed"));
    assert_eq!((next.id(), next.attempts()), (id.clone(), 1));
    let released = store.release_job(&stopping).await;
    assert!(matches!(released, Ok(false)), "{released:?}");
    assert_eq!(status(store, f.bot, &id).await.status, JobStatus::Running);
}

#[tokio::test]
async fn a_job_whose_worker_stops_three_times_is_given_up_with_an_error() {
    let f = fixture().await;
    let store = f.store();
    let id = enqueue(store, f.bot).await;
    let mut now = T0;
    for attempt in 1..=MAX_JOB_ATTEMPTS {
        let job = store
            .claim_job(&format!("worker-{attempt}"), LEASE, now)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
            .unwrap_or_else(|| panic!("attempt {attempt} not claimed"));
        assert_eq!(job.attempts(), attempt);
        now += 60 * SECOND;
    }
    let claim = store.claim_job("worker-last", LEASE, now).await;
    assert!(matches!(claim, Ok(None)), "{claim:?}");
    let job = status(store, f.bot, &id).await;
    assert_eq!(job.status, JobStatus::Failed);
    assert!(
        job.error
            .as_deref()
            .is_some_and(|error| error.contains("3 attempts")),
        "{job:?}"
    );
    assert_eq!(job.finished_at, Some(from_micros(now)));
}

#[tokio::test]
async fn a_failed_job_keeps_its_error_and_is_not_claimed_again() {
    let f = fixture().await;
    let store = f.store();
    let id = enqueue(store, f.bot).await;
    let job = store
        .claim_job("worker", LEASE, T0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("nothing claimed"));
    let finished = store
        .finish_job(&job, Err("Unknown job kind".to_owned()), T0 + SECOND)
        .await;
    assert!(matches!(finished, Ok(true)), "{finished:?}");
    let job = status(store, f.bot, &id).await;
    assert_eq!(job.status, JobStatus::Failed);
    assert_eq!(job.error.as_deref(), Some("Unknown job kind"));
    let again = store.claim_job("worker", LEASE, T0 + 3600 * SECOND).await;
    assert!(matches!(again, Ok(None)), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claimers_take_each_job_exactly_once_oldest_first() {
    let f = fixture().await;
    let other = f.new_bot("Other").await;
    let mut ids = Vec::new();
    for index in 0..24 {
        let bot = if index % 2 == 0 { f.bot } else { other };
        ids.push(enqueue(f.store(), bot).await);
    }
    let claimers: Vec<_> = (0..8)
        .map(|worker| {
            let store = f.store().clone();
            tokio::spawn(async move {
                let mut claimed = Vec::new();
                while let Some(job) = store
                    .claim_job(&format!("worker-{worker}"), LEASE, T0)
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"))
                {
                    claimed.push(job.id());
                }
                claimed
            })
        })
        .collect();
    let mut all = Vec::new();
    for claimer in claimers {
        let claimed = claimer.await.unwrap_or_else(|e| panic!("{e:?}"));
        let mut sorted = claimed.clone();
        sorted.sort_by_key(|id| id.parse::<i64>().unwrap_or_default());
        assert_eq!(claimed, sorted, "one worker claims oldest first");
        all.extend(claimed);
    }
    assert_eq!(
        all.len(),
        ids.len(),
        "some job claimed twice or not at all: {all:?}"
    );
    assert_eq!(
        all.into_iter().collect::<BTreeSet<_>>(),
        ids.into_iter().collect::<BTreeSet<_>>()
    );
}

fn message(at_secs: i64, sentiment: i32) -> Event {
    Event {
        at: at_secs * SECOND,
        kind: EventKind::Message { sentiment },
    }
}

fn click(at_secs: i64) -> Event {
    Event {
        at: at_secs * SECOND,
        kind: EventKind::Click,
    }
}

/// Writes events straight into the log, as ingestion would have stored them.
async fn write_events(store: &Store, bot: BotScope, user_id: &str, events: &[Event]) {
    let rows: Vec<String> = events
        .iter()
        .enumerate()
        .map(|(index, event)| {
            let (kind, sentiment) = match event.kind {
                EventKind::Message { sentiment } => ("message", sentiment.to_string()),
                EventKind::Click => ("click", "NULL".to_owned()),
            };
            format!(
                "({}, {user_id}, 'evt-{user_id}-{index}', '{kind}', {}, {sentiment}, 0)",
                bot.bot_id(),
                event.at
            )
        })
        .collect();
    store
        .execute_sql(&format!(
            "INSERT INTO events (bot_id, user_id, event_key, kind, at, sentiment, received_at) VALUES {}",
            rows.join(", ")
        ))
        .await
        .unwrap_or_else(|e| panic!("events: {e:?}"));
}

async fn new_user(store: &Store, bot: BotScope, external_id: &str) -> String {
    let request = UpsertUser {
        channel: "web".to_owned(),
        external_id: external_id.to_owned(),
        ..UpsertUser::default()
    };
    store
        .upsert_user(bot, &request.checked(), now())
        .await
        .unwrap_or_else(|e| panic!("user: {e:?}"))
        .0
        .id
}

/// `(sessions, messages_sent, clicks, time_spent_secs, average_sentiment, last_message_at)`.
async fn shown_stats(
    store: &Store,
    bot: BotScope,
    user_id: &str,
) -> (i64, i64, i64, i64, Option<f64>, Option<i64>) {
    let user = store
        .get_user(bot, user_id)
        .await
        .unwrap_or_else(|e| panic!("user: {e:?}"));
    (
        user.sessions,
        user.messages_sent,
        user.clicks,
        user.time_spent_secs,
        user.average_sentiment,
        user.last_message_at.map(|at| at.timestamp_micros()),
    )
}

fn expected(stats: &Stats) -> (i64, i64, i64, i64, Option<f64>, Option<i64>) {
    (
        stats.sessions,
        stats.messages_sent,
        stats.clicks,
        stats.time_spent_secs(),
        stats.average_sentiment(),
        stats.last_message_at,
    )
}

#[tokio::test]
async fn rebuild_recomputes_every_user_of_the_bot_chunk_by_chunk_and_no_other_bots_users() {
    let f = fixture().await;
    let store = f.store();
    // More users than two chunks, so the walk crosses chunk boundaries.
    let filler = 2 * REFRESH_CHUNK_USERS + 7;
    let rows: Vec<String> = (0..filler)
        .map(|index| format!("({}, 'web', 'filler-{index}', 0, 0)", f.bot.bot_id()))
        .collect();
    store
        .execute_sql(&format!(
            "INSERT INTO users (bot_id, channel, external_id, created_at, updated_at) VALUES {}",
            rows.join(", ")
        ))
        .await
        .unwrap_or_else(|e| panic!("filler: {e:?}"));

    // The user with events comes last, in the last chunk; its events are written out of order.
    let events = [
        message(1000, -2000),
        click(1100),
        message(0, 5000),
        message(300, 5000),
    ];
    let active = new_user(store, f.bot, "active").await;
    write_events(store, f.bot, &active, &events).await;
    // A user with stale stats and no events.
    let stale = new_user(store, f.bot, "stale").await;
    store
        .execute_sql(&format!(
            "UPDATE user_stats SET sessions = 5, messages_sent = 3, time_spent_secs = 70, time_spent_micros = 70000000, average_sentiment = 0.5, sentiment_sum = 15000, last_message_at = 1, last_event_at = 1 WHERE user_id = {stale}"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    // Another bot's user, whose stats the rebuild must leave alone.
    let other_bot = f.new_bot("Other").await;
    let outsider = new_user(store, other_bot, "outsider").await;
    write_events(store, other_bot, &outsider, &[message(0, 100)]).await;
    store
        .execute_sql(&format!(
            "UPDATE user_stats SET sessions = 9 WHERE user_id = {outsider}"
        ))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));

    let mut reported = Vec::new();
    let users = store
        .rebuild_bot_stats(f.bot, 600, |share| reported.push(share))
        .await
        .unwrap_or_else(|e| panic!("rebuild: {e:?}"));
    assert_eq!(users, filler + 2);
    assert!(
        reported.len() >= 3,
        "progress after each chunk: {reported:?}"
    );
    assert!(
        reported.windows(2).all(|pair| pair[0] <= pair[1]),
        "{reported:?}"
    );
    assert!(reported.iter().all(|share| (0.0..=1.0).contains(share)));
    assert_eq!(reported.last(), Some(&1.0));

    let with_600 = shown_stats(store, f.bot, &active).await;
    assert_eq!(with_600, expected(&Stats::rebuild(&events, 600)));
    assert_eq!(
        (with_600.0, with_600.3, with_600.1, with_600.2),
        (2, 400, 3, 1)
    );
    assert_eq!(
        shown_stats(store, f.bot, &stale).await,
        (0, 0, 0, 0, None, None)
    );
    assert_eq!(shown_stats(store, other_bot, &outsider).await.0, 9);

    store
        .rebuild_bot_stats(f.bot, 1000, |_| {})
        .await
        .unwrap_or_else(|e| panic!("rebuild: {e:?}"));
    let with_1000 = shown_stats(store, f.bot, &active).await;
    assert_eq!(with_1000, expected(&Stats::rebuild(&events, 1000)));
    assert_eq!((with_1000.0, with_1000.3), (1, 1100));
}

#[tokio::test]
async fn rebuild_of_a_bot_without_users_reports_it_is_done() {
    let f = fixture().await;
    let mut reported = Vec::new();
    let users = f
        .store()
        .rebuild_bot_stats(f.bot, 600, |share| reported.push(share))
        .await
        .unwrap_or_else(|e| panic!("rebuild: {e:?}"));
    assert_eq!((users, reported), (0, vec![1.0]));
    assert_eq!(
        f.store().bot_session_timeout(f.bot).await.ok(),
        Some(600),
        "the default timeout"
    );
}
