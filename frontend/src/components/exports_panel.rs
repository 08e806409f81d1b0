//! The Exports panel: the bot's past exports, newest first, with their status, rows, size,
//! who started them and when; **Download File** for finished ones, Cancel for running ones
//! and Remove for the rest.

use chrono::Local;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError, Export};
use crate::components::dialog::Dialog;
use crate::display::{format_bytes, format_count, format_relative};

/// A dialog listing bot `bot_id`'s exports.
#[component]
pub fn ExportsPanel(
    bot_id: String,
    on_close: Callback<()>,
    on_error: Callback<ApiError>,
) -> impl IntoView {
    let exports = RwSignal::new(None::<Vec<Export>>);
    let bot = StoredValue::new(bot_id);
    let load = move || {
        spawn_local(async move {
            match api::list_exports(&bot.get_value()).await {
                Ok(page) => exports.set(Some(page.data)),
                Err(failure) => {
                    exports.set(Some(Vec::new()));
                    on_error.run(failure);
                }
            }
        });
    };
    load();
    let remove = move |id: String| {
        spawn_local(async move {
            match api::delete_export(&bot.get_value(), &id).await {
                Ok(()) => load(),
                Err(failure) => on_error.run(failure),
            }
        });
    };

    view! {
        <Dialog title="Exports" id="exports-panel" on_cancel=on_close>
            <div class="dialog__body exports">
                {move || match exports.get() {
                    None => view! { <p class="muted" role="status">"Loading exports…"</p> }.into_any(),
                    Some(list) if list.is_empty() => view! {
                        <p class="empty-state__hint">
                            "No exports yet. Export CSV in the toolbar writes one in the background."
                        </p>
                    }
                    .into_any(),
                    Some(list) => view! {
                        <ul class="exports__list">
                            {list.into_iter().map(|export| export_item(export, remove)).collect_view()}
                        </ul>
                    }
                    .into_any(),
                }}
            </div>
        </Dialog>
    }
}

/// One export: what it is, and what can be done with it.
fn export_item(export: Export, remove: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let when = format_relative(&export.created_at.with_timezone(&Local), &Local::now());
    let who = export
        .created_by
        .clone()
        .map(|actor| actor.trim_start_matches("admin:").to_owned())
        .unwrap_or_default();
    let status = match export.status.as_str() {
        "succeeded" => format!(
            "{} users · {}",
            format_count(export.rows),
            format_bytes(export.bytes)
        ),
        "running" => format!("Running · {}%", (export.progress * 100.0).round()),
        "queued" => "Waiting to start".to_owned(),
        "cancelled" => "Cancelled".to_owned(),
        _ => format!(
            "Failed: {}",
            export
                .error
                .clone()
                .unwrap_or_else(|| "no reason given".to_owned())
        ),
    };
    let running = matches!(export.status.as_str(), "queued" | "running");
    let id = export.id.clone();
    view! {
        <li class="exports__item">
            <div class="exports__text">
                <p class="exports__status">{status}</p>
                <p class="field__hint">{format!("{when} · {who}")}</p>
            </div>
            {export.download_url.clone().map(|url| {
                view! {
                    <a class="button button--primary button--small" href=url download="">
                        "Download File"
                    </a>
                }
            })}
            <button
                type="button"
                class="button button--ghost button--small"
                on:click=move |_| remove(id.clone())
            >
                {if running { "Cancel" } else { "Remove" }}
            </button>
        </li>
    }
}
