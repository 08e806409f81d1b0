//! The OpenAPI shapes of the wire types whose Rust form is looser than what the server
//! accepts (feature `openapi` only).
//!
//! Requests are read into forgiving Rust types (`Selection` with three optional fields,
//! `BulkAction`, `EventInput` with a string `type`) and then checked, so that every
//! mistake gets a precise message. Clients generated from the document deserve the
//! exact shapes instead: the types here describe them, and `documented_as!` gives each
//! wire type the schema of its shape. Limits come from `crate::limits`: where utoipa's
//! attributes need literals, `cohort-api`'s OpenAPI test checks them against the constants.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, AnyOfBuilder, ArrayBuilder, ArrayItems, KnownFormat,
    ObjectBuilder, Schema, SchemaFormat, Type,
};
use utoipa::{PartialSchema, ToSchema};

use crate::api::{self, Filter, RelativeTime};
use crate::filter::{ColumnType as FilterColumnType, FunctionKey, PROFILE_COLUMNS};
use crate::limits::{
    DEFAULT_PAGE_SIZE, MAX_ATTRIBUTE_VALUE_CHARS, MAX_FILTER_LIST_ITEMS, MAX_FILTER_TEXT_CHARS,
    MAX_IDENTIFIER_CHARS, MAX_PAGE_SIZE,
};

/// Gives the wire type `$wire` the OpenAPI schema of `$shape`, under the name `$name`.
macro_rules! documented_as {
    ($wire:ty, $name:literal, $shape:ty) => {
        impl PartialSchema for $wire {
            fn schema() -> RefOr<Schema> {
                <$shape as PartialSchema>::schema()
            }
        }

        impl ToSchema for $wire {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                <$shape as ToSchema>::schemas(schemas)
            }
        }
    };
}

documented_as!(api::Selection, "Selection", SelectionShape);
documented_as!(api::BulkAction, "BulkAction", BulkActionShape);
documented_as!(api::EventInput, "EventInput", EventShape);

/// The pattern of a single-line text: no control character at all (C0, DEL, C1), as
/// every field but the multi-line ones checks (`text::is_forbidden_control`, and the
/// fields' own checks for tab, line feed and carriage return).
pub const SINGLE_LINE_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

/// The pattern of a multi-line text (notes, attribute values, message texts, filter
/// values): no control character but tab, line feed and carriage return.
pub const MULTI_LINE_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// One character that is neither white space (Rust's `char::is_whitespace`, spelled out:
/// `\s` differs between ECMA-262, Python and Rust) nor a control character: a character
/// of an attribute key or a URL.
pub const VISIBLE_CHAR: &str =
    r"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";

/// The multi-line texts whose schemas utoipa's attributes build: `(component, property)`;
/// the pattern applies to the property, or to its items when it is a list.
const MULTI_LINE_PROPERTIES: &[(&str, &str)] = &[
    ("UpsertUser", "notes"),
    ("UpdateUser", "notes"),
    ("MessageEvent", "text"),
    ("SentimentRequest", "texts"),
];

/// Gives every text a request can carry (bodies and parameters, through every schema they
/// reference) the pattern the server checks: `MULTI_LINE_PATTERN` for the multi-line
/// fields, `SINGLE_LINE_PATTERN` for every other string without an enum, a format or a
/// pattern of its own. Runs on the document utoipa has built.
pub fn forbid_control_characters(document: &mut utoipa::openapi::OpenApi) {
    let Some(components) = document.components.as_mut() else {
        return;
    };
    for (component, property) in MULTI_LINE_PROPERTIES {
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(*component)
            && let Some(RefOr::T(schema)) = object.properties.get_mut(*property)
        {
            let target = match schema {
                Schema::Array(array) => match &mut array.items {
                    ArrayItems::RefOrSchema(items) => match items.as_mut() {
                        RefOr::T(Schema::Object(items)) => Some(items),
                        _ => None,
                    },
                    ArrayItems::False => None,
                },
                Schema::Object(object) => Some(object),
                _ => None,
            };
            if let Some(target) = target {
                target.pattern = Some(MULTI_LINE_PATTERN.to_owned());
            }
        }
    }
    // What requests carry: parameters and bodies, then every component they reach.
    let mut request_schemas: Vec<&mut RefOr<Schema>> = Vec::new();
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter
                    && let Some(schema) = parameter.schema.as_mut()
                {
                    request_schemas.push(schema);
                }
            }
            if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
                for content in body.content.values_mut() {
                    if let RefOr::T(content) = content
                        && let Some(schema) = content.schema.as_mut()
                    {
                        request_schemas.push(schema);
                    }
                }
            }
        }
    }
    let mut reached = std::collections::BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    for schema in request_schemas {
        visit(schema, &mut |name| pending.push(name.to_owned()));
    }
    while let Some(name) = pending.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = components.schemas.get_mut(&name) {
            visit(schema, &mut |name| pending.push(name.to_owned()));
        }
    }
}

