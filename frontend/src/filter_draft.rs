//! The filter builder's state: a tree of groups and rows (Column · Function · Value) that an
//! admin edits, turned into the API's filter JSON and back. Rows are checked with the
//! core's own filter parser, so a wrong row is marked with the API's message before Apply,
//! and the API's error pointers after Apply land on the same rows.
//!
//! Plain data with no web APIs: every rule here is unit-tested natively.

use chrono::{DateTime, NaiveDateTime, TimeZone};
use cohort_core::api::{Columns, FieldError};
use cohort_core::filter::{ColumnType, FunctionKey, TimeUnit};
use serde_json::{Map, Number, Value, json};

/// Identifies a row or group within one draft, for keyed rendering and edits.
pub type NodeId = u32;

/// How a group's members combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combinator {
    /// Every member must match (`{"all": [...]}`).
    All,
    /// One member must match (`{"any": [...]}`).
    Any,
}

impl Combinator {
    /// The JSON key of the group.
    pub fn key(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Any => "any",
        }
    }

    /// The word between members on screen.
    pub fn word(self) -> &'static str {
        match self {
            Self::All => "AND",
            Self::Any => "OR",
        }
    }
}

/// A group of rows and nested groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: NodeId,
    pub combinator: Combinator,
    pub members: Vec<Node>,
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Row(Row),
    Group(Group),
}

impl Node {
    /// The row's or group's id.
    pub fn id(&self) -> NodeId {
        match self {
            Self::Row(row) => row.id,
            Self::Group(group) => group.id,
        }
    }
}

/// One condition being written: the column key (empty until chosen), the function and the
/// value as the inputs hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: NodeId,
    pub column: String,
    pub function: Option<FunctionKey>,
    pub value: ValueDraft,
}

/// What a row's value inputs hold, as typed. Which parts count depends on `ValueKind`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueDraft {
    /// The one text input: text, a number, a local date-time (`2026-11-30T09:30`), a
    /// channel, a tag, or the amount of a relative time.
    pub first: String,
    /// The upper end of `between`.
    pub second: String,
    /// The values of `is any of`, `has any of` and `has all of`.
    pub items: Vec<String>,
    /// The unit of `within the last` and `more than … ago`.
    pub unit: TimeUnit,
}

impl Default for ValueDraft {
    fn default() -> Self {
        Self {
            first: String::new(),
            second: String::new(),
            items: Vec::new(),
            unit: TimeUnit::Days,
        }
    }
}

/// The input a row's value needs, from its column type and function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `is set` / `is not set`: no value.
    None,
    Text,
    Number,
    NumberRange,
    /// A number of seconds, typed as seconds or as hours, minutes and seconds ("1h 30m").
    Duration,
    DurationRange,
    DateTime,
    DateTimeRange,
    /// An amount and a unit.
    Relative,
    Channel,
    ChannelList,
    Tag,
    TagList,
}

/// Where a column is offered in the Column menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnGroup {
    /// "Profile filters": profile fields and stats.
    Profile,
    /// "Attribute filters": the bot's attribute keys.
    Attribute,
}

/// A column the builder offers, from `GET /columns`.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    /// `first_name`, `attributes.plan`.
    pub key: String,
    /// "First Name", or the attribute's own key.
    pub label: String,
    /// The column's type; attributes are `Text` (number functions still apply).
    pub column_type: ColumnType,
    /// The functions it takes, in the API's order.
    pub functions: Vec<FunctionKey>,
    pub group: ColumnGroup,
}

/// The columns of one bot, in menu order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalogue {
    pub columns: Vec<ColumnInfo>,
}

impl Catalogue {
    /// The catalogue the API sent; unknown type names are read as text.
    pub fn from_api(columns: &Columns) -> Self {
        let profile = columns.profile.iter().map(|column| ColumnInfo {
            key: column.key.clone(),
            label: column.label.clone(),
            column_type: column_type(&column.column_type),
            functions: column.functions.clone(),
            group: ColumnGroup::Profile,
        });
        let attributes = columns.attributes.iter().map(|column| ColumnInfo {
            key: column.key.clone(),
            label: column
                .key
                .strip_prefix("attributes.")
                .unwrap_or(&column.key)
                .to_owned(),
            column_type: ColumnType::Text,
            functions: column.functions.clone(),
            group: ColumnGroup::Attribute,
        });
        Self {
            columns: profile.chain(attributes).collect(),
        }
    }

