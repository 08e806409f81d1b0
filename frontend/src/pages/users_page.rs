//! The Users page: pick a bot, search its users by first name, and page through the table.

use cohort_core::api::{Bot, User, UserPage};
use leptos::prelude::*;
use leptos::task::{spawn_local, spawn_local_scoped_with_cancellation};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::bot_picker::BotPicker;
use crate::components::first_name_filter::FirstNameFilter;
use crate::components::toast::Toast;
use crate::components::user_panel::UserPanel;
use crate::components::users_table::{UsersTable, open_button_id};
use crate::display::{showing_of, users_count};
use crate::search::UsersQuery;

/// The page's data, as signals the components read.
#[derive(Clone, Copy)]
struct UsersState {
    /// The rows shown, in order, across every page loaded so far.
    users: RwSignal<Vec<User>>,
    /// How many users the query matches; `None` until the first page arrives.
    total: RwSignal<Option<u64>>,
    /// The cursor of the page after the last one loaded; `None` on the last page.
    next_cursor: RwSignal<Option<String>>,
    /// A first page is on its way.
    loading: RwSignal<bool>,
    /// A further page is on its way.
    loading_more: RwSignal<bool>,
    /// Counts queries, so an answer to a query no longer shown is dropped.
    generation: StoredValue<u64>,
}

impl UsersState {
    fn new() -> Self {
        Self {
            users: RwSignal::new(Vec::new()),
            total: RwSignal::new(None),
            next_cursor: RwSignal::new(None),
            loading: RwSignal::new(false),
            loading_more: RwSignal::new(false),
            generation: StoredValue::new(0),
        }
    }

    /// Starts a new query and returns its generation.
    fn begin_query(self) -> u64 {
        let generation = self.generation.get_value().wrapping_add(1);
        self.generation.set_value(generation);
        self.loading.set(true);
        self.loading_more.set(false);
        generation
    }

