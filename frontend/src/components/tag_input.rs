//! A tag picker: the chosen tags as removable chips and a text box that adds one on Enter
//! (or on leaving it), suggesting the bot's existing tags. New tags are welcome too.

use leptos::ev;
use leptos::prelude::*;

/// The input `id` (its label points here) over `items`; every change goes to `on_change`.
/// `suggestions` fill the menu; `described_by` names the element with its error.
#[component]
pub fn TagInput(
    #[prop(into)] id: String,
    #[prop(into)] items: Signal<Vec<String>>,
    on_change: Callback<Vec<String>>,
    #[prop(into)] suggestions: Signal<Vec<String>>,
    #[prop(into)] described_by: String,
    #[prop(into, optional)] invalid: Signal<bool>,
) -> impl IntoView {
    let update = move |change: &dyn Fn(&mut Vec<String>)| {
        let mut next = items.get_untracked();
        change(&mut next);
        on_change.run(next);
    };
    let typed = RwSignal::new(String::new());
    let add = move || {
        let tag = typed.get_untracked().trim().to_owned();
        if tag.is_empty() {
            return;
        }
        typed.set(String::new());
        update(&|items| {
            if !items
                .iter()
                .any(|item| item.to_lowercase() == tag.to_lowercase())
            {
                items.push(tag.clone());
            }
        });
    };
    let keydown = move |event: ev::KeyboardEvent| match event.key().as_str() {
        "Enter" => {
            event.prevent_default();
            add();
        }
        "Backspace" if typed.with_untracked(String::is_empty) => {
            update(&|items| {
                items.pop();
            });
        }
        _ => {}
    };
    let list = format!("{id}-suggestions");
    view! {
        <div class="tag-input">
            <For each=move || items.get() key=|tag| tag.clone() let(tag)>
                <span class="chip chip--tag">
                    {tag.clone()}
                    <button
                        type="button"
                        class="chip__remove"
                        aria-label=format!("Remove {tag}")
                        on:click={
                            let tag = tag.clone();
                            move |_| update(&|items| items.retain(|item| *item != tag))
                        }
                    >
                        "×"
                    </button>
                </span>
            </For>
            <input
                id=id
                class="input input--bare"
                type="text"
                list=list.clone()
                placeholder="Type a tag, press Enter"
                autocomplete="off"
                aria-describedby=described_by
                aria-invalid=move || invalid.get().to_string()
                prop:value=move || typed.get()
                on:input=move |event| typed.set(event_target_value(&event))
                on:keydown=keydown
                on:blur=move |_| add()
            />
        </div>
        <datalist id=list>
            {move || {
                suggestions
                    .get()
                    .into_iter()
                    .map(|tag| view! { <option value=tag></option> })
                    .collect_view()
            }}
        </datalist>
    }
}
