//! Request and response bodies of the REST API, shared by the server and the WASM app.
//!
//! Every type derives serde; with the `openapi` feature (the API crate's) they also derive
//! `utoipa::ToSchema`, and their `///` docs become the OpenAPI text.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::sentiment::Label;

pub use crate::filter::{
    Condition, Filter, FilterAll, FilterAny, FunctionKey, RelativeTime, TimeUnit,
};

/// One problem with one part of a request, as listed in a validation problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON Pointer (RFC 6901) to the offending part of the request, e.g. `/filter/all/0/value`;
    /// query parameters are pointed at as `/query/<name>`.
    #[cfg_attr(feature = "openapi", schema(example = "/filter/all/0/value"))]
    pub pointer: String,
    /// What is wrong there, in words a person can act on.
    #[cfg_attr(feature = "openapi", schema(example = "`contains` needs a text value"))]
    pub message: String,
}

impl FieldError {
    /// A problem at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// An RFC 9457 problem: the body of every error response (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://cohort.dev/problems/validation")
    )]
    pub problem_type: String,
    /// A short, fixed summary of the kind of problem.
    #[cfg_attr(feature = "openapi", schema(example = "Invalid request"))]
    pub title: String,
    /// The HTTP status code.
    #[cfg_attr(feature = "openapi", schema(example = 400))]
    pub status: u16,
    /// What went wrong with this request.
    #[cfg_attr(feature = "openapi", schema(example = "The filter is not valid."))]
    pub detail: String,
    /// For validation problems: each offending field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a refused delete: how many users the selection holds now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// The request's id, also sent as the `X-Request-Id` header and written in every log
    /// line of the request: quote it when reporting a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "4f9c2d0e8b7a4c1d9e3f5a6b7c8d9e0f")
    )]
    pub request_id: Option<String>,
}

/// A bot: the owner of an audience of users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bot {
    /// Opaque id.
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub id: String,
    /// The bot's name, 1 to 100 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, example = "Pizza Palace")
    )]
    pub name: String,
    /// Gap between two events, in seconds, after which a new session starts (1 to 604800).
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 604800, example = 600)
    )]
    pub session_timeout_secs: i64,
    /// When the bot was created.
    pub created_at: DateTime<Utc>,
    /// When the bot was last changed.
    pub updated_at: DateTime<Utc>,
}

/// Body of `POST /bots`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateBot {
    /// The bot's name, 1 to 100 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, example = "Pizza Palace")
    )]
    pub name: String,
    /// Session timeout in seconds (1 to 604800); 600 when not given.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 604800, example = 600)
    )]
    pub session_timeout_secs: Option<i64>,
}

/// Body of `PATCH /bots/{bot}`: the fields to change.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateBot {
    /// A new name, 1 to 100 characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, example = "Pizza Palace")
    )]
    pub name: Option<String>,
    /// A new session timeout in seconds (1 to 604800).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 604800, example = 900)
    )]
    pub session_timeout_secs: Option<i64>,
}

/// A list of bots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BotList {
    /// The bots, oldest first.
    pub data: Vec<Bot>,
    /// Always null: every bot is on one page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
    /// How many bots there are.
    pub total: u64,
}

