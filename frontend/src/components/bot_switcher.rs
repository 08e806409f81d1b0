//! The header's bot switcher (UI.md): the bot shown, a menu of the workspace's bots, and
//! "New bot…", on every page.

use cohort_core::api::Bot;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::users_query::percent_encode;

/// The menu entry that goes to Settings' "New bot" form instead of a bot.
const NEW_BOT: &str = "new-bot";

/// Where the "New bot" form is: Settings opens with focus on its name when the address
/// ends with it.
pub const NEW_BOT_FRAGMENT: &str = "#new-bot";

/// A `<select>` labelled "Bot" over the workspace's bots with `current` (the address's
/// `?bot=`, else the first) chosen, then "New bot…". Choosing a bot opens the same page
/// (`/` or `/settings`, as `on_settings` says) for it, as a new entry in the history;
/// choosing "New bot…" opens Settings' form (or, there, focuses it). Shows nothing until the bots are known (a
/// failure to list them is the page's to report).
#[component]
pub fn BotSwitcher(current: Option<String>, on_settings: bool) -> impl IntoView {
    let bots = RwSignal::new(Vec::<Bot>::new());
    spawn_local(async move {
        if let Ok(list) = api::list_bots().await {
            bots.set(list.data);
        }
    });
    let current = StoredValue::new(current);
    let shown = move || {
        current
            .get_value()
            .or_else(|| bots.with(|bots| bots.first().map(|bot| bot.id.clone())))
    };
    let page = if on_settings { "/settings" } else { "/" };
    let select = NodeRef::<leptos::html::Select>::new();
    let change = move |event| {
        let picked = event_target_value(&event);
        if picked == NEW_BOT && on_settings {
            // The form is on this page: the menu goes back to the bot, focus to the form.
            if let Some(select) = select.get_untracked() {
                select.set_value(&shown().unwrap_or_default());
            }
            crate::dom::focus("new-bot-name");
            return;
        }
        let url = if picked == NEW_BOT {
            match shown() {
                Some(bot) => format!("/settings?bot={}{NEW_BOT_FRAGMENT}", percent_encode(&bot)),
                None => format!("/settings{NEW_BOT_FRAGMENT}"),
            }
        } else {
            format!("{page}?bot={}", percent_encode(&picked))
        };
        let _ = window().location().assign(&url);
    };

    view! {
        <Show when=move || bots.with(|bots| !bots.is_empty())>
            <div class="bot-switcher">
                <label class="visually-hidden" for="bot-switcher">
                    "Bot"
                </label>
                <select
                    id="bot-switcher"
                    class="select bot-switcher__select"
                    node_ref=select
                    on:change=change
                >
                    {move || {
                        let chosen = shown();
                        bots.get()
                            .into_iter()
                            .map(|bot| {
                                let is_chosen = chosen.as_deref() == Some(bot.id.as_str());
                                view! {
                                    <option value=bot.id selected=is_chosen>
                                        {bot.name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                    <option value=NEW_BOT>"New bot…"</option>
                </select>
            </div>
        </Show>
    }
}
