//! Listing and counting a bot's users by filter, with keyset paging.
//!
//! The page and the exact count are two queries (a window count over the page would cost
//! a full scan per page, see PERF-NOTES). Paging is keyset on (sort column, id), never
//! OFFSET, so page 1,000 costs what page 1 does.

use cohort_core::filter::Expr;
pub use cohort_core::list::ListQuery;
use cohort_core::sort::{Cursor, SortKey, SortValue};
use cohort_core::time::Micros;
use sea_orm::{ConnectionTrait, FromQueryResult};

use super::with_tags_and_attributes;
use crate::entities::user;
use crate::sql::{Sql, TagIds, condition_count, count_source, push_matching, users_source};
use crate::{BotScope, Store, StoreError};
use cohort_core::api::UserPage;

impl Store {
    /// One page of the bot's users matching the filter, and how many match in all.
    pub async fn list_users(
        &self,
        bot: BotScope,
        query: &ListQuery,
    ) -> Result<UserPage, StoreError> {
        let tags = TagIds::resolve(&self.db, bot.bot_id, &query.filter).await?;
        let Counted { total, bot_users } =
            count_matches(&self.db, bot, &query.filter, query.now, &tags).await?;
        let sort = sort_column(query.sort.key);
        let nullable = sort.nullable;
        let wanted = query.limit + 1;
        let walk = query.filter.matches_everyone()
            || (total > 0
                && sort.walkable(self.backend())
                && self.walk_is_cheaper(bot, bot_users, total, wanted).await?);
        let page = Page {
            bot,
            query,
            sort,
            walk,
            tags: &tags,
        };
        let mut rows = match &query.cursor {
            // Nothing matches: no page to look for.
            _ if total == 0 => Vec::new(),
            Some(cursor) if cursor.value == SortValue::Null => {
                self.page_rows(&page, After::AmongNulls(cursor.id), wanted)
                    .await?
            }
            cursor => {
                let after = cursor.as_ref().map_or(After::Start, After::Value);
                let mut rows = self.page_rows(&page, after, wanted).await?;
                let found = rows.len() as u64;
                if nullable && found < wanted {
                    // Past the last value: the rows without one, which sort last.
                    rows.extend(self.page_rows(&page, After::Nulls, wanted - found).await?);
                }
                rows
            }
        };
        let has_more = rows.len() as u64 > query.limit;
        rows.truncate(query.limit as usize);
        let data = with_tags_and_attributes(&self.db, rows).await?;
        let next_cursor = match data.last() {
            Some(last) if has_more => Some(Cursor::after(query.sort, last).encode()),
            _ => None,
        };
        Ok(UserPage {
            data,
            next_cursor,
            total,
        })
    }

    /// Whether finding `wanted` matches of `total` is cheaper by walking the sort order
    /// than by reading every match and sorting: a walk tests about `wanted` × users /
    /// `total` rows, reading the matches costs `total` (`Sql::walk_sort_order`).
    /// `bot_users` is the bot's user count when the count already read it.
    async fn walk_is_cheaper(
        &self,
        bot: BotScope,
        bot_users: Option<u64>,
        total: u64,
        wanted: u64,
    ) -> Result<bool, StoreError> {
        let users = match bot_users {
            Some(users) => users,
            None => bot_total(&self.db, bot).await?,
        };
        Ok(total.saturating_mul(total) >= wanted.saturating_mul(users))
    }