/// Adds `SINGLE_LINE_PATTERN` to every string in `schema` that has no enum, format or
/// pattern, and calls `reference` with the component name of every `$ref` it holds.
fn visit(schema: &mut RefOr<Schema>, reference: &mut impl FnMut(&str)) {
    match schema {
        RefOr::Ref(to) => {
            if let Some(name) = to.ref_location.strip_prefix("#/components/schemas/") {
                reference(name);
            }
        }
        RefOr::T(schema) => visit_schema(schema, reference),
    }
}

fn visit_schema(schema: &mut Schema, reference: &mut impl FnMut(&str)) {
    use utoipa::openapi::schema::SchemaType;
    match schema {
        Schema::Object(object) => {
            let is_string = match &object.schema_type {
                SchemaType::Type(kind) => *kind == Type::String,
                SchemaType::Array(kinds) => kinds.contains(&Type::String),
                SchemaType::AnyValue => false,
            };
            if is_string
                && object.enum_values.is_none()
                && object.format.is_none()
                && object.pattern.is_none()
            {
                object.pattern = Some(SINGLE_LINE_PATTERN.to_owned());
            }
            for property in object.properties.values_mut() {
                visit(property, reference);
            }
            if let Some(additional) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(additional) = additional
            {
                visit(additional, reference);
            }
            if let Some(names) = object.property_names.as_deref_mut() {
                visit_schema(names, reference);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                visit(items, reference);
            }
            for item in &mut array.prefix_items {
                visit_schema(item, reference);
            }
        }
        Schema::OneOf(one_of) => one_of
            .items
            .iter_mut()
            .for_each(|item| visit(item, reference)),
        Schema::AnyOf(any_of) => any_of
            .items
            .iter_mut()
            .for_each(|item| visit(item, reference)),
        Schema::AllOf(all_of) => all_of
            .items
            .iter_mut()
            .for_each(|item| visit(item, reference)),
        _ => {}
    }
}

/// A reference to the component named `name`.
fn reference(name: &str) -> RefOr<Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(name))
}

/// A string property whose only value is `value`: the `type` of a tagged object.
fn tag(value: &str, description: &str) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some([value]))
        .description(Some(description))
        .into()
}

/// A property that must be left out in this form of an object: no value is both a string
/// and a number, and typed clients read the intersection as `never`. (A `null` type would
/// be truer to the server, which reads null as left out, but openapi-fetch turns null-only
/// properties of request bodies into `never` and then refuses the union's own values.)
fn absent(description: &str) -> Schema {
    AllOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::String))
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .description(Some(description))
        .into()
}

/// A page size: an integer from 1 to `MAX_PAGE_SIZE`, listed so that typed clients
/// (TypeScript's literal unions) refuse 0 or 501 at compile time.
pub struct PageSize;

impl PartialSchema for PageSize {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(MAX_PAGE_SIZE))
            .enum_values(Some(1..=MAX_PAGE_SIZE))
            .default(Some(DEFAULT_PAGE_SIZE.into()))
            .description(Some(format!(
                "How many items a page holds: 1 to {MAX_PAGE_SIZE}; {DEFAULT_PAGE_SIZE} when left out."
            )))
            .into()
    }
}

impl ToSchema for PageSize {}

/// A tag: 1 to `MAX_IDENTIFIER_CHARS` characters, no control characters; compared
/// case-insensitively.
pub struct Tag;

impl PartialSchema for Tag {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX_IDENTIFIER_CHARS))
            .description(Some(format!(
                "A tag: 1 to {MAX_IDENTIFIER_CHARS} characters without control characters; tags compare case-insensitively."
            )))
            .examples(["vip"])
            .into()
    }
}

impl ToSchema for Tag {}

/// An attribute key: 1 to `MAX_IDENTIFIER_CHARS` characters, no spaces.
pub struct AttributeKey;

fn attribute_key() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX_IDENTIFIER_CHARS))
        .pattern(Some(format!("^{VISIBLE_CHAR}+$")))
        .description(Some(format!(
            "An attribute key: 1 to {MAX_IDENTIFIER_CHARS} characters, no spaces or control characters."
        )))
}

impl PartialSchema for AttributeKey {
    fn schema() -> RefOr<Schema> {
        attribute_key().examples(["fav_food"]).into()
    }
}

impl ToSchema for AttributeKey {}

/// An attribute value: at most `MAX_ATTRIBUTE_VALUE_CHARS` characters.
pub struct AttributeValue;

fn attribute_value() -> ObjectBuilder {
    attribute_value_of(Type::String.into())
}

fn attribute_value_of(schema_type: utoipa::openapi::schema::SchemaType) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(schema_type)
        .max_length(Some(MAX_ATTRIBUTE_VALUE_CHARS))
        .pattern(Some(MULTI_LINE_PATTERN))
        .description(Some(format!(
            "An attribute value: at most {MAX_ATTRIBUTE_VALUE_CHARS} characters, no control characters but line breaks and tabs. A value that reads as a decimal number is also compared as one."
        )))
}

