//! The table's footer: where the page is in the list ("Showing 51–100 of 1,204"),
//! Previous / Next by keyset cursors, and the page size.

use leptos::prelude::*;

use crate::display::page_range;
use crate::users_query::PAGE_SIZES;

/// `page` is the 0-based page shown of `limit` rows, `shown` how many it holds of `total`.
#[component]
pub fn Pager(
    #[prop(into)] page: Signal<usize>,
    #[prop(into)] shown: Signal<usize>,
    #[prop(into)] total: Signal<u64>,
    #[prop(into)] limit: Signal<u64>,
    #[prop(into)] has_next: Signal<bool>,
    #[prop(into)] loading: Signal<bool>,
    on_previous: Callback<()>,
    on_next: Callback<()>,
    on_limit: Callback<u64>,
) -> impl IntoView {
    view! {
        <footer class="table-footer">
            <p class="table-footer__status" aria-live="polite">
                {move || page_range(page.get(), limit.get(), shown.get(), total.get())}
            </p>
            <div class="pager">
                <label class="field__label field__label--inline" for="page-size">
                    "Rows per page"
                </label>
                <select
                    id="page-size"
                    class="select select--small"
                    prop:value=move || limit.get().to_string()
                    on:change=move |event| {
                        if let Ok(size) = event_target_value(&event).parse::<u64>() {
                            on_limit.run(size);
                        }
                    }
                >
                    {PAGE_SIZES
                        .into_iter()
                        .map(|size| {
                            view! {
                                <option value=size.to_string() selected=move || limit.get() == size>
                                    {size.to_string()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button
                    type="button"
                    class="button button--secondary"
                    disabled=move || page.get() == 0 || loading.get()
                    on:click=move |_| on_previous.run(())
                >
                    "Previous"
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    disabled=move || !has_next.get() || loading.get()
                    on:click=move |_| on_next.run(())
                >
                    "Next"
                </button>
            </div>
        </footer>
    }
}
