//! Reading a JSON request body strictly, for every endpoint at once:
//! - the body is a JSON object (serde would fill a struct from an array by position, so
//!   `["Mallory", "X", "m@evil.example"]` would rewrite a user);
//! - no string or object key holds NUL or another control character no field may hold
//!   (`cohort_core::text::is_forbidden_control`), and no object repeats a key;
//! - a number with a zero fraction (`235.0`) is an integer, as JSON Schema reads it;
//! - every nested struct is an object too: the body is deserialised from a [`Strict`]
//!   view of the parsed value, which refuses arrays wherever a struct or map is asked for.
//!
//! Every problem is reported with the JSON Pointer of the value at fault.

use std::cell::RefCell;
use std::fmt;

use cohort_core::api::FieldError;
use cohort_core::text;
use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, Visitor,
};
use serde_json::{Map, Number, Value};

/// At most this many problems are reported for one body.
const MAX_REPORTED: usize = 20;

/// A body that failed: what to say, and where.
#[derive(Debug)]
pub(crate) struct BodyProblems {
    /// One problem per offending value, first one first.
    pub errors: Vec<FieldError>,
}

/// Parses `bytes` as a JSON object and deserialises `T` from it strictly (see the module
/// documentation).
pub(crate) fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyProblems> {
    let value = parse_checked(bytes)?;
    if !value.is_object() {
        return Err(BodyProblems {
            errors: vec![FieldError::new(
                "",
                format!(
                    "the request body must be a JSON object, not {}",
                    describe(&value)
                ),
            )],
        });
    }
    from_value(&value)
}

/// Deserialises `T` from an already checked value, refusing arrays for structs and maps.
pub(crate) fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, BodyProblems> {
    serde_path_to_error::deserialize(Strict(value)).map_err(|error| {
        let pointer = pointer_of(error.path());
        BodyProblems {
            errors: vec![plain(pointer, error.into_inner().to_string())],
        }
    })
}

/// serde's message for a value that does not fit, in an integrator's words: a missing or
/// repeated field points at that field (serde's path ends at the object that holds it; an
/// unknown field's path already names it), and Rust's integer types read as what they
/// mean. For bodies and query strings alike.
pub(crate) fn plain(pointer: String, message: String) -> FieldError {
    let field = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once('`'))
            .map(|(field, _)| (format!("{pointer}/{}", escape_pointer(field)), field))
    };
    if let Some((at, name)) = field("missing field `") {
        return FieldError::new(at, format!("`{name}` is required"));
    }
    if let Some((at, name)) = field("duplicate field `") {
        return FieldError::new(at, format!("`{name}` is given more than once"));
    }
    let mut message = message;
    for (rust, meant) in [
        // Query strings' numbers, read by `str::parse`.
        ("invalid digit found in string", "expected digits only"),
        (
            "number too large to fit in target type",
            "too large a number",
        ),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected f64", "expected a number"),
    ] {
        message = message.replace(rust, meant);
    }
    FieldError::new(pointer, message)
}

/// Parses JSON text into a value, collecting every string or key with a forbidden control
/// character and every repeated key.
fn parse_checked(bytes: &[u8]) -> Result<Value, BodyProblems> {
    let problems = RefCell::new(Vec::new());
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = CheckedSeed {
        pointer: String::new(),
        problems: &problems,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    let value = parsed.map_err(|error| {
        let message = if bytes.iter().all(u8::is_ascii_whitespace) {
            "the request body is empty; send a JSON object".to_owned()
        } else {
            format!("the body is not valid JSON: {error}")
        };
        BodyProblems {
            errors: vec![FieldError::new("", message)],
        }
    })?;
    let errors = problems.into_inner();
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(BodyProblems { errors })
    }
}

/// "an array", "a string", … for error messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Escapes a key for a JSON Pointer (RFC 6901).
pub(crate) fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A JSON Pointer for a serde path.
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push('/');
                pointer.push_str(&escape_pointer(key));
            }
            Segment::Unknown => {}
        }
    }
    pointer
}

/// Builds a `Value` while checking strings and keys; `pointer` is where it sits.
struct CheckedSeed<'p> {
    pointer: String,
    problems: &'p RefCell<Vec<FieldError>>,
}

