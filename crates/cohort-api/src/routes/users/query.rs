//! Turns the list parameters (from a query string or a search body) into a checked
//! `ListQuery`, reporting every mistake at once with its pointer.

use chrono::Utc;
use cohort_core::api::FieldError;
use cohort_core::filter::{self, Expr};
use cohort_core::limits::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use cohort_core::sort::{Cursor, Sort};
use cohort_core::time::to_micros;
use cohort_store::ListQuery;
use serde_json::Value;

use crate::error::ApiError;

/// The list parameters as received. `base` prefixes pointers: `/query` or ``.
pub struct RawListQuery<'a> {
    pub base: &'a str,
    pub filter: Option<Result<Value, String>>,
    pub sort: Option<&'a str>,
    pub limit: Option<u64>,
    pub cursor: Option<&'a str>,
}

impl RawListQuery<'_> {
    /// Checks everything; the first error's message becomes the problem's detail.
    pub fn check(self) -> Result<ListQuery, ApiError> {
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
        let cursor = match self
            .cursor
            .filter(|cursor| !cursor.is_empty())
            .map(|c| Cursor::decode(c, sort))
        {
            None => None,
            Some(Ok(cursor)) => Some(cursor),
            Some(Err(message)) => {
                errors.push(FieldError::new(format!("{}/cursor", self.base), message));
                None
            }
        };
        if let Some(first) = errors.first() {
            return Err(ApiError::Invalid {
                detail: first.message.clone(),
                errors,
            });
        }
        Ok(ListQuery {
            filter,
            sort,
            limit,
            cursor,
            now: to_micros(Utc::now()),
        })
    }
}
