//! The user's page, as a modal dialog over the table: particulars, stats, and the message
//! history with each message's sentiment score and label (and, when asked, why), newest
//! first. Focus stays inside it.

use chrono::Local;
use cohort_core::api::{Message, User};
use cohort_core::sentiment::Label;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::avatar::Avatar;
use crate::components::dialog::keep_focus_inside;
use crate::components::message_item::MessageItem;
use crate::components::user_form::UserForm;
use crate::components::users_table::sentiment_cell;
use crate::cursor_list::CursorList;
use crate::display::{
    NO_VALUE, UNKNOWN_USER, avatar_tone, average_sentiment, channel_name, class_token,
    display_name, format_count, format_date_time, format_duration, format_stat, initials,
    picture_url,
};

/// The id of the Edit button, which takes focus back from the form.
const EDIT_BUTTON_ID: &str = "user-edit-button";

/// The dialog for `user` of bot `bot_id`. Escape, the close button and a click beside the
/// dialog call `on_close`; API errors go to `on_error`. After an edit `on_changed` gets the
/// user as stored; after a delete `on_deleted` gets what to tell the admin.
#[component]
pub fn UserPanel(
    user: User,
    bot_id: String,
    #[prop(into)] tag_suggestions: Signal<Vec<String>>,
    on_close: Callback<()>,
    on_error: Callback<ApiError>,
    on_changed: Callback<User>,
    on_deleted: Callback<String>,
) -> impl IntoView {
    let current = RwSignal::new(user.clone());
    let editing = RwSignal::new(false);
    let confirming_delete = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let form_bot = bot_id.clone();
    // Asking to delete moves focus to the confirming button.
    let confirm_delete = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_delete.get() {
            let _ = button.focus();
        }
    });
    let request = StoredValue::new((bot_id, user.id.clone()));
    let history = CursorList::<Message>::new(
        move |cursor| {
            let (bot_id, user_id) = request.get_value();
            async move { api::list_messages(&bot_id, &user_id, cursor.as_deref()).await }
        },
        on_error,
    );

    // Leaving the form asks first when it holds changes: Escape leaves the form (not the
    // dialog) and a click beside the dialog closes it only once the admin agrees.
    let unsaved = RwSignal::new(false);
    let may_leave_form = move || {
        !editing.get_untracked()
            || !unsaved.get_untracked()
            || window()
                .confirm_with_message("Discard your changes to this user?")
                .unwrap_or(false)
    };
    // Back from the form, focus returns to its Edit button.
    Effect::new(move |was_editing: Option<bool>| {
        let now_editing = editing.get();
        if was_editing == Some(true) && !now_editing {
            request_animation_frame(|| {
                crate::dom::focus(EDIT_BUTTON_ID);
            });
        }
        now_editing
    });
    let panel = NodeRef::<leptos::html::Aside>::new();
    let keydown = window_event_listener(ev::keydown, move |event| match event.key().as_str() {
        "Escape" if editing.get_untracked() => {
            event.prevent_default();
            if may_leave_form() {
                editing.set(false);
            }
        }
        "Escape" => on_close.run(()),
        "Tab" => {
            if let Some(panel) = panel.get_untracked() {
                keep_focus_inside(&panel, &event);
            }
        }
        _ => {}
    });
    on_cleanup(move || keydown.remove());
    let close_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = close_button.get() {
            let _ = button.focus();
        }
    });

    let name = move || current.with(|user| display_name(&user.first_name, &user.last_name));
    let title = move || name().unwrap_or_else(|| UNKNOWN_USER.to_owned());
    // The tab is named after the user while their page is open (and named back after the
    // Users page when it closes, unless another page has named it since: a sign-in).
    Effect::new(move |_| crate::dom::set_title(&format!("{} · Users", title())));
    on_cleanup(|| {
        if document().title().ends_with(" · Users · Cohort") {
            crate::dom::set_title("Users");
        }
    });
    let delete = move |_| {
        deleting.set(true);
        let (bot_id, user_id) = request.get_value();
        let who = title();
        spawn_local(async move {
            let result = api::delete_user(&bot_id, &user_id).await;
            deleting.set(false);
            match result {
                Ok(()) => on_deleted.run(format!("Deleted {who}")),
                Err(failure) => on_error.run(failure),
            }
        });
    };

    view! {
        <div
            class="panel-backdrop"
            on:click=move |_| {
                if may_leave_form() {
                    on_close.run(());
                }
            }
        ></div>
        <aside
            class="panel"
            role="dialog"
            aria-modal="true"
            aria-labelledby="user-panel-title"
            node_ref=panel
        >
            <header class="panel__header">
                <Avatar
                    tone=avatar_tone(&user.id)
                    initials=Signal::derive(move || {
                        current.with(|user| initials(&user.first_name, &user.last_name))
                    })
                    picture=Signal::derive(move || {
                        current.with(|user| picture_url(user.avatar_url.as_deref()))
                    })
                    large=true
                />
                <div class="panel__heading">
                    <h2 id="user-panel-title" class="panel__title" class:muted=move || name().is_none()>
                        {title}
                    </h2>
                    <p class="panel__subtitle">
                        <span class=format!("channel channel--{}", class_token(&user.channel))>
                            {channel_name(&user.channel)}
                        </span>
                        <span class="panel__external-id">{user.external_id.clone()}</span>
                    </p>
                </div>
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Close"
                    node_ref=close_button
                    on:click=move |_| {
                        if may_leave_form() {
                            on_close.run(());
                        }
                    }
                >
                    "×"
                </button>
            </header>
            <div class="panel__body">
                <dl class="stats-grid" aria-label="Stats">
                    {move || {
                        stats(&current.get())
                            .into_iter()
                            .map(|(label, value)| {
                                view! {
                                    <div class="stats-grid__item">
                                        <dt>{label}</dt>
                                        <dd>{value.view()}</dd>
                                    </div>
                                }
                            })
                            .collect_view()
                    }}
                </dl>
                {move || {
                    if editing.get() {
                        view! {
                            <UserForm
                                user=current.get_untracked()
                                bot_id=form_bot.clone()
                                tag_suggestions
                                on_saved=Callback::new(move |saved: User| {
                                    current.set(saved.clone());
                                    editing.set(false);
                                    on_changed.run(saved);
                                })
                                on_cancel=Callback::new(move |()| editing.set(false))
                                on_error
                                unsaved
                            />
                        }
                            .into_any()
                    } else {
                        view! {
                            <section class="particulars" aria-labelledby="particulars-title">
                                <div class="particulars__header">
                                    <h3 id="particulars-title" class="history__title">"Particulars"</h3>
                                    <button
                                        type="button"
                                        id=EDIT_BUTTON_ID
                                        class="button button--secondary button--small"
                                        on:click=move |_| editing.set(true)
                                    >
                                        "Edit"
                                    </button>
                                </div>
                                <dl class="facts">
                                    {facts(&current.get())
                                        .into_iter()
                                        .map(|(label, value)| {
                                            view! {
                                                <dt>{label}</dt>
                                                <dd>{value}</dd>
                                            }
                                        })
                                        .collect_view()}
                                </dl>
                            </section>
                            <section class="user-section" aria-labelledby="tags-title">
                                <h3 id="tags-title" class="history__title">"Tags"</h3>
                                {tags_view(&current.get())}
                            </section>
                            <section class="user-section" aria-labelledby="attributes-title">
                                <h3 id="attributes-title" class="history__title">"Attributes"</h3>
                                {attributes_view(&current.get())}
                            </section>
                        }
                            .into_any()
                    }
                }}
                <section class="history" aria-labelledby="history-title" aria-busy=move || history.loading.get().to_string()>
                    <h3 id="history-title" class="history__title">
                        "Messages"
                        <span class="history__count">
                            {move || history.total.get().map(format_count)}
                        </span>
                    </h3>
                    <Show when=move || history.is_empty()>
                        <p class="empty-state__hint">"No messages yet."</p>
                    </Show>
                    <ol class="history__list">
                        <For
                            each=move || history.items.get()
                            key=|message| message.id.clone()
                            let(message)
                        >
                            <MessageItem message />
                        </For>
                    </ol>
                    <Show when=move || history.loading.get()>
                        <p class="history__loading" role="status">
                            "Loading messages…"
                        </p>
                    </Show>
                    <Show when=move || history.has_older()>
                        <button
                            type="button"
                            class="button button--secondary"
                            on:click=move |_| history.load_older()
                        >
                            "Load older messages"
                        </button>
                    </Show>
                </section>
                <section class="danger-zone" aria-labelledby="danger-title">
                    <h3 id="danger-title" class="history__title">"Delete user"</h3>
                    <Show
                        when=move || confirming_delete.get()
                        fallback=move || {
                            view! {
                                <p class="field__hint">
                                    "Removes the user with their tags, attributes and chat history."
                                </p>
                                <button
                                    type="button"
                                    class="button button--secondary button--small"
                                    on:click=move |_| confirming_delete.set(true)
                                >
                                    "Delete user…"
                                </button>
                            }
                        }
                    >
                        <p class="dialog__text" role="alert">
                            {move || format!("Delete {}? This cannot be undone.", title())}
                        </p>
                        <div class="dialog__actions dialog__actions--start">
                            <button
                                type="button"
                                class="button button--danger button--small"
                                node_ref=confirm_delete
                                disabled=move || deleting.get()
                                on:click=delete
                            >
                                "Delete user"
                            </button>
                            <button
                                type="button"
                                class="button button--ghost button--small"
                                on:click=move |_| confirming_delete.set(false)
                            >
                                "Cancel"
                            </button>
                        </div>
                    </Show>
                </section>
            </div>
        </aside>
    }
}

