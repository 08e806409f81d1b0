//! `cohort seed`: synthetic data for benchmarks. Users like the demo's (names from many
//! countries, tags, attributes) are written through the same store calls as the API's
//! upsert, and their chat histories through event ingestion, so sentiment, sessions and
//! stats are computed as in production. Deterministic apart from the end time (now); a
//! second run over the same bot changes nothing, since users are upserted by external id
//! and events deduplicated by id.

use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use cohort_core::api::{CreateBot, IngestEvents};
use cohort_core::bots::check_create_bot;
use cohort_core::events::check_events;
use cohort_core::time::to_micros;
use cohort_core::users::check_upsert_user;
use cohort_core::workspaces::check_workspace_name;
use cohort_store::{Store, StoreError};
use futures_util::{StreamExt, TryStreamExt};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::demo::{Length, history, random_person};

/// Events per ingested batch (the API's maximum).
const BATCH_EVENTS: usize = 1_000;

/// What to seed.
#[derive(Debug)]
pub struct Seed<'a> {
    pub workspace: &'a str,
    pub bot: &'a str,
    pub users: usize,
    pub events_per_user: usize,
}

/// What a seed run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeded {
    /// The bot's id.
    pub bot_id: String,
    /// Events sent to ingestion.
    pub events: u64,
    /// Events that were new (the rest were there from an earlier run).
    pub accepted: u64,
}

/// Creates the bot in the workspace (both if needed), then its users and their events,
/// printing progress to stderr.
pub async fn seed(store: &Store, seed: &Seed<'_>) -> anyhow::Result<Seeded> {
    let workspace_name = check_workspace_name(seed.workspace).map_err(StoreError::Invalid)?;
    let workspace = store
        .workspace_by_name(&workspace_name, to_micros(Utc::now()))
        .await?;
    let existing = store
        .list_bots(workspace)
        .await?
        .into_iter()
        .find(|bot| bot.name == seed.bot);
    let bot = match existing {
        Some(bot) => bot,
        None => {
            let request = check_create_bot(&CreateBot {
                name: seed.bot.to_owned(),
                session_timeout_secs: None,
            })
            .map_err(|errors| anyhow::anyhow!("cannot name a bot so: {errors:?}"))?;
            store
                .create_bot(workspace, &request, to_micros(Utc::now()))
                .await?
        }
    };
    let scope = store.bot_scope(workspace, &bot.id).await?;
    let now = to_micros(Utc::now());
    let mut rng = StdRng::seed_from_u64(20261129);
    let started = Instant::now();
    let (mut events_sent, mut accepted) = (0u64, 0u64);
    // Users a batch's worth of events at a time, so memory stays small for any N.
    let users_per_batch = (BATCH_EVENTS / seed.events_per_user.max(1)).clamp(1, 500);
    let upserts_at_once = store.useful_concurrent_writes();
    let mut index = 0;
    while index < seed.users {
        let end = (index + users_per_batch).min(seed.users);
        let users: Vec<_> = (index..end)
            .map(|user_index| (user_index, random_person(&mut rng, user_index)))
            .collect();
        // One transaction per user, several at once where the engine gains from it.
        futures_util::stream::iter(&users)
            .map(|(user_index, user)| async move {
                let user = check_upsert_user(user).map_err(|errors| {
                    anyhow::anyhow!("seed user {user_index} is invalid: {errors:?}")
                })?;
                store
                    .upsert_user(scope, &user, to_micros(Utc::now()))
                    .await
                    .with_context(|| format!("cannot write seed user {user_index}"))
            })
            .buffer_unordered(upserts_at_once)
            .try_collect::<Vec<_>>()
            .await?;
        let mut events = Vec::new();
        for (user_index, user) in &users {
            let unhappy = rng.random_ratio(1, 6);
            let key = format!("seed-{user_index}");
            events.extend(history(
                &mut rng,
                &key,
                user,
                now,
                unhappy,
                Length::Events(seed.events_per_user),
            ));
        }
        for batch in events.chunks(BATCH_EVENTS) {
            let checked = check_events(&IngestEvents {
                events: batch.to_vec(),
            })
            .map_err(|errors| anyhow::anyhow!("seed events are invalid: {errors:?}"))?;
            let (new, _) = store.ingest(scope, &checked, to_micros(Utc::now())).await?;
            events_sent += batch.len() as u64;
            accepted += new;
        }
        if end / 10_000 > index / 10_000 || end == seed.users {
            eprintln!(
                "seed: {end} of {} users, {events_sent} events ({:.0} s)",
                seed.users,
                started.elapsed().as_secs_f64()
            );
        }
        index = end;
    }
    // The planner's statistics, fresh for the data just loaded (ingestion starts an
    // analysis in the background as it goes, which a CLI that exits now would cut short).
    store
        .refresh_planner_statistics()
        .await
        .context("cannot refresh the planner's statistics")?;
    eprintln!(
        "Seeded bot \"{}\" (id {}) in workspace \"{}\": {} users, {accepted} new events of {events_sent} in {:.1} s.",
        bot.name,
        bot.id,
        seed.workspace,
        seed.users,
        started.elapsed().as_secs_f64()
    );
    Ok(Seeded {
        bot_id: bot.id,
        events: events_sent,
        accepted,
    })
}

