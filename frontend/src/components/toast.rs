//! A dismissible error notice (`role="alert"`) in the corner of the screen.

use leptos::prelude::*;

/// Shows `message` while it is set; the close button clears it.
#[component]
pub fn Toast(message: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <div class="toast-region">
            {move || {
                message
                    .get()
                    .map(|text| {
                        view! {
                            <div class="toast" role="alert">
                                <span class="toast__icon" aria-hidden="true">
                                    "!"
                                </span>
                                <p class="toast__text">{text}</p>
                                <button
                                    type="button"
                                    class="icon-button toast__close"
                                    aria-label="Dismiss"
                                    on:click=move |_| message.set(None)
                                >
                                    "×"
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
