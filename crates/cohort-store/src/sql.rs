//! Builds SQL text with bound values for either engine, and compiles a checked filter
//! (`cohort_core::filter::Expr`) to a boolean SQL expression over `users u`.
//!
//! The meaning is the core's; this module only writes it down per engine. Every positive
//! test is written so that it is never NULL (`col IS NOT NULL AND …`, `u.id IN (…)` over
//! non-null ids), which makes `NOT (test)` the exact complement, as the core defines it.

use cohort_core::filter::{
    Expr, NumberField, NumberTest, Test, TextField, TextTest, TimeField, TimeTest,
};
use cohort_core::time::Micros;
use cohort_core::users::AttributeValue;
use cohort_migrations::ATTRIBUTE_VALUE_INDEX_PREFIX;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};

use crate::StoreError;

/// How an attribute insert overwrites an attribute the user has already.
pub(crate) const UPSERT_ATTRIBUTE: &str = " ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, value_folded = excluded.value_folded, value_number = excluded.value_number";

/// SQL text under construction, with its bound values in order.
pub(crate) struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
    /// On SQLite, the page's sort column: every other column a condition tests is written
    /// `+column`, which SQLite reads as "no index for this term" (see `walk_sort_order`).
    walk_order_of: Option<&'static str>,
}

