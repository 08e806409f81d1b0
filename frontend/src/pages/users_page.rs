//! The Users page: the filter bar and its editor, the users table with keyset paging, and
//! the open user's page; all of it follows the address bar (`UsersQuery`).

use chrono::Local;
use cohort_core::api::{Bot, User, UserPage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::api::{self, ApiError};
use crate::components::bulk_actions::BulkActions;
use crate::components::filter_bar::FilterBar;
use crate::components::filter_builder::FilterBuilder;
use crate::components::pager::Pager;
use crate::components::toast::Toast;
use crate::components::user_panel::UserPanel;
use crate::components::users_table::{UsersTable, open_link_id};
use crate::dom::focus;
use crate::filter_draft::{Catalogue, FilterDraft, NodeId, RowError, chips};
use crate::location;
use crate::selection::Selection;
use crate::users_query::UsersQuery;

/// The rows on screen and how they got there.
#[derive(Clone, Copy)]
struct Listing {
    /// The rows of the page shown.
    users: RwSignal<Vec<User>>,
    /// How many users the view matches; kept while the next answer loads.
    total: RwSignal<Option<u64>>,
    /// The cursor of each page from the first to the one shown (`None` for the first).
    cursors: RwSignal<Vec<Option<String>>>,
    /// The cursor of the page after the one shown; `None` on the last page.
    next_cursor: RwSignal<Option<String>>,
    loading: RwSignal<bool>,
    /// Why the last load failed, shown in place of the rows.
    error: RwSignal<Option<String>>,
    /// Counts loads, so an answer to a load no longer wanted is dropped.
    generation: StoredValue<u64>,
}

impl Listing {
    fn new() -> Self {
        Self {
            users: RwSignal::new(Vec::new()),
            total: RwSignal::new(None),
            cursors: RwSignal::new(vec![None]),
            next_cursor: RwSignal::new(None),
            loading: RwSignal::new(true),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    fn begin(self) -> u64 {
        let generation = self.generation.get_value().wrapping_add(1);
        self.generation.set_value(generation);
        self.loading.set(true);
        generation
    }

    fn is_current(self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    fn show(self, page: UserPage) {
        self.users.set(page.data);
        self.total.set(Some(page.total));
        self.next_cursor.set(page.next_cursor);
        self.error.set(None);
    }
}

/// The Users page of the signed-in admin's workspace. A 401 calls `on_unauthorized` with
/// what to tell the admin; other API errors show in place or as a toast.
#[component]
pub fn UsersPage(on_unauthorized: Callback<String>) -> impl IntoView {
    let (initial, initial_problem) = location::current();
    let view = RwSignal::new(initial);
    let toast = RwSignal::new(None::<String>);
    // A filter in the address that cannot be applied: shown instead of the table (never
    // widened to everyone, where Select All and Delete would reach the whole bot).
    let url_problem = RwSignal::new(initial_problem.map(|problem| problem.0));
    let bots = RwSignal::new(Vec::<Bot>::new());
    let catalogue = RwSignal::new(Catalogue::default());
    let tags = RwSignal::new(Vec::<String>::new());
    let listing = Listing::new();
    let opened = RwSignal::new(None::<User>);
    // The id of a user's name to focus once the rows show it: a page opened from the
    // address can be closed before the table's first answer has come.
    let focus_when_shown = StoredValue::new(None::<String>);
    let editor_open = RwSignal::new(false);
    let draft = RwSignal::new(FilterDraft::default());
    let row_errors = RwSignal::new(Vec::<RowError>::new());
    let selection = RwSignal::new(Selection::default());
    let notice = RwSignal::new(None::<String>);
    let attribute_keys = RwSignal::new(Vec::<String>::new());

    let fail = move |failure: ApiError| match failure {
        ApiError::Unauthorized(message) => on_unauthorized.run(message),
        other => toast.set(Some(other.message())),
    };
    let navigate = move |next: UsersQuery| {
        url_problem.set(None);
        location::push(&next);
        view.set(next);
    };
    location::on_back_or_forward(move |next, problem| {
        editor_open.set(false);
        url_problem.set(problem.map(|problem| problem.0));
        view.set(next);
    });

    spawn_local(async move {
        match api::list_bots().await {
            Ok(list) if list.data.is_empty() => {
                listing.loading.set(false);
                listing.error.set(Some(
                    "This workspace has no bots yet. Create one over the API to see its users here."
                        .to_owned(),
                ));
            }
            Ok(list) => bots.set(list.data),
            Err(failure) => {
                listing.loading.set(false);
                fail(failure);
            }
        }
    });

    // The bot shown: the one in the address, or the workspace's first.
    let bot_id = Memo::new(move |_| {
        let wanted = view.with(|view| view.bot.clone());
        bots.with(|bots| {
            wanted
                .filter(|wanted| bots.iter().any(|bot| &bot.id == wanted))
                .or_else(|| bots.first().map(|bot| bot.id.clone()))
        })
    });

    // The columns, attribute keys and tags of the bot, for the menus of the filter builder
    // and the dialogs.
    let load_menus = move |bot: String| {
        spawn_local(async move {
            match api::list_columns(&bot).await {
                Ok(columns) => {
                    attribute_keys.set(
                        columns
                            .attributes
                            .iter()
                            .filter_map(|column| column.key.strip_prefix("attributes."))
                            .map(str::to_owned)
                            .collect(),
                    );
                    catalogue.set(Catalogue::from_api(&columns));
                }
                Err(failure) => fail(failure),
            }
            if let Ok(list) = api::list_tags(&bot).await {
                tags.set(list.data.into_iter().map(|tag| tag.name).collect());
            }
        });
    };
    Effect::new(move |_| {
        if let Some(bot) = bot_id.get() {
            load_menus(bot);
        }
    });

    // A filter the API refused (a check only the server makes) opens in the editor with
    // each message at its row.
    let mark_filter_rows = move |errors: &[cohort_core::api::FieldError]| {
        let (filter, prefix) =
            view.with_untracked(|view| (view.filter.clone(), view.filter_pointer()));
        let Some(filter) = filter else { return };
        let Ok(refused) = catalogue
            .with_untracked(|catalogue| FilterDraft::from_filter(&filter, catalogue, &Local))
        else {
            return;
        };
        let located = refused.locate_errors(&Local, errors, prefix);
        if located.iter().any(|error| error.row.is_some()) {
            draft.set(refused);
            row_errors.set(located);
            editor_open.set(true);
        }
    };
    let load = move |cursor: Option<String>| {
        let Some(bot) = bot_id.get_untracked() else {
            return;
        };
        if let Some(problem) = url_problem.get_untracked() {
            listing
                .generation
                .set_value(listing.generation.get_value().wrapping_add(1));
            listing.loading.set(false);
            listing.users.set(Vec::new());
            listing.total.set(None);
            listing.next_cursor.set(None);
            listing.error.set(Some(problem));
            return;
        }
        let search = view.with_untracked(|view| view.body(cursor));
        let generation = listing.begin();
        spawn_local(async move {
            let result = api::search_users(&bot, &search).await;
            if !listing.is_current(generation) {
                return;
            }
            listing.loading.set(false);
            match result {
                Ok(page) => listing.show(page),
                Err(ApiError::Unauthorized(message)) => on_unauthorized.run(message),
                Err(failure) => {
                    // Nothing is known while the list failed: no count, no pages.
                    listing.users.set(Vec::new());
                    listing.total.set(None);
                    listing.next_cursor.set(None);
                    listing.error.set(Some(failure.message()));
                    if let ApiError::Problem(problem) = &failure {
                        mark_filter_rows(&problem.errors);
                    }
                }
            }
        });
    };

    // A new bot, filter, sort or page size starts again at the first page.
    let list_key = Memo::new(move |_| {
        let list = view.with(|view| UsersQuery {
            user: None,
            ..view.clone()
        });
        (bot_id.get(), list, url_problem.get())
    });
    Effect::new(move |_| {
        if list_key.with(|(bot, _, _)| bot.is_none()) {
            return;
        }
        listing.cursors.set(vec![None]);
        load(None);
    });
    let next_page = Callback::new(move |()| {
        let Some(cursor) = listing.next_cursor.get_untracked() else {
            return;
        };
        listing
            .cursors
            .update(|cursors| cursors.push(Some(cursor.clone())));
        load(Some(cursor));
    });
    let previous_page = Callback::new(move |()| {
        let mut cursors = listing.cursors.get_untracked();
        if cursors.len() < 2 {
            return;
        }
        cursors.pop();
        let cursor = cursors.last().cloned().flatten();
        listing.cursors.set(cursors);
        load(cursor);
    });
    // Another bot or filter selects other users: the selection starts again.
    let selection_scope =
        Memo::new(move |_| (bot_id.get(), view.with(UsersQuery::effective_filter)));
    Effect::new(move |_| {
        selection_scope.track();
        selection.update(Selection::clear);
    });
    // After a bulk action: the same page again, and the menus' tags and keys.
    let refresh_in_place = Callback::new(move |()| {
        let cursor = listing
            .cursors
            .with_untracked(|cursors| cursors.last().cloned().flatten());
        load(cursor);
        if let Some(bot) = bot_id.get_untracked() {
            load_menus(bot);
        }
    });
    let page_ids = Signal::derive(move || {
        listing
            .users
            .with(|users| users.iter().map(|user| user.id.clone()).collect::<Vec<_>>())
    });
    let retry = Callback::new(move |()| {
        let cursor = listing
            .cursors
            .with_untracked(|cursors| cursors.last().cloned().flatten());
        load(cursor);
    });

    // The open user: from the rows shown, or asked for when the address names another.
    Effect::new(move |_| {
        let wanted = view.with(|view| view.user.clone());
        let Some(bot) = bot_id.get() else { return };
        let Some(wanted) = wanted else {
            opened.set(None);
            return;
        };
        if opened.with_untracked(|user| user.as_ref().is_some_and(|user| user.id == wanted)) {
            return;
        }
        if let Some(user) = listing
            .users
            .with_untracked(|users| users.iter().find(|user| user.id == wanted).cloned())
        {
            opened.set(Some(user));
            return;
        }
        spawn_local(async move {
            match api::get_user(&bot, &wanted).await {
                Ok(user) => opened.set(Some(user)),
                Err(ApiError::Problem(problem)) if problem.status == 404 => {
                    toast.set(Some("That user is not in this bot (any more).".to_owned()));
                    let next = view.with_untracked(|view| UsersQuery {
                        user: None,
                        ..view.clone()
                    });
                    location::replace(&next);
                    view.set(next);
                }
                Err(failure) => fail(failure),
            }
        });
    });
    let open_user = Callback::new(move |user: User| {
        let next = view.with_untracked(|view| UsersQuery {
            user: Some(user.id.clone()),
            ..view.clone()
        });
        opened.set(Some(user));
        navigate(next);
    });
    // Closes the user's page and gives focus back to the name that opened it.
    let close_user = Callback::new(move |()| {
        let Some(user) = opened.get_untracked() else {
            return;
        };
        navigate(view.with_untracked(|view| UsersQuery {
            user: None,
            ..view.clone()
        }));
        let link = open_link_id(&user.id);
        if !focus(&link) {
            focus_when_shown.set_value(Some(link));
        }
    });
    // The next rows to come get one try, unless the admin has put focus somewhere since.
    Effect::new(move |_| {
        listing.users.track();
        if let Some(link) = focus_when_shown.try_update_value(Option::take).flatten() {
            request_animation_frame(move || {
                let idle = document()
                    .active_element()
                    .is_none_or(|element| element.tag_name() == "BODY");
                if idle {
                    focus(&link);
                }
            });
        }
    });

    // The filter: chips of what is applied, and the editor.
    let applied_draft = move || {
        let filter = view.with(|view| view.filter.clone())?;
        catalogue.with(|catalogue| FilterDraft::from_filter(&filter, catalogue, &Local).ok())
    };
    let chip_list = Signal::derive(move || {
        applied_draft()
            .map(|draft| catalogue.with(|catalogue| chips(&draft, catalogue)))
            .unwrap_or_default()
    });
    let apply_filter = move |filter: Option<Value>| {
        navigate(view.with_untracked(|view| UsersQuery {
            filter,
            user: None,
            ..view.clone()
        }));
    };
    let open_editor = move |add_row: bool| {
        // Add Filter in an open editor adds a row to what is being written.
        if editor_open.get_untracked() {
            if add_row {
                let mut added = None;
                draft.update(|draft| added = draft.add_row(0));
                if let Some(row) = added {
                    request_animation_frame(move || {
                        focus(&format!("filter-column-{row}"));
                    });
                }
            }
            return;
        }
        let mut next = applied_draft().unwrap_or_default();
        let added = if add_row || next.is_empty() {
            next.add_row(0)
        } else {
            None
        };
        draft.set(next);
        row_errors.set(Vec::new());
        editor_open.set(true);
        let first_row = draft.with_untracked(|draft| draft.first_row());
        let target = added.or(first_row).map_or_else(
            || "filter-editor".to_owned(),
            |row| format!("filter-column-{row}"),
        );
        request_animation_frame(move || {
            focus(&target);
        });
    };
    let apply =
        Callback::new(
            move |()| match draft.with_untracked(|draft| draft.to_filter(&Local)) {
                Ok(filter) => {
                    editor_open.set(false);
                    apply_filter(filter);
                    // The editor's Apply button is gone: focus goes back to Add Filter.
                    request_animation_frame(|| {
                        focus("add-filter");
                    });
                }
                Err(errors) => {
                    // Focus goes to the first row to mend: its value, else its column.
                    let first = errors.iter().find_map(|error| error.row);
                    row_errors.set(errors);
                    if let Some(row) = first {
                        request_animation_frame(move || {
                            if !focus(&format!("filter-value-{row}")) {
                                focus(&format!("filter-column-{row}"));
                            }
                        });
                    }
                }
            },
        );
    let clear = Callback::new(move |()| {
        draft.set(FilterDraft::default());
        editor_open.set(false);
        navigate(view.with_untracked(UsersQuery::cleared));
    });
    let cancel = Callback::new(move |()| {
        editor_open.set(false);
        focus("add-filter");
    });
    let remove_chip = Callback::new(move |id: NodeId| {
        let Some(mut next) = applied_draft() else {
            return;
        };
        next.remove(id);
        if let Ok(filter) = next.to_filter(&Local) {
            apply_filter(filter);
        }
    });

    let bot_name = move || {
        let selected = bot_id.get();
        bots.with(|bots| {
            bots.iter()
                .find(|bot| Some(&bot.id) == selected.as_ref())
                .map(|bot| bot.name.clone())
        })
    };

    view! {
        <main class="page">
            <header class="page-header">
                <div>
                    <h1 class="page-title">"Users"</h1>
                    <p class="page-subtitle">
                        {move || match bot_name() {
                            Some(name) => format!("Everyone who chats with {name}."),
                            None => "Everyone who chats with your bot.".to_owned(),
                        }}
                    </p>
                </div>
            </header>
            <FilterBar
                search=Signal::derive(move || view.with(|view| view.search.clone()))
                on_search=Callback::new(move |text: String| {
                    navigate(view.with_untracked(|view| UsersQuery {
                        search: text.trim().to_owned(),
                        user: None,
                        ..view.clone()
                    }));
                })
                chips=chip_list
                on_edit=Callback::new(move |()| open_editor(false))
                on_remove=remove_chip
                on_add=Callback::new(move |()| open_editor(true))
                editor_open=editor_open
                total=listing.total
                loading=listing.loading
            />
            <Show when=move || editor_open.get()>
                <div
                    id="filter-editor"
                    tabindex="-1"
                    on:keydown=move |event: leptos::ev::KeyboardEvent| {
                        if event.key() == "Escape" {
                            cancel.run(());
                        }
                    }
                >
                    <FilterBuilder
                        draft
                        errors=row_errors
                        catalogue=catalogue
                        tags=tags
                        on_apply=apply
                        on_clear=clear
                        on_cancel=cancel
                    />
                </div>
            </Show>
            <BulkActions
                bot_id=bot_id
                selection
                total=Signal::derive(move || listing.total.get().unwrap_or_default())
                page_ids
                filter=Signal::derive(move || view.with(UsersQuery::effective_filter))
                tags
                keys=attribute_keys
                on_changed=refresh_in_place
                notice
                on_error=Callback::new(fail)
            />
            <UsersTable
                users=listing.users
                loading=listing.loading
                error=listing.error
                filtered=Signal::derive(move || {
                    view.with(UsersQuery::is_filtered) || url_problem.with(Option::is_some)
                })
                sort=Signal::derive(move || view.with(UsersQuery::current_sort))
                on_sort=Callback::new(move |key| navigate(view.with_untracked(|view| view.with_sort_by(key))))
                on_open=open_user
                user_href=Callback::new(move |id: String| {
                    view.with(|view| UsersQuery { user: Some(id), ..view.clone() }.to_url())
                })
                on_retry=retry
                on_clear=clear
                selection
                on_toggle=Callback::new(move |id: String| selection.update(|selection| selection.toggle(&id)))
                on_toggle_page=Callback::new(move |on: bool| {
                    let ids = page_ids.get_untracked();
                    selection.update(|selection| {
                        if on {
                            selection.select_page(&ids);
                        } else {
                            selection.unselect_page(&ids);
                        }
                    });
                })
            >
                <Show when=move || listing.total.get().is_some_and(|total| total > 0)>
                    <Pager
                        page=Signal::derive(move || listing.cursors.with(|cursors| cursors.len() - 1))
                        shown=Signal::derive(move || listing.users.with(Vec::len))
                        total=Signal::derive(move || listing.total.get().unwrap_or_default())
                        limit=Signal::derive(move || view.with(|view| view.limit))
                        has_next=Signal::derive(move || listing.next_cursor.with(Option::is_some))
                        loading=listing.loading
                        on_previous=previous_page
                        on_next=next_page
                        on_limit=Callback::new(move |limit| {
                            navigate(view.with_untracked(|view| UsersQuery { limit, ..view.clone() }));
                        })
                    />
                </Show>
            </UsersTable>
            {move || {
                let user = opened.get()?;
                let bot = bot_id.get()?;
                Some(
                    view! {
                        <UserPanel
                            user
                            bot_id=bot
                            tag_suggestions=tags
                            on_close=close_user
                            on_error=Callback::new(fail)
                            on_changed=Callback::new(move |saved: User| {
                                notice.set(Some("Saved.".to_owned()));
                                listing.users.update(|users| {
                                    if let Some(row) = users.iter_mut().find(|row| row.id == saved.id) {
                                        *row = saved;
                                    }
                                });
                                refresh_in_place.run(());
                            })
                            on_deleted=Callback::new(move |message: String| {
                                notice.set(Some(message));
                                opened.set(None);
                                navigate(view.with_untracked(|view| UsersQuery {
                                    user: None,
                                    ..view.clone()
                                }));
                                refresh_in_place.run(());
                            })
                        />
                    },
                )
            }}
            <div class="toast-region">
                <Toast message=notice success=true />
                <Toast message=toast />
            </div>
        </main>
    }
}
