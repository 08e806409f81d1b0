//! A list the API pages by cursor, newest first, that the app grows a page at a time
//! ("Load older messages", "Show older"): a user's messages and a bot's activity.

use std::future::Future;

use cohort_core::api::{AuditEntry, AuditPage, Message, MessagePage};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use crate::api::ApiError;

/// A page of a cursor-paged list as the API answers it: `{data, next_cursor, total}`.
pub trait CursorPage {
    /// What the list holds.
    type Item;
    /// The page's items, the total in the whole list, and the cursor of the next page
    /// (none on the last).
    fn into_parts(self) -> (Vec<Self::Item>, u64, Option<String>);
}

impl CursorPage for MessagePage {
    type Item = Message;
    fn into_parts(self) -> (Vec<Message>, u64, Option<String>) {
        (self.data, self.total, self.next_cursor)
    }
}

impl CursorPage for AuditPage {
    type Item = AuditEntry;
    fn into_parts(self) -> (Vec<AuditEntry>, u64, Option<String>) {
        (self.data, self.total, self.next_cursor)
    }
}

/// The items read so far, the list's total, and whether a page is on its way. Copy it into
/// views freely; `load_older` asks for the next page.
pub struct CursorList<T: Send + Sync + 'static> {
    /// Every item read so far, in the API's order.
    pub items: RwSignal<Vec<T>>,
    /// How many items the whole list holds; none until the first page arrives.
    pub total: RwSignal<Option<u64>>,
    /// A page is on its way.
    pub loading: RwSignal<bool>,
    next_cursor: RwSignal<Option<String>>,
    fetch_next: Callback<()>,
}

impl<T: Send + Sync + 'static> Clone for CursorList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for CursorList<T> {}

impl<T: Send + Sync + 'static> CursorList<T> {
    /// Starts reading the list: `fetch(cursor)` answers one page (the first for none), and
    /// a failure goes to `on_error`. A page that arrives after the calling component has
    /// gone is dropped.
    pub fn new<Page, Fut>(
        fetch: impl Fn(Option<String>) -> Fut + Send + Sync + 'static,
        on_error: Callback<ApiError>,
    ) -> Self
    where
        Page: CursorPage<Item = T>,
        Fut: Future<Output = Result<Page, ApiError>> + 'static,
    {
        let items = RwSignal::new(Vec::new());
        let total = RwSignal::new(None);
        let loading = RwSignal::new(false);
        let next_cursor = RwSignal::new(None::<String>);
        let fetch_next = Callback::new(move |()| {
            loading.set(true);
            let page = fetch(next_cursor.get_untracked());
            spawn_local_scoped_with_cancellation(async move {
                let result = page.await;
                loading.set(false);
                match result {
                    Ok(page) => {
                        let (data, count, cursor) = page.into_parts();
                        items.update(|shown| shown.extend(data));
                        total.set(Some(count));
                        next_cursor.set(cursor);
                    }
                    Err(failure) => on_error.run(failure),
                }
            });
        });
        fetch_next.run(());
        Self {
            items,
            total,
            loading,
            next_cursor,
            fetch_next,
        }
    }

    /// There is an older page to read, and none is on its way.
    pub fn has_older(&self) -> bool {
        !self.loading.get() && self.next_cursor.with(Option::is_some)
    }

    /// Everything is read and the list holds nothing.
    pub fn is_empty(&self) -> bool {
        !self.loading.get() && self.items.with(Vec::is_empty)
    }

    /// Asks for the page after the ones shown.
    pub fn load_older(&self) {
        self.fetch_next.run(());
    }
}
