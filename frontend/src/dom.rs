//! Small helpers over the page's DOM that several components need.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Moves keyboard focus to the element with `id`, if it is on the page; says whether it
/// was there to take it.
pub fn focus(id: &str) -> bool {
    let element = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    match element {
        Some(element) => {
            let _ = element.focus();
            true
        }
        None => false,
    }
}

/// Moves keyboard focus to the text field with `id` and selects what it holds, so typing
/// replaces it; nothing when no such field is on the page.
pub fn focus_and_select(id: &str) {
    if let Some(field) = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        let _ = field.focus();
        field.select();
    }
}

/// Moves keyboard focus to the first control inside the elements matching `scope` that is
/// marked `aria-invalid="true"` (the browser scrolls it into view); says whether there was
/// one.
pub fn focus_first_invalid(scope: &str) -> bool {
    let element = document()
        .query_selector(&format!("{scope} [aria-invalid=\"true\"]"))
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    match element {
        Some(element) => {
            let _ = element.focus();
            true
        }
        None => false,
    }
}

/// Names the browser tab after what it shows: "`page` · Cohort".
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} · Cohort"));
}
