//! The choice of bot whose users are shown, for workspaces with more than one bot.

use cohort_core::api::Bot;
use leptos::prelude::*;

/// A `<select>` labelled "Bot" over `bots`; shows nothing when there is only one.
#[component]
pub fn BotPicker(
    #[prop(into)] bots: Signal<Vec<Bot>>,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <Show when=move || bots.with(|bots| bots.len() > 1)>
            <div class="bot-picker">
                <label class="field__label field__label--inline" for="bot-picker">
                    "Bot"
                </label>
                <select
                    id="bot-picker"
                    class="select"
                    prop:value=move || selected.get().unwrap_or_default()
                    on:change=move |event| selected.set(Some(event_target_value(&event)))
                >
                    {move || {
                        bots.get()
                            .into_iter()
                            .map(|bot| {
                                let is_selected = selected
                                    .with_untracked(|id| id.as_deref() == Some(bot.id.as_str()));
                                view! {
                                    <option value=bot.id selected=is_selected>
                                        {bot.name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
        </Show>
    }
}