    /// Up to `limit` rows of the page's order (sort column, then id) that come after
    /// `after`. Each shape of `After` is a condition an index on (bot, column, id) serves
    /// as a range: "after (v, id)" was one `OR` with "or the column is NULL", which made
    /// SQLite read every row of a 300,000-user bot and sort them (0.5–0.7 s a page past
    /// the first, `benches/load.rs`); the NULL rows are a second query. Each range holds
    /// only values or only NULLs, so where NULLs sort does not matter to it, and the
    /// order says nothing about them: each engine's default is what its ascending
    /// indexes give read either way (SQLite serves `NULLS LAST` only descending; with
    /// it, PostgreSQL sorted the whole bot for a page in the other direction, migration
    /// 13).
    async fn page_rows(
        &self,
        page: &Page<'_>,
        after: After<'_>,
        limit: u64,
    ) -> Result<Vec<user::Model>, StoreError> {
        let query = page.query;
        let sort = &page.sort;
        let SortColumn {
            column, nullable, ..
        } = *sort;
        let (comparison, direction) = if query.sort.descending {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        let mut sql = Sql::new(self.backend());
        if page.walk {
            sql.walk_sort_order(column);
        }
        sql.push("SELECT u.* FROM ");
        push_matching(
            &mut sql,
            sort.source(page.walk),
            &query.filter,
            page.bot.bot_id,
            query.now,
            page.tags,
        );
        match after {
            After::Start => {
                if nullable {
                    sql.push(" AND ").push(column).push(" IS NOT NULL");
                }
            }
            After::Value(cursor) => {
                // (column, id) after (v, id₀): column ≤ v (a range bound), and past v's
                // own rows by id. A NULL column fails both comparisons.
                sql.push(" AND ")
                    .push(column)
                    .push(" ")
                    .push(comparison)
                    .push("= ");
                push_sort_value(&mut sql, &cursor.value);
                sql.push(" AND (")
                    .push(column)
                    .push(" ")
                    .push(comparison)
                    .push(" ");
                push_sort_value(&mut sql, &cursor.value);
                sql.push(" OR u.id ")
                    .push(comparison)
                    .push(" ")
                    .bind(cursor.id)
                    .push(")");
            }
            After::AmongNulls(id) => {
                sql.push(" AND ")
                    .push(column)
                    .push(" IS NULL AND u.id ")
                    .push(comparison)
                    .push(" ")
                    .bind(id);
            }
            After::Nulls => {
                sql.push(" AND ").push(column).push(" IS NULL");
            }
        }
        sql.push(" ORDER BY ")
            .push(column)
            .push(" ")
            .push(direction)
            .push(", u.id ")
            .push(direction)
            .push(" LIMIT ")
            .bind(i64::try_from(limit).unwrap_or(i64::MAX));
        Ok(user::Model::find_by_statement(sql.build())
            .all(&self.db)
            .await?)
    }

    /// How many of the bot's users match the filter. A filter that matches everyone reads
    /// the bot's user count (`bot_total`).
    pub async fn count_users(
        &self,
        bot: BotScope,
        filter: &Expr,
        now: Micros,
    ) -> Result<u64, StoreError> {
        let tags = TagIds::resolve(&self.db, bot.bot_id, filter).await?;
        Ok(count_matches(&self.db, bot, filter, now, &tags)
            .await?
            .total)
    }
}

/// How many of the bot's users match the filter (its tags looked up), on any connection
/// or inside a transaction, with the bot's user count when it was read. One tag or attribute condition is counted in its own table, and its
/// negation as the bot's total less that count (`sql::condition_count`); on
/// PostgreSQL an `any` of several filters as the union of their matches.
pub(crate) async fn count_matches(
    db: &impl ConnectionTrait,
    bot: BotScope,
    filter: &Expr,
    now: Micros,
    tags: &TagIds,
) -> Result<Counted, StoreError> {
    if filter.matches_everyone() {
        let users = bot_total(db, bot).await?;
        return Ok(Counted::with_bot_users(users, users));
    }
    let backend = db.get_database_backend();
    if let Some((count, negated)) = condition_count(backend, filter, bot.bot_id, tags) {
        let holders = count.count(db).await?;
        if !negated {
            return Ok(Counted::matches(holders));
        }
        let users = bot_total(db, bot).await?;
        return Ok(Counted::with_bot_users(
            users.saturating_sub(holders),
            users,
        ));
    }
    let mut sql = Sql::new(backend);
    if let (Expr::Any(branches), sea_orm::DbBackend::Postgres) = (filter, backend)
        && branches.len() > 1
    {
        // The union of each branch's matches. As one condition, PostgreSQL tested
        // every user of the bot against hashed subplans of each branch's tags and
        // attributes, after joining them all with their stats (0.3 s for `(vip AND
        // web) OR (business AND sentiment < 0)` on 300,000 users); each branch alone
        // plans as joins from its own indexes.
        sql.push("SELECT COUNT(*) AS count FROM (");
        for (index, branch) in branches.iter().enumerate() {
            if index > 0 {
                sql.push(" UNION ");
            }
            sql.push("SELECT u.id FROM ");
            push_matching(
                &mut sql,
                users_source(branch),
                branch,
                bot.bot_id,
                now,
                tags,
            );
        }
        sql.push(") matches");
        return Ok(Counted::matches(sql.count(db).await?));
    }
    sql.push("SELECT COUNT(*) AS count FROM ");
    push_matching(
        &mut sql,
        count_source(filter),
        filter,
        bot.bot_id,
        now,
        tags,
    );
    Ok(Counted::matches(sql.count(db).await?))
}

/// How many users the bot has: its count, which triggers keep in the transactions
/// that insert and delete users (migration 11), instead of counting every user.
async fn bot_total(db: &impl ConnectionTrait, bot: BotScope) -> Result<u64, StoreError> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
            "SELECT CAST(COALESCE(SUM(users), 0) AS BIGINT) AS count FROM bot_user_counts WHERE bot_id = ",
        )
        .bind(bot.bot_id);
    sql.count(db).await
}

