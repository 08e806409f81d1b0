//! The sign-in card: asks for an API token when the tab has none (or it was refused).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// A centred card with a password field labelled "API token" and a "Continue" button.
/// `error` is shown above the field, e.g. after the API refused the previous token.
#[component]
pub fn TokenPrompt(
    on_submit: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let token = RwSignal::new(String::new());
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let value = token.get_untracked().trim().to_owned();
        if !value.is_empty() {
            on_submit.run(value);
        }
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
                <p class="signin__hint">
                    "Paste an API token of your workspace to see the people who chat with your bots."
                </p>
                {move || {
                    error
                        .get()
                        .map(|message| {
                            view! {
                                <p class="form-error" role="alert">
                                    {message}
                                </p>
                            }
                        })
                }}
                <div class="field">
                    <label class="field__label" for="api-token">
                        "API token"
                    </label>
                    <input
                        id="api-token"
                        class="input"
                        type="password"
                        autocomplete="off"
                        spellcheck="false"
                        required
                        autofocus
                        prop:value=move || token.get()
                        on:input=move |event| token.set(event_target_value(&event))
                    />
                </div>
                <button type="submit" class="button button--primary button--block">
                    "Continue"
                </button>
            </form>
        </main>
    }
}
