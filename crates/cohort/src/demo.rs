//! Demo data for `cohort serve --demo`: a workspace "Demo" with the bot "Pizza Palace" and
//! about 300 believable users from many countries (Yin Yin among them), with tags and
//! attributes, and a few weeks of chat history ending now (some users unhappy).
//! Deterministic apart from that end time, so screenshots and tests see the same people.

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use chrono::DateTime;
use cohort_core::api::{EventInput, IngestEvents, UpsertUser};
use cohort_core::bots::{CheckedBot, DEFAULT_SESSION_TIMEOUT_SECS};
use cohort_core::events::check_events;
use cohort_core::time::{Micros, format_rfc3339};
use cohort_core::users::check_upsert_user;
use cohort_core::workspaces::{check_admin, check_workspace_name};
use cohort_store::{Store, StoreError, WorkspaceScope};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// The demo workspace's name.
pub const DEMO_WORKSPACE: &str = "Demo";

/// Given names and family names with the locale and time zone they go with.
const PEOPLE: &[(&[&str], &[&str], &str, &str)] = &[
    (
        &["Wei", "Mei Ling", "Jun Jie", "Hui Min", "Kai", "Shu Fen"],
        &["Tan", "Lim", "Ng", "Goh", "Chua"],
        "en-SG",
        "Asia/Singapore",
    ),
    (
        &["Aung", "Thida", "Kyaw", "Su Su", "Zaw"],
        &["Win", "Htun", "Oo", "Naing"],
        "my-MM",
        "Asia/Yangon",
    ),
    (
        &["Haruto", "Yui", "Sota", "Aoi", "Ren"],
        &["Sato", "Suzuki", "Takahashi", "Tanaka"],
        "ja-JP",
        "Asia/Tokyo",
    ),
    (
        &["Minh", "Linh", "Quang", "Thao"],
        &["Nguyen", "Tran", "Le", "Pham"],
        "vi-VN",
        "Asia/Ho_Chi_Minh",
    ),
    (
        &["Aarav", "Priya", "Rohan", "Ananya", "Vikram"],
        &["Sharma", "Patel", "Iyer", "Reddy"],
        "en-IN",
        "Asia/Kolkata",
    ),
    (
        &["Siti", "Ahmad", "Nurul", "Hafiz"],
        &["Rahman", "Abdullah", "Ismail"],
        "ms-MY",
        "Asia/Kuala_Lumpur",
    ),
    (
        &["José", "María", "Lucía", "Mateo", "Sofía"],
        &["García", "Martínez", "López", "Álvarez"],
        "es-ES",
        "Europe/Madrid",
    ),
    (
        &["João", "Ana", "Gabriel", "Beatriz"],
        &["Silva", "Santos", "Oliveira", "Souza"],
        "pt-BR",
        "America/Sao_Paulo",
    ),
    (
        &["Léa", "Hugo", "Chloé", "Louis"],
        &["Martin", "Bernard", "Dubois", "Lefèvre"],
        "fr-FR",
        "Europe/Paris",
    ),
    (
        &["Jonas", "Lena", "Felix", "Mia"],
        &["Müller", "Schmidt", "Schneider", "Weiß"],
        "de-DE",
        "Europe/Berlin",
    ),
    (
        &["Olena", "Dmytro", "Iryna"],
        &["Shevchenko", "Kovalenko", "Bondarenko"],
        "uk-UA",
        "Europe/Kyiv",
    ),
    (
        &["Amara", "Chinedu", "Ngozi", "Tunde"],
        &["Okafor", "Adeyemi", "Eze"],
        "en-NG",
        "Africa/Lagos",
    ),
    (
        &["Fatima", "Omar", "Layla", "Youssef"],
        &["Haddad", "Khalil", "Mansour"],
        "ar-EG",
        "Africa/Cairo",
    ),
    (
        &["Emily", "James", "Olivia", "Noah", "Ava"],
        &["Smith", "Johnson", "Brown", "Davis"],
        "en-US",
        "America/New_York",
    ),
    (
        &["Ngaio", "Tama", "Aroha"],
        &["Parata", "Walker", "Ngata"],
        "en-NZ",
        "Pacific/Auckland",
    ),
];