impl Sql {
    pub(crate) fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            text: String::with_capacity(512),
            values: Vec::new(),
            walk_order_of: None,
        }
    }

    /// Makes SQLite answer the page by walking the index of its sort column `column` and
    /// testing each row, instead of reading every match of a condition from that
    /// condition's index and sorting them all. SQLite's planner cannot tell the two apart
    /// without the condition's selectivity: `sessions > 5` on 300,000 users read 157,500
    /// matches from the `sessions` index and sorted them for a page of 50 (0.2 s), where
    /// walking the default order tests about 100 rows. The page's caller knows the exact
    /// count and asks for the walk when matches are common (`Store::list_users`). Every
    /// condition's column but the sort column is then written `+column` (`+u.id IN (…)`
    /// for tags and attributes), which SQLite reads as "no index for this term"; the sort
    /// column keeps its index, whose range is the walk. No effect on PostgreSQL, whose
    /// statistics tell the cases apart.
    pub(crate) fn walk_sort_order(&mut self, column: &'static str) -> &mut Self {
        if self.backend == DbBackend::Sqlite {
            self.walk_order_of = Some(column);
        }
        self
    }

    /// `column` as a condition writes it: `+column` when a walk of another column's order
    /// was asked for (`walk_sort_order`).
    fn condition_column<'c>(&self, column: &'c str) -> std::borrow::Cow<'c, str> {
        match self.walk_order_of {
            Some(sorted) if sorted != column => format!("+{column}").into(),
            _ => column.into(),
        }
    }

    pub(crate) fn backend(&self) -> DbBackend {
        self.backend
    }

    /// Appends literal SQL.
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value` (`?` on SQLite, `$n` on PostgreSQL).
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let placeholder = format!("${}", self.values.len());
                self.text.push_str(&placeholder);
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// Appends `(?, ?, …)` for the items.
    pub(crate) fn bind_list<T: Into<Value> + Clone>(&mut self, items: &[T]) -> &mut Self {
        self.push("(");
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                self.push(", ");
            }
            self.bind(item.clone());
        }
        self.push(")")
    }

    /// Appends the placeholders of an attribute's stored forms:
    /// `value, value_folded, value_number`.
    pub(crate) fn bind_attribute(&mut self, value: &AttributeValue) -> &mut Self {
        self.bind(value.value.clone())
            .push(", ")
            .bind(value.folded.clone())
            .push(", ")
            .bind(value.number)
    }

    pub(crate) fn build(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }

    /// Runs this `SELECT COUNT(*) AS count …` and returns the count.
    pub(crate) async fn count(self, db: &impl ConnectionTrait) -> Result<u64, StoreError> {
        let row = CountRow::find_by_statement(self.build()).one(db).await?;
        Ok(row.map_or(0, |row| u64::try_from(row.count).unwrap_or(0)))
    }

    /// The SQL text so far.
    #[cfg(test)]
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

#[derive(FromQueryResult)]
struct CountRow {
    count: i64,
}

/// The relation a query over users reads as `u`: the view `user_rows` (users with their
/// stats) when the filter tests a stats column, else the narrower `users`, so that a count
/// or bulk selection by profile, tags or attributes does not join the stats.
pub(crate) fn users_source(expr: &Expr) -> &'static str {
    if reads_stats(expr) {
        "user_rows"
    } else {
        "users"
    }
}

/// The relation a `COUNT(*)` of the filter's matches reads as `u`: `user_stats` alone when
/// the filter tests nothing but stats columns (every user has exactly one stats row, with
/// the user's bot), so that the count is a range of a stats index instead of a join of
/// every match with `users` (0.55 s for `sessions > 5` on 300,000 users on SQLite, now a
/// range of its index there); else `users_source`. The relation has no `id`: for counts only.
pub(crate) fn count_source(expr: &Expr) -> &'static str {
    if reads_only_stats(expr) {
        "user_stats"
    } else {
        users_source(expr)
    }
}

/// Whether the filter tests stats columns and nothing else.
fn reads_only_stats(expr: &Expr) -> bool {
    match expr {
        Expr::All(children) | Expr::Any(children) => {
            !children.is_empty() && children.iter().all(reads_only_stats)
        }
        Expr::Condition(_) => reads_stats(expr),
    }
}

/// Whether the filter tests a column kept in `user_stats`.
fn reads_stats(expr: &Expr) -> bool {
    match expr {
        Expr::All(children) | Expr::Any(children) => children.iter().any(reads_stats),
        Expr::Condition(condition) => match &condition.test {
            Test::Number { .. }
            | Test::Time {
                field: TimeField::LastMessageAt,
                ..
            } => true,
            Test::Time {
                field: TimeField::CreatedAt,
                ..
            }
            | Test::Text { .. }
            | Test::ChannelIn(_)
            | Test::HasAnyTag(_)
            | Test::HasAllTags(_)
            | Test::AttributeText { .. }
            | Test::AttributeNumber { .. } => false,
        },
    }
}

/// Appends the filter as a boolean expression over `u` (`users_source`) of bot `bot_id`.
pub(crate) fn push_filter(sql: &mut Sql, expr: &Expr, bot_id: i64, now: Micros) {
    match expr {
        Expr::All(children) | Expr::Any(children) if children.is_empty() => {
            sql.push(if matches!(expr, Expr::All(_)) {
                "1=1"
            } else {
                "1=0"
            });
        }
        Expr::All(children) | Expr::Any(children) => {
            let joiner = if matches!(expr, Expr::All(_)) {
                " AND "
            } else {
                " OR "
            };
            sql.push("(");
            for (index, child) in children.iter().enumerate() {
                if index > 0 {
                    sql.push(joiner);
                }
                push_filter(sql, child, bot_id, now);
            }
            sql.push(")");
        }
        Expr::Condition(condition) => {
            if condition.negated {
                sql.push("NOT ");
            }
            sql.push("(");
            push_test(sql, &condition.test, bot_id, now);
            sql.push(")");
        }
    }
}

fn push_test(sql: &mut Sql, test: &Test, bot_id: i64, now: Micros) {
    match test {
        Test::Text { field, test } => {
            let column = sql.condition_column(text_column(*field));
            push_text(sql, &column, test);
        }
        Test::Number { field, test } => {
            let (column, nullable) = number_column(*field);
            push_number(sql, column, nullable, test);
        }
        Test::Time { field, test } => {
            let (column, nullable) = time_column(*field);
            push_time(sql, column, nullable, test, now);
        }
        Test::ChannelIn(channels) => {
            let column = sql.condition_column("u.channel");
            sql.push(&column).push(" IN ").bind_list(channels);
        }
        Test::HasAnyTag(tags) => push_has_any_tag(sql, tags, bot_id),
        Test::HasAllTags(tags) => {
            for (index, tag) in tags.iter().enumerate() {
                if index > 0 {
                    sql.push(" AND ");
                }
                push_has_any_tag(sql, std::slice::from_ref(tag), bot_id);
            }
        }
        Test::AttributeText { key, test } => {
            push_attribute_subquery(sql, key, bot_id);
            if let (TextTest::Equals(operand), DbBackend::Postgres) = (test, sql.backend()) {
                // PostgreSQL indexes only a prefix of long values (see migration 8): the
                // prefix finds the candidates, the whole value decides.
                let prefix: String = operand.chars().take(ATTRIBUTE_VALUE_INDEX_PREFIX).collect();
                sql.push("left(a.value_folded, ")
                    .push(&ATTRIBUTE_VALUE_INDEX_PREFIX.to_string())
                    .push(") = ")
                    .bind(prefix)
                    .push(" AND ");
            }
            push_text(sql, "a.value_folded", test);
            sql.push(")");
        }
        Test::AttributeNumber { key, test } => {
            push_attribute_subquery(sql, key, bot_id);
            push_number(sql, "a.value_number", true, test);
            sql.push(")");
        }
    }
}

fn push_has_any_tag(sql: &mut Sql, tags: &[String], bot_id: i64) {
    let id = sql.condition_column("u.id");
    sql.push(&id).push(" IN (SELECT ut.user_id FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE t.bot_id = ")
        .bind(bot_id)
        .push(" AND t.name_folded IN ")
        .bind_list(tags)
        .push(")");
}

/// Opens `u.id IN (SELECT … WHERE <attribute key> AND `; the caller adds the test and `)`.
fn push_attribute_subquery(sql: &mut Sql, key: &str, bot_id: i64) {
    let id = sql.condition_column("u.id");
    sql.push(&id)
        .push(" IN (SELECT a.user_id FROM user_attributes a WHERE a.bot_id = ")
        .bind(bot_id)
        .push(" AND a.key = ")
        .bind(key.to_owned())
        .push(" AND ");
}

fn text_column(field: TextField) -> &'static str {
    match field {
        TextField::FirstName => "u.first_name_folded",
        TextField::LastName => "u.last_name_folded",
        TextField::Name => "u.name_folded",
        TextField::Email => "u.email_folded",
        TextField::ExternalId => "u.external_id_folded",
    }
}

fn number_column(field: NumberField) -> (&'static str, bool) {
    match field {
        NumberField::Sessions => ("u.sessions", false),
        NumberField::MessagesSent => ("u.messages_sent", false),
        NumberField::Clicks => ("u.clicks", false),
        NumberField::TimeSpentSecs => ("u.time_spent_secs", false),
        NumberField::AverageSentiment => ("u.average_sentiment", true),
    }
}

fn time_column(field: TimeField) -> (&'static str, bool) {
    match field {
        TimeField::LastMessageAt => ("u.last_message_at", true),
        TimeField::CreatedAt => ("u.created_at", false),
    }
}

/// A positive text test on a folded column (which may be NULL or empty).
fn push_text(sql: &mut Sql, column: &str, test: &TextTest) {
    sql.push(column).push(" IS NOT NULL AND ");
    let postgres = sql.backend() == DbBackend::Postgres;
    match test {
        TextTest::IsSet => {
            sql.push(column).push(" <> ''");
        }
        TextTest::Equals(operand) => {
            sql.push(column).push(" = ").bind(operand.clone());
        }
        TextTest::Contains(operand) if postgres => {
            sql.push(column)
                .push(" LIKE ")
                .bind(format!("%{}%", escape_like(operand)))
                .push(" ESCAPE '\\'");
        }
        TextTest::Contains(operand) => {
            sql.push("instr(")
                .push(column)
                .push(", ")
                .bind(operand.clone())
                .push(") > 0");
        }
        TextTest::StartsWith(operand) if postgres => {
            sql.push(column)
                .push(" LIKE ")
                .bind(format!("{}%", escape_like(operand)))
                .push(" ESCAPE '\\'");
        }
        TextTest::StartsWith(operand) => {
            let length = operand.chars().count() as i64;
            sql.push("substr(")
                .push(column)
                .push(", 1, ")
                .bind(length)
                .push(") = ")
                .bind(operand.clone());
        }
        TextTest::EndsWith(operand) if postgres => {
            sql.push(column)
                .push(" LIKE ")
                .bind(format!("%{}", escape_like(operand)))
                .push(" ESCAPE '\\'");
        }
        TextTest::EndsWith(operand) => {
            let length = operand.chars().count() as i64;
            sql.push("length(").push(column).push(") >= ").bind(length);
            sql.push(" AND substr(")
                .push(column)
                .push(", -")
                .bind(length)
                .push(") = ")
                .bind(operand.clone());
        }
    }
}

fn push_number(sql: &mut Sql, column: &str, nullable: bool, test: &NumberTest) {
    let column = sql.condition_column(column);
    let column: &str = &column;
    if nullable {
        sql.push(column).push(" IS NOT NULL AND ");
    }
    match *test {
        NumberTest::IsSet => {
            sql.push("1=1");
        }
        NumberTest::Compare(op, operand) => {
            sql.push(column)
                .push(" ")
                .push(op.sql())
                .push(" ")
                .bind(operand);
        }
        NumberTest::Between(low, high) => {
            sql.push(column)
                .push(" >= ")
                .bind(low)
                .push(" AND ")
                .push(column)
                .push(" <= ")
                .bind(high);
        }
    }
}

fn push_time(sql: &mut Sql, column: &str, nullable: bool, test: &TimeTest, now: Micros) {
    let column = sql.condition_column(column);
    let column: &str = &column;
    if nullable {
        sql.push(column).push(" IS NOT NULL AND ");
    }
    match *test {
        TimeTest::IsSet => {
            sql.push("1=1");
        }
        TimeTest::Before(bound) => {
            sql.push(column).push(" < ").bind(bound);
        }
        TimeTest::After(bound) => {
            sql.push(column).push(" > ").bind(bound);
        }
        TimeTest::Between(start, end) => {
            sql.push(column)
                .push(" >= ")
                .bind(start)
                .push(" AND ")
                .push(column)
                .push(" <= ")
                .bind(end);
        }
        TimeTest::WithinLast(span) => {
            sql.push(column).push(" >= ").bind(now.saturating_sub(span));
        }
        TimeTest::MoreThanAgo(span) => {
            sql.push(column).push(" < ").bind(now.saturating_sub(span));
        }
    }
}

/// Escapes `\`, `%` and `_` for a LIKE pattern with `ESCAPE '\'`.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