/// A person who chats with a bot, with their stats, tags and attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Opaque id.
    #[cfg_attr(feature = "openapi", schema(example = "42"))]
    pub id: String,
    /// The bot the user chats with.
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub bot_id: String,
    /// The channel the user chats on, folded (lower case; PRODUCT.md's text rule) (`web`, `messenger`, `telegram`, …).
    #[cfg_attr(feature = "openapi", schema(example = "telegram"))]
    pub channel: String,
    /// The user's id on that channel; unique per bot and channel.
    #[cfg_attr(feature = "openapi", schema(example = "184467"))]
    pub external_id: String,
    /// First name; empty when unknown.
    #[cfg_attr(feature = "openapi", schema(example = "Yin Yin"))]
    pub first_name: String,
    /// Last name; empty when unknown.
    #[cfg_attr(feature = "openapi", schema(example = "Tan"))]
    pub last_name: String,
    /// Email address.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, example = "yinyin@example.com")
    )]
    pub email: Option<String>,
    /// Phone number.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, example = "+65 8123 4567")
    )]
    pub phone: Option<String>,
    /// Locale, e.g. `en-SG`.
    #[cfg_attr(feature = "openapi", schema(required = true, example = "en-SG"))]
    pub locale: Option<String>,
    /// IANA time zone, e.g. `Asia/Singapore`.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, example = "Asia/Singapore")
    )]
    pub timezone: Option<String>,
    /// Profile picture URL.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub avatar_url: Option<String>,
    /// Free-text notes by the bot's admins.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub notes: Option<String>,
    /// When the user first appeared.
    pub created_at: DateTime<Utc>,
    /// When the user's profile, tags or attributes last changed.
    pub updated_at: DateTime<Utc>,
    /// Number of sessions.
    #[cfg_attr(feature = "openapi", schema(example = 3))]
    pub sessions: i64,
    /// Number of messages the user sent.
    #[cfg_attr(feature = "openapi", schema(example = 17))]
    pub messages_sent: i64,
    /// Number of URL-button clicks.
    #[cfg_attr(feature = "openapi", schema(example = 2))]
    pub clicks: i64,
    /// Total time spent in sessions, in seconds.
    #[cfg_attr(feature = "openapi", schema(example = 3900))]
    pub time_spent_secs: i64,
    /// Mean sentiment of the user's messages in [-1, 1]; null when they sent none.
    #[cfg_attr(feature = "openapi", schema(required = true, minimum = -1, maximum = 1, example = 0.42))]
    pub average_sentiment: Option<f64>,
    /// The label of `average_sentiment`, by the thresholds that label each message
    /// (positive ≥ 0.05, negative ≤ −0.05); null when the user sent no message.
    #[cfg_attr(feature = "openapi", schema(required = true, example = "positive"))]
    pub average_sentiment_label: Option<Label>,
    /// Time of the latest message; null when none.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_message_at: Option<DateTime<Utc>>,
    /// Tags, each spelled as first used in the bot.
    #[cfg_attr(feature = "openapi", schema(example = json!(["vip", "pizza lover"])))]
    pub tags: Vec<String>,
    /// Custom attributes.
    #[cfg_attr(feature = "openapi", schema(example = json!({"fav_food": "pizza"})))]
    pub attributes: BTreeMap<String, String>,
}

/// A page of users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPage {
    /// The users on this page.
    pub data: Vec<User>,
    /// Pass as `cursor` for the next page; null on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
    /// How many users the filter matches in all.
    #[cfg_attr(feature = "openapi", schema(example = 1234))]
    pub total: u64,
}

/// Declares a request body that changes a user: the given leading fields, then the
/// particulars, tags and attributes every such body shares, and `into_changes`.
/// (serde's `flatten` cannot be combined with `deny_unknown_fields`, hence a macro.)
macro_rules! user_changes_body {
    ($(#[$attr:meta])* pub struct $name:ident { $($(#[$field_attr:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $ty,)*
            /// First name (null clears).
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 255, example = "Yin Yin"))]
            pub first_name: Option<Option<String>>,
            /// Last name (null clears).
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 255, example = "Tan"))]
            pub last_name: Option<Option<String>>,
            /// Email address (null, or nothing but white space, clears): one `@` with
            /// something on each side and no white space between.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(
                value_type = Option<String>,
                max_length = 255,
                pattern = r"^[ \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^@\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+@[^@\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+)?[ \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$",
                example = "yinyin@example.com"
            ))]
            pub email: Option<Option<String>>,
            /// Phone number (null clears).
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 255, example = "+65 8123 4567"))]
            pub phone: Option<Option<String>>,
            /// Locale (null clears).
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 255, example = "en-SG"))]
            pub locale: Option<Option<String>>,
            /// IANA time zone (null clears).
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 255, example = "Asia/Singapore"))]
            pub timezone: Option<Option<String>>,
            /// Profile picture URL (null clears).
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 4000))]
            pub avatar_url: Option<Option<String>>,
            /// Notes (null clears).
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 4000))]
            pub notes: Option<Option<String>>,
            /// Replaces the user's tags when given: up to 200 tags.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<crate::openapi::Tag>>, max_items = 200, example = json!(["vip"])))]
            pub tags: Option<Vec<String>>,
            /// Attributes to set; a null value removes that attribute. Others stay.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::user_attributes))]
            pub attributes: Option<BTreeMap<String, Option<String>>>,
        }

        impl $name {
            /// The particulars, tags and attributes this body changes.
            pub fn changes(&self) -> UserChanges {
                UserChanges {
                    first_name: self.first_name.clone(),
                    last_name: self.last_name.clone(),
                    email: self.email.clone(),
                    phone: self.phone.clone(),
                    locale: self.locale.clone(),
                    timezone: self.timezone.clone(),
                    avatar_url: self.avatar_url.clone(),
                    notes: self.notes.clone(),
                    tags: self.tags.clone(),
                    attributes: self.attributes.clone(),
                }
            }
        }
    };
}

