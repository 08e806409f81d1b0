//! The bot's activity on the Settings page: its audit log (`GET /audit`), newest first —
//! who did which bulk action or export, when, to how many users.

use cohort_core::api::AuditEntry;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use crate::api::{self, ApiError};
use crate::display::{audit_actor, audit_summary, format_count, format_date_time};

/// The log of bot `bot_id`, a page at a time ("Show older"); failures go to `on_error`.
#[component]
pub fn ActivityLog(bot_id: String, on_error: Callback<ApiError>) -> impl IntoView {
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let total = RwSignal::new(None::<u64>);
    let next_cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let bot_id = StoredValue::new(bot_id);
    let load = move |cursor: Option<String>| {
        loading.set(true);
        spawn_local_scoped_with_cancellation(async move {
            let result = api::list_audit(&bot_id.get_value(), cursor.as_deref()).await;
            loading.set(false);
            match result {
                Ok(page) => {
                    entries.update(|shown| shown.extend(page.data));
                    total.set(Some(page.total));
                    next_cursor.set(page.next_cursor);
                }
                Err(failure) => on_error.run(failure),
            }
        });
    };
    load(None);

    view! {
        <section
            class="card settings-card activity"
            aria-labelledby="activity-title"
            aria-busy=move || loading.get().to_string()
        >
            <h2 id="activity-title" class="settings-card__title">
                "Activity"
                <span class="history__count">{move || total.get().map(format_count)}</span>
            </h2>
            <p class="field__hint">
                "Bulk actions and exports on this bot's users: who, when, and how many."
            </p>
            <Show when=move || !loading.get() && entries.with(Vec::is_empty)>
                <p class="empty-state__hint">
                    "Nothing yet: tags, attributes, deletions and exports of users show here."
                </p>
            </Show>
            <ol class="activity__list">
                <For each=move || entries.get() key=|entry| entry.id.clone() let(entry)>
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
            <Show when=move || loading.get()>
                <p class="history__loading" role="status">"Loading activity…"</p>
            </Show>
            <Show when=move || !loading.get() && next_cursor.with(Option::is_some)>
                <button
                    type="button"
                    class="button button--secondary button--small"
                    on:click=move |_| load(next_cursor.get_untracked())
                >
                    "Show older"
                </button>
            </Show>
        </section>
    }
}