    /// The column with `key`. An attribute key not (or no longer) in use still gets the
    /// attribute functions, so a shared link keeps working.
    pub fn get(&self, key: &str) -> Option<ColumnInfo> {
        if let Some(column) = self.columns.iter().find(|column| column.key == key) {
            return Some(column.clone());
        }
        // Before `GET /columns` answers, the core's own catalogue stands in.
        if let Some(column) = cohort_core::filter::PROFILE_COLUMNS
            .iter()
            .find(|column| column.key == key)
        {
            return Some(ColumnInfo {
                key: key.to_owned(),
                label: column.label.to_owned(),
                column_type: column.column_type,
                functions: column.column_type.functions().to_vec(),
                group: ColumnGroup::Profile,
            });
        }
        let name = key.strip_prefix("attributes.")?;
        Some(ColumnInfo {
            key: key.to_owned(),
            label: name.to_owned(),
            column_type: ColumnType::Text,
            functions: cohort_core::filter::attribute_functions().to_vec(),
            group: ColumnGroup::Attribute,
        })
    }

    /// The words for `key` on screen: its label, or the key itself.
    pub fn label(&self, key: &str) -> String {
        self.get(key)
            .map(|column| column.label)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The columns of one menu group whose label or key contains `search` (any case).
    pub fn matching(&self, group: ColumnGroup, search: &str) -> Vec<ColumnInfo> {
        let search = search.trim().to_lowercase();
        self.columns
            .iter()
            .filter(|column| column.group == group)
            .filter(|column| {
                search.is_empty()
                    || column.label.to_lowercase().contains(&search)
                    || column.key.to_lowercase().contains(&search)
            })
            .cloned()
            .collect()
    }
}

/// The type of column `key` in the core's catalogue; attributes are text columns.
fn column_type_of(key: &str) -> Option<ColumnType> {
    if key.starts_with("attributes.") {
        return Some(ColumnType::Text);
    }
    cohort_core::filter::PROFILE_COLUMNS
        .iter()
        .find(|column| column.key == key)
        .map(|column| column.column_type)
}

fn column_type(name: &str) -> ColumnType {
    match name {
        "number" => ColumnType::Number,
        "datetime" => ColumnType::DateTime,
        "channel" => ColumnType::Channel,
        "tags" => ColumnType::Tags,
        _ => ColumnType::Text,
    }
}

/// The number columns whose values are seconds, typed and shown as durations.
const DURATION_COLUMNS: [&str; 1] = ["time_spent_secs"];

/// The value input that `function` needs on `column`, of `column_type` (attributes are
/// text columns whose number functions take numbers; a duration column's numbers are
/// durations).
pub fn value_kind(column: &str, column_type: ColumnType, function: FunctionKey) -> ValueKind {
    let kind = number_or_other_kind(column_type, function);
    match kind {
        ValueKind::Number if DURATION_COLUMNS.contains(&column) => ValueKind::Duration,
        ValueKind::NumberRange if DURATION_COLUMNS.contains(&column) => ValueKind::DurationRange,
        kind => kind,
    }
}

fn number_or_other_kind(column_type: ColumnType, function: FunctionKey) -> ValueKind {
    use FunctionKey::*;
    match (column_type, function) {
        (_, IsSet | IsNotSet) => ValueKind::None,
        (_, GreaterThan | GreaterOrEqual | LessThan | LessOrEqual) => ValueKind::Number,
        (ColumnType::Number, Equals | NotEquals) => ValueKind::Number,
        (ColumnType::DateTime, Between) => ValueKind::DateTimeRange,
        (_, Between) => ValueKind::NumberRange,
        (_, Before | After) => ValueKind::DateTime,
        (_, WithinLast | MoreThanAgo) => ValueKind::Relative,
        (_, Is | IsNot) => ValueKind::Channel,
        (_, IsAnyOf) => ValueKind::ChannelList,
        (_, Has | HasNot) => ValueKind::Tag,
        (_, HasAnyOf | HasAllOf) => ValueKind::TagList,
        _ => ValueKind::Text,
    }
}

/// A problem with one row (or, with `row: None`, with the filter as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: Option<NodeId>,
    pub message: String,
}