impl PartialSchema for AttributeValue {
    fn schema() -> RefOr<Schema> {
        attribute_value().examples(["pizza"]).into()
    }
}

impl ToSchema for AttributeValue {}

/// A map of attribute keys to values, with `min`..=`max` entries; values may be null
/// when `nullable_values`.
fn attribute_map(description: &str, min: usize, max: usize, nullable_values: bool) -> Schema {
    let value = if nullable_values {
        attribute_value_of(utoipa::openapi::schema::SchemaType::from_iter([
            Type::String,
            Type::Null,
        ]))
    } else {
        attribute_value()
    };
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(attribute_key()))
        .additional_properties(Some(value))
        .min_properties(Some(min))
        .max_properties(Some(max))
        .description(Some(description))
        .into()
}

documented_as!(crate::filter::Condition, "Condition", ConditionShape);

/// The form of a condition's `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueForm {
    /// No value (the server also reads null as none; the schema leaves it out, as
    /// typed clients cannot send a null-only property).
    Absent,
    /// A non-empty text of at most `MAX_FILTER_TEXT_CHARS` characters.
    Text,
    /// A number.
    Number,
    /// `[low, high]`, two numbers.
    NumberRange,
    /// An RFC 3339 time.
    Time,
    /// `[start, end]`, two RFC 3339 times.
    TimeRange,
    /// `{amount, unit}`.
    Relative,
    /// 1 to `MAX_FILTER_LIST_ITEMS` texts.
    TextList,
}

/// The columns a form of condition applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormColumns {
    /// The profile and stats columns of one type.
    Typed(FilterColumnType),
    /// `attributes.<key>`.
    Attribute,
    /// Every column that can be empty: the text, number and time columns and attributes.
    Settable,
}

/// One form of condition: which columns, which functions, what value. A condition is
/// valid exactly when it has one of these forms (`filter::parse` decides; the core's tests
/// check the two agree for every column, function and form of value).
pub(crate) struct ConditionForm {
    /// The component's name.
    pub name: &'static str,
    pub description: &'static str,
    pub columns: FormColumns,
    pub functions: &'static [FunctionKey],
    pub value: ValueForm,
}

const TEXT_COMPARISONS: &[FunctionKey] = &[
    FunctionKey::Equals,
    FunctionKey::NotEquals,
    FunctionKey::Contains,
    FunctionKey::NotContains,
    FunctionKey::StartsWith,
    FunctionKey::EndsWith,
];

const NUMBER_COMPARISONS: &[FunctionKey] = &[
    FunctionKey::Equals,
    FunctionKey::NotEquals,
    FunctionKey::GreaterThan,
    FunctionKey::GreaterOrEqual,
    FunctionKey::LessThan,
    FunctionKey::LessOrEqual,
];

/// Every form of condition the server accepts.
pub(crate) const CONDITION_FORMS: &[ConditionForm] = &[
    ConditionForm {
        name: "TextCondition",
        description: "Compares a text column with a text, case-insensitively.",
        columns: FormColumns::Typed(FilterColumnType::Text),
        functions: TEXT_COMPARISONS,
        value: ValueForm::Text,
    },
    ConditionForm {
        name: "NumberCondition",
        description: "Compares a number column with a number.",
        columns: FormColumns::Typed(FilterColumnType::Number),
        functions: NUMBER_COMPARISONS,
        value: ValueForm::Number,
    },
    ConditionForm {
        name: "NumberRangeCondition",
        description: "A number column between two numbers, both included.",
        columns: FormColumns::Typed(FilterColumnType::Number),
        functions: &[FunctionKey::Between],
        value: ValueForm::NumberRange,
    },
    ConditionForm {
        name: "TimeCondition",
        description: "A time column before or after a time.",
        columns: FormColumns::Typed(FilterColumnType::DateTime),
        functions: &[FunctionKey::Before, FunctionKey::After],
        value: ValueForm::Time,
    },
    ConditionForm {
        name: "TimeRangeCondition",
        description: "A time column between two times, both included.",
        columns: FormColumns::Typed(FilterColumnType::DateTime),
        functions: &[FunctionKey::Between],
        value: ValueForm::TimeRange,
    },
    ConditionForm {
        name: "RelativeTimeCondition",
        description: "A time column within a span back from now, or longer ago than it.",
        columns: FormColumns::Typed(FilterColumnType::DateTime),
        functions: &[FunctionKey::WithinLast, FunctionKey::MoreThanAgo],
        value: ValueForm::Relative,
    },
    ConditionForm {
        name: "ChannelCondition",
        description: "The channel is, or is not, this one.",
        columns: FormColumns::Typed(FilterColumnType::Channel),
        functions: &[FunctionKey::Is, FunctionKey::IsNot],
        value: ValueForm::Text,
    },
    ConditionForm {
        name: "ChannelListCondition",
        description: "The channel is one of these.",
        columns: FormColumns::Typed(FilterColumnType::Channel),
        functions: &[FunctionKey::IsAnyOf],
        value: ValueForm::TextList,
    },
    ConditionForm {
        name: "TagCondition",
        description: "The user has, or has not, this tag.",
        columns: FormColumns::Typed(FilterColumnType::Tags),
        functions: &[FunctionKey::Has, FunctionKey::HasNot],
        value: ValueForm::Text,
    },
    ConditionForm {
        name: "TagListCondition",
        description: "The user has any, or all, of these tags.",
        columns: FormColumns::Typed(FilterColumnType::Tags),
        functions: &[FunctionKey::HasAnyOf, FunctionKey::HasAllOf],
        value: ValueForm::TextList,
    },
    ConditionForm {
        name: "AttributeTextCondition",
        description: "Compares an attribute with a text, case-insensitively.",
        columns: FormColumns::Attribute,
        functions: TEXT_COMPARISONS,
        value: ValueForm::Text,
    },
    ConditionForm {
        name: "AttributeNumberCondition",
        description: "Compares an attribute with a number; only values that are numbers (\"0009\", \"2.5\") match.",
        columns: FormColumns::Attribute,
        functions: NUMBER_COMPARISONS,
        value: ValueForm::Number,
    },
    ConditionForm {
        name: "AttributeRangeCondition",
        description: "An attribute whose value is a number between two numbers, both included.",
        columns: FormColumns::Attribute,
        functions: &[FunctionKey::Between],
        value: ValueForm::NumberRange,
    },
    ConditionForm {
        name: "IsSetCondition",
        description: "The column has a value, or has none; takes no value.",
        columns: FormColumns::Settable,
        functions: &[FunctionKey::IsSet, FunctionKey::IsNotSet],
        value: ValueForm::Absent,
    },
];

