//! A user's avatar: their profile picture when there is one the app may load and it
//! loads, else their initials on a colour of their own (`display::avatar_tone`).

use leptos::prelude::*;

/// A round avatar, decorative (`aria-hidden`: the user's name is beside it). `picture` is
/// an address `display::picture_url` accepted; it is asked for without a referrer, and
/// when it fails to load the initials show instead.
#[component]
pub fn Avatar(
    tone: u32,
    #[prop(into)] initials: Signal<String>,
    #[prop(into)] picture: Signal<Option<String>>,
    #[prop(optional)] large: bool,
) -> impl IntoView {
    // The address that failed to load, so a new one gets its own try.
    let failed = RwSignal::new(None::<String>);
    let shown = move || {
        picture
            .get()
            .filter(|url| failed.with(|failed| failed.as_ref() != Some(url)))
    };
    view! {
        <span
            class=format!("avatar avatar--tone-{tone}")
            class:avatar--large=large
            aria-hidden="true"
        >
            {move || initials.get()}
            {move || {
                shown()
                    .map(|url| {
                        let failed_url = url.clone();
                        view! {
                            <img
                                class="avatar__picture"
                                src=url
                                alt=""
                                loading="lazy"
                                decoding="async"
                                referrerpolicy="no-referrer"
                                on:error=move |_| failed.set(Some(failed_url.clone()))
                            />
                        }
                    })
            }}
        </span>
    }
}
