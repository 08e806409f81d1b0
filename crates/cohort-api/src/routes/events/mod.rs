//! `/bots/{bot}/events`: what bot channels stream in.

pub mod ingest;
