//! Builds SQL text with bound values for either engine, and compiles a checked filter
//! (`cohort_core::filter::Expr`) to a boolean SQL expression over `users u`.
//!
//! The meaning is the core's; this module only writes it down per engine. Every positive
//! test is written so that it is never NULL (`col IS NOT NULL AND …`, `u.id IN (…)` over
//! non-null ids, `EXISTS (…)`), which makes `NOT (test)` the exact complement, as the core
//! defines it.

use std::collections::HashMap;

use cohort_core::filter::{
    CmpOp, Expr, NumberField, NumberTest, Test, TextField, TextTest, TimeField, TimeTest,
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
    /// On PostgreSQL, a walk of the page's sort order was asked for: every tag and
    /// attribute test ends with `OFFSET 0` (see `walk_sort_order`).
    fence_member_of: bool,
}

impl Sql {
    pub(crate) fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            text: String::with_capacity(512),
            values: Vec::new(),
            walk_order_of: None,
            fence_member_of: false,
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
    /// column keeps its index, whose range is the walk.
    ///
    /// PostgreSQL's planner knows a column's selectivity but not a tag's or an attribute's
    /// within a bot (`attributes.score > 900` expected 1,847 of 29,700 matches, and the
    /// three conditions of `lead AND plan pro AND sessions > 2` one match of 35,143), so
    /// it read every match from the attribute's index, joined and sorted them all for a
    /// page (170–240 ms on 300,000 users) where a walk of the default order tests a few
    /// hundred rows (15–40 ms). There each tag and attribute test gets `OFFSET 0`, which
    /// PostgreSQL never turns into a join: it stays a test of each row the walk reaches,
    /// one probe of the user's own rows. The caller asks for a walk on PostgreSQL only for
    /// orders an index serves there (`Store::list_users`).
    pub(crate) fn walk_sort_order(&mut self, column: &'static str) -> &mut Self {
        match self.backend {
            DbBackend::Sqlite => self.walk_order_of = Some(column),
            DbBackend::Postgres => self.fence_member_of = true,
            _ => {}
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

/// The ids of the bot's tags that a filter names, by folded name, looked up before the
/// filter is compiled. A tag condition then reads `user_tags` by `tag_id` values the
/// planner sees: through a join with `tags`, PostgreSQL could not know which tag the
/// name picks and estimated every tag at the average (38,750 users for a tag 180,000
/// users hold, on 300,000), and chose nested loops that made a 3-condition search
/// take 1.5 s. A name no tag has holds no users (`1=0`).
#[derive(Debug, Default)]
pub(crate) struct TagIds(HashMap<String, i64>);

#[derive(FromQueryResult)]
struct TagRow {
    id: i64,
    name_folded: String,
}

impl TagIds {
    /// Looks up the tags `expr` names in bot `bot_id` (no query when it names none).
    pub(crate) async fn resolve(
        db: &impl ConnectionTrait,
        bot_id: i64,
        expr: &Expr,
    ) -> Result<Self, StoreError> {
        let mut names = Vec::new();
        collect_tag_names(expr, &mut names);
        if names.is_empty() {
            return Ok(Self::default());
        }
        names.sort_unstable();
        names.dedup();
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT id, name_folded FROM tags WHERE bot_id = ")
            .bind(bot_id)
            .push(" AND name_folded IN ")
            .bind_list(&names);
        let rows = TagRow::find_by_statement(sql.build()).all(db).await?;
        Ok(Self(
            rows.into_iter()
                .map(|row| (row.name_folded, row.id))
                .collect(),
        ))
    }

    /// The ids of the named tags that exist, in the order named.
    fn ids(&self, names: &[String]) -> Vec<i64> {
        names
            .iter()
            .filter_map(|name| self.0.get(name).copied())
            .collect()
    }
}

fn collect_tag_names(expr: &Expr, names: &mut Vec<String>) {
    match expr {
        Expr::All(children) | Expr::Any(children) => {
            for child in children {
                collect_tag_names(child, names);
            }
        }
        Expr::Condition(condition) => {
            if let Test::HasAnyTag(tags) | Test::HasAllTags(tags) = &condition.test {
                names.extend(tags.iter().cloned());
            }
        }
    }
}

/// A `SELECT … AS count` answering how many of bot `bot_id`'s users pass `expr`, when
/// `expr` is one tag or attribute condition: read from that condition's own table (one
/// row per user and tag, or per user and key), a range of its index, instead of a
/// membership test for each of the bot's users (a third of a second for `plan equals
/// pro` on 300,000 users on PostgreSQL, 20 ms as a range). A negated condition is
/// counted positive: the caller subtracts it from the bot's total, which is exact since
/// every test is true or false, never NULL. `None` for any other filter.
pub(crate) fn condition_count(
    backend: DbBackend,
    expr: &Expr,
    bot_id: i64,
    tags: &TagIds,
) -> Option<(Sql, bool)> {
    let Expr::Condition(condition) = expr else {
        return None;
    };
    let mut sql = Sql::new(backend);
    match &condition.test {
        Test::HasAnyTag(names) => {
            let ids = tags.ids(names);
            if ids.is_empty() {
                sql.push("SELECT CAST(0 AS BIGINT) AS count");
            } else {
                sql.push(if ids.len() == 1 {
                    "SELECT COUNT(*) AS count"
                } else {
                    "SELECT COUNT(DISTINCT ut.user_id) AS count"
                })
                .push(" FROM user_tags ut WHERE ut.tag_id IN ")
                .bind_list(&ids);
            }
        }
        Test::AttributeText { key, test } => {
            sql.push("SELECT COUNT(*) AS count FROM user_attributes a WHERE ");
            push_attribute_key(&mut sql, key, bot_id);
            push_attribute_text(&mut sql, test);
        }
        Test::AttributeNumber { key, test } => {
            sql.push("SELECT COUNT(*) AS count FROM user_attributes a WHERE ");
            push_attribute_key(&mut sql, key, bot_id);
            push_attribute_number(&mut sql, test);
        }
        _ => return None,
    }
    Some((sql, condition.negated))
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

/// Appends the filter as a boolean expression over `u` (`users_source`) of bot `bot_id`,
/// with the ids of the tags it names (`TagIds::resolve`).
pub(crate) fn push_filter(sql: &mut Sql, expr: &Expr, bot_id: i64, now: Micros, tags: &TagIds) {
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
                push_filter(sql, child, bot_id, now, tags);
            }
            sql.push(")");
        }
        Expr::Condition(condition) => {
            if condition.negated {
                sql.push("NOT ");
            }
            sql.push("(");
            push_test(sql, &condition.test, bot_id, now, tags);
            sql.push(")");
        }
    }
}

/// Appends `source u WHERE u.bot_id = ? AND <filter>`: the users of bot `bot_id` that
/// pass `expr`, read from the relation `source` (`users_source`, `count_source`, a view
/// of `user_rows`'s columns) as `u`.
pub(crate) fn push_matching(
    sql: &mut Sql,
    source: &str,
    expr: &Expr,
    bot_id: i64,
    now: Micros,
    tags: &TagIds,
) {
    sql.push(source)
        .push(" u WHERE u.bot_id = ")
        .bind(bot_id)
        .push(" AND ");
    push_filter(sql, expr, bot_id, now, tags);
}

fn push_test(sql: &mut Sql, test: &Test, bot_id: i64, now: Micros, tags: &TagIds) {
    match test {
        Test::Text { field, test } => {
            let column = sql.condition_column(text_column(*field));
            push_text(sql, &column, test);
        }
        Test::Number { field, test } => match number_column(*field) {
            (column, Number::Whole) => push_whole_number(sql, column, test),
            (column, Number::Fraction { nullable }) => push_number(sql, column, nullable, test),
        },
        Test::Time { field, test } => {
            let (column, nullable) = time_column(*field);
            push_time(sql, column, nullable, test, now);
        }
        Test::ChannelIn(channels) => {
            let column = sql.condition_column("u.channel");
            sql.push(&column).push(" IN ").bind_list(channels);
        }
        Test::HasAnyTag(names) => push_has_any_tag(sql, &tags.ids(names)),
        Test::HasAllTags(names) => {
            for (index, name) in names.iter().enumerate() {
                if index > 0 {
                    sql.push(" AND ");
                }
                push_has_any_tag(sql, &tags.ids(std::slice::from_ref(name)));
            }
        }
        Test::AttributeText { key, test } => {
            push_member_of(sql, "user_attributes a", "a.user_id");
            push_attribute_key(sql, key, bot_id);
            push_attribute_text(sql, test);
            close_member_of(sql);
        }
        Test::AttributeNumber { key, test } => {
            push_member_of(sql, "user_attributes a", "a.user_id");
            push_attribute_key(sql, key, bot_id);
            push_attribute_number(sql, test);
            close_member_of(sql);
        }
    }
}

/// Opens a test that `u` has a row in `table` (whose user column is `user_column`); the
/// caller adds that row's conditions and `)`. SQLite: `u.id IN (SELECT user_column FROM
/// table WHERE `, which `Sql::walk_sort_order` can write `+u.id`. PostgreSQL: `EXISTS
/// (SELECT 1 FROM table WHERE user_column = u.id AND `: negated, it plans as an anti-join
/// (`NOT (u.id IN …)` can only be a hashed subplan, whose cost the planner charges to
/// every row of a nested loop: the first page of `tag has not vip` on 300,000 users
/// joined and sorted the 270,000 that pass, 0.3 s, where a walk of the default order
/// tests about 51), and under `OR` it may test each row by index.
fn push_member_of(sql: &mut Sql, table: &str, user_column: &str) {
    if sql.backend() == DbBackend::Postgres {
        sql.push("EXISTS (SELECT 1 FROM ")
            .push(table)
            .push(" WHERE ")
            .push(user_column)
            .push(" = u.id AND ");
    } else {
        let id = sql.condition_column("u.id");
        sql.push(&id)
            .push(" IN (SELECT ")
            .push(user_column)
            .push(" FROM ")
            .push(table)
            .push(" WHERE ");
    }
}

/// Closes what `push_member_of` opened: `)`, or ` OFFSET 0)` when the page walks its
/// sort order on PostgreSQL (`Sql::walk_sort_order`).
fn close_member_of(sql: &mut Sql) {
    if sql.fence_member_of {
        sql.push(" OFFSET 0");
    }
    sql.push(")");
}

/// Whether `u` holds one of the tags `ids` (`1=0` for none).
fn push_has_any_tag(sql: &mut Sql, ids: &[i64]) {
    if ids.is_empty() {
        sql.push("1=0");
        return;
    }
    push_member_of(sql, "user_tags ut", "ut.user_id");
    sql.push("ut.tag_id IN ").bind_list(ids);
    close_member_of(sql);
}

/// `a.bot_id = ? AND a.key = ? AND `: the attribute row's scope; the test follows.
fn push_attribute_key(sql: &mut Sql, key: &str, bot_id: i64) {
    sql.push("a.bot_id = ")
        .bind(bot_id)
        .push(" AND a.key = ")
        .bind(key.to_owned())
        .push(" AND ");
}

/// A text test on the attribute row `a`'s folded value.
fn push_attribute_text(sql: &mut Sql, test: &TextTest) {
    match test {
        TextTest::Equals(operand) if sql.backend() == DbBackend::Postgres => {
            // PostgreSQL indexes only a prefix of long values (see migration 8). An
            // operand shorter than the prefix equals a value exactly when it equals the
            // value's prefix, so the indexed expression alone decides; a longer one
            // also compares the whole value. (Both conditions for every operand made the
            // planner multiply their selectivities: 722 users expected of 60,000.)
            let prefix: String = operand.chars().take(ATTRIBUTE_VALUE_INDEX_PREFIX).collect();
            let whole = operand.chars().count() >= ATTRIBUTE_VALUE_INDEX_PREFIX;
            sql.push("left(a.value_folded, ")
                .push(&ATTRIBUTE_VALUE_INDEX_PREFIX.to_string())
                .push(") = ")
                .bind(prefix);
            if whole {
                sql.push(" AND a.value_folded = ").bind(operand.clone());
            }
        }
        _ => push_text(sql, "a.value_folded", test),
    }
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

/// What a number column holds.
enum Number {
    /// Whole numbers, never NULL (`BIGINT` / `INTEGER`).
    Whole,
    /// Any number (`DOUBLE PRECISION` / `REAL`).
    Fraction { nullable: bool },
}

fn number_column(field: NumberField) -> (&'static str, Number) {
    match field {
        NumberField::Sessions => ("u.sessions", Number::Whole),
        NumberField::MessagesSent => ("u.messages_sent", Number::Whole),
        NumberField::Clicks => ("u.clicks", Number::Whole),
        NumberField::TimeSpentSecs => ("u.time_spent_secs", Number::Whole),
        NumberField::AverageSentiment => {
            ("u.average_sentiment", Number::Fraction { nullable: true })
        }
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

/// A number test on the attribute row `a`: its `value_number` is NULL for a text value.
/// A comparison is false on NULL there (the row is `a`'s, and a negation stands outside
/// its `EXISTS`), so only `is set` tests for NULL: an `IS NOT NULL` beside a comparison
/// made PostgreSQL count the key's share of rows twice (1,847 expected of 29,700).
fn push_attribute_number(sql: &mut Sql, test: &NumberTest) {
    let nullable = matches!(test, NumberTest::IsSet);
    push_number(sql, "a.value_number", nullable, test);
}

/// A number test on a column of whole numbers, with the operand as the whole bound that
/// selects the same rows (`n > 2.5` is `n > 2`, `n >= 2.5` is `n >= 3`, `n = 2.5` is
/// nothing), bound as an integer. Bound as a float, PostgreSQL cast the column for every
/// row (`sessions::double precision > 2`) and, with no statistics for the cast, expected
/// a tenth of the bot to pass `sessions > 2` where 96 % did. A bound past `i64`'s range
/// saturates, which keeps its meaning for any stored count.
fn push_whole_number(sql: &mut Sql, column: &str, test: &NumberTest) {
    let column = sql.condition_column(column);
    let column: &str = &column;
    // Integral by construction (floor or ceil), so the cast only saturates.
    let whole = |bound: f64| bound as i64;
    match *test {
        NumberTest::IsSet => {
            sql.push("1=1");
        }
        NumberTest::Compare(CmpOp::Eq, operand) if operand.fract() != 0.0 => {
            sql.push("1=0");
        }
        NumberTest::Compare(op, operand) => {
            let bound = match op {
                CmpOp::Eq => operand,
                CmpOp::Gt | CmpOp::Le => operand.floor(),
                CmpOp::Ge | CmpOp::Lt => operand.ceil(),
            };
            sql.push(column)
                .push(" ")
                .push(op.sql())
                .push(" ")
                .bind(whole(bound));
        }
        NumberTest::Between(low, high) => {
            sql.push(column)
                .push(" >= ")
                .bind(whole(low.ceil()))
                .push(" AND ")
                .push(column)
                .push(" <= ")
                .bind(whole(high.floor()));
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

/// The SQL a filter compiles to on `backend`, for the tests below; tag `a` has id 11,
/// tag `b` id 12, no other tag exists.
#[cfg(test)]
fn compile_filter_for_tests(backend: DbBackend, expr: &Expr, bot_id: i64, now: Micros) -> String {
    let tags = TagIds([("a".to_owned(), 11), ("b".to_owned(), 12)].into());
    let mut sql = Sql::new(backend);
    push_filter(&mut sql, expr, bot_id, now, &tags);
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
        let filter = json!({"any": [
            {"column": "tags", "function": "has_all_of", "value": ["a", "b"]},
            {"column": "attributes.age", "function": "greater_than", "value": 3},
            {"all": []}
        ]});
        check(
            DbBackend::Postgres,
            filter.clone(),
            "((EXISTS (SELECT 1 FROM user_tags ut WHERE ut.user_id = u.id AND ut.tag_id IN ($1)) AND EXISTS (SELECT 1 FROM user_tags ut WHERE ut.user_id = u.id AND ut.tag_id IN ($2))) OR (EXISTS (SELECT 1 FROM user_attributes a WHERE a.user_id = u.id AND a.bot_id = $3 AND a.key = $4 AND a.value_number > $5)) OR 1=1)",
        );
        check(
            DbBackend::Sqlite,
            filter,
            "((u.id IN (SELECT ut.user_id FROM user_tags ut WHERE ut.tag_id IN (?)) AND u.id IN (SELECT ut.user_id FROM user_tags ut WHERE ut.tag_id IN (?))) OR (u.id IN (SELECT a.user_id FROM user_attributes a WHERE a.bot_id = ? AND a.key = ? AND a.value_number > ?)) OR 1=1)",
        );
    }

    #[test]
    fn a_walk_on_postgres_keeps_tag_and_attribute_tests_from_becoming_joins() {
        let filter = json!({"all": [
            {"column": "tags", "function": "has", "value": "a"},
            {"column": "attributes.age", "function": "greater_than", "value": 3},
            {"column": "channel", "function": "is", "value": "web"}
        ]});
        let expr = parse(&filter, "/filter").unwrap_or_else(|errors| panic!("{errors:?}"));
        let tags = TagIds([("a".to_owned(), 11)].into());
        let mut sql = Sql::new(DbBackend::Postgres);
        sql.walk_sort_order("u.last_message_at");
        push_filter(&mut sql, &expr, 7, 0, &tags);
        assert_eq!(
            sql.text(),
            "((EXISTS (SELECT 1 FROM user_tags ut WHERE ut.user_id = u.id AND ut.tag_id IN ($1) OFFSET 0)) AND (EXISTS (SELECT 1 FROM user_attributes a WHERE a.user_id = u.id AND a.bot_id = $2 AND a.key = $3 AND a.value_number > $4 OFFSET 0)) AND (u.channel IN ($5)))",
        );
    }

    #[test]
    fn whole_number_columns_compare_with_the_whole_bound_that_selects_the_same_rows() {
        for (function, operand, text, bound) in [
            ("greater_than", 2.5, "(u.sessions > $1)", Some(2)),
            ("greater_or_equal", 2.5, "(u.sessions >= $1)", Some(3)),
            ("less_than", -0.5, "(u.sessions < $1)", Some(0)),
            ("less_or_equal", -0.5, "(u.sessions <= $1)", Some(-1)),
            ("equals", 3.0, "(u.sessions = $1)", Some(3)),
            ("greater_than", 1e300, "(u.sessions > $1)", Some(i64::MAX)),
            ("equals", 2.5, "(1=0)", None),
            ("not_equals", 2.5, "NOT (1=0)", None),
        ] {
            let filter = json!({"column": "sessions", "function": function, "value": operand});
            let expr = parse(&filter, "/filter").unwrap_or_else(|errors| panic!("{errors:?}"));
            let mut sql = Sql::new(DbBackend::Postgres);
            push_filter(&mut sql, &expr, 7, 0, &TagIds::default());
            assert_eq!(sql.text(), text, "{filter}");
            let bounds: Vec<Value> = bound.map(|b: i64| Value::from(b)).into_iter().collect();
            assert_eq!(sql.values, bounds, "{filter}");
        }
    }

    #[test]
    fn a_tag_no_one_has_made_is_held_by_no_one() {
        check(
            DbBackend::Sqlite,
            json!({"column": "tags", "function": "has_any_of", "value": ["a", "missing"]}),
            "(u.id IN (SELECT ut.user_id FROM user_tags ut WHERE ut.tag_id IN (?)))",
        );
        check(
            DbBackend::Postgres,
            json!({"column": "tags", "function": "has_not", "value": "missing"}),
            "NOT (1=0)",
        );
    }

    #[test]
    fn attribute_equals_uses_the_indexed_prefix_on_postgres() {
        let filter = json!({"column": "attributes.plan", "function": "equals", "value": "Pro"});
        check(
            DbBackend::Postgres,
            filter.clone(),
            "(EXISTS (SELECT 1 FROM user_attributes a WHERE a.user_id = u.id AND a.bot_id = $1 AND a.key = $2 AND left(a.value_folded, 200) = $3))",
        );
        check(
            DbBackend::Sqlite,
            filter,
            "(u.id IN (SELECT a.user_id FROM user_attributes a WHERE a.bot_id = ? AND a.key = ? AND a.value_folded IS NOT NULL AND a.value_folded = ?))",
        );
        // An operand as long as the prefix could be the prefix of a longer value.
        for length in [
            ATTRIBUTE_VALUE_INDEX_PREFIX,
            ATTRIBUTE_VALUE_INDEX_PREFIX + 1,
        ] {
            let filter = json!({"column": "attributes.bio", "function": "equals", "value": "é".repeat(length)});
            check(
                DbBackend::Postgres,
                filter,
                "(EXISTS (SELECT 1 FROM user_attributes a WHERE a.user_id = u.id AND a.bot_id = $1 AND a.key = $2 AND left(a.value_folded, 200) = $3 AND a.value_folded = $4))",
            );
        }
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(escape_like(r"50%_off\"), r"50\%\_off\\");
    }
}
