//! The filter bar for now: one search field on the first name, applied with Enter or
//! **Apply**.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// A labelled search field "Search by first name" and an **Apply** button. `applied` is
/// the text in force, so a **Clear** button can show while a filter narrows the table.
#[component]
pub fn FirstNameFilter(
    on_apply: Callback<String>,
    #[prop(into)] applied: Signal<String>,
) -> impl IntoView {
    let draft = RwSignal::new(applied.get_untracked());
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        on_apply.run(draft.get_untracked());
    };
    let clear = move |_| {
        draft.set(String::new());
        on_apply.run(String::new());
    };

    view! {
        <form class="filter-bar" role="search" on:submit=submit>
            <label class="visually-hidden" for="first-name-search">
                "Search by first name"
            </label>
            <div class="search-field">
                <svg class="search-field__icon" viewBox="0 0 20 20" aria-hidden="true">
                    <circle cx="8.5" cy="8.5" r="5.5" />
                    <line x1="12.5" y1="12.5" x2="17" y2="17" />
                </svg>
                <input
                    id="first-name-search"
                    class="input search-field__input"
                    type="text"
                    placeholder="Search by first name"
                    autocomplete="off"
                    prop:value=move || draft.get()
                    on:input=move |event| draft.set(event_target_value(&event))
                />
            </div>
            <button type="submit" class="button button--primary">
                "Apply"
            </button>
            <Show when=move || !applied.get().is_empty()>
                <button type="button" class="button button--ghost" on:click=clear>
                    "Clear"
                </button>
            </Show>
        </form>
    }
}
