//! The route table: every endpoint, one per file, registered with `.service(...)` so
//! utoipa-actix-web documents it.

mod audit;
mod auth;
mod bots;
mod events;
mod exports;
mod health;
mod jobs;
mod problems;
mod sentiment;
mod stats;
mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes outside the `/api/v1` prefix.
pub fn configure_root(config: &mut ServiceConfig) {
    config.service(health::healthz).service(health::readyz);
}

/// Routes under `/api/v1`.
pub fn configure(config: &mut ServiceConfig) {
    config
        .service(auth::login::login)
        .service(auth::logout::logout)
        .service(auth::me::get_me)
        .service(bots::list::list_bots)
        .service(bots::create::create_bot)
        .service(bots::get::get_bot)
        .service(bots::update::update_bot)
        .service(bots::delete::delete_bot)
        .service(users::columns::list_columns)
        .service(users::tags::list_tags)
        .service(users::list::list_users)
        .service(users::search::search_users)
        .service(users::count::count_users)
        .service(users::bulk::bulk_users)
        .service(users::upsert::upsert_user)
        .service(users::get::get_user)
        .service(users::update::update_user)
        .service(users::delete::delete_user)
        .service(users::messages::list_messages)
        .service(events::ingest::ingest_events)
        .service(sentiment::score::score_sentiment)
        .service(stats::refresh::refresh_stats)
        .service(jobs::get::get_job)
        .service(exports::create::create_export)
        .service(exports::list::list_exports)
        .service(exports::get::get_export)
        .service(exports::delete::delete_export)
        .service(exports::download::download_export)
        .service(audit::list::list_audit);
}