impl CheckedSeed<'_> {
    fn report(&self, pointer: String, message: String) {
        let mut problems = self.problems.borrow_mut();
        if problems.len() < MAX_REPORTED {
            problems.push(FieldError::new(pointer, message));
        }
    }

    fn check_text(&self, pointer: &str, text: &str, what: &str) {
        if let Some(control) = text::forbidden_control(text) {
            self.report(
                pointer.to_owned(),
                format!(
                    "{what} holds the control character {}, which no field accepts",
                    text::describe_control(control)
                ),
            );
        }
    }

    fn child(&self, pointer: String) -> CheckedSeed<'_> {
        CheckedSeed {
            pointer,
            problems: self.problems,
        }
    }
}

impl<'de> DeserializeSeed<'de> for CheckedSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CheckedSeed<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        // JSON has one number type: `235.0` is the integer 235 (as JSON Schema reads it), so
        // a count, a page size or an amount written that way is taken as one. Up to 2^53,
        // where every integer is exact.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if value.fract() == 0.0 && value.abs() <= EXACT {
            #[allow(clippy::cast_possible_truncation)]
            return Ok(Value::Number((value as i64).into()));
        }
        Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number is not finite"))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        self.check_text(&self.pointer, value, "the text");
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        self.check_text(&self.pointer, &value, "the text");
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) =
            seq.next_element_seed(self.child(format!("{}/{}", self.pointer, items.len())))?
        {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let pointer = format!("{}/{}", self.pointer, escape_pointer(&key));
            self.check_text(&pointer, &key, "the key");
            let value = map.next_value_seed(self.child(pointer.clone()))?;
            if object.insert(key, value).is_some() {
                self.report(pointer, "this key appears twice in one object".to_owned());
            }
        }
        Ok(Value::Object(object))
    }
}

/// A deserialiser over a parsed value that, unlike `serde_json::Value`'s own, refuses an
/// array where a struct or map is asked for (serde's derived structs accept both).
#[derive(Clone, Copy)]
pub(crate) struct Strict<'a>(pub &'a Value);

impl<'de> IntoDeserializer<'de, serde_json::Error> for Strict<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl Strict<'_> {
    fn unexpected(&self) -> Unexpected<'_> {
        match self.0 {
            Value::Null => Unexpected::Unit,
            Value::Bool(value) => Unexpected::Bool(*value),
            Value::Number(number) => match (number.as_u64(), number.as_i64(), number.as_f64()) {
                (Some(value), _, _) => Unexpected::Unsigned(value),
                (None, Some(value), _) => Unexpected::Signed(value),
                (None, None, Some(value)) => Unexpected::Float(value),
                (None, None, None) => Unexpected::Other("number"),
            },
            Value::String(text) => Unexpected::Str(text),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
        }
    }

    fn object<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            Value::Object(_) => self.deserialize_any(visitor),
            _ => Err(de::Error::invalid_type(self.unexpected(), &"a JSON object")),
        }
    }
}

