//! `/bots/{bot}/jobs`: background jobs (stats rebuilds, exports) and their progress.

pub mod get;