user_changes_body! {
    /// Body of `POST /bots/{bot}/users`: creates the user with this `(channel, external_id)`
    /// or updates it. Fields left out stay as they are.
    pub struct UpsertUser {
        /// The channel (`web`, `messenger`, `telegram`, `whatsapp`, `line`, `slack`,
        /// `instagram`, `sms`, or another name), 1 to 64 characters; stored folded (lower case).
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64, example = "telegram"))]
        pub channel: String,
        /// The user's id on that channel, 1 to 255 characters.
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 255, example = "184467"))]
        pub external_id: String,
    }
}

user_changes_body! {
    /// Body of `PATCH /bots/{bot}/users/{user}`. Fields left out stay as they are.
    pub struct UpdateUser {}
}

/// What a request changes on one user: for each particular, `None` leaves it, `Some(None)`
/// clears it; `tags` replaces the tag set; `attributes` sets (or, with `None`, removes) keys.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserChanges {
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub locale: Option<Option<String>>,
    pub timezone: Option<Option<String>>,
    pub avatar_url: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub attributes: Option<BTreeMap<String, Option<String>>>,
}

/// Tells a field given as `null` (`Some(None)`) from one left out (`None`, via `default`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Body of `POST /bots/{bot}/users/search`: the list query in a body, for long filters.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SearchUsers {
    /// Which users; all of them when left out.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Filter>))]
    pub filter: Option<serde_json::Value>,
    /// Column key to sort by, `-` in front for descending; `-last_message_at` by default.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::SortSpec>))]
    pub sort: Option<String>,
    /// Page size, 1 to 500; 50 by default.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::PageSize>))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub cursor: Option<String>,
}

/// A filterable column of the users table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileColumn {
    /// The column key used in filters and sorts.
    #[cfg_attr(feature = "openapi", schema(example = "first_name"))]
    pub key: String,
    /// The column's name on screen.
    #[cfg_attr(feature = "openapi", schema(example = "First Name"))]
    pub label: String,
    /// The column's type: `text`, `number`, `datetime`, `channel` or `tags`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::ColumnType))]
    pub column_type: String,
    /// The filter functions the column takes.
    pub functions: Vec<FunctionKey>,
}

/// An attribute key used by at least one of the bot's users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeColumn {
    /// The column key used in filters: `attributes.<name>`.
    #[cfg_attr(feature = "openapi", schema(example = "attributes.fav_food"))]
    pub key: String,
    /// `number` when every value of this attribute is a number, else `text`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::AttributeType))]
    pub column_type: String,
    /// The filter functions the attribute takes.
    pub functions: Vec<FunctionKey>,
}

/// The columns users can be filtered by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Columns {
    /// Profile and stats columns.
    pub profile: Vec<ProfileColumn>,
    /// Attribute keys in use in the bot.
    pub attributes: Vec<AttributeColumn>,
}

/// A tag in use, with how many users carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagCount {
    /// The tag, spelled as first used.
    #[cfg_attr(feature = "openapi", schema(example = "vip"))]
    pub name: String,
    /// How many of the bot's users carry it.
    #[cfg_attr(feature = "openapi", schema(example = 120))]
    pub users: u64,
}

/// The tags in use in a bot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagList {
    /// The tags, most used first.
    pub data: Vec<TagCount>,
    /// Always null: every tag is on one page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
    /// How many tags are in use.
    pub total: u64,
}

/// Answer of `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok`.
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub status: String,
}

/// Body of `POST /auth/login`: an admin's email and password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The admin's email; case and surrounding spaces do not matter.
    #[cfg_attr(feature = "openapi", schema(example = "demo@example.com"))]
    pub email: String,
    /// The admin's password.
    #[cfg_attr(feature = "openapi", schema(example = "correct horse battery staple"))]
    pub password: String,
}

