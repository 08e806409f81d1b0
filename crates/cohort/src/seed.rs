//! `cohort seed`: synthetic data for benchmarks. Users like the demo's (names from many
//! countries, tags, attributes) are written through the same store calls as the API's
//! upsert, and their chat histories through event ingestion, so sentiment, sessions and
//! stats are computed as in production. Deterministic apart from the end time (now); a
//! second run over the same bot changes nothing, since users are upserted by external id
//! and events deduplicated by id.

use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use cohort_core::api::{Bot, CreateBot, IngestEvents};
use cohort_core::bots::check_create_bot;
use cohort_core::events::check_events;
use cohort_core::time::to_micros;
use cohort_core::users::check_upsert_user;
use cohort_core::workspaces::check_workspace_name;
use cohort_store::{BotScope, Store, StoreError};
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

/// The bot named `bot` in the workspace named `workspace`, both created if needed.
async fn bot_named(store: &Store, workspace: &str, bot: &str) -> anyhow::Result<(Bot, BotScope)> {
    let workspace_name = check_workspace_name(workspace).map_err(StoreError::Invalid)?;
    let workspace = store
        .workspace_by_name(&workspace_name, to_micros(Utc::now()))
        .await?;
    let existing = store
        .list_bots(workspace)
        .await?
        .into_iter()
        .find(|existing| existing.name == bot);
    let bot = match existing {
        Some(bot) => bot,
        None => {
            let request = check_create_bot(&CreateBot {
                name: bot.to_owned(),
                session_timeout_secs: None,
            })
            .map_err(|errors| anyhow::anyhow!("cannot name a bot so: {errors:?}"))?;
            store
                .create_bot(workspace, &request, to_micros(Utc::now()))
                .await?
        }
    };
    let scope = store.bot_scope(workspace, &bot.id).await?;
    Ok((bot, scope))
}

/// Creates the bot in the workspace (both if needed), then its users and their events,
/// printing progress to stderr.
pub async fn seed(store: &Store, seed: &Seed<'_>) -> anyhow::Result<Seeded> {
    let (bot, scope) = bot_named(store, seed.workspace, seed.bot).await?;
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

/// PERF-NOTES' data set: `users` users in `bots` bots named "Data set 1" … ("Data set 1"
/// holds `largest` of them, the others share the rest), each user with `events_per_user`
/// events.
#[derive(Debug)]
pub struct DataSet<'a> {
    pub workspace: &'a str,
    pub bots: u32,
    pub users: u64,
    pub largest: u64,
    pub events_per_user: u64,
}

/// What a data set run wrote: each bot's name, id and new users (0 for a bot seeded by an
/// earlier run, which is left as it was), and the events written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSetSeeded {
    pub bots: Vec<(String, String, u64)>,
    pub events: u64,
}

/// Users per statement of events (a million events at 20 a user).
const DATA_SET_CHUNK_USERS: i64 = 50_000;

/// Seeds PERF-NOTES' data set by set-based SQL (`Store::seed_data_set_users` and
/// `seed_data_set_events`), rebuilds each bot's stats from its events with Refresh
/// Stats' code, and refreshes the planner's statistics, printing each phase's time to
/// stderr. A bot that already has users is left alone, so a second run changes nothing.
pub async fn seed_data_set(store: &Store, set: &DataSet<'_>) -> anyhow::Result<DataSetSeeded> {
    anyhow::ensure!(set.bots >= 1, "a data set has at least one bot");
    anyhow::ensure!(
        set.users >= set.largest && (set.bots > 1 || set.largest == set.users),
        "the largest bot holds at most all users (all of them when there is one bot)"
    );
    let started = Instant::now();
    let now = to_micros(Utc::now());
    let others = set.users - set.largest;
    let mut seeded = DataSetSeeded {
        bots: Vec::new(),
        events: 0,
    };
    for index in 0..set.bots {
        let users = if index == 0 {
            set.largest
        } else {
            let rest = u64::from(set.bots - 1);
            others / rest + u64::from(u64::from(index - 1) < others % rest)
        };
        let name = format!("Data set {}", index + 1);
        let (bot, scope) = bot_named(store, set.workspace, &name).await?;
        if store.user_id_range(scope).await?.is_some() {
            eprintln!("seed-data-set: \"{name}\" already has users; left as it is");
            seeded.bots.push((name, bot.id, 0));
            continue;
        }
        let phase = Instant::now();
        store
            .seed_data_set_users(scope, users, now)
            .await
            .with_context(|| format!("cannot write the users of \"{name}\""))?;
        let users_took = phase.elapsed().as_secs_f64();
        let phase = Instant::now();
        let mut events = 0;
        if let Some((low, high)) = store.user_id_range(scope).await? {
            let mut first = low;
            while first <= high {
                let last = first.saturating_add(DATA_SET_CHUNK_USERS - 1).min(high);
                events += store
                    .seed_data_set_events(scope, first..=last, set.events_per_user, now)
                    .await
                    .with_context(|| format!("cannot write the events of \"{name}\""))?;
                first = last + 1;
            }
        }
        let events_took = phase.elapsed().as_secs_f64();
        let phase = Instant::now();
        let timeout = store.bot_session_timeout(scope).await?;
        store
            .rebuild_bot_stats(scope, timeout, |_| {})
            .await
            .with_context(|| format!("cannot rebuild the stats of \"{name}\""))?;
        eprintln!(
            "seed-data-set: \"{name}\" (id {}): {users} users in {users_took:.1} s, {events} events in {events_took:.1} s, stats rebuilt in {:.1} s",
            bot.id,
            phase.elapsed().as_secs_f64()
        );
        seeded.events += events;
        seeded.bots.push((name, bot.id, users));
    }
    let phase = Instant::now();
    store
        .refresh_planner_statistics()
        .await
        .context("cannot refresh the planner's statistics")?;
    eprintln!(
        "Seeded the data set in workspace \"{}\": {} users in {} bots, {} events, in {:.1} s (planner statistics {:.1} s).",
        set.workspace,
        seeded.bots.iter().map(|(_, _, users)| users).sum::<u64>(),
        set.bots,
        seeded.events,
        started.elapsed().as_secs_f64(),
        phase.elapsed().as_secs_f64()
    );
    Ok(seeded)
}

