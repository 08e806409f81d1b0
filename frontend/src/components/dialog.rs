//! A modal dialog: `role="dialog"` named by its title, focus moved in on opening and kept
//! inside (Tab and Shift+Tab cycle), Escape or a click beside it cancels, and focus goes
//! back to whatever had it before (the button that opened it).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What can take focus inside a dialog, in tab order.
pub const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// A centred dialog titled `title` (its accessible name, also in `id`), with `children`
/// as its body. `on_cancel` runs on Escape, on the backdrop and on the × button. The first
/// field gets focus when it opens; without one, a dialog that confirms something
/// destructive (a `.button--danger` among its actions) focuses its safe action (Cancel),
/// any other its first button.
#[component]
pub fn Dialog(
    #[prop(into)] title: Signal<String>,
    id: &'static str,
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let opener = document()
        .active_element()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    let opener = StoredValue::new_local(opener);
    on_cleanup(move || {
        if let Some(Some(opener)) = opener.try_get_value() {
            let _ = opener.focus();
        }
    });
    let panel = NodeRef::<leptos::html::Div>::new();
    let keydown = window_event_listener(ev::keydown, move |event| match event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            on_cancel.run(());
        }
        "Tab" => {
            if let Some(panel) = panel.get_untracked() {
                keep_focus_inside(&panel, &event);
            }
        }
        _ => {}
    });
    on_cleanup(move || keydown.remove());
    Effect::new(move |_| {
        let Some(panel) = panel.get() else { return };
        let first = panel
            .query_selector("input:not([disabled]), select:not([disabled]), textarea")
            .ok()
            .flatten()
            .or_else(|| {
                let destructive = panel
                    .query_selector(".dialog__actions .button--danger")
                    .ok()
                    .flatten()
                    .is_some();
                destructive
                    .then(|| {
                        panel
                            .query_selector(".dialog__actions .button:not(.button--danger)")
                            .ok()
                            .flatten()
                    })
                    .flatten()
            })
            .or_else(|| panel.query_selector(FOCUSABLE).ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(first) = first {
            let _ = first.focus();
        }
    });
    let title_id = format!("{id}-title");

    view! {
        <div class="dialog-backdrop" on:click=move |_| on_cancel.run(())></div>
        <div
            class="dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby=title_id.clone()
            id=id
            node_ref=panel
        >
            <header class="dialog__header">
                <h2 class="dialog__title" id=title_id.clone()>
                    {move || title.get()}
                </h2>
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Close"
                    on:click=move |_| on_cancel.run(())
                >
                    "×"
                </button>
            </header>
            {children()}
        </div>
    }
}

/// Keeps Tab and Shift+Tab among the focusable elements inside `panel`.
pub fn keep_focus_inside(panel: &web_sys::HtmlElement, event: &web_sys::KeyboardEvent) {
    let Ok(focusable) = panel.query_selector_all(FOCUSABLE) else {
        return;
    };
    let count = focusable.length();
    if count == 0 {
        return;
    }
    let (first, last) = (focusable.item(0), focusable.item(count - 1));
    let active = document().active_element();
    let is_active = |node: &Option<web_sys::Node>| match (node, &active) {
        (Some(node), Some(active)) => node.is_same_node(Some(active)),
        _ => false,
    };
    let inside = active
        .as_ref()
        .is_some_and(|active| panel.contains(Some(active)));
    let target = match (event.shift_key(), inside) {
        (true, true) if is_active(&first) => last,
        (false, true) if is_active(&last) => first,
        (true, false) => last,
        (false, false) => first,
        _ => None,
    };
    if let Some(target) = target.and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok()) {
        event.prevent_default();
        let _ = target.focus();
    }
}