/// The whole filter being edited: a root group, AND by default.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterDraft {
    pub root: Group,
    next_id: NodeId,
}

impl Default for FilterDraft {
    fn default() -> Self {
        Self {
            root: Group {
                id: 0,
                combinator: Combinator::All,
                members: Vec::new(),
            },
            next_id: 1,
        }
    }
}

impl FilterDraft {
    /// Whether the draft has no rows at all.
    pub fn is_empty(&self) -> bool {
        count_rows(&self.root) == 0
    }

    fn fresh_id(&mut self) -> NodeId {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn empty_row(&mut self) -> Row {
        Row {
            id: self.fresh_id(),
            column: String::new(),
            function: None,
            value: ValueDraft::default(),
        }
    }

    /// Adds an empty row at the end of group `group` and returns its id.
    pub fn add_row(&mut self, group: NodeId) -> Option<NodeId> {
        let row = self.empty_row();
        let id = row.id;
        self.group_mut(group)?.members.push(Node::Row(row));
        Some(id)
    }

    /// Adds a nested group holding one empty row at the end of group `parent`. A nested
    /// group starts with the other combinator than its parent, which is why one nests.
    pub fn add_group(&mut self, parent: NodeId) -> Option<NodeId> {
        let combinator = match self.group(parent)?.combinator {
            Combinator::All => Combinator::Any,
            Combinator::Any => Combinator::All,
        };
        let row = self.empty_row();
        let group = Group {
            id: self.fresh_id(),
            combinator,
            members: vec![Node::Row(row)],
        };
        let id = group.id;
        self.group_mut(parent)?.members.push(Node::Group(group));
        Some(id)
    }

    /// Removes the row or group `id` (the root: everything); a nested group left empty goes
    /// too.
    pub fn remove(&mut self, id: NodeId) {
        if id == self.root.id {
            self.root.members.clear();
        } else {
            remove_from(&mut self.root, id);
        }
    }

    /// Sets how group `group` combines its members.
    pub fn set_combinator(&mut self, group: NodeId, combinator: Combinator) {
        if let Some(group) = self.group_mut(group) {
            group.combinator = combinator;
        }
    }

    /// Chooses row `row`'s column. The function stays if the new column takes it, else
    /// becomes the column's first; the value stays if it still fits.
    pub fn set_column(&mut self, catalogue: &Catalogue, row: NodeId, key: &str) {
        let Some(row) = self.row_mut(row) else { return };
        let before = row.kind(catalogue);
        row.column = key.to_owned();
        let functions = catalogue
            .get(key)
            .map(|column| column.functions)
            .unwrap_or_default();
        if !row
            .function
            .is_some_and(|function| functions.contains(&function))
        {
            row.function = functions.first().copied();
        }
        if row.kind(catalogue) != before {
            row.value = ValueDraft::default();
        }
    }

    /// Chooses row `row`'s function; the value stays if its input does not change.
    pub fn set_function(&mut self, catalogue: &Catalogue, row: NodeId, function: FunctionKey) {
        let Some(row) = self.row_mut(row) else { return };
        let before = row.kind(catalogue);
        row.function = Some(function);
        if row.kind(catalogue) != before {
            row.value = ValueDraft::default();
        }
    }

    /// Changes row `row`'s value inputs with `edit`.
    pub fn edit_value(&mut self, row: NodeId, edit: impl FnOnce(&mut ValueDraft)) {
        if let Some(row) = self.row_mut(row) {
            edit(&mut row.value);
        }
    }

    /// The first row, in reading order.
    pub fn first_row(&self) -> Option<NodeId> {
        fn first(group: &Group) -> Option<NodeId> {
            group.members.iter().find_map(|node| match node {
                Node::Row(row) => Some(row.id),
                Node::Group(inner) => first(inner),
            })
        }
        first(&self.root)
    }

    /// The row with `id`.
    pub fn row(&self, id: NodeId) -> Option<&Row> {
        find_row(&self.root, id)
    }

    /// The group with `id`.
    pub fn group(&self, id: NodeId) -> Option<&Group> {
        find_group(&self.root, id)
    }

    fn row_mut(&mut self, id: NodeId) -> Option<&mut Row> {
        find_row_mut(&mut self.root, id)
    }

    fn group_mut(&mut self, id: NodeId) -> Option<&mut Group> {
        find_group_mut(&mut self.root, id)
    }

    /// The filter JSON the API takes, or every row's problems. No rows is no filter
    /// (`Ok(None)`); a root of one condition is written as the bare condition. Rows are
    /// checked here (a value must be given, numbers must parse) and then by the core's
    /// parser, exactly as the API will check them. Times picked in the inputs are read in
    /// `zone`, the admin's time zone.
    pub fn to_filter<Tz: TimeZone>(&self, zone: &Tz) -> Result<Option<Value>, Vec<RowError>> {
        if self.is_empty() {
            return Ok(None);
        }
        let mut writer = Writer {
            zone,
            pointers: Vec::new(),
            errors: Vec::new(),
        };
        let value = match self.root.members.as_slice() {
            [Node::Row(row)] => writer.row(row, String::new()),
            _ => writer.group(&self.root, String::new()),
        };
        if !writer.errors.is_empty() {
            return Err(writer.errors);
        }
        match cohort_core::filter::parse(&value, "") {
            Ok(_) => Ok(Some(value)),
            Err(errors) => Err(locate(&writer.pointers, &errors, "")),
        }
    }

    /// The API's field errors for a filter sent at `prefix` (`/filter`), placed on rows of
    /// this draft (which must be the one the filter was written from).
    pub fn locate_errors<Tz: TimeZone>(
        &self,
        zone: &Tz,
        errors: &[FieldError],
        prefix: &str,
    ) -> Vec<RowError> {
        let mut writer = Writer {
            zone,
            pointers: Vec::new(),
            errors: Vec::new(),
        };
        match self.root.members.as_slice() {
            [Node::Row(row)] => writer.row(row, String::new()),
            _ => writer.group(&self.root, String::new()),
        };
        locate(&writer.pointers, errors, prefix)
    }

    /// A draft of `filter` (the API's JSON), with times shown in `zone`. The filter must
    /// already be valid (checked with `cohort_core::filter::parse`); a shape the builder
    /// cannot show is an error that says so.
    pub fn from_filter<Tz: TimeZone>(
        filter: &Value,
        catalogue: &Catalogue,
        zone: &Tz,
    ) -> Result<Self, String>
    where
        Tz::Offset: std::fmt::Display,
    {
        let mut draft = Self::default();
        let Value::Object(map) = filter else {
            return Err("a filter is an object".to_owned());
        };
        if map.contains_key("column") {
            let row = draft.read_row(map, catalogue, zone)?;
            draft.root.members.push(Node::Row(row));
        } else {
            let group = draft.read_group(map, catalogue, zone)?;
            draft.root.combinator = group.combinator;
            draft.root.members = group.members;
        }
        Ok(draft)
    }

    fn read_group<Tz: TimeZone>(
        &mut self,
        map: &Map<String, Value>,
        catalogue: &Catalogue,
        zone: &Tz,
    ) -> Result<Group, String>
    where
        Tz::Offset: std::fmt::Display,
    {
        let (combinator, members) = match (map.get("all"), map.get("any")) {
            (Some(Value::Array(members)), None) => (Combinator::All, members),
            (None, Some(Value::Array(members))) => (Combinator::Any, members),
            _ => return Err("a group is {\"all\": [...]} or {\"any\": [...]}".to_owned()),
        };
        let mut group = Group {
            id: self.fresh_id(),
            combinator,
            members: Vec::new(),
        };
        for member in members {
            let Value::Object(member) = member else {
                return Err("a group holds conditions and groups".to_owned());
            };
            let node = if member.contains_key("column") {
                Node::Row(self.read_row(member, catalogue, zone)?)
            } else {
                Node::Group(self.read_group(member, catalogue, zone)?)
            };
            group.members.push(node);
        }
        Ok(group)
    }

    fn read_row<Tz: TimeZone>(
        &mut self,
        map: &Map<String, Value>,
        catalogue: &Catalogue,
        zone: &Tz,
    ) -> Result<Row, String>
    where
        Tz::Offset: std::fmt::Display,
    {
        let column = map
            .get("column")
            .and_then(Value::as_str)
            .ok_or("a condition names its column")?;
        let info = catalogue
            .get(column)
            .ok_or_else(|| format!("unknown column `{column}`"))?;
        let function = map
            .get("function")
            .and_then(Value::as_str)
            .and_then(FunctionKey::from_key)
            .ok_or("a condition names a known function")?;
        let kind = value_kind(column, info.column_type, function);
        let value = read_value(kind, map.get("value"), zone)
            .ok_or_else(|| format!("the value of `{column}` does not fit its function"))?;
        Ok(Row {
            id: self.fresh_id(),
            column: column.to_owned(),
            function: Some(function),
            value,
        })
    }
}

impl Row {
    /// The value input this row needs now; `None` until column and function are chosen.
    pub fn kind(&self, catalogue: &Catalogue) -> Option<ValueKind> {
        let column = catalogue.get(&self.column)?;
        Some(value_kind(&self.column, column.column_type, self.function?))
    }
}

/// What the filter says, for the filter bar's chips: `(id, words)`, one chip per member of
/// an AND root ("Channel is Telegram", "Sessions > 3"), and one chip holding its parts for
/// an OR group, the root included ("Average Sentiment < -0.05 or Tags has vip").
pub fn chips(draft: &FilterDraft, catalogue: &Catalogue) -> Vec<(NodeId, String)> {
    let root = &draft.root;
    if root.combinator == Combinator::Any && root.members.len() > 1 {
        return vec![(root.id, describe_group(root, catalogue, false))];
    }
    root.members
        .iter()
        .map(|node| (node.id(), describe(node, catalogue, false)))
        .collect()
}

fn describe(node: &Node, catalogue: &Catalogue, nested: bool) -> String {
    match node {
        Node::Row(row) => describe_row(row, catalogue),
        Node::Group(group) => describe_group(group, catalogue, nested),
    }
}

fn describe_group(group: &Group, catalogue: &Catalogue, nested: bool) -> String {
    let joiner = match group.combinator {
        Combinator::All => " and ",
        Combinator::Any => " or ",
    };
    let words = group
        .members
        .iter()
        .map(|member| describe(member, catalogue, true))
        .collect::<Vec<_>>()
        .join(joiner);
    if nested { format!("({words})") } else { words }
}

fn describe_row(row: &Row, catalogue: &Catalogue) -> String {
    let label = catalogue.label(&row.column);
    let Some(function) = row.function else {
        return label;
    };
    let value = &row.value;
    let shown = |text: &str| match row.kind(catalogue) {
        Some(ValueKind::Channel | ValueKind::ChannelList) => crate::display::channel_name(text),
        Some(ValueKind::DateTime | ValueKind::DateTimeRange) => text.replacen('T', " ", 1),
        Some(ValueKind::Text) => format!("\"{}\"", text.trim()),
        Some(ValueKind::Duration | ValueKind::DurationRange) => duration(text.trim())
            .ok()
            .and_then(|seconds| seconds.as_i64())
            .map_or_else(|| text.trim().to_owned(), duration_text),
        _ => text.trim().to_owned(),
    };
    let words = match row.kind(catalogue) {
        None | Some(ValueKind::None) => String::new(),
        Some(ValueKind::NumberRange | ValueKind::DurationRange | ValueKind::DateTimeRange) => {
            format!("{} and {}", shown(&value.first), shown(&value.second))
        }
        Some(ValueKind::Relative) => {
            format!("{} {}", value.first.trim(), unit_key(value.unit))
        }
        Some(ValueKind::ChannelList | ValueKind::TagList) => value
            .items
            .iter()
            .map(|item| shown(item))
            .collect::<Vec<_>>()
            .join(", "),
        Some(_) => shown(&value.first),
    };
    let function = match function {
        FunctionKey::MoreThanAgo => "more than",
        other => other.label(),
    };
    let mut text = format!("{label} {function}");
    if !words.is_empty() {
        text.push(' ');
        text.push_str(&words);
    }
    if row.function == Some(FunctionKey::MoreThanAgo) {
        text.push_str(" ago");
    }
    text
}

fn count_rows(group: &Group) -> usize {
    group
        .members
        .iter()
        .map(|node| match node {
            Node::Row(_) => 1,
            Node::Group(group) => count_rows(group),
        })
        .sum()
}

fn remove_from(group: &mut Group, id: NodeId) {
    group.members.retain(|node| node.id() != id);
    for node in &mut group.members {
        if let Node::Group(inner) = node {
            remove_from(inner, id);
        }
    }
    group
        .members
        .retain(|node| !matches!(node, Node::Group(inner) if inner.members.is_empty()));
}

fn find_row(group: &Group, id: NodeId) -> Option<&Row> {
    group.members.iter().find_map(|node| match node {
        Node::Row(row) if row.id == id => Some(row),
        Node::Row(_) => None,
        Node::Group(inner) => find_row(inner, id),
    })
}

fn find_row_mut(group: &mut Group, id: NodeId) -> Option<&mut Row> {
    group.members.iter_mut().find_map(|node| match node {
        Node::Row(row) if row.id == id => Some(row),
        Node::Row(_) => None,
        Node::Group(inner) => find_row_mut(inner, id),
    })
}

fn find_group(group: &Group, id: NodeId) -> Option<&Group> {
    if group.id == id {
        return Some(group);
    }
    group.members.iter().find_map(|node| match node {
        Node::Group(inner) => find_group(inner, id),
        Node::Row(_) => None,
    })
}

fn find_group_mut(group: &mut Group, id: NodeId) -> Option<&mut Group> {
    if group.id == id {
        return Some(group);
    }
    group.members.iter_mut().find_map(|node| match node {
        Node::Group(inner) => find_group_mut(inner, id),
        Node::Row(_) => None,
    })
}

/// Writes a draft as filter JSON, remembering where each row went and what is wrong.
struct Writer<'a, Tz> {
    zone: &'a Tz,
    /// Each row's JSON Pointer in the written filter.
    pointers: Vec<(String, NodeId)>,
    errors: Vec<RowError>,
}

