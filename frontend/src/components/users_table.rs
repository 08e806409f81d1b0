//! The users table: one row per user with their channel, stats, tags and attributes.

use chrono::Local;
use cohort_core::api::User;
use cohort_core::sort::{Sort, SortKey};
use leptos::prelude::*;

use crate::display::{
    NO_VALUE, SentimentLabel, UNKNOWN_USER, avatar_hue, channel_name, class_token, display_name,
    first_few, format_date_time, format_duration, format_sentiment, format_stat, initials,
};

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
/// for rows not loaded yet, and rows already shown are dimmed. With no users, an empty
/// state says why (`filtered`: because of the filter). A sortable header shows the `sort`
/// in force and asks for another with `on_sort`; a user's name opens their page
/// (`on_open`). `children` form the card's footer.
#[component]
pub fn UsersTable(
    #[prop(into)] users: Signal<Vec<User>>,
    #[prop(into)] loading: Signal<bool>,
    #[prop(into)] filtered: Signal<bool>,
    #[prop(into)] sort: Signal<Sort>,
    on_sort: Callback<SortKey>,
    on_open: Callback<User>,
    children: Children,
) -> impl IntoView {
    let first_load = move || loading.get() && users.with(Vec::is_empty);
    let empty = move || !loading.get() && users.with(Vec::is_empty);

    view! {
        <section
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
                        <For each=move || users.get() key=|user| user.id.clone() let(user)>
                            <UserRow user on_open />
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=empty>
                <div class="empty-state">
                    <p class="empty-state__title">
                        {move || {
                            if filtered.get() {
                                "No users match this filter"
                            } else {
                                "No users yet"
                            }
                        }}
                    </p>
                    <p class="empty-state__hint">
                        {move || {
                            if filtered.get() {
                                "Try a shorter or different name."
                            } else {
                                "People appear here once they chat with this bot."
                            }
                        }}
                    </p>
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

/// One user's row; the name opens the user's page.
#[component]
fn UserRow(user: User, on_open: Callback<User>) -> impl IntoView {
    let name = display_name(&user.first_name, &user.last_name);
    let avatar_style = format!("--avatar-hue: {}", avatar_hue(&user.id));
    let secondary = user
        .email
        .clone()
        .unwrap_or_else(|| user.external_id.clone());
    let name_view = match name {
        Some(name) => view! { <span class="user__name">{name}</span> }.into_any(),
        None => view! { <span class="user__name muted">{UNKNOWN_USER}</span> }.into_any(),
    };
    let opened = user.clone();

    view! {
        <tr>
            <td class="col-name">
                <div class="user">
                    <span class="avatar" style=avatar_style aria-hidden="true">
                        {initials(&user.first_name, &user.last_name)}
                    </span>
                    <div class="user__text">
                        <button
                            type="button"
                            id=open_button_id(&user.id)
                            class="user__open"
                            aria-haspopup="dialog"
                            on:click=move |_| on_open.run(opened.clone())
                        >
                            {name_view}
                        </button>
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
            <td class="col-sentiment">{sentiment_cell(user.average_sentiment)}</td>
            <td class="col-date">{last_message_cell(&user)}</td>
            <td class="col-chips">{tags_cell(&user.tags)}</td>
            <td class="col-chips">{attributes_cell(&user)}</td>
        </tr>
    }
}

/// The id of the button that opens user `user_id`'s page, so focus can return to it.
pub fn open_button_id(user_id: &str) -> String {
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
pub fn sentiment_cell(score: Option<f64>) -> AnyView {
    match score {
        Some(score) => {
            let label = SentimentLabel::of(score);
            view! {
                <span class="sentiment">
                    <span class="sentiment__score">{format_sentiment(score)}</span>
                    <span class=label.class()>{label.text()}</span>
                </span>
            }
            .into_any()
        }
        None => view! { <span class="muted">{NO_VALUE}</span> }.into_any(),
    }
}

/// The last message time in the browser's time zone, with the exact time as a tooltip.
fn last_message_cell(user: &User) -> AnyView {
    match user.last_message_at {
        Some(time) => {
            let exact = time.to_rfc3339();
            view! {
                <time datetime=exact.clone() title=exact>
                    {format_date_time(&time.with_timezone(&Local))}
                </time>
            }
            .into_any()
        }
        None => view! { <span class="muted">{NO_VALUE}</span> }.into_any(),
    }
}

/// Tags as pills, the first few shown.
fn tags_cell(tags: &[String]) -> AnyView {
    let (shown, more) = first_few(tags, CHIPS_PER_CELL);
    let rest = tags[shown.len()..].join(", ");
    view! {
        <div class="chips">
            {shown
                .iter()
                .map(|tag| view! { <span class="chip chip--tag">{tag.clone()}</span> })
                .collect_view()}
            {more_chip(more, rest)}
        </div>
    }
    .into_any()
}

/// Attributes as `key: value` chips, the first few shown.
fn attributes_cell(user: &User) -> AnyView {
    let pairs: Vec<(&String, &String)> = user.attributes.iter().collect();
    let (shown, more) = first_few(&pairs, CHIPS_PER_CELL);
    let rest = pairs[shown.len()..]
        .iter()
        .map(|(key, value)| format!("{key}: {value}"))
        .collect::<Vec<_>>()
        .join("\n");
    view! {
        <div class="chips">
            {shown
                .iter()
                .map(|(key, value)| {
                    view! {
                        <span class="chip chip--attribute">
                            <span class="chip__key">{format!("{key}:")}</span>
                            " "
                            <span class="chip__value">{value.to_string()}</span>
                        </span>
                    }
                })
                .collect_view()}
            {more_chip(more, rest)}
        </div>
    }
    .into_any()
}

/// "+N" with the hidden items as a tooltip, or nothing.
fn more_chip(more: usize, rest: String) -> Option<impl IntoView> {
    (more > 0).then(|| {
        view! {
            <span class="chip chip--more" title=rest>
                {format!("+{more}")}
            </span>
        }
    })
}
