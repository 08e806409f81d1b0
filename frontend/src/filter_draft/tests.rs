//! The filter builder's rules: what rows write, how edits keep or reset a row, where
//! problems land, and that a filter read back is the filter written.

use chrono::{FixedOffset, Utc};
use cohort_core::api::{AttributeColumn, Columns, FieldError, ProfileColumn};
use cohort_core::filter::{ColumnType, FunctionKey, PROFILE_COLUMNS, attribute_functions};
use serde_json::{Value, json};

use super::*;

/// The catalogue `GET /columns` gives for a bot whose users have a `plan` attribute.
fn catalogue() -> Catalogue {
    let profile = PROFILE_COLUMNS
        .iter()
        .map(|column| ProfileColumn {
            key: column.key.to_owned(),
            label: column.label.to_owned(),
            column_type: column.column_type.as_str().to_owned(),
            functions: column.column_type.functions().to_vec(),
        })
        .collect();
    let attributes = vec![AttributeColumn {
        key: "attributes.plan".to_owned(),
        column_type: "text".to_owned(),
        functions: attribute_functions().to_vec(),
    }];
    Catalogue::from_api(&Columns {
        profile,
        attributes,
    })
}

/// Adds a row to `group` with a column, function and first value.
fn add(
    draft: &mut FilterDraft,
    group: NodeId,
    column: &str,
    function: FunctionKey,
    value: &str,
) -> NodeId {
    let catalogue = catalogue();
    let row = draft.add_row(group).unwrap_or_default();
    draft.set_column(&catalogue, row, column);
    draft.set_function(&catalogue, row, function);
    draft.edit_value(row, |draft| draft.first = value.to_owned());
    row
}

fn written(draft: &FilterDraft) -> Option<Value> {
    draft
        .to_filter(&Utc)
        .unwrap_or_else(|errors| panic!("{errors:?}"))
}

#[test]
fn the_seeds_example_is_one_bare_condition() {
    let mut draft = FilterDraft::default();
    assert_eq!(draft.to_filter(&Utc), Ok(None));
    add(
        &mut draft,
        0,
        "first_name",
        FunctionKey::Contains,
        "Yin Yin",
    );
    assert_eq!(
        written(&draft),
        Some(json!({"column": "first_name", "function": "contains", "value": "Yin Yin"}))
    );
}

#[test]
fn an_or_group_inside_and_writes_nested_groups_and_reads_back() {
    let catalogue = catalogue();
    let mut draft = FilterDraft::default();
    add(&mut draft, 0, "channel", FunctionKey::Is, "telegram");
    let group = draft.add_group(0).unwrap_or_default();
    assert_eq!(
        draft.group(group).map(|group| group.combinator),
        Some(Combinator::Any)
    );
    // The new group's first row is there, empty; fill it and add a second.
    let first = match draft.group(group).map(|group| group.members.as_slice()) {
        Some([Node::Row(row)]) => row.id,
        other => panic!("{other:?}"),
    };
    draft.set_column(&catalogue, first, "average_sentiment");
    draft.set_function(&catalogue, first, FunctionKey::LessThan);
    draft.edit_value(first, |value| value.first = "-0.05".to_owned());
    add(&mut draft, group, "tags", FunctionKey::Has, "Complained");

    let expected = json!({"all": [
        {"column": "channel", "function": "is", "value": "telegram"},
        {"any": [
            {"column": "average_sentiment", "function": "less_than", "value": -0.05},
            {"column": "tags", "function": "has", "value": "Complained"}
        ]}
    ]});
    assert_eq!(written(&draft), Some(expected.clone()));

    let read = FilterDraft::from_filter(&expected, &catalogue, &Utc);
    let read = read.unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(written(&read), Some(expected));
    let chips: Vec<String> = chips(&read, &catalogue)
        .into_iter()
        .map(|(_, words)| words)
        .collect();
    assert_eq!(
        chips,
        [
            "Channel is Telegram",
            "Average Sentiment < -0.05 or Tags has Complained"
        ]
    );
}