impl<Tz: TimeZone> Writer<'_, Tz> {
    fn group(&mut self, group: &Group, pointer: String) -> Value {
        let key = group.combinator.key();
        let members = group
            .members
            .iter()
            .enumerate()
            .map(|(index, node)| {
                let pointer = format!("{pointer}/{key}/{index}");
                match node {
                    Node::Row(row) => self.row(row, pointer),
                    Node::Group(inner) => self.group(inner, pointer),
                }
            })
            .collect();
        let mut map = Map::new();
        map.insert(key.to_owned(), Value::Array(members));
        Value::Object(map)
    }

    fn row(&mut self, row: &Row, pointer: String) -> Value {
        self.pointers.push((pointer, row.id));
        let mut fail = |message: &str| {
            self.errors.push(RowError {
                row: Some(row.id),
                message: message.to_owned(),
            });
        };
        if row.column.is_empty() {
            fail("Choose a column.");
            return Value::Null;
        }
        let Some(function) = row.function else {
            fail("Choose a function.");
            return Value::Null;
        };
        let mut condition = json!({"column": row.column, "function": function.as_str()});
        // An unknown column is left for the core's parser to name.
        let kind = column_type_of(&row.column)
            .map(|column_type| value_kind(&row.column, column_type, function));
        let value = match kind {
            Some(kind) => write_value(kind, &row.value, self.zone),
            None => Ok(Some(Value::String(row.value.first.clone()))),
        };
        match value {
            Ok(Some(value)) => {
                condition["value"] = value;
            }
            Ok(None) => {}
            Err(message) => fail(message),
        }
        condition
    }
}

