//! Cohort's pure domain core: the wire types shared by the server and the WASM app, the
//! filter language (parsing, validation and its in-memory meaning), text folding and the
//! sentiment of chat messages.
//!
//! Nothing here does I/O, reads a clock or draws random numbers: `now` is always a
//! parameter, so the core builds for `wasm32-unknown-unknown` and every rule is testable.

pub mod api;
pub mod bots;
pub mod bulk;
pub mod events;
pub mod export;
pub mod filter;
pub mod limits;
pub mod list;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod sentiment;
pub mod sessions;
pub mod sort;
#[cfg(test)]
mod test_support;
pub mod text;
pub mod time;
pub mod users;
pub mod workspaces;
