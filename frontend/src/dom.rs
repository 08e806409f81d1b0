//! Small helpers over the page's DOM that several components need.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Moves keyboard focus to the element with `id`, if it is on the page; says whether it
/// was there to take it.
pub fn focus(id: &str) -> bool {
    focus_element(document().get_element_by_id(id))
}

/// Moves keyboard focus to the first control inside the elements matching `scope` that is
/// marked `aria-invalid="true"` (the browser scrolls it into view); says whether there was
/// one.
pub fn focus_first_invalid(scope: &str) -> bool {
    focus_element(
        document()
            .query_selector(&format!("{scope} [aria-invalid=\"true\"]"))
            .ok()
            .flatten(),
    )
}

/// Moves keyboard focus to the `index`th element matching `selector`, or the last when
/// there are fewer; says whether there was one.
pub fn focus_nth(selector: &str, index: usize) -> bool {
    let Ok(matches) = document().query_selector_all(selector) else {
        return false;
    };
    let last = matches.length().checked_sub(1);
    let at = last.map(|last| u32::try_from(index).map_or(last, |index| index.min(last)));
    focus_element(
        at.and_then(|at| matches.item(at))
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok()),
    )
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

/// Names the browser tab after what it shows: "`page` · Cohort".
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} · Cohort"));
}

/// Focuses `element` when there is one that can take focus; says whether it did.
fn focus_element(element: Option<web_sys::Element>) -> bool {
    match element.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(element) => {
            let _ = element.focus();
            true
        }
        None => false,
    }
}
