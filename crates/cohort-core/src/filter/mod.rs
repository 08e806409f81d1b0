//! The filter language: what admins and integrators write (`Filter`, the wire form), what
//! it means once checked (`Expr`), and that meaning evaluated in memory (`eval`).
//!
//! The store compiles the same `Expr` to SQL. Its property tests hold that SQL to the
//! in-memory meaning here, so this module is the definition of every filter function.

mod ast;
mod columns;
mod eval;
mod parse;
mod wire;

pub use ast::{
    CmpOp, Condition as CheckedCondition, Expr, NumberField, NumberTest, Test, TextField, TextTest,
    TimeField, TimeTest,
};
pub use columns::{ColumnType, PROFILE_COLUMNS, ProfileColumnSpec, attribute_functions};
pub use eval::matches;
pub use parse::parse;
pub use wire::{Condition, Filter, FilterAll, FilterAny, FunctionKey, RelativeTime, TimeUnit};
