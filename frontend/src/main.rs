//! Cohort's admin SPA: a Leptos app rendered in the browser, talking to the REST API.

mod api;
mod app;
mod components;
mod cursor_list;
mod display;
mod dom;
mod filter_draft;
mod location;
mod pages;
mod selection;
mod user_edit;
mod users_query;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
