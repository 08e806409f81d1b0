//! `/bots/{bot}/stats`: recomputing the stats columns from the event log.

pub mod refresh;