/// The JSON value of a row's inputs, `None` for a function without one, or what to fix.
fn write_value<Tz: TimeZone>(
    kind: ValueKind,
    value: &ValueDraft,
    zone: &Tz,
) -> Result<Option<Value>, &'static str> {
    let first = value.first.trim();
    let filled = |text: &str| {
        if text.is_empty() {
            Err("Enter a value.")
        } else {
            Ok(Value::String(text.to_owned()))
        }
    };
    Ok(Some(match kind {
        ValueKind::None => return Ok(None),
        ValueKind::Text => {
            if value.first.trim().is_empty() {
                return Err("Enter a value.");
            }
            Value::String(value.first.clone())
        }
        ValueKind::Channel | ValueKind::Tag => filled(first)?,
        ValueKind::Number => number(first)?,
        ValueKind::NumberRange => Value::Array(vec![number(first)?, number(value.second.trim())?]),
        ValueKind::Duration => duration(first)?,
        ValueKind::DurationRange => {
            Value::Array(vec![duration(first)?, duration(value.second.trim())?])
        }
        ValueKind::DateTime => date_time(first, zone)?,
        ValueKind::DateTimeRange => Value::Array(vec![
            date_time(first, zone)?,
            date_time(value.second.trim(), zone)?,
        ]),
        ValueKind::Relative => {
            let amount = match first.parse::<u64>() {
                Ok(0) | Err(_) => return Err("Enter a whole number of 1 or more."),
                Ok(amount) => u32::try_from(amount)
                    .map_err(|_| "That is too far back: look back at most about 200 years.")?,
            };
            json!({"amount": amount, "unit": unit_key(value.unit)})
        }
        ValueKind::ChannelList | ValueKind::TagList => {
            let items: Vec<Value> = value
                .items
                .iter()
                .map(|item| item.trim())
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.to_owned()))
                .collect();
            if items.is_empty() {
                return Err("Add at least one value.");
            }
            Value::Array(items)
        }
    }))
}

