//! The users table: one row per user with their channel, stats, tags and attributes.

use chrono::Local;
use cohort_core::api::User;
use cohort_core::sentiment::Label;
use cohort_core::sort::{Sort, SortKey};
use leptos::ev;
use leptos::prelude::*;

use crate::components::avatar::Avatar;
use crate::display::{
    NO_VALUE, UNKNOWN_USER, avatar_tone, average_sentiment, channel_name, class_token,
    display_name, format_duration, format_exact_time, format_relative, format_sentiment,
    format_stat, initials, label_class, label_text, picture_url,
};
use crate::selection::{PageState, Selection};

/// The column headers, in order, with the CSS class of their cells and the key they sort
/// by (none for tags and attributes).
const COLUMNS: [(&str, &str, Option<SortKey>); 10] = [
    ("Name", "col-name", Some(SortKey::Name)),
    ("Channel", "col-channel", Some(SortKey::Channel)),
    ("Sessions", "col-number", Some(SortKey::Sessions)),
    ("Messages Sent", "col-number", Some(SortKey::MessagesSent)),
    ("Clicks", "col-number", Some(SortKey::Clicks)),
    ("Time Spent", "col-number", Some(SortKey::TimeSpentSecs)),
    (
        "Average Sentiment",
        "col-sentiment",
        Some(SortKey::AverageSentiment),
    ),
    ("Last Message At", "col-date", Some(SortKey::LastMessageAt)),
    ("Tags", "col-chips", None),
    ("Attributes", "col-chips", None),
];

/// Tags or attributes shown in a cell before the rest fold into "+N".
const CHIPS_PER_CELL: usize = 2;

/// Skeleton rows shown while the first page loads.
const SKELETON_ROWS: usize = 8;