/// The signed-in admin: answer of `POST /auth/login` and `GET /auth/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The admin's email, folded (lower case).
    #[cfg_attr(feature = "openapi", schema(example = "demo@example.com"))]
    pub email: String,
    /// The workspace the admin works in.
    pub workspace: WorkspaceSummary,
}

/// A workspace's id and name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceSummary {
    /// Opaque id.
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub id: String,
    /// The workspace's name.
    #[cfg_attr(feature = "openapi", schema(example = "Demo"))]
    pub name: String,
}

/// Which users a bulk action, a count or an export applies to: a list of ids, or every
/// user a filter matches ("all matching") minus some ids. Give `ids` or `filter`.
/// (Its OpenAPI schema, the exact union, is `openapi::SelectionShape`.)
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// Up to 10,000 user ids; ids that are not the bot's users are left alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<String>>,
    /// Every user this filter matches at the moment the action runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<serde_json::Value>,
    /// With `filter`: up to 10,000 ids to leave out (users unticked after "select all").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub except_ids: Option<Vec<String>>,
}

/// What a bulk action does to every selected user: an object with its `type` (read by
/// hand, see `Deserialize` below). Its OpenAPI schema, with a named component per action,
/// is `openapi::BulkActionShape`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum BulkAction {
    /// Adds tags (new or existing) to every selected user.
    AddTags {
        /// 1 to 100 tags.
        tags: Vec<String>,
    },
    /// Removes tags from every selected user.
    RemoveTags {
        /// 1 to 100 tags.
        tags: Vec<String>,
    },
    /// Sets attributes on every selected user.
    SetAttributes {
        /// 1 to 50 keys with their values.
        attributes: BTreeMap<String, String>,
    },
    /// Removes attributes from every selected user.
    RemoveAttributes {
        /// 1 to 50 keys.
        keys: Vec<String>,
    },
    /// Deletes every selected user with their tags, attributes and events.
    Delete {
        /// How many users the caller expects to delete: must equal the number the
        /// selection holds now, else nothing is deleted (409).
        confirm: u64,
    },
}

impl BulkAction {
    /// The action's `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::AddTags { .. } => "add_tags",
            Self::RemoveTags { .. } => "remove_tags",
            Self::SetAttributes { .. } => "set_attributes",
            Self::RemoveAttributes { .. } => "remove_attributes",
            Self::Delete { .. } => "delete",
        }
    }
}

impl<'de> Deserialize<'de> for BulkAction {
    /// Reads an action from an object only. serde's internally tagged enums also take an
    /// array whose first item is the tag (`["delete", 5]`), so the object is read first
    /// and then given to the derived reader of `BulkActionObject`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let action = BulkActionObject::deserialize(serde_json::Value::Object(object))
            .map_err(serde::de::Error::custom)?;
        Ok(match action {
            BulkActionObject::AddTags { tags } => Self::AddTags { tags },
            BulkActionObject::RemoveTags { tags } => Self::RemoveTags { tags },
            BulkActionObject::SetAttributes { attributes } => Self::SetAttributes { attributes },
            BulkActionObject::RemoveAttributes { keys } => Self::RemoveAttributes { keys },
            BulkActionObject::Delete { confirm } => Self::Delete { confirm },
        })
    }
}

/// `BulkAction`'s wire form, read by serde's derive once the input is known to be an object.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum BulkActionObject {
    AddTags {
        tags: Vec<String>,
    },
    RemoveTags {
        tags: Vec<String>,
    },
    SetAttributes {
        attributes: BTreeMap<String, String>,
    },
    RemoveAttributes {
        keys: Vec<String>,
    },
    Delete {
        confirm: u64,
    },
}

/// Body of `POST /bots/{bot}/users/bulk`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// The users to act on.
    pub selection: Selection,
    /// What to do to them.
    pub action: BulkAction,
}