#[cfg(test)]
mod tests {
    use cohort_core::filter::Expr;
    use cohort_core::sort::Sort;
    use cohort_store::ListQuery;
    use cohort_store::testing::TestDatabase;

    use super::*;

    /// The bot `bot_id` of the workspace named `workspace`.
    async fn scope(store: &Store, workspace: &str, bot_id: &str) -> BotScope {
        let workspace = store
            .workspace_by_name(
                &cohort_store::testing::workspace_name(workspace),
                cohort_store::testing::now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        store
            .bot_scope(workspace, bot_id)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// Every user of the bot `bot_id` of the workspace named `workspace`, by id.
    async fn all_users(
        store: &Store,
        workspace: &str,
        bot_id: &str,
    ) -> Vec<cohort_core::api::User> {
        let scope = scope(store, workspace, bot_id).await;
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

        let users = all_users(store, "Seeds", &first.bot_id).await;
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
        let again = all_users(store, "Seeds", &first.bot_id).await;
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
        let scope = scope(store, "Seeds", &first.bot_id).await;
        store
            .rebuild_bot_stats(scope, 600, |_| {})
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(all_users(store, "Seeds", &first.bot_id).await, users);
    }

    #[tokio::test]
    async fn seeds_the_data_set_once_with_stats_from_its_events() {
        let database = TestDatabase::new()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let store = &database.store;
        let set = DataSet {
            workspace: "Data set",
            bots: 3,
            users: 501,
            largest: 201,
            events_per_user: 6,
        };
        let seeded = seed_data_set(store, &set)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let sizes: Vec<u64> = seeded.bots.iter().map(|(_, _, users)| *users).collect();
        assert_eq!(sizes, [201, 150, 150]);

        let mut events = 0;
        for (name, bot_id, size) in &seeded.bots {
            let users = all_users(store, "Data set", bot_id).await;
            assert_eq!(users.len() as u64, *size, "{name}");
            events += users
                .iter()
                .map(|user| user.messages_sent + user.clicks)
                .sum::<i64>();
            for user in &users {
                // Three to nine events each, in sessions of two to six.
                let activity = user.messages_sent + user.clicks;
                assert!((3..=9).contains(&activity), "{user:?}");
                assert!(user.sessions >= 1 && user.sessions <= activity, "{user:?}");
                assert!(
                    user.time_spent_secs > 0 || user.sessions == activity,
                    "{user:?}"
                );
                assert_eq!(
                    user.attributes.keys().collect::<Vec<_>>(),
                    ["city", "language", "plan", "score"],
                    "{user:?}"
                );
                assert!(user.tags.len() <= 8);
                assert!(!user.first_name.is_empty() && !user.last_name.is_empty());
            }
            // Happy and unhappy users, and the one in 40 who only clicks.
            assert!(users.iter().any(|user| user.average_sentiment > Some(0.0)));
            assert!(
                users
                    .iter()
                    .any(|user| user.average_sentiment.is_some_and(|average| average < 0.0))
            );
            assert!(users.iter().any(|user| user.messages_sent == 0
                && user.average_sentiment.is_none()
                && user.last_message_at.is_none()));
            let tags: usize = users.iter().map(|user| user.tags.len()).sum();
            let per_user = tags as f64 / users.len() as f64;
            assert!((2.5..=3.7).contains(&per_user), "{per_user} tags a user");
        }
        assert_eq!(events as u64, seeded.events);
        let per_user = seeded.events as f64 / 501.0;
        assert!((5.0..=7.0).contains(&per_user), "{per_user} events a user");

        // The stats are what Refresh Stats computes from the log, and ingestion carries on
        // from them: a new message for a seeded user counts once more.
        let (_, largest, _) = &seeded.bots[0];
        let before = all_users(store, "Data set", largest).await;
        let scope = scope(store, "Data set", largest).await;
        store
            .rebuild_bot_stats(scope, 600, |_| {})
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(all_users(store, "Data set", largest).await, before);
        let first = &before[0];
        let event = IngestEvents {
            events: vec![cohort_core::api::EventInput {
                id: "after-the-seed".to_owned(),
                kind: "message".to_owned(),
                channel: first.channel.clone(),
                external_user_id: first.external_id.clone(),
                text: Some("thanks!".to_owned()),
                at: Utc::now().to_rfc3339(),
                ..Default::default()
            }],
        };
        let checked = check_events(&event).unwrap_or_else(|e| panic!("{e:?}"));
        let (new, _) = store
            .ingest(scope, &checked, to_micros(Utc::now()))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(new, 1);
        let after = all_users(store, "Data set", largest).await;
        assert_eq!(after[0].messages_sent, first.messages_sent + 1);

        // A second run leaves every bot as it was.
        let again = seed_data_set(store, &set)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(again.events, 0);
        assert!(again.bots.iter().all(|(_, _, users)| *users == 0));
        assert_eq!(
            again.bots.iter().map(|(_, id, _)| id).collect::<Vec<_>>(),
            seeded.bots.iter().map(|(_, id, _)| id).collect::<Vec<_>>()
        );
        assert_eq!(all_users(store, "Data set", largest).await, after);
    }
}
