//! The application shell: asks the server who is signed in, shows the sign-in page to
//! nobody, and the header with the Users page to an admin.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Admin, ApiError};
use crate::components::bot_switcher::BotSwitcher;
use crate::components::sign_in::{Notice, SignIn};
use crate::pages::settings_page::SettingsPage;
use crate::pages::users_page::UsersPage;

/// Who the app is showing itself to.
#[derive(Debug, Clone, PartialEq)]
enum Session {
    /// `GET /auth/me` is on its way.
    Checking,
    SignedOut,
    SignedIn(Admin),
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(Session::Checking);
    let notice = RwSignal::new(None::<Notice>);

    spawn_local(async move {
        match api::me().await {
            Ok(admin) => session.set(Session::SignedIn(admin)),
            Err(ApiError::Unauthorized(_)) => session.set(Session::SignedOut),
            Err(failure) => {
                notice.set(Some(Notice::Error(failure.message())));
                session.set(Session::SignedOut);
            }
        }
    });

    let signed_in = Callback::new(move |admin: Admin| session.set(Session::SignedIn(admin)));
    // Any 401 on the way (the session expired, or was ended elsewhere).
    let session_ended = Callback::new(move |message: String| {
        notice.set(Some(Notice::Error(message)));
        session.set(Session::SignedOut);
    });
    let sign_out = move |_| {
        spawn_local(async move {
            // Signed out either way: a failure here leaves a session the server expires.
            let _ = api::sign_out().await;
            notice.set(Some(Notice::signed_out()));
            session.set(Session::SignedOut);
        });
    };

    move || match session.get() {
        Session::Checking => view! {
            <main class="signin" aria-busy="true">
                <p class="muted">"Loading Cohort…"</p>
            </main>
        }
        .into_any(),
        Session::SignedOut => {
            crate::dom::set_title("Sign in");
            view! { <SignIn on_signed_in=signed_in notice /> }.into_any()
        }
        Session::SignedIn(admin) => {
            let on_settings = window()
                .location()
                .pathname()
                .unwrap_or_default()
                .starts_with("/settings");
            crate::dom::set_title(if on_settings { "Settings" } else { "Users" });
            let bot = crate::location::current().0.bot;
            let with_bot = |path: &str| match &bot {
                Some(bot) => format!("{path}?bot={}", crate::users_query::percent_encode(bot)),
                None => path.to_owned(),
            };
            view! {
                {if on_settings {
                    view! {
                        <a class="skip-link" href="#main">
                            "Skip to the settings"
                        </a>
                    }
                        .into_any()
                } else {
                    view! {
                        <a class="skip-link" href="#users-table">
                            "Skip to the users table"
                        </a>
                    }
                        .into_any()
                }}
                <div class="shell">
                    <header class="topbar">
                        <div class="brand">
                            <span class="brand__mark" aria-hidden="true">
                                "C"
                            </span>
                            <span class="brand__name">"Cohort"</span>
                        </div>
                        <BotSwitcher current=bot.clone() on_settings />
                        <nav class="topbar__nav" aria-label="Main">
                            <a
                                class="topbar__link"
                                class:is-active=!on_settings
                                href=with_bot("/")
                                aria-current=(!on_settings).then_some("page")
                            >
                                "Users"
                            </a>
                            <a
                                class="topbar__link"
                                class:is-active=on_settings
                                href=with_bot("/settings")
                                aria-current=on_settings.then_some("page")
                            >
                                "Settings"
                            </a>
                            <a class="topbar__link" href="/docs/" target="_blank" rel="noopener">
                                "API docs"
                            </a>
                        </nav>
                        <div class="topbar__account">
                            <span
                                class="topbar__email"
                                title=format!("{} · {}", admin.email, admin.workspace.name)
                            >
                                {admin.email.clone()}
                            </span>
                            <button type="button" class="button button--ghost" on:click=sign_out>
                                "Sign out"
                            </button>
                        </div>
                    </header>
                    {if on_settings {
                        view! { <SettingsPage on_unauthorized=session_ended /> }.into_any()
                    } else {
                        view! { <UsersPage on_unauthorized=session_ended /> }.into_any()
                    }}
                </div>
            }
            .into_any()
        }
    }
}
