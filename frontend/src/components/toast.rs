//! Notices in the corner of the screen: an error (`role="alert"`, stays until dismissed)
//! or what an action did (`role="status"`, goes by itself after a while).

use std::time::Duration;

use leptos::prelude::*;

/// How long a success notice stays.
const SUCCESS_LINGERS: Duration = Duration::from_secs(8);

/// Shows `message` while it is set (inside a `.toast-region` the page places); the close button clears it. A `success` notice clears
/// itself after a few seconds.
#[component]
pub fn Toast(message: RwSignal<Option<String>>, #[prop(optional)] success: bool) -> impl IntoView {
    if success {
        Effect::new(move |_| {
            let Some(shown) = message.get() else { return };
            set_timeout(
                move || {
                    if message.try_get_untracked().flatten().as_ref() == Some(&shown) {
                        message.set(None);
                    }
                },
                SUCCESS_LINGERS,
            );
        });
    }
    view! {
        {move || {
                message
                    .get()
                    .map(|text| {
                        view! {
                            <div
                                class="toast"
                                class:toast--success=success
                                role=if success { "status" } else { "alert" }
                            >
                                <span class="toast__icon" aria-hidden="true">
                                    {if success { "✓" } else { "!" }}
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
    }
}
