//! Ingestion benchmark: N events (200,000 by default) from U users (5,000 by default), in
//! batches of 500 as a channel would post them (with the user's first name): checked,
//! scored for sentiment, stored, and stats updated in the same transaction. Prints events
//! per second on the engine `COHORT_TEST_ENGINE` names.
//!
//! `cargo run --release -p cohort-store --features testing --example ingest_bench -- 200000 [5000]`

use std::time::Instant;

use cohort_core::api::{EventInput, IngestEvents};
use cohort_core::events::check_events;
use cohort_core::time::format_rfc3339;
use cohort_store::testing::{TestDatabase, engine};

const TEXTS: &[&str] = &[
    "hi",
    "so slow!",
    "hahaha",
    "where is my order?",
    "thanks so much 😊",
    "not helpful",
    "ok",
    "can I get a table for 2",
    "the pizza was cold",
    "awesome!!!",
    "still waiting",
    "yes please",
];

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let total: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let users: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000);
    let database = TestDatabase::new().await.map_err(|e| format!("{e:?}"))?;
    let store = &database.store;
    let bot = database
        .new_bot("Ingest")
        .await
        .map_err(|e| format!("{e:?}"))?;
    if let Ok(statements) = std::env::var("BENCH_SETUP_SQL") {
        for statement in statements.split(';').filter(|s| !s.trim().is_empty()) {
            store
                .execute_sql(statement)
                .await
                .map_err(|e| format!("{e:?}"))?;
        }
    }

    // Events in time order per user, users interleaved: 1 event per user every 2 minutes.
    let start: i64 = 1_800_000_000_000_000;
    let events: Vec<EventInput> = (0..total)
        .map(|index| {
            let user = index % users;
            let round = (index / users) as i64;
            let at = start + round * 120_000_000 + user as i64 * 1_000;
            let click = index % 7 == 0;
            EventInput {
                id: format!("e{index}"),
                kind: if click { "click" } else { "message" }.to_owned(),
                channel: "whatsapp".to_owned(),
                external_user_id: format!("u{user}"),
                text: (!click).then(|| TEXTS[index % TEXTS.len()].to_owned()),
                url: click.then(|| "https://example.com/menu".to_owned()),
                at: format_rfc3339(at),
                // As Telegram and WhatsApp send it, with every event.
                first_name: Some(format!("Name{user}")),
                ..EventInput::default()
            }
        })
        .collect();

    let started = Instant::now();
    for batch in events.chunks(500) {
        let checked = check_events(&IngestEvents {
            events: batch.to_vec(),
        })
        .map_err(|e| format!("{e:?}"))?;
        store
            .ingest(bot, &checked, cohort_store::testing::now())
            .await
            .map_err(|e| format!("{e:?}"))?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{}: ingested {total} events from {users} users in batches of 500 in {elapsed:.1} s: {:.0} events/s",
        engine(),
        total as f64 / elapsed
    );
    Ok(())
}