const CHANNELS: &[(&str, u32)] = &[
    ("messenger", 30),
    ("whatsapp", 25),
    ("telegram", 15),
    ("web", 15),
    ("instagram", 6),
    ("line", 4),
    ("sms", 3),
    ("slack", 2),
];

const TAGS: &[&str] = &[
    "VIP",
    "Pizza lover",
    "Vegetarian",
    "New customer",
    "Coupon used",
    "Complained",
    "Birthday club",
    "Catering lead",
];
const FOODS: &[&str] = &[
    "pizza",
    "pasta",
    "salad",
    "calzone",
    "tiramisu",
    "garlic bread",
];
const CITIES: &[&str] = &[
    "Singapore",
    "Yangon",
    "Tokyo",
    "Madrid",
    "São Paulo",
    "Paris",
    "Berlin",
    "Lagos",
    "Cairo",
    "New York",
];

/// The demo admin's email.
pub const DEMO_ADMIN_EMAIL: &str = "demo@example.com";

/// Fills the demo workspace with a bot and users unless it has a bot already, then prints
/// a fresh API token for it and how to sign in to the app at `url`.
pub async fn fill(store: &Store, url: &str) -> anyhow::Result<()> {
    let now = cohort_core::time::to_micros(chrono::Utc::now());
    let workspace_name = check_workspace_name(DEMO_WORKSPACE).map_err(StoreError::Invalid)?;
    let workspace = store.workspace_by_name(&workspace_name, now).await?;
    if store.list_bots(workspace).await?.is_empty() {
        let bot = store
            .create_bot(
                workspace,
                &CheckedBot {
                    name: "Pizza Palace".to_owned(),
                    session_timeout_secs: DEFAULT_SESSION_TIMEOUT_SECS,
                },
                now,
            )
            .await?;
        let scope = store.bot_scope(workspace, &bot.id).await?;
        let users = demo_users(300);
        let count = users.len();
        let events = demo_events(&users, now);
        // Each user was created when they first chatted, an hour before their first event
        // (those who never chatted: now), so Created At comes before their messages.
        let mut first_seen: HashMap<(&str, &str), i64> = HashMap::new();
        for event in &events {
            let at = DateTime::parse_from_rfc3339(&event.at)
                .map(|at| cohort_core::time::to_micros(at.to_utc()))
                .unwrap_or(now);
            first_seen
                .entry((event.channel.as_str(), event.external_user_id.as_str()))
                .and_modify(|first| *first = (*first).min(at))
                .or_insert(at);
        }
        for user in &users {
            let created_at = first_seen
                .get(&(user.channel.as_str(), user.external_id.as_str()))
                .map_or(now, |first| first - 3_600_000_000);
            let user = check_upsert_user(user)
                .map_err(|errors| anyhow::anyhow!("a demo user is invalid: {errors:?}"))?;
            store.upsert_user(scope, &user, created_at).await?;
        }
        for batch in events.chunks(500) {
            let checked = check_events(&IngestEvents {
                events: batch.to_vec(),
            })
            .map_err(|errors| anyhow::anyhow!("demo events are invalid: {errors:?}"))?;
            store.ingest(scope, &checked, now).await?;
        }
        eprintln!(
            "Demo: created bot \"{}\" with {count} users and {} events in workspace \"{DEMO_WORKSPACE}\".",
            bot.name,
            events.len()
        );
    }
    let token = store.create_token(workspace, now).await?;
    eprintln!("Demo API token (shown once; use it with curl):\n\n    {token}\n");
    let password = demo_admin(store, workspace, now).await?;
    eprintln!("Sign in at {url} as {DEMO_ADMIN_EMAIL} with password {password}\n");
    Ok(())
}

/// Creates the demo admin, or sets their password: `COHORT_DEMO_PASSWORD` when set, else
/// a new random one at every start (so the line printed last always works). Returns it.
async fn demo_admin(
    store: &Store,
    workspace: WorkspaceScope,
    now: Micros,
) -> anyhow::Result<String> {
    let password = match std::env::var("COHORT_DEMO_PASSWORD") {
        Ok(password) => password,
        Err(_) => rand::rng()
            .sample_iter(rand::distr::Alphanumeric)
            .take(20)
            .map(char::from)
            .collect(),
    };
    let admin = check_admin(DEMO_ADMIN_EMAIL, &password)
        .map_err(StoreError::Invalid)
        .context("cannot set the demo admin's password (COHORT_DEMO_PASSWORD?)")?;
    store.set_admin_password(workspace, &admin, now).await?;
    Ok(password)
}

