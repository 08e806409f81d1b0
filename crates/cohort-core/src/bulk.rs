//! Checking bulk requests: the selection (ids, or a filter with exceptions) and the action
//! (tags, attributes, delete) are validated completely before anything is touched.

use std::collections::BTreeMap;

use crate::api::{BulkAction, FieldError, Selection};
use crate::filter::{self, Expr};
use crate::limits::{MAX_BULK_ATTRIBUTES, MAX_BULK_TAGS, MAX_SELECTION_IDS};
use crate::text;
use crate::users::{AttributeValue, attribute_value_problem, check_tags};

/// A checked selection.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckedSelection {
    /// These user ids (ids that are not numbers cannot be users and are dropped).
    Ids(Vec<i64>),
    /// Users the filter matches, except these ids.
    Filter { filter: Expr, except: Vec<i64> },
}

/// A checked action with the values in the form the store writes.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckedAction {
    AddTags(Vec<String>),
    RemoveTags(Vec<String>),
    SetAttributes(BTreeMap<String, AttributeValue>),
    RemoveAttributes(Vec<String>),
    Delete { confirm: u64 },
}

/// Checks a selection; `pointer` is where it sits in the request (`/selection`).
pub fn check_selection(
    selection: &Selection,
    pointer: &str,
) -> Result<CheckedSelection, Vec<FieldError>> {
    let mut errors = Vec::new();
    let ids = |list: &[String], at: String, errors: &mut Vec<FieldError>| -> Vec<i64> {
        if list.len() > MAX_SELECTION_IDS {
            errors.push(FieldError::new(
                at,
                format!("at most {MAX_SELECTION_IDS} ids; select by filter for more"),
            ));
            return Vec::new();
        }
        let mut parsed: Vec<i64> = list
            .iter()
            .filter_map(|id| text::canonical_id(id))
            .collect();
        parsed.sort_unstable();
        parsed.dedup();
        parsed
    };
    let checked = match (&selection.ids, &selection.filter) {
        (Some(list), None) => {
            if selection.except_ids.is_some() {
                errors.push(FieldError::new(
                    format!("{pointer}/except_ids"),
                    "`except_ids` goes with `filter`, not with `ids`",
                ));
            }
            if list.is_empty() {
                errors.push(FieldError::new(
                    format!("{pointer}/ids"),
                    "select at least one user",
                ));
            }
            CheckedSelection::Ids(ids(list, format!("{pointer}/ids"), &mut errors))
        }
        (None, Some(value)) => {
            let filter =
                filter::parse(value, &format!("{pointer}/filter")).unwrap_or_else(|more| {
                    errors.extend(more);
                    Expr::everyone()
                });
            let except = ids(
                selection.except_ids.as_deref().unwrap_or_default(),
                format!("{pointer}/except_ids"),
                &mut errors,
            );
            CheckedSelection::Filter { filter, except }
        }
        (Some(_), Some(_)) => {
            errors.push(FieldError::new(pointer, "give `ids` or `filter`, not both"));
            CheckedSelection::Ids(Vec::new())
        }
        (None, None) => {
            errors.push(FieldError::new(
                pointer,
                "give `ids` or `filter` (use {\"filter\": {\"all\": []}} for every user)",
            ));
            CheckedSelection::Ids(Vec::new())
        }
    };
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

/// Checks an action; `pointer` is where it sits in the request (`/action`).
pub fn check_action(action: &BulkAction, pointer: &str) -> Result<CheckedAction, Vec<FieldError>> {
    let mut errors = Vec::new();
    let checked = match action {
        BulkAction::AddTags { tags } | BulkAction::RemoveTags { tags } => {
            let at = format!("{pointer}/tags");
            if tags.is_empty() || tags.len() > MAX_BULK_TAGS {
                errors.push(FieldError::new(
                    &at,
                    format!("give 1 to {MAX_BULK_TAGS} tags"),
                ));
            }
            let tags = check_tags(tags, &at, &mut errors);
            if matches!(action, BulkAction::AddTags { .. }) {
                CheckedAction::AddTags(tags)
            } else {
                CheckedAction::RemoveTags(tags)
            }
        }
        BulkAction::SetAttributes { attributes } => {
            let at = format!("{pointer}/attributes");
            if attributes.is_empty() || attributes.len() > MAX_BULK_ATTRIBUTES {
                errors.push(FieldError::new(
                    &at,
                    format!("give 1 to {MAX_BULK_ATTRIBUTES} attributes"),
                ));
            }
            let mut checked = BTreeMap::new();
            for (key, value) in attributes {
                let key_at = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match text::attribute_key(key) {
                    Err(problem) => errors.push(FieldError::new(
                        &key_at,
                        format!("an attribute key {problem}"),
                    )),
                    Ok(trimmed) => match attribute_value_problem(value) {
                        Some(problem) => errors.push(FieldError::new(&key_at, problem)),
                        None => {
                            let value = AttributeValue::new(value);
                            // `" k "` and `"k"` are one key once trimmed.
                            if checked.insert(trimmed.to_owned(), value).is_some() {
                                errors.push(FieldError::new(
                                    &key_at,
                                    format!("the attribute key `{trimmed}` is given twice (keys are trimmed)"),
                                ));
                            }
                        }
                    },
                }
            }
            CheckedAction::SetAttributes(checked)
        }
        BulkAction::RemoveAttributes { keys } => {
            let at = format!("{pointer}/keys");
            if keys.is_empty() || keys.len() > MAX_BULK_ATTRIBUTES {
                errors.push(FieldError::new(
                    &at,
                    format!("give 1 to {MAX_BULK_ATTRIBUTES} keys"),
                ));
            }
            let mut checked = Vec::new();
            for (index, key) in keys.iter().enumerate() {
                match text::attribute_key(key) {
                    Ok(trimmed) => checked.push(trimmed.to_owned()),
                    Err(problem) => errors.push(FieldError::new(
                        format!("{at}/{index}"),
                        format!("an attribute key {problem}"),
                    )),
                }
            }
            checked.sort();
            checked.dedup();
            CheckedAction::RemoveAttributes(checked)
        }
        BulkAction::Delete { confirm } => CheckedAction::Delete { confirm: *confirm },
    };
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn selection(value: serde_json::Value) -> Selection {
        serde_json::from_value(value).unwrap_or_default()
    }

    fn pointers(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.pointer).collect()
    }

    #[test]
    fn selections_take_ids_or_a_filter() {
        assert_eq!(
            check_selection(
                &selection(json!({"ids": ["3", "x", "1", "3", "05", "+5", " 5 ", "-1", "0"]})),
                "/selection"
            ),
            Ok(CheckedSelection::Ids(vec![1, 3]))
        );
        let checked = check_selection(
            &selection(json!({"filter": {"all": []}, "except_ids": ["7"]})),
            "/selection",
        );
        assert_eq!(
            checked,
            Ok(CheckedSelection::Filter {
                filter: Expr::everyone(),
                except: vec![7]
            })
        );
        let check_rejected = |value, expected: &[&str]| {
            assert_eq!(
                pointers(
                    check_selection(&selection(value), "/selection")
                        .err()
                        .unwrap_or_default()
                ),
                expected
            )
        };
        check_rejected(json!({}), &["/selection"]);
        check_rejected(json!({"ids": []}), &["/selection/ids"]);
        check_rejected(
            json!({"ids": ["1"], "filter": {"all": []}}),
            &["/selection"],
        );
        check_rejected(
            json!({"ids": ["1"], "except_ids": ["2"]}),
            &["/selection/except_ids"],
        );
        check_rejected(json!({"ids": vec!["1"; 10_001]}), &["/selection/ids"]);
        check_rejected(
            json!({"filter": {"column": "sessions", "function": "contains", "value": "x"}}),
            &["/selection/filter/function"],
        );
    }

    #[test]
    fn actions_check_tags_keys_and_values() {
        let action = |value: serde_json::Value| -> BulkAction {
            serde_json::from_value(value).unwrap_or(BulkAction::Delete { confirm: 0 })
        };
        assert_eq!(
            check_action(
                &action(json!({"type": "add_tags", "tags": [" VIP ", "vip", "new"]})),
                "/action"
            ),
            Ok(CheckedAction::AddTags(vec![
                "VIP".to_owned(),
                "new".to_owned()
            ]))
        );
        let check_rejected = |value, expected: &[&str]| {
            assert_eq!(
                pointers(
                    check_action(&action(value), "/action")
                        .err()
                        .unwrap_or_default()
                ),
                expected
            )
        };
        check_rejected(json!({"type": "add_tags", "tags": []}), &["/action/tags"]);
        check_rejected(
            json!({"type": "remove_tags", "tags": ["ok", "x\u{7}"]}),
            &["/action/tags/1"],
        );
        check_rejected(
            json!({"type": "set_attributes", "attributes": {"k": "v".repeat(10_001)}}),
            &["/action/attributes/k"],
        );
        check_rejected(
            json!({"type": "set_attributes", "attributes": {"k": "nul\u{0}"}}),
            &["/action/attributes/k"],
        );
        assert!(
            check_action(
                &action(json!({"type": "set_attributes", "attributes": {"k": "v".repeat(10_000), "address": "1 Main St\r\nApt 2\tB"}})),
                "/action"
            )
            .is_ok()
        );
        check_rejected(
            json!({"type": "set_attributes", "attributes": {}}),
            &["/action/attributes"],
        );
        check_rejected(
            json!({"type": "remove_attributes", "keys": [""]}),
            &["/action/keys/0"],
        );
        // One key once trimmed: refused rather than one value silently winning.
        check_rejected(
            json!({"type": "set_attributes", "attributes": {" k ": "v", "k": "w"}}),
            &["/action/attributes/k"],
        );
        // Nothing visible: stored, no filter could name the tag.
        check_rejected(
            json!({"type": "add_tags", "tags": ["ok", "\u{200b}", "\u{ad}"]}),
            &["/action/tags/1", "/action/tags/2"],
        );
    }
}
