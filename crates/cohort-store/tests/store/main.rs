//! The store's tests, on the engine `COHORT_TEST_ENGINE` names (SQLite by default).

mod admins;
mod counts;
mod exports;
mod filter_meaning;
mod helpers;
mod ingest;
mod jobs;
mod migrations;
mod planner;
mod races;
mod users;
