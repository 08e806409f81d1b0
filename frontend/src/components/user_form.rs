//! The user's page in edit mode: particulars, tags and attributes in one form with Save and
//! Cancel; each problem shows at its field, whether the core's checks found it before
//! sending or the API after.

use cohort_core::api::{FieldError, User};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::tag_input::TagInput;
use crate::display::sentence;
use crate::user_edit::{PARTICULARS, UserDraft};

/// The form for `user` of bot `bot_id`. `on_saved` gets the user as stored after Save;
/// `on_cancel` leaves edit mode; other API failures go to `on_error`. `unsaved` says,
/// as the admin types, whether the form holds changes (or text that is no valid change)
/// that leaving it would lose. The first field has focus when the form opens.
#[component]
pub fn UserForm(
    user: User,
    bot_id: String,
    #[prop(into)] tag_suggestions: Signal<Vec<String>>,
    on_saved: Callback<User>,
    on_cancel: Callback<()>,
    on_error: Callback<ApiError>,
    unsaved: RwSignal<bool>,
) -> impl IntoView {
    let original = StoredValue::new(user.clone());
    let draft = RwSignal::new(UserDraft::of(&user));
    Effect::new(move |_| {
        let changed = draft.with(|draft| !matches!(draft.changes(&original.get_value()), Ok(None)));
        unsaved.set(changed);
    });
    on_cleanup(move || unsaved.set(false));
    request_animation_frame(|| {
        crate::dom::focus("user-first_name");
    });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saving = RwSignal::new(false);
    let bot_id = StoredValue::new(bot_id);

    let error_at = move |pointer: String| {
        move || {
            errors.with(|errors| {
                errors
                    .iter()
                    .filter(|error| {
                        error.pointer == pointer
                            || error.pointer.starts_with(&format!("{pointer}/"))
                    })
                    .map(|error| sentence(&error.message))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
    };
    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let user = original.get_value();
        let body = match draft.with_untracked(|draft| draft.changes(&user)) {
            Ok(Some(body)) => body,
            Ok(None) => {
                on_cancel.run(());
                return;
            }
            Err(problems) => {
                errors.set(with_attribute_rows(problems, &draft.get_untracked()));
                focus_first_problem();
                return;
            }
        };
        errors.set(Vec::new());
        saving.set(true);
        spawn_local(async move {
            let result = api::update_user(&bot_id.get_value(), &user.id, &body).await;
            saving.set(false);
            match result {
                Ok(saved) => on_saved.run(saved),
                Err(ApiError::Problem(problem)) if !problem.errors.is_empty() => {
                    errors.set(with_attribute_rows(problem.errors, &draft.get_untracked()));
                    focus_first_problem();
                }
                Err(failure) => on_error.run(failure),
            }
        });
    };

    view! {
        <form class="user-form" novalidate on:submit=submit aria-label="Edit user">
            <div class="user-form__grid">
                {PARTICULARS
                    .into_iter()
                    .map(|(field, label)| {
                        let id = format!("user-{field}");
                        let error_id = format!("{id}-error");
                        let value = move || {
                            draft.with(|draft| draft.particulars.get(field).cloned().unwrap_or_default())
                        };
                        let set = move |event: ev::Event| {
                            let text = event_target_value(&event);
                            draft.update(|draft| {
                                draft.particulars.insert(field, text);
                            });
                        };
                        let message = Signal::derive(error_at(format!("/{field}")));
                        let invalid = move || (!message.get().is_empty()).to_string();
                        let input = if field == "notes" {
                            view! {
                                <textarea
                                    id=id.clone()
                                    class="input textarea"
                                    rows="3"
                                    aria-invalid=invalid
                                    aria-describedby=error_id.clone()
                                    prop:value=value
                                    on:input=set
                                ></textarea>
                            }
                                .into_any()
                        } else {
                            view! {
                                <input
                                    id=id.clone()
                                    class="input"
                                    type=if field == "email" { "email" } else { "text" }
                                    autocomplete="off"
                                    aria-invalid=invalid
                                    aria-describedby=error_id.clone()
                                    prop:value=value
                                    on:input=set
                                />
                            }
                                .into_any()
                        };
                        view! {
                            <div class="field" class:field--wide=field == "notes">
                                <label class="field__label" for=id>
                                    {label}
                                </label>
                                {input}
                                <p class="row-error" id=error_id>
                                    {message}
                                </p>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="field">
                <label class="field__label" for="user-tags">
                    "Tags"
                </label>
                <TagInput
                    id="user-tags"
                    items=Signal::derive(move || draft.with(|draft| draft.tags.clone()))
                    on_change=Callback::new(move |tags| draft.update(|draft| draft.tags = tags))
                    suggestions=tag_suggestions
                    described_by="user-tags-error"
                />
                <p class="row-error" id="user-tags-error">
                    {error_at("/tags".to_owned())}
                </p>
            </div>
            <fieldset class="attribute-rows">
                <legend class="field__label">"Attributes"</legend>
                <For
                    each=move || 0..draft.with(|draft| draft.attributes.len())
                    key=|index| *index
                    let(index)
                >
                    <AttributeRow draft index errors=Signal::derive(error_at(format!("/attribute_rows/{index}"))) />
                </For>
                <button
                    type="button"
                    class="button button--ghost button--small"
                    on:click=move |_| draft.update(|draft| draft.attributes.push((String::new(), String::new())))
                >
                    "+ Add attribute"
                </button>
            </fieldset>
            <div class="dialog__actions">
                <button type="button" class="button button--ghost" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
                <button
                    type="submit"
                    class="button button--primary"
                    aria-busy=move || saving.get().to_string()
                    disabled=move || saving.get()
                >
                    {move || if saving.get() { "Saving…" } else { "Save" }}
                </button>
            </div>
        </form>
    }
}

/// Once the form shows its problems, focus goes to the first field marked, so the admin
/// sees it (scrolled into view) and a screen reader reads its message.
fn focus_first_problem() {
    request_animation_frame(|| {
        crate::dom::focus_first_invalid(".user-form");
    });
}

/// One attribute: key, value and a remove button.
#[component]
fn AttributeRow(
    draft: RwSignal<UserDraft>,
    index: usize,
    #[prop(into)] errors: Signal<String>,
) -> impl IntoView {
    let part = move |value: bool| {
        move || {
            draft.with(|draft| {
                draft
                    .attributes
                    .get(index)
                    .map(|(key, text)| if value { text.clone() } else { key.clone() })
                    .unwrap_or_default()
            })
        }
    };
    let set = move |value: bool| {
        move |event: ev::Event| {
            let text = event_target_value(&event);
            draft.update(|draft| {
                if let Some(row) = draft.attributes.get_mut(index) {
                    if value {
                        row.1 = text;
                    } else {
                        row.0 = text;
                    }
                }
            });
        }
    };
    let error_id = format!("attribute-{index}-error");
    view! {
        <div class="attribute-row">
            <input
                class="input"
                type="text"
                aria-label=format!("Attribute {} key", index + 1)
                placeholder="key"
                aria-invalid=move || (!errors.get().is_empty()).to_string()
                aria-describedby=error_id.clone()
                prop:value=part(false)
                on:input=set(false)
            />
            <span aria-hidden="true">"="</span>
            <input
                class="input"
                type="text"
                aria-label=format!("Attribute {} value", index + 1)
                placeholder="value"
                prop:value=part(true)
                on:input=set(true)
            />
            <button
                type="button"
                class="icon-button"
                aria-label=move || format!("Remove attribute {}", part(false)())
                on:click=move |_| {
                    draft.update(|draft| {
                        if index < draft.attributes.len() {
                            draft.attributes.remove(index);
                        }
                    })
                }
            >
                "×"
            </button>
            <p class="row-error attribute-row__error" id=error_id>
                {move || errors.get()}
            </p>
        </div>
    }
}

/// Errors at `/attributes/KEY` also show at the row holding KEY.
fn with_attribute_rows(errors: Vec<FieldError>, draft: &UserDraft) -> Vec<FieldError> {
    let mut placed = errors.clone();
    for error in &errors {
        if let Some(key) = error.pointer.strip_prefix("/attributes/")
            && let Some(row) = draft.attribute_row(&key.replace("~1", "/").replace("~0", "~"))
        {
            placed.push(FieldError::new(
                format!("/attribute_rows/{row}"),
                error.message.clone(),
            ));
        }
    }
    placed
}
