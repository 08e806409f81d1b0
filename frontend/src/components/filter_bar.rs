//! The filter bar: the quick search box, the applied conditions as chips, **Add Filter**,
//! and "N users" for the filter in force.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::display::users_count;
use crate::filter_draft::NodeId;

/// `search` is the quick search in force (`on_search` applies another); `chips` the
/// applied conditions, each opening the editor (`on_edit`) or removed (`on_remove`);
/// `on_add` opens the editor with a new row. `total` stays shown, dimmed, while `loading`.
#[component]
pub fn FilterBar(
    #[prop(into)] search: Signal<String>,
    on_search: Callback<String>,
    #[prop(into)] chips: Signal<Vec<(NodeId, String)>>,
    on_edit: Callback<()>,
    on_remove: Callback<NodeId>,
    on_add: Callback<()>,
    #[prop(into)] editor_open: Signal<bool>,
    #[prop(into)] total: Signal<Option<u64>>,
    #[prop(into)] loading: Signal<bool>,
) -> impl IntoView {
    let typed = RwSignal::new(search.get_untracked());
    // Back, Forward and Clear change the search in force: the box follows.
    Effect::new(move |_| typed.set(search.get()));
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        on_search.run(typed.get_untracked());
    };

    view! {
        <div class="filter-bar">
            <form class="search-form" role="search" on:submit=submit>
                <label class="visually-hidden" for="quick-search">
                    "Search name, email or id"
                </label>
                <div class="search-field">
                    <svg class="search-field__icon" viewBox="0 0 20 20" aria-hidden="true">
                        <circle cx="8.5" cy="8.5" r="5.5" />
                        <line x1="12.5" y1="12.5" x2="17" y2="17" />
                    </svg>
                    <input
                        id="quick-search"
                        class="input search-field__input"
                        type="search"
                        placeholder="Search name, email or id"
                        autocomplete="off"
                        enterkeyhint="search"
                        prop:value=move || typed.get()
                        on:input=move |event| {
                            let text = event_target_value(&event);
                            // Emptying the box (its × included) shows everyone again.
                            if text.is_empty() && !search.get_untracked().is_empty() {
                                on_search.run(String::new());
                            }
                            typed.set(text);
                        }
                    />
                </div>
            </form>
            <ul class="filter-chips" aria-label="Applied filters">
                <For each=move || chips.get() key=|chip| chip.clone() let((id, words))>
                    <li class="filter-chip">
                        <button
                            type="button"
                            class="filter-chip__text"
                            aria-label=format!("Edit filter: {words}")
                            on:click=move |_| on_edit.run(())
                        >
                            {words.clone()}
                        </button>
                        <button
                            type="button"
                            class="filter-chip__remove"
                            aria-label=format!("Remove filter: {words}")
                            on:click=move |_| {
                                let index = chips
                                    .with_untracked(|chips| {
                                        chips.iter().position(|(chip, _)| *chip == id)
                                    })
                                    .unwrap_or_default();
                                on_remove.run(id);
                                // Focus stays in the bar, once the chips are drawn again.
                                request_animation_frame(move || focus_after_removal(index));
                            }
                        >
                            "×"
                        </button>
                    </li>
                </For>
            </ul>
            <button
                type="button"
                id="add-filter"
                class="button button--secondary"
                aria-expanded=move || editor_open.get().to_string()
                aria-controls="filter-editor"
                on:click=move |_| on_add.run(())
            >
                <span aria-hidden="true">"+ "</span>
                "Add Filter"
            </button>
            <p class="users-count" class:is-stale=move || loading.get() aria-live="polite">
                {move || total.get().map(users_count)}
            </p>
        </div>
    }
}

/// After the chip at `index` went: focus the remove button of the chip now in its place,
/// else of the one before it, else **Add Filter**.
fn focus_after_removal(index: usize) {
    if !crate::dom::focus_nth(".filter-chip__remove", index) {
        crate::dom::focus("add-filter");
    }
}
