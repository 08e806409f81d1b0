//! The API's tests: the real server on port 0, a fresh database on the engine
//! `COHORT_TEST_ENGINE` names, and plain HTTP.

mod auth;
mod bots;
mod bulk;
mod errors;
mod events;
mod exports;
mod helpers;
mod jobs;
mod openapi;
mod users;