/// The keys of the profile and stats columns of `column_type`, from the catalogue.
pub(crate) fn column_keys(column_type: FilterColumnType) -> Vec<&'static str> {
    PROFILE_COLUMNS
        .iter()
        .filter(|column| column.column_type == column_type)
        .map(|column| column.key)
        .collect()
}

fn attribute_column() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!(
            r"^attributes\.{VISIBLE_CHAR}{{1,{MAX_IDENTIFIER_CHARS}}}$"
        )))
        .description(Some(format!(
            "`attributes.` and an attribute key (1 to {MAX_IDENTIFIER_CHARS} characters, no spaces)."
        )))
        .examples(["attributes.fav_food"])
}

fn enum_of(values: Vec<&'static str>) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
}

impl FormColumns {
    fn schema(self) -> Schema {
        match self {
            Self::Typed(column_type) => enum_of(column_keys(column_type))
                .description(Some(format!("A {} column.", column_type.as_str())))
                .into(),
            Self::Attribute => attribute_column().into(),
            Self::Settable => {
                let keys = [
                    FilterColumnType::Text,
                    FilterColumnType::Number,
                    FilterColumnType::DateTime,
                ]
                .into_iter()
                .flat_map(column_keys)
                .collect();
                AnyOfBuilder::new()
                    .item(enum_of(keys).description(Some("A text, number or time column.")))
                    .item(attribute_column())
                    .into()
            }
        }
    }
}

impl ValueForm {
    fn schema(self) -> RefOr<Schema> {
        let text = || {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(MAX_FILTER_TEXT_CHARS))
                .pattern(Some(MULTI_LINE_PATTERN))
        };
        let time = || {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        };
        let pair = |item: ObjectBuilder, description: &str| {
            ArrayBuilder::new()
                .items(item)
                .min_items(Some(2))
                .max_items(Some(2))
                .description(Some(description))
                .into()
        };
        match self {
            Self::Absent => absent("Left out: `is_set` and `is_not_set` take no value.").into(),
            Self::Text => text()
                .description(Some(format!(
                    "1 to {MAX_FILTER_TEXT_CHARS} characters, compared case-insensitively."
                )))
                .examples(["Yin Yin"])
                .into(),
            Self::Number => ObjectBuilder::new()
                .schema_type(Type::Number)
                .examples([3])
                .into(),
            Self::NumberRange => pair(
                ObjectBuilder::new().schema_type(Type::Number),
                "`[low, high]`, low ≤ high, both included.",
            ),
            Self::Time => time()
                .description(Some("An RFC 3339 time."))
                .examples(["2026-11-01T00:00:00Z"])
                .into(),
            Self::TimeRange => pair(time(), "`[start, end]`, start ≤ end, both included."),
            Self::Relative => reference("RelativeTime"),
            Self::TextList => ArrayBuilder::new()
                .items(text())
                .min_items(Some(1))
                .max_items(Some(MAX_FILTER_LIST_ITEMS))
                .description(Some(format!(
                    "1 to {MAX_FILTER_LIST_ITEMS} texts, compared case-insensitively."
                )))
                .into(),
        }
    }
}

