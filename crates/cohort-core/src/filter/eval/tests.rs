//! Table-driven tests of the filter's meaning on a handful of users.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::api::User;
use crate::filter::{matches, parse};
use crate::time::parse_rfc3339;

const NOW: &str = "2026-11-29T12:00:00Z";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn user(id: &str, first: &str, last: &str) -> User {
    User {
        id: id.to_owned(),
        bot_id: "1".to_owned(),
        channel: "telegram".to_owned(),
        external_id: id.to_owned(),
        first_name: first.to_owned(),
        last_name: last.to_owned(),
        email: None,
        phone: None,
        locale: None,
        timezone: None,
        avatar_url: None,
        notes: None,
        created_at: at("2026-01-01T00:00:00Z"),
        updated_at: at("2026-01-01T00:00:00Z"),
        sessions: 0,
        messages_sent: 0,
        clicks: 0,
        time_spent_secs: 0,
        average_sentiment: None,
        average_sentiment_label: None,
        last_message_at: None,
        tags: Vec::new(),
        attributes: BTreeMap::new(),
    }
}

fn people() -> Vec<User> {
    let mut yin = user("yin", "Yin Yin", "Tan");
    yin.email = Some("YinYin@Example.com".to_owned());
    yin.sessions = 4;
    yin.messages_sent = 10;
    yin.average_sentiment = Some(-0.4);
    yin.last_message_at = Some(at("2026-11-28T09:00:00Z"));
    yin.tags = vec!["VIP".to_owned(), "pizza lover".to_owned()];
    yin.attributes = BTreeMap::from([
        ("fav_food".to_owned(), "Pizza".to_owned()),
        ("age".to_owned(), "31".to_owned()),
    ]);

    let mut jose = user("jose", "José", "Álvarez");
    jose.channel = "whatsapp".to_owned();
    jose.external_id = "ÁLV-0042".to_owned();
    jose.sessions = 1;
    jose.messages_sent = 2;
    jose.average_sentiment = Some(0.6);
    jose.last_message_at = Some(at("2026-10-01T09:00:00Z"));
    jose.tags = vec!["vip".to_owned()];
    jose.attributes = BTreeMap::from([("age".to_owned(), "forty".to_owned())]);

    let mut anon = user("anon", "", "");
    anon.channel = "web".to_owned();
    anon.attributes = BTreeMap::from([("fav_food".to_owned(), "  ".to_owned())]);

    let yin_lee = user("yinlee", "Yin", "Lee");
    vec![yin, jose, anon, yin_lee]
}

/// Parses `filter`, evaluates it on `people()` and compares the ids that match.
fn check(filter: serde_json::Value, expected: &[&str]) {
    let expr = match parse(&filter, "/filter") {
        Ok(expr) => expr,
        Err(errors) => panic!("{filter} did not parse: {errors:?}"),
    };
    let now = parse_rfc3339(NOW).unwrap_or_default();
    let selected: Vec<String> = people()
        .iter()
        .filter(|u| matches(&expr, u, now))
        .map(|u| u.id.clone())
        .collect();
    assert_eq!(selected, expected, "{filter}");
}

fn cond(column: &str, function: &str, value: serde_json::Value) -> serde_json::Value {
    if value.is_null() {
        json!({"column": column, "function": function})
    } else {
        json!({"column": column, "function": function, "value": value})
    }
}

#[test]
fn seed_example_first_name_contains_yin_yin_selects_only_yin_yin() {
    check(cond("first_name", "contains", json!("Yin Yin")), &["yin"]);
}

#[test]
fn text_functions_fold_case_and_white_space() {
    check(cond("first_name", "equals", json!("  yin yin ")), &["yin"]);
    check(cond("first_name", "equals", json!("JOSÉ")), &["jose"]);
    check(cond("last_name", "starts_with", json!("á")), &["jose"]);
    check(cond("name", "ends_with", json!("N TAN")), &["yin"]);
    check(cond("name", "contains", json!("yin")), &["yin", "yinlee"]);
    check(cond("email", "contains", json!("example")), &["yin"]);
}

#[test]
fn external_id_is_a_text_column_compared_folded() {
    check(cond("external_id", "contains", json!("álv")), &["jose"]);
    check(
        cond("external_id", "equals", json!(" ÁLV-0042 ")),
        &["jose"],
    );
    check(
        cond("external_id", "starts_with", json!("YIN")),
        &["yin", "yinlee"],
    );
    check(cond("external_id", "ends_with", json!("lee")), &["yinlee"]);
    check(
        cond("external_id", "not_contains", json!("ÁLV")),
        &["yin", "anon", "yinlee"],
    );
    check(
        cond("external_id", "is_set", json!(null)),
        &["yin", "jose", "anon", "yinlee"],
    );
    check(cond("external_id", "is_not_set", json!(null)), &[]);
    // The quick search of the app: any of name, email and external id.
    check(
        json!({"any": [
            cond("name", "contains", json!("0042")),
            cond("email", "contains", json!("0042")),
            cond("external_id", "contains", json!("0042")),
        ]}),
        &["jose"],
    );
}

