//! The address bar as the Users page's state: reading the view from it, writing a new view
//! into the browser history, and hearing Back and Forward.

use leptos::ev;
use leptos::prelude::*;

use crate::users_query::{UrlProblem, UsersQuery};

/// The view the address bar describes now, and what was wrong with it.
pub fn current() -> (UsersQuery, Option<UrlProblem>) {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    UsersQuery::from_url(&path, &search)
}

/// Makes `view` a new entry in the browser history (nothing when it is already shown).
pub fn push(view: &UsersQuery) {
    write(view, false);
}

/// Puts `view` in place of the current history entry (for corrections, not navigation).
pub fn replace(view: &UsersQuery) {
    write(view, true);
}

fn write(view: &UsersQuery, in_place: bool) {
    let url = view.to_url();
    let location = window().location();
    let shown = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if shown == url {
        return;
    }
    let Ok(history) = window().history() else {
        return;
    };
    let state = wasm_bindgen::JsValue::NULL;
    let _ = if in_place {
        history.replace_state_with_url(&state, "", Some(&url))
    } else {
        history.push_state_with_url(&state, "", Some(&url))
    };
}

/// Calls `changed` with the new view whenever Back or Forward moves through the history,
/// for as long as the calling component lives.
pub fn on_back_or_forward(changed: impl Fn(UsersQuery, Option<UrlProblem>) + 'static) {
    let listener = window_event_listener(ev::popstate, move |_| {
        let (view, problem) = current();
        changed(view, problem);
    });
    on_cleanup(move || listener.remove());
}