impl ConditionForm {
    fn schema(&self) -> Schema {
        let functions = enum_of(self.functions.iter().map(|f| f.as_str()).collect())
            .description(Some("What to test."));
        let object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("column", self.columns.schema())
            .required("column")
            .property("function", functions)
            .required("function")
            .property("value", self.value.schema())
            .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
            .description(Some(self.description));
        if self.value == ValueForm::Absent {
            object.into()
        } else {
            object.required("value").into()
        }
    }
}

/// One condition, `{column, function, value}`, in one of the forms of `CONDITION_FORMS`:
/// the function fits the column's type and the value fits the function.
pub struct ConditionShape;

impl PartialSchema for ConditionShape {
    fn schema() -> RefOr<Schema> {
        // `anyOf`, though the forms exclude each other: a text column's enum and the
        // attribute pattern never both match, but linters cannot see that and read a
        // `oneOf` of them as overlapping.
        CONDITION_FORMS
            .iter()
            .fold(AnyOfBuilder::new(), |any_of, form| {
                any_of.item(reference(form.name))
            })
            .description(Some(
                "One condition: Column + Function + Value. The function must fit the column's type (`GET /bots/{bot}/columns` lists each column's functions) and the value the function.",
            ))
            .into()
    }
}

impl ToSchema for ConditionShape {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        for form in CONDITION_FORMS {
            schemas.push((form.name.to_owned(), form.schema().into()));
        }
        schemas.push((RelativeTime::name().into(), RelativeTime::schema()));
        RelativeTime::schemas(schemas);
    }
}

/// Which users a bulk action, a count or an export applies to, in exactly one of two
/// forms: a list of ids, or every user a filter matches ("all matching") minus some ids.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum SelectionShape {
    ByIds(SelectionByIds),
    ByFilter(SelectionByFilter),
}

/// A selection by ids: these users. Ids that are not the bot's users are left alone.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"ids": ["12", "15"]}))]
pub struct SelectionByIds {
    /// 1 to 10,000 user ids.
    #[schema(min_items = 1, max_items = 10000, example = json!(["12", "15"]))]
    pub ids: Vec<String>,
    /// Not with `ids`.
    #[serde(default)]
    #[schema(schema_with = no_filter)]
    pub filter: Option<()>,
    /// Not with `ids`.
    #[serde(default)]
    #[schema(schema_with = no_except_ids)]
    pub except_ids: Option<()>,
}

fn no_filter() -> Schema {
    absent("Not with `ids`: select by ids or by filter, not both.")
}

fn no_except_ids() -> Schema {
    absent("Not with `ids`: `except_ids` goes with `filter`.")
}

fn no_ids() -> Schema {
    absent("Not with `filter`: select by ids or by filter, not both.")
}

/// A selection by filter ("all matching"): every user the filter matches when the action
/// runs, except `except_ids`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"filter": {"column": "first_name", "function": "contains", "value": "Yin Yin"}, "except_ids": ["15"]}))]
pub struct SelectionByFilter {
    /// The filter; `{"all": []}` matches every user.
    pub filter: Filter,
    /// Up to 10,000 ids to leave out (users unticked after "select all").
    #[serde(default)]
    #[schema(max_items = 10000, example = json!(["15"]))]
    pub except_ids: Option<Vec<String>>,
    /// Not with `filter`.
    #[serde(default)]
    #[schema(schema_with = no_ids)]
    pub ids: Option<()>,
}

/// What a bulk action does to every selected user; `type` says which action it is.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[schema(discriminator(property_name = "type", mapping(
    ("add_tags" = "#/components/schemas/AddTags"),
    ("remove_tags" = "#/components/schemas/RemoveTags"),
    ("set_attributes" = "#/components/schemas/SetAttributes"),
    ("remove_attributes" = "#/components/schemas/RemoveAttributes"),
    ("delete" = "#/components/schemas/DeleteUsers")
)))]
pub enum BulkActionShape {
    AddTags(AddTags),
    RemoveTags(RemoveTags),
    SetAttributes(SetAttributes),
    RemoveAttributes(RemoveAttributes),
    Delete(DeleteUsers),
}

/// Adds tags (new or existing) to every selected user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type": "add_tags", "tags": ["vip"]}))]
pub struct AddTags {
    /// `add_tags`.
    #[serde(rename = "type")]
    #[schema(schema_with = add_tags_type)]
    pub kind: String,
    /// 1 to 100 tags.
    #[schema(value_type = Vec<Tag>, min_items = 1, max_items = 100)]
    pub tags: Vec<String>,
}

