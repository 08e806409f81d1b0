//! A checked filter: every column resolved, every value of the right type and already
//! folded or converted to the form it is compared in. Negative functions are a positive
//! test with `negated` set, so "the exact complement" holds by construction.

use crate::time::Micros;

/// A checked filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every child matches (an empty list matches everyone).
    All(Vec<Expr>),
    /// At least one child matches (an empty list matches no one).
    Any(Vec<Expr>),
    /// One condition.
    Condition(Condition),
}

impl Expr {
    /// The filter that matches every user.
    pub fn everyone() -> Self {
        Self::All(Vec::new())
    }

    /// Whether the filter matches every user whatever their data: `all` of filters that
    /// each match everyone (so `all` of nothing), or `any` with one such filter.
    pub fn matches_everyone(&self) -> bool {
        match self {
            Self::All(children) => children.iter().all(Self::matches_everyone),
            Self::Any(children) => children.iter().any(Self::matches_everyone),
            Self::Condition(_) => false,
        }
    }
}

/// One checked condition: a positive test, possibly negated.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// True for `not_equals`, `not_contains`, `is_not`, `has_not`, `is_not_set`: the
    /// condition matches exactly the users the test does not match.
    pub negated: bool,
    /// The positive test. A user without the value never passes it.
    pub test: Test,
}

/// A positive test on one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// A text column of the user.
    Text { field: TextField, test: TextTest },
    /// A number column of the user.
    Number {
        field: NumberField,
        test: NumberTest,
    },
    /// A time column of the user.
    Time { field: TimeField, test: TimeTest },
    /// The user's channel is one of these (folded) names.
    ChannelIn(Vec<String>),
    /// The user has at least one of these (folded) tags.
    HasAnyTag(Vec<String>),
    /// The user has every one of these (folded) tags.
    HasAllTags(Vec<String>),
    /// The user's attribute `key`, as text.
    AttributeText { key: String, test: TextTest },
    /// The user's attribute `key`, when its value is a number.
    AttributeNumber { key: String, test: NumberTest },
}

/// Text columns, compared folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    FirstName,
    LastName,
    /// First and last name joined by a space.
    Name,
    Email,
    /// The id the user has in its channel (never empty).
    ExternalId,
}

/// Number columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberField {
    Sessions,
    MessagesSent,
    Clicks,
    TimeSpentSecs,
    /// Null for users who sent no message.
    AverageSentiment,
}

/// Time columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    /// Null for users who sent no message.
    LastMessageAt,
    CreatedAt,
}

/// A positive test on folded text; the operand is folded and never empty.
#[derive(Debug, Clone, PartialEq)]
pub enum TextTest {
    Equals(String),
    Contains(String),
    StartsWith(String),
    EndsWith(String),
    /// Present and not empty.
    IsSet,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    /// Applies the operator to two numbers.
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Self::Eq => left == right,
            Self::Gt => left > right,
            Self::Ge => left >= right,
            Self::Lt => left < right,
            Self::Le => left <= right,
        }
    }

    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Lt => "<",
            Self::Le => "<=",
        }
    }
}

/// A positive test on a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberTest {
    Compare(CmpOp, f64),
    /// Inclusive at both ends; `low <= high`.
    Between(f64, f64),
    IsSet,
}

/// A positive test on a time, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimeTest {
    Before(Micros),
    After(Micros),
    /// Inclusive at both ends; `start <= end`.
    Between(Micros, Micros),
    /// At or after `now - span`.
    WithinLast(Micros),
    /// Strictly before `now - span`.
    MoreThanAgo(Micros),
    IsSet,
}