#[test]
fn every_value_input_writes_what_the_api_takes_and_reads_back() {
    let catalogue = catalogue();
    let zone = FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| panic!("offset"));
    let filter = json!({"any": [
        {"column": "sessions", "function": "between", "value": [1, 5]},
        {"column": "created_at", "function": "before", "value": "2026-11-30T09:30:00+08:00"},
        {"column": "last_message_at", "function": "between",
         "value": ["2026-11-01T00:00:00+08:00", "2026-11-02T12:00:30+08:00"]},
        {"column": "last_message_at", "function": "within_last", "value": {"amount": 7, "unit": "days"}},
        {"column": "created_at", "function": "more_than_ago", "value": {"amount": 3, "unit": "hours"}},
        {"column": "channel", "function": "is_any_of", "value": ["telegram", "line"]},
        {"column": "tags", "function": "has_all_of", "value": ["vip", "a, \"b\""]},
        {"column": "email", "function": "is_not_set"},
        {"column": "attributes.plan", "function": "greater_or_equal", "value": 2.5},
        {"column": "attributes.plan", "function": "equals", "value": "gold"},
        {"all": []}
    ]});
    let draft = FilterDraft::from_filter(&filter, &catalogue, &zone)
        .unwrap_or_else(|error| panic!("{error}"));
    let created = draft.root.members.get(1).and_then(|node| match node {
        Node::Row(row) => Some(row.value.first.clone()),
        Node::Group(_) => None,
    });
    assert_eq!(created.as_deref(), Some("2026-11-30T09:30"));
    // The empty group is dropped: it holds no rows to edit.
    let expected = {
        let mut expected = filter.clone();
        if let Some(members) = expected["any"].as_array_mut() {
            members.pop();
        }
        expected
    };
    let mut cleaned = draft.clone();
    let empty = match draft.root.members.last() {
        Some(Node::Group(group)) => group.id,
        other => panic!("{other:?}"),
    };
    cleaned.remove(empty);
    assert_eq!(cleaned.to_filter(&zone), Ok(Some(expected)));
}

#[test]
fn times_are_read_in_the_admins_zone() {
    let zone = FixedOffset::west_opt(5 * 3600).unwrap_or_else(|| panic!("offset"));
    let mut draft = FilterDraft::default();
    add(
        &mut draft,
        0,
        "last_message_at",
        FunctionKey::After,
        "2026-11-30T09:30",
    );
    assert_eq!(
        draft.to_filter(&zone),
        Ok(Some(json!({
            "column": "last_message_at", "function": "after", "value": "2026-11-30T09:30:00-05:00"
        })))
    );
}

#[test]
fn a_row_without_what_it_needs_is_marked_with_what_to_do() {
    let catalogue = catalogue();
    let mut draft = FilterDraft::default();
    let blank = draft.add_row(0).unwrap_or_default();
    let empty_text = add(&mut draft, 0, "first_name", FunctionKey::Contains, "   ");
    let bad_number = add(&mut draft, 0, "sessions", FunctionKey::GreaterThan, "three");
    let no_amount = add(&mut draft, 0, "created_at", FunctionKey::WithinLast, "0");
    let empty_list = add(&mut draft, 0, "tags", FunctionKey::HasAnyOf, "");
    let fine = add(&mut draft, 0, "email", FunctionKey::IsSet, "");
    let errors = draft.to_filter(&Utc).err().unwrap_or_default();
    let rows: Vec<Option<NodeId>> = errors.iter().map(|error| error.row).collect();
    assert_eq!(
        rows,
        [blank, empty_text, bad_number, no_amount, empty_list].map(Some)
    );
    assert_eq!(errors[0].message, "Choose a column.");
    assert_eq!(errors[1].message, "Enter a value.");
    assert!(!rows.contains(&Some(fine)));
    // Fixing them clears every mark.
    for row in [blank, empty_text, bad_number, no_amount, empty_list] {
        draft.remove(row);
    }
    assert!(draft.to_filter(&Utc).is_ok());
    assert!(
        draft
            .row(fine)
            .is_some_and(|row| row.kind(&catalogue) == Some(ValueKind::None))
    );
}

#[test]
fn the_cores_own_checks_mark_the_row_with_the_apis_message() {
    let mut draft = FilterDraft::default();
    add(&mut draft, 0, "channel", FunctionKey::Is, "telegram");
    let long = add(
        &mut draft,
        0,
        "first_name",
        FunctionKey::Contains,
        &"a".repeat(1_001),
    );
    let errors = draft.to_filter(&Utc).err().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].row, Some(long));
    assert!(errors[0].message.contains("1000") || errors[0].message.contains("1,000"));
    assert!(errors[0].message.ends_with('.'));
}

#[test]
fn the_apis_pointers_after_apply_land_on_their_rows() {
    let mut draft = FilterDraft::default();
    let first = add(&mut draft, 0, "channel", FunctionKey::Is, "telegram");
    let group = draft.add_group(0).unwrap_or_default();
    let nested = add(&mut draft, group, "tags", FunctionKey::Has, "vip");
    let errors = [
        FieldError::new("/filter/all/1/any/1/value", "no such tag"),
        FieldError::new("/filter/all/0", "is wrong"),
        FieldError::new("/filter", "too deep"),
    ];
    let located = draft.locate_errors(&Utc, &errors, "/filter");
    assert_eq!(
        located,
        [
            RowError {
                row: Some(nested),
                message: "No such tag.".to_owned()
            },
            RowError {
                row: Some(first),
                message: "Is wrong.".to_owned()
            },
            RowError {
                row: None,
                message: "Too deep.".to_owned()
            },
        ]
    );
}