/// `count` demo users; the first is Yin Yin Tan.
pub fn demo_users(count: usize) -> Vec<UpsertUser> {
    let mut rng = StdRng::seed_from_u64(20261129);
    let mut users = vec![person(
        &mut rng,
        0,
        "Yin Yin",
        "Tan",
        "en-SG",
        "Asia/Singapore",
    )];
    while users.len() < count {
        let index = users.len();
        users.push(random_person(&mut rng, index));
    }
    users
}

/// A made-up user from one of the demo's countries, with tags and attributes; `index`
/// makes the external id unique.
pub fn random_person(rng: &mut StdRng, index: usize) -> UpsertUser {
    let (given, family, locale, timezone) = PEOPLE[rng.random_range(0..PEOPLE.len())];
    let first = given.choose(rng).copied().unwrap_or("Alex");
    let last = family.choose(rng).copied().unwrap_or("Lee");
    person(rng, index, first, last, locale, timezone)
}

fn person(
    rng: &mut StdRng,
    index: usize,
    first: &str,
    last: &str,
    locale: &str,
    timezone: &str,
) -> UpsertUser {
    let channel = weighted_channel(rng);
    let anonymous = index > 0 && rng.random_ratio(1, 25);
    let email = (!anonymous && rng.random_ratio(2, 3)).then(|| {
        let local: String = format!("{first}.{last}{index}")
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        format!("{local}@example.com")
    });
    let tags: Vec<String> = TAGS
        .iter()
        .filter(|_| rng.random_ratio(1, 5))
        .map(|tag| (*tag).to_owned())
        .collect();
    let mut attributes = BTreeMap::new();
    attributes.insert(
        "fav_food".to_owned(),
        Some(FOODS.choose(rng).copied().unwrap_or("pizza").to_owned()),
    );
    if rng.random_ratio(2, 3) {
        attributes.insert(
            "city".to_owned(),
            Some(
                CITIES
                    .choose(rng)
                    .copied()
                    .unwrap_or("Singapore")
                    .to_owned(),
            ),
        );
    }
    if rng.random_ratio(1, 2) {
        attributes.insert(
            "orders".to_owned(),
            Some(rng.random_range(0..40).to_string()),
        );
    }
    if rng.random_ratio(1, 3) {
        attributes.insert(
            "plan".to_owned(),
            Some(
                if rng.random_ratio(1, 4) {
                    "premium"
                } else {
                    "free"
                }
                .to_owned(),
            ),
        );
    }
    let set = |value: &str| Some(Some(value.to_owned()));
    UpsertUser {
        channel: channel.to_owned(),
        external_id: format!("{}{:06}", &channel[..2], 100_000 + index * 7),
        first_name: if anonymous { None } else { set(first) },
        last_name: if anonymous { None } else { set(last) },
        email: email.map(Some),
        phone: (channel == "whatsapp" || channel == "sms").then(|| {
            Some(format!(
                "+65 8{:03} {:04}",
                index % 1000,
                (index * 37) % 10_000
            ))
        }),
        locale: set(locale),
        timezone: set(timezone),
        avatar_url: None,
        notes: (index % 40 == 3).then(|| Some("Asked about catering for 30 people.".to_owned())),
        tags: Some(tags),
        attributes: Some(attributes),
    }
}

fn weighted_channel(rng: &mut StdRng) -> &'static str {
    let total: u32 = CHANNELS.iter().map(|(_, weight)| weight).sum();
    let mut pick = rng.random_range(0..total);
    for (channel, weight) in CHANNELS {
        if pick < *weight {
            return channel;
        }
        pick -= weight;
    }
    "web"
}

