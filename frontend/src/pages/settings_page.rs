//! The Settings page (the seed's "Personality"): the bot's name and session timeout, its
//! activity (the audit log), and a new bot. The bot is the one in the address (`?bot=`), else the workspace's first.

use cohort_core::api::{Bot, CreateBot, UpdateBot};
use cohort_core::limits::{MAX_BOT_NAME_CHARS, MAX_SESSION_TIMEOUT_SECS};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::activity_log::ActivityLog;
use crate::components::bot_switcher::NEW_BOT_FRAGMENT;
use crate::components::toast::Toast;
use crate::display::sentence;
use crate::users_query::UsersQuery;

/// The longest timeout, in whole minutes.
const MAX_TIMEOUT_MINUTES: i64 = MAX_SESSION_TIMEOUT_SECS / 60;

/// The Settings page; a 401 calls `on_unauthorized`.
#[component]
pub fn SettingsPage(on_unauthorized: Callback<String>) -> impl IntoView {
    let wanted = crate::location::current().0.bot;
    // "New bot…" in the header's switcher comes here for the form: it gets focus.
    if window()
        .location()
        .hash()
        .is_ok_and(|hash| hash == NEW_BOT_FRAGMENT)
    {
        request_animation_frame(|| {
            crate::dom::focus("new-bot-name");
        });
    }
    let bot = RwSignal::new(None::<Bot>);
    let name = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    let new_name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let field_errors = RwSignal::new(Vec::<(String, String)>::new());
    let saving = RwSignal::new(false);

    let fail = move |failure: ApiError| match failure {
        ApiError::Unauthorized(message) => on_unauthorized.run(message),
        ApiError::Problem(problem_body) if !problem_body.errors.is_empty() => field_errors.set(
            problem_body
                .errors
                .into_iter()
                .map(|error| (error.pointer, sentence(&error.message)))
                .collect(),
        ),
        other => problem.set(Some(other.message())),
    };
    let show = move |shown: Bot| {
        name.set(shown.name.clone());
        minutes.set(format_minutes(shown.session_timeout_secs));
        bot.set(Some(shown));
    };
    spawn_local(async move {
        match api::list_bots().await {
            Ok(list) => {
                let chosen = list
                    .data
                    .iter()
                    .find(|bot| Some(&bot.id) == wanted.as_ref())
                    .or(list.data.first())
                    .cloned();
                match chosen {
                    Some(chosen) => show(chosen),
                    None => problem.set(Some(
                        "This workspace has no bots yet: create one below.".to_owned(),
                    )),
                }
            }
            Err(failure) => fail(failure),
        }
    });

    let error_at = move |pointer: &'static str| {
        move || {
            field_errors.with(|errors| {
                errors
                    .iter()
                    .filter(|(at, _)| at == pointer)
                    .map(|(_, message)| message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
    };
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(current) = bot.get_untracked() else {
            return;
        };
        field_errors.set(Vec::new());
        let timeout = match parse_minutes(&minutes.get_untracked()) {
            Ok(seconds) => seconds,
            Err(message) => {
                field_errors.set(vec![("/session_timeout_secs".to_owned(), message)]);
                return;
            }
        };
        let changes = UpdateBot {
            name: Some(name.get_untracked().trim().to_owned()).filter(|name| *name != current.name),
            session_timeout_secs: Some(timeout)
                .filter(|timeout| *timeout != current.session_timeout_secs),
        };
        if changes == UpdateBot::default() {
            notice.set(Some(
                "Nothing to save: the settings are as they were.".to_owned(),
            ));
            return;
        }
        let timeout_changed = changes.session_timeout_secs.is_some();
        saving.set(true);
        spawn_local(async move {
            let result = api::update_bot(&current.id, &changes).await;
            saving.set(false);
            match result {
                Ok(saved) => {
                    show(saved);
                    notice.set(Some(if timeout_changed {
                        "Saved. New conversations use the new timeout; press Refresh Stats on the Users page to apply it to past history.".to_owned()
                    } else {
                        "Saved.".to_owned()
                    }));
                }
                Err(failure) => fail(failure),
            }
        });
    };
    let create = move |event: SubmitEvent| {
        event.prevent_default();
        let body = CreateBot {
            name: new_name.get_untracked().trim().to_owned(),
            session_timeout_secs: None,
        };
        let problem = if body.name.is_empty() {
            Some("Give the bot a name.".to_owned())
        } else if body.name.chars().count() > MAX_BOT_NAME_CHARS {
            Some(format!(
                "A bot name is at most {MAX_BOT_NAME_CHARS} characters."
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            field_errors.set(vec![("/name-new".to_owned(), problem)]);
            return;
        }
        field_errors.set(Vec::new());
        spawn_local(async move {
            match api::create_bot(&body).await {
                Err(ApiError::Problem(refused)) if !refused.errors.is_empty() => field_errors.set(
                    refused
                        .errors
                        .into_iter()
                        .map(|error| {
                            let at = if error.pointer == "/name" {
                                "/name-new".to_owned()
                            } else {
                                error.pointer
                            };
                            (at, sentence(&error.message))
                        })
                        .collect(),
                ),
                Ok(created) => {
                    let users = UsersQuery {
                        bot: Some(created.id),
                        ..UsersQuery::default()
                    };
                    let _ = window().location().set_href(&users.to_url());
                }
                Err(failure) => fail(failure),
            }
        });
    };
    let users_link = move || {
        UsersQuery {
            bot: bot.with(|bot| bot.as_ref().map(|bot| bot.id.clone())),
            ..UsersQuery::default()
        }
        .to_url()
    };

    view! {
        <main class="page page--narrow" id="main" tabindex="-1">
            <header class="page-header">
                <div>
                    <h1 class="page-title">"Settings"</h1>
                    <p class="page-subtitle">
                        {move || {
                            bot.with(|bot| match bot {
                                Some(bot) => format!("{}'s name, how it counts sessions, and what was done to its users.", bot.name),
                                None => "Your bots' settings.".to_owned(),
                            })
                        }}
                    </p>
                </div>
                <a class="button button--ghost" href=users_link>
                    "← Back to users"
                </a>
            </header>
            {move || problem.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <Show when=move || bot.with(Option::is_some)>
                <form class="card settings-card" novalidate on:submit=save aria-labelledby="bot-settings-title">
                    <h2 id="bot-settings-title" class="settings-card__title">"Personality"</h2>
                    <div class="field">
                        <label class="field__label" for="bot-name">"Bot name"</label>
                        <input
                            id="bot-name"
                            class="input"
                            type="text"
                            aria-describedby="bot-name-error"
                            prop:value=move || name.get()
                            on:input=move |event| name.set(event_target_value(&event))
                        />
                        <p class="row-error" id="bot-name-error">{error_at("/name")}</p>
                    </div>
                    <div class="field">
                        <label class="field__label" for="session-timeout">"Session timeout (minutes)"</label>
                        <input
                            id="session-timeout"
                            class="input input--short"
                            type="text"
                            inputmode="numeric"
                            aria-describedby="session-timeout-hint session-timeout-error"
                            prop:value=move || minutes.get()
                            on:input=move |event| minutes.set(event_target_value(&event))
                        />
                        <p class="field__hint" id="session-timeout-hint">
                            "A gap longer than this between two messages or clicks starts a new session. "
                            "A new timeout counts from the next event on; Refresh Stats on the Users page applies it to past history."
                        </p>
                        <p class="row-error" id="session-timeout-error">{error_at("/session_timeout_secs")}</p>
                    </div>
                    <div class="dialog__actions dialog__actions--start">
                        <button type="submit" class="button button--primary" disabled=move || saving.get()>
                            {move || if saving.get() { "Saving…" } else { "Save" }}
                        </button>
                    </div>
                </form>
            </Show>
            {move || {
                bot.with(|bot| bot.as_ref().map(|bot| bot.id.clone()))
                    .map(|bot_id| {
                        view! { <ActivityLog bot_id on_error=Callback::new(fail) /> }
                    })
            }}
            <form class="card settings-card" novalidate on:submit=create aria-labelledby="new-bot-title">
                <h2 id="new-bot-title" class="settings-card__title">"New bot"</h2>
                <div class="field">
                    <label class="field__label" for="new-bot-name">"Name"</label>
                    <input
                        id="new-bot-name"
                        class="input"
                        type="text"
                        aria-describedby="new-bot-error"
                        prop:value=move || new_name.get()
                        on:input=move |event| new_name.set(event_target_value(&event))
                    />
                    <p class="row-error" id="new-bot-error">{error_at("/name-new")}</p>
                </div>
                <div class="dialog__actions dialog__actions--start">
                    <button type="submit" class="button button--secondary">"Create bot"</button>
                </div>
            </form>
            <div class="toast-region">
                <Toast message=notice success=true />
            </div>
        </main>
    }
}

/// A timeout in seconds as whole minutes where it is whole, else with a decimal.
fn format_minutes(seconds: i64) -> String {
    if seconds % 60 == 0 {
        (seconds / 60).to_string()
    } else {
        let text = format!("{:.2}", seconds as f64 / 60.0);
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Minutes as typed into seconds, or what to fix.
fn parse_minutes(text: &str) -> Result<i64, String> {
    let minutes: f64 = text
        .trim()
        .parse()
        .map_err(|_| "Enter the timeout in minutes, like 10.".to_owned())?;
    let seconds = (minutes * 60.0).round();
    if !(1.0..=MAX_SESSION_TIMEOUT_SECS as f64).contains(&seconds) {
        return Err(format!(
            "The timeout is between 1 second and {MAX_TIMEOUT_MINUTES} minutes (a week)."
        ));
    }
    Ok(seconds as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_read_and_write_as_the_admin_types_them() {
        assert_eq!(parse_minutes(" 5 "), Ok(300));
        assert_eq!(parse_minutes("0.5"), Ok(30));
        assert!(parse_minutes("0").is_err());
        assert!(parse_minutes("ten").is_err());
        assert!(parse_minutes("20000").is_err());
        assert_eq!(format_minutes(600), "10");
        assert_eq!(format_minutes(90), "1.5");
        assert_eq!(format_minutes(30), "0.5");
        assert_eq!(format_minutes(65), "1.08");
    }
}