/// Removes tags from every selected user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type": "remove_tags", "tags": ["vip"]}))]
pub struct RemoveTags {
    /// `remove_tags`.
    #[serde(rename = "type")]
    #[schema(schema_with = remove_tags_type)]
    pub kind: String,
    /// 1 to 100 tags.
    #[schema(value_type = Vec<Tag>, min_items = 1, max_items = 100)]
    pub tags: Vec<String>,
}

/// Sets attributes on every selected user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type": "set_attributes", "attributes": {"fav_food": "pizza"}}))]
pub struct SetAttributes {
    /// `set_attributes`.
    #[serde(rename = "type")]
    #[schema(schema_with = set_attributes_type)]
    pub kind: String,
    /// 1 to 50 keys with their values.
    #[schema(schema_with = bulk_attributes)]
    pub attributes: BTreeMap<String, String>,
}

/// Removes attributes from every selected user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type": "remove_attributes", "keys": ["fav_food"]}))]
pub struct RemoveAttributes {
    /// `remove_attributes`.
    #[serde(rename = "type")]
    #[schema(schema_with = remove_attributes_type)]
    pub kind: String,
    /// 1 to 50 keys.
    #[schema(value_type = Vec<AttributeKey>, min_items = 1, max_items = 50)]
    pub keys: Vec<String>,
}

/// Deletes every selected user with their tags, attributes and events.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type": "delete", "confirm": 2}))]
pub struct DeleteUsers {
    /// `delete`.
    #[serde(rename = "type")]
    #[schema(schema_with = delete_type)]
    pub kind: String,
    /// How many users the caller expects to delete: must equal the number the selection
    /// holds now (`POST /users/count`), else nothing is deleted (409).
    #[schema(minimum = 0)]
    pub confirm: u64,
}

fn add_tags_type() -> Schema {
    tag("add_tags", "Adds tags.")
}

fn remove_tags_type() -> Schema {
    tag("remove_tags", "Removes tags.")
}

fn set_attributes_type() -> Schema {
    tag("set_attributes", "Sets attributes.")
}

fn remove_attributes_type() -> Schema {
    tag("remove_attributes", "Removes attributes.")
}

fn delete_type() -> Schema {
    tag("delete", "Deletes users.")
}

fn export_csv_type() -> Schema {
    tag("export_csv", "A CSV export was started.")
}

fn export_download_type() -> Schema {
    tag("export_download", "An export's file was downloaded.")
}

fn bulk_attributes() -> Schema {
    use crate::limits::MAX_BULK_ATTRIBUTES;
    attribute_map(
        &format!("1 to {MAX_BULK_ATTRIBUTES} keys with their values."),
        1,
        MAX_BULK_ATTRIBUTES,
        false,
    )
}

/// The attributes a user request sets (or, with null, removes).
pub(crate) fn user_attributes() -> Schema {
    use crate::limits::MAX_ITEMS_PER_USER;
    attribute_map(
        &format!(
            "Up to {MAX_ITEMS_PER_USER} attributes to set; a null value removes that attribute. Others stay."
        ),
        0,
        MAX_ITEMS_PER_USER,
        true,
    )
}

/// A sort: a column key, with `-` in front for descending.
pub struct SortSpec;

impl PartialSchema for SortSpec {
    fn schema() -> RefOr<Schema> {
        let keys = crate::sort::SortKey::ALL.map(|key| key.as_str());
        let values = keys
            .iter()
            .map(|key| key.to_string())
            .chain(keys.iter().map(|key| format!("-{key}")));
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(values))
            .default(Some("-last_message_at".into()))
            .description(Some(
                "A column key to sort by, with `-` in front for descending; ties are broken by id and missing values sort last.",
            ))
            .into()
    }
}

impl ToSchema for SortSpec {}

/// What an audit entry records: the bulk action as requested, or the export started.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[schema(discriminator(property_name = "type", mapping(
    ("add_tags" = "#/components/schemas/AddTags"),
    ("remove_tags" = "#/components/schemas/RemoveTags"),
    ("set_attributes" = "#/components/schemas/SetAttributes"),
    ("remove_attributes" = "#/components/schemas/RemoveAttributes"),
    ("delete" = "#/components/schemas/DeleteUsers"),
    ("export_csv" = "#/components/schemas/ExportStarted"),
    ("export_download" = "#/components/schemas/ExportDownloaded")
)))]
pub enum AuditDetails {
    AddTags(AddTags),
    RemoveTags(RemoveTags),
    SetAttributes(SetAttributes),
    RemoveAttributes(RemoveAttributes),
    Delete(DeleteUsers),
    Export(ExportStarted),
    Download(ExportDownloaded),
}

/// An export was started: its id (the export's and its job's).
#[derive(Deserialize, ToSchema)]
pub struct ExportStarted {
    /// `export_csv`.
    #[serde(rename = "type")]
    #[schema(schema_with = export_csv_type)]
    pub kind: String,
    /// The export's id.
    #[schema(example = "7")]
    pub export_id: String,
}

