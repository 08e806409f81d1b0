//! What the users table asks the API for: the filter, the sort and the page size, turned
//! into a `SearchUsers` body. A plain struct, so the rules are unit-tested natively.

use cohort_core::api::{Condition, Filter, FunctionKey, SearchUsers};
use cohort_core::sort::{Sort, SortKey};

/// Users per page.
pub const PAGE_SIZE: u64 = 50;

/// The order the table starts in: most recent message first.
pub const DEFAULT_SORT: &str = "-last_message_at";

/// The query behind the users table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsersQuery {
    /// Text the first name must contain; blank means no filter.
    pub first_name_contains: String,
    /// Column key to sort by, `-` in front for descending.
    pub sort: String,
}

impl Default for UsersQuery {
    fn default() -> Self {
        Self {
            first_name_contains: String::new(),
            sort: DEFAULT_SORT.to_owned(),
        }
    }
}

impl UsersQuery {
    /// The query with a new first-name search text.
    pub fn with_first_name(&self, text: &str) -> Self {
        Self {
            first_name_contains: text.trim().to_owned(),
            ..self.clone()
        }
    }

    /// The sort in force (the default one if the text does not parse).
    pub fn current_sort(&self) -> Sort {
        Sort::parse(&self.sort).unwrap_or_default()
    }

    /// The query sorted by `key`: by the column already sorted, the other way round; by a
    /// new column, names A to Z and numbers and times largest or latest first.
    pub fn with_sort_by(&self, key: SortKey) -> Self {
        let current = self.current_sort();
        let descending = if current.key == key {
            !current.descending
        } else {
            !matches!(
                key,
                SortKey::Name
                    | SortKey::FirstName
                    | SortKey::LastName
                    | SortKey::Email
                    | SortKey::Channel
            )
        };
        Self {
            sort: Sort { key, descending }.as_string(),
            ..self.clone()
        }
    }

    /// Whether any filter narrows the users down.
    pub fn is_filtered(&self) -> bool {
        self.filter().is_some()
    }

    /// The filter: First Name · Contains · text, or none for blank text.
    pub fn filter(&self) -> Option<Filter> {
        let text = self.first_name_contains.trim();
        (!text.is_empty()).then(|| {
            Filter::Condition(Condition {
                column: "first_name".to_owned(),
                function: FunctionKey::Contains,
                value: Some(serde_json::Value::String(text.to_owned())),
            })
        })
    }

    /// The request body for the page after `cursor` (the first page for `None`).
    pub fn body(&self, cursor: Option<String>) -> SearchUsers {
        SearchUsers {
            filter: self
                .filter()
                .and_then(|filter| serde_json::to_value(filter).ok()),
            sort: Some(self.sort.clone()),
            limit: Some(PAGE_SIZE),
            cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(query: &UsersQuery, cursor: Option<&str>, expected: serde_json::Value) {
        let body = query.body(cursor.map(str::to_owned));
        let actual = serde_json::to_value(body).unwrap_or_default();
        assert_eq!(actual, expected);
    }

    #[test]
    fn the_first_page_without_a_filter_asks_for_recent_users() {
        check(
            &UsersQuery::default(),
            None,
            json!({"filter": null, "sort": "-last_message_at", "limit": 50, "cursor": null}),
        );
    }

    #[test]
    fn first_name_text_becomes_a_contains_condition() {
        let query = UsersQuery::default().with_first_name("  Yin Yin ");
        assert!(query.is_filtered());
        check(
            &query,
            Some("abc"),
            json!({
                "filter": {"column": "first_name", "function": "contains", "value": "Yin Yin"},
                "sort": "-last_message_at",
                "limit": 50,
                "cursor": "abc",
            }),
        );
    }

    #[test]
    fn sorting_a_new_column_picks_its_natural_order_and_again_reverses_it() {
        let by_sessions = UsersQuery::default().with_sort_by(SortKey::Sessions);
        assert_eq!(by_sessions.sort, "-sessions");
        assert_eq!(by_sessions.with_sort_by(SortKey::Sessions).sort, "sessions");
        let by_name = by_sessions
            .with_first_name("Yin")
            .with_sort_by(SortKey::Name);
        assert_eq!(by_name.sort, "name");
        assert_eq!(by_name.first_name_contains, "Yin");
        assert_eq!(by_name.with_sort_by(SortKey::Name).sort, "-name");
        // The default sort is latest message first; its header turns it around.
        assert_eq!(
            UsersQuery::default()
                .with_sort_by(SortKey::LastMessageAt)
                .sort,
            "last_message_at"
        );
        check(
            &by_sessions,
            None,
            json!({"filter": null, "sort": "-sessions", "limit": 50, "cursor": null}),
        );
    }

    #[test]
    fn blank_text_means_no_filter() {
        let query = UsersQuery::default().with_first_name("   ");
        assert!(!query.is_filtered());
        assert_eq!(query.filter(), None);
        assert_eq!(query, UsersQuery::default());
    }
}