/// Answer of a bulk action: how many users it changed, out of how many it was applied to.
/// Tagging 1,204 users of whom 24 already had the tag gives
/// `{"affected": 1180, "selected": 1204}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResult {
    /// How many users the action changed. Adding a tag a user already has (tags compare
    /// case-insensitively), setting an attribute to the value it has, or removing a tag
    /// or key the user lacks changes nobody; a delete changes every selected user.
    #[cfg_attr(feature = "openapi", schema(example = 1180))]
    pub affected: u64,
    /// How many of the bot's users the selection held; a delete's `confirm` is this.
    #[cfg_attr(feature = "openapi", schema(example = 1204))]
    pub selected: u64,
}

/// Body of `POST /bots/{bot}/users/count`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CountRequest {
    /// The users to count.
    pub selection: Selection,
}

/// How many users a selection holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountResult {
    /// The number of the bot's users the selection holds now.
    #[cfg_attr(feature = "openapi", schema(example = 12345))]
    pub count: u64,
}

/// One entry of a bot's audit log: a bulk action or an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Opaque id.
    pub id: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it, e.g. `token:3` or `admin:demo@example.com`.
    #[cfg_attr(feature = "openapi", schema(example = "token:3"))]
    pub actor: String,
    /// What was done: a bulk action's `type`, `export_csv` or `export_download`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::AuditAction))]
    pub action: String,
    /// The bulk action as it was requested, or the export started or downloaded.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::AuditDetails))]
    pub details: serde_json::Value,
    /// The selection as it was given.
    #[cfg_attr(feature = "openapi", schema(value_type = Selection))]
    pub selection: serde_json::Value,
    /// How many users it changed (`BulkResult.affected`).
    #[cfg_attr(feature = "openapi", schema(example = 1180))]
    pub affected: u64,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The entries on this page.
    pub data: Vec<AuditEntry>,
    /// Pass as `cursor` for the next page; null on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
    /// How many entries there are in all.
    pub total: u64,
}

/// One event from a bot channel: a message the user sent, or a URL-button click. (Its
/// OpenAPI schema, one form per `type`, is `openapi::EventShape`.)
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// The channel's id for this event, unique per bot; an id seen before is ignored.
    pub id: String,
    /// `message` or `click`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The user's channel; an unknown `(channel, external_user_id)` creates the user.
    pub channel: String,
    /// The user's id on the channel.
    pub external_user_id: String,
    /// The user's first name, when the channel knows it; updates the user.
    #[serde(default)]
    pub first_name: Option<String>,
    /// The user's last name, when the channel knows it; updates the user.
    #[serde(default)]
    pub last_name: Option<String>,
    /// For messages: what the user wrote (at most 4,000 characters).
    #[serde(default)]
    pub text: Option<String>,
    /// For clicks: the button's URL.
    #[serde(default)]
    pub url: Option<String>,
    /// When it happened, RFC 3339.
    pub at: String,
}

/// Body of `POST /bots/{bot}/events`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IngestEvents {
    /// 1 to 1,000 events, in any order.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 1000))]
    pub events: Vec<EventInput>,
}

/// Answer of `POST /bots/{bot}/events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestResult {
    /// Events stored now.
    #[cfg_attr(feature = "openapi", schema(example = 2))]
    pub accepted: u64,
    /// Events whose id was seen before (or twice in this batch), ignored.
    #[cfg_attr(feature = "openapi", schema(example = 0))]
    pub duplicates: u64,
}

/// A message a user sent, with its sentiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    /// The channel's event id.
    #[cfg_attr(feature = "openapi", schema(example = "evt-1"))]
    pub id: String,
    /// What the user wrote.
    #[cfg_attr(feature = "openapi", schema(example = "so slow!"))]
    pub text: String,
    /// Sentiment score in [-1, 1].
    #[cfg_attr(feature = "openapi", schema(example = -0.51))]
    pub sentiment: f64,
    /// The label of `sentiment`: `positive` (≥ 0.05), `negative` (≤ −0.05) or `neutral`.
    pub label: Label,
    /// When it was sent.
    pub at: DateTime<Utc>,
}

/// A page of a user's messages, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagePage {
    /// The messages on this page.
    pub data: Vec<Message>,
    /// Pass as `cursor` for the next page; null on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
    /// How many messages the user sent in all.
    pub total: u64,
}

/// Body of `POST /sentiment`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SentimentRequest {
    /// 1 to 1,000 texts of at most 4,000 characters.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 1000, example = json!(["hahaha", "hello", "so slow!"])))]
    pub texts: Vec<String>,
    /// Also say, for each text, what moved its score most (`explanation`); `false` by
    /// default, which scores exactly as ingestion does and answers without `explanation`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = false))]
    pub explain: bool,
}