#[test]
fn negations_are_exact_complements_including_users_without_value() {
    check(
        cond("email", "not_contains", json!("example")),
        &["jose", "anon", "yinlee"],
    );
    check(
        cond("first_name", "not_equals", json!("yin")),
        &["yin", "jose", "anon"],
    );
    check(
        cond("average_sentiment", "not_equals", json!(0.6)),
        &["yin", "anon", "yinlee"],
    );
    check(
        cond("channel", "is_not", json!("Telegram")),
        &["jose", "anon"],
    );
    check(cond("tags", "has_not", json!("vip")), &["anon", "yinlee"]);
    check(
        cond("attributes.fav_food", "not_equals", json!("pizza")),
        &["jose", "anon", "yinlee"],
    );
}

#[test]
fn is_set_means_present_and_non_empty() {
    check(
        cond("first_name", "is_set", json!(null)),
        &["yin", "jose", "yinlee"],
    );
    check(cond("first_name", "is_not_set", json!(null)), &["anon"]);
    check(cond("attributes.fav_food", "is_set", json!(null)), &["yin"]);
    check(
        cond("average_sentiment", "is_set", json!(null)),
        &["yin", "jose"],
    );
    check(
        cond("last_message_at", "is_not_set", json!(null)),
        &["anon", "yinlee"],
    );
}

#[test]
fn number_functions_compare_and_between_is_inclusive() {
    check(cond("sessions", "greater_than", json!(3)), &["yin"]);
    check(
        cond("sessions", "greater_or_equal", json!(1)),
        &["yin", "jose"],
    );
    check(cond("sessions", "less_than", json!(1)), &["anon", "yinlee"]);
    check(
        cond("messages_sent", "between", json!([2, 10])),
        &["yin", "jose"],
    );
    check(
        cond("average_sentiment", "less_or_equal", json!(-0.05)),
        &["yin"],
    );
    check(cond("sessions", "equals", json!(4)), &["yin"]);
}

#[test]
fn attribute_number_comparisons_match_numeric_values_only() {
    check(cond("attributes.age", "greater_than", json!(30)), &["yin"]);
    check(cond("attributes.age", "between", json!([31, 31])), &["yin"]);
    check(cond("attributes.age", "less_than", json!(1000)), &["yin"]);
    check(cond("attributes.age", "equals", json!("FORTY")), &["jose"]);
}

#[test]
fn attribute_equals_a_json_number_compares_numerically() {
    let with_age = |id: &str, age: &str| {
        let mut person = user(id, id, "");
        person.attributes = BTreeMap::from([("age".to_owned(), age.to_owned())]);
        person
    };
    let people = [
        with_age("padded", "0009"),
        with_age("spaced", " 9.0 "),
        with_age("plus", "+9"),
        with_age("exponent", "9e0"),
        with_age("text", "nine"),
        with_age("other", "10"),
        user("none", "none", ""),
    ];
    let selected = |filter: serde_json::Value| -> Vec<String> {
        let expr = parse(&filter, "/filter").unwrap_or_else(|errors| panic!("{errors:?}"));
        people
            .iter()
            .filter(|u| matches(&expr, u, 0))
            .map(|u| u.id.clone())
            .collect()
    };
    assert_eq!(
        selected(cond("attributes.age", "equals", json!(9))),
        ["padded", "spaced", "plus"]
    );
    assert_eq!(
        selected(cond("attributes.age", "not_equals", json!(9))),
        ["exponent", "text", "other", "none"]
    );
    // A JSON string compares as text, exactly as before.
    assert_eq!(
        selected(cond("attributes.age", "equals", json!("9"))),
        Vec::<String>::new()
    );
    assert_eq!(
        selected(cond("attributes.age", "equals", json!("0009"))),
        ["padded"]
    );
    assert_eq!(
        selected(cond("attributes.age", "equals", json!(-0.0))),
        Vec::<String>::new()
    );
}

#[test]
fn time_functions_use_now_for_relative_spans() {
    check(
        cond(
            "last_message_at",
            "within_last",
            json!({"amount": 7, "unit": "days"}),
        ),
        &["yin"],
    );
    check(
        cond(
            "last_message_at",
            "more_than_ago",
            json!({"amount": 30, "unit": "days"}),
        ),
        &["jose"],
    );
    check(
        cond("last_message_at", "after", json!("2026-11-01T00:00:00Z")),
        &["yin"],
    );
    check(
        cond(
            "last_message_at",
            "before",
            json!("2026-11-01T00:00:00+08:00"),
        ),
        &["jose"],
    );
    check(
        cond(
            "last_message_at",
            "between",
            json!(["2026-10-01T09:00:00Z", "2026-11-28T09:00:00Z"]),
        ),
        &["yin", "jose"],
    );
    check(
        cond("created_at", "before", json!("2026-06-01T00:00:00Z")),
        &["yin", "jose", "anon", "yinlee"],
    );
}

