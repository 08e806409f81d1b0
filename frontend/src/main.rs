//! Cohort's admin SPA: a Leptos app rendered in the browser, talking to the REST API.

mod api;
mod app;
mod components;
mod display;
mod pages;
mod search;
mod session;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