const HAPPY: &[&str] = &[
    "hi! can I order a large margherita?",
    "that was quick, thanks so much 😊",
    "best pizza in town!!",
    "perfect, see you at 7",
    "love the new truffle pizza ❤️",
    "hahaha yes extra cheese please",
    "awesome, thank you!",
    "great service as always 👍",
];
const NEUTRAL: &[&str] = &[
    "hello",
    "what time do you close today?",
    "do you deliver to Orchard Road?",
    "ok",
    "I'd like to order for pickup",
    "can I see the menu?",
    "is there parking nearby?",
    "yes",
    "2 pax at 8pm",
    "how much is delivery?",
];
const UNHAPPY: &[&str] = &[
    "so slow!",
    "still waiting for my order...",
    "this is useless, I want to talk to a real person",
    "you don't understand",
    "the pizza arrived cold 😡",
    "wrong order AGAIN",
    "not helpful at all",
    "I want my money back",
];
const URLS: &[&str] = &[
    "https://pizzapalace.example/menu",
    "https://pizzapalace.example/deals",
    "https://pizzapalace.example/track",
];

/// A believable history for the demo users, ending before `now`: a few sessions each of
/// a few messages minutes apart and the odd button click; about one user in six is
/// unhappy, and some users never wrote at all.
pub fn demo_events(users: &[UpsertUser], now: i64) -> Vec<EventInput> {
    let mut rng = StdRng::seed_from_u64(7);
    let mut events = Vec::new();
    for (index, user) in users.iter().enumerate() {
        if index > 0 && rng.random_ratio(1, 12) {
            continue;
        }
        let unhappy = index == 0 || rng.random_ratio(1, 6);
        let sessions = rng.random_range(1..=5);
        let key = format!("demo-{index}");
        events.extend(history(
            &mut rng,
            &key,
            user,
            now,
            unhappy,
            Length::Sessions(sessions),
        ));
    }
    events
}

/// How long a made-up history is.
#[derive(Debug, Clone, Copy)]
pub enum Length {
    /// This many sessions of one to six events.
    Sessions(u32),
    /// Exactly this many events.
    Events(usize),
}

/// One user's made-up chat history, ending before `now` and starting up to 30 days
/// earlier: sessions of events seconds to minutes apart, sessions 30 minutes to 3 days
/// apart, one event in six a button click. Event ids are `{key}-{n}`.
pub fn history(
    rng: &mut StdRng,
    key: &str,
    user: &UpsertUser,
    now: i64,
    unhappy: bool,
    length: Length,
) -> Vec<EventInput> {
    const MINUTE: i64 = 60_000_000;
    let mood = if unhappy {
        UNHAPPY
    } else if rng.random_ratio(1, 2) {
        HAPPY
    } else {
        NEUTRAL
    };
    let mut events = Vec::new();
    let mut at =
        now - rng.random_range(1..=30) * 24 * 60 * MINUTE - rng.random_range(0..600) * MINUTE;
    let mut sessions = 0;
    loop {
        let done = match length {
            Length::Sessions(count) => sessions >= count,
            Length::Events(count) => events.len() >= count,
        };
        if done {
            break;
        }
        sessions += 1;
        for _ in 0..rng.random_range(1..=6) {
            if let Length::Events(count) = length
                && events.len() >= count
            {
                break;
            }
            at += rng.random_range(0..4) * MINUTE + rng.random_range(5..55) * 1_000_000;
            let pool = if rng.random_ratio(1, 3) {
                NEUTRAL
            } else {
                mood
            };
            let common = EventInput {
                id: format!("{key}-{}", events.len()),
                channel: user.channel.clone(),
                external_user_id: user.external_id.clone(),
                at: format_rfc3339(at.min(now)),
                ..EventInput::default()
            };
            if rng.random_ratio(1, 6) {
                let url = URLS
                    .choose(rng)
                    .copied()
                    .unwrap_or("https://pizzapalace.example");
                events.push(EventInput {
                    kind: "click".to_owned(),
                    url: Some(url.to_owned()),
                    ..common
                });
            } else {
                let text = pool.choose(rng).copied().unwrap_or("hello");
                events.push(EventInput {
                    kind: "message".to_owned(),
                    text: Some(text.to_owned()),
                    ..common
                });
            }
        }
        at += rng.random_range(30..(3 * 24 * 60)) * MINUTE;
        if matches!(length, Length::Sessions(_)) && at > now {
            break;
        }
    }
    events
}
