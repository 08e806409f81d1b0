//! What the Users page shows, as one value that is also its URL: the bot, the quick
//! search, the filter, the sort, the page size and the open user. Reading the address bar
//! gives the same value back, so reload, shared links and Back/Forward restore the view.
//! A plain struct, so the rules are unit-tested natively.

use cohort_core::api::SearchUsers;
use cohort_core::sort::{Sort, SortKey};
use serde_json::{Value, json};

/// The order the table starts in: most recent message first.
pub const DEFAULT_SORT: &str = "-last_message_at";

/// The page sizes offered; the first page size is `DEFAULT_PAGE_SIZE`.
pub const PAGE_SIZES: [u64; 5] = [25, 50, 100, 250, 500];

/// Users per page unless the admin picks another size.
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// The columns the quick search box looks in: the name as shown, email and external id.
const SEARCH_COLUMNS: [&str; 3] = ["name", "email", "external_id"];

/// The Users page's view.
#[derive(Debug, Clone, PartialEq)]
pub struct UsersQuery {
    /// The bot shown; `None` for the workspace's first.
    pub bot: Option<String>,
    /// The quick search text, as typed; blank means no search.
    pub search: String,
    /// The filter built with Column · Function · Value, as the API's JSON (already checked).
    pub filter: Option<Value>,
    /// Column key to sort by, `-` in front for descending.
    pub sort: String,
    /// Users per page, one of `PAGE_SIZES`.
    pub limit: u64,
    /// The user whose page is open over the table.
    pub user: Option<String>,
}

impl Default for UsersQuery {
    fn default() -> Self {
        Self {
            bot: None,
            search: String::new(),
            filter: None,
            sort: DEFAULT_SORT.to_owned(),
            limit: DEFAULT_PAGE_SIZE,
            user: None,
        }
    }
}

/// What was wrong with an address the admin opened (the rest of it still applies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlProblem(pub String);

impl UsersQuery {
    /// The view an address describes: `path` is `/` or `/users/{id}`, `query` the part
    /// after `?` (without it). Parts that do not parse fall back to their defaults; a
    /// filter that does not parse or check is dropped and reported.
    pub fn from_url(path: &str, query: &str) -> (Self, Option<UrlProblem>) {
        let mut view = Self {
            user: path
                .strip_prefix("/users/")
                .map(|id| id.trim_end_matches('/'))
                .filter(|id| !id.is_empty() && !id.contains('/'))
                .map(percent_decode),
            ..Self::default()
        };
        let mut problem = None;
        for (key, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            match key.as_ref() {
                "bot" if !value.is_empty() => view.bot = Some(value.into_owned()),
                "q" => view.search = value.into_owned(),
                "sort" if Sort::parse(&value).is_ok() => view.sort = value.into_owned(),
                "limit" => {
                    if let Some(limit) = value
                        .parse::<u64>()
                        .ok()
                        .filter(|limit| PAGE_SIZES.contains(limit))
                    {
                        view.limit = limit;
                    }
                }
                "filter" => match checked_filter(&value) {
                    Ok(filter) => view.filter = filter,
                    Err(message) => problem = Some(UrlProblem(message)),
                },
                _ => {}
            }
        }
        (view, problem)
    }

    /// The address of this view: the path and, when anything differs from the defaults,
    /// `?` and the query.
    pub fn to_url(&self) -> String {
        let mut path = match &self.user {
            Some(user) => format!("/users/{}", percent_encode(user)),
            None => "/".to_owned(),
        };
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(bot) = &self.bot {
            query.append_pair("bot", bot);
        }
        if !self.search.trim().is_empty() {
            query.append_pair("q", &self.search);
        }
        if let Some(filter) = &self.filter {
            query.append_pair("filter", &filter.to_string());
        }
        if self.sort != DEFAULT_SORT {
            query.append_pair("sort", &self.sort);
        }
        if self.limit != DEFAULT_PAGE_SIZE {
            query.append_pair("limit", &self.limit.to_string());
        }
        let query = query.finish();
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query);
        }
        path
    }

    /// The sort in force (the default one if the text does not parse).
    pub fn current_sort(&self) -> Sort {
        Sort::parse(&self.sort).unwrap_or_default()
    }

    /// The view sorted by `key`: by the column already sorted, the other way round; by a
    /// new column, names A to Z and numbers and times largest or latest first.
    pub fn with_sort_by(&self, key: SortKey) -> Self {
        let current = self.current_sort();
        let descending = if current.key == key {
            !current.descending
        } else {
            !matches!(
                key,
                SortKey::Name
                    | SortKey::FirstName
                    | SortKey::LastName
                    | SortKey::Email
                    | SortKey::ExternalId
                    | SortKey::Channel
            )
        };
        Self {
            sort: Sort { key, descending }.as_string(),
            ..self.clone()
        }
    }

    /// Whether a search or a filter narrows the users down.
    pub fn is_filtered(&self) -> bool {
        self.effective_filter().is_some()
    }

    /// The view without search and filter (sort, size and bot kept).
    pub fn cleared(&self) -> Self {
        Self {
            search: String::new(),
            filter: None,
            user: None,
            ..self.clone()
        }
    }

    /// The filter the API gets: the built filter AND the quick search, which matches the
    /// name as shown, the email or the external id.
    pub fn effective_filter(&self) -> Option<Value> {
        let text = self.search.trim();
        let search = (!text.is_empty()).then(|| {
            let conditions: Vec<Value> = SEARCH_COLUMNS
                .iter()
                .map(|column| json!({"column": column, "function": "contains", "value": text}))
                .collect();
            json!({ "any": conditions })
        });
        match (search, self.filter.clone()) {
            (None, filter) => filter,
            (Some(search), None) => Some(search),
            (Some(search), Some(filter)) => Some(json!({"all": [search, filter]})),
        }
    }

    /// Where the built filter sits in a search body, for placing the API's error pointers
    /// on the builder's rows: `/filter`, or `/filter/all/1` beside a quick search.
    pub fn filter_pointer(&self) -> &'static str {
        if self.search.trim().is_empty() {
            "/filter"
        } else {
            "/filter/all/1"
        }
    }

    /// The request body for the page after `cursor` (the first page for `None`).
    pub fn body(&self, cursor: Option<String>) -> SearchUsers {
        SearchUsers {
            filter: self.effective_filter(),
            sort: Some(self.sort.clone()),
            limit: Some(self.limit),
            cursor,
        }
    }
}

