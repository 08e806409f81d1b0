//! Checks a filter written in JSON and turns it into an `Expr`, naming the exact place
//! (a JSON Pointer) of every mistake. Depth, size, list lengths and text lengths are
//! bounded here, so no filter can make the server do unbounded work.

use serde_json::{Map, Value};

use super::ast::{
    CmpOp, Condition, Expr, NumberField, NumberTest, Test, TextField, TextTest, TimeField, TimeTest,
};
use super::columns::{ColumnType, PROFILE_COLUMNS, attribute_functions};
use super::wire::{FunctionKey, RelativeTime};
use crate::api::FieldError;
use crate::limits::{
    MAX_FILTER_CONDITIONS, MAX_FILTER_DEPTH, MAX_FILTER_GROUP_ITEMS, MAX_FILTER_GROUPS,
    MAX_FILTER_LIST_ITEMS, MAX_FILTER_TEXT_CHARS,
};
use crate::text::{self, fold};
use crate::time::{self, Micros};

/// At most this many problems are reported for one filter.
const MAX_REPORTED_ERRORS: usize = 20;

/// The longest span `within_last` and `more_than_ago` accept: about 200 years.
const MAX_RELATIVE_MICROS: i64 = 200 * 366 * 86_400_000_000;

/// Parses and checks `value` as a filter. `pointer` is where the filter sits in the
/// request (`/filter`, or `/query/filter`), and prefixes every error's pointer.
pub fn parse(value: &Value, pointer: &str) -> Result<Expr, Vec<FieldError>> {
    let mut parser = Parser {
        errors: Vec::new(),
        conditions: 0,
        groups: 0,
    };
    let expr = parser.node(value, pointer, 0);
    if parser.errors.is_empty() {
        Ok(expr)
    } else {
        Err(parser.errors)
    }
}

/// What a column key names.
enum Column {
    Text(TextField),
    Number(NumberField),
    Time(TimeField),
    Channel,
    Tags,
    Attribute(String),
}

impl Column {
    fn resolve(key: &str) -> Result<Self, String> {
        if let Some(attribute) = key.strip_prefix("attributes.") {
            return match text::attribute_key(attribute) {
                Ok(trimmed) if trimmed == attribute => Ok(Self::Attribute(attribute.to_owned())),
                Ok(_) => Err("an attribute key has no surrounding white space".to_owned()),
                Err(problem) => Err(format!("the attribute key {problem}")),
            };
        }
        Ok(match key {
            "first_name" => Self::Text(TextField::FirstName),
            "last_name" => Self::Text(TextField::LastName),
            "name" => Self::Text(TextField::Name),
            "email" => Self::Text(TextField::Email),
            "external_id" => Self::Text(TextField::ExternalId),
            "channel" => Self::Channel,
            "sessions" => Self::Number(NumberField::Sessions),
            "messages_sent" => Self::Number(NumberField::MessagesSent),
            "clicks" => Self::Number(NumberField::Clicks),
            "time_spent_secs" => Self::Number(NumberField::TimeSpentSecs),
            "average_sentiment" => Self::Number(NumberField::AverageSentiment),
            "last_message_at" => Self::Time(TimeField::LastMessageAt),
            "created_at" => Self::Time(TimeField::CreatedAt),
            "tags" => Self::Tags,
            _ => {
                let known: Vec<&str> = PROFILE_COLUMNS.iter().map(|column| column.key).collect();
                return Err(format!(
                    "unknown column `{key}`; columns are {} and attributes.<key>",
                    known.join(", ")
                ));
            }
        })
    }

    fn functions(&self) -> &'static [FunctionKey] {
        match self {
            Self::Text(_) => ColumnType::Text.functions(),
            Self::Number(_) => ColumnType::Number.functions(),
            Self::Time(_) => ColumnType::DateTime.functions(),
            Self::Channel => ColumnType::Channel.functions(),
            Self::Tags => ColumnType::Tags.functions(),
            Self::Attribute(_) => attribute_functions(),
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Self::Text(_) => "a text column",
            Self::Number(_) => "a number column",
            Self::Time(_) => "a date/time column",
            Self::Channel => "the channel column",
            Self::Tags => "the tags column",
            Self::Attribute(_) => "an attribute",
        }
    }
}

struct Parser {
    errors: Vec<FieldError>,
    conditions: usize,
    groups: usize,
}

