//! A compile-time InfluxQL lexer and validating parser (no dependencies).

pub(crate) mod lexer;
pub(crate) mod names;
pub(crate) mod parser;

pub(crate) use parser::{analyze, Analysis, PlaceholderUse, Projection, Role};