/// One text's sentiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentimentScore {
    /// Score in [-1, 1].
    #[cfg_attr(feature = "openapi", schema(example = 0.46))]
    pub score: f64,
    /// The label of `score`: `positive` (≥ 0.05), `negative` (≤ −0.05) or `neutral`.
    pub label: Label,
    /// Only when the request asked `explain`: the words, symbols and rules that moved the
    /// score most, largest `|effect|` first, at most five; empty when nothing in the text
    /// carries sentiment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<SentimentContribution>, max_items = 5))]
    pub explanation: Option<Vec<SentimentContribution>>,
}

/// One thing that moved a text's sentiment score: a word, emoji or phrase as written, or a
/// rule of the scorer. An admin reads it as `"slow" −0.46` or `"!" ×1.11`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"cause": "word", "text": "slow", "effect": -0.4603})))]
pub struct SentimentContribution {
    /// What it is.
    pub cause: SentimentCause,
    /// The words or symbols that triggered it, as written in the text ("slow", "❤️",
    /// "still waiting", "not"); for `emphasis` the marks ("!!").
    #[cfg_attr(feature = "openapi", schema(example = "slow"))]
    pub text: String,
    /// Its signed share of the score, on the score's scale and rounded to 1e-4: negative
    /// pulls the score down. The effects of everything in a text add up to its score (up
    /// to rounding); the list shows the largest ones only.
    #[cfg_attr(feature = "openapi", schema(example = -0.4603))]
    pub effect: f64,
    /// For a rule that multiplies what it applies to (`negation` ×−0.74, `before_but` ×0.5,
    /// `after_but` ×1.5, `emphasis` ×1.11, `question` and `sarcasm` ×0,
    /// `laughter_with_complaint` ×0.5), the factor, rounded to 1e-2; absent for the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64, example = -0.74))]
    pub factor: Option<f64>,
}

/// What moved a sentiment score:
/// - `word`: a word with a sentiment of its own ("slow", "amazing");
/// - `symbol`: an emoji, emoticon or rating ("😡", ":(", "10/10");
/// - `laughter`: "haha", "lol", "😂";
/// - `phrase`: a phrase that means more than its words ("still waiting", "could be
///   better", "doesn't work", "5 stars");
/// - `degree`: a degree word that strengthens or softens the sentiment word after it
///   ("so", "very", "kinda");
/// - `capitals`: a sentiment word written in capitals ("GREAT");
/// - `held_letters`: a sentiment word with held letters ("sooo", "slowww");
/// - `negation`: turns the sentiment words after it around ("not", "never", "don't"),
///   factor −0.74;
/// - `before_but`: what comes before "but" counts half, factor 0.5;
/// - `after_but`: what follows "but" counts one and a half times, factor 1.5;
/// - `emphasis`: exclamation or question marks strengthen the sentiment there is ("!!");
/// - `question`: the positive words of a question describe what is asked about ("is it
///   good?") and do not count, factor 0;
/// - `sarcasm`: praise beside a complaint and "another" or "again" is sarcasm ("great…
///   another error") and does not count, factor 0;
/// - `repeated`: having had to ask more than once ("third time I'm asking");
/// - `laughter_with_complaint`: laughter beside a complaint counts half ("lol still
///   waiting"), factor 0.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SentimentCause {
    /// A word with a sentiment of its own.
    Word,
    /// An emoji, emoticon or rating.
    Symbol,
    /// Laughter.
    Laughter,
    /// A phrase that means more than its words.
    Phrase,
    /// A degree word.
    Degree,
    /// A sentiment word in capitals.
    Capitals,
    /// A sentiment word with held letters.
    HeldLetters,
    /// A negation.
    Negation,
    /// "but", on what comes before it.
    BeforeBut,
    /// "but", on what follows it.
    AfterBut,
    /// Exclamation or question marks.
    Emphasis,
    /// A question's positive words.
    Question,
    /// Sarcastic praise.
    Sarcasm,
    /// A request repeated.
    Repeated,
    /// Laughter beside a complaint.
    LaughterWithComplaint,
}