impl Parser {
    fn fail(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(FieldError::new(pointer, message));
        }
    }

    fn node(&mut self, value: &Value, pointer: &str, depth: usize) -> Expr {
        let Value::Object(map) = value else {
            self.fail(
                pointer,
                "a filter is an object: a condition {column, function, value} or a group {\"all\": [...]} / {\"any\": [...]}",
            );
            return Expr::everyone();
        };
        let group_key = ["all", "any"]
            .into_iter()
            .find(|key| map.contains_key(*key));
        match group_key {
            Some(key) => self.group(map, key, pointer, depth),
            None => self.condition(map, pointer),
        }
    }

    fn group(&mut self, map: &Map<String, Value>, key: &str, pointer: &str, depth: usize) -> Expr {
        if let Some(other) = map.keys().find(|other| other.as_str() != key) {
            self.fail(
                format!("{pointer}/{}", escape(other)),
                format!(
                    "a group has exactly one key, `all` or `any`; `{other}` does not belong here"
                ),
            );
        }
        let items_pointer = format!("{pointer}/{key}");
        if depth >= MAX_FILTER_DEPTH {
            self.fail(
                items_pointer,
                format!("groups nest at most {MAX_FILTER_DEPTH} deep"),
            );
            return Expr::everyone();
        }
        let Some(Value::Array(items)) = map.get(key) else {
            self.fail(items_pointer, format!("`{key}` takes a list of filters"));
            return Expr::everyone();
        };
        self.groups += 1;
        if self.groups == MAX_FILTER_GROUPS + 1 {
            self.fail(
                pointer,
                format!("a filter has at most {MAX_FILTER_GROUPS} groups"),
            );
        }
        if items.len() > MAX_FILTER_GROUP_ITEMS {
            self.fail(
                items_pointer,
                format!("a group holds at most {MAX_FILTER_GROUP_ITEMS} filters"),
            );
            return Expr::everyone();
        }
        let children = items
            .iter()
            .enumerate()
            .map(|(index, item)| self.node(item, &format!("{items_pointer}/{index}"), depth + 1))
            .collect();
        if key == "all" {
            Expr::All(children)
        } else {
            Expr::Any(children)
        }
    }

    fn condition(&mut self, map: &Map<String, Value>, pointer: &str) -> Expr {
        self.conditions += 1;
        if self.conditions == MAX_FILTER_CONDITIONS + 1 {
            self.fail(
                pointer,
                format!("a filter has at most {MAX_FILTER_CONDITIONS} conditions"),
            );
        }
        for key in map.keys() {
            if !matches!(key.as_str(), "column" | "function" | "value") {
                self.fail(
                    format!("{pointer}/{}", escape(key)),
                    format!(
                        "unknown field `{key}`; a condition has `column`, `function` and `value`"
                    ),
                );
            }
        }
        let column = match map.get("column") {
            Some(Value::String(key)) => match Column::resolve(key) {
                Ok(column) => Some(column),
                Err(message) => {
                    self.fail(format!("{pointer}/column"), message);
                    None
                }
            },
            Some(_) => {
                self.fail(format!("{pointer}/column"), "`column` is a string");
                None
            }
            None => {
                self.fail(pointer, "a condition needs a `column`");
                None
            }
        };
        let function = match map.get("function") {
            Some(Value::String(key)) => match FunctionKey::from_key(key) {
                Some(function) => Some(function),
                None => {
                    self.fail(
                        format!("{pointer}/function"),
                        format!("unknown function `{key}`"),
                    );
                    None
                }
            },
            Some(_) => {
                self.fail(format!("{pointer}/function"), "`function` is a string");
                None
            }
            None => {
                self.fail(pointer, "a condition needs a `function`");
                None
            }
        };
        let (Some(column), Some(function)) = (column, function) else {
            return Expr::everyone();
        };
        if !column.functions().contains(&function) {
            let allowed: Vec<&str> = column.functions().iter().map(|f| f.as_str()).collect();
            let column_key = map
                .get("column")
                .and_then(Value::as_str)
                .unwrap_or_default();
            self.fail(
                format!("{pointer}/function"),
                format!(
                    "`{}` does not apply to `{column_key}` ({}); it takes {}",
                    function.as_str(),
                    column.describe(),
                    allowed.join(", ")
                ),
            );
            return Expr::everyone();
        }
        let value_pointer = format!("{pointer}/value");
        let value = map.get("value").filter(|value| !value.is_null());
        match self.test(column, function, value, &value_pointer) {
            Some((negated, test)) => Expr::Condition(Condition { negated, test }),
            None => Expr::everyone(),
        }
    }

    /// The positive test and whether it is negated, for a function that fits the column.
    fn test(
        &mut self,
        column: Column,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<(bool, Test)> {
        use FunctionKey as F;
        let negated = matches!(
            function,
            F::NotEquals | F::NotContains | F::IsNotSet | F::IsNot | F::HasNot
        );
        let test = match column {
            Column::Text(field) => Test::Text {
                field,
                test: self.text_test(function, value, pointer)?,
            },
            Column::Attribute(key) => match function {
                F::GreaterThan | F::GreaterOrEqual | F::LessThan | F::LessOrEqual | F::Between => {
                    Test::AttributeNumber {
                        key,
                        test: self.number_test(function, value, pointer)?,
                    }
                }
                // With a JSON number, `equals` compares numerically: "0009" equals 9.
                F::Equals | F::NotEquals if value.is_some_and(Value::is_number) => {
                    Test::AttributeNumber {
                        key,
                        test: NumberTest::Compare(
                            CmpOp::Eq,
                            self.number(function, value, pointer)?,
                        ),
                    }
                }
                _ => Test::AttributeText {
                    key,
                    test: self.text_test(function, value, pointer)?,
                },
            },
            Column::Number(field) => Test::Number {
                field,
                test: self.number_test(function, value, pointer)?,
            },
            Column::Time(field) => Test::Time {
                field,
                test: self.time_test(function, value, pointer)?,
            },
            Column::Channel => Test::ChannelIn(match function {
                F::IsAnyOf => self.text_list(value, pointer)?,
                _ => vec![self.text(function, value, pointer)?],
            }),
            Column::Tags => match function {
                F::HasAnyOf => Test::HasAnyTag(self.text_list(value, pointer)?),
                F::HasAllOf => Test::HasAllTags(self.text_list(value, pointer)?),
                _ => Test::HasAnyTag(vec![self.text(function, value, pointer)?]),
            },
        };
        Some((negated, test))
    }

    fn text_test(
        &mut self,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<TextTest> {
        use FunctionKey as F;
        Some(match function {
            F::IsSet | F::IsNotSet => {
                self.no_value(function, value, pointer)?;
                TextTest::IsSet
            }
            F::Contains | F::NotContains => {
                TextTest::Contains(self.text(function, value, pointer)?)
            }
            F::StartsWith => TextTest::StartsWith(self.text(function, value, pointer)?),
            F::EndsWith => TextTest::EndsWith(self.text(function, value, pointer)?),
            _ => TextTest::Equals(self.text(function, value, pointer)?),
        })
    }

    fn number_test(
        &mut self,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<NumberTest> {
        use FunctionKey as F;
        let op = match function {
            F::IsSet | F::IsNotSet => {
                self.no_value(function, value, pointer)?;
                return Some(NumberTest::IsSet);
            }
            F::Between => {
                let (low, high) = self.pair(function, value, pointer, |parser, item, at| {
                    parser.number(F::Between, Some(item), at)
                })?;
                return Some(NumberTest::Between(low, high));
            }
            F::GreaterThan => CmpOp::Gt,
            F::GreaterOrEqual => CmpOp::Ge,
            F::LessThan => CmpOp::Lt,
            F::LessOrEqual => CmpOp::Le,
            _ => CmpOp::Eq,
        };
        Some(NumberTest::Compare(
            op,
            self.number(function, value, pointer)?,
        ))
    }

    fn time_test(
        &mut self,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<TimeTest> {
        use FunctionKey as F;
        Some(match function {
            F::IsSet | F::IsNotSet => {
                self.no_value(function, value, pointer)?;
                TimeTest::IsSet
            }
            F::Before => TimeTest::Before(self.time(function, value, pointer)?),
            F::After => TimeTest::After(self.time(function, value, pointer)?),
            F::Between => {
                let (start, end) = self.pair(function, value, pointer, |parser, item, at| {
                    parser.time(F::Between, Some(item), at)
                })?;
                TimeTest::Between(start, end)
            }
            F::WithinLast => TimeTest::WithinLast(self.relative(function, value, pointer)?),
            _ => TimeTest::MoreThanAgo(self.relative(function, value, pointer)?),
        })
    }

    fn no_value(
        &mut self,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<()> {
        if value.is_some() {
            self.fail(pointer, format!("`{}` takes no value", function.as_str()));
            return None;
        }
        Some(())
    }

    /// A non-empty text operand, folded.
    fn text(
        &mut self,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<String> {
        let Some(Value::String(raw)) = value else {
            self.fail(
                pointer,
                format!("`{}` needs a text value", function.as_str()),
            );
            return None;
        };
        if raw.chars().count() > MAX_FILTER_TEXT_CHARS {
            self.fail(
                pointer,
                format!("a text value is at most {MAX_FILTER_TEXT_CHARS} characters"),
            );
            return None;
        }
        if let Some(control) = text::forbidden_control(raw) {
            self.fail(
                pointer,
                format!(
                    "a filter value holds no control character but tab, line feed or carriage return; this one holds {}",
                    text::describe_control(control)
                ),
            );
            return None;
        }
        let folded = fold(raw);
        if folded.is_empty() {
            self.fail(
                pointer,
                format!("`{}` needs a non-empty value; use `is_set` or `is_not_set` to test for a value", function.as_str()),
            );
            return None;
        }
        Some(folded)
    }

    fn text_list(&mut self, value: Option<&Value>, pointer: &str) -> Option<Vec<String>> {
        let Some(Value::Array(items)) = value else {
            self.fail(pointer, "this function takes a list of text values");
            return None;
        };
        if items.is_empty() || items.len() > MAX_FILTER_LIST_ITEMS {
            self.fail(
                pointer,
                format!("the list holds 1 to {MAX_FILTER_LIST_ITEMS} values"),
            );
            return None;
        }
        let mut folded = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            folded.push(self.text(
                FunctionKey::IsAnyOf,
                Some(item),
                &format!("{pointer}/{index}"),
            ));
        }
        folded.into_iter().collect()
    }

    fn number(
        &mut self,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<f64> {
        match value
            .and_then(Value::as_f64)
            .filter(|number| number.is_finite())
        {
            Some(number) => Some(number),
            None => {
                self.fail(pointer, format!("`{}` needs a number", function.as_str()));
                None
            }
        }
    }

    fn time(
        &mut self,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<Micros> {
        match value.and_then(Value::as_str).and_then(time::parse_rfc3339) {
            Some(micros) => Some(micros),
            None => {
                self.fail(
                    pointer,
                    format!(
                        "`{}` needs an RFC 3339 time such as \"2026-11-01T10:00:00Z\"",
                        function.as_str()
                    ),
                );
                None
            }
        }
    }

    fn relative(
        &mut self,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
    ) -> Option<Micros> {
        // An object only: serde would also fill `RelativeTime` from `[7, "days"]`.
        let parsed = value
            .filter(|value| value.is_object())
            .and_then(|value| serde_json::from_value::<RelativeTime>(value.clone()).ok());
        let span = parsed
            .filter(|relative| relative.amount >= 1)
            .and_then(|relative| i64::from(relative.amount).checked_mul(relative.unit.micros()))
            .filter(|span| *span <= MAX_RELATIVE_MICROS);
        if span.is_none() {
            self.fail(
                pointer,
                format!(
                    "`{}` needs {{\"amount\": N, \"unit\": \"minutes\" | \"hours\" | \"days\"}} with N of 1 or more, up to about 200 years",
                    function.as_str()
                ),
            );
        }
        span
    }

    /// A `[low, high]` pair with `low <= high`, each item read by `item`.
    fn pair<T: PartialOrd + Copy>(
        &mut self,
        function: FunctionKey,
        value: Option<&Value>,
        pointer: &str,
        item: impl Fn(&mut Self, &Value, &str) -> Option<T>,
    ) -> Option<(T, T)> {
        let Some(Value::Array(items)) =
            value.filter(|value| value.as_array().is_some_and(|items| items.len() == 2))
        else {
            self.fail(
                pointer,
                format!("`{}` needs [low, high]", function.as_str()),
            );
            return None;
        };
        let low = item(self, &items[0], &format!("{pointer}/0"));
        let high = item(self, &items[1], &format!("{pointer}/1"));
        let (low, high) = (low?, high?);
        if low > high {
            self.fail(pointer, "the low end of `between` is above the high end");
            return None;
        }
        Some((low, high))
    }
}

/// Escapes a key for use in a JSON Pointer (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