#[test]
fn changing_the_column_keeps_what_still_fits() {
    let catalogue = catalogue();
    let mut draft = FilterDraft::default();
    let row = add(&mut draft, 0, "first_name", FunctionKey::StartsWith, "Yin");
    // Another text column takes the same function and value.
    draft.set_column(&catalogue, row, "last_name");
    let kept = draft.row(row).cloned();
    assert_eq!(
        kept.as_ref().and_then(|row| row.function),
        Some(FunctionKey::StartsWith)
    );
    assert_eq!(kept.map(|row| row.value.first), Some("Yin".to_owned()));
    // A number column does not: its first function and an empty value.
    draft.set_column(&catalogue, row, "sessions");
    let changed = draft.row(row).cloned();
    assert_eq!(
        changed.as_ref().and_then(|row| row.function),
        Some(FunctionKey::Equals)
    );
    assert_eq!(changed.map(|row| row.value.first), Some(String::new()));
    // A function with another input resets the value; one with the same keeps it.
    draft.edit_value(row, |value| value.first = "3".to_owned());
    draft.set_function(&catalogue, row, FunctionKey::GreaterThan);
    assert_eq!(
        draft.row(row).map(|row| row.value.first.as_str()),
        Some("3")
    );
    draft.set_function(&catalogue, row, FunctionKey::Between);
    assert_eq!(draft.row(row).map(|row| row.value.first.as_str()), Some(""));
}

#[test]
fn removing_the_last_row_of_a_group_removes_the_group() {
    let mut draft = FilterDraft::default();
    let kept = add(&mut draft, 0, "channel", FunctionKey::Is, "telegram");
    let group = draft.add_group(0).unwrap_or_default();
    let inner = draft.add_group(group).unwrap_or_default();
    let inner_row = match draft.group(inner).map(|group| group.members.as_slice()) {
        Some([Node::Row(row)]) => row.id,
        other => panic!("{other:?}"),
    };
    let first_row = match draft.group(group).map(|group| group.members.first()) {
        Some(Some(Node::Row(row))) => row.id,
        other => panic!("{other:?}"),
    };
    draft.remove(inner_row);
    assert!(draft.group(inner).is_none());
    assert!(draft.group(group).is_some());
    draft.remove(first_row);
    assert!(draft.group(group).is_none());
    assert_eq!(draft.root.members.len(), 1);
    assert!(draft.row(kept).is_some());
    draft.remove(kept);
    assert!(draft.is_empty());
}

#[test]
fn the_column_menu_searches_labels_and_keys_by_group() {
    let catalogue = catalogue();
    let keys = |group, search| -> Vec<String> {
        catalogue
            .matching(group, search)
            .into_iter()
            .map(|column| column.key)
            .collect()
    };
    assert_eq!(
        keys(ColumnGroup::Profile, "NAME"),
        ["first_name", "last_name", "name"]
    );
    assert_eq!(keys(ColumnGroup::Attribute, "pl"), ["attributes.plan"]);
    assert_eq!(keys(ColumnGroup::Attribute, "name"), Vec::<String>::new());
    // An attribute no user has any more still reads from a shared link.
    let gone = catalogue.get("attributes.vip_level");
    assert_eq!(
        gone.map(|column| column.column_type),
        Some(ColumnType::Text)
    );
}

#[test]
fn a_shape_the_builder_cannot_show_is_refused_with_a_reason() {
    let catalogue = catalogue();
    for filter in [
        json!([]),
        json!({"all": [1]}),
        json!({"column": "nope", "function": "is"}),
        json!({"column": "sessions", "function": "between", "value": [1]}),
    ] {
        assert!(
            FilterDraft::from_filter(&filter, &catalogue, &Utc).is_err(),
            "{filter}"
        );
    }
}

#[test]
fn numbers_are_written_as_the_number_rule_has_them() {
    assert_eq!(super::number("3"), Ok(json!(3)));
    assert_eq!(super::number("+7"), Ok(json!(7)));
    assert_eq!(super::number("-0.05"), Ok(json!(-0.05)));
    assert_eq!(super::number(".5"), Ok(json!(0.5)));
    for refused in ["1e3", "inf", "NaN", "1,000", "3.", "x"] {
        assert!(super::number(refused).is_err(), "{refused}");
    }
}

