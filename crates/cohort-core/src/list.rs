//! A list request (`GET /users` query string or `POST /users/search` body) checked into a
//! `ListQuery`: the filter parsed, the sort and cursor decoded, the page size in range.

use serde_json::Value;

use crate::api::FieldError;
use crate::filter::{self, Expr};
use crate::limits::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::sort::{Cursor, Sort};
use crate::time::Micros;

/// A checked list request, what the store lists by.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub filter: Expr,
    pub sort: Sort,
    /// Page size, 1 to `MAX_PAGE_SIZE`.
    pub limit: u64,
    pub cursor: Option<Cursor>,
    /// The time relative filters are measured from, in microseconds since the epoch.
    pub now: Micros,
}

/// The list parameters as received. `base` prefixes pointers: `/query` or ``.
pub struct RawListQuery<'a> {
    pub base: &'a str,
    pub filter: Option<Result<Value, String>>,
    pub sort: Option<&'a str>,
    pub limit: Option<u64>,
    pub cursor: Option<&'a str>,
}

impl RawListQuery<'_> {
    /// Checks everything, reporting every mistake at once with its pointer; relative
    /// filters ("within the last 7 days") are measured from `now`.
    pub fn check(self, now: Micros) -> Result<ListQuery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let filter_pointer = format!("{}/filter", self.base);
        let filter = match self.filter {
            None => Expr::everyone(),
            Some(Err(message)) => {
                errors.push(FieldError::new(&filter_pointer, message));
                Expr::everyone()
            }
            Some(Ok(value)) => filter::parse(&value, &filter_pointer).unwrap_or_else(|more| {
                errors.extend(more);
                Expr::everyone()
            }),
        };
        let sort = match self.sort.map(Sort::parse) {
            None => Sort::default(),
            Some(Ok(sort)) => sort,
            Some(Err(message)) => {
                errors.push(FieldError::new(format!("{}/sort", self.base), message));
                Sort::default()
            }
        };
        let limit = self.limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            errors.push(FieldError::new(
                format!("{}/limit", self.base),
                format!("limit is 1 to {MAX_PAGE_SIZE}"),
            ));
        }
        // An empty cursor is no cursor this API gave out (the document says so too), as on
        // every other paged list; leaving it out asks for the first page.
        let cursor = match self.cursor.map(|c| Cursor::decode(c, sort)) {
            None => None,
            Some(Ok(cursor)) => Some(cursor),
            Some(Err(message)) => {
                errors.push(FieldError::new(format!("{}/cursor", self.base), message));
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ListQuery {
            filter,
            sort,
            limit,
            cursor,
            now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw<'a>(base: &'a str) -> RawListQuery<'a> {
        RawListQuery {
            base,
            filter: None,
            sort: None,
            limit: None,
            cursor: None,
        }
    }

    #[test]
    fn nothing_given_lists_everyone_by_the_default_sort_and_page_size() {
        let query = raw("/query").check(42).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(query.filter, Expr::everyone());
        assert_eq!(query.sort, Sort::default());
        assert_eq!(query.limit, DEFAULT_PAGE_SIZE);
        assert!(query.cursor.is_none());
        assert_eq!(query.now, 42);
    }

    #[test]
    fn every_mistake_is_reported_at_once_under_the_base_pointer() {
        let query = RawListQuery {
            filter: Some(Err("the filter is not valid JSON".to_owned())),
            sort: Some("shoe_size"),
            limit: Some(MAX_PAGE_SIZE + 1),
            cursor: Some("not a cursor"),
            ..raw("/query")
        };
        let errors = query.check(0).err().unwrap_or_default();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/query/filter",
                "/query/sort",
                "/query/limit",
                "/query/cursor"
            ]
        );
        let empty_cursor = RawListQuery {
            cursor: Some(""),
            ..raw("")
        };
        let errors = empty_cursor.check(0).err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/cursor");
        let in_a_body = RawListQuery {
            limit: Some(0),
            ..raw("")
        };
        let errors = in_a_body.check(0).err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/limit");
    }
}
