//! The filter means the same in SQL as in the core: for random users and random filters,
//! the store selects (and counts) exactly the users `cohort_core::filter::matches` selects;
//! and keyset paging in any sort yields exactly the core's order.

use cohort_store::testing::Checked;
use std::collections::BTreeMap;

use cohort_core::api::{UpsertUser, User};
use cohort_core::filter::{self, matches};
use cohort_core::sort::{Cursor, Sort, SortKey};
use cohort_core::time::{format_rfc3339, parse_rfc3339};
use cohort_store::{BotScope, ListQuery};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::helpers::{Fixture, fixture};

const NOW: &str = "2026-11-29T12:00:00Z";
const HOUR: i64 = 3_600_000_000;

const NAMES: &[&str] = &[
    "Yin Yin",
    "yin",
    "YIN YIN",
    "José",
    "JOSÉ",
    "Ørjan",
    "",
    " Anna ",
    "Σοφία",
    "50%_off",
    "a\\b",
    "Ánna-María",
    "ß",
    // NFKC_Casefold (PRODUCT.md): ß/ẞ and "ss", final sigma, full-width letters,
    // combining marks, NBSP and U+3000 padding, a ligature, a default-ignorable inside.
    "Großmann",
    "GROẞMANN",
    "Κώστας",
    "ＹＩＮ",
    "Zoe\u{308}",
    "\u{a0}Zoë\u{3000}",
    "ﬁona",
    "Yi\u{200b}n",
    "ı",
];
const EMAILS: &[Option<&str>] = &[
    None,
    Some("Yin@Example.com"),
    Some("jose@x.com"),
    Some("anna_50%@y.org"),
    Some("ＹＩＮ@ＥＸＡＭＰＬＥ.com"),
];
/// External ids; a user whose channel already has the id gets its index appended.
const EXTERNAL_IDS: &[&str] = &[
    "yin",
    "YIN",
    " Yin Yin ",
    "JOSÉ-42",
    "josé-42",
    "ΣΟΦΊΑ",
    "Ørjan_7",
    "50%_off",
    "a\\b",
    "ß",
    "SS",
    "İstanbul",
    "Ñandú",
    "u42",
];
const CHANNELS: &[&str] = &["web", "telegram", "WhatsApp", "sms"];
const TAGS: &[&str] = &["VIP", "Pizza Lover", "new", "Ñandú", "Straße"];
const ATTRIBUTE_KEYS: &[&str] = &["fav_food", "age", "city"];
/// Two values longer than PostgreSQL's indexed prefix of attribute values (200
/// characters), equal in that prefix: `equals` must still tell them apart.
const LONG_VALUE_A: &str = concat!(
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "end A"
);
const LONG_VALUE_B: &str = concat!(
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "0123456789 Long Value ",
    "end B"
);
const ATTRIBUTE_VALUES: &[&str] = &[
    "pizza",
    "PIZZA ",
    "Pizza Hut",
    "42",
    "-3.5",
    "1e2",
    " ",
    "forty",
    "0x10",
    "inf",
    "Ñ",
    "0009",
    " 42 ",
    "9",
    "+9.0",
    ".5",
    "5.",
    "-0",
    "0",
    "\u{a0}42\u{3000}",
    "ＰＩＺＺＡ",
    "Straße",
    "1e3",
    "１２",
    "1 Main St\r\nApt 2\tSingapore",
    LONG_VALUE_A,
    LONG_VALUE_B,
];
const TEXT_OPERANDS: &[&str] = &[
    "yin",
    "Yin Yin",
    "YIN",
    "josé",
    "ø",
    "σοφία",
    "ΣΟΦΊΑ",
    "50%",
    "_",
    "a\\b",
    "pizza",
    "PIZZA",
    "42",
    "an",
    "e",
    "@x.com",
    "hut",
    " pizza ",
    "ss",
    "ñ",
    "-42",
    "i̇",
    "ß",
    "0009",
    "9",
    "apt 2",
    "GROSSMANN",
    "grossmann",
    "ẞ",
    "ΚΏΣΤΑΣ",
    "κώστας",
    "ς",
    "ＹＩＮ",
    "yin@example",
    "Zoë",
    "Zoe\u{308}",
    "ﬁ",
    "fi",
    "ı",
    "i",
    "strasse",
    "ＰＩＺＺＡ",
    "12",
    "st\r\napt",
    LONG_VALUE_A,
    LONG_VALUE_B,
];
const NUMBER_OPERANDS: &[f64] = &[
    0.0, -0.0, 1.0, 2.0, 3.0, 0.5, -0.5, 0.05, -0.05, 0.3, 9.0, 42.0, 100.0, -3.5, 60.0,
];
const SENTIMENTS: &[Option<f64>] = &[
    None,
    Some(-0.5),
    Some(-0.05),
    Some(0.0),
    Some(0.05),
    Some(0.3),
];
/// Offsets from NOW, in hours, for stored times and time operands.
const HOURS_AGO: &[i64] = &[-24, 0, 1, 2, 47, 48, 49, 240, 960];

