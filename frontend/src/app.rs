//! The application shell: the sign-in card without a token, the signed-in layout with one.

use leptos::prelude::*;

use crate::components::token_prompt::TokenPrompt;
use crate::pages::users_page::UsersPage;
use crate::session;

/// What the sign-in card says after the API refused the token.
const TOKEN_REFUSED: &str = "That API token was not accepted. Check it and try again.";

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let token = RwSignal::new(session::load_token());
    let sign_in_error = RwSignal::new(None::<String>);

    let sign_in = Callback::new(move |value: String| {
        session::store_token(&value);
        sign_in_error.set(None);
        token.set(Some(value));
    });
    let refused = Callback::new(move |()| {
        session::clear_token();
        sign_in_error.set(Some(TOKEN_REFUSED.to_owned()));
        token.set(None);
    });
    let sign_out = move |_| {
        session::clear_token();
        sign_in_error.set(None);
        token.set(None);
    };

    move || match token.get() {
        None => view! { <TokenPrompt on_submit=sign_in error=sign_in_error /> }.into_any(),
        Some(token) => view! {
            <div class="shell">
                <header class="topbar">
                    <div class="brand">
                        <span class="brand__mark" aria-hidden="true">
                            "C"
                        </span>
                        <span class="brand__name">"Cohort"</span>
                    </div>
                    <nav class="topbar__nav" aria-label="Main">
                        <a class="topbar__link is-active" href="/" aria-current="page">
                            "Users"
                        </a>
                    </nav>
                    <button type="button" class="button button--ghost" on:click=sign_out>
                        "Sign out"
                    </button>
                </header>
                <UsersPage token on_unauthorized=refused />
            </div>
        }
        .into_any(),
    }
}
