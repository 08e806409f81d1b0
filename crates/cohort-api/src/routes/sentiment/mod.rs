//! `/sentiment`: Cohort's chat sentiment scorer, for integrators.

pub mod score;