#[cfg(test)]
mod tests {
    use cohort_core::filter::Expr;
    use cohort_core::sort::Sort;
    use cohort_store::ListQuery;
    use cohort_store::testing::TestDatabase;

    use super::*;

    /// Every user of the bot, by id.
    async fn all_users(store: &Store, bot_id: &str) -> Vec<cohort_core::api::User> {
        let workspace = store
            .workspace_by_name(
                &cohort_store::testing::workspace_name("Seeds"),
                cohort_store::testing::now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let scope = store
            .bot_scope(workspace, bot_id)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let query = ListQuery {
            filter: Expr::everyone(),
            sort: Sort::default(),
            limit: 1_000,
            cursor: None,
            now: cohort_core::time::to_micros(chrono::Utc::now()),
        };
        let mut users = store
            .list_users(scope, &query)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
            .data;
        users.sort_by(|a, b| a.id.cmp(&b.id));
        users
    }

    #[tokio::test]
    async fn seeds_users_with_their_events_once_and_stats_agree_with_a_rebuild() {
        let database = TestDatabase::new()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let store = &database.store;
        let request = Seed {
            workspace: "Seeds",
            bot: "Load",
            users: 130,
            events_per_user: 9,
        };
        let first = seed(store, &request)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(first.events, 130 * 9);
        assert_eq!(first.accepted, 130 * 9);

        let users = all_users(store, &first.bot_id).await;
        assert_eq!(users.len(), 130);
        let activity: i64 = users
            .iter()
            .map(|user| user.messages_sent + user.clicks)
            .sum();
        assert_eq!(activity, 130 * 9);
        assert!(users.iter().all(|user| user.sessions >= 1));
        assert!(users.iter().any(|user| !user.first_name.is_empty()));

        // A second run finds the bot, the users and the events already there (the upsert
        // only moves `updated_at`).
        let second = seed(store, &request)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(second.bot_id, first.bot_id);
        assert_eq!(second.accepted, 0);
        let again = all_users(store, &first.bot_id).await;
        let users: Vec<_> = users
            .into_iter()
            .zip(&again)
            .map(|(user, now)| cohort_core::api::User {
                updated_at: now.updated_at,
                ..user
            })
            .collect();
        assert_eq!(again, users);

        // Stats kept at ingest are what Refresh Stats computes from the log.
        let workspace = store
            .workspace_by_name(
                &cohort_store::testing::workspace_name("Seeds"),
                cohort_store::testing::now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let scope = store
            .bot_scope(workspace, &first.bot_id)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        store
            .rebuild_bot_stats(scope, 600, |_| {})
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(all_users(store, &first.bot_id).await, users);
    }
}