/// An export's file was downloaded (the whole file or its first byte range).
#[derive(Deserialize, ToSchema)]
pub struct ExportDownloaded {
    /// `export_download`.
    #[serde(rename = "type")]
    #[schema(schema_with = export_download_type)]
    pub kind: String,
    /// The export's id.
    #[schema(example = "7")]
    pub export_id: String,
    /// The `Range` header of a partial download, as sent; left out for the whole file.
    #[schema(example = "bytes=0-1023")]
    pub range: Option<String>,
}

/// What an audit entry did: a bulk action's `type`, `export_csv` or `export_download`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    AddTags,
    RemoveTags,
    SetAttributes,
    RemoveAttributes,
    Delete,
    ExportCsv,
    ExportDownload,
}

/// The type of a profile column, which decides the filter functions it takes.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    Text,
    Number,
    #[serde(rename = "datetime")]
    DateTime,
    Channel,
    Tags,
}

/// The type of an attribute: `number` when every value of it is a number, else `text`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    Text,
    Number,
}

/// What a background job does.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Rebuilds every user's stats from the event log.
    RefreshStats,
    /// Writes a CSV export.
    ExportCsv,
}

/// One event from a bot channel: a message the user sent, or a URL-button click;
/// `type` says which.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[schema(discriminator(property_name = "type", mapping(
    ("message" = "#/components/schemas/MessageEvent"),
    ("click" = "#/components/schemas/ClickEvent")
)))]
pub enum EventShape {
    Message(MessageEvent),
    Click(ClickEvent),
}

/// A message the user sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"id": "evt-1", "type": "message", "channel": "telegram", "external_user_id": "42", "first_name": "Yin Yin", "last_name": "Tan", "text": "so slow!", "at": "2026-11-01T10:00:00Z"}))]
pub struct MessageEvent {
    /// The channel's id for this event, 1 to 200 characters, unique per bot; an id seen
    /// before is counted as a duplicate and ignored.
    #[schema(min_length = 1, max_length = 200, example = "evt-1")]
    pub id: String,
    /// `message`.
    #[serde(rename = "type")]
    #[schema(schema_with = message_type)]
    pub kind: String,
    /// The user's channel, 1 to 64 characters; an unknown `(channel, external_user_id)`
    /// creates the user.
    #[schema(min_length = 1, max_length = 64, example = "telegram")]
    pub channel: String,
    /// The user's id on the channel, 1 to 255 characters.
    #[schema(min_length = 1, max_length = 255, example = "42")]
    pub external_user_id: String,
    /// The user's first name, when the channel knows it (at most 255 characters); updates
    /// the user.
    #[serde(default)]
    #[schema(max_length = 255, example = "Yin Yin")]
    pub first_name: Option<String>,
    /// The user's last name, when the channel knows it (at most 255 characters); updates
    /// the user.
    #[serde(default)]
    #[schema(max_length = 255, example = "Tan")]
    pub last_name: Option<String>,
    /// What the user wrote: 1 to 4,000 characters, not only spaces.
    #[schema(min_length = 1, max_length = 4000, example = "so slow!")]
    pub text: String,
    /// Not in a message.
    #[serde(default)]
    #[schema(schema_with = no_url)]
    pub url: Option<()>,
    /// When it happened.
    #[schema(value_type = String, format = DateTime, example = "2026-11-01T10:00:00Z")]
    pub at: String,
}

/// A click on a URL button.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"id": "evt-2", "type": "click", "channel": "telegram", "external_user_id": "42", "url": "https://example.com/menu", "at": "2026-11-01T10:03:00Z"}))]
pub struct ClickEvent {
    /// The channel's id for this event, 1 to 200 characters, unique per bot; an id seen
    /// before is counted as a duplicate and ignored.
    #[schema(min_length = 1, max_length = 200, example = "evt-2")]
    pub id: String,
    /// `click`.
    #[serde(rename = "type")]
    #[schema(schema_with = click_type)]
    pub kind: String,
    /// The user's channel, 1 to 64 characters; an unknown `(channel, external_user_id)`
    /// creates the user.
    #[schema(min_length = 1, max_length = 64, example = "telegram")]
    pub channel: String,
    /// The user's id on the channel, 1 to 255 characters.
    #[schema(min_length = 1, max_length = 255, example = "42")]
    pub external_user_id: String,
    /// The user's first name, when the channel knows it (at most 255 characters); updates
    /// the user.
    #[serde(default)]
    #[schema(max_length = 255, example = "Yin Yin")]
    pub first_name: Option<String>,
    /// The user's last name, when the channel knows it (at most 255 characters); updates
    /// the user.
    #[serde(default)]
    #[schema(max_length = 255, example = "Tan")]
    pub last_name: Option<String>,
    /// The button's URL: 1 to 2,048 characters without spaces.
    #[schema(
        min_length = 1,
        max_length = 2048,
        pattern = r"^[\t\n\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+[\t\n\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$",
        example = "https://example.com/menu"
    )]
    pub url: String,
    /// Not in a click.
    #[serde(default)]
    #[schema(schema_with = no_text)]
    pub text: Option<()>,
    /// When it happened.
    #[schema(value_type = String, format = DateTime, example = "2026-11-01T10:03:00Z")]
    pub at: String,
}