#[test]
fn channel_and_tag_functions_fold_their_values() {
    check(
        cond("channel", "is_any_of", json!(["WhatsApp", "web"])),
        &["jose", "anon"],
    );
    check(cond("tags", "has", json!("Vip")), &["yin", "jose"]);
    check(
        cond("tags", "has_any_of", json!(["pizza lover", "nobody"])),
        &["yin"],
    );
    check(
        cond("tags", "has_all_of", json!(["vip", "PIZZA LOVER"])),
        &["yin"],
    );
}

#[test]
fn groups_nest_and_empty_groups_mean_everyone_or_no_one() {
    check(json!({"all": []}), &["yin", "jose", "anon", "yinlee"]);
    check(json!({"any": []}), &[]);
    check(
        json!({"all": [
            cond("tags", "has", json!("vip")),
            {"any": [cond("channel", "is", json!("whatsapp")), cond("sessions", "greater_than", json!(3))]},
            {"all": [{"any": [cond("first_name", "is_set", json!(null))]}]}
        ]}),
        &["yin", "jose"],
    );
}

/// Parses `filter` and expects errors at exactly these pointers.
fn check_rejected(filter: serde_json::Value, pointers: &[&str]) {
    match parse(&filter, "/filter") {
        Ok(expr) => panic!("{filter} parsed to {expr:?}"),
        Err(errors) => {
            let found: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
            assert_eq!(found, pointers, "{errors:?}");
        }
    }
}

#[test]
fn invalid_filters_point_at_the_offending_part() {
    check_rejected(
        cond("sessions", "contains", json!("3")),
        &["/filter/function"],
    );
    check_rejected(cond("nickname", "equals", json!("x")), &["/filter/column"]);
    check_rejected(
        cond("first_name", "sounds_like", json!("x")),
        &["/filter/function"],
    );
    check_rejected(cond("first_name", "contains", json!(3)), &["/filter/value"]);
    check_rejected(
        cond("first_name", "contains", json!("   ")),
        &["/filter/value"],
    );
    check_rejected(cond("first_name", "is_set", json!("x")), &["/filter/value"]);
    check_rejected(
        cond("sessions", "between", json!([5, 1])),
        &["/filter/value"],
    );
    check_rejected(
        cond("sessions", "between", json!([1, "x"])),
        &["/filter/value/1"],
    );
    check_rejected(
        cond("created_at", "after", json!("last tuesday")),
        &["/filter/value"],
    );
    check_rejected(
        cond(
            "created_at",
            "within_last",
            json!({"amount": 0, "unit": "days"}),
        ),
        &["/filter/value"],
    );
    check_rejected(
        cond(
            "created_at",
            "within_last",
            json!({"amount": 7, "unit": "weeks"}),
        ),
        &["/filter/value"],
    );
    check_rejected(cond("tags", "has_any_of", json!([])), &["/filter/value"]);
    check_rejected(
        cond("attributes. x", "equals", json!("y")),
        &["/filter/column"],
    );
    check_rejected(
        cond("attributes.", "equals", json!("y")),
        &["/filter/column"],
    );
    check_rejected(
        json!({"column": "first_name", "function": "equals", "value": "x", "colour": "red"}),
        &["/filter/colour"],
    );
    check_rejected(
        json!({"all": [cond("first_name", "equals", json!("x"))], "any": []}),
        &["/filter/any"],
    );
    check_rejected(
        cond("first_name", "contains", json!("a\u{0}")),
        &["/filter/value"],
    );
    check_rejected(
        cond("tags", "has_any_of", json!(["ok", "b\u{85}"])),
        &["/filter/value/1"],
    );
    check_rejected(
        cond("created_at", "within_last", json!([7, "days"])),
        &["/filter/value"],
    );
    check_rejected(json!({"all": {}}), &["/filter/all"]);
    check_rejected(json!([1, 2]), &["/filter"]);
    check_rejected(json!({"all": [{"any": [7]}]}), &["/filter/all/0/any/0"]);
}

#[test]
fn deep_and_large_filters_are_rejected_quickly() {
    let mut deep = cond("first_name", "equals", json!("x"));
    for _ in 0..100 {
        deep = json!({"all": [deep]});
    }
    assert!(parse(&deep, "/filter").is_err());

    let wide = json!({"any": vec![cond("first_name", "equals", json!("x")); 101]});
    let errors = parse(&wide, "/filter").err().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].pointer, "/filter/any");
    assert!(errors[0].message.contains("at most 100 filters"));

    let half = json!({"all": vec![cond("first_name", "equals", json!("x")); 51]});
    let many = json!({"any": [half, half]});
    let errors = parse(&many, "/filter").err().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("at most 100 conditions"));

    // Empty groups cost nothing to write but a level of SQL each: they are bounded too.
    let empty = json!({"all": []});
    let groups = json!({"any": [{"any": vec![empty.clone(); 60]}, {"all": vec![empty; 60]}]});
    let errors = parse(&groups, "/filter").err().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("at most 100 groups"));

    let long = cond("first_name", "contains", json!("x".repeat(1001)));
    assert!(parse(&long, "/filter").is_err());
}
