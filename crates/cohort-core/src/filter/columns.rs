//! The catalogue of filterable columns: key, label, type and the functions each type takes.
//! The parser checks conditions against it and `GET /columns` serves it, so the two agree.

use super::FunctionKey::{self, *};

/// The type of a column, which decides the functions it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Number,
    DateTime,
    Channel,
    Tags,
}

impl ColumnType {
    /// The name of the type in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::DateTime => "datetime",
            Self::Channel => "channel",
            Self::Tags => "tags",
        }
    }

    /// The functions a column of this type takes.
    pub fn functions(self) -> &'static [FunctionKey] {
        match self {
            Self::Text => &[
                Equals,
                NotEquals,
                Contains,
                NotContains,
                StartsWith,
                EndsWith,
                IsSet,
                IsNotSet,
            ],
            Self::Number => &[
                Equals,
                NotEquals,
                GreaterThan,
                GreaterOrEqual,
                LessThan,
                LessOrEqual,
                Between,
                IsSet,
                IsNotSet,
            ],
            Self::DateTime => &[
                Before,
                After,
                Between,
                WithinLast,
                MoreThanAgo,
                IsSet,
                IsNotSet,
            ],
            Self::Channel => &[Is, IsNot, IsAnyOf],
            Self::Tags => &[Has, HasNot, HasAnyOf, HasAllOf],
        }
    }
}

/// The functions an attribute takes: the text functions, plus number comparisons that
/// match where the value is a number.
pub fn attribute_functions() -> &'static [FunctionKey] {
    &[
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
    ]
}

/// A profile or stats column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileColumnSpec {
    /// Key in filters, sorts and the user resource.
    pub key: &'static str,
    /// Words on screen.
    pub label: &'static str,
    /// Its type.
    pub column_type: ColumnType,
}

const fn column(
    key: &'static str,
    label: &'static str,
    column_type: ColumnType,
) -> ProfileColumnSpec {
    ProfileColumnSpec {
        key,
        label,
        column_type,
    }
}

/// The profile filters, in the order the SPA offers them.
pub const PROFILE_COLUMNS: &[ProfileColumnSpec] = &[
    column("first_name", "First Name", ColumnType::Text),
    column("last_name", "Last Name", ColumnType::Text),
    column("name", "Full Name", ColumnType::Text),
    column("email", "Email", ColumnType::Text),
    column("external_id", "External ID", ColumnType::Text),
    column("channel", "Channel", ColumnType::Channel),
    column("sessions", "Sessions", ColumnType::Number),
    column("messages_sent", "Messages Sent", ColumnType::Number),
    column("clicks", "Clicks", ColumnType::Number),
    column("time_spent_secs", "Time Spent", ColumnType::Number),
    column("average_sentiment", "Average Sentiment", ColumnType::Number),
    column("last_message_at", "Last Message At", ColumnType::DateTime),
    column("created_at", "Created At", ColumnType::DateTime),
    column("tags", "Tags", ColumnType::Tags),
];