/// A number as JSON: whole numbers stay integers (`3`, not `3.0`). Written as PRODUCT.md's
/// number rule has it (`cohort_core::text::attribute_number`: no exponent, no `inf`).
fn number(text: &str) -> Result<Value, &'static str> {
    if text.is_empty() {
        return Err("Enter a number.");
    }
    if let Ok(whole) = text.parse::<i64>() {
        return Ok(Value::Number(whole.into()));
    }
    cohort_core::text::attribute_number(text)
        .and_then(Number::from_f64)
        .map(Value::Number)
        .ok_or("Enter a number, like 3 or -0.05.")
}

/// A duration as JSON seconds: a number (seconds, as `number` takes it) or whole hours,
/// minutes and seconds with their units, in that order ("1h 30m", "10m", "2h5s").
fn duration(text: &str) -> Result<Value, &'static str> {
    if text.is_empty() {
        return Err("Enter a duration, like 90s, 10m or 1h 30m.");
    }
    if let Some(seconds) = seconds(text) {
        return Ok(Value::Number(seconds.into()));
    }
    number(text).map_err(|_| "Enter a duration, like 90s, 10m or 1h 30m.")
}

/// The seconds in a duration written with units: whole amounts of hours, minutes and
/// seconds (`h`, `hr`, `hour(s)`; `m`, `min(s)`, `minute(s)`; `s`, `sec(s)`, `second(s)`),
/// each at most once and in that order, spaces allowed; none for anything else (a plain
/// number included).
fn seconds(text: &str) -> Option<i64> {
    let mut rest = text.trim();
    let mut total: i64 = 0;
    // The size of the last unit read: each must be smaller than the one before.
    let mut last = i64::MAX;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 || digits > 9 {
            return None;
        }
        let amount: i64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let letters = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let size = match rest[..letters].to_ascii_lowercase().as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            _ => return None,
        };
        if size >= last {
            return None;
        }
        last = size;
        total = total.checked_add(amount.checked_mul(size)?)?;
        rest = rest[letters..].trim_start();
    }
    (last != i64::MAX).then_some(total)
}