/// One generated user: what to upsert, then the stats to write.
#[derive(Debug, Clone)]
struct GeneratedUser {
    first_name: &'static str,
    last_name: &'static str,
    email: Option<&'static str>,
    external_id: &'static str,
    channel: &'static str,
    tags: Vec<&'static str>,
    attributes: Vec<(&'static str, &'static str)>,
    sessions: i64,
    clicks: i64,
    time_spent_secs: i64,
    average_sentiment: Option<f64>,
    last_message_hours_ago: Option<i64>,
    created_hours_ago: i64,
}

fn pick<T: Clone + std::fmt::Debug + 'static>(
    items: &'static [T],
) -> impl Strategy<Value = T> + Clone {
    proptest::sample::select(items)
}

fn generated_user() -> impl Strategy<Value = GeneratedUser> {
    (
        (
            pick(NAMES),
            pick(NAMES),
            pick(EMAILS),
            pick(EXTERNAL_IDS),
            pick(CHANNELS),
        ),
        proptest::sample::subsequence(TAGS, 0..=3),
        proptest::collection::vec((pick(ATTRIBUTE_KEYS), pick(ATTRIBUTE_VALUES)), 0..3),
        (
            0i64..4,
            0i64..3,
            pick(&[0i64, 60, 3600][..]),
            pick(SENTIMENTS),
        ),
        (proptest::option::of(pick(HOURS_AGO)), pick(HOURS_AGO)),
    )
        .prop_map(
            |(
                (first_name, last_name, email, external_id, channel),
                tags,
                attributes,
                stats,
                times,
            )| {
                GeneratedUser {
                    first_name,
                    last_name,
                    email,
                    external_id,
                    channel,
                    tags,
                    attributes,
                    sessions: stats.0,
                    clicks: stats.1,
                    time_spent_secs: stats.2,
                    average_sentiment: stats.3,
                    last_message_hours_ago: times.0,
                    created_hours_ago: times.1,
                }
            },
        )
}

fn time_operand(hours_ago: i64) -> Value {
    let now = parse_rfc3339(NOW).unwrap_or_default();
    json!(format_rfc3339(now - hours_ago * HOUR))
}

fn condition() -> impl Strategy<Value = Value> {
    let text_column = pick(
        &[
            "first_name",
            "last_name",
            "name",
            "email",
            "external_id",
            "attributes.fav_food",
            "attributes.age",
            "attributes.city",
        ][..],
    );
    let text_function = pick(
        &[
            "equals",
            "not_equals",
            "contains",
            "not_contains",
            "starts_with",
            "ends_with",
        ][..],
    );
    let text = (text_column.clone(), text_function, pick(TEXT_OPERANDS)).prop_map(
        |(column, function, value)| json!({"column": column, "function": function, "value": value}),
    );
    let presence = (
        pick(
            &[
                "first_name",
                "name",
                "email",
                "external_id",
                "attributes.fav_food",
                "attributes.age",
                "average_sentiment",
                "last_message_at",
                "sessions",
            ][..],
        ),
        pick(&["is_set", "is_not_set"][..]),
    )
        .prop_map(|(column, function)| json!({"column": column, "function": function}));
    let number_column = pick(
        &[
            "sessions",
            "messages_sent",
            "clicks",
            "time_spent_secs",
            "average_sentiment",
            "attributes.age",
            "attributes.fav_food",
        ][..],
    );
    let comparison = (
        number_column.clone(),
        pick(&["equals", "not_equals", "greater_than", "greater_or_equal", "less_than", "less_or_equal"][..]),
        pick(NUMBER_OPERANDS),
    )
        .prop_map(|(column, function, value)| json!({"column": column, "function": function, "value": value}));
    let between = (number_column, pick(NUMBER_OPERANDS), pick(NUMBER_OPERANDS)).prop_map(|(column, a, b)| {
        json!({"column": column, "function": "between", "value": [a.min(b), a.max(b)]})
    });
    let time_column = pick(&["last_message_at", "created_at"][..]);
    let absolute = (time_column.clone(), pick(&["before", "after"][..]), pick(HOURS_AGO))
        .prop_map(|(column, function, hours)| json!({"column": column, "function": function, "value": time_operand(hours)}));
    let time_between = (time_column.clone(), pick(HOURS_AGO), pick(HOURS_AGO)).prop_map(|(column, a, b)| {
        json!({"column": column, "function": "between", "value": [time_operand(a.max(b)), time_operand(a.min(b))]})
    });
    let relative = (
        time_column,
        pick(&["within_last", "more_than_ago"][..]),
        pick(&[(1u32, "hours"), (48, "hours"), (2, "days"), (10, "days"), (90, "minutes")][..]),
    )
        .prop_map(|(column, function, (amount, unit))| {
            json!({"column": column, "function": function, "value": {"amount": amount, "unit": unit}})
        });
    let channel = prop_oneof![
        (pick(&["is", "is_not"][..]), pick(CHANNELS)).prop_map(
            |(function, value)| json!({"column": "channel", "function": function, "value": value})
        ),
        proptest::sample::subsequence(CHANNELS, 1..=3).prop_map(
            |values| json!({"column": "channel", "function": "is_any_of", "value": values})
        ),
    ];
    let tags = prop_oneof![
        (pick(&["has", "has_not"][..]), pick(TAGS)).prop_map(|(function, value)| json!({"column": "tags", "function": function, "value": value.to_uppercase()})),
        (pick(&["has_any_of", "has_all_of"][..]), proptest::sample::subsequence(TAGS, 1..=3))
            .prop_map(|(function, values)| json!({"column": "tags", "function": function, "value": values})),
    ];
    prop_oneof![
        text,
        presence,
        comparison,
        between,
        absolute,
        time_between,
        relative,
        channel,
        tags
    ]
}