/// A stat tile's value: words, or a score with its coloured label as in the table.
#[derive(Debug, Clone, PartialEq)]
enum StatValue {
    Text(String),
    Sentiment(Option<(f64, Label)>),
}

impl StatValue {
    fn view(self) -> AnyView {
        match self {
            Self::Text(text) => text.into_any(),
            Self::Sentiment(sentiment) => sentiment_cell(sentiment),
        }
    }
}

/// The user's stats, as the table's headers name them.
fn stats(user: &User) -> Vec<(&'static str, StatValue)> {
    let text = StatValue::Text;
    vec![
        ("Sessions", text(format_stat(user.sessions))),
        ("Messages Sent", text(format_stat(user.messages_sent))),
        ("Clicks", text(format_stat(user.clicks))),
        ("Time Spent", text(format_duration(user.time_spent_secs))),
        (
            "Average Sentiment",
            StatValue::Sentiment(average_sentiment(user)),
        ),
        (
            "Last Message At",
            text(user.last_message_at.map_or(NO_VALUE.to_owned(), |time| {
                format_date_time(&time.with_timezone(&Local))
            })),
        ),
    ]
}

/// The particulars a user has, and when the user was created.
fn facts(user: &User) -> Vec<(&'static str, String)> {
    let optional = [
        ("Email", &user.email),
        ("Phone", &user.phone),
        ("Locale", &user.locale),
        ("Timezone", &user.timezone),
        ("Notes", &user.notes),
    ];
    let mut facts: Vec<(&'static str, String)> = optional
        .into_iter()
        .filter_map(|(label, value)| value.clone().map(|value| (label, value)))
        .collect();
    facts.push((
        "Created At",
        format_date_time(&user.created_at.with_timezone(&Local)),
    ));
    facts
}

/// The user's tags as chips, in the API's order, or a word that there are none.
fn tags_view(user: &User) -> AnyView {
    if user.tags.is_empty() {
        return view! { <p class="muted">"No tags."</p> }.into_any();
    }
    view! {
        <ul class="chips user-section__chips">
            {user
                .tags
                .iter()
                .map(|tag| view! { <li class="chip chip--tag">{tag.clone()}</li> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The user's attributes under their keys, or a word that there are none.
fn attributes_view(user: &User) -> AnyView {
    if user.attributes.is_empty() {
        return view! { <p class="muted">"No attributes."</p> }.into_any();
    }
    view! {
        <dl class="facts">
            {user
                .attributes
                .iter()
                .map(|(key, value)| {
                    view! {
                        <dt>{key.clone()}</dt>
                        <dd>{value.clone()}</dd>
                    }
                })
                .collect_view()}
        </dl>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::{TimeZone, Utc};

    use super::*;

    fn user() -> User {
        User {
            id: "7".to_owned(),
            bot_id: "1".to_owned(),
            channel: "telegram".to_owned(),
            external_id: "184467".to_owned(),
            first_name: "Yin Yin".to_owned(),
            last_name: "Tan".to_owned(),
            email: Some("yin@example.com".to_owned()),
            phone: None,
            locale: None,
            timezone: Some("Asia/Singapore".to_owned()),
            avatar_url: None,
            notes: None,
            created_at: Utc
                .timestamp_opt(1_772_719_620, 0)
                .single()
                .unwrap_or_default(),
            updated_at: Utc
                .timestamp_opt(1_772_719_620, 0)
                .single()
                .unwrap_or_default(),
            sessions: 3,
            messages_sent: 12,
            clicks: 0,
            time_spent_secs: 3_900,
            average_sentiment: Some(-0.41),
            average_sentiment_label: Some(cohort_core::sentiment::Label::Negative),
            last_message_at: None,
            tags: vec!["VIP".to_owned(), "Complained".to_owned()],
            attributes: BTreeMap::from([
                ("city".to_owned(), "Yangon".to_owned()),
                ("plan".to_owned(), "premium".to_owned()),
            ]),
        }
    }

    #[test]
    fn stats_use_the_table_headers_and_its_formats() {
        let stats = stats(&user());
        let labels: Vec<&str> = stats.iter().map(|(label, _)| *label).collect();
        assert_eq!(
            labels,
            [
                "Sessions",
                "Messages Sent",
                "Clicks",
                "Time Spent",
                "Average Sentiment",
                "Last Message At"
            ]
        );
        assert_eq!(stats[3].1, StatValue::Text("1h 05m".to_owned()));
        assert_eq!(
            stats[4].1,
            StatValue::Sentiment(Some((-0.41, Label::Negative)))
        );
        assert_eq!(stats[5].1, StatValue::Text(NO_VALUE.to_owned()));
    }

    #[test]
    fn facts_skip_missing_particulars_and_end_with_the_creation_time() {
        let facts = facts(&user());
        let labels: Vec<&str> = facts.iter().map(|(label, _)| *label).collect();
        assert_eq!(labels, ["Email", "Timezone", "Created At"]);
        assert_eq!(facts[1].1, "Asia/Singapore");
    }
}