/// The SQL a filter compiles to on `backend`, for the tests below.
#[cfg(test)]
fn compile_filter_for_tests(backend: DbBackend, expr: &Expr, bot_id: i64, now: Micros) -> String {
    let mut sql = Sql::new(backend);
    push_filter(&mut sql, expr, bot_id, now);
    sql.text().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cohort_core::filter::parse;
    use serde_json::json;

    fn check(backend: DbBackend, filter: serde_json::Value, expected: &str) {
        let expr = parse(&filter, "/filter").unwrap_or_else(|errors| panic!("{errors:?}"));
        assert_eq!(compile_filter_for_tests(backend, &expr, 7, 0), expected);
    }

    #[test]
    fn compiles_text_tests_per_engine() {
        let filter =
            json!({"column": "first_name", "function": "not_contains", "value": "50%_off"});
        check(
            DbBackend::Sqlite,
            filter.clone(),
            "NOT (u.first_name_folded IS NOT NULL AND instr(u.first_name_folded, ?) > 0)",
        );
        check(
            DbBackend::Postgres,
            filter,
            "NOT (u.first_name_folded IS NOT NULL AND u.first_name_folded LIKE $1 ESCAPE '\\')",
        );
    }

    #[test]
    fn compiles_groups_tags_and_attributes() {
        check(
            DbBackend::Postgres,
            json!({"any": [
                {"column": "tags", "function": "has_all_of", "value": ["a", "b"]},
                {"column": "attributes.age", "function": "greater_than", "value": 3},
                {"all": []}
            ]}),
            "((u.id IN (SELECT ut.user_id FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE t.bot_id = $1 AND t.name_folded IN ($2)) AND u.id IN (SELECT ut.user_id FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE t.bot_id = $3 AND t.name_folded IN ($4))) OR (u.id IN (SELECT a.user_id FROM user_attributes a WHERE a.bot_id = $5 AND a.key = $6 AND a.value_number IS NOT NULL AND a.value_number > $7)) OR 1=1)",
        );
    }

    #[test]
    fn attribute_equals_uses_the_indexed_prefix_on_postgres() {
        let filter = json!({"column": "attributes.plan", "function": "equals", "value": "Pro"});
        check(
            DbBackend::Postgres,
            filter.clone(),
            "(u.id IN (SELECT a.user_id FROM user_attributes a WHERE a.bot_id = $1 AND a.key = $2 AND left(a.value_folded, 200) = $3 AND a.value_folded IS NOT NULL AND a.value_folded = $4))",
        );
        check(
            DbBackend::Sqlite,
            filter,
            "(u.id IN (SELECT a.user_id FROM user_attributes a WHERE a.bot_id = ? AND a.key = ? AND a.value_folded IS NOT NULL AND a.value_folded = ?))",
        );
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(escape_like(r"50%_off\"), r"50\%\_off\\");
    }
}
