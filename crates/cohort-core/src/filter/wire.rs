//! The filter as it travels in JSON. Requests are parsed from `serde_json::Value` by
//! `parse`, which names the exact place of every mistake; these types describe the shape
//! (for OpenAPI and for clients that build filters, like the SPA).

use serde::{Deserialize, Serialize};

/// A filter: a condition, or a group of filters that must all (`all`) or any (`any`) match.
/// Groups nest freely (at most 8 deep, 100 groups and 100 conditions in all); an empty `all` matches
/// everyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Filter {
    /// Matches users that every filter in the list matches.
    All(FilterAll),
    /// Matches users that at least one filter in the list matches.
    Any(FilterAny),
    /// One condition.
    Condition(Condition),
}

/// A group that matches users every filter in `all` matches; `{"all": []}` matches
/// everyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FilterAll {
    /// The filters that must all match (at most 100).
    #[cfg_attr(feature = "openapi", schema(no_recursion, max_items = 100))]
    pub all: Vec<Filter>,
}

/// A group that matches users at least one filter in `any` matches; `{"any": []}` matches
/// no one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FilterAny {
    /// The filters of which one must match (at most 100).
    #[cfg_attr(feature = "openapi", schema(no_recursion, max_items = 100))]
    pub any: Vec<Filter>,
}

/// One condition: Column + Function + Value. Read loosely (the value is any JSON) and
/// checked by `filter::parse`; its OpenAPI schema lists the exact forms
/// (`crate::openapi::CONDITION_FORMS`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// A column key (`first_name`, `sessions`, `tags`, …; `GET /bots/{bot}/columns` lists
    /// them) or `attributes.<key>`.
    pub column: String,
    /// What to test; it must fit the column's type.
    pub function: FunctionKey,
    /// The value to test against: text, a number, an RFC 3339 time, `[low, high]` for
    /// `between`, a list for `is_any_of`/`has_any_of`/`has_all_of`, `{amount, unit}` for
    /// `within_last`/`more_than_ago`; absent for `is_set`/`is_not_set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

/// A filter function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FunctionKey {
    Equals,
    NotEquals,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    IsSet,
    IsNotSet,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
    Between,
    Before,
    After,
    WithinLast,
    MoreThanAgo,
    Is,
    IsNot,
    IsAnyOf,
    Has,
    HasNot,
    HasAnyOf,
    HasAllOf,
}

impl FunctionKey {
    /// Every function, in the order the API documents them.
    pub const ALL: [FunctionKey; 24] = [
        Self::Equals,
        Self::NotEquals,
        Self::Contains,
        Self::NotContains,
        Self::StartsWith,
        Self::EndsWith,
        Self::IsSet,
        Self::IsNotSet,
        Self::GreaterThan,
        Self::GreaterOrEqual,
        Self::LessThan,
        Self::LessOrEqual,
        Self::Between,
        Self::Before,
        Self::After,
        Self::WithinLast,
        Self::MoreThanAgo,
        Self::Is,
        Self::IsNot,
        Self::IsAnyOf,
        Self::Has,
        Self::HasNot,
        Self::HasAnyOf,
        Self::HasAllOf,
    ];

    /// The key as written in JSON (`not_equals`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equals => "equals",
            Self::NotEquals => "not_equals",
            Self::Contains => "contains",
            Self::NotContains => "not_contains",
            Self::StartsWith => "starts_with",
            Self::EndsWith => "ends_with",
            Self::IsSet => "is_set",
            Self::IsNotSet => "is_not_set",
            Self::GreaterThan => "greater_than",
            Self::GreaterOrEqual => "greater_or_equal",
            Self::LessThan => "less_than",
            Self::LessOrEqual => "less_or_equal",
            Self::Between => "between",
            Self::Before => "before",
            Self::After => "after",
            Self::WithinLast => "within_last",
            Self::MoreThanAgo => "more_than_ago",
            Self::Is => "is",
            Self::IsNot => "is_not",
            Self::IsAnyOf => "is_any_of",
            Self::Has => "has",
            Self::HasNot => "has_not",
            Self::HasAnyOf => "has_any_of",
            Self::HasAllOf => "has_all_of",
        }
    }

    /// The function for a JSON key, if there is one.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|function| function.as_str() == key)
    }

    /// The words on screen for this function.
    pub fn label(self) -> &'static str {
        match self {
            Self::Equals => "equals",
            Self::NotEquals => "not equals",
            Self::Contains => "contains",
            Self::NotContains => "not contains",
            Self::StartsWith => "starts with",
            Self::EndsWith => "ends with",
            Self::IsSet => "is set",
            Self::IsNotSet => "is not set",
            Self::GreaterThan => ">",
            Self::GreaterOrEqual => "≥",
            Self::LessThan => "<",
            Self::LessOrEqual => "≤",
            Self::Between => "between",
            Self::Before => "before",
            Self::After => "after",
            Self::WithinLast => "within the last",
            Self::MoreThanAgo => "more than … ago",
            Self::Is => "is",
            Self::IsNot => "is not",
            Self::IsAnyOf => "is any of",
            Self::Has => "has",
            Self::HasNot => "has not",
            Self::HasAnyOf => "has any of",
            Self::HasAllOf => "has all of",
        }
    }
}

/// A span of time back from now, for `within_last` and `more_than_ago`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RelativeTime {
    /// How many units, 1 or more (up to about 200 years).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, example = 7))]
    pub amount: u32,
    /// The unit.
    pub unit: TimeUnit,
}

/// A unit of relative time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Minutes,
    Hours,
    Days,
}

impl TimeUnit {
    /// Microseconds in one unit.
    pub fn micros(self) -> i64 {
        match self {
            Self::Minutes => 60_000_000,
            Self::Hours => 3_600_000_000,
            Self::Days => 86_400_000_000,
        }
    }
}
