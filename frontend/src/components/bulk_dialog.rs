//! The dialog of each bulk action: tags to add or remove, an attribute's key and value, or
//! the delete confirmation that names the count. What is typed is checked with the core's
//! own rules before anything is sent, and the API's field errors land at the same fields.

use std::collections::BTreeMap;

use cohort_core::api::{BulkAction, FieldError};
use leptos::ev;
use leptos::prelude::*;

use crate::components::bulk_toolbar::BulkKind;
use crate::components::dialog::Dialog;
use crate::components::tag_input::TagInput;
use crate::display::{format_count, sentence};

/// The dialog for `kind` on `count` selected users (`None` while the count loads, for
/// Delete). `on_submit` gets a checked action; `errors` are the API's answer to the last
/// one, and `busy` is set while it runs. `note` explains a changed count (after a 409).
#[component]
pub fn BulkDialog(
    kind: BulkKind,
    #[prop(into)] count: Signal<Option<u64>>,
    #[prop(into)] tags: Signal<Vec<String>>,
    #[prop(into)] keys: Signal<Vec<String>>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] note: Signal<Option<String>>,
    on_submit: Callback<BulkAction>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let chosen_tags = RwSignal::new(Vec::<String>::new());
    let key = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let local_errors = RwSignal::new(Vec::<FieldError>::new());
    let shown_errors = move |prefix: &'static str| {
        let mut messages: Vec<String> = local_errors.with(|errors| {
            errors
                .iter()
                .filter(|error| error.pointer.starts_with(prefix))
                .map(|error| sentence(&error.message))
                .collect()
        });
        messages.extend(errors.with(|errors| {
            errors
                .iter()
                .filter(|error| error.pointer.starts_with(&format!("/action{prefix}")))
                .map(|error| error.message.clone())
                .collect::<Vec<_>>()
        }));
        messages.dedup();
        messages
    };
    let users = move || {
        count
            .get()
            .map(|count| {
                let noun = if count == 1 { "user" } else { "users" };
                format!("{} {noun}", format_count(count))
            })
            .unwrap_or_else(|| "the selected users".to_owned())
    };
    let title = Signal::derive(move || match kind {
        BulkKind::AddTags => format!("Add tags to {}", users()),
        BulkKind::RemoveTags => format!("Remove tags from {}", users()),
        BulkKind::AddAttribute => format!("Add an attribute to {}", users()),
        BulkKind::RemoveAttribute => format!("Remove an attribute from {}", users()),
        BulkKind::Delete => format!("Delete {}?", users()),
    });
    let action = move || match kind {
        BulkKind::AddTags => BulkAction::AddTags {
            tags: chosen_tags.get_untracked(),
        },
        BulkKind::RemoveTags => BulkAction::RemoveTags {
            tags: chosen_tags.get_untracked(),
        },
        BulkKind::AddAttribute => BulkAction::SetAttributes {
            attributes: BTreeMap::from([(
                key.get_untracked().trim().to_owned(),
                value.get_untracked(),
            )]),
        },
        BulkKind::RemoveAttribute => BulkAction::RemoveAttributes {
            keys: vec![key.get_untracked().trim().to_owned()],
        },
        BulkKind::Delete => BulkAction::Delete {
            confirm: count.get_untracked().unwrap_or_default(),
        },
    };
    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() || (kind == BulkKind::Delete && count.get_untracked().is_none()) {
            return;
        }
        let action = action();
        match cohort_core::bulk::check_action(&action, "") {
            Ok(_) => {
                local_errors.set(Vec::new());
                on_submit.run(action);
            }
            Err(problems) => local_errors.set(problems),
        }
    };
    let confirm_words = move || match kind {
        BulkKind::Delete => match count.get() {
            Some(count) => format!(
                "Delete {} {}",
                format_count(count),
                if count == 1 { "user" } else { "users" }
            ),
            None => "Counting…".to_owned(),
        },
        other => other.label().to_owned(),
    };
    let field_error = move |prefix: &'static str, id: &'static str| {
        view! {
            <p class="row-error" id=id aria-live="polite">
                {move || shown_errors(prefix).join(" ")}
            </p>
        }
    };
    let attribute_keys = "bulk-attribute-keys";

    view! {
        <Dialog title id="bulk-dialog" on_cancel>
            <form class="dialog__body" novalidate on:submit=submit>
                {move || note.get().map(|note| view! { <p class="form-error" role="alert">{note}</p> })}
                {match kind {
                    BulkKind::AddTags | BulkKind::RemoveTags => view! {
                        <div class="field">
                            <label class="field__label" for="bulk-tags">"Tags"</label>
                            <TagInput
                                id="bulk-tags"
                                items=chosen_tags
                                on_change=Callback::new(move |next| chosen_tags.set(next))
                                suggestions=tags
                                described_by="bulk-tags-error"
                            />
                            <p class="field__hint">"Type a tag and press Enter; add several at once."</p>
                            {field_error("/tags", "bulk-tags-error")}
                        </div>
                    }
                    .into_any(),
                    BulkKind::AddAttribute | BulkKind::RemoveAttribute => view! {
                        <div class="field">
                            <label class="field__label" for="bulk-key">"Key"</label>
                            <input
                                id="bulk-key"
                                class="input"
                                type="text"
                                list=attribute_keys
                                autocomplete="off"
                                spellcheck="false"
                                placeholder="fav_food"
                                aria-describedby="bulk-key-error"
                                prop:value=move || key.get()
                                on:input=move |event| key.set(event_target_value(&event))
                            />
                            <datalist id=attribute_keys>
                                {move || keys.get().into_iter().map(|key| view! { <option value=key></option> }).collect_view()}
                            </datalist>
                            {field_error(if kind == BulkKind::AddAttribute { "/attributes" } else { "/keys" }, "bulk-key-error")}
                        </div>
                        <Show when=move || kind == BulkKind::AddAttribute>
                            <div class="field">
                                <label class="field__label" for="bulk-value">"Value"</label>
                                <input
                                    id="bulk-value"
                                    class="input"
                                    type="text"
                                    autocomplete="off"
                                    placeholder="pizza"
                                    prop:value=move || value.get()
                                    on:input=move |event| value.set(event_target_value(&event))
                                />
                                <p class="field__hint">"Users who already have this key get the new value."</p>
                            </div>
                        </Show>
                    }
                    .into_any(),
                    BulkKind::Delete => view! {
                        <p class="dialog__text">
                            {move || match count.get() {
                                Some(count) => format!(
                                    "{} will be deleted with their tags, attributes and chat history. This cannot be undone.",
                                    if count == 1 { "This user".to_owned() } else { format!("These {} users", format_count(count)) },
                                ),
                                None => "Counting the selected users…".to_owned(),
                            }}
                        </p>
                    }
                    .into_any(),
                }}
                <div class="dialog__actions">
                    <button type="button" class="button button--ghost" on:click=move |_| on_cancel.run(())>
                        "Cancel"
                    </button>
                    <button
                        type="submit"
                        class="button"
                        class:button--danger=kind == BulkKind::Delete
                        class:button--primary=kind != BulkKind::Delete
                        aria-busy=move || busy.get().to_string()
                        disabled=move || busy.get() || (kind == BulkKind::Delete && count.get().is_none())
                    >
                        {confirm_words}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