impl<'de> Deserializer<'de> for Strict<'_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(value) => visitor.visit_bool(*value),
            Value::Number(number) => {
                if let Some(value) = number.as_u64() {
                    visitor.visit_u64(value)
                } else if let Some(value) = number.as_i64() {
                    visitor.visit_i64(value)
                } else if let Some(value) = number.as_f64() {
                    visitor.visit_f64(value)
                } else {
                    Err(de::Error::custom("a number out of range"))
                }
            }
            Value::String(text) => visitor.visit_str(text),
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(Strict));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Object(entries) => {
                let mut map = MapDeserializer::new(
                    entries
                        .iter()
                        .map(|(key, value)| (key.as_str(), Strict(value))),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.object(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.object(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::String(variant) => visitor.visit_enum(
                IntoDeserializer::<serde_json::Error>::into_deserializer(variant.as_str()),
            ),
            Value::Object(entries) if entries.len() == 1 => {
                visitor.visit_enum(de::value::MapAccessDeserializer::new(MapDeserializer::new(
                    entries
                        .iter()
                        .map(|(key, value)| (key.as_str(), Strict(value))),
                )))
            }
            _ => Err(de::Error::invalid_type(
                self.unexpected(),
                &"a string, or an object with one key",
            )),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        a: String,
        #[serde(default)]
        b: Option<u64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        inner: Inner,
        #[serde(default)]
        list: Vec<Inner>,
        #[serde(default)]
        free: Option<Value>,
    }

    fn pointers<T: DeserializeOwned + fmt::Debug>(body: &str) -> Vec<String> {
        match from_slice::<T>(body.as_bytes()) {
            Ok(value) => panic!("accepted {body}: {value:?}"),
            Err(problems) => problems.errors.into_iter().map(|e| e.pointer).collect(),
        }
    }

    #[test]
    fn objects_are_read_as_before() {
        let outer: Result<Outer, _> = from_slice(
            br#"{"inner": {"a": "x", "b": 3}, "list": [{"a": "y"}], "free": [1, {"k": null}]}"#,
        );
        assert!(outer.is_ok_and(|outer| outer.inner.b == Some(3) && outer.list.len() == 1));
    }

    #[test]
    fn a_number_with_a_zero_fraction_is_an_integer() {
        let outer: Result<Outer, _> = from_slice(br#"{"inner": {"a": "x", "b": 235.0}}"#);
        assert!(outer.is_ok_and(|outer| outer.inner.b == Some(235)));
        assert_eq!(
            pointers::<Outer>(r#"{"inner": {"a": "x", "b": 2.5}}"#),
            ["/inner/b"]
        );
        let free: Result<Outer, _> =
            from_slice(br#"{"inner": {"a": "x"}, "free": [-0.0, 1e2, 0.25, 1e300]}"#);
        assert!(
            free.is_ok_and(|outer| {
                outer.free == Some(serde_json::json!([0, 100, 0.25, 1e300]))
            })
        );
    }

    #[test]
    fn arrays_never_fill_a_struct_or_map() {
        assert_eq!(pointers::<Outer>(r#"[{"a": "x"}]"#), [""]);
        assert_eq!(pointers::<Outer>(r#""text""#), [""]);
        assert_eq!(pointers::<Outer>(r#"{"inner": ["x", 3]}"#), ["/inner"]);
        assert_eq!(
            pointers::<Outer>(r#"{"inner": {"a": "x"}, "list": [["y"]]}"#),
            ["/list/0"]
        );
        assert_eq!(
            pointers::<std::collections::BTreeMap<String, String>>(r#"{"m": ["a"]}"#),
            ["/m"]
        );
    }

    #[test]
    fn control_characters_and_repeated_keys_point_at_the_value() {
        assert_eq!(
            pointers::<Outer>(
                r#"{"inner": {"a": "x\u0000"}, "free": {"k\u0001": 1, "ok": ["\u009f"]}}"#
            ),
            ["/inner/a", "/free/k\u{1}", "/free/ok/0"]
        );
        assert_eq!(
            pointers::<Outer>(r#"{"inner": {"a": "x", "a": "y"}}"#),
            ["/inner/a"]
        );
        let multi_line: Result<Outer, _> = from_slice(br#"{"inner": {"a": "line\r\nnext\tcell"}}"#);
        assert!(multi_line.is_ok());
    }

    #[test]
    fn a_missing_or_unknown_field_points_at_that_field() {
        let problems = |body: &str| match from_slice::<Outer>(body.as_bytes()) {
            Ok(value) => panic!("accepted {body}: {value:?}"),
            Err(problems) => problems
                .errors
                .into_iter()
                .map(|e| (e.pointer, e.message))
                .collect::<Vec<_>>(),
        };
        assert_eq!(
            problems(r#"{}"#),
            [("/inner".to_owned(), "`inner` is required".to_owned())]
        );
        assert_eq!(
            problems(r#"{"inner": {"b": 1}}"#),
            [("/inner/a".to_owned(), "`a` is required".to_owned())]
        );
        let unknown = problems(r#"{"inner": {"a": "x", "c/d": 1}}"#);
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].0, "/inner/c~1d");
        assert!(
            unknown[0].1.starts_with("unknown field `c/d`"),
            "{unknown:?}"
        );
        let negative = problems(r#"{"inner": {"a": "x", "b": -1}}"#);
        assert_eq!(negative[0].0, "/inner/b");
        assert!(
            negative[0]
                .1
                .ends_with("expected a whole number, 0 or more"),
            "{negative:?}"
        );
    }

    #[test]
    fn syntax_errors_and_empty_bodies_point_at_the_root() {
        assert_eq!(pointers::<Outer>("{\"inner\":"), [""]);
        assert_eq!(pointers::<Outer>("  "), [""]);
        assert_eq!(pointers::<Outer>("{} {}"), [""]);
    }
}
