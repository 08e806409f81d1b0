//! How long ingestion waits behind a bulk action on the largest bot: N users (300,000 by
//! default) get a tag, an attribute, then are deleted through `Store::bulk`, while one
//! channel ingests batches of 50 messages from new users of the same bot back to back.
//! Prints, per action, the action's time and the ingest batches' median and longest
//! latency during it, beside the same batches' latency with no bulk action running,
//! measured in the same run. Runs on the engine `COHORT_TEST_ENGINE` names.
//!
//! `cargo run --release -p cohort-store --features testing --example ingest_wait_bench -- 300000`

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cohort_core::api::{BulkAction, EventInput, IngestEvents, Selection};
use cohort_core::bulk::{check_action, check_selection};
use cohort_core::events::check_events;
use cohort_core::time::format_rfc3339;
use cohort_store::testing::{TestDatabase, engine};
use cohort_store::{AuditRecord, BotScope, Store};

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Error> {
    let users: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(300_000);
    let database = TestDatabase::new().await.map_err(|e| format!("{e:?}"))?;
    let store = database.store.clone();
    let bot = database
        .new_bot("Largest")
        .await
        .map_err(|e| format!("{e:?}"))?;
    let started = Instant::now();
    database
        .seed_users(bot, users)
        .await
        .map_err(|e| format!("{e:?}"))?;
    if engine() == "postgres" {
        store
            .execute_sql("ANALYZE")
            .await
            .map_err(|e| format!("{e:?}"))?;
    }
    println!(
        "{}: seeded {users} users in {:.1} s",
        engine(),
        started.elapsed().as_secs_f64()
    );
    let batches = Arc::new(AtomicU64::new(0));

    // Baseline: the same ingestion with nothing else running, for as long as a second.
    let idle = ingest_while(&store, bot, &batches, async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        Ok(())
    })
    .await?;
    println!(
        "{}: ingest alone: {} batches of 50, median {:.1} ms, longest {:.1} ms",
        engine(),
        idle.latencies.len(),
        idle.median_ms(),
        idle.longest_ms()
    );

    let everyone =
        r#"{"filter": {"column": "external_id", "function": "starts_with", "value": "u"}}"#;
    let actions = [
        (
            "add a tag",
            BulkAction::AddTags {
                tags: vec!["wait".to_owned()],
            },
        ),
        (
            "set an attribute",
            BulkAction::SetAttributes {
                attributes: [("tier".to_owned(), "gold".to_owned())]
                    .into_iter()
                    .collect(),
            },
        ),
        ("delete", BulkAction::Delete { confirm: users }),
    ];
    for (what, action) in actions {
        let selection: Selection = serde_json::from_str(everyone)?;
        let checked_selection =
            check_selection(&selection, "/selection").map_err(|e| format!("{e:?}"))?;
        let checked_action = check_action(&action, "/action").map_err(|e| format!("{e:?}"))?;
        let audit = AuditRecord {
            actor: "bench".to_owned(),
            details: serde_json::to_value(&action)?,
            selection: serde_json::to_value(&selection)?,
        };
        let bulk_store = store.clone();
        let bulk = async move {
            let started = Instant::now();
            bulk_store
                .bulk(bot, &checked_selection, &checked_action, &audit, 0)
                .await
                .map_err(|e| format!("{what}: {e:?}"))?;
            Ok(started.elapsed())
        };
        let during = ingest_while(&store, bot, &batches, bulk).await?;
        println!(
            "{}: {what} on {users} users took {:.2} s; ingest meanwhile: {} batches, median {:.1} ms, longest {:.1} ms (alone: longest {:.1} ms), {} busy",
            engine(),
            during.outcome.as_secs_f64(),
            during.latencies.len(),
            during.median_ms(),
            during.longest_ms(),
            idle.longest_ms(),
            during.busy,
        );
    }
    Ok(())
}

/// What ingestion saw while `work` ran.
struct Run<T> {
    outcome: T,
    /// Each batch's latency, including any wait for the writer's turn.
    latencies: Vec<Duration>,
    /// Batches refused with `Busy` (no turn within the store's write wait).
    busy: usize,
}

impl<T> Run<T> {
    fn median_ms(&self) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        sorted
            .get(sorted.len() / 2)
            .map_or(0.0, |latency| latency.as_secs_f64() * 1e3)
    }

    fn longest_ms(&self) -> f64 {
        self.latencies
            .iter()
            .max()
            .map_or(0.0, |latency| latency.as_secs_f64() * 1e3)
    }
}

/// Ingests batches of 50 messages from new users of `bot`, back to back, until `work`
/// ends (at least one batch after it started).
async fn ingest_while<T>(
    store: &Store,
    bot: BotScope,
    batches: &Arc<AtomicU64>,
    work: impl std::future::Future<Output = Result<T, Error>> + Send + 'static,
) -> Result<Run<T>, Error>
where
    T: Send + 'static,
{
    let done = Arc::new(AtomicBool::new(false));
    let ingester = {
        let (store, batches, done) = (store.clone(), batches.clone(), done.clone());
        tokio::spawn(async move {
            let (mut latencies, mut busy) = (Vec::new(), 0);
            loop {
                let number = batches.fetch_add(1, Ordering::Relaxed);
                let events = check_events(&batch(number)).map_err(|e| format!("{e:?}"))?;
                let started = Instant::now();
                match store
                    .ingest(bot, &events, cohort_store::testing::now())
                    .await
                {
                    Ok(_) => {}
                    Err(error) if error.is_busy() => busy += 1,
                    Err(error) => return Err(format!("batch {number}: {error:?}").into()),
                }
                latencies.push(started.elapsed());
                if done.load(Ordering::Relaxed) {
                    return Ok::<_, Error>((latencies, busy));
                }
            }
        })
    };
    // Let ingestion start first, so the bulk action begins while it streams.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let outcome = tokio::spawn(work).await??;
    done.store(true, Ordering::Relaxed);
    let (latencies, busy) = ingester.await??;
    Ok(Run {
        outcome,
        latencies,
        busy,
    })
}

/// Batch `number`: 50 messages from 50 users new to the bot.
fn batch(number: u64) -> IngestEvents {
    let events = (0..50u64)
        .map(|index| EventInput {
            id: format!("w{number}-{index}"),
            kind: "message".to_owned(),
            channel: "telegram".to_owned(),
            external_user_id: format!("new{number}-{index}"),
            text: Some("is it down?".to_owned()),
            at: format_rfc3339(1_800_000_000_000_000 + (number * 50 + index) as i64),
            ..EventInput::default()
        })
        .collect();
    IngestEvents { events }
}
