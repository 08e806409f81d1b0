//! The bulk actions of the Users page, wired to the API: the toolbar, the action dialogs
//! (with the delete count and its 409 re-check), and the long work: Refresh Stats and
//! Export CSV, whose progress survives a reload (their ids are kept in `localStorage`),
//! with **Download File** once an export is ready.

use std::time::Duration;

use cohort_core::api::{BulkAction, FieldError, JobStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::api::{self, ApiError};
use crate::components::bulk_dialog::BulkDialog;
use crate::components::bulk_toolbar::{BulkKind, BulkToolbar, Progress, ReadyFile};
use crate::components::exports_panel::ExportsPanel;
use crate::display::{bulk_outcome, format_bytes, format_count, sentence};
use crate::dom::focus;
use crate::selection::Selection;

/// How often a running job is asked for its progress.
const POLL_EVERY: Duration = Duration::from_millis(700);

/// The toolbar and its dialogs for bot `bot_id`. `selection` of `total` users matching
/// `filter` (the filter in force); `page_ids` are the rows shown. After a change,
/// `on_changed` reloads the table; `notice` and `on_error` tell the admin.
#[component]
pub fn BulkActions(
    #[prop(into)] bot_id: Signal<Option<String>>,
    selection: RwSignal<Selection>,
    #[prop(into)] total: Signal<u64>,
    #[prop(into)] page_ids: Signal<Vec<String>>,
    #[prop(into)] filter: Signal<Option<Value>>,
    #[prop(into)] tags: Signal<Vec<String>>,
    #[prop(into)] keys: Signal<Vec<String>>,
    on_changed: Callback<()>,
    notice: RwSignal<Option<String>>,
    on_error: Callback<ApiError>,
) -> impl IntoView {
    let dialog = RwSignal::new(None::<BulkKind>);
    let dialog_count = RwSignal::new(None::<u64>);
    let dialog_errors = RwSignal::new(Vec::<FieldError>::new());
    let dialog_note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(None::<Progress>);
    let job = RwSignal::new(None::<String>);
    let export = RwSignal::new(None::<String>);
    let export_progress = RwSignal::new(None::<Progress>);
    let ready = RwSignal::new(None::<ReadyFile>);
    let show_exports = RwSignal::new(false);

    let wire = move || {
        let filter = filter.get_untracked();
        selection.with_untracked(|selection| selection.to_wire(filter.as_ref()))
    };
    // The server's count of the selection, for Delete's confirmation.
    let recount = move || {
        let Some(bot) = bot_id.get_untracked() else {
            return;
        };
        dialog_count.set(None);
        let selected = wire();
        spawn_local(async move {
            match api::count_selection(&bot, selected).await {
                Ok(count) => dialog_count.set(Some(count)),
                Err(failure) => {
                    dialog.set(None);
                    on_error.run(failure);
                }
            }
        });
    };
    let open = Callback::new(move |kind: BulkKind| {
        if let Some(problem) = selection.with_untracked(Selection::problem) {
            on_error.run(ApiError::Network(problem));
            return;
        }
        dialog_errors.set(Vec::new());
        dialog_note.set(None);
        if kind == BulkKind::Delete {
            recount();
        } else {
            let count =
                selection.with_untracked(|selection| selection.count(total.get_untracked()));
            dialog_count.set(Some(count));
        }
        dialog.set(Some(kind));
    });
    let submit = Callback::new(move |action: BulkAction| {
        let Some(bot) = bot_id.get_untracked() else {
            return;
        };
        let selected = wire();
        let working = match &action {
            BulkAction::AddTags { .. } => "Tagging",
            BulkAction::RemoveTags { .. } => "Removing tags from",
            BulkAction::SetAttributes { .. } => "Setting the attribute on",
            BulkAction::RemoveAttributes { .. } => "Removing the attribute from",
            BulkAction::Delete { .. } => "Deleting",
        };
        let count = dialog_count.get_untracked().unwrap_or_default();
        busy.set(true);
        progress.set(Some(Progress {
            text: format!("{working} {} users…", format_count(count)),
            fraction: None,
        }));
        spawn_local(async move {
            let result = api::bulk(&bot, selected, action.clone()).await;
            busy.set(false);
            progress.set(None);
            match result {
                Ok(done) => {
                    dialog.set(None);
                    notice.set(Some(bulk_outcome(&action, done.affected, done.selected)));
                    if matches!(action, BulkAction::Delete { .. }) {
                        selection.update(Selection::clear);
                        // The toolbar's buttons went with the selection: focus goes to the
                        // table rather than the page's body.
                        request_animation_frame(|| {
                            crate::dom::focus("users-table");
                        });
                    }
                    on_changed.run(());
                }
                Err(ApiError::Problem(problem)) if problem.status == 409 => {
                    dialog_note.set(Some(
                        "The selection changed since it was counted. Check the new number and confirm again."
                            .to_owned(),
                    ));
                    recount();
                }
                // Busy or over the quota: nothing was done; the dialog stays for a retry.
                Err(ApiError::Problem(problem)) if matches!(problem.status, 429 | 503) => {
                    dialog_note.set(Some(problem.detail));
                }
                Err(ApiError::Problem(problem)) if !problem.errors.is_empty() => {
                    dialog_errors.set(
                        problem
                            .errors
                            .into_iter()
                            .map(|error| FieldError::new(error.pointer, sentence(&error.message)))
                            .collect(),
                    );
                }
                Err(failure) => {
                    dialog.set(None);
                    on_error.run(failure);
                }
            }
        });
    });

    // Refresh Stats: start the job, then follow it until it ends.
    let follow = move |bot: String, id: String| {
        job.set(Some(id.clone()));
        remember(&job_key(&bot), Some(&id));
        poll(bot, id, job, progress, notice, on_changed, on_error);
    };
    Effect::new(move |_| {
        let Some(bot) = bot_id.get() else { return };
        if let Some(id) = remembered(&job_key(&bot))
            && job.get_untracked().is_none()
        {
            follow(bot, id);
        }
    });
    let refresh = Callback::new(move |()| {
        let Some(bot) = bot_id.get_untracked() else {
            return;
        };
        progress.set(Some(Progress {
            text: "Refreshing stats…".to_owned(),
            fraction: Some(0.0),
        }));
        spawn_local(async move {
            match api::refresh_stats(&bot).await {
                Ok(accepted) => follow(bot, accepted.id),
                Err(failure) => {
                    progress.set(None);
                    on_error.run(failure);
                }
            }
        });
    });

    // Export CSV: the selection, or everyone the filter matches when nothing is selected.
    let follow_export = move |bot: String, id: String| {
        export.set(Some(id.clone()));
        remember(&export_key(&bot), Some(&id));
        poll_export(bot, id, export, export_progress, ready, on_error);
    };
    Effect::new(move |_| {
        let Some(bot) = bot_id.get() else { return };
        if let Some(id) = remembered(&export_key(&bot))
            && export.get_untracked().is_none()
        {
            follow_export(bot, id);
        }
    });
    let start_export = Callback::new(move |()| {
        let Some(bot) = bot_id.get_untracked() else {
            return;
        };
        let total = total.get_untracked();
        let (chosen, count) = selection.with_untracked(|chosen| {
            if chosen.is_empty(total) {
                let mut everyone = Selection::default();
                everyone.select_all_matching();
                (everyone, total)
            } else {
                (chosen.clone(), chosen.count(total))
            }
        });
        if let Some(problem) = chosen.problem() {
            on_error.run(ApiError::Network(problem));
            return;
        }
        let filter = filter.get_untracked();
        ready.set(None);
        export_progress.set(Some(Progress {
            text: format!("Exporting {} users…", format_count(count)),
            fraction: Some(0.0),
        }));
        spawn_local(async move {
            match api::start_export(&bot, chosen.to_wire(filter.as_ref())).await {
                Ok(accepted) => follow_export(bot, accepted.id),
                Err(failure) => {
                    export_progress.set(None);
                    on_error.run(failure);
                }
            }
        });
    });

    let selected = Signal::derive(move || {
        let total = total.get();
        selection.with(|selection| (!selection.is_empty(total)).then(|| selection.count(total)))
    });
    let banner = Signal::derive(move || {
        let total = total.get();
        page_ids.with(|ids| selection.with(|selection| selection.banner(ids, total)))
    });

    view! {
        <BulkToolbar
            selected
            banner
            busy=Signal::derive(move || busy.get() || job.with(Option::is_some))
            progress=Signal::derive(move || {
                [progress.get(), export_progress.get()].into_iter().flatten().collect::<Vec<_>>()
            })
            ready
            page_empty=Signal::derive(move || page_ids.with(Vec::is_empty))
            filtered=Signal::derive(move || filter.with(Option::is_some))
            on_select_page=Callback::new(move |()| {
                let ids = page_ids.get_untracked();
                selection.update(|selection| selection.select_page(&ids));
                // The button gave way to the action bar: focus moves to its first button.
                request_animation_frame(|| {
                    focus("toolbar-unselect-all");
                });
            })
            on_unselect_page=Callback::new(move |()| {
                let ids = page_ids.get_untracked();
                selection.update(|selection| selection.unselect_page(&ids));
                request_animation_frame(|| {
                    focus("toolbar-select-all");
                });
            })
            on_select_all_matching=Callback::new(move |()| selection.update(Selection::select_all_matching))
            on_clear=Callback::new(move |()| selection.update(Selection::clear))
            on_refresh_stats=refresh
            on_action=open
            on_export=start_export
            on_show_exports=Callback::new(move |()| show_exports.set(true))
            on_dismiss_ready=Callback::new(move |()| {
                ready.set(None);
                if let Some(bot) = bot_id.get_untracked() {
                    remember(&export_key(&bot), None);
                }
            })
        />
        {move || {
            let bot = bot_id.get()?;
            show_exports
                .get()
                .then(|| {
                    view! {
                        <ExportsPanel
                            bot_id=bot
                            on_close=Callback::new(move |()| show_exports.set(false))
                            on_error
                        />
                    }
                })
        }}
        {move || {
            dialog
                .get()
                .map(|kind| {
                    view! {
                        <BulkDialog
                            kind
                            count=dialog_count
                            tags
                            keys
                            errors=dialog_errors
                            busy
                            note=dialog_note
                            on_submit=submit
                            on_cancel=Callback::new(move |()| dialog.set(None))
                        />
                    }
                })
        }}
    }
}

/// Asks for job `id`'s progress every `POLL_EVERY` until it ends, then says how it ended.
fn poll(
    bot: String,
    id: String,
    job: RwSignal<Option<String>>,
    progress: RwSignal<Option<Progress>>,
    notice: RwSignal<Option<String>>,
    on_changed: Callback<()>,
    on_error: Callback<ApiError>,
) {
    spawn_local(async move {
        let result = api::get_job(&bot, &id).await;
        if job.try_get_untracked().flatten().as_ref() != Some(&id) {
            return;
        }
        let end = |message: Option<ApiError>| {
            job.set(None);
            progress.set(None);
            remember(&job_key(&bot), None);
            if let Some(failure) = message {
                on_error.run(failure);
            }
        };
        match result {
            Ok(state) => match state.status {
                JobStatus::Queued | JobStatus::Running => {
                    progress.set(Some(Progress {
                        text: if state.status == JobStatus::Queued {
                            "Refresh Stats is waiting to start…".to_owned()
                        } else {
                            "Refreshing stats…".to_owned()
                        },
                        fraction: Some(state.progress),
                    }));
                    set_timeout(
                        move || poll(bot, id, job, progress, notice, on_changed, on_error),
                        POLL_EVERY,
                    );
                }
                JobStatus::Succeeded => {
                    end(None);
                    notice.set(Some(
                        "Stats refreshed: every user's sessions, time spent and sentiment were recomputed from their history."
                            .to_owned(),
                    ));
                    on_changed.run(());
                }
                JobStatus::Cancelled => end(None),
                JobStatus::Failed => {
                    let reason = state
                        .error
                        .unwrap_or_else(|| "no reason was given".to_owned());
                    end(Some(ApiError::Network(format!(
                        "Refresh Stats failed: {reason}."
                    ))));
                }
            },
            Err(ApiError::Problem(problem)) if problem.status == 404 => end(None),
            Err(failure) => end(Some(failure)),
        }
    });
}

/// Asks for export `id`'s progress every `POLL_EVERY` until it ends; a finished file is
/// offered for download (and stays offered across reloads until dismissed).
fn poll_export(
    bot: String,
    id: String,
    export: RwSignal<Option<String>>,
    progress: RwSignal<Option<Progress>>,
    ready: RwSignal<Option<ReadyFile>>,
    on_error: Callback<ApiError>,
) {
    spawn_local(async move {
        let result = api::get_export(&bot, &id).await;
        if export.try_get_untracked().flatten().as_ref() != Some(&id) {
            return;
        }
        let end = |keep: bool| {
            export.set(None);
            progress.set(None);
            if !keep {
                remember(&export_key(&bot), None);
            }
        };
        match result {
            Ok(state) => match (state.status.as_str(), state.download_url) {
                ("queued" | "running", _) => {
                    progress.set(Some(Progress {
                        text: if state.status == "queued" {
                            "Export CSV is waiting to start…".to_owned()
                        } else {
                            format!("Exporting… {} users written", format_count(state.rows))
                        },
                        fraction: Some(state.progress),
                    }));
                    set_timeout(
                        move || poll_export(bot, id, export, progress, ready, on_error),
                        POLL_EVERY,
                    );
                }
                ("succeeded", Some(url)) => {
                    end(true);
                    ready.set(Some(ReadyFile {
                        text: format!(
                            "Your export is ready: {} users, {}.",
                            format_count(state.rows),
                            format_bytes(state.bytes)
                        ),
                        url,
                    }));
                }
                ("cancelled", _) => end(false),
                _ => {
                    end(false);
                    let reason = state
                        .error
                        .unwrap_or_else(|| "no reason was given".to_owned());
                    on_error.run(ApiError::Network(format!("Export CSV failed: {reason}.")));
                }
            },
            Err(ApiError::Problem(problem)) if problem.status == 404 => end(false),
            Err(failure) => {
                end(false);
                on_error.run(failure);
            }
        }
    });
}

/// The `localStorage` key of bot `bot`'s running (or unread) export.
fn export_key(bot: &str) -> String {
    format!("cohort.export.{bot}")
}

/// The `localStorage` key of bot `bot`'s running Refresh Stats job.
fn job_key(bot: &str) -> String {
    format!("cohort.refresh-stats.{bot}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Remembers (or, with `None`, forgets) an id under `key` across reloads.
fn remember(key: &str, id: Option<&str>) {
    let Some(storage) = storage() else { return };
    let _ = match id {
        Some(id) => storage.set_item(key, id),
        None => storage.remove_item(key),
    };
}

fn remembered(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}