/// Answer of `POST /sentiment`, in the order of the texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentimentResult {
    /// One score per text.
    pub scores: Vec<SentimentScore>,
}

/// Where a background job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for a worker.
    Queued,
    /// A worker is running it.
    Running,
    /// Done; `progress` is 1.
    Succeeded,
    /// Stopped for good; `error` says why.
    Failed,
    /// Stopped on request before it finished (exports: `DELETE` while queued or running).
    Cancelled,
}

impl JobStatus {
    /// The stored and wire name: `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// The status a stored name means; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "queued" => Some(Self::Queued),
            "running" => Some(Self::Running),
            "succeeded" => Some(Self::Succeeded),
            "failed" => Some(Self::Failed),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// A background job (a stats rebuild, an export): answer of `GET /bots/{bot}/jobs/{job}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    /// Opaque id.
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub id: String,
    /// What the job does: `refresh_stats` or `export_csv`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::JobKind))]
    pub kind: String,
    /// Where the job is.
    pub status: JobStatus,
    /// How much of the work is done, from 0 to 1.
    #[cfg_attr(feature = "openapi", schema(example = 0.5, minimum = 0, maximum = 1))]
    pub progress: f64,
    /// Why the job failed; null unless `status` is `failed`.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            example = "gave up after 3 attempts: the worker running it stopped each time"
        )
    )]
    pub error: Option<String>,
    /// When the job was asked for.
    pub created_at: DateTime<Utc>,
    /// When a worker first started it; null while queued.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub started_at: Option<DateTime<Utc>>,
    /// When it succeeded or failed; null until then.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub finished_at: Option<DateTime<Utc>>,
}

/// The body of every `202 Accepted`: a job was queued; poll `status_url` for its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accepted {
    /// The job's opaque id.
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub id: String,
    /// The job's status when it was accepted: `queued`.
    pub status: JobStatus,
    /// Where to read the job (also sent as the `Location` header).
    #[cfg_attr(feature = "openapi", schema(example = "/api/v1/bots/1/jobs/7"))]
    pub status_url: String,
}

/// The body of `POST /bots/{bot}/exports`: which users to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateExport {
    /// The users to export, as for bulk actions: ids, or a filter with `except_ids`. The
    /// file holds exactly the users the selection holds when the export starts.
    pub selection: Selection,
}

/// A CSV export of users: a background job and, once it succeeded, its file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Export {
    /// Opaque id (the id of the export's job).
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub id: String,
    /// Where the export is: `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: JobStatus,
    /// How much of the file is written, from 0 to 1.
    #[cfg_attr(feature = "openapi", schema(example = 0.5, minimum = 0, maximum = 1))]
    pub progress: f64,
    /// Rows (users) written so far; once succeeded, the number of users in the file.
    #[cfg_attr(feature = "openapi", schema(example = 1180))]
    pub rows: u64,
    /// Bytes written so far; once succeeded, the size of the file.
    #[cfg_attr(feature = "openapi", schema(example = 245_760))]
    pub bytes: u64,
    /// When the export was asked for; the file holds the selection as it was then (or
    /// when a retry after a crashed worker started over).
    pub created_at: DateTime<Utc>,
    /// When it succeeded, failed or was cancelled; null until then.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub finished_at: Option<DateTime<Utc>>,
    /// When the file is deleted (7 days after it succeeded unless configured otherwise);
    /// null until it succeeded. After this time the download answers 410.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub expires_at: Option<DateTime<Utc>>,
    /// Where to download the file; null unless it succeeded and has not expired.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, example = "/api/v1/bots/1/exports/7/download")
    )]
    pub download_url: Option<String>,
    /// Why the export failed; null unless `status` is `failed`.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            example = "The export failed on our side; it has been logged."
        )
    )]
    pub error: Option<String>,
    /// Who started it: `token:<id>` or `admin:<email>`.
    #[cfg_attr(feature = "openapi", schema(example = "admin:demo@example.com"))]
    pub created_by: String,
}

/// A page of a bot's exports, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportPage {
    /// The exports on this page.
    pub data: Vec<Export>,
    /// Pass as `cursor` for the next page; null on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
    /// How many exports the bot has in all.
    #[cfg_attr(feature = "openapi", schema(example = 3))]
    pub total: u64,
}
