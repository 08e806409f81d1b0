//! The sign-in page: the app's first screen, email and password of an admin account.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::{self, Admin};

/// What the sign-in page says after the admin signed out: news, not an error.
pub const SIGNED_OUT: &str = "You are signed out.";

/// A centred card with "Email" and "Password" fields and a **Sign in** button. A refused
/// sign-in (or a notice, like "you were signed out") shows above the fields.
#[component]
pub fn SignIn(on_signed_in: Callback<Admin>, notice: RwSignal<Option<String>>) -> impl IntoView {
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
                    notice.set(Some(failure.message()));
                    // Try again from the password, typed over.
                    request_animation_frame(|| {
                        if let Some(field) = document()
                            .get_element_by_id("sign-in-password")
                            .and_then(|element| {
                                element.dyn_into::<web_sys::HtmlInputElement>().ok()
                            })
                        {
                            let _ = field.focus();
                            field.select();
                        }
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
                        .map(|message| {
                            if message == SIGNED_OUT {
                                view! {
                                    <p class="form-info" role="status">
                                        {message}
                                    </p>
                                }
                                    .into_any()
                            } else {
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
                        id="sign-in-password"
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