/// The table of `users`. While `loading`, the table is marked busy: a skeleton stands in
/// for rows not loaded yet, and rows already shown are dimmed. A failed load shows its
/// `error` with Retry (`on_retry`); with no users, an empty state says why (`filtered`:
/// because of the filter, with a Clear action, `on_clear`). A sortable header shows the
/// `sort` in force and asks for another with `on_sort`; a user's name opens their page
/// (`on_open`). `children` form the card's footer.
#[component]
pub fn UsersTable(
    #[prop(into)] users: Signal<Vec<User>>,
    #[prop(into)] loading: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] filtered: Signal<bool>,
    #[prop(into)] sort: Signal<Sort>,
    on_sort: Callback<SortKey>,
    on_open: Callback<User>,
    user_href: Callback<String, String>,
    on_retry: Callback<()>,
    on_clear: Callback<()>,
    #[prop(into)] selection: Signal<Selection>,
    on_toggle: Callback<String>,
    on_toggle_page: Callback<bool>,
    children: Children,
) -> impl IntoView {
    let page_state = move || {
        let ids: Vec<String> =
            users.with(|users| users.iter().map(|user| user.id.clone()).collect());
        selection.with(|selection| selection.page_state(&ids))
    };
    let first_load =
        move || loading.get() && users.with(Vec::is_empty) && error.with(Option::is_none);
    let empty = move || !loading.get() && users.with(Vec::is_empty) && error.with(Option::is_none);
    let failed = move || !loading.get() && error.with(Option::is_some);

    view! {
        <section
            id="users-table"
            tabindex="-1"
            class="table-card"
            class:is-loading=move || loading.get()
            aria-label="Users"
            aria-busy=move || loading.get().to_string()
        >
            <div class="progress" aria-hidden="true"></div>
            <div class="table-scroll">
                <table class="users-table">
                    <thead>
                        <tr>
                            <th scope="col" class="col-check">
                                <input
                                    type="checkbox"
                                    class="checkbox"
                                    aria-label="Select all users on this page"
                                    disabled=move || users.with(Vec::is_empty)
                                    prop:checked=move || page_state() == PageState::All
                                    prop:indeterminate=move || page_state() == PageState::Some
                                    on:change=move |event| on_toggle_page.run(event_target_checked(&event))
                                />
                            </th>
                            {COLUMNS
                                .into_iter()
                                .map(|(title, class, key)| header_cell(title, class, key, sort, on_sort))
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        <Show when=first_load>
                            {(0..SKELETON_ROWS).map(|_| skeleton_row()).collect_view()}
                        </Show>
                        // Keyed by the whole row, so a row whose user changed (a bulk
                        // action, an edit) is drawn again.
                        <For each=move || users.get() key=row_key let(user)>
                            <UserRow
                                selected=Signal::derive({
                                    let id = user.id.clone();
                                    move || selection.with(|selection| selection.contains(&id))
                                })
                                user
                                on_open
                                user_href
                                on_toggle
                            />
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=failed>
                <div class="empty-state empty-state--error" role="alert">
                    <p class="empty-state__title">"The users could not be loaded"</p>
                    <p class="empty-state__hint">{move || error.get().unwrap_or_default()}</p>
                    <div class="empty-state__actions">
                        <button
                            type="button"
                            class="button button--primary"
                            on:click=move |_| on_retry.run(())
                        >
                            "Retry"
                        </button>
                        <Show when=move || filtered.get()>
                            <button
                                type="button"
                                class="button button--secondary"
                                on:click=move |_| on_clear.run(())
                            >
                                "Clear filter"
                            </button>
                        </Show>
                    </div>
                </div>
            </Show>
            <Show when=empty>
                <div class="empty-state">
                    {move || {
                        if filtered.get() {
                            view! {
                                <p class="empty-state__title">"No users match this filter"</p>
                                <p class="empty-state__hint">
                                    "Change or remove a condition, or start again."
                                </p>
                                <div class="empty-state__actions">
                                    <button
                                        type="button"
                                        class="button button--secondary"
                                        on:click=move |_| on_clear.run(())
                                    >
                                        "Clear"
                                    </button>
                                </div>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p class="empty-state__title">"No users yet"</p>
                                <p class="empty-state__hint">
                                    "They appear here when people chat with this bot."
                                </p>
                            }
                                .into_any()
                        }
                    }}
                </div>
            </Show>
            {children()}
        </section>
    }
}

/// A column header; a sortable one is a button that says which way the column is sorted
/// (`aria-sort` on the header, an arrow for the eye).
fn header_cell(
    title: &'static str,
    class: &'static str,
    key: Option<SortKey>,
    sort: Signal<Sort>,
    on_sort: Callback<SortKey>,
) -> AnyView {
    let Some(key) = key else {
        return view! {
            <th scope="col" class=class>
                {title}
            </th>
        }
        .into_any();
    };
    let direction = move || {
        let sort = sort.get();
        (sort.key == key).then_some(sort.descending)
    };
    view! {
        <th
            scope="col"
            class=class
            aria-sort=move || match direction() {
                Some(true) => "descending",
                Some(false) => "ascending",
                None => "none",
            }
        >
            <button
                type="button"
                class="sort-button"
                class:is-sorted=move || direction().is_some()
                on:click=move |_| on_sort.run(key)
            >
                {title}
                <span class="sort-button__arrow" aria-hidden="true">
                    {move || match direction() {
                        Some(true) => "↓",
                        Some(false) => "↑",
                        None => "↕",
                    }}
                </span>
            </button>
        </th>
    }
    .into_any()
}

/// A placeholder row with grey bars, hidden from assistive technology.
fn skeleton_row() -> impl IntoView {
    view! {
        <tr class="skeleton-row" aria-hidden="true">
            <td class="col-check"></td>
            {COLUMNS
                .into_iter()
                .map(|(_, class, _)| {
                    view! {
                        <td class=class>
                            <span class="skeleton"></span>
                        </td>
                    }
                })
                .collect_view()}
        </tr>
    }
}

/// One user's row: a checkbox labelled with the name, and the name opens the user's page.
#[component]
fn UserRow(
    user: User,
    #[prop(into)] selected: Signal<bool>,
    on_open: Callback<User>,
    user_href: Callback<String, String>,
    on_toggle: Callback<String>,
) -> impl IntoView {
    let name = display_name(&user.first_name, &user.last_name);
    let secondary = user
        .email
        .clone()
        .unwrap_or_else(|| user.external_id.clone());
    let name_view = match name {
        Some(name) => view! { <span class="user__name">{name}</span> }.into_any(),
        None => view! { <span class="user__name muted">{UNKNOWN_USER}</span> }.into_any(),
    };
    let opened = user.clone();
    let check_label = display_name(&user.first_name, &user.last_name)
        .unwrap_or_else(|| format!("{UNKNOWN_USER} {}", user.external_id));
    let toggled = user.id.clone();
    let linked = user.id.clone();

    view! {
        <tr class:is-selected=move || selected.get()>
            <td class="col-check">
                <input
                    type="checkbox"
                    class="checkbox"
                    aria-label=check_label
                    prop:checked=move || selected.get()
                    on:change=move |_| on_toggle.run(toggled.clone())
                />
            </td>
            <td class="col-name">
                <div class="user">
                    <Avatar
                        tone=avatar_tone(&user.id)
                        initials=initials(&user.first_name, &user.last_name)
                        picture=picture_url(user.avatar_url.as_deref())
                    />
                    <div class="user__text">
                        <a
                            id=open_link_id(&user.id)
                            class="user__open"
                            href=move || user_href.run(linked.clone())
                            aria-haspopup="dialog"
                            on:click=move |event: ev::MouseEvent| {
                                // With a modifier the browser opens the page in a new tab
                                // or window; a plain click opens it over this table.
                                let modified = event.ctrl_key() || event.meta_key()
                                    || event.shift_key() || event.alt_key();
                                if event.button() == 0 && !modified {
                                    event.prevent_default();
                                    on_open.run(opened.clone());
                                }
                            }
                        >
                            {name_view}
                        </a>
                        <span class="user__secondary">{secondary}</span>
                    </div>
                </div>
            </td>
            <td class="col-channel">
                <span class=format!("channel channel--{}", class_token(&user.channel))>
                    {channel_name(&user.channel)}
                </span>
            </td>
            {number_cell(user.sessions, format_stat(user.sessions))}
            {number_cell(user.messages_sent, format_stat(user.messages_sent))}
            {number_cell(user.clicks, format_stat(user.clicks))}
            {number_cell(user.time_spent_secs, format_duration(user.time_spent_secs))}
            <td class="col-sentiment">{sentiment_cell(average_sentiment(&user))}</td>
            <td class="col-date">{last_message_cell(&user)}</td>
            <td class="col-chips">{tags_cell(&user.tags)}</td>
            <td class="col-chips">{attributes_cell(&user)}</td>
        </tr>
    }
}

/// A row's identity for `<For>`: the user's id and a digest of everything the row shows.
fn row_key(user: &User) -> (String, u64) {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (
        &user.first_name,
        &user.last_name,
        &user.email,
        &user.external_id,
        &user.channel,
        &user.tags,
        &user.attributes,
    )
        .hash(&mut hasher);
    (
        user.sessions,
        user.messages_sent,
        user.clicks,
        user.time_spent_secs,
        user.average_sentiment.map(f64::to_bits),
        user.last_message_at.map(|time| time.timestamp_micros()),
    )
        .hash(&mut hasher);
    (user.id.clone(), hasher.finish())
}

/// The id of the link on user `user_id`'s name that opens their page, so focus can return
/// to it.
pub fn open_link_id(user_id: &str) -> String {
    format!("open-user-{}", class_token(user_id))
}

/// A right-aligned stat; zeros are muted so that activity stands out.
fn number_cell(value: i64, text: String) -> impl IntoView {
    view! {
        <td class="col-number" class:is-zero=value <= 0>
            {text}
        </td>
    }
}

/// The score and its label pill, or a dash (also under each message on the user's page).
pub fn sentiment_cell(sentiment: Option<(f64, Label)>) -> AnyView {
    match sentiment {
        Some((score, label)) => view! {
            <span class="sentiment">
                <span class="sentiment__score">{format_sentiment(score)}</span>
                <span class=label_class(label)>{label_text(label)}</span>
            </span>
        }
        .into_any(),
        None => view! { <span class="muted">{NO_VALUE}</span> }.into_any(),
    }
}

/// The last message time in the browser's time zone, with the exact time as a tooltip.
fn last_message_cell(user: &User) -> AnyView {
    match user.last_message_at {
        Some(time) => {
            let exact = time.to_rfc3339();
            // Screen readers read what is shown, then the exact time (a `time` element's
            // `aria-label` names nothing: its role is generic).
            view! {
                <time
                    class="has-tooltip"
                    datetime=exact.clone()
                    tabindex="0"
                    data-tooltip=format_exact_time(&time)
                >
                    {format_relative(&time.with_timezone(&Local), &Local::now())}
                    <span class="visually-hidden">{format!(", {}", format_exact_time(&time))}</span>
                </time>
            }
            .into_any()
        }
        None => view! { <span class="muted">{NO_VALUE}</span> }.into_any(),
    }
}

/// Tags as pills, the first few shown.
fn tags_cell(tags: &[String]) -> AnyView {
    let chips = tags
        .iter()
        .map(|tag| Chip {
            key: None,
            value: tag.clone(),
        })
        .collect();
    chips_cell(chips, ("tag", "tags"))
}

/// Attributes as `key = value` chips, the first few shown.
fn attributes_cell(user: &User) -> AnyView {
    let chips = user
        .attributes
        .iter()
        .map(|(key, value)| Chip {
            key: Some(key.clone()),
            value: value.clone(),
        })
        .collect();
    chips_cell(chips, ("attribute", "attributes"))
}

/// A tag (no key) or an attribute in a cell.
#[derive(Clone)]
struct Chip {
    key: Option<String>,
    value: String,
}

/// The first few chips, and a "+N" button that shows the rest in place (and hides them
/// again), by click, Enter or Space: never by hover alone.
fn chips_cell(chips: Vec<Chip>, (one, many): (&'static str, &'static str)) -> AnyView {
    let expanded = RwSignal::new(false);
    let total = chips.len();
    let more = total.saturating_sub(CHIPS_PER_CELL);
    let chips = StoredValue::new(chips);
    let shown = move || {
        let limit = if expanded.get() {
            total
        } else {
            CHIPS_PER_CELL
        };
        chips.with_value(|chips| {
            chips
                .iter()
                .take(limit)
                .cloned()
                .map(chip_view)
                .collect_view()
        })
    };
    view! {
        <div class="chips">
            {shown}
            {(more > 0)
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="chip chip--more"
                            aria-expanded=move || expanded.get().to_string()
                            aria-label=move || {
                                if expanded.get() {
                                    format!("Show fewer {many}")
                                } else {
                                    let noun = if more == 1 { one } else { many };
                                    format!("Show {more} more {noun}")
                                }
                            }
                            on:click=move |_| expanded.update(|open| *open = !*open)
                            on:keydown=move |event: ev::KeyboardEvent| {
                                if event.key() == "Escape" && expanded.get_untracked() {
                                    event.stop_propagation();
                                    expanded.set(false);
                                }
                            }
                        >
                            {move || if expanded.get() { "Less".to_owned() } else { format!("+{more}") }}
                        </button>
                    }
                })}
        </div>
    }
    .into_any()
}

fn chip_view(chip: Chip) -> AnyView {
    match chip.key {
        None => view! { <span class="chip chip--tag">{chip.value}</span> }.into_any(),
        Some(key) => view! {
            <span class="chip chip--attribute">
                <span class="chip__key">{key}</span>
                " = "
                <span class="chip__value">{chip.value}</span>
            </span>
        }
        .into_any(),
    }
}