fn message_type() -> Schema {
    tag("message", "A message the user sent.")
}

fn click_type() -> Schema {
    tag("click", "A click on a URL button.")
}

fn no_url() -> Schema {
    absent("Not in a message: a message has `text`.")
}

fn no_text() -> Schema {
    absent("Not in a click: a click has `url`.")
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{CONDITION_FORMS, FormColumns, ValueForm, column_keys};
    use crate::filter::{self, ColumnType, FunctionKey, PROFILE_COLUMNS, attribute_functions};

    const FORMS: [ValueForm; 8] = [
        ValueForm::Absent,
        ValueForm::Text,
        ValueForm::Number,
        ValueForm::NumberRange,
        ValueForm::Time,
        ValueForm::TimeRange,
        ValueForm::Relative,
        ValueForm::TextList,
    ];

    /// A value of each form (none for `Absent`).
    fn sample(form: ValueForm) -> Option<Value> {
        match form {
            ValueForm::Absent => None,
            ValueForm::Text => Some(json!("pizza")),
            ValueForm::Number => Some(json!(3)),
            ValueForm::NumberRange => Some(json!([1, 2.5])),
            ValueForm::Time => Some(json!("2026-11-01T10:00:00Z")),
            ValueForm::TimeRange => Some(json!(["2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z"])),
            ValueForm::Relative => Some(json!({"amount": 7, "unit": "days"})),
            ValueForm::TextList => Some(json!(["web", "telegram"])),
        }
    }

    /// Whether the schema of `form` takes the sample of `sampled` (an RFC 3339 time is
    /// also a text, two of them also a list of texts).
    fn takes(form: ValueForm, sampled: ValueForm) -> bool {
        form == sampled
            || (form == ValueForm::Text && sampled == ValueForm::Time)
            || (form == ValueForm::TextList && sampled == ValueForm::TimeRange)
    }

    /// Every column key of the catalogue, and an attribute.
    fn columns() -> Vec<(String, Option<ColumnType>)> {
        PROFILE_COLUMNS
            .iter()
            .map(|column| (column.key.to_owned(), Some(column.column_type)))
            .chain([("attributes.fav_food".to_owned(), None)])
            .collect()
    }

    fn applies(columns: FormColumns, column: Option<ColumnType>) -> bool {
        match (columns, column) {
            (FormColumns::Typed(form_type), Some(column_type)) => form_type == column_type,
            (FormColumns::Attribute | FormColumns::Settable, None) => true,
            (FormColumns::Settable, Some(column_type)) => {
                column_type.functions().contains(&FunctionKey::IsSet)
            }
            _ => false,
        }
    }

    #[test]
    fn each_column_takes_in_the_schema_exactly_the_functions_of_the_catalogue() {
        for (key, column_type) in columns() {
            let mut in_schema: Vec<FunctionKey> = CONDITION_FORMS
                .iter()
                .filter(|form| applies(form.columns, column_type))
                .flat_map(|form| form.functions.iter().copied())
                .collect();
            in_schema.sort();
            in_schema.dedup();
            let mut catalogue = column_type
                .map_or(attribute_functions(), ColumnType::functions)
                .to_vec();
            catalogue.sort();
            assert_eq!(in_schema, catalogue, "{key}");
        }
    }

    #[test]
    fn the_server_accepts_a_condition_exactly_when_a_form_of_the_schema_takes_it() {
        let functions = columns()
            .iter()
            .flat_map(|(_, column_type)| {
                column_type.map_or(attribute_functions(), ColumnType::functions)
            })
            .copied()
            .collect::<std::collections::BTreeSet<_>>();
        let mut tried = 0;
        for (key, column_type) in columns() {
            for &function in &functions {
                for sampled in FORMS {
                    let mut condition = json!({"column": key, "function": function.as_str()});
                    if let Some(value) = sample(sampled) {
                        condition["value"] = value;
                    }
                    let schema_takes = CONDITION_FORMS.iter().any(|form| {
                        applies(form.columns, column_type)
                            && form.functions.contains(&function)
                            && takes(form.value, sampled)
                    });
                    let server_takes = filter::parse(&condition, "/filter").is_ok();
                    assert_eq!(schema_takes, server_takes, "{condition}");
                    tried += 1;
                }
            }
        }
        assert!(tried > 500, "only {tried} conditions tried");
    }

    #[test]
    fn each_typed_form_names_the_catalogues_columns() {
        assert_eq!(
            column_keys(ColumnType::DateTime),
            ["last_message_at", "created_at"]
        );
        assert_eq!(column_keys(ColumnType::Tags), ["tags"]);
    }
}
