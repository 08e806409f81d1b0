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