/// Whole seconds as the duration input takes them back: "1h 30m", "10m", "45s", "0s";
/// negative amounts as plain numbers.
fn duration_text(seconds: i64) -> String {
    if seconds < 0 {
        return seconds.to_string();
    }
    if seconds == 0 {
        return "0s".to_owned();
    }
    [(3600, 'h'), (60, 'm'), (1, 's')]
        .into_iter()
        .scan(seconds, |left, (size, unit)| {
            let amount = *left / size;
            *left %= size;
            Some((amount, unit))
        })
        .filter(|(amount, _)| *amount > 0)
        .map(|(amount, unit)| format!("{amount}{unit}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The formats a date-time input gives: minutes, or seconds when asked for.
const LOCAL_FORMATS: [&str; 2] = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"];

/// A local date-time from an input, as RFC 3339 with `zone`'s offset at that moment.
fn date_time<Tz: TimeZone>(text: &str, zone: &Tz) -> Result<Value, &'static str> {
    if text.is_empty() {
        return Err("Pick a date and time.");
    }
    let naive = LOCAL_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .ok_or("Pick a date and time.")?;
    // A time skipped by a clock change reads as the first valid time after it.
    let local = zone
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .ok_or("That time does not exist in your time zone.")?;
    Ok(Value::String(local.fixed_offset().to_rfc3339()))
}

/// An RFC 3339 time as a date-time input shows it in `zone`.
fn local_input<Tz: TimeZone>(text: &str, zone: &Tz) -> Option<String>
where
    Tz::Offset: std::fmt::Display,
{
    let time = DateTime::parse_from_rfc3339(text).ok()?.with_timezone(zone);
    let format = if time.timestamp_subsec_nanos() == 0 && time.format("%S").to_string() == "00" {
        LOCAL_FORMATS[0]
    } else {
        LOCAL_FORMATS[1]
    };
    Some(time.format(format).to_string())
}

/// A duration's JSON seconds as its input shows them: whole seconds with units, any other
/// number as it is; a string (a hand-written address) as it is, as a number's input
/// takes one.
fn duration_input(value: &Value) -> Option<String> {
    match value {
        Value::Number(number) => Some(
            number
                .as_i64()
                .map_or_else(|| number.to_string(), duration_text),
        ),
        Value::String(text) => Some(text.clone()),
        _ => None,
    }
}

fn unit_key(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Minutes => "minutes",
        TimeUnit::Hours => "hours",
        TimeUnit::Days => "days",
    }
}

/// The inputs that show `value` (valid JSON for a condition of `kind`), or `None`.
fn read_value<Tz: TimeZone>(kind: ValueKind, value: Option<&Value>, zone: &Tz) -> Option<ValueDraft>
where
    Tz::Offset: std::fmt::Display,
{
    let mut draft = ValueDraft::default();
    let scalar = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    };
    match kind {
        ValueKind::None => {}
        ValueKind::Text | ValueKind::Number | ValueKind::Channel | ValueKind::Tag => {
            draft.first = scalar(value?)?;
        }
        ValueKind::NumberRange => {
            let [low, high] = value?.as_array()?.as_slice() else {
                return None;
            };
            draft.first = scalar(low)?;
            draft.second = scalar(high)?;
        }
        ValueKind::Duration => draft.first = duration_input(value?)?,
        ValueKind::DurationRange => {
            let [low, high] = value?.as_array()?.as_slice() else {
                return None;
            };
            draft.first = duration_input(low)?;
            draft.second = duration_input(high)?;
        }
        ValueKind::DateTime => draft.first = local_input(value?.as_str()?, zone)?,
        ValueKind::DateTimeRange => {
            let [low, high] = value?.as_array()?.as_slice() else {
                return None;
            };
            draft.first = local_input(low.as_str()?, zone)?;
            draft.second = local_input(high.as_str()?, zone)?;
        }
        ValueKind::Relative => {
            let relative: cohort_core::filter::RelativeTime =
                serde_json::from_value(value?.clone()).ok()?;
            draft.first = relative.amount.to_string();
            draft.unit = relative.unit;
        }
        ValueKind::ChannelList | ValueKind::TagList => {
            draft.items = value?
                .as_array()?
                .iter()
                .map(scalar)
                .collect::<Option<Vec<_>>>()?;
        }
    }
    Some(draft)
}

/// Places each error at the row whose pointer its pointer starts with (the deepest one);
/// errors outside every row are about the filter as a whole.
fn locate(pointers: &[(String, NodeId)], errors: &[FieldError], prefix: &str) -> Vec<RowError> {
    errors
        .iter()
        .map(|error| {
            let pointer = error.pointer.strip_prefix(prefix).unwrap_or(&error.pointer);
            let row = pointers
                .iter()
                .filter(|(row_pointer, _)| {
                    pointer == row_pointer
                        || pointer
                            .strip_prefix(row_pointer.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                })
                .max_by_key(|(row_pointer, _)| row_pointer.len())
                .map(|(_, id)| *id);
            RowError {
                row,
                message: crate::display::sentence(&error.message),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
