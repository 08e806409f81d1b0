//! The bot's activity on the Settings page: its audit log (`GET /audit`), newest first —
//! who did which bulk action or export, when, to how many users.

use cohort_core::api::AuditEntry;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::cursor_list::CursorList;
use crate::display::{audit_actor, audit_summary, format_count, format_date_time};

/// The log of bot `bot_id`, a page at a time ("Show older"); failures go to `on_error`.
#[component]
pub fn ActivityLog(bot_id: String, on_error: Callback<ApiError>) -> impl IntoView {
    let bot_id = StoredValue::new(bot_id);
    let log = CursorList::<AuditEntry>::new(
        move |cursor| {
            let bot_id = bot_id.get_value();
            async move { api::list_audit(&bot_id, cursor.as_deref()).await }
        },
        on_error,
    );

    view! {
        <section
            class="card settings-card activity"
            aria-labelledby="activity-title"
            aria-busy=move || log.loading.get().to_string()
        >
            <h2 id="activity-title" class="settings-card__title">
                "Activity"
                <span class="history__count">{move || log.total.get().map(format_count)}</span>
            </h2>
            <p class="field__hint">
                "Bulk actions and exports on this bot's users: who, when, and how many."
            </p>
            <Show when=move || log.is_empty()>
                <p class="empty-state__hint">
                    "Nothing yet: tags, attributes, deletions and exports of users show here."
                </p>
            </Show>
            <ol class="activity__list">
                <For each=move || log.items.get() key=|entry| entry.id.clone() let(entry)>
                    <li class="activity__item">
                        <span class="activity__what">{audit_summary(&entry)}</span>
                        <span class="activity__who">
                            {audit_actor(&entry.actor)}
                            " · "
                            <time datetime=entry.at.to_rfc3339()>
                                {format_date_time(&entry.at.with_timezone(&chrono::Local))}
                            </time>
                        </span>
                    </li>
                </For>
            </ol>
            <Show when=move || log.loading.get()>
                <p class="history__loading" role="status">"Loading activity…"</p>
            </Show>
            <Show when=move || log.has_older()>
                <button
                    type="button"
                    class="button button--secondary button--small"
                    on:click=move |_| log.load_older()
                >
                    "Show older"
                </button>
            </Show>
        </section>
    }
}
