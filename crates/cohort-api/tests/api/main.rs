//! The API's tests: the real server on port 0, a fresh database on the engine
//! `COHORT_TEST_ENGINE` names, and plain HTTP.

mod attributes;
mod auth;
mod bots;
mod bulk;
mod errors;
mod events;
mod exports;
mod fair_use;
mod helpers;
mod idempotency;
mod input;
mod jobs;
mod metrics;
mod openapi;
mod races;
mod sentiment;
mod users;