/// How many users a filter matches, and the bot's user count when reading it was part of
/// the count (so that a page does not read it again).
pub(crate) struct Counted {
    pub(crate) total: u64,
    bot_users: Option<u64>,
}

impl Counted {
    fn matches(total: u64) -> Self {
        Counted {
            total,
            bot_users: None,
        }
    }

    fn with_bot_users(total: u64, bot_users: u64) -> Self {
        Counted {
            total,
            bot_users: Some(bot_users),
        }
    }
}

/// The page of one `Store::list_users` call.
struct Page<'a> {
    bot: BotScope,
    query: &'a ListQuery,
    /// What the page is ordered by.
    sort: SortColumn,
    /// Walk the sort order rather than read every match (`Store::walk_is_cheaper`).
    walk: bool,
    /// The ids of the tags the filter names.
    tags: &'a TagIds,
}

/// What a sort key orders pages by.
#[derive(Clone, Copy)]
struct SortColumn {
    /// The column of `u`.
    column: &'static str,
    /// Whether the column is in `user_stats` (else in `users`).
    stats: bool,
    /// Whether the column can be NULL.
    nullable: bool,
    /// Whether a PostgreSQL index serves its order within a bot (SQLite has one for every
    /// sort column, migration 12).
    indexed_on_postgres: bool,
}

impl SortColumn {
    /// Whether a page may walk this order (`Sql::walk_sort_order`): on PostgreSQL only
    /// where an index serves it; elsewhere the walk would be a read and sort of the whole
    /// bot with a test of every row.
    fn walkable(&self, backend: sea_orm::DbBackend) -> bool {
        backend != sea_orm::DbBackend::Postgres || self.indexed_on_postgres
    }

    /// The relation the page reads as `u`: to walk the order, the view whose outer table
    /// holds the column (see migration 12); else `user_rows`, where the planner starts
    /// from the filter's indexes and sorts the few matches.
    fn source(&self, walk: bool) -> &'static str {
        match (walk, self.stats) {
            (false, _) => "user_rows",
            (true, false) => "user_rows_users_first",
            (true, true) => "user_rows_stats_first",
        }
    }
}

/// The column a sort key orders by.
fn sort_column(key: SortKey) -> SortColumn {
    let (column, nullable) = match key {
        SortKey::Name => ("u.name_folded", true),
        SortKey::FirstName => ("u.first_name_folded", true),
        SortKey::LastName => ("u.last_name_folded", true),
        SortKey::Email => ("u.email_folded", true),
        SortKey::ExternalId => ("u.external_id_folded", true),
        SortKey::Channel => ("u.channel", false),
        SortKey::Sessions => ("u.sessions", false),
        SortKey::MessagesSent => ("u.messages_sent", false),
        SortKey::Clicks => ("u.clicks", false),
        SortKey::TimeSpentSecs => ("u.time_spent_secs", false),
        SortKey::AverageSentiment => ("u.average_sentiment", true),
        SortKey::LastMessageAt => ("u.last_message_at", true),
        SortKey::CreatedAt => ("u.created_at", false),
    };
    let stats = matches!(
        key,
        SortKey::Sessions
            | SortKey::MessagesSent
            | SortKey::Clicks
            | SortKey::TimeSpentSecs
            | SortKey::AverageSentiment
            | SortKey::LastMessageAt
    );
    // `users (bot_id, column, id)` indexes and `user_stats_bot_last_message` (migrations
    // 1, 6 and 13); the other stats columns have none on PostgreSQL (migration 12).
    let indexed_on_postgres = matches!(
        key,
        SortKey::Name
            | SortKey::FirstName
            | SortKey::Email
            | SortKey::ExternalId
            | SortKey::CreatedAt
            | SortKey::LastMessageAt
    );
    SortColumn {
        column,
        stats,
        nullable,
        indexed_on_postgres,
    }
}

/// Where a page starts, in (sort column, id) order with NULLs last in both directions.
enum After<'a> {
    /// At the first row.
    Start,
    /// After a row whose sort column holds a value: the rows with a value past it (the
    /// rows without one come after those, see `Store::page_rows`).
    Value(&'a Cursor),
    /// Among the rows whose sort column is NULL, after the one with this id.
    AmongNulls(i64),
    /// At the first row whose sort column is NULL.
    Nulls,
}

/// Binds a cursor's sort value (never called for `SortValue::Null`, which has no value).
fn push_sort_value(sql: &mut Sql, value: &SortValue) {
    match value {
        SortValue::Int(value) => {
            sql.bind(*value);
        }
        SortValue::Float(value) => {
            sql.bind(*value);
        }
        SortValue::Text(value) => {
            sql.bind(value.clone());
        }
        SortValue::Null => {
            sql.push("NULL");
        }
    }
}
