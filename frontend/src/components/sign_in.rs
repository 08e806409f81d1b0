//! The sign-in page: the app's first screen, email and password of an admin account.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Admin};

/// The id of the password field, which a refused sign-in selects for typing over.
const PASSWORD_ID: &str = "sign-in-password";

/// What the sign-in page says above its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// News, read out politely as a status: "You are signed out."
    Info(String),
    /// A refused sign-in or a failure, read out at once as an alert.
    Error(String),
}

impl Notice {
    /// What the page says after the admin signed out.
    pub fn signed_out() -> Self {
        Self::Info("You are signed out.".to_owned())
    }
}

/// A centred card with "Email" and "Password" fields and a **Sign in** button. A refused
/// sign-in (or a notice, like "you were signed out") shows above the fields.
#[component]
pub fn SignIn(on_signed_in: Callback<Admin>, notice: RwSignal<Option<Notice>>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        notice.set(None);
        let (email, entered) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let result = api::sign_in(email.trim(), &entered).await;
            busy.set(false);
            match result {
                Ok(admin) => {
                    password.set(String::new());
                    on_signed_in.run(admin);
                }
                Err(failure) => {
                    notice.set(Some(Notice::Error(failure.message())));
                    // Try again from the password, typed over.
                    request_animation_frame(|| {
                        crate::dom::focus_and_select(PASSWORD_ID);
                    });
                }
            }
        });
    };

    view! {
        <main class="signin">
            <form class="card signin__card" on:submit=submit>
                <div class="brand brand--large">
                    <span class="brand__mark" aria-hidden="true">
                        "C"
                    </span>
                    <span class="brand__name">"Cohort"</span>
                </div>
                <h1 class="signin__title">"Sign in"</h1>
                <p class="signin__hint">"See and segment everyone who chats with your bots."</p>
                {move || {
                    notice
                        .get()
                        .map(|notice| match notice {
                            Notice::Info(message) => {
                                view! {
                                    <p class="form-info" role="status">
                                        {message}
                                    </p>
                                }
                                    .into_any()
                            }
                            Notice::Error(message) => {
                                view! {
                                    <p class="form-error" role="alert">
                                        {message}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
                <div class="field">
                    <label class="field__label" for="sign-in-email">
                        "Email"
                    </label>
                    <input
                        id="sign-in-email"
                        class="input"
                        type="email"
                        autocomplete="username"
                        spellcheck="false"
                        required
                        autofocus
                        prop:value=move || email.get()
                        on:input=move |event| email.set(event_target_value(&event))
                    />
                </div>
                <div class="field">
                    <label class="field__label" for="sign-in-password">
                        "Password"
                    </label>
                    <input
                        id=PASSWORD_ID
                        class="input"
                        type="password"
                        autocomplete="current-password"
                        required
                        prop:value=move || password.get()
                        on:input=move |event| password.set(event_target_value(&event))
                    />
                </div>
                <button
                    type="submit"
                    class="button button--primary button--block"
                    aria-busy=move || busy.get().to_string()
                    aria-disabled=move || busy.get().to_string()
                >
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
                <p class="signin__footer">
                    "Integrating? The REST API and its docs are at "
                    <a href="/docs/">"/docs"</a>
                    "."
                </p>
            </form>
        </main>
    }
}