fn filter() -> impl Strategy<Value = Value> {
    condition().prop_recursive(3, 20, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|items| json!({"all": items})),
            proptest::collection::vec(inner, 0..4).prop_map(|items| json!({"any": items})),
        ]
    })
}

/// Writes the generated users into `bot` and returns them as the store reads them back.
async fn insert(fixture: &Fixture, bot: BotScope, users: &[GeneratedUser]) -> Vec<User> {
    let now = parse_rfc3339(NOW).unwrap_or_default();
    let mut taken = std::collections::BTreeSet::new();
    for (index, generated) in users.iter().enumerate() {
        // The store trims external ids, so uniqueness in a channel is of the trimmed id.
        let mut external_id = generated.external_id.trim().to_owned();
        if !taken.insert((generated.channel, external_id.clone())) {
            external_id = format!("{external_id}{index}");
            taken.insert((generated.channel, external_id.clone()));
        }
        let request = UpsertUser {
            channel: generated.channel.to_owned(),
            external_id,
            first_name: Some(Some(generated.first_name.to_owned())),
            last_name: Some(Some(generated.last_name.to_owned())),
            email: Some(generated.email.map(str::to_owned)),
            tags: Some(generated.tags.iter().map(|tag| (*tag).to_owned()).collect()),
            attributes: Some(
                generated
                    .attributes
                    .iter()
                    .map(|(key, value)| ((*key).to_owned(), Some((*value).to_owned())))
                    .collect(),
            ),
            ..UpsertUser::default()
        };
        let (user, _) = fixture
            .store()
            .upsert_user(bot, &request.checked(), cohort_store::testing::now())
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        // Stats come from events (another module); here they are written directly so the
        // filters have varied numbers and times to select on.
        let stats = format!(
            "UPDATE user_stats SET sessions = {}, messages_sent = {}, clicks = {}, time_spent_secs = {}, average_sentiment = {}, last_message_at = {} WHERE user_id = {}",
            generated.sessions,
            generated.sessions * 2,
            generated.clicks,
            generated.time_spent_secs,
            generated
                .average_sentiment
                .map_or("NULL".to_owned(), |value| format!("{value:?}")),
            generated
                .last_message_hours_ago
                .map_or("NULL".to_owned(), |hours| (now - hours * HOUR).to_string()),
            user.id
        );
        let created = format!(
            "UPDATE users SET created_at = {} WHERE id = {}",
            now - generated.created_hours_ago * HOUR,
            user.id
        );
        for sql in [stats, created] {
            fixture
                .store()
                .execute_sql(&sql)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
        }
    }
    all_pages(
        fixture,
        bot,
        &filter::Expr::everyone(),
        Sort::default(),
        500,
    )
    .await
}

