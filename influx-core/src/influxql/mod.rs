//! InfluxQL text: quoting, identifiers, durations, regexes, and the traits that
//! say which Rust types may stand in which position of a query.
//!
//! Everything a `query_pattern!` renders goes through this module. The rules
//! are those of the 1.x parser: identifiers are always double-quoted with `\`,
//! `"` and newline escaped; strings are single-quoted with `\`, `'` and newline
//! escaped; regexes escape `/`; numbers must be finite and within `i64`.

mod args;
mod duration;
mod names;
mod quote;

pub use args::{QueryDuration, QueryIdent, QueryInteger, QueryRegex, QuerySource, QueryString, QueryValue};
pub use duration::{Duration, IntoDuration};
pub use names::{Ident, Measurement, Regex};
pub use quote::{escape_regex, quote_ident, quote_ident_into, quote_qualified_into, quote_string, quote_string_into};
