//! One message on the user's page: its text, when it was sent, its score and label, and on
//! request ("Why negative?") what moved the score most, asked of `POST /sentiment`.

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Local;
use cohort_core::api::{Message, SentimentContribution};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use crate::api;
use crate::components::users_table::sentiment_cell;
use crate::display::{
    cause_text, format_date_time, format_effect, format_exact_time, format_factor, why_question,
    why_title,
};

/// Numbers the explanation panels, so that each button controls its own.
static PANELS: AtomicUsize = AtomicUsize::new(0);

/// The message as a list item, with its own "Why …?" button and explanation panel.
#[component]
pub fn MessageItem(message: Message) -> impl IntoView {
    let exact = message.at.to_rfc3339();
    let label = message.label;
    let title = why_title(label);
    let panel_id = format!("why-{}", PANELS.fetch_add(1, Ordering::Relaxed));
    let text = StoredValue::new(message.text.clone());
    let open = RwSignal::new(false);
    // The panel's status line: loading, a failure, or nothing to explain; none over a list.
    let status = RwSignal::new(None::<String>);
    let failed = RwSignal::new(false);
    let contributions = RwSignal::new(Vec::<SentimentContribution>::new());
    let fetch = move || {
        status.set(Some("Working out why…".to_owned()));
        failed.set(false);
        spawn_local_scoped_with_cancellation(async move {
            match api::explain_sentiment(&text.get_value()).await {
                Ok(listed) => {
                    status.set(listed.is_empty().then(|| {
                        "No word or symbol in this message carries sentiment.".to_owned()
                    }));
                    contributions.set(listed);
                }
                Err(failure) => {
                    status.set(Some(format!(
                        "Could not explain this score: {}",
                        failure.message()
                    )));
                    failed.set(true);
                }
            }
        });
    };
    let toggle = move |_| {
        let opening = !open.get_untracked();
        open.set(opening);
        let unasked =
            status.with_untracked(Option::is_none) && contributions.with_untracked(Vec::is_empty);
        if opening && (unasked || failed.get_untracked()) {
            fetch();
        }
    };

    view! {
        <li class="message">
            <p class="message__text">{message.text}</p>
            <div class="message__meta">
                <time datetime=exact title=format_exact_time(&message.at)>
                    {format_date_time(&message.at.with_timezone(&Local))}
                </time>
                <span class="message__sentiment">
                    {sentiment_cell(Some((message.sentiment, label)))}
                    <button
                        type="button"
                        class="why-button"
                        aria-expanded=move || open.get().to_string()
                        aria-controls=panel_id.clone()
                        on:click=toggle
                    >
                        {why_question(label)}
                    </button>
                </span>
            </div>
            <div id=panel_id class="why" aria-live="polite" hidden=move || !open.get()>
                <p
                    class="why__status"
                    class:why__status--error=move || failed.get()
                    hidden=move || status.with(Option::is_none)
                >
                    {move || status.get()}
                    " "
                    <button
                        type="button"
                        class="link-button"
                        hidden=move || !failed.get()
                        on:click=move |_| fetch()
                    >
                        "Retry"
                    </button>
                </p>
                <p class="why__title" hidden=move || contributions.with(Vec::is_empty)>
                    {title}
                </p>
                <ol class="why__list" aria-label=title>
                    {move || contributions.get().into_iter().map(contribution).collect_view()}
                </ol>
            </div>
        </li>
    }
}

/// One contribution: what it is, as written, and how far it moved the score.
fn contribution(contribution: SentimentContribution) -> impl IntoView {
    let item_class = if contribution.effect < 0.0 {
        "why__item why__item--down"
    } else {
        "why__item why__item--up"
    };
    // The bar's length: the effect's share of the whole scale, at least visible.
    let share = (contribution.effect.abs() * 100.0).clamp(4.0, 100.0);
    let whole_text = contribution.text.clone();
    view! {
        <li class=item_class>
            <span class="why__token" title=whole_text>{contribution.text}</span>
            <span class="why__cause">{cause_text(contribution.cause)}</span>
            <span class="why__factor">{contribution.factor.map(format_factor)}</span>
            <span class="why__bar" aria-hidden="true">
                <span style:width=format!("{share:.0}%")></span>
            </span>
            <span class="why__effect">{format_effect(contribution.effect)}</span>
        </li>
    }
}