    /// Whether `generation` is still the query shown (false once the page is gone).
    fn is_current(self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    /// Shows a first page in place of whatever was shown.
    fn replace(self, page: UserPage) {
        self.users.set(page.data);
        self.total.set(Some(page.total));
        self.next_cursor.set(page.next_cursor);
    }

    /// Adds a further page below the rows shown.
    fn append(self, page: UserPage) {
        self.users.update(|users| users.extend(page.data));
        self.total.set(Some(page.total));
        self.next_cursor.set(page.next_cursor);
    }
}

/// The Users page for the token's workspace. A refused token calls `on_unauthorized`;
/// other API errors show as a toast.
#[component]
pub fn UsersPage(token: String, on_unauthorized: Callback<()>) -> impl IntoView {
    let token = StoredValue::new(token);
    let bots = RwSignal::new(Vec::<Bot>::new());
    let bot_id = RwSignal::new(None::<String>);
    let query = RwSignal::new(UsersQuery::default());
    let state = UsersState::new();
    let error = RwSignal::new(None::<String>);
    // The user whose page is open over the table.
    let open_user = RwSignal::new(None::<User>);

    let fail = move |failure: ApiError| match failure {
        ApiError::Unauthorized(_) => on_unauthorized.run(()),
        other => error.set(Some(other.message())),
    };

    state.loading.set(true);
    spawn_local_scoped_with_cancellation(async move {
        match api::list_bots(&token.get_value()).await {
            Ok(list) if list.data.is_empty() => {
                state.loading.set(false);
                error.set(Some("This workspace has no bots yet.".to_owned()));
            }
            Ok(list) => {
                bot_id.set(list.data.first().map(|bot| bot.id.clone()));
                bots.set(list.data);
            }
            Err(failure) => {
                state.loading.set(false);
                fail(failure);
            }
        }
    });

    // Loads the first page whenever the bot or the query changes.
    Effect::new(move |_| {
        let Some(bot) = bot_id.get() else { return };
        let search = query.get().body(None);
        let generation = state.begin_query();
        spawn_local_scoped_with_cancellation(async move {
            let result = api::search_users(&token.get_value(), &bot, &search).await;
            if !state.is_current(generation) {
                return;
            }
            state.loading.set(false);
            match result {
                Ok(page) => state.replace(page),
                Err(failure) => fail(failure),
            }
        });
    });

    let load_more = move |_| {
        let (Some(bot), Some(cursor)) = (bot_id.get_untracked(), state.next_cursor.get_untracked())
        else {
            return;
        };
        if state.loading_more.get_untracked() {
            return;
        }
        let generation = state.generation.get_value();
        let search = query.get_untracked().body(Some(cursor));
        let token = token.get_value();
        state.loading_more.set(true);
        // Not cancelled with the page: `is_current` drops the answer once the page is gone.
        spawn_local(async move {
            let result = api::search_users(&token, &bot, &search).await;
            if !state.is_current(generation) {
                return;
            }
            state.loading_more.set(false);
            match result {
                Ok(page) => state.append(page),
                Err(failure) => fail(failure),
            }
        });
    };

    let apply_filter = Callback::new(move |text: String| {
        let next = query.with_untracked(|query| query.with_first_name(&text));
        // Applying the same text again reloads, like a search button does.
        query.set(next);
    });
    // Closes the user's page and gives focus back to the name that opened it.
    let close_user = move |()| {
        let Some(user) = open_user.get_untracked() else {
            return;
        };
        open_user.set(None);
        let button = document()
            .get_element_by_id(&open_button_id(&user.id))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(button) = button {
            let _ = button.focus();
        }
    };
    let bot_name = move || {
        let selected = bot_id.get();
        bots.with(|bots| {
            bots.iter()
                .find(|bot| Some(&bot.id) == selected.as_ref())
                .map(|bot| bot.name.clone())
        })
    };

    let showing = move || {
        let shown = state.users.with(Vec::len);
        let total = state.total.get().unwrap_or_default();
        showing_of(u64::try_from(shown).unwrap_or(u64::MAX), total)
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
                <BotPicker bots=bots selected=bot_id />
            </header>
            <div class="toolbar">
                <FirstNameFilter
                    on_apply=apply_filter
                    applied=Signal::derive(move || query.with(|query| query.first_name_contains.clone()))
                />
                <p class="users-count" aria-live="polite">
                    {move || state.total.get().map(users_count)}
                </p>
            </div>
            <UsersTable
                users=state.users
                loading=state.loading
                filtered=Signal::derive(move || query.with(UsersQuery::is_filtered))
                sort=Signal::derive(move || query.with(UsersQuery::current_sort))
                on_sort=Callback::new(move |key| {
                    let next = query.with_untracked(|query| query.with_sort_by(key));
                    query.set(next);
                })
                on_open=Callback::new(move |user| open_user.set(Some(user)))
            >
                <Show when=move || state.users.with(|users| !users.is_empty())>
                    <footer class="table-footer">
                        <p class="table-footer__status">{showing}</p>
                        <Show when=move || state.next_cursor.with(Option::is_some)>
                            <button
                                type="button"
                                class="button button--secondary"
                                aria-busy=move || state.loading_more.get().to_string()
                                disabled=move || state.loading_more.get() || state.loading.get()
                                on:click=load_more
                            >
                                {move || if state.loading_more.get() { "Loading…" } else { "Load more" }}
                            </button>
                        </Show>
                    </footer>
                </Show>
            </UsersTable>
            {move || {
                let user = open_user.get()?;
                let bot = bot_id.get()?;
                Some(
                    view! {
                        <UserPanel
                            user
                            bot_id=bot
                            token=token.get_value()
                            on_close=Callback::new(close_user)
                            on_error=Callback::new(fail)
                        />
                    },
                )
            }}
            <Toast message=error />
        </main>
    }
}
