//! The selection toolbar above the table: with nothing selected, **Select All** and
//! **Refresh Stats**; with a selection, "N selected" and the actions (the seed's words),
//! **Delete** last. Progress of the running action or job shows at its end, and the banner
//! under it offers "select all N users matching this filter".

use leptos::prelude::*;

use crate::display::format_count;
use crate::selection::Banner;

/// An action that opens a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    AddTags,
    RemoveTags,
    AddAttribute,
    RemoveAttribute,
    Delete,
}

impl BulkKind {
    /// The button's words (also its accessible name).
    pub fn label(self) -> &'static str {
        match self {
            Self::AddTags => "Add Tags",
            Self::RemoveTags => "Remove Tags",
            Self::AddAttribute => "Add Attribute",
            Self::RemoveAttribute => "Remove Attribute",
            Self::Delete => "Delete",
        }
    }
}

/// Long work in progress: what it is, and how far (0 to 1) when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub text: String,
    pub fraction: Option<f64>,
}

/// A finished export waiting to be downloaded: what it holds and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadyFile {
    pub text: String,
    pub url: String,
}

/// `selected` users are selected (`None`: nothing); `banner` is the line under the bar.
/// `busy` blocks new actions while one runs; `progress` shows what runs.
#[component]
pub fn BulkToolbar(
    #[prop(into)] selected: Signal<Option<u64>>,
    #[prop(into)] banner: Signal<Option<Banner>>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] progress: Signal<Vec<Progress>>,
    #[prop(into)] ready: Signal<Option<ReadyFile>>,
    #[prop(into)] page_empty: Signal<bool>,
    #[prop(into)] filtered: Signal<bool>,
    on_select_page: Callback<()>,
    on_unselect_page: Callback<()>,
    on_select_all_matching: Callback<()>,
    on_clear: Callback<()>,
    on_refresh_stats: Callback<()>,
    on_action: Callback<BulkKind>,
    on_export: Callback<()>,
    on_show_exports: Callback<()>,
    on_dismiss_ready: Callback<()>,
) -> impl IntoView {
    let export_button = move |label: &'static str| {
        view! {
            <button
                type="button"
                class="button button--secondary button--small"
                title=label
                // Nothing to export when nobody matches.
                disabled=move || page_empty.get()
                on:click=move |_| on_export.run(())
            >
                "Export CSV"
            </button>
        }
    };
    let action_button = move |kind: BulkKind| {
        view! {
            <button
                type="button"
                class="button button--small"
                class:button--danger=kind == BulkKind::Delete
                class:button--secondary=kind != BulkKind::Delete
                disabled=move || busy.get()
                aria-haspopup="dialog"
                on:click=move |_| on_action.run(kind)
            >
                {kind.label()}
            </button>
        }
    };
    view! {
        <div class="bulk-toolbar" role="toolbar" aria-label="Actions on selected users">
            {move || match selected.get() {
                None => view! {
                    <button
                        type="button"
                        id="toolbar-select-all"
                        class="button button--secondary button--small"
                        disabled=move || page_empty.get()
                        on:click=move |_| on_select_page.run(())
                    >
                        "Select All"
                    </button>
                    <button
                        type="button"
                        class="button button--secondary button--small"
                        disabled=move || busy.get()
                        on:click=move |_| on_refresh_stats.run(())
                    >
                        "Refresh Stats"
                    </button>
                    {export_button("Exports every user the filter matches")}
                    <span class="bulk-toolbar__hint">
                        {move || {
                            if filtered.get() {
                                "Export CSV exports everyone this filter matches."
                            } else {
                                "Export CSV exports every user of the bot."
                            }
                        }}
                    </span>
                    <button
                        type="button"
                        class="button button--ghost button--small"
                        aria-haspopup="dialog"
                        on:click=move |_| on_show_exports.run(())
                    >
                        "Exports"
                    </button>
                }
                .into_any(),
                Some(count) => view! {
                    <span class="bulk-toolbar__count" aria-live="polite">
                        {format!("{} selected", format_count(count))}
                    </span>
                    <button
                        type="button"
                        id="toolbar-unselect-all"
                        class="button button--ghost button--small"
                        on:click=move |_| on_unselect_page.run(())
                    >
                        "Unselect All"
                    </button>
                    <span class="bulk-toolbar__divider" aria-hidden="true"></span>
                    {action_button(BulkKind::AddTags)}
                    {action_button(BulkKind::RemoveTags)}
                    {action_button(BulkKind::AddAttribute)}
                    {action_button(BulkKind::RemoveAttribute)}
                    {export_button("Exports the selected users")}
                    {action_button(BulkKind::Delete)}
                }
                .into_any(),
            }}
            <div class="bulk-toolbar__status">
                {move || {
                    progress
                        .get()
                        .into_iter()
                        .map(|progress| {
                            let percent = progress.fraction.map(|fraction| (fraction * 100.0).round());
                            view! {
                                <div class="bulk-toolbar__progress" role="status">
                                    <span class="spinner" aria-hidden="true"></span>
                                    <span>{progress.text}</span>
                                    {percent
                                        .map(|percent| {
                                            view! {
                                                <progress
                                                    max="100"
                                                    value=percent.to_string()
                                                    aria-label="Progress"
                                                ></progress>
                                            }
                                        })}
                                </div>
                            }
                        })
                        .collect_view()
                }}
                {move || {
                    ready
                        .get()
                        .map(|file| {
                            view! {
                                <div class="bulk-toolbar__ready" role="status">
                                    <span>{file.text}</span>
                                    <a class="button button--primary button--small" href=file.url download="">
                                        "Download File"
                                    </a>
                                    <button
                                        type="button"
                                        class="icon-button"
                                        aria-label="Dismiss the export notice"
                                        on:click=move |_| on_dismiss_ready.run(())
                                    >
                                        "×"
                                    </button>
                                </div>
                            }
                        })
                }}
            </div>
        </div>
        {move || {
            banner
                .get()
                .map(|banner| match banner {
                    Banner::OfferAll { page, total } => view! {
                        <p class="selection-banner">
                            {format!("All {} users on this page are selected. ", format_count(page as u64))}
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| on_select_all_matching.run(())
                            >
                                {if filtered.get_untracked() {
                                    format!("Select all {} users matching this filter", format_count(total))
                                } else {
                                    format!("Select all {} users", format_count(total))
                                }}
                            </button>
                        </p>
                    }
                    .into_any(),
                    Banner::AllSelected { total } => view! {
                        <p class="selection-banner">
                            {if filtered.get_untracked() {
                                format!("All {} users matching this filter are selected. ", format_count(total))
                            } else {
                                format!("All {} users are selected. ", format_count(total))
                            }}
                            <button type="button" class="link-button" on:click=move |_| on_clear.run(())>
                                "Clear selection"
                            </button>
                        </p>
                    }
                    .into_any(),
                })
        }}
    }
}