/// Every user the filter selects, paging `page_size` at a time.
async fn all_pages(
    fixture: &Fixture,
    bot: BotScope,
    expr: &filter::Expr,
    sort: Sort,
    page_size: u64,
) -> Vec<User> {
    let now = parse_rfc3339(NOW).unwrap_or_default();
    let mut query = ListQuery {
        filter: expr.clone(),
        sort,
        limit: page_size,
        cursor: None,
        now,
    };
    let mut users = Vec::new();
    loop {
        let page = fixture
            .store()
            .list_users(bot, &query)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(page.data.len() as u64 <= page_size);
        users.extend(page.data);
        match page.next_cursor {
            Some(next) => {
                query.cursor = Some(Cursor::decode(&next, sort).unwrap_or_else(|e| panic!("{e}")))
            }
            None => return users,
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn filters_select_the_same_users_in_sql_as_in_memory() {
    let runtime = runtime();
    let fixture = runtime.block_on(fixture());
    let now = parse_rfc3339(NOW).unwrap_or_default();
    let mut runner = TestRunner::new(Config {
        cases: 48,
        ..Config::default()
    });
    let strategy = (
        proptest::collection::vec(generated_user(), 4..28),
        // Single conditions test each function sharply; nested filters test the logic.
        (
            proptest::collection::vec(condition(), 12..24),
            proptest::collection::vec(filter(), 4..8),
        )
            .prop_map(|(mut conditions, nested)| {
                conditions.extend(nested);
                conditions
            }),
    );
    let bot_number = std::cell::Cell::new(0);
    let result = runner.run(&strategy, |(users, filters)| {
        bot_number.set(bot_number.get() + 1);
        runtime.block_on(async {
            let bot = fixture.new_bot(&format!("case {}", bot_number.get())).await;
            let stored = insert(&fixture, bot, &users).await;
            prop_assert_eq!(stored.len(), users.len());
            for filter_json in &filters {
                let expr = filter::parse(filter_json, "/filter").map_err(|errors| {
                    TestCaseError::fail(format!(
                        "generated filter {filter_json} is invalid: {errors:?}"
                    ))
                })?;
                let expected: BTreeMap<String, &str> = stored
                    .iter()
                    .filter(|user| matches(&expr, user, now))
                    .map(|user| (user.id.clone(), user.first_name.as_str()))
                    .collect();
                let selected: BTreeMap<String, &str> =
                    all_pages(&fixture, bot, &expr, Sort::default(), 500)
                        .await
                        .iter()
                        .map(|user| {
                            let name = stored
                                .iter()
                                .find(|s| s.id == user.id)
                                .map_or("", |s| s.first_name.as_str());
                            (user.id.clone(), name)
                        })
                        .collect();
                prop_assert_eq!(&selected, &expected, "filter {}", filter_json);
                let count = fixture
                    .store()
                    .count_users(bot, &expr, now)
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"));
                prop_assert_eq!(count, expected.len() as u64, "count of {}", filter_json);
            }
            Ok(())
        })
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

#[test]
fn keyset_pages_in_any_sort_follow_the_core_order_without_gaps_or_repeats() {
    let runtime = runtime();
    let fixture = runtime.block_on(fixture());
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    let now = parse_rfc3339(NOW).unwrap_or_default();
    // With a filter and pages this small, most pages that match more than a few users walk
    // the sort order (`Sql::walk_sort_order`; on PostgreSQL for the orders an index serves
    // there, with tag and attribute tests fenced by `OFFSET 0`); the others read the
    // matches.
    let strategy = (
        proptest::collection::vec(generated_user(), 0..20),
        proptest::collection::vec(
            (
                pick(&SortKey::ALL[..]),
                any::<bool>(),
                1u64..6,
                proptest::option::of(condition()),
            ),
            1..6,
        ),
    );
    let bot_number = std::cell::Cell::new(0);
    let result = runner.run(&strategy, |(users, sorts)| {
        bot_number.set(bot_number.get() + 1);
        runtime.block_on(async {
            let bot = fixture
                .new_bot(&format!("sort case {}", bot_number.get()))
                .await;
            let stored = insert(&fixture, bot, &users).await;
            for (key, descending, page_size, filter_json) in sorts {
                let sort = Sort { key, descending };
                let expr = match &filter_json {
                    Some(json) => filter::parse(json, "/filter").map_err(|errors| {
                        TestCaseError::fail(format!(
                            "generated filter {json} is invalid: {errors:?}"
                        ))
                    })?,
                    None => filter::Expr::everyone(),
                };
                let mut expected: Vec<&User> = stored
                    .iter()
                    .filter(|user| matches(&expr, user, now))
                    .collect();
                expected.sort_by(|a, b| sort.compare(a, b));
                let expected: Vec<&str> = expected.iter().map(|user| user.id.as_str()).collect();
                let paged = all_pages(&fixture, bot, &expr, sort, page_size).await;
                let paged: Vec<&str> = paged.iter().map(|user| user.id.as_str()).collect();
                prop_assert_eq!(
                    paged,
                    expected,
                    "sort {} in pages of {} of {:?}",
                    sort.as_string(),
                    page_size,
                    filter_json
                );
            }
            Ok(())
        })
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