#[test]
fn time_spent_takes_a_duration_writes_seconds_and_shows_it_back_as_a_duration() {
    let catalogue = catalogue();
    for (typed, seconds) in [
        ("90", json!(90)),
        ("90s", json!(90)),
        ("10m", json!(600)),
        ("1h 30m", json!(5400)),
        ("1h30m15s", json!(5415)),
        ("2 hours 5 min", json!(7500)),
        ("1H", json!(3600)),
        ("0s", json!(0)),
        ("12.5", json!(12.5)),
    ] {
        let mut draft = FilterDraft::default();
        add(
            &mut draft,
            0,
            "time_spent_secs",
            FunctionKey::GreaterThan,
            typed,
        );
        assert_eq!(
            written(&draft),
            Some(
                json!({"column": "time_spent_secs", "function": "greater_than", "value": seconds})
            ),
            "{typed}"
        );
    }
    // Read back, the inputs and the chip show hours, minutes and seconds.
    let filter = json!({"column": "time_spent_secs", "function": "between", "value": [600, 5415]});
    let read = FilterDraft::from_filter(&filter, &catalogue, &Utc)
        .unwrap_or_else(|error| panic!("{error}"));
    let row = match read.root.members.as_slice() {
        [Node::Row(row)] => row.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(row.kind(&catalogue), Some(ValueKind::DurationRange));
    assert_eq!(
        (row.value.first.as_str(), row.value.second.as_str()),
        ("10m", "1h 30m 15s")
    );
    assert_eq!(written(&read), Some(filter));
    let words: Vec<String> = chips(&read, &catalogue)
        .into_iter()
        .map(|(_, words)| words)
        .collect();
    assert_eq!(words, ["Time Spent between 10m and 1h 30m 15s"]);
    // What the admin typed shows normalised: "90" seconds is "1m 30s".
    let mut draft = FilterDraft::default();
    add(
        &mut draft,
        0,
        "time_spent_secs",
        FunctionKey::LessThan,
        "90",
    );
    let words: Vec<String> = chips(&draft, &catalogue)
        .into_iter()
        .map(|(_, words)| words)
        .collect();
    assert_eq!(words, ["Time Spent < 1m 30s"]);
    // A hand-written address with the seconds as a string reads as typed and writes a number.
    let filter = json!({"column": "time_spent_secs", "function": "greater_than", "value": "600"});
    let read = FilterDraft::from_filter(&filter, &catalogue, &Utc)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        written(&read),
        Some(json!({"column": "time_spent_secs", "function": "greater_than", "value": 600}))
    );
    // Another number column keeps plain numbers.
    assert_eq!(
        value_kind("sessions", ColumnType::Number, FunctionKey::GreaterThan),
        ValueKind::Number
    );
}

#[test]
fn a_duration_out_of_order_repeated_or_unknown_is_refused_on_its_row() {
    for typed in [
        "",
        "10",
        "30m 1h",
        "1h 1h",
        "5 days",
        "m",
        "1h and 5m",
        "9999999999s",
        "-5m",
        "1e3",
    ] {
        let mut draft = FilterDraft::default();
        let row = add(
            &mut draft,
            0,
            "time_spent_secs",
            FunctionKey::GreaterThan,
            typed,
        );
        let result = draft.to_filter(&Utc);
        if typed == "10" {
            assert_eq!(
                result,
                Ok(Some(
                    json!({"column": "time_spent_secs", "function": "greater_than", "value": 10})
                ))
            );
            continue;
        }
        let errors = result
            .err()
            .unwrap_or_else(|| panic!("{typed:?} was taken"));
        assert_eq!(errors.len(), 1, "{typed:?}");
        assert_eq!(errors[0].row, Some(row), "{typed:?}");
        assert_eq!(
            errors[0].message, "Enter a duration, like 90s, 10m or 1h 30m.",
            "{typed:?}"
        );
    }
}

#[test]
fn an_or_at_the_root_is_one_chip_and_removing_it_removes_the_filter() {
    let catalogue = catalogue();
    let filter = json!({"any": [
        {"column": "sessions", "function": "greater_than", "value": 3},
        {"column": "average_sentiment", "function": "less_than", "value": -0.05}
    ]});
    let mut draft = FilterDraft::from_filter(&filter, &catalogue, &Utc)
        .unwrap_or_else(|error| panic!("{error}"));
    let shown = chips(&draft, &catalogue);
    let words: Vec<&str> = shown.iter().map(|(_, words)| words.as_str()).collect();
    assert_eq!(words, ["Sessions > 3 or Average Sentiment < -0.05"]);
    draft.remove(shown[0].0);
    assert_eq!(draft.to_filter(&Utc), Ok(None));

    // An AND root keeps a chip per member; a lone member of an OR root is a chip of its own.
    let filter = json!({"any": [{"column": "sessions", "function": "greater_than", "value": 3}]});
    let draft = FilterDraft::from_filter(&filter, &catalogue, &Utc)
        .unwrap_or_else(|error| panic!("{error}"));
    let words: Vec<String> = chips(&draft, &catalogue)
        .into_iter()
        .map(|(_, words)| words)
        .collect();
    assert_eq!(words, ["Sessions > 3"]);
}