/// A filter from the address: JSON that the core's parser accepts, or what is wrong.
fn checked_filter(text: &str) -> Result<Option<Value>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|_| "The filter in this link is damaged (it is not valid JSON), so no users are shown. Clear the filter to see everyone.")?;
    match cohort_core::filter::parse(&value, "") {
        Ok(_) => Ok(Some(value)),
        Err(errors) => {
            let detail = errors
                .first()
                .map(|error| format!(" ({})", crate::display::sentence(&error.message)))
                .unwrap_or_default();
            Err(format!(
                "The filter in this link cannot be applied{detail}, so no users are shown. Clear the filter to see everyone."
            ))
        }
    }
}

/// Percent-encodes one path segment.
pub fn percent_encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Decodes a percent-encoded path segment (invalid escapes stay as they are).
fn percent_decode(segment: &str) -> String {
    form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn round_trip(view: &UsersQuery) {
        let url = view.to_url();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let (back, problem) = UsersQuery::from_url(path, query);
        assert_eq!(problem, None, "{url}");
        assert_eq!(&back, view, "{url}");
    }

    #[test]
    fn the_default_view_is_the_bare_root() {
        assert_eq!(UsersQuery::default().to_url(), "/");
        round_trip(&UsersQuery::default());
    }

    #[test]
    fn every_part_of_the_view_survives_the_address_bar() {
        let view = UsersQuery {
            bot: Some("7".to_owned()),
            search: "Zoë & co".to_owned(),
            filter: Some(json!({"all": [
                {"column": "channel", "function": "is", "value": "telegram"},
                {"any": [
                    {"column": "average_sentiment", "function": "less_than", "value": -0.05},
                    {"column": "tags", "function": "has", "value": "Complained"}
                ]}
            ]})),
            sort: "-sessions".to_owned(),
            limit: 250,
            user: Some("42".to_owned()),
        };
        assert!(
            view.to_url()
                .starts_with("/users/42?bot=7&q=Zo%C3%AB+%26+co&filter=")
        );
        round_trip(&view);
    }

    #[test]
    fn a_hand_edited_filter_is_left_out_with_a_reason() {
        let (view, problem) = UsersQuery::from_url("/", "filter=%7Bnonsense&sort=-clicks");
        assert_eq!(view.filter, None);
        assert_eq!(view.sort, "-clicks");
        assert!(problem.is_some_and(|problem| problem.0.contains("not valid JSON")));

        let wrong = json!({"column": "sessions", "function": "contains", "value": "x"});
        let query = format!("filter={}", percent_encode(&wrong.to_string()));
        let (view, problem) = UsersQuery::from_url("/", &query);
        assert_eq!(view.filter, None);
        let problem = problem.map(|problem| problem.0).unwrap_or_default();
        assert!(
            problem.contains("cannot be applied (") && problem.contains("contains"),
            "{problem}"
        );
    }

    #[test]
    fn unknown_sizes_and_sorts_fall_back_to_the_defaults() {
        let (view, problem) = UsersQuery::from_url("/users/", "limit=7&sort=favourite&x=1");
        assert_eq!(problem, None);
        assert_eq!(view, UsersQuery::default());
    }

    #[test]
    fn the_quick_search_looks_in_name_email_and_external_id_beside_the_filter() {
        let tag = json!({"column": "tags", "function": "has", "value": "vip"});
        let view = UsersQuery {
            search: "  yin ".to_owned(),
            filter: Some(tag.clone()),
            ..UsersQuery::default()
        };
        let search = json!({"any": [
            {"column": "name", "function": "contains", "value": "yin"},
            {"column": "email", "function": "contains", "value": "yin"},
            {"column": "external_id", "function": "contains", "value": "yin"},
        ]});
        let body = serde_json::to_value(view.body(Some("abc".to_owned()))).unwrap_or_default();
        assert_eq!(
            body,
            json!({"filter": {"all": [search, tag]}, "sort": "-last_message_at", "limit": 50, "cursor": "abc"})
        );
        assert!(view.is_filtered());
        assert!(!view.cleared().is_filtered());
    }

    #[test]
    fn sorting_a_new_column_picks_its_natural_order_and_again_reverses_it() {
        let by_sessions = UsersQuery::default().with_sort_by(SortKey::Sessions);
        assert_eq!(by_sessions.sort, "-sessions");
        assert_eq!(by_sessions.with_sort_by(SortKey::Sessions).sort, "sessions");
        let by_name = by_sessions.with_sort_by(SortKey::Name);
        assert_eq!(by_name.sort, "name");
        assert_eq!(by_name.with_sort_by(SortKey::Name).sort, "-name");
        assert_eq!(
            UsersQuery::default()
                .with_sort_by(SortKey::LastMessageAt)
                .sort,
            "last_message_at"
        );
    }
}
